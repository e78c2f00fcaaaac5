import { CheckOutlined, CopyOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Modal, Typography } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { useT } from '../i18n';
import { copyText } from '../utils/clipboard';

export interface Secret {
  title: string;
  value: string;
  /** Warning shown above the value: it will not be shown again. */
  warning: string;
  testId: string;
  extra?: ReactNode;
}

/** Shows a password or token the server returns once, with a copy button. */
export function SecretModal({ secret, onClose }: { secret: Secret | null; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (secret) setCopied(false);
  }, [secret]);

  const copy = async () => {
    if (!secret) return;
    if (await copyText(secret.value)) {
      setCopied(true);
      message.success(t('common.copied'));
    } else {
      message.error(t('common.copyFailed'));
    }
  };

  return (
    <Modal
      open={!!secret}
      title={secret?.title}
      onCancel={onClose}
      mask={{ closable: false }}
      keyboard={false}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('common.ok')}
        </Button>
      }
      destroyOnHidden
    >
      {secret && (
        <Flex vertical gap={16} style={{ marginTop: 8 }}>
          <Alert type="warning" showIcon title={secret.warning} />
          <Flex
            align="center"
            gap={8}
            style={{ padding: '10px 12px', background: 'rgba(0,0,0,0.04)', borderRadius: 8 }}
          >
            <Typography.Text
              code
              data-testid={secret.testId}
              style={{ flex: 1, fontSize: 16, wordBreak: 'break-all', userSelect: 'all' }}
            >
              {secret.value}
            </Typography.Text>
            <Button icon={copied ? <CheckOutlined /> : <CopyOutlined />} onClick={copy}>
              {t('common.copy')}
            </Button>
          </Flex>
          {secret.extra}
        </Flex>
      )}
    </Modal>
  );
}
