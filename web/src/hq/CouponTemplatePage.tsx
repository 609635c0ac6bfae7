import { Button, Card, Descriptions, Space, Typography } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { useApi } from '../api/hooks';
import { couponValue, getTemplate } from '../api/loyalty';
import { ErrorState, Loading } from '../components/States';
import { formatDateTime, formatFen } from '../format';
import { useMoreI18n } from '../i18n/more';
import { IssueCouponForm } from '../loyalty/IssueCouponForm';
import { TemplateScope } from '../loyalty/TemplateRules';

/** One coupon template: its rules, how many were issued, and issuing one to a member. */
export default function CouponTemplatePage() {
  const { t, locale } = useMoreI18n();
  const navigate = useNavigate();
  const { code = '' } = useParams();
  const template = useApi((signal) => getTemplate(code, signal), [code]);

  if (template.loading && !template.data) return <Loading />;
  if (template.error || !template.data) {
    return (
      <>
        <Button onClick={() => navigate('/hq/coupons')}>{t('coupon.backToTemplates')}</Button>
        <ErrorState error={template.error} onRetry={template.reload} />
      </>
    );
  }
  const x = template.data;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }} data-testid="coupon-template">
      <Space wrap>
        <Button onClick={() => navigate('/hq/coupons')}>{t('coupon.backToTemplates')}</Button>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {x.name}
        </Typography.Title>
        <Typography.Text type="secondary">{x.code}</Typography.Text>
      </Space>
      <Card>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('coupon.kind')}>{t(`coupon.kind.${x.kind}`)}</Descriptions.Item>
          <Descriptions.Item label={t('coupon.value')}>{couponValue(x, formatFen)}</Descriptions.Item>
          <Descriptions.Item label={t('coupon.minSpend')}>{formatFen(x.minSpend)}</Descriptions.Item>
          <Descriptions.Item label={t('coupon.validFrom')}>
            {formatDateTime(x.validFrom, locale)}
          </Descriptions.Item>
          <Descriptions.Item label={t('coupon.validTo')}>
            {formatDateTime(x.validTo, locale)}
          </Descriptions.Item>
          <Descriptions.Item label={t('coupon.validDays')}>{x.validDays ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('coupon.issued')}>
            <span data-testid="template-issued">{x.issuedCount}</span>
            {x.totalLimit ? ` / ${x.totalLimit}` : ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('coupon.perMemberLimit')}>{x.perMemberLimit ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('coupon.pointsCost')}>{x.pointsCost ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('coupon.rules')} span={3}>
            <TemplateScope x={x} t={t} />
          </Descriptions.Item>
          {x.description ? (
            <Descriptions.Item label={t('coupon.description')} span={3}>
              {x.description}
            </Descriptions.Item>
          ) : null}
          <Descriptions.Item label={t('common.createdAt')}>
            {formatDateTime(x.createdAt, locale)}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t('coupon.issueToMember')}>
        <IssueCouponForm template={x} onIssued={() => template.reload()} />
      </Card>
    </Space>
  );
}
