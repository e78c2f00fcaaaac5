import { UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Drawer, Flex, List, Typography, Upload } from 'antd';
import { useState } from 'react';
import { errorText } from '../api/client';
import { useT } from '../i18n';

// An import of one sheet (deliveries, balances): checked first (dry run), imported only when every
// row is right — the server writes all rows or none — with the rows in error listed.

export interface SheetImportResult {
  rows: number;
  imported: number;
  errors: { row: number; message: string }[];
}

/** A button opening the drawer that checks (dry run) and imports one sheet. */
export function SheetImportButton({
  label,
  title,
  hint,
  accept,
  run: send,
  onDone,
  testId,
}: {
  label: string;
  title: string;
  hint: string;
  /** File types offered, e.g. `.xlsx,.csv`. */
  accept: string;
  run: (file: File, dryRun: boolean) => Promise<SheetImportResult>;
  onDone?: () => void;
  testId?: string;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<SheetImportResult | null>(null);
  const run = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    try {
      const r = await send(file, dryRun);
      setResult(r);
      if (!dryRun && r.imported > 0) {
        message.success(
          t('sheetImport.result', { rows: r.rows, imported: r.imported, errors: r.errors.length }),
        );
        onDone?.();
      }
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button icon={<UploadOutlined />} onClick={() => setOpen(true)} data-testid={testId}>
        {label}
      </Button>
      <Drawer
        open={open}
        title={title}
        size={520}
        onClose={() => setOpen(false)}
        destroyOnHidden
        footer={
          <Flex justify="flex-end" gap={8}>
            <Button disabled={!file} loading={busy} onClick={() => run(true)}>
              {t('sheetImport.check')}
            </Button>
            <Button type="primary" disabled={!file} loading={busy} onClick={() => run(false)}>
              {t('sheetImport.run')}
            </Button>
          </Flex>
        }
      >
        <Typography.Paragraph type="secondary">{hint}</Typography.Paragraph>
        <Upload
          accept={accept}
          maxCount={1}
          beforeUpload={(f) => {
            setFile(f);
            setResult(null);
            return false;
          }}
          onRemove={() => setFile(null)}
        >
          <Button icon={<UploadOutlined />}>{accept.replaceAll(',', ' ')}</Button>
        </Upload>
        {result && (
          <Flex vertical gap={8} style={{ marginTop: 16 }}>
            <Alert
              type={result.errors.length ? 'error' : 'success'}
              showIcon
              title={t('sheetImport.result', {
                rows: result.rows,
                imported: result.imported,
                errors: result.errors.length,
              })}
            />
            {result.errors.length > 0 && (
              <List
                size="small"
                dataSource={result.errors}
                renderItem={(e) => (
                  <List.Item>
                    {e.row}: {e.message}
                  </List.Item>
                )}
              />
            )}
          </Flex>
        )}
      </Drawer>
    </>
  );
}
