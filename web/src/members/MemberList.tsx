import { Button, Card, Space } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useApi } from '../api/hooks';
import { listMembers, type MemberSummary } from '../api/members';
import { tagsMessages } from '../audience/tags.messages';
import { SimpleTable } from '../components/SimpleTable';
import { ErrorAlert } from '../components/States';
import { formatDateTime } from '../format';
import { useCatalogueI18n } from '../i18n/catalogue';
import { fixedLabel } from '../i18n/dictionaryMessages';
import type { MessageKey } from '../i18n/messages';
import { type MemberFilter, MemberFilters } from './MemberFilters';

const KEYS = ['q', 'tag', 'segment', 'rfm', 'tier'] as const;
const PAGE = 50;

/**
 * HQ's member list, newest first, narrowed by the filters. The filters live in the address, so that going back
 * from a member's 360 view finds the same list (and a list can be shared as a link).
 */
export function MemberList({ linkTo }: { linkTo(id: string): string }) {
  const { t, locale } = useCatalogueI18n(tagsMessages);
  const [params, setParams] = useSearchParams();
  const filter: MemberFilter = {};
  for (const key of KEYS) {
    const v = params.get(key);
    if (v) filter[key] = v;
  }
  const filterText = JSON.stringify(filter);
  const first = useApi((signal) => listMembers({ ...filter, limit: PAGE }, signal), [filterText]);
  // Pages after the first, as "load more" brings them; a new filter starts over.
  const [more, setMore] = useState<{ filter: string; rows: MemberSummary[]; cursor: string | null }>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const extra = more?.filter === filterText ? more : undefined;
  const rows = [...(first.data?.items ?? []), ...(extra?.rows ?? [])];
  const cursor = extra ? extra.cursor : (first.data?.nextCursor ?? null);

  const loadMore = async () => {
    if (!cursor) return;
    setBusy(true);
    try {
      const page = await listMembers({ ...filter, limit: PAGE, cursor });
      setMore({ filter: filterText, rows: [...(extra?.rows ?? []), ...page.items], cursor: page.nextCursor });
      setError(undefined);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t('memberList.title')}>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <MemberFilters
          value={filter}
          onChange={(next) => setParams(Object.entries(next).filter(([, v]) => v) as [string, string][])}
        />
        <ErrorAlert error={first.error ?? error} />
        <SimpleTable<MemberSummary>
          rows={rows}
          rowKey={(m) => m.id}
          testId="member-list"
          empty={first.loading ? t('common.loading') : t('memberList.none')}
          columns={[
            {
              key: 'id',
              title: 'ID',
              render: (m) => (
                <Link to={linkTo(m.id)} data-testid="member-list-open">
                  {m.id}
                </Link>
              ),
            },
            { key: 'name', title: t('memberList.name'), render: (m) => m.name ?? '—' },
            { key: 'phone', title: t('memberList.phone'), render: (m) => m.phone ?? '—' },
            {
              key: 'channel',
              title: t('common.channel'),
              render: (m) => {
                const text = t(`channel.${m.channel}` as MessageKey);
                return text === `channel.${m.channel}` ? m.channel : text;
              },
            },
            {
              key: 'status',
              title: t('common.status'),
              render: (m) => fixedLabel(locale, 'member.status', m.status),
            },
            { key: 'at', title: t('common.createdAt'), render: (m) => formatDateTime(m.createdAt, locale) },
          ]}
        />
        {cursor ? (
          <Button onClick={loadMore} loading={busy} data-testid="member-list-more">
            {t('memberList.more')}
          </Button>
        ) : null}
      </Space>
    </Card>
  );
}
