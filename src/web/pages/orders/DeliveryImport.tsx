import { deliveriesApi } from '../../api/order-deliveries';
import { SheetImportButton } from '../../components/SheetImportButton';
import { useT } from '../../i18n';

// 导入交付 (R-K5): an .xlsx of deliveries, checked first (dry run), imported only when every row
// is right — the server writes all rows or none.

export function DeliveryImportButton({ onDone }: { onDone?: () => void }) {
  const t = useT();
  return (
    <SheetImportButton
      label={t('deliveries.import')}
      title={t('deliveries.import.title')}
      hint={t('deliveries.import.hint')}
      accept=".xlsx"
      run={(file, dryRun) => deliveriesApi.importFile(file, dryRun)}
      onDone={onDone}
    />
  );
}
