import { Space } from 'antd';
import { useParams } from 'react-router';
import { ActivityTimeline } from '../audience/ActivityTimeline';
import { Member360 } from '../members/Member360';

export default function MemberDetailPage() {
  const { id } = useParams();
  if (!id) return null;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Member360 id={id} />
      <ActivityTimeline memberId={id} />
    </Space>
  );
}
