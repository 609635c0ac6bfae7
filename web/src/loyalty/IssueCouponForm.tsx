import { Alert, Button, Select, Space } from 'antd';
import { useState } from 'react';
import { useApi } from '../api/hooks';
import { type Coupon, type CouponTemplate, couponValue, issueCoupon, listTemplates } from '../api/loyalty';
import type { Member } from '../api/types';
import { ErrorAlert } from '../components/States';
import { formatDateTime, formatFen } from '../format';
import { useMoreI18n } from '../i18n/more';
import { MemberFinder } from '../members/MemberFinder';

/**
 * Issues one coupon to one member (`POST /v1/coupons`). From HQ any template; at a store (`store` given) only the
 * templates issuable in store, recorded as issued there — the server enforces both.
 */
export function IssueCouponForm({
  memberId,
  template,
  store,
  onIssued,
}: {
  memberId?: string;
  template?: CouponTemplate;
  store?: string;
  onIssued?(coupon: Coupon): void;
}) {
  const { t, locale } = useMoreI18n();
  const templates = useApi(
    template ? null : (signal) => listTemplates(store ? { issuableInStore: true } : {}, signal),
    [template, store],
  );
  const [chosen, setChosen] = useState<string>();
  const [member, setMember] = useState<Member>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [issued, setIssued] = useState<Coupon>();
  const now = Date.now();
  const usable = (templates.data?.items ?? []).filter((x) => Date.parse(x.validTo) > now);
  const templateCode = template?.code ?? chosen;
  const target = memberId ?? member?.id;

  const issue = async () => {
    if (!templateCode || !target) return;
    setBusy(true);
    setError(undefined);
    try {
      const coupon = await issueCoupon(templateCode, target, store);
      setIssued(coupon);
      onIssued?.(coupon);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="issue-coupon">
      {template ? null : (
        <Select
          size="large"
          style={{ width: '100%', maxWidth: 560 }}
          placeholder={store ? t('coupon.pickStoreTemplate') : t('coupon.pickTemplate')}
          loading={templates.loading}
          value={chosen}
          onChange={(code: string) => {
            setChosen(code);
            setIssued(undefined);
          }}
          data-testid="issue-coupon-template"
          notFoundContent={templates.loading ? t('common.loading') : t('coupon.noTemplates')}
          options={usable.map((x) => ({
            value: x.code,
            label: `${x.name} · ${couponValue(x, formatFen)}${x.minSpend ? ` · ${t('coupon.minSpendShort', { amount: formatFen(x.minSpend) })}` : ''}`,
          }))}
        />
      )}
      {templates.error ? <ErrorAlert error={templates.error} /> : null}
      {memberId ? null : (
        <MemberFinder
          member={member}
          onChange={(m) => {
            setMember(m);
            setIssued(undefined);
          }}
          testId="issue-coupon-member"
        />
      )}
      <ErrorAlert error={error} />
      <Button
        type="primary"
        size="large"
        disabled={!templateCode || !target}
        loading={busy}
        onClick={issue}
        data-testid="issue-coupon-submit"
      >
        {t('coupon.issue')}
      </Button>
      {issued ? (
        <Alert
          type="success"
          showIcon
          data-testid="issue-coupon-done"
          message={t('coupon.issuedDetail', { code: issued.code, name: issued.name })}
          description={t('coupon.validUntil', { time: formatDateTime(issued.validTo, locale, false) })}
        />
      ) : null}
    </Space>
  );
}
