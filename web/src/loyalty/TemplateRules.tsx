import { Tag } from 'antd';
import type { CouponTemplate } from '../api/loyalty';
import { formatFen } from '../format';
import { useCatalogNames, useTierName } from '../i18n/catalogNames';
import type { MoreTranslate } from '../i18n/more';
import { codeLabel } from '../orders/OrderParts';

/** Where and for whom a template applies, in short tags (an absent rule means no restriction). */
export function TemplateScope({ x, t }: { x: CouponTemplate; t: MoreTranslate }) {
  const names = useCatalogNames();
  const tierName = useTierName();
  const tags: string[] = [];
  if (x.minSpend) tags.push(t('coupon.minSpendShort', { amount: formatFen(x.minSpend) }));
  if (x.channels?.length) tags.push(x.channels.map((c) => codeLabel(t, 'channel', c)).join('/'));
  if (x.stores?.length) tags.push(`${t('coupon.stores')}: ${x.stores.join(', ')}`);
  if (x.skus?.length) tags.push(`SKU: ${x.skus.join(', ')}`);
  if (x.categories?.length)
    tags.push(`${t('coupon.categories')}: ${x.categories.map(names.category).join(', ')}`);
  if (x.tiers?.length) tags.push(`${t('coupon.tiers')}: ${x.tiers.map(tierName).join(', ')}`);
  return (
    <>
      {tags.length === 0 ? <span style={{ color: '#8c8c8c' }}>{t('coupon.noRestriction')}</span> : null}
      {tags.map((text) => (
        <Tag key={text}>{text}</Tag>
      ))}
      {x.stackable ? <Tag color="blue">{t('coupon.stackable')}</Tag> : null}
      {x.issuableInStore ? <Tag color="purple">{t('coupon.issuableInStore')}</Tag> : null}
      {x.claimable ? <Tag color="magenta">{t('coupon.claimable')}</Tag> : null}
      {x.pointsCost ? <Tag color="gold">{t('coupon.pointsCostN', { n: x.pointsCost })}</Tag> : null}
    </>
  );
}
