import { PageContainer, PageSpin } from '../../components/PageContainer';
import { useT } from '../../i18n';

/** 订单详情 /orders/:id (the next commit fills it in). */
export default function OrderDetailPage() {
  const t = useT();
  return (
    <PageContainer title={t('orders.detail')}>
      <PageSpin />
    </PageContainer>
  );
}
