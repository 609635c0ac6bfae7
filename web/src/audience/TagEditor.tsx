import type { ButtonProps } from 'antd';
import { Alert, Form, Input, Modal, Radio, Select, Typography } from 'antd';
import { useState } from 'react';
import type { SegmentRule } from '../api/audience';
import { createTag, type Tag, type TagGroup, type TagInput, updateTag } from '../api/tags';
import { ErrorAlert } from '../components/States';
import { useCatalogueI18n } from '../i18n/catalogue';
import { SegmentRuleBuilder } from './SegmentRuleBuilder';
import { tagsMessages } from './tags.messages';

type Kind = 'manual' | 'fed' | 'rule';

interface Values {
  code: string;
  nameZh: string;
  nameEn?: string;
  group?: string;
  kind: Kind;
  feedKey?: string;
  feedValue?: string;
}

const CODE = /^[a-z0-9_]{1,40}$/;
const FEED_KEY = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
// A rule tag's rule may not read tags (the server says TAG.RULE_READS_TAGS): the builder does not offer them.
const RULE_KINDS = ['trait', 'consent', 'rfm', 'event'] as const;

export const kindOf = (tag: Pick<Tag, 'rule' | 'feed'>): Kind =>
  tag.rule ? 'rule' : tag.feed ? 'fed' : 'manual';

/**
 * Creates or changes one tag: its code and names, its group, and what keeps it — people (manual), a trial result
 * or purchased SKU attribute (fed), or a segment rule (the segments page's builder).
 */
export function TagEditor({
  tag,
  groups,
  onClose,
  onSaved,
}: {
  /** The tag to change, or null for a new one. */
  tag: Tag | null;
  groups: TagGroup[];
  onClose(): void;
  onSaved(tag: Tag): void;
}) {
  const { t, locale } = useCatalogueI18n(tagsMessages);
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form) ?? (tag ? kindOf(tag) : 'manual');
  const [rule, setRule] = useState<SegmentRule | null>(tag?.rule ?? null);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const save = async (v: Values) => {
    // The warning under the builder already says what is missing.
    if (v.kind === 'rule' && !rule) return;
    const name = v.nameZh.trim();
    const english = v.nameEn?.trim();
    const body: TagInput = {
      code: v.code,
      name,
      // Without an English name the Chinese one is shown in both languages.
      ...(english ? { names: { 'zh-CN': name, 'en-US': english } } : {}),
      ...(v.group ? { group: v.group } : {}),
      ...(v.kind === 'rule' && rule ? { rule } : {}),
      ...(v.kind === 'fed' && v.feedKey && v.feedValue
        ? { feed: { key: v.feedKey.trim(), value: v.feedValue.trim() } }
        : {}),
    };
    setBusy(true);
    try {
      onSaved(tag ? await updateTag(tag.code, body) : await createTag(body));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const initial: Values = tag
    ? {
        code: tag.code,
        nameZh: tag.names['zh-CN'],
        nameEn: tag.names['en-US'],
        ...(tag.group ? { group: tag.group } : {}),
        kind: kindOf(tag),
        ...(tag.feed ? { feedKey: tag.feed.key, feedValue: tag.feed.value } : {}),
      }
    : { code: '', nameZh: '', kind: 'manual' };

  return (
    <Modal
      open
      width={kind === 'rule' ? 900 : 560}
      title={tag ? t('tags.edit') : t('tags.new')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'tag-save' } as ButtonProps}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical" initialValues={initial} onFinish={save}>
        <Form.Item
          name="code"
          label={t('tags.code')}
          extra={tag ? undefined : t('tags.codeHelp')}
          rules={[{ required: true, pattern: CODE, message: t('tags.codeHelp') }]}
        >
          <Input disabled={tag !== null} data-testid="tag-code" />
        </Form.Item>
        <Form.Item name="nameZh" label={t('tags.nameZh')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={60} data-testid="tag-name-zh" />
        </Form.Item>
        <Form.Item name="nameEn" label={t('tags.nameEn')}>
          <Input maxLength={60} data-testid="tag-name-en" />
        </Form.Item>
        <Form.Item name="group" label={t('tags.group')}>
          <Select
            allowClear
            data-testid="tag-group-select"
            placeholder={t('tags.noGroup')}
            options={groups.map((g) => ({
              value: g.code,
              label: g.exclusive ? `${g.names[locale]} · ${t('tags.group.exclusive')}` : g.names[locale],
              // A rule tag cannot sit in an exclusive group (TAG.RULE_IN_EXCLUSIVE_GROUP).
              disabled: kind === 'rule' && g.exclusive,
            }))}
          />
        </Form.Item>
        <Form.Item name="kind" label={t('tags.kind')}>
          <Radio.Group
            data-testid="tag-kind"
            optionType="button"
            options={(['manual', 'fed', 'rule'] as const).map((k) => ({
              value: k,
              label: t(`tags.kind.${k}`),
            }))}
          />
        </Form.Item>
        {kind === 'fed' ? (
          <>
            <Typography.Paragraph type="secondary">{t('tags.feed.explain')}</Typography.Paragraph>
            <Form.Item
              name="feedKey"
              label={t('tags.feed.key')}
              rules={[{ required: true, pattern: FEED_KEY }]}
            >
              <Input placeholder="skinType" data-testid="tag-feed-key" />
            </Form.Item>
            <Form.Item
              name="feedValue"
              label={t('tags.feed.value')}
              rules={[{ required: true, whitespace: true, max: 200 }]}
            >
              <Input placeholder="dry" data-testid="tag-feed-value" />
            </Form.Item>
          </>
        ) : null}
      </Form>
      {kind === 'rule' ? (
        <>
          <Typography.Paragraph type="secondary">{t('tags.rule.explain')}</Typography.Paragraph>
          <SegmentRuleBuilder initial={tag?.rule ?? null} kinds={RULE_KINDS} onChange={setRule} />
          {rule ? null : (
            <Alert type="warning" showIcon style={{ marginTop: 12 }} message={t('tags.rule.missing')} />
          )}
        </>
      ) : null}
    </Modal>
  );
}
