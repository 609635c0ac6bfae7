import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Tag as Chip, Col, Popconfirm, Row, Space, Typography } from 'antd';
import { useState } from 'react';
import { messageOf } from '../api/client';
import { useApi } from '../api/hooks';
import { deleteTag, listTagGroups, listTags, type Tag } from '../api/tags';
import { SimpleTable } from '../components/SimpleTable';
import { EmptyState, ErrorAlert } from '../components/States';
import { useCatalogueI18n } from '../i18n/catalogue';
import { kindOf, TagEditor } from './TagEditor';
import { TagGroupsCard } from './TagGroupsCard';
import { tagsMessages } from './tags.messages';

/**
 * HQ's tags: the groups, and the tags of each group with how many members hold them and what keeps them (people,
 * trials and purchases, or a rule); created, changed and deleted here.
 */
export default function TagsPage() {
  const { t, locale } = useCatalogueI18n(tagsMessages);
  const { message } = App.useApp();
  const groups = useApi((signal) => listTagGroups(signal), []);
  const tags = useApi((signal) => listTags(signal), []);
  // The tag in the editor, 'new' for a new one, null when it is closed.
  const [editing, setEditing] = useState<Tag | 'new' | null>(null);

  const groupList = groups.data?.items ?? [];
  const tagList = tags.data?.items ?? [];
  // The groups in their order, then the tags of no group (or of a group this page does not know).
  const known = new Set(groupList.map((g) => g.code));
  const sections = [
    ...groupList.map((g) => ({
      key: g.code,
      title: g.names[locale],
      items: tagList.filter((tag) => tag.group === g.code),
    })),
    {
      key: '',
      title: t('tags.noGroup'),
      items: tagList.filter((tag) => tag.group === null || !known.has(tag.group)),
    },
  ].filter((s) => s.items.length > 0);

  const remove = async (tag: Tag) => {
    try {
      await deleteTag(tag.code);
      message.success(t('tags.deleted'));
      tags.reload();
      groups.reload();
    } catch (e) {
      message.error(messageOf(e));
    }
  };

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
        {t('tags.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('tags.explain')}
      </Typography.Paragraph>
      <ErrorAlert error={groups.error ?? tags.error} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={9}>
          <TagGroupsCard
            groups={groupList}
            loading={groups.loading}
            onChanged={() => {
              groups.reload();
              tags.reload();
            }}
          />
        </Col>
        <Col xs={24} xl={15}>
          <Card
            title={t('tags.list')}
            loading={tags.loading && !tags.data}
            extra={
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setEditing('new')}
                data-testid="tag-new"
              >
                {t('tags.new')}
              </Button>
            }
          >
            {sections.length === 0 ? (
              <EmptyState description={t('tags.none')} />
            ) : (
              <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="tag-list">
                {sections.map((section) => (
                  <div key={section.key} data-testid={`tag-section-${section.key || 'none'}`}>
                    <Typography.Title level={5}>{section.title}</Typography.Title>
                    <SimpleTable<Tag>
                      rows={section.items}
                      rowKey={(tag) => tag.code}
                      columns={[
                        {
                          key: 'name',
                          title: t('common.name'),
                          render: (tag) => (
                            <span data-testid={`tag-row-${tag.code}`}>
                              <strong>{tag.names[locale]}</strong> <Chip>{tag.code}</Chip>
                            </span>
                          ),
                        },
                        {
                          key: 'kind',
                          title: t('tags.kind'),
                          render: (tag) => {
                            const kind = kindOf(tag);
                            return (
                              <Space size={4}>
                                <Chip
                                  color={kind === 'rule' ? 'purple' : kind === 'fed' ? 'cyan' : undefined}
                                >
                                  {t(`tags.kind.${kind}`)}
                                </Chip>
                                {tag.feed ? (
                                  <Typography.Text
                                    code
                                  >{`${tag.feed.key} = ${tag.feed.value}`}</Typography.Text>
                                ) : null}
                              </Space>
                            );
                          },
                        },
                        {
                          key: 'members',
                          title: t('tags.holders'),
                          align: 'right',
                          render: (tag) => <span data-testid={`tag-members-${tag.code}`}>{tag.members}</span>,
                        },
                        {
                          key: 'actions',
                          title: t('common.actions'),
                          align: 'right',
                          render: (tag) => (
                            <Space size={4}>
                              <Button
                                size="small"
                                icon={<EditOutlined />}
                                onClick={() => setEditing(tag)}
                                data-testid={`tag-edit-${tag.code}`}
                              >
                                {t('common.edit')}
                              </Button>
                              <Popconfirm
                                title={t('tags.deleteConfirm', { name: tag.names[locale] })}
                                okButtonProps={{ danger: true }}
                                onConfirm={() => remove(tag)}
                              >
                                <Button
                                  size="small"
                                  danger
                                  icon={<DeleteOutlined />}
                                  data-testid={`tag-delete-${tag.code}`}
                                >
                                  {t('tags.delete')}
                                </Button>
                              </Popconfirm>
                            </Space>
                          ),
                        },
                      ]}
                    />
                  </div>
                ))}
              </Space>
            )}
          </Card>
        </Col>
      </Row>
      {editing !== null ? (
        <TagEditor
          tag={editing === 'new' ? null : editing}
          groups={groupList}
          onClose={() => setEditing(null)}
          onSaved={() => {
            message.success(t('tags.saved'));
            setEditing(null);
            tags.reload();
            groups.reload();
          }}
        />
      ) : null}
    </Space>
  );
}
