import { Alert, Button, Drawer, Flex, type FormInstance } from 'antd';
import type { ReactNode } from 'react';
import { useT } from '../i18n';

/**
 * The drawer every create/edit form uses: the form inside, 取消/保存 at the bottom, and the
 * server's message above the fields when it is not about one field.
 */
export function FormDrawer({
  open,
  title,
  size = 480,
  form,
  saving,
  error,
  onClose,
  afterClose,
  saveText,
  actions,
  children,
}: {
  open: boolean;
  title: ReactNode;
  size?: number;
  form: FormInstance;
  saving: boolean;
  error: string | null;
  onClose: () => void;
  /** After the drawer has slid out. */
  afterClose?: () => void;
  /** The primary button's text, when it does more than save. */
  saveText?: string;
  /** Further buttons, between 取消 and the primary one. */
  actions?: ReactNode;
  children: ReactNode;
}) {
  const t = useT();
  return (
    <Drawer
      open={open}
      title={title}
      size={size}
      onClose={onClose}
      afterOpenChange={(isOpen) => {
        if (!isOpen) afterClose?.();
      }}
      destroyOnHidden
      mask={{ closable: false }}
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          {actions}
          <Button type="primary" loading={saving} onClick={() => form.submit()}>
            {saveText ?? t('common.save')}
          </Button>
        </Flex>
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      {children}
    </Drawer>
  );
}
