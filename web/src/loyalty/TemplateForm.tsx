import { Button, Form, Input, InputNumber, Radio, Select, Space, Switch } from 'antd';
import { useState } from 'react';
import { useLocations } from '../api/catalog';
import { useDictionary } from '../api/dictionary';
import { useApi } from '../api/hooks';
import {
  CHANNELS,
  type Channel,
  type CouponKind,
  type CouponTemplate,
  createTemplate,
  getTiers,
  type NewCouponTemplate,
} from '../api/loyalty';
import { fromLocalInput, toLocalInput } from '../brandTime';
import { ErrorAlert } from '../components/States';
import { parseYuan } from '../format';
import { useCatalogNames } from '../i18n/catalogNames';
import { useMoreI18n } from '../i18n/more';
import { codeLabel } from '../orders/OrderParts';

interface Values {
  code: string;
  name: string;
  kind: CouponKind;
  amountYuan?: string;
  percent?: number;
  maxDiscountYuan?: string;
  minSpendYuan?: string;
  channels?: Channel[];
  stores?: string[];
  skus?: string[];
  categories?: string[];
  tiers?: string[];
  validFrom: string;
  validTo: string;
  validDays?: number | null;
  perMemberLimit?: number | null;
  totalLimit?: number | null;
  stackable: boolean;
  issuableInStore: boolean;
  claimable: boolean;
  pointsCost?: number | null;
  description?: string;
}

const money = (t: (k: 'loyalty.moneyRule') => string, required: boolean) => ({
  validator: (_: unknown, v: string | undefined) =>
    (!v && !required) || parseYuan(String(v ?? '')) !== undefined
      ? Promise.resolve()
      : Promise.reject(new Error(t('loyalty.moneyRule'))),
});

/** Every rule a coupon template can carry, as `POST /v1/coupon-templates` names them. */
export function TemplateForm({ onCreated }: { onCreated(template: CouponTemplate): void }) {
  const { t } = useMoreI18n();
  const dictionary = useDictionary();
  const names = useCatalogNames();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);
  const { locations } = useLocations();
  const tiers = useApi((signal) => getTiers(signal), []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const now = new Date();

  const submit = async (v: Values) => {
    const positive = (n: number | null | undefined) => (typeof n === 'number' && n > 0 ? n : undefined);
    const body: NewCouponTemplate = {
      code: v.code.trim(),
      name: v.name.trim(),
      kind: v.kind,
      value: v.kind === 'percent_off' ? (v.percent ?? 0) : (parseYuan(v.amountYuan ?? '') ?? 0),
      minSpend: parseYuan(v.minSpendYuan ?? '') ?? 0,
      validFrom: fromLocalInput(v.validFrom) ?? v.validFrom,
      validTo: fromLocalInput(v.validTo) ?? v.validTo,
      stackable: v.stackable,
      issuableInStore: v.issuableInStore,
      claimable: v.claimable,
      ...(v.kind === 'percent_off' && parseYuan(v.maxDiscountYuan ?? '')
        ? { maxDiscount: parseYuan(v.maxDiscountYuan ?? '') }
        : {}),
      ...(v.channels?.length ? { channels: v.channels } : {}),
      ...(v.stores?.length ? { stores: v.stores } : {}),
      ...(v.skus?.length ? { skus: v.skus.map((s) => s.trim()).filter(Boolean) } : {}),
      ...(v.categories?.length ? { categories: v.categories.map((s) => s.trim()).filter(Boolean) } : {}),
      ...(v.tiers?.length ? { tiers: v.tiers } : {}),
      ...(positive(v.validDays) ? { validDays: positive(v.validDays) } : {}),
      ...(positive(v.perMemberLimit) ? { perMemberLimit: positive(v.perMemberLimit) } : {}),
      ...(positive(v.totalLimit) ? { totalLimit: positive(v.totalLimit) } : {}),
      ...(positive(v.pointsCost) ? { pointsCost: positive(v.pointsCost) } : {}),
      ...(v.description?.trim() ? { description: v.description.trim() } : {}),
    };
    setBusy(true);
    setError(undefined);
    try {
      onCreated(await createTemplate(body));
      form.resetFields();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      onFinish={submit}
      data-testid="template-form"
      initialValues={{
        kind: 'amount_off',
        stackable: false,
        issuableInStore: false,
        claimable: false,
        validFrom: toLocalInput(now.toISOString()),
        validTo: toLocalInput(new Date(now.getTime() + 90 * 86_400_000).toISOString()),
      }}
    >
      <Space wrap align="start">
        <Form.Item
          name="code"
          label={t('common.code')}
          rules={[{ required: true, pattern: /^[A-Za-z0-9_-]{1,64}$/, message: t('coupon.codeRule') }]}
        >
          <Input style={{ width: 180 }} data-testid="template-code" />
        </Form.Item>
        <Form.Item name="name" label={t('common.name')} rules={[{ required: true, max: 100 }]}>
          <Input style={{ width: 280 }} data-testid="template-name" />
        </Form.Item>
      </Space>
      <Form.Item name="kind" label={t('coupon.kind')}>
        <Radio.Group
          optionType="button"
          options={[
            { value: 'amount_off', label: t('coupon.kind.amount_off') },
            { value: 'percent_off', label: t('coupon.kind.percent_off') },
          ]}
        />
      </Form.Item>
      <Space wrap align="start">
        {kind === 'percent_off' ? (
          <>
            <Form.Item name="percent" label={t('coupon.percentOff')} rules={[{ required: true }]}>
              <InputNumber min={1} max={99} precision={0} addonAfter="%" />
            </Form.Item>
            <Form.Item name="maxDiscountYuan" label={t('coupon.maxDiscount')} rules={[money(t, false)]}>
              <Input prefix="¥" style={{ width: 140 }} />
            </Form.Item>
          </>
        ) : (
          <Form.Item
            name="amountYuan"
            label={t('coupon.amountOff')}
            rules={[{ required: true }, money(t, true)]}
          >
            <Input prefix="¥" style={{ width: 140 }} data-testid="template-amount" />
          </Form.Item>
        )}
        <Form.Item name="minSpendYuan" label={t('coupon.minSpend')} rules={[money(t, false)]}>
          <Input prefix="¥" style={{ width: 140 }} />
        </Form.Item>
      </Space>
      <Space wrap align="start">
        <Form.Item name="channels" label={t('coupon.channels')} tooltip={t('coupon.emptyMeansAll')}>
          <Select
            mode="multiple"
            style={{ minWidth: 240 }}
            options={CHANNELS.map((c) => ({ value: c, label: codeLabel(t, 'channel', c) }))}
          />
        </Form.Item>
        <Form.Item name="stores" label={t('coupon.stores')} tooltip={t('coupon.emptyMeansAll')}>
          <Select
            mode="multiple"
            style={{ minWidth: 240 }}
            options={(locations ?? [])
              .filter((l) => l.kind === 'store')
              .map((l) => ({ value: l.code, label: `${l.code} · ${l.name}` }))}
          />
        </Form.Item>
        <Form.Item name="tiers" label={t('coupon.tiers')} tooltip={t('coupon.tiersHint')}>
          <Select
            mode="multiple"
            style={{ minWidth: 200 }}
            options={(tiers.data?.items ?? []).map((x) => ({ value: x.code, label: x.name }))}
          />
        </Form.Item>
      </Space>
      <Space wrap align="start">
        <Form.Item name="skus" label={t('coupon.skus')} tooltip={t('coupon.emptyMeansAll')}>
          <Select mode="tags" style={{ minWidth: 240 }} open={false} placeholder="LIP-VELVET-999" />
        </Form.Item>
        <Form.Item name="categories" label={t('coupon.categories')} tooltip={t('coupon.emptyMeansAll')}>
          <Select
            mode="tags"
            style={{ minWidth: 240 }}
            placeholder={names.category('lipstick')}
            options={(dictionary?.categories ?? []).map((c) => ({
              value: c.code,
              label: names.category(c.code),
            }))}
          />
        </Form.Item>
      </Space>
      <Space wrap align="start">
        <Form.Item name="validFrom" label={t('coupon.validFrom')} rules={[{ required: true }]}>
          <Input type="datetime-local" />
        </Form.Item>
        <Form.Item name="validTo" label={t('coupon.validTo')} rules={[{ required: true }]}>
          <Input type="datetime-local" />
        </Form.Item>
        <Form.Item name="validDays" label={t('coupon.validDays')} tooltip={t('coupon.validDaysHint')}>
          <InputNumber min={1} precision={0} />
        </Form.Item>
      </Space>
      <Space wrap align="start">
        <Form.Item name="perMemberLimit" label={t('coupon.perMemberLimit')}>
          <InputNumber min={1} precision={0} />
        </Form.Item>
        <Form.Item name="totalLimit" label={t('coupon.totalLimit')}>
          <InputNumber min={1} precision={0} />
        </Form.Item>
        <Form.Item name="pointsCost" label={t('coupon.pointsCost')} tooltip={t('coupon.pointsCostHint')}>
          <InputNumber min={1} precision={0} />
        </Form.Item>
      </Space>
      <Space wrap size="large">
        <Form.Item name="stackable" label={t('coupon.stackable')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item
          name="issuableInStore"
          label={t('coupon.issuableInStore')}
          tooltip={t('coupon.issuableInStoreHint')}
          valuePropName="checked"
        >
          <Switch />
        </Form.Item>
        <Form.Item
          name="claimable"
          label={t('coupon.claimable')}
          tooltip={t('coupon.claimableHint')}
          valuePropName="checked"
        >
          <Switch data-testid="template-claimable" />
        </Form.Item>
      </Space>
      <Form.Item name="description" label={t('coupon.description')}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
      <ErrorAlert error={error} />
      <Button type="primary" htmlType="submit" loading={busy} data-testid="template-submit">
        {t('coupon.createTemplate')}
      </Button>
    </Form>
  );
}
