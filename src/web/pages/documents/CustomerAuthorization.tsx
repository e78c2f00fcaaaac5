import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, App, Button, DatePicker, Descriptions, Form, Input, Modal, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { AUTHORIZATION_PART_LABELS } from '../../../common/documents';
import type { Document } from '../../../common/schemas/documents';
import { errorText } from '../../api/client';
import { documentsApi } from '../../api/documents';
import { FilePicker } from '../../components/FilePicker';
import { useLabel, useT } from '../../i18n';

/**
 * The customer's signed authorisation of a customer document used for production or inspection
 * (R-D5): what is attached, what a 受控 copy still lacks, and (for the archivist) the form that
 * attaches the signed paper with its signatory and date.
 */
export function CustomerAuthorization({ doc, onChanged }: { doc: Document; onChanged: () => void }) {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ signedBy: string; signedOn: Dayjs }>();
  // Shown for production use, and for any customer document the archivist may attach it to
  // (one with 受控 copies out gets it before it is marked for production).
  if (!doc.productionUse && !(doc.source === 'customer' && (doc.customerAuthorization || doc.can.distribute)))
    return null;
  const missing = doc.authorizationMissing.map((p) => label(AUTHORIZATION_PART_LABELS[p])).join('、');
  const mayAttach = doc.can.distribute && doc.status !== 'destroyed';

  const submit = async (v: { signedBy: string; signedOn: Dayjs }) => {
    if (!file) {
      setError(t('documents.authorization.fileRequired'));
      return;
    }
    setSaving(true);
    setError(null);
    setProgress(0);
    try {
      await documentsApi.attachAuthorization(
        doc.id,
        file,
        v.signedBy,
        v.signedOn.format('YYYY-MM-DD'),
        setProgress,
      );
      message.success(t('documents.authorization.saved'));
      setOpen(false);
      setFile(null);
      onChanged();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setSaving(false);
      setProgress(null);
    }
  };

  return (
    <>
      <Descriptions
        size="small"
        column={3}
        title={
          <span>
            <SafetyCertificateOutlined /> {t('documents.authorization.title')}
          </span>
        }
        extra={
          mayAttach && (
            <Button size="small" onClick={() => setOpen(true)} data-testid="attach-authorization">
              {doc.customerAuthorization
                ? t('documents.authorization.replace')
                : t('documents.authorization.attach')}
            </Button>
          )
        }
        items={[
          {
            key: 'file',
            label: t('documents.authorization.file'),
            children: doc.customerAuthorization ? (
              <Typography.Link href={documentsApi.authorizationUrl(doc.id)}>
                {doc.customerAuthorization.name}
              </Typography.Link>
            ) : (
              '—'
            ),
          },
          {
            key: 'by',
            label: t('documents.field.customerAuthorizedBy'),
            children: doc.customerAuthorizedBy ?? '—',
          },
          {
            key: 'on',
            label: t('documents.field.customerAuthorizedOn'),
            children: doc.customerAuthorizedOn ?? '—',
          },
        ]}
      />
      {!doc.productionUse ? (
        <Alert type="info" showIcon title={t('documents.authorization.notProduction')} />
      ) : missing ? (
        <Alert type="warning" showIcon title={t('documents.authorization.missing', { missing })} />
      ) : (
        <Alert type="success" showIcon title={t('documents.authorization.complete')} />
      )}
      <Modal
        open={open}
        title={t('documents.authorization.attach')}
        okText={t('common.save')}
        confirmLoading={saving}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('documents.authorization.hint')}</Typography.Paragraph>
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{ signedBy: doc.customerAuthorizedBy ?? '' }}
        >
          <Form.Item
            name="signedBy"
            label={t('documents.field.customerAuthorizedBy')}
            rules={[{ required: true }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item
            name="signedOn"
            label={t('documents.field.customerAuthorizedOn')}
            rules={[{ required: true }]}
          >
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item label={t('documents.authorization.file')} required>
            <FilePicker file={file} onChange={setFile} progress={progress} />
          </Form.Item>
        </Form>
        {error && <Alert type="error" showIcon title={error} />}
      </Modal>
    </>
  );
}
