import { Card, Col, Form, InputNumber, Row, Select, Typography } from 'antd';
import { useEffect } from 'react';
import type { SrConfig } from '../../../common/schemas/special-requirements';
import { srApi } from '../../api/special-requirements';
import { useAuth } from '../../auth/AuthContext';
import { CodeListEditor } from '../../components/CodeListEditor';
import { useDepartments } from '../../components/departments';
import { PageContainer, PageSpin } from '../../components/PageContainer';
import { SettingsFormCard } from '../../components/SettingsFormCard';
import { useT } from '../../i18n';
import { useCategories } from '../documents/shared';
import { useSrConfig } from './shared';

/** 顾客特殊要求设置 /special-requirements/settings: the categories (R-S1), the departments asked
 * to review by default (R-S2), the yearly check's interval and reminders (R-S5), and where the
 * list's PDF is filed. Quality (or the administrator) changes them. */
export default function SrSettingsPage() {
  const t = useT();
  const { can } = useAuth();
  const { config, set } = useSrConfig();
  const editable = can('sr.configure');
  return (
    <PageContainer title={t('sr.settings.title')} subTitle={t('sr.settings.intro')}>
      {!config ? (
        <PageSpin />
      ) : (
        <>
          <GeneralCard config={config} editable={editable} onSaved={set} />
          <Card title={t('sr.settings.categories')}>
            <Typography.Paragraph type="secondary">{t('sr.settings.categoriesHelp')}</Typography.Paragraph>
            <CodeListEditor
              title={t('sr.field.category')}
              items={config.categories}
              editable={editable}
              addText={t('sr.settings.addCategory')}
              editText={t('sr.settings.editCategory')}
              onSave={(code, body) => srApi.putCategory(code, body)}
              onSaved={(categories) => set({ ...config, categories })}
            />
          </Card>
        </>
      )}
    </PageContainer>
  );
}

type Values = SrConfig['settings'];

function GeneralCard({
  config,
  editable,
  onSaved,
}: {
  config: SrConfig;
  editable: boolean;
  onSaved: (c: SrConfig) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const departments = useDepartments();
  const categories = useCategories();
  // A department deactivated since it was chosen is dropped (it would be refused on save).
  const activeIds = departments.items
    .filter((d) => d.active)
    .map((d) => d.id)
    .join(',');
  useEffect(() => {
    if (!activeIds) return;
    const active = activeIds.split(',');
    const kept = (form.getFieldValue('reviewDepartmentIds') as string[] | undefined)?.filter((id) =>
      active.includes(id),
    );
    if (kept) form.setFieldValue('reviewDepartmentIds', kept);
  }, [activeIds, form]);
  return (
    <SettingsFormCard<Values>
      title={t('sr.settings.general')}
      name="srSettings"
      form={form}
      editable={editable}
      initialValues={config.settings}
      saveTestId="sr-settings-save"
      onSave={async (v) => onSaved(await srApi.putSettings(v))}
    >
      <Row gutter={24}>
        <Col xs={24} xl={12}>
          <Form.Item
            name="reviewDepartmentIds"
            label={t('sr.settings.reviewDepartments')}
            extra={t('sr.settings.reviewDepartmentsHelp')}
          >
            <Select
              mode="multiple"
              loading={departments.loading}
              showSearch={{ optionFilterProp: 'label' }}
              options={departments.items.filter((d) => d.active).map((d) => ({ value: d.id, label: d.name }))}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={8} xl={4}>
          <Form.Item
            name="checkMonths"
            label={t('sr.settings.checkMonths')}
            extra={t('sr.settings.checkMonthsHelp')}
            rules={[{ required: true }]}
          >
            <InputNumber
              min={1}
              max={36}
              precision={0}
              suffix={t('sr.settings.months')}
              style={{ width: '100%' }}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={8} xl={4}>
          <Form.Item
            name="remindDays"
            label={t('sr.settings.remindDays')}
            extra={t('sr.settings.remindDaysHelp')}
            rules={[{ required: true }]}
          >
            <InputNumber
              min={1}
              max={180}
              precision={0}
              suffix={t('sr.settings.days')}
              style={{ width: '100%' }}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={8} xl={4}>
          <Form.Item
            name="listArchiveCategory"
            label={t('sr.settings.archiveCategory')}
            extra={t('sr.settings.archiveCategoryHelp')}
          >
            <Select options={categories.options()} />
          </Form.Item>
        </Col>
      </Row>
    </SettingsFormCard>
  );
}
