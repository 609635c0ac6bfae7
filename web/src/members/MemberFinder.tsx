import { Button, Input, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { getMember, lookupMember, type Member } from '../api/members';
import { ErrorAlert } from '../components/States';
import { useMoreI18n } from '../i18n/more';
import { tierName } from './MemberLookup';

/**
 * Finds the member a counter or HQ action is for: a phone number (looked up exactly) or a member id. What comes
 * back is masked by the server for store staff.
 */
export function MemberFinder({
  member,
  onChange,
  testId = 'member-finder',
}: {
  member: Member | undefined;
  onChange(member: Member | undefined): void;
  testId?: string;
}) {
  const { t } = useMoreI18n();
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const find = async () => {
    const text = value.trim();
    if (!text) return;
    setBusy(true);
    setError(undefined);
    try {
      const found = text.startsWith('mem_')
        ? await getMember(text)
        : await lookupMember({ type: 'phone', value: text });
      onChange(found);
    } catch (e) {
      onChange(undefined);
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (member) {
    const phone = member.identifiers?.find((i) => i.type === 'phone')?.value;
    return (
      <Space wrap data-testid={`${testId}-chosen`} data-member={member.id}>
        <Typography.Text strong>{phone ?? member.id}</Typography.Text>
        <Typography.Text type="secondary">{member.id}</Typography.Text>
        {tierName(member.tier) ? <Tag color="gold">{tierName(member.tier)}</Tag> : null}
        {member.points ? (
          <Tag>
            {t('member.points')} {member.points.available}
          </Tag>
        ) : null}
        <Button size="small" onClick={() => onChange(undefined)}>
          {t('memberFinder.change')}
        </Button>
      </Space>
    );
  }
  return (
    <div>
      <Space.Compact style={{ width: '100%', maxWidth: 480 }}>
        <Input
          size="large"
          inputMode="tel"
          value={value}
          placeholder={t('memberFinder.placeholder')}
          onChange={(e) => setValue(e.target.value)}
          onPressEnter={find}
          data-testid={`${testId}-input`}
        />
        <Button size="large" type="primary" loading={busy} onClick={find} data-testid={`${testId}-submit`}>
          {t('common.search')}
        </Button>
      </Space.Compact>
      {error ? (
        <div style={{ marginTop: 8 }}>
          <ErrorAlert error={error} />
        </div>
      ) : null}
    </div>
  );
}
