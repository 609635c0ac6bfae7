import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import type { ButtonProps } from 'antd';
import { App, Button, Card, Form, Input, InputNumber, List, Modal, Space, Switch, Tag } from 'antd';
import { useState } from 'react';
import { createTagGroup, type TagGroup, type TagGroupInput, updateTagGroup } from '../api/tags';
import { EmptyState, ErrorAlert } from '../components/States';
import { useCatalogueI18n } from '../i18n/catalogue';
import { tagsMessages } from './tags.messages';

interface Values {
  code: string;
  nameZh: string;
  nameEn: string;
  exclusive: boolean;
  position: number;
}

const CODE = /^[a-z0-9_]{1,40}$/;

/** HQ's tag groups in their order: created and changed (names in both languages, exclusive, position). */
export function TagGroupsCard({
  groups,
  loading,
  onChanged,
}: {
  groups: TagGroup[];
  loading: boolean;
  onChanged(): void;
}) {
  const { t, locale } = useCatalogueI18n(tagsMessages);
  const { message } = App.useApp();
  // The group being edited, 'new' for a new one, null when the form is closed.
  const [editing, setEditing] = useState<TagGroup | 'new' | null>(null);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<Values>();

  const open = (group: TagGroup | 'new') => {
    setError(undefined);
    setEditing(group);
  };

  const save = async (v: Values) => {
    const body: TagGroupInput = {
      code: v.code,
      names: { 'zh-CN': v.nameZh.trim(), 'en-US': v.nameEn.trim() },
      exclusive: v.exclusive,
      position: v.position,
    };
    setBusy(true);
    try {
      if (editing === 'new') await createTagGroup(body);
      else if (editing) await updateTagGroup(editing.code, body);
      message.success(t('tags.saved'));
      setEditing(null);
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const initial: Values =
    editing && editing !== 'new'
      ? {
          code: editing.code,
          nameZh: editing.names['zh-CN'],
          nameEn: editing.names['en-US'],
          exclusive: editing.exclusive,
          position: editing.position,
        }
      : // A new group goes last.
        {
          code: '',
          nameZh: '',
          nameEn: '',
          exclusive: false,
          position: groups.reduce((max, g) => Math.max(max, g.position + 10), 0),
        };

  return (
    <Card
      title={t('tags.groups')}
      extra={
        <Button icon={<PlusOutlined />} onClick={() => open('new')} data-testid="tag-group-new">
          {t('tags.group.new')}
        </Button>
      }
    >
      {groups.length === 0 && !loading ? (
        <EmptyState description={t('tags.groups.none')} />
      ) : (
        <List
          loading={loading}
          data-testid="tag-groups"
          dataSource={groups}
          renderItem={(g) => (
            <List.Item
              data-testid={`tag-group-${g.code}`}
              actions={[
                <Button
                  key="edit"
                  size="small"
                  icon={<EditOutlined />}
                  onClick={() => open(g)}
                  aria-label={t('common.edit')}
                />,
              ]}
            >
              <Space wrap size={4}>
                <strong>{g.names[locale]}</strong>
                <Tag>{g.code}</Tag>
                {g.exclusive ? <Tag color="orange">{t('tags.group.exclusive')}</Tag> : null}
                <span style={{ color: '#8c8c8c' }}>{t('tags.group.tags', { count: g.tags })}</span>
              </Space>
            </List.Item>
          )}
        />
      )}
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('tags.group.new') : t('tags.group.edit')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'tag-group-save' } as ButtonProps}
        onOk={() => form.submit()}
        onCancel={() => setEditing(null)}
        destroyOnHidden
      >
        <ErrorAlert error={error} />
        <Form form={form} layout="vertical" initialValues={initial} onFinish={save} preserve={false}>
          <Form.Item
            name="code"
            label={t('tags.code')}
            extra={t('tags.codeHelp')}
            rules={[{ required: true, pattern: CODE, message: t('tags.codeHelp') }]}
          >
            <Input disabled={editing !== 'new'} data-testid="tag-group-code" />
          </Form.Item>
          <Form.Item name="nameZh" label={t('tags.nameZh')} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={60} data-testid="tag-group-name-zh" />
          </Form.Item>
          <Form.Item name="nameEn" label={t('tags.nameEn')} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={60} data-testid="tag-group-name-en" />
          </Form.Item>
          <Form.Item
            name="exclusive"
            label={t('tags.group.exclusive')}
            extra={t('tags.group.exclusiveHelp')}
            valuePropName="checked"
          >
            <Switch data-testid="tag-group-exclusive" />
          </Form.Item>
          <Form.Item name="position" label={t('tags.group.position')} rules={[{ required: true }]}>
            <InputNumber min={0} max={10_000} precision={0} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
