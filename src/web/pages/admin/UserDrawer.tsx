import { App, Flex, Form, Input, Radio, Select } from 'antd';
import { useEffect, useRef, useState } from 'react';
import {
  ROLE_LABELS,
  ROLES,
  type Role,
  SECRECY_LABELS,
  SECRECY_LEVELS,
  type SecrecyLevel,
  secrecyRank,
} from '../../../common/enums';
import type { Department, User } from '../../../common/schemas/platform';
import { passwordLongEnough } from '../../../common/validation';
import { formErrorText } from '../../api/client';
import { orgApi } from '../../api/platform';
import { useMe } from '../../auth/AuthContext';
import { DepartmentSelect } from '../../components/departments';
import { FormDrawer } from '../../components/FormDrawer';
import { useLabel, useT } from '../../i18n';

interface Values {
  login?: string;
  name: string;
  departmentId?: string;
  roles: Role[];
  clearance: SecrecyLevel;
  email?: string;
  phone?: string;
  password?: string;
  active?: boolean;
}

export type UserDrawerState = { mode: 'create' } | { mode: 'edit'; user: User } | null;

/** 新建用户 / 编辑用户 in one drawer. `onSaved` gets the saved user and, on create, the initial password. */
export function UserDrawer({
  state,
  departments,
  onClose,
  onSaved,
  afterClose,
}: {
  state: UserDrawerState;
  departments: Department[];
  onClose: () => void;
  onSaved: (user: User, initialPassword?: string) => void;
  /** After the drawer has slid out. */
  afterClose?: () => void;
}) {
  const t = useT();
  const label = useLabel();
  const me = useMe();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  // Keep showing the last user while the drawer slides out.
  const last = useRef(state);
  if (state) last.current = state;
  const view = state ?? last.current;
  const editing = view?.mode === 'edit' ? view.user : null;
  const isSelf = editing?.id === me.id;

  const initialValues: Partial<Values> = editing
    ? {
        login: editing.login,
        name: editing.name,
        departmentId: editing.departmentId ?? undefined,
        roles: editing.roles,
        clearance: editing.clearance,
        email: editing.email ?? '',
        phone: editing.phone ?? '',
        active: editing.active,
      }
    : { roles: ['staff'], clearance: 'normal' };

  // A fresh form each time the drawer opens (resetFields goes back to initialValues).
  useEffect(() => {
    if (!state) return;
    setFormError(null);
    form.resetFields();
  }, [state, form]);

  const onFinish = async (v: Values) => {
    setSaving(true);
    setFormError(null);
    try {
      if (editing) {
        const user = await orgApi.updateUser(editing.id, {
          name: v.name,
          email: v.email ?? '',
          phone: v.phone ?? '',
          departmentId: v.departmentId,
          roles: v.roles,
          clearance: v.clearance,
          active: v.active,
        });
        message.success(t('users.updated'));
        onSaved(user);
      } else {
        const res = await orgApi.createUser({
          login: v.login ?? '',
          name: v.name,
          departmentId: v.departmentId ?? '',
          roles: v.roles,
          clearance: v.clearance,
          email: v.email || null,
          phone: v.phone || null,
          password: v.password ? v.password : undefined,
        });
        message.success(t('users.created'));
        onSaved(res.user, res.initialPassword);
      }
    } catch (e) {
      const text = formErrorText(form, e);
      setFormError(text);
    } finally {
      setSaving(false);
    }
  };

  const myRank = secrecyRank(me.clearance);

  return (
    <FormDrawer
      open={!!state}
      title={editing ? `${t('users.edit')}：${editing.name}` : t('users.create')}
      size={520}
      form={form}
      saving={saving}
      error={formError}
      onClose={onClose}
      afterClose={afterClose}
    >
      <Form<Values>
        name="user"
        form={form}
        layout="vertical"
        onFinish={onFinish}
        autoComplete="off"
        initialValues={initialValues}
        preserve={false}
        key={editing?.id ?? 'new'}
      >
        <Form.Item
          name="login"
          label={t('users.login')}
          extra={editing ? undefined : t('users.loginHelp')}
          rules={editing ? [] : [{ required: true, whitespace: true }]}
        >
          <Input disabled={!!editing} maxLength={64} autoFocus={!editing} />
        </Form.Item>
        <Form.Item name="name" label={t('users.name')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={50} autoFocus={!!editing} />
        </Form.Item>
        <Form.Item name="departmentId" label={t('users.department')} rules={[{ required: true }]}>
          <DepartmentSelect departments={departments} />
        </Form.Item>
        <Form.Item name="roles" label={t('users.roles')} rules={[{ required: true, type: 'array', min: 1 }]}>
          <Select
            mode="multiple"
            options={ROLES.map((r) => ({ value: r, label: label(ROLE_LABELS[r]) }))}
            showSearch={{ optionFilterProp: 'label' }}
          />
        </Form.Item>
        <Form.Item name="clearance" label={t('users.clearance')} rules={[{ required: true }]}>
          <Select
            options={SECRECY_LEVELS.map((s) => ({
              value: s,
              label: label(SECRECY_LABELS[s]),
              disabled: secrecyRank(s) > myRank,
            }))}
          />
        </Form.Item>
        <Flex gap={16}>
          <Form.Item
            name="email"
            label={t('users.email')}
            rules={[{ type: 'email', message: t('users.emailInvalid') }]}
            style={{ flex: 1 }}
          >
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="phone" label={t('users.phone')} style={{ flex: 1 }}>
            <Input maxLength={40} />
          </Form.Item>
        </Flex>
        {!editing && (
          <Form.Item
            name="password"
            label={t('users.initialPassword')}
            extra={t('users.initialPasswordHelp')}
            rules={[
              {
                validator: (_, value: string | undefined) =>
                  !value || passwordLongEnough(value)
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('password.weak'))),
              },
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        {editing && (
          <Form.Item name="active" label={t('users.status')}>
            <Radio.Group
              disabled={isSelf}
              options={[
                { value: true, label: t('users.statusActive') },
                { value: false, label: t('users.statusInactive') },
              ]}
            />
          </Form.Item>
        )}
        {/* Enter in a text field submits the form. */}
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </FormDrawer>
  );
}
