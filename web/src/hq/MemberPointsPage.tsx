import { Button, Card, Space, Typography } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { useMoreI18n } from '../i18n/more';
import { PointsLedger } from '../loyalty/PointsLedger';

/** The member's points ledger, for support questions ("where did my points go?"). */
export default function MemberPointsPage() {
  const { t } = useMoreI18n();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space wrap>
        <Button onClick={() => navigate(`/hq/members/${encodeURIComponent(id)}`)}>
          {t('points.backTo360')}
        </Button>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('points.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{id}</Typography.Text>
      </Space>
      <Card>
        <PointsLedger memberId={id} />
      </Card>
    </Space>
  );
}
