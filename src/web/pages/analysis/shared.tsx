import { DownloadOutlined } from '@ant-design/icons';
import { Alert, DatePicker, Form } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { type ReactNode, useEffect, useState } from 'react';
import { errorText, type Query } from '../../api/client';
import { FileLink } from '../../components/FileLink';
import { useT } from '../../i18n';

// What the analysis tabs share: the period of whole months, loading a result for a query, the
// export links, and how amounts and shares read.

export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Loads `fetch(query)` again whenever the query changes; the last error in words. */
export function useResult<T>(fetch: (q: Query, signal: AbortSignal) => Promise<T>, q: Query | null) {
  const [result, setResult] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const key = JSON.stringify(q);
  // biome-ignore lint/correctness/useExhaustiveDependencies: key stands for the query
  useEffect(() => {
    if (!q) return;
    const ctrl = new AbortController();
    setError(null);
    fetch(q, ctrl.signal)
      .then((r) => setResult(r))
      .catch((e) => {
        if (!ctrl.signal.aborted) setError(errorText(e));
      });
    return () => ctrl.abort();
  }, [key, version]);
  return { result, error, reload: () => setVersion((v) => v + 1) };
}

export function MonthRange({
  from,
  to,
  onChange,
}: {
  from: string;
  to: string;
  onChange: (from: string, to: string) => void;
}) {
  const t = useT();
  return (
    <Form.Item label={t('analysis.period')} style={{ marginBottom: 8 }}>
      <DatePicker.RangePicker
        picker="month"
        allowClear={false}
        value={[dayjs(`${from}-01`), dayjs(`${to}-01`)]}
        onChange={(v) => {
          const [a, b] = (v ?? []) as [Dayjs | null, Dayjs | null];
          if (a && b) onChange(a.format('YYYY-MM'), b.format('YYYY-MM'));
        }}
        data-testid="analysis-period"
      />
    </Form.Item>
  );
}

export function Exports({ url }: { url: (format: 'xlsx' | 'csv') => string }) {
  const t = useT();
  return (
    <>
      <FileLink icon={<DownloadOutlined />} href={url('xlsx')}>
        {t('analysis.export.xlsx')}
      </FileLink>
      <FileLink href={url('csv')}>{t('analysis.export.csv')}</FileLink>
    </>
  );
}

export function Failed({ error }: { error: string | null }): ReactNode {
  return error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null;
}

/** 1234567.5 → 1,234,567.50; null (no price rights) → —. */
export function money(v: string | null | undefined): string {
  if (v === null || v === undefined) return '—';
  const [whole = '0', frac = '00'] = v.split('.');
  const negative = whole.startsWith('-');
  const digits = whole.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${digits}.${frac.padEnd(2, '0')}`;
}

export const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : `${v.toFixed(2)}%`;

export const GRADE_COLORS: Record<string, string> = { A: '#cf1322', B: '#fa8c16', C: '#8c8c8c' };
