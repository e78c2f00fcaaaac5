import { Alert, Form, Input, Modal, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import {
  DEFAULT_RETENTION_PERIODS,
  DOCUMENT_STATUS_LABELS,
  type DocumentStatus,
  retentionLabel,
} from '../../../common/documents';
import type { DocumentCategory, DocumentSettings } from '../../../common/schemas/documents';
import { formErrorText } from '../../api/client';
import { documentConfigApi } from '../../api/documents';
import { useLabel, useLang } from '../../i18n';

// What the document pages share: the categories, labels and the status tag.

let cached: Promise<DocumentCategory[]> | null = null;

/** GET /document-config/categories, loaded once per page load; `reload` after a change. */
export function useCategories() {
  const { lang } = useLang();
  const [categories, setCategories] = useState<DocumentCategory[]>([]);
  const load = useCallback((fresh = false) => {
    if (!cached || fresh) {
      cached = documentConfigApi.categories().catch((e) => {
        cached = null;
        throw e;
      });
    }
    return cached.then(setCategories);
  }, []);
  useEffect(() => {
    load().catch(() => {});
  }, [load]);
  const name = (code: string) => {
    const c = categories.find((x) => x.code === code);
    return c ? (lang === 'en' ? (c.nameEn ?? c.name) : c.name) : code;
  };
  const options = (activeOnly = true) =>
    categories.filter((c) => !activeOnly || c.active).map((c) => ({ value: c.code, label: name(c.code) }));
  return { categories, name, options, reload: () => load(true) };
}

export function DocumentStatusTag({ status }: { status: DocumentStatus }) {
  const label = useLabel();
  return (
    <Tag
      color={status === 'current' ? 'green' : status === 'destroyed' ? 'red' : 'default'}
      style={{ marginInlineEnd: 0 }}
    >
      {label(DOCUMENT_STATUS_LABELS[status])}
    </Tag>
  );
}

/** 1.2 MB, 35 KB, 812 B. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

let settingsCache: Promise<DocumentSettings> | null = null;

/** The retention periods the company uses, as select options (GET /document-config/settings). */
export function useRetention() {
  const { lang } = useLang();
  const [periods, setPeriods] = useState<string[]>(DEFAULT_RETENTION_PERIODS);
  useEffect(() => {
    if (!settingsCache) {
      settingsCache = documentConfigApi.settings().catch((e) => {
        settingsCache = null;
        throw e;
      });
    }
    settingsCache.then((s) => setPeriods(s.retentionPeriods)).catch(() => {});
  }, []);
  return {
    label: (code: string) => retentionLabel(code, lang),
    options: periods.map((p) => ({ value: p, label: retentionLabel(p, lang) })),
  };
}

/** After the settings changed: the next page that asks gets them fresh. */
export function forgetDocumentSettings(): void {
  settingsCache = null;
}

/** A confirmation that needs a reason (withdrawing a document or a version): the hint above,
 * the server's refusal in the dialog, the reason required. */
export function ReasonModal({
  open,
  title,
  okText,
  hint,
  reasonLabel,
  onSubmit,
  onClose,
}: {
  open: boolean;
  title: string;
  okText: string;
  hint: string;
  reasonLabel: string;
  onSubmit: (reason: string) => Promise<unknown>;
  onClose: () => void;
}) {
  const [form] = Form.useForm<{ reason: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      okButtonProps={{ danger: true, loading: saving }}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={hint} style={{ marginBottom: 16 }} />
      {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} />}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={async (v) => {
          setSaving(true);
          setError(null);
          try {
            await onSubmit(v.reason);
          } catch (e) {
            setError(formErrorText(form, e));
          } finally {
            setSaving(false);
          }
        }}
      >
        <Form.Item name="reason" label={reasonLabel} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
