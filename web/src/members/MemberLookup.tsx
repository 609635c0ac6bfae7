import { Button, Card, Descriptions, Input, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { allOf } from '../api/client';
import { lookupMember, type Member } from '../api/members';
import { EmptyState, ErrorAlert } from '../components/States';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n/I18nProvider';

export const IDENTIFIER_TYPES = allOf<Member['identifiers'][number]['type']>()([
  'phone',
  'unionid',
  'openid',
  'email',
  'card',
  'marketplace',
  'device',
]);

export function tierName(tier: Member['tier'] | undefined): string | undefined {
  return tier?.name ?? tier?.code;
}

/**
 * Find a member by any identifier. What personal data comes back is the server's decision: a guide receives
 * phone numbers masked (138****5678) and sees them exactly so.
 */
export function MemberLookup({ onOpen }: { onOpen?(member: Member): void }) {
  const { t, locale } = useI18n();
  const [type, setType] = useState<Member['identifiers'][number]['type']>('phone');
  const [value, setValue] = useState('');
  const [member, setMember] = useState<Member | null>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const search = async () => {
    if (!value.trim()) return;
    setBusy(true);
    setError(undefined);
    try {
      setMember(await lookupMember({ type, value: value.trim() }));
    } catch (e) {
      setMember(null);
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space.Compact style={{ width: '100%', maxWidth: 560 }}>
        <Select
          value={type}
          style={{ width: 140 }}
          onChange={setType}
          options={IDENTIFIER_TYPES.map((x) => ({ value: x, label: t(`identifier.${x}`) }))}
        />
        <Input
          data-testid="member-lookup-value"
          value={value}
          placeholder={t('member.lookupPlaceholder')}
          onChange={(e) => setValue(e.target.value)}
          onPressEnter={search}
        />
        <Button type="primary" onClick={search} loading={busy} data-testid="member-lookup-submit">
          {t('common.search')}
        </Button>
      </Space.Compact>
      {error ? <ErrorAlert error={error} /> : null}
      {member === undefined ? (
        <EmptyState description={t('member.lookupPrompt')} />
      ) : member === null ? null : (
        <Card size="small" data-testid="member-card">
          <Descriptions size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label="ID">{member.id}</Descriptions.Item>
            <Descriptions.Item label={t('member.tier')}>{tierName(member.tier) ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('member.identifiers')} span={2}>
              <Space wrap size={4} data-testid="member-identifiers">
                {(member.identifiers ?? []).map((i) => (
                  <Tag key={`${i.type}:${i.value}`}>
                    {t(`identifier.${i.type}` as 'identifier.phone')}: {i.value}
                  </Tag>
                ))}
              </Space>
            </Descriptions.Item>
            {member.points ? (
              <Descriptions.Item label={t('member.points')}>
                {member.points.available} ({t('member.pendingPoints')} {member.points.pending})
              </Descriptions.Item>
            ) : null}
            {member.createdAt ? (
              <Descriptions.Item label={t('common.createdAt')}>
                {formatDateTime(member.createdAt, locale)}
              </Descriptions.Item>
            ) : null}
          </Descriptions>
          {onOpen ? (
            <Button type="link" onClick={() => onOpen(member)}>
              {t('member.open360')}
            </Button>
          ) : null}
        </Card>
      )}
    </Space>
  );
}
