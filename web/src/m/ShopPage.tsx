import { RightOutlined } from '@ant-design/icons';
import { Card, Input, List, Space, Tag } from 'antd';
import { useNavigate, useSearchParams } from 'react-router';
import { searchSkus } from '../api/catalog';
import { useDictionary } from '../api/dictionary';
import { useApi } from '../api/hooks';
import { ErrorState, Loading } from '../components/States';
import { formatFen } from '../format';
import { useCatalogNames } from '../i18n/catalogNames';
import { useCatalogueI18n } from '../i18n/catalogue';
import { MobileHeader } from './MobileHeader';
import { shopMessages } from './shop.messages';

/**
 * 逛逛: the catalogue on her phone — search by name, code or barcode, or pick a category — each product's SKUs
 * (shade, size) with its price, opening the product page where she sees stock and orders. The search and the
 * category stay in the address, so going back from a product keeps her list.
 */
export default function ShopPage() {
  const { t } = useCatalogueI18n(shopMessages);
  const navigate = useNavigate();
  const names = useCatalogNames();
  const dictionary = useDictionary();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const category = params.get('category') ?? '';
  const store = params.get('store');
  const skus = useApi(
    (signal) => searchSkus({ limit: 50, ...(q ? { q } : {}), ...(category ? { category } : {}) }, signal),
    [q, category],
  );
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const categories = (dictionary?.categories ?? []).filter((c) => c.names !== null);

  return (
    <div style={{ paddingBottom: 24 }}>
      <MobileHeader title={t('m.shop')} onBack={() => navigate('/m')} />
      <div style={{ padding: 12 }}>
        <Input.Search
          allowClear
          defaultValue={q}
          placeholder={t('shop.searchHint')}
          onSearch={(value) => set('q', value.trim())}
          data-testid="m-search"
        />
        <Space size={[4, 8]} wrap style={{ marginTop: 12 }} data-testid="m-categories">
          <Tag.CheckableTag checked={!category} onChange={() => set('category', '')}>
            {t('shop.all')}
          </Tag.CheckableTag>
          {categories.map((c) => (
            <Tag.CheckableTag
              key={c.code}
              checked={category === c.code}
              onChange={(on) => set('category', on ? c.code : '')}
              data-testid={`m-category-${c.code}`}
            >
              {names.category(c.code)}
            </Tag.CheckableTag>
          ))}
        </Space>
      </div>
      {skus.error ? (
        <ErrorState error={skus.error} onRetry={skus.reload} />
      ) : !skus.data ? (
        <Loading />
      ) : (
        <Card size="small" style={{ margin: '0 12px' }}>
          <List
            dataSource={skus.data.items.filter((s) => s.active)}
            locale={{ emptyText: t('shop.none') }}
            data-testid="m-results"
            renderItem={(sku) => (
              <List.Item
                key={sku.code}
                style={{ cursor: 'pointer' }}
                onClick={() =>
                  navigate(`/m/sku/${encodeURIComponent(sku.code)}${store ? `?store=${store}` : ''}`)
                }
                extra={<RightOutlined style={{ color: '#bfbfbf' }} />}
                data-testid={`m-result-${sku.code}`}
              >
                <List.Item.Meta
                  title={sku.name}
                  description={
                    <Space size={4} wrap>
                      <span style={{ color: '#c8102e', fontWeight: 600 }}>{formatFen(sku.price)}</span>
                      <Tag>{names.category(sku.category)}</Tag>
                      {names.attributes(sku.attributes).map((a) => (
                        <Tag key={a.key}>{`${a.label}: ${a.value}`}</Tag>
                      ))}
                    </Space>
                  }
                />
              </List.Item>
            )}
          />
        </Card>
      )}
    </div>
  );
}
