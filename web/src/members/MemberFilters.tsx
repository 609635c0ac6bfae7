import { Input, Select, Space } from 'antd';
import { listSegments } from '../api/audience';
import { useApi } from '../api/hooks';
import { getTiers } from '../api/loyalty';
import type { MemberListQuery } from '../api/members';
import { listTags } from '../api/tags';
import { type AudienceKey, audienceMessages } from '../audience/audience.messages';
import { EIGHT_CLASS_SEGMENTS, QUINTILE_SEGMENTS } from '../audience/rfmSegments';
import { tagsMessages } from '../audience/tags.messages';
import { useCatalogueI18n } from '../i18n/catalogue';

export type MemberFilter = Pick<MemberListQuery, 'q' | 'tag' | 'segment' | 'rfm' | 'tier'>;
type Key = keyof MemberFilter;

/**
 * What the member list is narrowed by: a search, a tag, a saved segment, an RFM segment of the latest run of its
 * scheme (`scheme:segment`) and a tier; each choice is one query parameter of GET /v1/members.
 */
export function MemberFilters({
  value,
  onChange,
}: {
  value: MemberFilter;
  onChange(next: MemberFilter): void;
}) {
  const { t, locale } = useCatalogueI18n(tagsMessages);
  const audience = useCatalogueI18n(audienceMessages).t;
  const tags = useApi((signal) => listTags(signal), []);
  const segments = useApi((signal) => listSegments(signal), []);
  const tiers = useApi((signal) => getTiers(signal), []);

  const set = (key: Key, v: string | undefined) => {
    const next = { ...value };
    if (v) next[key] = v;
    else delete next[key];
    onChange(next);
  };
  const select = (key: Key, label: string, options: { value: string; label: string }[]) => (
    <Select
      allowClear
      showSearch
      optionFilterProp="label"
      style={{ width: 180 }}
      placeholder={label}
      value={value[key]}
      onChange={(v: string | undefined) => set(key, v)}
      data-testid={`member-filter-${key}`}
      options={options}
    />
  );
  const rfmGroup = (scheme: 'quintile' | 'eight_class', segments: readonly string[]) => ({
    label: audience(`insight.scheme.${scheme}`),
    options: segments.map((s) => ({
      value: `${scheme}:${s}`,
      label: audience(`segment.${s}` as AudienceKey),
    })),
  });

  return (
    <Space wrap data-testid="member-filters">
      <Input.Search
        allowClear
        style={{ width: 260 }}
        placeholder={t('memberList.q')}
        defaultValue={value.q}
        onSearch={(q) => set('q', q.trim())}
        data-testid="member-filter-q"
      />
      {select(
        'tag',
        t('memberList.tag'),
        (tags.data?.items ?? []).map((tag) => ({ value: tag.code, label: tag.names[locale] })),
      )}
      {select(
        'segment',
        t('memberList.segment'),
        (segments.data?.items ?? []).map((s) => ({ value: s.id, label: s.name })),
      )}
      <Select
        allowClear
        showSearch
        optionFilterProp="label"
        style={{ width: 200 }}
        placeholder={t('memberList.rfm')}
        value={value.rfm}
        onChange={(v: string | undefined) => set('rfm', v)}
        data-testid="member-filter-rfm"
        options={[rfmGroup('quintile', QUINTILE_SEGMENTS), rfmGroup('eight_class', EIGHT_CLASS_SEGMENTS)]}
      />
      {select(
        'tier',
        t('memberList.tier'),
        (tiers.data?.items ?? []).map((tier) => ({ value: tier.code, label: tier.name })),
      )}
    </Space>
  );
}
