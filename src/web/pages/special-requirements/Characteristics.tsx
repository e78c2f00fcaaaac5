import {
  DeleteOutlined,
  EditOutlined,
  FileExcelOutlined,
  FilePdfOutlined,
  PlusOutlined,
  StopOutlined,
  UndoOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  AutoComplete,
  Button,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Radio,
  Select,
  Switch,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import type {
  Characteristic,
  RequirementSummary,
  SrSymbol,
} from '../../../common/schemas/special-requirements';
import {
  SR_CHAR_CLASS_LABELS,
  SR_CHAR_CLASSES,
  SR_SYMBOL_SHAPES,
  type SrCharClass,
  type SrSymbolShape,
} from '../../../common/special-requirements';
import { errorText, formErrorText } from '../../api/client';
import { srCharApi } from '../../api/special-requirements';
import { FileLink } from '../../components/FileLink';
import { FormDrawer } from '../../components/FormDrawer';
import { LoadMore } from '../../components/LoadMore';
import { useLabel, useT } from '../../i18n';
import { text } from './shared';

// 特殊特性符号 (the customer's symbols, drawn or uploaded) and 特殊特性清单 (characteristics per part
// number, with the customer's symbol and where it is controlled), R-S4.

const CLASS_COLORS: Record<SrCharClass, string> = { CC: 'red', SC: 'orange' };

export function CharClassTag({ value }: { value: SrCharClass }) {
  const label = useLabel();
  return (
    <Tag color={CLASS_COLORS[value]} style={{ marginInlineEnd: 0 }}>
      {label(SR_CHAR_CLASS_LABELS[value])}
    </Tag>
  );
}

/** The symbol as the server draws or serves it; `stamp` changes after an upload. */
export function SymbolImage({
  url,
  alt,
  size = 28,
  stamp,
}: {
  url: string;
  alt: string;
  size?: number;
  stamp?: number;
}) {
  return (
    <img
      src={stamp ? `${url}${url.includes('?') ? '&' : '?'}v=${stamp}` : url}
      alt={alt}
      width={size}
      height={size}
      style={{ objectFit: 'contain', verticalAlign: 'middle' }}
    />
  );
}

interface SymbolValues {
  code: string;
  name: string;
  meaning?: string;
  shape: SrSymbolShape;
  charClass: SrCharClass;
  sortOrder?: number;
  active?: boolean;
}

export function SymbolsSection({ customerId }: { customerId: string }) {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const [items, setItems] = useState<SrSymbol[] | null>(null);
  const [canEdit, setCanEdit] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<SrSymbol | 'new' | null>(null);
  const [stamps, setStamps] = useState<Record<string, number>>({});
  const load = useCallback(() => {
    srCharApi
      .symbols(customerId)
      .then((r) => {
        setItems(r.items);
        setCanEdit(r.can.manage);
        setError(null);
      })
      .catch((e) => setError(errorText(e)));
  }, [customerId]);
  useEffect(() => {
    load();
  }, [load]);
  const uploadImage = async (s: SrSymbol, file: File) => {
    const ok = /\.(png|svg)$/i.test(file.name) || ['image/png', 'image/svg+xml'].includes(file.type);
    if (!ok) {
      message.error(t('sr.symbols.wrongType'));
      return;
    }
    try {
      await srCharApi.uploadImage(s.id, file);
      setStamps((prev) => ({ ...prev, [s.id]: Date.now() }));
      message.success(t('sr.symbols.uploaded'));
      load();
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const deactivate = async (s: SrSymbol) => {
    try {
      await srCharApi.deactivateSymbol(s.id);
      message.success(t('sr.symbols.deactivated'));
      load();
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const clearImage = async (s: SrSymbol) => {
    try {
      await srCharApi.clearImage(s.id);
      setStamps((prev) => ({ ...prev, [s.id]: Date.now() }));
      message.success(t('sr.symbols.cleared'));
      load();
    } catch (e) {
      message.error(errorText(e));
    }
  };
  if (error) return <Alert type="error" showIcon title={error} />;
  return (
    <Flex vertical gap={8}>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Typography.Text type="secondary">{t('sr.symbols.intro')}</Typography.Text>
        {canEdit && (
          <Button icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('sr.symbols.add')}
          </Button>
        )}
      </Flex>
      <Table<SrSymbol>
        rowKey="id"
        size="small"
        loading={items === null}
        dataSource={items ?? []}
        pagination={false}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={canEdit ? t('sr.symbols.emptyCan') : t('sr.symbols.empty')}
            />
          ),
        }}
        columns={[
          {
            title: t('sr.symbols.image'),
            key: 'image',
            width: 80,
            render: (_, s) => (
              <SymbolImage
                url={s.imageUrl || srCharApi.imageUrl(s.id)}
                alt={s.code}
                size={32}
                stamp={stamps[s.id]}
              />
            ),
          },
          { title: t('sr.symbols.code'), dataIndex: 'code', width: 80 },
          { title: t('sr.symbols.name'), dataIndex: 'name', width: 100 },
          { title: t('sr.symbols.meaning'), dataIndex: 'meaning', render: (v: string | null) => v ?? '' },
          {
            title: t('sr.symbols.class'),
            key: 'class',
            width: 150,
            render: (_, s) => <CharClassTag value={s.charClass} />,
          },
          {
            title: t('sr.symbols.source'),
            key: 'source',
            width: 120,
            render: (_, s) =>
              s.hasImage
                ? t('sr.symbols.uploadedImage')
                : t('sr.symbols.drawn', { shape: t(`sr.shape.${s.shape}`) }),
          },
          {
            title: t('common.status'),
            key: 'active',
            width: 70,
            render: (_, s) =>
              s.active ? (
                t('common.active')
              ) : (
                <Typography.Text type="secondary">{t('common.inactive')}</Typography.Text>
              ),
          },
          ...(canEdit
            ? [
                {
                  title: t('common.actions'),
                  key: 'act',
                  width: 300,
                  render: (_: unknown, s: SrSymbol) => (
                    <Flex gap={4} wrap>
                      <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(s)}>
                        {t('common.edit')}
                      </Button>
                      <Upload
                        accept=".png,.svg,image/png,image/svg+xml"
                        showUploadList={false}
                        beforeUpload={(file) => {
                          uploadImage(s, file);
                          return false;
                        }}
                      >
                        <Button size="small" icon={<UploadOutlined />}>
                          {t('sr.symbols.upload')}
                        </Button>
                      </Upload>
                      {s.hasImage && (
                        <Popconfirm title={t('sr.symbols.clearConfirm')} onConfirm={() => clearImage(s)}>
                          <Button size="small" icon={<UndoOutlined />}>
                            {t('sr.symbols.clear')}
                          </Button>
                        </Popconfirm>
                      )}
                      {s.active && (
                        <Popconfirm title={t('sr.symbols.deactivateConfirm')} onConfirm={() => deactivate(s)}>
                          <Button size="small" type="text" danger icon={<StopOutlined />}>
                            {t('common.disable')}
                          </Button>
                        </Popconfirm>
                      )}
                    </Flex>
                  ),
                },
              ]
            : []),
        ]}
      />
      <SymbolDrawer
        customerId={customerId}
        editing={editing}
        label={label}
        onClose={() => setEditing(null)}
        onDone={() => {
          setEditing(null);
          load();
        }}
      />
    </Flex>
  );
}

function SymbolDrawer({
  customerId,
  editing,
  label,
  onClose,
  onDone,
}: {
  customerId: string;
  editing: SrSymbol | 'new' | null;
  label: ReturnType<typeof useLabel>;
  onClose: () => void;
  onDone: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<SymbolValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const existing = editing && editing !== 'new' ? editing : null;
  const submit = async (v: SymbolValues) => {
    setSaving(true);
    setError(null);
    try {
      const body = {
        code: v.code.trim(),
        name: v.name.trim(),
        meaning: text(v.meaning),
        shape: v.shape,
        charClass: v.charClass,
        sortOrder: v.sortOrder ?? 0,
        active: v.active ?? true,
      };
      if (existing) await srCharApi.updateSymbol(existing.id, body);
      else await srCharApi.createSymbol(customerId, body);
      message.success(t('common.saved'));
      onDone();
    } catch (e) {
      setError(formErrorText(form, e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <FormDrawer
      open={!!editing}
      title={existing ? t('sr.symbols.editTitle', { code: existing.code }) : t('sr.symbols.add')}
      form={form}
      saving={saving}
      error={error}
      onClose={onClose}
      afterClose={() => setError(null)}
    >
      {editing && (
        <Form<SymbolValues>
          form={form}
          layout="vertical"
          preserve={false}
          onFinish={submit}
          initialValues={
            existing
              ? {
                  code: existing.code,
                  name: existing.name,
                  meaning: existing.meaning ?? undefined,
                  shape: existing.shape,
                  charClass: existing.charClass,
                  sortOrder: existing.sortOrder,
                  active: existing.active,
                }
              : { shape: 'shield', charClass: 'CC', sortOrder: 0, active: true }
          }
        >
          <Form.Item
            name="code"
            label={t('sr.symbols.code')}
            rules={[{ required: true, pattern: /^[A-Za-z0-9_-]{1,20}$/, message: t('sr.symbols.codeRule') }]}
          >
            <Input maxLength={20} placeholder="S" />
          </Form.Item>
          <Form.Item name="name" label={t('sr.symbols.name')} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={50} placeholder={t('sr.symbols.namePlaceholder')} />
          </Form.Item>
          <Form.Item name="meaning" label={t('sr.symbols.meaning')}>
            <Input maxLength={200} placeholder={t('sr.symbols.meaningPlaceholder')} />
          </Form.Item>
          <Form.Item name="charClass" label={t('sr.symbols.class')} rules={[{ required: true }]}>
            <Radio.Group
              optionType="button"
              options={SR_CHAR_CLASSES.map((c) => ({ value: c, label: label(SR_CHAR_CLASS_LABELS[c]) }))}
            />
          </Form.Item>
          <Form.Item name="shape" label={t('sr.symbols.shape')} extra={t('sr.symbols.shapeHelp')}>
            <Select options={SR_SYMBOL_SHAPES.map((s) => ({ value: s, label: t(`sr.shape.${s}`) }))} />
          </Form.Item>
          <Form.Item name="sortOrder" label={t('sr.symbols.sortOrder')}>
            <InputNumber min={0} max={1000} precision={0} />
          </Form.Item>
          <Form.Item name="active" label={t('common.status')} valuePropName="checked">
            <Switch checkedChildren={t('common.active')} unCheckedChildren={t('common.inactive')} />
          </Form.Item>
        </Form>
      )}
    </FormDrawer>
  );
}

interface CharValues {
  partNumber: string;
  name: string;
  specification: string;
  charClass: SrCharClass;
  symbolId?: string | null;
  controlPlanRef?: string;
  inspectionMethod?: string;
  requirementId?: string | null;
}

export function CharacteristicsSection({
  customerId,
  requirements,
}: {
  customerId: string;
  requirements: RequirementSummary[];
}) {
  const t = useT();
  const { message } = App.useApp();
  const [items, setItems] = useState<Characteristic[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [canEdit, setCanEdit] = useState(false);
  const [symbols, setSymbols] = useState<SrSymbol[]>([]);
  const [known, setKnown] = useState<{ partNumber: string; count: number }[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [part, setPart] = useState<string | undefined>(undefined);
  const [editing, setEditing] = useState<Characteristic | 'new' | null>(null);
  const load = useCallback(() => {
    setItems(null);
    srCharApi
      .characteristics(customerId, part)
      .then((r) => {
        setItems(r.items);
        setNextCursor(r.nextCursor);
        setCanEdit(r.can.manage);
        setError(null);
      })
      .catch((e) => setError(errorText(e)));
    srCharApi
      .parts(customerId)
      .then((r) => setKnown(r.items))
      .catch(() => {});
    srCharApi
      .symbols(customerId)
      .then((r) => setSymbols(r.items))
      .catch(() => {});
  }, [customerId, part]);
  useEffect(() => {
    load();
  }, [load]);
  const loadMore = async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    try {
      const r = await srCharApi.characteristics(customerId, part, nextCursor);
      setItems((prev) => [...(prev ?? []), ...r.items]);
      setNextCursor(r.nextCursor);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setLoadingMore(false);
    }
  };
  const parts = useMemo(() => {
    const set = new Set<string>();
    for (const p of known) set.add(p.partNumber);
    for (const r of requirements) for (const p of r.partNumbers) set.add(p);
    return [...set].sort();
  }, [known, requirements]);
  const counts = useMemo(() => new Map(known.map((p) => [p.partNumber, p.count])), [known]);
  const shown = items ?? [];
  const remove = async (c: Characteristic) => {
    try {
      await srCharApi.deleteCharacteristic(c.id);
      message.success(t('sr.chars.deleted'));
      load();
    } catch (e) {
      message.error(errorText(e));
    }
  };
  if (error) return <Alert type="error" showIcon title={error} />;
  return (
    <Flex vertical gap={8}>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Flex gap={8} align="center" wrap>
          <Typography.Text>{t('sr.field.partNumber')}</Typography.Text>
          <Select
            allowClear
            showSearch
            style={{ minWidth: 200 }}
            placeholder={t('sr.chars.allParts')}
            value={part}
            onChange={setPart}
            options={parts.map((p) => ({ value: p, label: counts.has(p) ? `${p}（${counts.get(p)}）` : p }))}
          />
        </Flex>
        <Flex gap={8} wrap>
          <FileLink icon={<FileExcelOutlined />} href={srCharApi.exportUrl(customerId, 'xlsx', part)}>
            {t('sr.chars.exportXlsx')}
          </FileLink>
          <FileLink icon={<FilePdfOutlined />} href={srCharApi.exportUrl(customerId, 'pdf', part)} inline>
            {t('sr.chars.exportPdf')}
          </FileLink>
          {canEdit && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
              {t('sr.chars.add')}
            </Button>
          )}
        </Flex>
      </Flex>
      <Table<Characteristic>
        rowKey="id"
        size="small"
        loading={items === null}
        dataSource={shown}
        pagination={false}
        scroll={{ x: 1300 }}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={canEdit ? t('sr.chars.emptyCan') : t('sr.chars.empty')}
            />
          ),
        }}
        columns={[
          { title: t('sr.field.partNumber'), dataIndex: 'partNumber', width: 130 },
          { title: t('sr.chars.seq'), dataIndex: 'seq', width: 60 },
          {
            title: t('sr.chars.symbol'),
            key: 'symbol',
            width: 90,
            render: (_, c) =>
              c.symbol ? (
                <Flex gap={4} align="center">
                  <SymbolImage
                    url={c.symbol.imageUrl || srCharApi.imageUrl(c.symbol.id)}
                    alt={c.symbol.code}
                    size={22}
                  />
                  <span>{c.symbol.code}</span>
                </Flex>
              ) : (
                '—'
              ),
          },
          { title: t('sr.chars.name'), dataIndex: 'name', width: 180 },
          { title: t('sr.chars.specification'), dataIndex: 'specification', width: 180 },
          {
            title: t('sr.symbols.class'),
            key: 'class',
            width: 150,
            render: (_, c) => <CharClassTag value={c.charClass} />,
          },
          {
            title: t('sr.chars.controlPlanRef'),
            dataIndex: 'controlPlanRef',
            width: 130,
            render: (v: string | null) => v ?? '—',
          },
          {
            title: t('sr.chars.inspectionMethod'),
            dataIndex: 'inspectionMethod',
            width: 130,
            render: (v: string | null) => v ?? '—',
          },
          {
            title: t('sr.chars.requirement'),
            key: 'req',
            width: 140,
            render: (_, c) =>
              c.requirement ? (
                <Link to={`/special-requirements/${c.requirement.id}`}>{c.requirement.number}</Link>
              ) : (
                '—'
              ),
          },
          ...(canEdit
            ? [
                {
                  title: t('common.actions'),
                  key: 'act',
                  width: 110,
                  fixed: 'right' as const,
                  render: (_: unknown, c: Characteristic) => (
                    <Flex gap={4}>
                      <Button
                        size="small"
                        icon={<EditOutlined />}
                        onClick={() => setEditing(c)}
                        aria-label={t('common.edit')}
                      />
                      <Popconfirm title={t('sr.chars.deleteConfirm')} onConfirm={() => remove(c)}>
                        <Button
                          size="small"
                          type="text"
                          danger
                          icon={<DeleteOutlined />}
                          aria-label={t('common.delete')}
                        />
                      </Popconfirm>
                    </Flex>
                  ),
                },
              ]
            : []),
        ]}
      />
      <LoadMore count={shown.length} hasMore={!!nextCursor} loading={loadingMore} onLoadMore={loadMore} />
      <CharacteristicDrawer
        customerId={customerId}
        editing={editing}
        parts={parts}
        defaultPart={part}
        symbols={symbols}
        requirements={requirements}
        onClose={() => setEditing(null)}
        onDone={() => {
          setEditing(null);
          load();
        }}
      />
    </Flex>
  );
}

function CharacteristicDrawer({
  customerId,
  editing,
  parts,
  defaultPart,
  symbols,
  requirements,
  onClose,
  onDone,
}: {
  customerId: string;
  editing: Characteristic | 'new' | null;
  parts: string[];
  defaultPart?: string;
  symbols: SrSymbol[];
  requirements: RequirementSummary[];
  onClose: () => void;
  onDone: () => void;
}) {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const [form] = Form.useForm<CharValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const existing = editing && editing !== 'new' ? editing : null;
  const submit = async (v: CharValues) => {
    setSaving(true);
    setError(null);
    try {
      const body = {
        partNumber: v.partNumber.trim(),
        name: v.name.trim(),
        specification: v.specification.trim(),
        charClass: v.charClass,
        symbolId: v.symbolId ?? null,
        controlPlanRef: text(v.controlPlanRef),
        inspectionMethod: text(v.inspectionMethod),
        requirementId: v.requirementId ?? null,
      };
      if (existing) await srCharApi.updateCharacteristic(existing.id, body);
      else await srCharApi.createCharacteristic(customerId, body);
      message.success(t('common.saved'));
      onDone();
    } catch (e) {
      setError(formErrorText(form, e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <FormDrawer
      open={!!editing}
      title={
        existing
          ? t('sr.chars.editTitle', { part: existing.partNumber, seq: existing.seq })
          : t('sr.chars.add')
      }
      size={560}
      form={form}
      saving={saving}
      error={error}
      onClose={onClose}
      afterClose={() => setError(null)}
    >
      {editing && (
        <Form<CharValues>
          form={form}
          layout="vertical"
          preserve={false}
          onFinish={submit}
          initialValues={
            existing
              ? {
                  partNumber: existing.partNumber,
                  name: existing.name,
                  specification: existing.specification,
                  charClass: existing.charClass,
                  symbolId: existing.symbol?.id ?? null,
                  controlPlanRef: existing.controlPlanRef ?? undefined,
                  inspectionMethod: existing.inspectionMethod ?? undefined,
                  requirementId: existing.requirement?.id ?? null,
                }
              : { partNumber: defaultPart, charClass: 'SC' }
          }
          onValuesChange={(changed: Partial<CharValues>) => {
            // Picking a symbol sets the internal class it maps to.
            if (changed.symbolId) {
              const s = symbols.find((x) => x.id === changed.symbolId);
              if (s) form.setFieldValue('charClass', s.charClass);
            }
          }}
        >
          <Form.Item
            name="partNumber"
            label={t('sr.field.partNumber')}
            rules={[{ required: true, whitespace: true }]}
          >
            <AutoComplete options={parts.map((p) => ({ value: p }))} maxLength={100} />
          </Form.Item>
          <Form.Item name="name" label={t('sr.chars.name')} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={200} placeholder={t('sr.chars.namePlaceholder')} />
          </Form.Item>
          <Form.Item
            name="specification"
            label={t('sr.chars.specification')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input maxLength={500} placeholder={t('sr.chars.specificationPlaceholder')} />
          </Form.Item>
          <Form.Item
            name="symbolId"
            label={t('sr.chars.symbol')}
            extra={symbols.length ? undefined : t('sr.chars.noSymbols')}
          >
            <Select
              allowClear
              options={symbols
                .filter((s) => s.active || s.id === existing?.symbol?.id)
                .map((s) => ({
                  value: s.id,
                  label: (
                    <Flex gap={6} align="center">
                      <SymbolImage url={s.imageUrl || srCharApi.imageUrl(s.id)} alt={s.code} size={18} />
                      <span>
                        {s.code} {s.name}
                      </span>
                    </Flex>
                  ),
                }))}
            />
          </Form.Item>
          <Form.Item name="charClass" label={t('sr.symbols.class')} rules={[{ required: true }]}>
            <Radio.Group
              optionType="button"
              options={SR_CHAR_CLASSES.map((c) => ({ value: c, label: label(SR_CHAR_CLASS_LABELS[c]) }))}
            />
          </Form.Item>
          <Form.Item name="controlPlanRef" label={t('sr.chars.controlPlanRef')}>
            <Input maxLength={200} placeholder={t('sr.chars.controlPlanRefPlaceholder')} />
          </Form.Item>
          <Form.Item name="inspectionMethod" label={t('sr.chars.inspectionMethod')}>
            <Input maxLength={200} placeholder={t('sr.chars.inspectionMethodPlaceholder')} />
          </Form.Item>
          <Form.Item name="requirementId" label={t('sr.chars.requirement')}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              options={requirements.map((r) => ({ value: r.id, label: `${r.number} ${r.title}` }))}
            />
          </Form.Item>
        </Form>
      )}
    </FormDrawer>
  );
}
