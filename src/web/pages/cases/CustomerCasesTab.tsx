import { PhoneOutlined } from '@ant-design/icons';
import { Button, Flex } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { CaseSummary } from '../../../common/schemas/cases';
import type { Customer } from '../../../common/schemas/customers';
import { type CaseQuery, casesApi } from '../../api/cases';
import { useAuth } from '../../auth/AuthContext';
import { LoadMore } from '../../components/LoadMore';
import { useKeysetList } from '../../components/useKeysetList';
import { useT } from '../../i18n';
import { NewCaseDrawer } from './NewCaseDrawer';
import { CaseTable } from './shared';

/** The 投诉 tab of a customer archive: every complaint and service request, and recording one. */
export function CustomerCasesTab({ customer }: { customer: Customer }) {
  const t = useT();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const list = useKeysetList<CaseSummary, CaseQuery>((q, cursor) => casesApi.list(q, cursor), {
    customerId: customer.id,
  });
  return (
    <Flex vertical gap={12}>
      {can('case.create') && (
        <Flex justify="flex-end">
          <Button type="primary" icon={<PhoneOutlined />} onClick={() => setOpen(true)}>
            {t('cases.new.button')}
          </Button>
        </Flex>
      )}
      <CaseTable
        items={list.items}
        loading={list.loading}
        empty={t('cases.customerTabEmpty')}
        showCustomer={false}
      />
      <LoadMore
        count={list.items.length}
        hasMore={!!list.nextCursor}
        loading={list.loadingMore}
        onLoadMore={list.loadMore}
      />
      <NewCaseDrawer
        open={open}
        customer={{ id: customer.id, archiveCode: customer.archiveCode, name: customer.name }}
        onClose={() => setOpen(false)}
        onSaved={(c) => {
          setOpen(false);
          navigate(`/cases/${c.id}`);
        }}
      />
    </Flex>
  );
}
