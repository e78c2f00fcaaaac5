import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Checkbox, Col, Empty, Flex, Form, Input, Row, Select, Tooltip } from 'antd';
import { FIELD_MESSAGES } from '../../../common/validation';
import { useLang, useT } from '../../i18n';
import { useCustomerConfig, useLookups } from './shared';

export interface ContactRow {
  name?: string;
  title?: string;
  role?: string;
  mobile?: string;
  phone?: string;
  email?: string;
  isPrimary?: boolean;
}

/** Initial contacts on create: name, title, role, phones, e-mail; one may be the main contact. */
export function InitialContacts() {
  const t = useT();
  const { lang } = useLang();
  const form = Form.useFormInstance();
  const { config } = useCustomerConfig();
  const lookups = useLookups(config);
  return (
    <Form.List name="contacts">
      {(fields, { add, remove }) => (
        <Flex vertical gap={8}>
          {fields.length === 0 && (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customers.noInitialContacts')} />
          )}
          {fields.map((field, index) => (
            <Row key={field.key} gutter={12} align="top" wrap>
              <Col xs={12} md={6} xl={3}>
                <Form.Item
                  name={[field.name, 'name']}
                  label={index === 0 ? t('contacts.name') : undefined}
                  rules={[
                    {
                      // A row needs a name once anything else in it is filled in.
                      validator: (_, value?: string) => {
                        const row = (form.getFieldValue(['contacts', field.name]) ?? {}) as ContactRow;
                        const other = [row.title, row.role, row.mobile, row.phone, row.email].some((x) =>
                          x?.trim(),
                        );
                        return !value?.trim() && other
                          ? Promise.reject(new Error(t('contacts.nameRequired')))
                          : Promise.resolve();
                      },
                    },
                  ]}
                >
                  <Input maxLength={50} placeholder={t('contacts.name')} />
                </Form.Item>
              </Col>
              <Col xs={12} md={6} xl={3}>
                <Form.Item name={[field.name, 'title']} label={index === 0 ? t('contacts.title') : undefined}>
                  <Input maxLength={50} placeholder={t('contacts.title')} />
                </Form.Item>
              </Col>
              <Col xs={12} md={6} xl={3}>
                <Form.Item name={[field.name, 'role']} label={index === 0 ? t('contacts.role') : undefined}>
                  <Select
                    allowClear
                    options={lookups.options('contact_role')}
                    placeholder={t('contacts.role')}
                  />
                </Form.Item>
              </Col>
              <Col xs={12} md={6} xl={3}>
                <Form.Item
                  name={[field.name, 'mobile']}
                  label={index === 0 ? t('contacts.mobile') : undefined}
                >
                  <Input maxLength={60} placeholder={t('contacts.mobile')} />
                </Form.Item>
              </Col>
              <Col xs={12} md={6} xl={4}>
                <Form.Item name={[field.name, 'phone']} label={index === 0 ? t('contacts.phone') : undefined}>
                  <Input maxLength={60} placeholder={t('contacts.phone')} />
                </Form.Item>
              </Col>
              <Col xs={12} md={6} xl={4}>
                <Form.Item
                  name={[field.name, 'email']}
                  label={index === 0 ? t('contacts.email') : undefined}
                  rules={[{ type: 'email', message: FIELD_MESSAGES.email[lang] }]}
                >
                  <Input maxLength={200} placeholder={t('contacts.email')} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12} xl={4}>
                <Form.Item label={index === 0 ? ' ' : undefined} colon={false}>
                  <Flex align="center" gap={4} style={{ height: 32 }}>
                    <Form.Item name={[field.name, 'isPrimary']} valuePropName="checked" noStyle>
                      <Checkbox
                        onChange={(e) => {
                          // One main contact: ticking one unticks the others.
                          if (!e.target.checked) return;
                          const rows = (form.getFieldValue('contacts') as ContactRow[]) ?? [];
                          form.setFieldValue(
                            'contacts',
                            rows.map((r, i) => ({ ...r, isPrimary: i === index })),
                          );
                        }}
                      >
                        {t('contacts.primary')}
                      </Checkbox>
                    </Form.Item>
                    <Tooltip title={t('contacts.removeRow')}>
                      <Button
                        type="text"
                        danger
                        icon={<DeleteOutlined />}
                        onClick={() => remove(field.name)}
                        aria-label={t('contacts.removeRow')}
                      />
                    </Tooltip>
                  </Flex>
                </Form.Item>
              </Col>
            </Row>
          ))}
          <Button
            type="dashed"
            icon={<PlusOutlined />}
            onClick={() => add({ isPrimary: fields.length === 0 })}
            style={{ alignSelf: 'flex-start' }}
          >
            {t('contacts.addRow')}
          </Button>
        </Flex>
      )}
    </Form.List>
  );
}
