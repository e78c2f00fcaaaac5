import { UploadOutlined } from '@ant-design/icons';
import { Button, Flex } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { Customer } from '../../../common/schemas/customers';
import type { DocumentListItem } from '../../../common/schemas/documents';
import { type DocumentQuery, documentsApi } from '../../api/documents';
import { useAuth } from '../../auth/AuthContext';
import { LoadMore } from '../../components/LoadMore';
import { useKeysetList } from '../../components/useKeysetList';
import { useT } from '../../i18n';
import { DocumentFormDrawer } from './DocumentFormDrawer';
import { DocumentTable } from './DocumentTable';

/** The 文件 tab of a customer archive: its documents, and uploading straight into it. */
export function CustomerDocumentsTab({ customer }: { customer: Customer }) {
  const t = useT();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const list = useKeysetList<DocumentListItem, DocumentQuery>((q, cursor) => documentsApi.list(q, cursor), {
    customerId: customer.id,
  });
  return (
    <Flex vertical gap={12}>
      {can('document.create') && (
        <Flex justify="flex-end">
          <Button type="primary" icon={<UploadOutlined />} onClick={() => setOpen(true)}>
            {t('documents.registerInCustomer')}
          </Button>
        </Flex>
      )}
      <DocumentTable
        items={list.items}
        loading={list.loading}
        empty={t('documents.customerTabEmpty')}
        showCustomer={false}
      />
      <LoadMore
        count={list.items.length}
        hasMore={!!list.nextCursor}
        loading={list.loadingMore}
        onLoadMore={list.loadMore}
      />
      <DocumentFormDrawer
        open={open}
        customer={{ id: customer.id, archiveCode: customer.archiveCode, name: customer.name }}
        onClose={() => setOpen(false)}
        onSaved={(doc) => {
          setOpen(false);
          navigate(`/documents/${doc.id}`);
        }}
      />
    </Flex>
  );
}
