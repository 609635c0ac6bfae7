import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  List,
  Modal,
  Popconfirm,
  Progress,
  Row,
  Space,
  Tag,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { messageOf } from '../api/client';
import { useApi } from '../api/hooks';
import { couponValue } from '../api/loyalty';
import { getMember, type Member, memberLabel, mergesOf, unmerge as unmergeMember } from '../api/members';
import { MemberProfileCards } from '../audience/MemberProfileCards';
import { MemberTagsCard } from '../audience/MemberTagsCard';
import { useSession } from '../auth/AuthProvider';
import { can } from '../auth/roles';
import { SimpleTable } from '../components/SimpleTable';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { formatDateTime, formatFen } from '../format';
import { fixedLabel, resultText, traitText } from '../i18n/dictionaryMessages';
import { useMoreI18n } from '../i18n/more';
import { IssueCouponForm } from '../loyalty/IssueCouponForm';
import { PointsLedger } from '../loyalty/PointsLedger';
import { codeLabel, OrderStatusTag } from '../orders/OrderParts';
import { tierName } from './MemberLookup';

/**
 * The member's 360 view: identifiers, tier and points, consents, coupons, trials and favourites, orders of every
 * channel, returns and appointments. HQ opens orders and the points ledger on their own pages; a store sees the
 * ledger in place and opens orders in its order lookup.
 */
export function Member360({ id }: { id: string }) {
  const { t, locale } = useMoreI18n();
  const { message } = App.useApp();
  const session = useSession();
  const member = useApi((signal) => getMember(id, signal), [id]);
  const hq = can(session.role, 'identity.review');
  const merges = useApi(hq ? (signal) => mergesOf(id, signal) : null, [id, hq]);
  const mergeList = merges.data?.items ?? [];
  const [issuing, setIssuing] = useState(false);
  const [ledgerOpen, setLedgerOpen] = useState(false);

  if (member.loading && !member.data) return <Loading />;
  if (member.error || !member.data) return <ErrorState error={member.error} onRetry={member.reload} />;
  const m = member.data;
  const tier = m.tier;
  const orderLink = (orderId: string) =>
    hq ? `/hq/orders/${encodeURIComponent(orderId)}` : `/store/orders?id=${encodeURIComponent(orderId)}`;

  const unmerge = async (mergeId: string) => {
    try {
      await unmergeMember(m.id, mergeId);
      message.success(t('member.unmerged'));
      member.reload();
      merges.reload();
    } catch (e) {
      message.error(messageOf(e));
    }
  };

  return (
    <Space
      direction="vertical"
      size="middle"
      style={{ width: '100%' }}
      data-testid="member-360"
      data-member={m.id}
    >
      <Card
        size="small"
        title={
          <span data-testid="member-title" title={m.id}>
            {t('member.title')} {memberLabel(m)}
          </span>
        }
      >
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('member.tier')}>
            <span data-testid="member-tier">{tierName(m.tier) ?? '—'}</span>
            {tier ? ` · ×${tier.multiplier}` : ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('member.points')}>
            {m.points ? (
              <Space size={4} wrap>
                <strong data-testid="member-points">{m.points.available}</strong>
                <span style={{ color: '#8c8c8c' }}>
                  ({t('member.pendingPoints')} {m.points.pending})
                </span>
                {hq ? (
                  <Link
                    to={`/hq/members/${encodeURIComponent(m.id)}/points`}
                    data-testid="member-points-link"
                  >
                    {t('points.ledgerLink')}
                  </Link>
                ) : (
                  <Button type="link" size="small" onClick={() => setLedgerOpen(true)}>
                    {t('points.ledgerLink')}
                  </Button>
                )}
              </Space>
            ) : (
              '—'
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('common.status')}>
            {fixedLabel(locale, 'member.status', m.status)}
          </Descriptions.Item>
          {tier ? (
            <Descriptions.Item label={t('member360.qualifyingSpend')} span={3}>
              <Space wrap>
                <span>{formatFen(tier.qualifyingSpend)}</span>
                {tier.next ? (
                  <>
                    <Progress
                      style={{ width: 200, margin: 0 }}
                      size="small"
                      percent={Math.min(100, Math.floor((tier.qualifyingSpend / tier.next.threshold) * 100))}
                      showInfo={false}
                    />
                    <span style={{ color: '#8c8c8c' }}>
                      {t('member360.toNextTier', {
                        amount: formatFen(tier.next.missing),
                        tier: tier.next.name,
                      })}
                    </span>
                  </>
                ) : (
                  <Tag color="gold">{t('member360.topTier')}</Tag>
                )}
                {(tier.benefits ?? []).map((b) => (
                  <Tag key={b}>{b}</Tag>
                ))}
              </Space>
            </Descriptions.Item>
          ) : null}
          <Descriptions.Item label={t('member.identifiers')} span={3}>
            <Space wrap size={4}>
              {(m.identifiers ?? []).map((i) => (
                <Tag key={`${i.type}:${i.value}`} color={i.verified ? 'green' : undefined}>
                  {codeLabel(t, 'identifier', i.type)}: {i.value}
                </Tag>
              ))}
            </Space>
          </Descriptions.Item>
          {Object.entries(m.traits ?? {}).map(([k, v]) => {
            const trait = traitText(locale, k, v);
            return (
              <Descriptions.Item key={k} label={trait.label}>
                <span data-testid={`member-trait-${k}`}>{trait.value}</span>
              </Descriptions.Item>
            );
          })}
        </Descriptions>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card
            size="small"
            title={t('member360.coupons')}
            extra={
              <Button
                size="small"
                type="primary"
                onClick={() => setIssuing(true)}
                data-testid="member-issue-coupon"
              >
                {t('coupon.issue')}
              </Button>
            }
          >
            {(m.coupons ?? []).length === 0 ? (
              <EmptyState description={t('member.noCoupons')} />
            ) : (
              <List
                size="small"
                dataSource={m.coupons ?? []}
                data-testid="member-coupons"
                renderItem={(c) => (
                  <List.Item>
                    <Space wrap size={4}>
                      <strong>{c.name}</strong>
                      <span>{couponValue(c, formatFen)}</span>
                      <Tag>{c.code}</Tag>
                      <Tag color={c.status === 'issued' ? 'green' : undefined}>
                        {codeLabel(t, 'coupon.status', c.status)}
                      </Tag>
                      <span style={{ color: '#8c8c8c', fontSize: 12 }}>
                        {t('coupon.validUntil', { time: formatDateTime(c.validTo, locale, false) })}
                        {c.issuedStore ? ` · ${c.issuedStore}` : ''}
                      </span>
                    </Space>
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('member.consents')}>
            {(m.consents ?? []).length === 0 ? (
              <EmptyState description={t('member.noConsents')} />
            ) : (
              <List
                size="small"
                dataSource={m.consents ?? []}
                renderItem={(c) => (
                  <List.Item>
                    <Space wrap>
                      <span>{codeLabel(t, 'consent', c.purpose)}</span>
                      <Tag color={c.granted ? 'green' : c.recordedAt ? 'red' : undefined}>
                        {c.granted
                          ? t('member.granted')
                          : c.recordedAt
                            ? t('member.withdrawn')
                            : t('member360.notGiven')}
                      </Tag>
                      <span style={{ color: '#8c8c8c' }}>
                        {c.channel ? codeLabel(t, 'channel', c.channel) : ''}{' '}
                        {formatDateTime(c.recordedAt, locale)}
                      </span>
                    </Space>
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
      </Row>
      <MemberProfileCards traits={m.computedTraits} rfm={m.rfm} />
      <MemberTagsCard memberId={m.id} />
      <Card size="small" title={t('member.experiences')}>
        <SimpleTable<Member['experiences'][number]>
          rows={m.experiences ?? []}
          rowKey={(e) => e.id}
          empty={t('member.noExperiences')}
          testId="member-experiences"
          columns={[
            { key: 'sku', title: 'SKU', render: (e) => e.sku },
            {
              key: 'kind',
              title: t('member.experienceKind'),
              render: (e) => codeLabel(t, 'experience.kind', e.kind),
            },
            { key: 'store', title: t('common.store'), render: (e) => e.store },
            { key: 'guide', title: t('order.guide'), render: (e) => e.guide ?? '—' },
            {
              key: 'result',
              title: t('experience.result'),
              render: (e) => resultText(locale, e.result) || '—',
            },
            { key: 'at', title: t('common.time'), render: (e) => formatDateTime(e.recordedAt, locale) },
          ]}
        />
      </Card>
      {m.favourites !== undefined ? (
        <Card size="small" title={t('member360.favourites')}>
          <SimpleTable<Member['favourites'][number]>
            rows={m.favourites}
            rowKey={(f) => f.id}
            empty={t('member360.noFavourites')}
            columns={[
              { key: 'sku', title: 'SKU', render: (f) => f.sku },
              { key: 'store', title: t('common.store'), render: (f) => f.store ?? '—' },
              { key: 'at', title: t('common.time'), render: (f) => formatDateTime(f.createdAt, locale) },
            ]}
          />
        </Card>
      ) : null}
      <Card size="small" title={t('member.recentOrders')}>
        <SimpleTable<Member['recentOrders'][number]>
          rows={m.recentOrders ?? []}
          rowKey={(o) => o.id}
          empty={t('member.noOrders')}
          testId="member-orders"
          columns={[
            { key: 'id', title: t('order.id'), render: (o) => <Link to={orderLink(o.id)}>{o.id}</Link> },
            { key: 'channel', title: t('common.channel'), render: (o) => codeLabel(t, 'channel', o.channel) },
            { key: 'status', title: t('common.status'), render: (o) => <OrderStatusTag status={o.status} /> },
            {
              key: 'amount',
              title: t('order.payable'),
              align: 'right',
              render: (o) => formatFen(o.payableAmount),
            },
            { key: 'at', title: t('common.createdAt'), render: (o) => formatDateTime(o.createdAt, locale) },
          ]}
        />
      </Card>
      {m.returns?.length ? (
        <Card size="small" title={t('member360.returns')}>
          <SimpleTable<Member['returns'][number]>
            rows={m.returns}
            rowKey={(r) => r.id}
            columns={[
              { key: 'id', title: 'ID', render: (r) => r.id },
              {
                key: 'order',
                title: t('order.id'),
                render: (r) => <Link to={orderLink(r.orderId)}>{r.orderId}</Link>,
              },
              {
                key: 'lines',
                title: t('order.lines'),
                render: (r) => r.lines.map((l) => `${l.sku} × ${l.quantity}`).join(', '),
              },
              {
                key: 'status',
                title: t('common.status'),
                render: (r) => codeLabel(t, 'returns.status', r.status),
              },
              {
                key: 'refund',
                title: t('order.refunds'),
                align: 'right',
                render: (r) =>
                  `${formatFen(r.refundAmount)} · ${codeLabel(t, 'returns.refundStatus', r.refundStatus)}`,
              },
              { key: 'at', title: t('common.time'), render: (r) => formatDateTime(r.createdAt, locale) },
            ]}
          />
        </Card>
      ) : null}
      {m.appointments?.length ? (
        <Card size="small" title={t('member360.appointments')}>
          <SimpleTable<Member['appointments'][number]>
            rows={m.appointments}
            rowKey={(a) => a.id}
            columns={[
              { key: 'service', title: t('appt.service'), render: (a) => codeLabel(t, 'service', a.service) },
              { key: 'store', title: t('common.store'), render: (a) => a.store },
              {
                key: 'at',
                title: t('common.time'),
                render: (a) => formatDateTime(a.startsAt, locale, false),
              },
              {
                key: 'status',
                title: t('common.status'),
                render: (a) => codeLabel(t, 'appt.status', a.status),
              },
              { key: 'note', title: t('appt.note'), render: (a) => a.note ?? '' },
            ]}
          />
        </Card>
      ) : null}
      {hq && mergeList.length > 0 ? (
        <Card size="small" title={t('member.merges')}>
          <List
            size="small"
            dataSource={mergeList}
            renderItem={(merge) => (
              <List.Item
                actions={
                  merge.undoneAt
                    ? [<Tag key="undone">{t('member.unmerged')}</Tag>]
                    : [
                        <Popconfirm
                          key="unmerge"
                          title={t('member.unmergeConfirm')}
                          onConfirm={() => unmerge(merge.id)}
                        >
                          <Button size="small" danger>
                            {t('member.unmerge')}
                          </Button>
                        </Popconfirm>,
                      ]
                }
              >
                {merge.mergedFrom} → {merge.memberId} · {merge.reason ?? ''} ·{' '}
                {formatDateTime(merge.createdAt, locale)}
              </List.Item>
            )}
          />
        </Card>
      ) : null}
      <Modal
        open={issuing}
        title={t('coupon.issueToMember')}
        footer={null}
        width={640}
        onCancel={() => setIssuing(false)}
        destroyOnHidden
      >
        <IssueCouponForm
          memberId={m.id}
          {...(hq ? {} : { store: session.storeCode ?? '' })}
          onIssued={() => member.reload()}
        />
      </Modal>
      <Modal
        open={ledgerOpen}
        title={t('points.title')}
        footer={null}
        width={760}
        onCancel={() => setLedgerOpen(false)}
        destroyOnHidden
      >
        <PointsLedger memberId={m.id} compact />
      </Modal>
    </Space>
  );
}
