import { Alert, Checkbox, Space, Switch, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { messageOf } from '../api/client';
import { type CouponOffer, type OrderQuote, type QuoteRequest, quoteOrder } from '../api/orders';
import { formatFen } from '../format';
import { useT } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';

/** What the customer chose: the coupons (null until she touches them: the best one is chosen for her) and points. */
export interface BenefitChoice {
  coupons: string[] | null;
  usePoints: boolean;
}

/** The best usable coupon, no points: what the checkout starts from. */
const PLAIN: BenefitChoice = { coupons: null, usePoints: false };

/**
 * The checkout's price as the server makes it, kept current as the basket and her choice change: first her
 * coupons ranked on the basket (the best usable one chosen until she chooses), then, with points switched on, the
 * most points that fit what the coupons leave. A choice the server refuses is undone, with
 * its reason.
 */
export function useCheckoutQuote(basket: Omit<QuoteRequest, 'couponCodes' | 'pointsToRedeem'> | null) {
  const [choice, setChoice] = useState<BenefitChoice>(PLAIN);
  const [quote, setQuote] = useState<OrderQuote>();
  const [refusal, setRefusal] = useState<string>();
  const [error, setError] = useState<unknown>();
  const key = basket === null ? null : JSON.stringify(basket);

  useEffect(() => {
    if (key === null) return;
    const request = JSON.parse(key) as QuoteRequest;
    const controller = new AbortController();
    const run = async () => {
      let q = await quoteOrder({ ...request, couponCodes: choice.coupons ?? [] }, controller.signal);
      if (choice.coupons === null) {
        const best = q.coupons.find((o) => o.applicable);
        if (best) q = await quoteOrder({ ...request, couponCodes: [best.coupon.code] }, controller.signal);
      }
      const points = q.points;
      if (choice.usePoints && points && points.maxPoints > 0) {
        q = await quoteOrder(
          { ...request, couponCodes: q.couponCodes, pointsToRedeem: points.maxPoints },
          controller.signal,
        );
      }
      return q;
    };
    run().then(
      (q) => {
        setQuote(q);
        setError(undefined);
      },
      (e: unknown) => {
        if (controller.signal.aborted) return;
        if (choice.coupons === null && !choice.usePoints) setError(e);
        else {
          // Her choice is refused (two coupons that do not combine, or a basket her coupon no longer fits): say
          // why and go back to the best coupon alone.
          setRefusal(messageOf(e));
          setChoice(PLAIN);
        }
      },
    );
    return () => controller.abort();
  }, [key, choice]);

  const change = (next: BenefitChoice) => {
    setRefusal(undefined);
    setChoice(next);
  };
  return { quote, choice, change, refusal, error };
}

/** Why a coupon does not apply to this basket, in her words. */
function reasonOf(t: ReturnType<typeof useT>, offer: CouponOffer): string {
  const rule = offer.rule ?? 'items';
  return t(`m.couponRule.${rule}` as MessageKey, { minSpend: formatFen(offer.coupon.minSpend) });
}

/** Her coupons and points at the checkout, and what she pays. */
export function CheckoutBenefits({
  quote,
  choice,
  onChange,
  refusal,
}: {
  quote: OrderQuote;
  choice: BenefitChoice;
  onChange(next: BenefitChoice): void;
  refusal: string | undefined;
}) {
  const t = useT();
  const chosen = new Set(quote.couponCodes);
  const points = quote.points;
  return (
    <div data-testid="m-benefits">
      {quote.coupons.length > 0 ? (
        <>
          <Typography.Text strong>{t('m.coupons')}</Typography.Text>
          <Space direction="vertical" style={{ width: '100%', margin: '8px 0 12px' }}>
            {quote.coupons.map((offer) => (
              <div key={offer.coupon.code} data-testid={`m-coupon-${offer.coupon.template}`}>
                <Checkbox
                  checked={chosen.has(offer.coupon.code)}
                  disabled={!offer.applicable}
                  onChange={(e) => {
                    const rest = quote.couponCodes.filter((c) => c !== offer.coupon.code);
                    onChange({ ...choice, coupons: e.target.checked ? [...rest, offer.coupon.code] : rest });
                  }}
                >
                  <span>{offer.coupon.name}</span>{' '}
                  {offer.applicable ? (
                    <Typography.Text type="danger">−{formatFen(offer.amount)}</Typography.Text>
                  ) : (
                    <Typography.Text type="secondary">{reasonOf(t, offer)}</Typography.Text>
                  )}
                </Checkbox>
              </div>
            ))}
          </Space>
        </>
      ) : null}
      {refusal ? (
        <Alert
          type="warning"
          showIcon
          message={refusal}
          style={{ marginBottom: 12 }}
          data-testid="m-refusal"
        />
      ) : null}
      {points && points.available > 0 ? (
        <Space style={{ justifyContent: 'space-between', width: '100%', marginBottom: 12 }}>
          <span>
            {points.maxPoints > 0
              ? t('m.usePoints', { points: points.maxPoints, amount: formatFen(points.maxAmount) })
              : t('m.pointsTooFew', { points: points.available })}
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {t('m.pointsHeld', { points: points.available, perYuan: points.perYuan })}
            </Typography.Text>
          </span>
          <Switch
            checked={choice.usePoints && points.redeemed > 0}
            disabled={points.maxPoints === 0}
            onChange={(on) => onChange({ coupons: quote.couponCodes, usePoints: on })}
            data-testid="m-use-points"
          />
        </Space>
      ) : null}
      <PriceLines quote={quote} />
    </div>
  );
}

function PriceLines({ quote }: { quote: OrderQuote }) {
  const t = useT();
  const row = (label: string, value: string, testId?: string) => (
    <Space style={{ justifyContent: 'space-between', width: '100%' }}>
      <Typography.Text type="secondary">{label}</Typography.Text>
      <span data-testid={testId}>{value}</span>
    </Space>
  );
  return (
    <Space direction="vertical" size={2} style={{ width: '100%', marginBottom: 12 }}>
      {row(t('m.itemsAmount'), formatFen(quote.totalAmount))}
      {quote.discountAmount > 0 ? row(t('m.couponDiscount'), `−${formatFen(quote.discountAmount)}`) : null}
      {quote.pointsAmount > 0 ? row(t('m.pointsDiscount'), `−${formatFen(quote.pointsAmount)}`) : null}
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <span>{t('m.toPay')}</span>
        <strong style={{ fontSize: 20 }} data-testid="m-payable">
          {formatFen(quote.payableAmount)}
        </strong>
      </Space>
    </Space>
  );
}
