import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Drawer, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useApi } from '../api/hooks';
import { type CouponTemplate, couponValue, listTemplates } from '../api/loyalty';
import { SimpleTable } from '../components/SimpleTable';
import { ErrorState } from '../components/States';
import { formatDateTime, formatFen } from '../format';
import { useMoreI18n } from '../i18n/more';
import { TemplateForm } from '../loyalty/TemplateForm';
import { TemplateScope } from '../loyalty/TemplateRules';

/** Coupon templates: every rule at a glance, how many were issued, and a form for a new one. */
export default function CouponTemplatesPage() {
  const { t, locale } = useMoreI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [cursor, setCursor] = useState<string | null>(null);
  const templates = useApi(
    (signal) => listTemplates({ limit: 50, ...(cursor ? { cursor } : {}) }, signal),
    [cursor],
  );
  const [creating, setCreating] = useState(false);

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
          {t('nav.coupons')}
        </Typography.Title>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setCreating(true)}
          data-testid="template-new"
        >
          {t('coupon.newTemplate')}
        </Button>
      </Space>
      <Card>
        {templates.error ? (
          <ErrorState error={templates.error} onRetry={templates.reload} />
        ) : (
          <SimpleTable<CouponTemplate>
            rows={templates.data?.items ?? []}
            rowKey={(x) => x.code}
            testId="coupon-templates"
            empty={templates.loading ? t('common.loading') : t('coupon.noTemplates')}
            columns={[
              {
                key: 'code',
                title: t('common.code'),
                render: (x) => <Link to={`/hq/coupons/${encodeURIComponent(x.code)}`}>{x.code}</Link>,
              },
              { key: 'name', title: t('common.name'), render: (x) => x.name },
              {
                key: 'value',
                title: t('coupon.value'),
                align: 'right',
                render: (x) => couponValue(x, formatFen),
              },
              { key: 'scope', title: t('coupon.rules'), render: (x) => <TemplateScope x={x} t={t} /> },
              {
                key: 'valid',
                title: t('coupon.validity'),
                render: (x) => (
                  <span style={{ whiteSpace: 'nowrap' }}>
                    {formatDateTime(x.validFrom, locale, false)}
                    <br />– {formatDateTime(x.validTo, locale, false)}
                    {x.validDays ? (
                      <>
                        <br />
                        {t('coupon.validDaysN', { n: x.validDays })}
                      </>
                    ) : null}
                  </span>
                ),
              },
              {
                key: 'issued',
                title: t('coupon.issued'),
                align: 'right',
                render: (x) => (
                  <>
                    {x.issuedCount}
                    {x.totalLimit ? ` / ${x.totalLimit}` : ''}
                    {x.perMemberLimit ? (
                      <div style={{ fontSize: 12, color: '#8c8c8c' }}>
                        {t('coupon.perMemberN', { n: x.perMemberLimit })}
                      </div>
                    ) : null}
                  </>
                ),
              },
            ]}
          />
        )}
        <Space style={{ marginTop: 12 }}>
          <Button disabled={!cursor} onClick={() => setCursor(null)}>
            {t('common.firstPage')}
          </Button>
          <Button
            disabled={!templates.data?.nextCursor}
            onClick={() => setCursor(templates.data?.nextCursor ?? null)}
          >
            {t('common.nextPage')}
          </Button>
        </Space>
      </Card>
      <Drawer
        width={760}
        open={creating}
        title={t('coupon.newTemplate')}
        onClose={() => setCreating(false)}
        destroyOnHidden
      >
        <TemplateForm
          onCreated={(x) => {
            setCreating(false);
            message.success(t('coupon.templateCreated', { code: x.code }));
            navigate(`/hq/coupons/${encodeURIComponent(x.code)}`);
          }}
        />
      </Drawer>
    </Space>
  );
}
