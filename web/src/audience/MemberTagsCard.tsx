import { CloseOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Tag as Chip, Collapse, List, Popconfirm, Select, Space } from 'antd';
import { useState } from 'react';
import { messageOf } from '../api/client';
import { useApi } from '../api/hooks';
import { listTags, memberTagsOf, removeMemberTag, setMemberTag, type TagSource } from '../api/tags';
import { useSession } from '../auth/AuthProvider';
import { can } from '../auth/roles';
import { EmptyState, ErrorAlert } from '../components/States';
import { formatDateTime } from '../format';
import { useCatalogueI18n } from '../i18n/catalogue';
import { tagsMessages } from './tags.messages';

const SOURCE_COLOR: Record<TagSource, string | undefined> = {
  manual: undefined,
  rule: 'purple',
  trial: 'cyan',
  purchase: 'blue',
  import: 'geekblue',
};

/**
 * The member's tags in her 360 view: each in the console's language with what set it; staff set a tag by hand
 * (any but a rule tag, which follows its rule) and take one off; the changes are kept, folded away.
 */
export function MemberTagsCard({ memberId }: { memberId: string }) {
  const { t, locale } = useCatalogueI18n(tagsMessages);
  const { message } = App.useApp();
  const session = useSession();
  const staff = can(session.role, 'members.read');
  const held = useApi((signal) => memberTagsOf(memberId, signal), [memberId]);
  const catalogue = useApi(staff ? (signal) => listTags(signal) : null, [staff]);
  const [chosen, setChosen] = useState<string>();
  const [busy, setBusy] = useState(false);

  const tags = catalogue.data?.items ?? [];
  const items = held.data?.items ?? [];
  const history = held.data?.history ?? [];
  const byRule = new Set(tags.filter((tag) => tag.rule !== null).map((tag) => tag.code));
  // A tag taken off (or deleted since) is still named in the history: from the catalogue, else by its code.
  const nameOf = (code: string) =>
    items.find((i) => i.code === code)?.names[locale] ??
    tags.find((tag) => tag.code === code)?.names[locale] ??
    code;
  const offered = tags.filter((tag) => tag.rule === null && !items.some((i) => i.code === tag.code));

  const change = async (work: () => Promise<Awaited<ReturnType<typeof setMemberTag>>>, done: string) => {
    setBusy(true);
    try {
      const answer = await work();
      held.mutate(() => answer);
      message.success(done);
      setChosen(undefined);
      // The holder counts on the catalogue moved too.
      catalogue.reload();
    } catch (e) {
      message.error(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      size="small"
      title={t('memberTags.title')}
      data-testid="member-tags"
      extra={
        staff ? (
          <Space.Compact>
            <Select
              size="small"
              showSearch
              optionFilterProp="label"
              style={{ width: 200 }}
              placeholder={t('memberTags.choose')}
              value={chosen}
              onChange={setChosen}
              data-testid="member-tag-choose"
              options={offered.map((tag) => ({ value: tag.code, label: tag.names[locale] }))}
            />
            <Button
              size="small"
              type="primary"
              icon={<PlusOutlined />}
              disabled={!chosen}
              loading={busy}
              data-testid="member-tag-add"
              onClick={() => chosen && change(() => setMemberTag(memberId, chosen), t('memberTags.added'))}
            >
              {t('memberTags.add')}
            </Button>
          </Space.Compact>
        ) : null
      }
    >
      <ErrorAlert error={held.error} />
      {items.length === 0 ? (
        <EmptyState description={t('memberTags.none')} />
      ) : (
        <Space wrap size={[4, 8]} data-testid="member-tag-list">
          {items.map((item) => {
            const ruled = byRule.has(item.code) || item.source === 'rule';
            return (
              <Chip
                key={item.code}
                color={SOURCE_COLOR[item.source]}
                data-testid={`member-tag-${item.code}`}
                // A rule tag cannot be taken off by hand: the hover says why there is no ×.
                title={`${ruled ? `${t('memberTags.byRule')} · ` : ''}${item.setBy} · ${formatDateTime(item.setAt, locale)}`}
              >
                {item.names[locale]}
                <span style={{ opacity: 0.65 }}> · {t(`tagSource.${item.source}`)}</span>
                {staff && !ruled ? (
                  <Popconfirm
                    title={t('memberTags.removeConfirm', { name: item.names[locale] })}
                    onConfirm={() =>
                      change(() => removeMemberTag(memberId, item.code), t('memberTags.removed'))
                    }
                  >
                    <Button
                      type="text"
                      size="small"
                      icon={<CloseOutlined />}
                      aria-label={t('memberTags.remove')}
                      data-testid={`member-tag-remove-${item.code}`}
                      style={{ marginInlineStart: 4, height: 18, width: 18, minWidth: 18 }}
                    />
                  </Popconfirm>
                ) : null}
              </Chip>
            );
          })}
        </Space>
      )}
      {history.length > 0 ? (
        <Collapse
          ghost
          size="small"
          style={{ marginTop: 8 }}
          data-testid="member-tag-history"
          items={[
            {
              key: 'history',
              label: t('memberTags.history', { count: history.length }),
              children: (
                <List
                  size="small"
                  dataSource={history}
                  renderItem={(line) => (
                    <List.Item>
                      <Space wrap size={4}>
                        <Chip color={line.action === 'set' ? 'green' : 'red'}>
                          {t(`memberTags.action.${line.action}`)}
                        </Chip>
                        <strong>{nameOf(line.code)}</strong>
                        <span style={{ color: '#8c8c8c' }}>
                          {t(`tagSource.${line.source}`)} · {line.actor} · {formatDateTime(line.at, locale)}
                        </span>
                      </Space>
                    </List.Item>
                  )}
                />
              ),
            },
          ]}
        />
      ) : null}
    </Card>
  );
}
