import { InboxOutlined } from '@ant-design/icons';
import { Progress, Upload } from 'antd';
import { useT } from '../i18n';

/** Picks one file to send with a form, and shows the upload's progress once it is sent. */
export function FilePicker({
  file,
  onChange,
  progress,
}: {
  file: File | null;
  onChange: (file: File | null) => void;
  /** Percent uploaded, or null before the upload. */
  progress: number | null;
}) {
  const t = useT();
  return (
    <>
      <Upload.Dragger
        maxCount={1}
        beforeUpload={(f) => {
          onChange(f);
          return false;
        }}
        onRemove={() => onChange(null)}
        fileList={file ? [{ uid: 'file', name: file.name, status: 'done' }] : []}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{t('import.dropHere')}</p>
      </Upload.Dragger>
      {progress !== null && <Progress percent={progress} size="small" aria-label={t('documents.upload')} />}
    </>
  );
}
