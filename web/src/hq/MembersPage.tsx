import { Space, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { useT } from '../i18n/I18nProvider';
import { MemberList } from '../members/MemberList';
import { MemberLookup } from '../members/MemberLookup';

const memberPath = (id: string) => `/hq/members/${encodeURIComponent(id)}`;

/** HQ's members: look one up by an identifier, or browse the list by tag, segment, RFM segment and tier. */
export default function MembersPage() {
  const t = useT();
  const navigate = useNavigate();
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('member.title')}
      </Typography.Title>
      <MemberLookup onOpen={(m) => navigate(memberPath(m.id))} />
      <MemberList linkTo={memberPath} />
    </Space>
  );
}
