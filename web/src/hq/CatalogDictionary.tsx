import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import {
  type AttributeEntry,
  type CategoryEntry,
  getDictionary,
  nameAttribute,
  nameCategory,
  refreshDictionary,
} from '../api/dictionary';
import { useApi } from '../api/hooks';
import { ErrorAlert, ErrorState } from '../components/States';
import { nameIn } from '../i18n/catalogNames';
import { type DictionaryKey, dictionaryText } from '../i18n/dictionaryMessages';
import { useI18n } from '../i18n/I18nProvider';

interface NamesValues {
  code: string;
  zh: string;
  en: string;
  values?: { code: string; zh: string; en: string }[];
}

type Editing = { kind: 'category' | 'attribute'; entry?: CategoryEntry | AttributeEntry };

/**
 * The brand's dictionary of its catalog (HQ): what each category, attribute and attribute value is called in
 * Chinese and English, wherever the console and the customer's pages show it. A code without a name shows as
 * itself; HQ names it here.
 */
export function CatalogDictionary({ editable }: { editable: boolean }) {
  const { locale } = useI18n();
  const d = (key: DictionaryKey, params?: Record<string, string>) => dictionaryText(locale, key, params);
  const dictionary = useApi((signal) => getDictionary(signal), []);
  const [editing, setEditing] = useState<Editing>();

  if (dictionary.error) return <ErrorState error={dictionary.error} onRetry={dictionary.reload} />;
  const names = (n: CategoryEntry['names']) => nameIn(n, locale);
  const nameColumns = [
    { title: d('dictionary.code'), dataIndex: 'code' },
    {
      title: d('dictionary.zh'),
      key: 'zh',
      render: (_: unknown, e: CategoryEntry) =>
        e.names ? e.names['zh-CN'] : <Tag color="orange">{d('dictionary.unnamed')}</Tag>,
    },
    {
      title: d('dictionary.en'),
      key: 'en',
      render: (_: unknown, e: CategoryEntry) => e.names?.['en-US'] ?? '—',
    },
  ];
  const editColumn = (kind: Editing['kind']) => ({
    title: '',
    key: 'edit',
    render: (_: unknown, entry: CategoryEntry | AttributeEntry) => (
      <Button
        size="small"
        data-testid={`dict-edit-${kind}-${entry.code}`}
        onClick={() => setEditing({ kind, entry })}
      >
        {d('dictionary.edit')}
      </Button>
    ),
  });

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="catalog-dictionary">
      <Typography.Text type="secondary">{d('dictionary.help')}</Typography.Text>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {d('dictionary.categories')}
        </Typography.Title>
        {editable ? (
          <Button icon={<PlusOutlined />} onClick={() => setEditing({ kind: 'category' })}>
            {d('dictionary.add')}
          </Button>
        ) : null}
      </Space>
      <Table<CategoryEntry>
        size="small"
        rowKey="code"
        loading={dictionary.loading}
        pagination={false}
        dataSource={dictionary.data?.categories ?? []}
        data-testid="dict-categories"
        columns={[...nameColumns, ...(editable ? [editColumn('category')] : [])]}
      />
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {d('dictionary.attributes')}
        </Typography.Title>
        {editable ? (
          <Button icon={<PlusOutlined />} onClick={() => setEditing({ kind: 'attribute' })}>
            {d('dictionary.add')}
          </Button>
        ) : null}
      </Space>
      <Table<AttributeEntry>
        size="small"
        rowKey="code"
        loading={dictionary.loading}
        pagination={false}
        dataSource={dictionary.data?.attributes ?? []}
        columns={[
          ...(nameColumns as unknown as { title: string; key?: string; dataIndex?: string }[]),
          {
            title: d('dictionary.values'),
            key: 'values',
            render: (_: unknown, a: AttributeEntry) =>
              a.values.map((v) => (
                <Tag key={v.code} title={v.code}>
                  {names(v.names) ?? v.code}
                </Tag>
              )),
          },
          ...(editable ? [editColumn('attribute')] : []),
        ]}
      />
      {editing ? (
        <NamesForm
          editing={editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            refreshDictionary();
            dictionary.reload();
          }}
        />
      ) : null}
    </Space>
  );
}

function NamesForm({ editing, onClose, onSaved }: { editing: Editing; onClose(): void; onSaved(): void }) {
  const { locale } = useI18n();
  const d = (key: DictionaryKey, params?: Record<string, string>) => dictionaryText(locale, key, params);
  const { message } = App.useApp();
  const [form] = Form.useForm<NamesValues>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const { kind, entry } = editing;
  const attribute = kind === 'attribute' ? (entry as AttributeEntry | undefined) : undefined;
  const initial: NamesValues = {
    code: entry?.code ?? '',
    zh: entry?.names?.['zh-CN'] ?? '',
    en: entry?.names?.['en-US'] ?? '',
    values:
      attribute?.values.map((v) => ({ code: v.code, zh: v.names['zh-CN'], en: v.names['en-US'] })) ?? [],
  };

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(undefined);
    const names = { 'zh-CN': v.zh, 'en-US': v.en };
    try {
      if (kind === 'category') await nameCategory(v.code, { names });
      else
        await nameAttribute(v.code, {
          names,
          values: (v.values ?? []).map((x) => ({ code: x.code, names: { 'zh-CN': x.zh, 'en-US': x.en } })),
        });
      message.success(d('dictionary.saved', { code: v.code }));
      onSaved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const name = (field: 'zh' | 'en', label: string, path: (string | number)[] = [field]) => (
    <Form.Item
      name={path}
      label={label || undefined}
      rules={[{ required: true, whitespace: true, max: 60 }]}
      style={{ marginBottom: 8 }}
    >
      <Input style={{ width: 200 }} data-testid={`dict-${path.join('-')}`} />
    </Form.Item>
  );

  return (
    <Modal
      open
      width={kind === 'attribute' ? 760 : 520}
      title={d(kind === 'category' ? 'dictionary.editCategory' : 'dictionary.editAttribute')}
      onCancel={onClose}
      onOk={submit}
      okText={d('dictionary.save')}
      okButtonProps={{ 'data-testid': 'dict-save' } as Record<string, string>}
      confirmLoading={busy}
    >
      <ErrorAlert error={error} />
      <Form<NamesValues> form={form} layout="vertical" initialValues={initial}>
        <Space wrap align="start">
          <Form.Item
            name="code"
            label={d('dictionary.code')}
            rules={[{ required: true, whitespace: true, max: kind === 'category' ? 50 : 64 }]}
          >
            <Input style={{ width: 160 }} disabled={entry !== undefined} data-testid="dict-code" />
          </Form.Item>
          {name('zh', d('dictionary.zh'))}
          {name('en', d('dictionary.en'))}
        </Space>
        {kind === 'attribute' ? (
          <>
            <Typography.Text strong>{d('dictionary.values')}</Typography.Text>
            <Form.List name="values">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((field) => (
                    <Space key={field.key} wrap align="start">
                      <Form.Item
                        name={[field.name, 'code']}
                        rules={[{ required: true, whitespace: true, max: 200 }]}
                        style={{ marginBottom: 8 }}
                      >
                        <Input placeholder={d('dictionary.code')} style={{ width: 140 }} />
                      </Form.Item>
                      {name('zh', '', ['values', field.name, 'zh'].slice(1))}
                      {name('en', '', ['values', field.name, 'en'].slice(1))}
                      <MinusCircleOutlined onClick={() => remove(field.name)} style={{ marginTop: 8 }} />
                    </Space>
                  ))}
                  <Button
                    type="dashed"
                    icon={<PlusOutlined />}
                    onClick={() => add({ code: '', zh: '', en: '' })}
                  >
                    {d('dictionary.addValue')}
                  </Button>
                </>
              )}
            </Form.List>
          </>
        ) : null}
      </Form>
    </Modal>
  );
}
