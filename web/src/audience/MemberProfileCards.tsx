import { Card, Col, Descriptions, Row, Tag, Typography } from 'antd';
import type { MemberRfmScore, MemberTraits } from '../api/audience';
import { useLocations } from '../api/catalog';
import { formatDateTime, formatFen } from '../format';
import { useCatalogNames } from '../i18n/catalogNames';
import { useCatalogueI18n } from '../i18n/catalogue';
import type { MessageKey } from '../i18n/messages';
import { type AudienceKey, audienceMessages } from './audience.messages';

/** The member's computed profile (traits) and her RFM segments, beside the rest of her 360 view. */
export function MemberProfileCards({
  traits,
  rfm,
}: {
  traits: MemberTraits | null | undefined;
  rfm: MemberRfmScore[] | undefined;
}) {
  const { t, locale } = useCatalogueI18n(audienceMessages);
  const names = useCatalogNames();
  const { locations } = useLocations();
  const store = (code: string) => locations?.find((l) => l.code === code)?.name ?? code;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={14}>
        <Card size="small" title={t('profile.traits')} data-testid="member-traits">
          {!traits ? (
            <Typography.Text type="secondary">{t('profile.noTraits')}</Typography.Text>
          ) : (
            <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
              <Descriptions.Item label={t('profile.orders')}>{traits.orderCount}</Descriptions.Item>
              <Descriptions.Item label={t('profile.spend')}>{formatFen(traits.spend)}</Descriptions.Item>
              <Descriptions.Item label={t('profile.spend365')}>
                {formatFen(traits.spend365)}
              </Descriptions.Item>
              <Descriptions.Item label={t('profile.averageOrder')}>
                {formatFen(traits.averageOrder)}
              </Descriptions.Item>
              <Descriptions.Item label={t('profile.lastOrder')}>
                {traits.lastOrderAt ? formatDateTime(traits.lastOrderAt, locale) : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('profile.returnRate')}>
                {`${(traits.returnRate * 100).toFixed(1)}%`}
              </Descriptions.Item>
              <Descriptions.Item label={t('profile.channels')}>
                {traits.channels.map((c) => t(`channel.${c}` as MessageKey)).join(' · ') || '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('profile.homeStore')}>
                {traits.homeStore ? store(traits.homeStore) : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('profile.topCategories')}>
                {traits.topCategories.map((c) => (
                  <Tag key={c}>{names.category(c)}</Tag>
                ))}
              </Descriptions.Item>
              <Descriptions.Item label={t('profile.trials')}>{traits.trialCount}</Descriptions.Item>
              <Descriptions.Item label={t('profile.lastSeen')}>
                {traits.lastSeenAt ? formatDateTime(traits.lastSeenAt, locale) : '—'}
              </Descriptions.Item>
            </Descriptions>
          )}
        </Card>
      </Col>
      <Col xs={24} lg={10}>
        <Card size="small" title={t('profile.rfm')} data-testid="member-rfm">
          {!rfm?.length ? (
            <Typography.Text type="secondary">{t('profile.noRfm')}</Typography.Text>
          ) : (
            rfm.map((s) => (
              <div key={s.runId} style={{ marginBottom: 8 }}>
                <Tag color="purple">{t(`segment.${s.segment}` as AudienceKey)}</Tag>
                <Typography.Text type="secondary">
                  {t('profile.rfmScores', { r: s.rScore, f: s.fScore, m: s.mScore, days: s.recency })}
                </Typography.Text>
              </div>
            ))
          )}
        </Card>
      </Col>
    </Row>
  );
}
