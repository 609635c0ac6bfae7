import { App, Button, Card, Col, Descriptions, List, Popconfirm, Row, Space, Table, Tag } from 'antd';
import { api, messageOf, seg } from '../api/client';
import { useResource } from '../api/hooks';
import type { Member, MergeRecord, Page } from '../api/types';
import { useSession } from '../auth/AuthProvider';
import { can } from '../auth/roles';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { formatDateTime, formatFen } from '../format';
import { useI18n } from '../i18n/I18nProvider';
import { tierName } from './MemberLookup';

/** The member's 360 view: identifiers, tier and points, consents, orders of every channel, trials, coupons. */
export function Member360({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const session = useSession();
  const member = useResource<Member>(`/v1/members/${seg(id)}`);
  const hq = can(session.role, 'identity.review');
  const merges = useResource<Page<MergeRecord> | MergeRecord[]>(hq ? `/v1/members/${seg(id)}/merges` : null);
  const mergeList = Array.isArray(merges.data) ? merges.data : (merges.data?.items ?? []);

  if (member.loading) return <Loading />;
  if (member.error) return <ErrorState error={member.error} onRetry={member.reload} />;
  const m = member.data;
  if (!m) return null;

  const unmerge = async (mergeId: string) => {
    try {
      await api.post(`/v1/members/${seg(m.id)}/unmerge`, { mergeId });
      message.success(t('member.unmerged'));
      member.reload();
      merges.reload();
    } catch (e) {
      message.error(messageOf(e));
    }
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" title={`${t('member.title')} ${m.id}`}>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('member.tier')}>{tierName(m.tier) ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('member.points')}>
            {m.points ? `${m.points.available} (${t('member.pendingPoints')} ${m.points.pending})` : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('common.status')}>{m.status ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('member.identifiers')} span={3}>
            <Space wrap size={4}>
              {(m.identifiers ?? []).map((i) => (
                <Tag key={`${i.type}:${i.value}`} color={i.verified ? 'green' : undefined}>
                  {t(`identifier.${i.type}` as 'identifier.phone')}: {i.value}
                </Tag>
              ))}
            </Space>
          </Descriptions.Item>
          {Object.entries(m.traits ?? {}).map(([k, v]) => (
            <Descriptions.Item key={k} label={k}>
              {typeof v === 'object' ? JSON.stringify(v) : String(v)}
            </Descriptions.Item>
          ))}
        </Descriptions>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('member.consents')}>
            {(m.consents ?? []).length === 0 ? (
              <EmptyState description={t('member.noConsents')} />
            ) : (
              <List
                size="small"
                dataSource={m.consents ?? []}
                renderItem={(c) => (
                  <List.Item>
                    <Space>
                      <span>{c.purpose}</span>
                      <Tag color={c.granted ? 'green' : 'red'}>
                        {c.granted ? t('member.granted') : t('member.withdrawn')}
                      </Tag>
                      <span style={{ color: '#8c8c8c' }}>
                        {c.channel ?? ''} {formatDateTime(c.recordedAt, locale)}
                      </span>
                    </Space>
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('member.coupons')}>
            {(m.coupons ?? []).length === 0 ? (
              <EmptyState description={t('member.noCoupons')} />
            ) : (
              <List
                size="small"
                dataSource={m.coupons ?? []}
                renderItem={(c) => (
                  <List.Item>
                    {c.code} · {c.template ?? ''} <Tag>{c.status}</Tag>
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('member.recentOrders')}>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={m.recentOrders ?? []}
          locale={{ emptyText: t('member.noOrders') }}
          columns={[
            { title: 'ID', dataIndex: 'id' },
            {
              title: t('common.channel'),
              dataIndex: 'channel',
              render: (c: string) => t(`channel.${c}` as 'channel.online'),
            },
            { title: t('common.status'), dataIndex: 'status' },
            { title: t('order.payable'), dataIndex: 'payableAmount', render: (a?: number) => formatFen(a) },
            {
              title: t('common.createdAt'),
              dataIndex: 'createdAt',
              render: (v?: string) => formatDateTime(v, locale),
            },
          ]}
        />
      </Card>
      <Card size="small" title={t('member.experiences')}>
        <Table
          size="small"
          rowKey={(e) => e.id ?? `${e.sku}:${e.occurredAt ?? e.createdAt}`}
          pagination={false}
          dataSource={m.experiences ?? []}
          locale={{ emptyText: t('member.noExperiences') }}
          columns={[
            { title: 'SKU', dataIndex: 'sku' },
            { title: t('member.experienceKind'), dataIndex: 'kind' },
            { title: t('common.store'), dataIndex: 'store' },
            {
              title: t('common.time'),
              key: 'at',
              render: (_: unknown, e) => formatDateTime(e.occurredAt ?? e.createdAt, locale),
            },
          ]}
        />
      </Card>
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
    </Space>
  );
}
