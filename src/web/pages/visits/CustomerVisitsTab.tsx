import { PlusOutlined } from '@ant-design/icons';
import { Button, Flex } from 'antd';
import { useState } from 'react';
import type { Customer } from '../../../common/schemas/customers';
import type { VisitTask } from '../../../common/schemas/visits';
import { type VisitQuery, visitsApi } from '../../api/visits';
import { LoadMore } from '../../components/LoadMore';
import { useKeysetList } from '../../components/useKeysetList';
import { useT } from '../../i18n';
import { CustomerSurveysSection } from '../surveys/CustomerSurveysSection';
import { NewVisitDrawer, VisitTable } from './shared';

/** The 回访 tab of a customer archive: its visit tasks and the visits made, planning one, and the
 * satisfaction surveys it answered. */
export function CustomerVisitsTab({ customer, onChanged }: { customer: Customer; onChanged?: () => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const list = useKeysetList<VisitTask, VisitQuery>((q, cursor) => visitsApi.list(q, cursor, 100), {
    customerId: customer.id,
  });
  const editable = customer.status === 'draft' || customer.status === 'filed';
  return (
    <Flex vertical gap={12}>
      {editable && customer.can.update && (
        <Flex justify="flex-end">
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
            {t('visits.new')}
          </Button>
        </Flex>
      )}
      <VisitTable
        items={list.items}
        loading={list.loading}
        empty={t('visits.customerEmpty')}
        showCustomer={false}
        onChanged={() => {
          list.reload();
          onChanged?.();
        }}
      />
      <LoadMore
        count={list.items.length}
        hasMore={!!list.nextCursor}
        loading={list.loadingMore}
        onLoadMore={list.loadMore}
      />
      <CustomerSurveysSection customerId={customer.id} />
      <NewVisitDrawer
        customerId={customer.id}
        open={open}
        onClose={() => setOpen(false)}
        onDone={() => {
          setOpen(false);
          list.reload();
        }}
      />
    </Flex>
  );
}
