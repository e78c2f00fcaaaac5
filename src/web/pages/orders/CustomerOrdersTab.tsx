import { PlusOutlined } from '@ant-design/icons';
import { Button, Flex } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { Customer } from '../../../common/schemas/customers';
import type { OrderSummary } from '../../../common/schemas/orders';
import { type OrderQuery, ordersApi } from '../../api/orders';
import { useAuth } from '../../auth/AuthContext';
import { LoadMore } from '../../components/LoadMore';
import { useKeysetList } from '../../components/useKeysetList';
import { useT } from '../../i18n';
import { mayCreateOrder } from './OrderListPage';
import { CustomerOnTimeRate } from './PerformancePage';
import { NewOrderDrawer, OrderTable } from './shared';

/** The 合同 tab of a customer archive: the customer's orders, contracts and tenders with their
 * review state, and registering one. */
export function CustomerOrdersTab({ customer }: { customer: Customer }) {
  const t = useT();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const list = useKeysetList<OrderSummary, OrderQuery>((q, cursor) => ordersApi.list(q, cursor), {
    customerId: customer.id,
  });
  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="flex-end">
        <CustomerOnTimeRate customerId={customer.id} />
        {mayCreateOrder(can) && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setOpen(true)}
            data-testid="customer-new-order"
          >
            {t('orders.new.button')}
          </Button>
        )}
      </Flex>
      <OrderTable
        items={list.items}
        loading={list.loading}
        empty={t('orders.customerTabEmpty')}
        showCustomer={false}
      />
      <LoadMore
        count={list.items.length}
        hasMore={!!list.nextCursor}
        loading={list.loadingMore}
        onLoadMore={list.loadMore}
      />
      <NewOrderDrawer
        open={open}
        customer={{ id: customer.id, name: customer.name }}
        onClose={() => setOpen(false)}
        onDone={(o) => {
          setOpen(false);
          navigate(`/orders/${o.id}`);
        }}
      />
    </Flex>
  );
}
