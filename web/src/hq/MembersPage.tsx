import { Space, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { useT } from '../i18n/I18nProvider';
import { MemberLookup } from '../members/MemberLookup';

export default function MembersPage() {
  const t = useT();
  const navigate = useNavigate();
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('member.title')}
      </Typography.Title>
      <MemberLookup onOpen={(m) => navigate(`/hq/members/${encodeURIComponent(m.id)}`)} />
    </Space>
  );
}
