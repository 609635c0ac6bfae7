import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, InputNumber, Select, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useDictionary } from '../api/dictionary';
import { useApi } from '../api/hooks';
import {
  type Campaign,
  CHANNELS,
  type EarningRules,
  getRules,
  getTiers,
  putRules,
  putTiers,
  type TierInput,
} from '../api/loyalty';
import { fromLocalInput, toLocalInput } from '../brandTime';
import { ErrorAlert, ErrorState, Loading } from '../components/States';
import { formatDateTime, formatFen, parseYuan } from '../format';
import { useCatalogNames } from '../i18n/catalogNames';
import { useMoreI18n } from '../i18n/more';
import { codeLabel } from '../orders/OrderParts';

interface TierRow {
  code: string;
  name: string;
  thresholdYuan: string;
  multiplier: number;
  benefits: string[];
}

const yuanText = (fen: number) => (fen % 100 === 0 ? String(fen / 100) : (fen / 100).toFixed(2));

/** Tiers by qualifying spend: base first, thresholds rising (the server checks and refuses otherwise). */
function TiersCard() {
  const { t } = useMoreI18n();
  const { message } = App.useApp();
  const tiers = useApi((signal) => getTiers(signal), []);
  const [form] = Form.useForm<{ tiers: TierRow[] }>();
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const startEdit = () => {
    form.setFieldsValue({
      tiers: (tiers.data?.items ?? []).map((x) => ({
        code: x.code,
        name: x.name,
        thresholdYuan: yuanText(x.threshold),
        multiplier: x.multiplier,
        benefits: x.benefits ?? [],
      })),
    });
    setError(undefined);
    setEditing(true);
  };

  const save = async (values: { tiers: TierRow[] }) => {
    setBusy(true);
    setError(undefined);
    try {
      const body: TierInput[] = values.tiers.map((row) => ({
        code: row.code.trim(),
        name: row.name.trim(),
        threshold: parseYuan(row.thresholdYuan) ?? 0,
        multiplier: row.multiplier,
        benefits: row.benefits ?? [],
      }));
      const saved = await putTiers(body);
      tiers.mutate(() => saved);
      setEditing(false);
      message.success(t('common.saved'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      title={t('loyalty.tiers')}
      extra={
        editing ? null : (
          <Button onClick={startEdit} disabled={!tiers.data} data-testid="tiers-edit">
            {t('common.edit')}
          </Button>
        )
      }
    >
      {tiers.loading && !tiers.data ? (
        <Loading />
      ) : tiers.error ? (
        <ErrorState error={tiers.error} onRetry={tiers.reload} />
      ) : editing ? (
        <Form form={form} layout="vertical" onFinish={save} data-testid="tiers-form">
          <Form.List name="tiers">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field, index) => (
                  <Space key={field.key} align="start" wrap style={{ display: 'flex', marginBottom: 4 }}>
                    <Form.Item
                      name={[field.name, 'code']}
                      label={index === 0 ? t('common.code') : undefined}
                      rules={[
                        { required: true, pattern: /^[a-z0-9_]{1,32}$/, message: t('loyalty.codeRule') },
                      ]}
                    >
                      <Input style={{ width: 140 }} />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'name']}
                      label={index === 0 ? t('common.name') : undefined}
                      rules={[{ required: true }]}
                    >
                      <Input style={{ width: 140 }} />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'thresholdYuan']}
                      label={index === 0 ? t('loyalty.thresholdYuan') : undefined}
                      rules={[
                        {
                          required: true,
                          validator: (_, v: string) =>
                            parseYuan(String(v ?? '')) === undefined
                              ? Promise.reject(new Error(t('loyalty.moneyRule')))
                              : Promise.resolve(),
                        },
                      ]}
                    >
                      <Input prefix="¥" style={{ width: 140 }} />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'multiplier']}
                      label={index === 0 ? t('loyalty.multiplier') : undefined}
                      rules={[{ required: true }]}
                    >
                      <InputNumber min={0} max={100} step={0.1} style={{ width: 100 }} />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'benefits']}
                      label={index === 0 ? t('loyalty.benefits') : undefined}
                    >
                      <Select mode="tags" style={{ width: 320 }} open={false} />
                    </Form.Item>
                    <MinusCircleOutlined
                      style={{ marginTop: index === 0 ? 38 : 8, color: '#8c8c8c' }}
                      onClick={() => remove(field.name)}
                      aria-label={t('loyalty.remove')}
                    />
                  </Space>
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ code: '', name: '', thresholdYuan: '', multiplier: 1, benefits: [] })}
                >
                  {t('loyalty.addTier')}
                </Button>
              </>
            )}
          </Form.List>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
            {t('loyalty.tiersHint')}
          </Typography.Paragraph>
          <ErrorAlert error={error} />
          <Space>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="tiers-save">
              {t('common.save')}
            </Button>
            <Button onClick={() => setEditing(false)}>{t('common.cancel')}</Button>
          </Space>
        </Form>
      ) : (
        <table style={{ width: '100%', borderCollapse: 'collapse' }} data-testid="tiers">
          <thead>
            <tr style={{ background: '#fafafa', textAlign: 'left' }}>
              <th style={{ padding: 8 }}>{t('common.name')}</th>
              <th style={{ padding: 8 }}>{t('common.code')}</th>
              <th style={{ padding: 8, textAlign: 'right' }}>{t('loyalty.threshold')}</th>
              <th style={{ padding: 8, textAlign: 'right' }}>{t('loyalty.multiplier')}</th>
              <th style={{ padding: 8 }}>{t('loyalty.benefits')}</th>
            </tr>
          </thead>
          <tbody>
            {(tiers.data?.items ?? []).map((x) => (
              <tr key={x.code} style={{ borderTop: '1px solid #f0f0f0' }}>
                <td style={{ padding: 8 }}>
                  <strong>{x.name}</strong>
                </td>
                <td style={{ padding: 8 }}>{x.code}</td>
                <td style={{ padding: 8, textAlign: 'right' }}>{formatFen(x.threshold)}</td>
                <td style={{ padding: 8, textAlign: 'right' }}>×{x.multiplier}</td>
                <td style={{ padding: 8 }}>
                  {(x.benefits ?? []).map((b) => (
                    <Tag key={b}>{b}</Tag>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

interface RulesForm {
  pointsPerYuan: number;
  redeemPointsPerYuan: number;
  returnWindowDays: number;
  expiryMode: 'year_end' | 'after';
  expiryYears?: number;
  expiryDays?: number;
  channels: Record<string, number | null>;
  categories: { category: string; multiplier: number }[];
  campaigns: {
    name: string;
    multiplier: number;
    from: string;
    to: string;
    /** The saved instants: kept when the minute shown was not changed (the input has no seconds). */
    savedFrom?: string;
    savedTo?: string;
    channels?: string[];
    categories?: string[];
  }[];
}

function toForm(rules: EarningRules): RulesForm {
  return {
    pointsPerYuan: rules.pointsPerYuan,
    redeemPointsPerYuan: rules.redeemPointsPerYuan,
    returnWindowDays: Math.round((rules.returnWindowSeconds / 86_400) * 100) / 100,
    expiryMode: rules.expiry.mode,
    expiryYears: rules.expiry.mode === 'year_end' ? (rules.expiry.years ?? 1) : 1,
    expiryDays: rules.expiry.mode === 'after' ? Math.round((rules.expiry.seconds ?? 0) / 86_400) : 365,
    channels: Object.fromEntries(CHANNELS.map((c) => [c, rules.channels[c] ?? null])),
    categories: Object.entries(rules.categories).map(([category, multiplier]) => ({ category, multiplier })),
    campaigns: rules.campaigns.map((c) => ({
      name: c.name,
      multiplier: c.multiplier,
      from: toLocalInput(c.from),
      to: toLocalInput(c.to),
      savedFrom: c.from,
      savedTo: c.to,
      channels: c.channels ?? [],
      categories: c.categories ?? [],
    })),
  };
}

function fromForm(values: RulesForm): Partial<EarningRules> {
  const channels: Record<string, number> = {};
  for (const [c, m] of Object.entries(values.channels ?? {})) if (typeof m === 'number') channels[c] = m;
  const categories: Record<string, number> = {};
  for (const row of values.categories ?? [])
    if (row?.category?.trim()) categories[row.category.trim()] = row.multiplier;
  const campaigns: Campaign[] = (values.campaigns ?? []).map((c) => ({
    name: c.name.trim(),
    multiplier: c.multiplier,
    from:
      c.savedFrom && toLocalInput(c.savedFrom) === c.from ? c.savedFrom : (fromLocalInput(c.from) ?? c.from),
    to: c.savedTo && toLocalInput(c.savedTo) === c.to ? c.savedTo : (fromLocalInput(c.to) ?? c.to),
    ...(c.channels?.length ? { channels: c.channels as Campaign['channels'] } : {}),
    ...(c.categories?.length ? { categories: c.categories } : {}),
  }));
  return {
    pointsPerYuan: values.pointsPerYuan,
    redeemPointsPerYuan: values.redeemPointsPerYuan,
    returnWindowSeconds: Math.round(values.returnWindowDays * 86_400),
    expiry:
      values.expiryMode === 'after'
        ? { mode: 'after', seconds: Math.max(1, Math.round((values.expiryDays ?? 365) * 86_400)) }
        : { mode: 'year_end', years: values.expiryYears ?? 1 },
    channels,
    categories,
    campaigns,
  };
}

/** How points are earned, spent and expire; campaigns with their windows in brand time. */
function RulesCard() {
  const { t, locale } = useMoreI18n();
  const names = useCatalogNames();
  const dictionary = useDictionary();
  // Categories are picked by their names from the brand's dictionary (a code the dictionary lacks shows as itself).
  const categoryOptions = (dictionary?.categories ?? []).map((c) => ({
    value: c.code,
    label: names.category(c.code),
  }));
  const { message } = App.useApp();
  const [rules, setRules] = useState<EarningRules>();
  const [loadError, setLoadError] = useState<unknown>();
  const [version, setVersion] = useState(0);
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [form] = Form.useForm<RulesForm>();
  const expiryMode = Form.useWatch('expiryMode', form);

  // biome-ignore lint/correctness/useExhaustiveDependencies: version reloads on demand
  useEffect(() => {
    let live = true;
    setLoadError(undefined);
    getRules().then(
      (r) => live && setRules(r),
      (e: unknown) => live && setLoadError(e),
    );
    return () => {
      live = false;
    };
  }, [version]);

  const save = async (values: RulesForm) => {
    setBusy(true);
    setError(undefined);
    try {
      setRules(await putRules(fromForm(values)));
      setEditing(false);
      message.success(t('common.saved'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const channelOptions = CHANNELS.map((c) => ({ value: c, label: codeLabel(t, 'channel', c) }));
  return (
    <Card
      title={t('loyalty.rules')}
      extra={
        editing ? null : (
          <Button
            disabled={!rules}
            data-testid="rules-edit"
            onClick={() => {
              if (rules) form.setFieldsValue(toForm(rules));
              setError(undefined);
              setEditing(true);
            }}
          >
            {t('common.edit')}
          </Button>
        )
      }
    >
      {loadError ? (
        <ErrorState error={loadError} onRetry={() => setVersion((v) => v + 1)} />
      ) : !rules ? (
        <Loading />
      ) : editing ? (
        <Form form={form} layout="vertical" onFinish={save} data-testid="rules-form">
          <Space wrap size="large" align="start">
            <Form.Item name="pointsPerYuan" label={t('loyalty.pointsPerYuan')} rules={[{ required: true }]}>
              <InputNumber min={0} max={1000} step={0.1} />
            </Form.Item>
            <Form.Item
              name="redeemPointsPerYuan"
              label={t('loyalty.redeemPointsPerYuan')}
              rules={[{ required: true }]}
            >
              <InputNumber min={1} max={100000} precision={0} />
            </Form.Item>
            <Form.Item
              name="returnWindowDays"
              label={t('loyalty.returnWindowDays')}
              rules={[{ required: true }]}
            >
              <InputNumber min={0} max={366} />
            </Form.Item>
            <Form.Item name="expiryMode" label={t('loyalty.expiry')}>
              <Select
                style={{ width: 200 }}
                options={[
                  { value: 'year_end', label: t('loyalty.expiry.year_end') },
                  { value: 'after', label: t('loyalty.expiry.after') },
                ]}
              />
            </Form.Item>
            {expiryMode === 'after' ? (
              <Form.Item name="expiryDays" label={t('loyalty.expiryDays')}>
                <InputNumber min={1} max={3650} precision={0} />
              </Form.Item>
            ) : (
              <Form.Item name="expiryYears" label={t('loyalty.expiryYears')}>
                <InputNumber min={0} max={10} precision={0} />
              </Form.Item>
            )}
          </Space>
          <Typography.Title level={5}>{t('loyalty.channelMultipliers')}</Typography.Title>
          <Space wrap size="middle">
            {CHANNELS.map((c) => (
              <Form.Item key={c} name={['channels', c]} label={codeLabel(t, 'channel', c)}>
                <InputNumber min={0} max={100} step={0.1} placeholder="1" />
              </Form.Item>
            ))}
          </Space>
          <Typography.Title level={5}>{t('loyalty.categoryMultipliers')}</Typography.Title>
          <Form.List name="categories">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field) => (
                  <Space key={field.key} align="start">
                    <Form.Item name={[field.name, 'category']} rules={[{ required: true }]}>
                      <Select
                        showSearch
                        data-testid={`rules-category-${field.name}`}
                        placeholder={t('loyalty.category')}
                        style={{ width: 180 }}
                        options={categoryOptions}
                        optionFilterProp="label"
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, 'multiplier']} rules={[{ required: true }]}>
                      <InputNumber min={0} max={100} step={0.1} />
                    </Form.Item>
                    <MinusCircleOutlined style={{ marginTop: 8 }} onClick={() => remove(field.name)} />
                  </Space>
                ))}
                <Form.Item>
                  <Button
                    type="dashed"
                    icon={<PlusOutlined />}
                    onClick={() => add({ category: '', multiplier: 1 })}
                  >
                    {t('loyalty.addCategory')}
                  </Button>
                </Form.Item>
              </>
            )}
          </Form.List>
          <Typography.Title level={5}>{t('loyalty.campaigns')}</Typography.Title>
          <Form.List name="campaigns">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field) => (
                  <Card key={field.key} size="small" style={{ marginBottom: 8 }}>
                    <Space wrap align="start">
                      <Form.Item
                        name={[field.name, 'name']}
                        label={t('common.name')}
                        rules={[{ required: true }]}
                      >
                        <Input style={{ width: 200 }} />
                      </Form.Item>
                      <Form.Item
                        name={[field.name, 'multiplier']}
                        label={t('loyalty.multiplier')}
                        rules={[{ required: true }]}
                      >
                        <InputNumber min={0} max={100} step={0.1} />
                      </Form.Item>
                      <Form.Item
                        name={[field.name, 'from']}
                        label={t('loyalty.from')}
                        rules={[{ required: true }]}
                      >
                        <Input type="datetime-local" />
                      </Form.Item>
                      <Form.Item
                        name={[field.name, 'to']}
                        label={t('loyalty.to')}
                        rules={[{ required: true }]}
                      >
                        <Input type="datetime-local" />
                      </Form.Item>
                      <Form.Item name={[field.name, 'channels']} label={t('coupon.channels')}>
                        <Select mode="multiple" style={{ minWidth: 200 }} options={channelOptions} />
                      </Form.Item>
                      <Form.Item name={[field.name, 'categories']} label={t('coupon.categories')}>
                        <Select mode="multiple" style={{ minWidth: 200 }} options={categoryOptions} />
                      </Form.Item>
                      <Form.Item name={[field.name, 'savedFrom']} hidden>
                        <Input />
                      </Form.Item>
                      <Form.Item name={[field.name, 'savedTo']} hidden>
                        <Input />
                      </Form.Item>
                      <MinusCircleOutlined style={{ marginTop: 38 }} onClick={() => remove(field.name)} />
                    </Space>
                  </Card>
                ))}
                <Form.Item>
                  <Button
                    type="dashed"
                    icon={<PlusOutlined />}
                    onClick={() =>
                      add({ name: '', multiplier: 2, from: '', to: '', channels: [], categories: [] })
                    }
                  >
                    {t('loyalty.addCampaign')}
                  </Button>
                </Form.Item>
              </>
            )}
          </Form.List>
          <Typography.Paragraph type="secondary">{t('loyalty.timesInBrandZone')}</Typography.Paragraph>
          <ErrorAlert error={error} />
          <Space>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="rules-save">
              {t('common.save')}
            </Button>
            <Button onClick={() => setEditing(false)}>{t('common.cancel')}</Button>
          </Space>
        </Form>
      ) : (
        <div data-testid="rules">
          <Space wrap size="large">
            <span>
              {t('loyalty.pointsPerYuan')}: <strong>{rules.pointsPerYuan}</strong>
            </span>
            <span>
              {t('loyalty.redeemPointsPerYuan')}: <strong>{rules.redeemPointsPerYuan}</strong>
            </span>
            <span>
              {t('loyalty.returnWindowDays')}:{' '}
              <strong>{Math.round((rules.returnWindowSeconds / 86_400) * 100) / 100}</strong>
            </span>
            <span>
              {t('loyalty.expiry')}:{' '}
              <strong>
                {rules.expiry.mode === 'year_end'
                  ? t('loyalty.expiryYearEndN', { n: rules.expiry.years ?? 1 })
                  : t('loyalty.expiryAfterN', { n: Math.round((rules.expiry.seconds ?? 0) / 86_400) })}
              </strong>
            </span>
          </Space>
          <div style={{ marginTop: 12 }}>
            {t('loyalty.channelMultipliers')}:{' '}
            {Object.keys(rules.channels).length === 0
              ? t('loyalty.allOne')
              : Object.entries(rules.channels).map(([c, m]) => (
                  <Tag key={c}>
                    {codeLabel(t, 'channel', c)} ×{m}
                  </Tag>
                ))}
          </div>
          <div style={{ marginTop: 8 }}>
            {t('loyalty.categoryMultipliers')}:{' '}
            {Object.keys(rules.categories).length === 0
              ? t('loyalty.allOne')
              : Object.entries(rules.categories).map(([c, m]) => (
                  <Tag key={c}>
                    {names.category(c)} ×{m}
                  </Tag>
                ))}
          </div>
          <div style={{ marginTop: 8 }}>
            {t('loyalty.campaigns')}: {rules.campaigns.length === 0 ? t('loyalty.noCampaigns') : null}
            {rules.campaigns.map((c) => {
              const running = Date.parse(c.from) <= Date.now() && Date.now() < Date.parse(c.to);
              return (
                <div key={`${c.name}-${c.from}`} style={{ marginTop: 4 }}>
                  <Tag color={running ? 'green' : undefined}>
                    {running ? t('loyalty.running') : t('loyalty.notRunning')}
                  </Tag>
                  <strong>{c.name}</strong> ×{c.multiplier} · {formatDateTime(c.from, locale, false)} –{' '}
                  {formatDateTime(c.to, locale, false)}
                  {c.channels?.length
                    ? ` · ${c.channels.map((x) => codeLabel(t, 'channel', x)).join(', ')}`
                    : ''}
                  {c.categories?.length ? ` · ${c.categories.join(', ')}` : ''}
                </div>
              );
            })}
          </div>
        </div>
      )}
    </Card>
  );
}

/** HQ loyalty: tiers and the earning rules, read and edited by admin and ops. */
export default function LoyaltyPage() {
  const { t } = useMoreI18n();
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
        {t('nav.loyalty')}
      </Typography.Title>
      <TiersCard />
      <RulesCard />
    </Space>
  );
}
