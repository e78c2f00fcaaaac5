import { DownloadOutlined, DownOutlined } from '@ant-design/icons';
import { App, Button, Dropdown } from 'antd';
import { useState } from 'react';
import { errorText } from '../api/client';
import { useT } from '../i18n';
import { downloadFile } from './FileLink';

export type ExportFormat = 'xlsx' | 'csv' | 'csv-gbk';

/**
 * 导出: a register as .xlsx, as CSV in UTF-8 (with a BOM, which Excel needs), or as CSV in GBK
 * for older programs (R-W3). `url` builds the download for the chosen format.
 */
export function ExportMenu({ label, url }: { label: string; url: (format: ExportFormat) => string }) {
  const t = useT();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async (format: ExportFormat) => {
    setBusy(true);
    try {
      await downloadFile(url(format));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          { key: 'xlsx', label: t('common.export.xlsx') },
          { key: 'csv', label: t('common.export.csv') },
          { key: 'csv-gbk', label: t('common.export.csvGbk') },
        ],
        onClick: ({ key }) => run(key as ExportFormat),
      }}
    >
      <Button icon={<DownloadOutlined />} loading={busy}>
        {label} <DownOutlined />
      </Button>
    </Dropdown>
  );
}
