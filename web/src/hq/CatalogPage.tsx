import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Modal, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { createProduct, getProduct, type ProductSummary, searchProducts } from '../api/catalog';
import { useApi } from '../api/hooks';
import type { Sku } from '../api/types';
import { useSession } from '../auth/AuthProvider';
import { can } from '../auth/roles';
import { ErrorAlert, ErrorState, Loading } from '../components/States';
import { formatFen, parseYuan } from '../format';
import { useCatalogNames } from '../i18n/catalogNames';
import { dictionaryText } from '../i18n/dictionaryMessages';
import { useI18n, useT } from '../i18n/I18nProvider';
import { CatalogDictionary } from './CatalogDictionary';

/** The catalog: products with their SKUs, and the dictionary that names their categories and attributes. */
export default function CatalogPage() {
  const t = useT();
  const { locale } = useI18n();
  const session = useSession();
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('catalog.title')}
      </Typography.Title>
      <Tabs
        items={[
          { key: 'products', label: dictionaryText(locale, 'dictionary.products'), children: <Products /> },
          {
            key: 'dictionary',
            label: <span data-testid="tab-dictionary">{dictionaryText(locale, 'dictionary.tab')}</span>,
            children: <CatalogDictionary editable={can(session.role, 'catalog.manage')} />,
          },
        ]}
      />
    </Space>
  );
}

/** Products (SPU) with their SKUs: search, look inside, create. */
function Products() {
  const t = useT();
  const session = useSession();
  const names = useCatalogNames();
  const [q, setQ] = useState('');
  const [cursor, setCursor] = useState<string>();
  const [creating, setCreating] = useState(false);
  const list = useApi(
    (signal) => searchProducts({ ...(q ? { q } : {}), limit: 50, ...(cursor ? { cursor } : {}) }, signal),
    [q, cursor],
  );

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
        {can(session.role, 'catalog.manage') ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('catalog.new')}
          </Button>
        ) : null}
      </Space>
      <Input.Search
        allowClear
        placeholder={t('catalog.search')}
        style={{ maxWidth: 360 }}
        onSearch={(value) => {
          setCursor(undefined);
          setQ(value.trim());
        }}
      />
      {list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : (
        <Table<ProductSummary>
          rowKey="code"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: t('catalog.empty') }}
          expandable={{ expandedRowRender: (p) => <ProductSkus code={p.code} /> }}
          columns={[
            { title: t('common.code'), dataIndex: 'code' },
            { title: t('common.name'), dataIndex: 'name' },
            {
              title: t('catalog.category'),
              dataIndex: 'category',
              render: (c: string) => (
                <Tag title={c} data-testid={`category-${c}`}>
                  {names.category(c)}
                </Tag>
              ),
            },
            { title: t('catalog.skuCount'), dataIndex: 'skuCount', render: (n?: number) => n ?? '—' },
            {
              title: t('common.actions'),
              key: 'stock',
              render: (_: unknown, p: ProductSummary) => (
                <Link to={`/hq/inventory?product=${encodeURIComponent(p.code)}`}>
                  {t('catalog.viewStock')}
                </Link>
              ),
            },
          ]}
        />
      )}
      <Space>
        <Button disabled={!cursor} onClick={() => setCursor(undefined)}>
          {t('common.firstPage')}
        </Button>
        <Button
          disabled={!list.data?.nextCursor}
          onClick={() => setCursor(list.data?.nextCursor ?? undefined)}
        >
          {t('common.nextPage')}
        </Button>
      </Space>
      {creating ? (
        <ProductForm
          onClose={() => setCreating(false)}
          onCreated={() => {
            setCreating(false);
            list.reload();
          }}
        />
      ) : null}
    </Space>
  );
}

function ProductSkus({ code }: { code: string }) {
  const t = useT();
  const names = useCatalogNames();
  const product = useApi((signal) => getProduct(code, signal), [code]);
  if (product.loading) return <Loading />;
  if (product.error) return <ErrorState error={product.error} onRetry={product.reload} />;
  return (
    <Table<Sku>
      size="small"
      rowKey="code"
      pagination={false}
      dataSource={product.data?.skus ?? []}
      locale={{ emptyText: t('catalog.noSkus') }}
      columns={[
        {
          title: 'SKU',
          dataIndex: 'code',
          render: (c: string) => <Link to={`/hq/inventory/${encodeURIComponent(c)}`}>{c}</Link>,
        },
        { title: t('common.name'), dataIndex: 'name' },
        { title: t('catalog.price'), dataIndex: 'price', render: (p: number) => formatFen(p) },
        { title: t('catalog.barcode'), dataIndex: 'barcode', render: (b?: string | null) => b ?? '—' },
        {
          title: t('catalog.attributes'),
          dataIndex: 'attributes',
          render: (a?: Record<string, unknown>) =>
            names.attributes(a).map((x) => <Tag key={x.key}>{`${x.label}: ${x.value}`}</Tag>),
        },
      ]}
    />
  );
}

interface SkuValues {
  code: string;
  name: string;
  price: string;
  barcode?: string;
  attributes?: string;
}

interface ProductValues {
  code: string;
  name: string;
  category: string;
  description?: string;
  skus: SkuValues[];
}

/** "shade=999, finish=matte" → {shade: "999", finish: "matte"} */
function parseAttributes(text: string | undefined): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const part of (text ?? '').split(/[,，;；]/)) {
    const [key, ...rest] = part.split(/[=:：]/);
    if (key?.trim() && rest.length > 0) attributes[key.trim()] = rest.join('=').trim();
  }
  return attributes;
}

function ProductForm({ onClose, onCreated }: { onClose(): void; onCreated(): void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<ProductValues>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(undefined);
    try {
      await createProduct({
        code: v.code,
        name: v.name,
        category: v.category,
        ...(v.description ? { description: v.description } : {}),
        skus: (v.skus ?? []).map((s) => ({
          code: s.code,
          name: s.name,
          price: parseYuan(s.price) ?? 0,
          ...(s.barcode ? { barcode: s.barcode } : {}),
          attributes: parseAttributes(s.attributes),
        })),
      });
      message.success(t('common.saved'));
      onCreated();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      width={820}
      title={t('catalog.new')}
      onCancel={onClose}
      onOk={submit}
      okText={t('common.save')}
      confirmLoading={busy}
    >
      <ErrorAlert error={error} />
      <Form<ProductValues> form={form} layout="vertical" initialValues={{ skus: [{}] }}>
        <Space wrap>
          <Form.Item
            name="code"
            label={t('common.code')}
            rules={[{ required: true, pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/ }]}
          >
            <Input style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="name" label={t('common.name')} rules={[{ required: true, max: 200 }]}>
            <Input style={{ width: 280 }} />
          </Form.Item>
          <Form.Item name="category" label={t('catalog.category')} rules={[{ required: true, max: 50 }]}>
            <Input style={{ width: 160 }} />
          </Form.Item>
        </Space>
        <Form.Item name="description" label={t('catalog.description')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Card size="small" title="SKU">
          <Form.List name="skus">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field) => (
                  <Space key={field.key} align="baseline" wrap>
                    <Form.Item
                      name={[field.name, 'code']}
                      rules={[{ required: true, pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/ }]}
                    >
                      <Input placeholder={t('common.code')} style={{ width: 140 }} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'name']} rules={[{ required: true }]}>
                      <Input placeholder={t('common.name')} style={{ width: 180 }} />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'price']}
                      rules={[
                        { required: true, message: t('catalog.priceRule') },
                        {
                          validator: (_, value: string) =>
                            value === undefined || value === '' || parseYuan(value) !== undefined
                              ? Promise.resolve()
                              : Promise.reject(new Error(t('catalog.priceRule'))),
                        },
                      ]}
                    >
                      <Input prefix="¥" placeholder="129.00" style={{ width: 110 }} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'barcode']}>
                      <Input placeholder={t('catalog.barcode')} style={{ width: 140 }} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'attributes']}>
                      <Input placeholder="shade=999, size=3.5g" style={{ width: 170 }} />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(field.name)} />
                  </Space>
                ))}
                <Button type="dashed" onClick={() => add({})} icon={<PlusOutlined />}>
                  {t('catalog.addSku')}
                </Button>
              </>
            )}
          </Form.List>
        </Card>
      </Form>
    </Modal>
  );
}
