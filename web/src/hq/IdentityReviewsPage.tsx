import { App, Button, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { messageOf } from '../api/client';
import { useApi } from '../api/hooks';
import { decideReview, type IdentityReview, listReviews } from '../api/members';
import { ErrorState } from '../components/States';
import { formatDateTime } from '../format';
import { fixedLabel } from '../i18n/dictionaryMessages';
import { useI18n } from '../i18n/I18nProvider';

/** Cases One ID would not merge by itself (two different verified phones, two unionids): a person decides. */
export default function IdentityReviewsPage() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const reviews = useApi((signal) => listReviews({ status: 'pending', limit: 100 }, signal), []);
  const [busy, setBusy] = useState<string>();

  const decide = async (review: IdentityReview, decision: 'merge' | 'reject') => {
    setBusy(`${review.id}:${decision}`);
    try {
      await decideReview(review.id, decision);
      message.success(t(decision === 'merge' ? 'review.merged' : 'review.rejected'));
      reviews.reload();
    } catch (e) {
      message.error(messageOf(e));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('nav.identityReviews')}
      </Typography.Title>
      {reviews.error ? (
        <ErrorState error={reviews.error} onRetry={reviews.reload} />
      ) : (
        <Table<IdentityReview>
          rowKey="id"
          loading={reviews.loading}
          dataSource={reviews.data?.items ?? []}
          locale={{ emptyText: t('review.empty') }}
          columns={[
            { title: 'ID', dataIndex: 'id' },
            {
              title: t('review.reason'),
              dataIndex: 'reason',
              render: (reason: string) => (
                <span data-testid="review-reason" title={reason}>
                  {fixedLabel(locale, 'review.reason', reason)}
                </span>
              ),
            },
            {
              title: t('review.members'),
              key: 'members',
              render: (_: unknown, r: IdentityReview) => (
                <Space wrap>
                  {r.memberIds.map((id) => (
                    <Link key={id} to={`/hq/members/${encodeURIComponent(id)}`}>
                      {id}
                    </Link>
                  ))}
                </Space>
              ),
            },
            {
              title: t('common.status'),
              dataIndex: 'status',
              render: (s?: string) =>
                s ? <Tag title={s}>{fixedLabel(locale, 'review.status', s)}</Tag> : '—',
            },
            {
              title: t('common.createdAt'),
              dataIndex: 'createdAt',
              render: (v?: string) => formatDateTime(v, locale),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_: unknown, r: IdentityReview) =>
                r.status !== 'pending' ? null : (
                  <Space>
                    <Popconfirm title={t('review.mergeConfirm')} onConfirm={() => decide(r, 'merge')}>
                      <Button size="small" type="primary" loading={busy === `${r.id}:merge`}>
                        {t('review.merge')}
                      </Button>
                    </Popconfirm>
                    <Button
                      size="small"
                      loading={busy === `${r.id}:reject`}
                      onClick={() => decide(r, 'reject')}
                    >
                      {t('review.reject')}
                    </Button>
                  </Space>
                ),
            },
          ]}
        />
      )}
    </Space>
  );
}
