import { Card, Space, Statistic, Tag, Typography } from 'antd';
import JsBarcode from 'jsbarcode';
import QRCode from 'qrcode';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { useApi } from '../api/hooks';
import { couponsOf, pointsOf } from '../api/loyalty';
import { getMember, showMemberCode } from '../api/members';
import { useAuth } from '../auth/AuthProvider';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { formatDateTime } from '../format';
import { useMoreI18n } from '../i18n/more';
import { MobileHeader } from './MobileHeader';

/**
 * Her member code (会员码) for the till: a QR code and a barcode of the same 18 digits, a new one every minute
 * (a screenshot stops scanning a minute later), with her tier, points and coupons on the same screen.
 */
export default function MemberCodePage() {
  const { t, locale } = useMoreI18n();
  const navigate = useNavigate();
  const { session } = useAuth();
  const memberId = session?.memberId;
  const code = useApi(memberId ? () => showMemberCode(memberId) : null, [memberId]);
  const member = useApi(memberId ? (signal) => getMember(memberId, signal) : null, [memberId]);
  const points = useApi(memberId ? (signal) => pointsOf(memberId, { limit: 1 }, signal) : null, [memberId]);
  const coupons = useApi(
    memberId ? (signal) => couponsOf(memberId, { status: 'issued', limit: 50 }, signal) : null,
    [memberId],
  );
  const [qr, setQr] = useState<string>();
  const barcode = useRef<SVGSVGElement>(null);

  // The next code when this one's minute is over.
  const { reload } = code;
  useEffect(() => {
    if (!code.data) return;
    const wait = Math.max(1_000, Date.parse(code.data.refreshAt) - Date.now());
    const timer = window.setTimeout(reload, wait);
    return () => window.clearTimeout(timer);
  }, [code.data, reload]);

  useEffect(() => {
    if (!code.data) return;
    let current = true;
    QRCode.toDataURL(code.data.code, { margin: 1, width: 220, errorCorrectionLevel: 'M' }).then((url) => {
      if (current) setQr(url);
    });
    if (barcode.current) {
      JsBarcode(barcode.current, code.data.code, { format: 'CODE128', height: 64, width: 1.6, fontSize: 14 });
    }
    return () => {
      current = false;
    };
  }, [code.data]);

  const tier = member.data?.tier;
  return (
    <div style={{ paddingBottom: 24 }}>
      <MobileHeader title={t('m.memberCode')} onBack={() => navigate('/m')} />
      {!memberId ? (
        <Card bordered={false} style={{ margin: 12 }}>
          <EmptyState description={t('m.memberCodeCustomersOnly')} />
        </Card>
      ) : (
        <>
          <Card bordered={false} style={{ margin: 12, textAlign: 'center' }}>
            {code.error ? (
              <ErrorState error={code.error} onRetry={code.reload} />
            ) : !code.data ? (
              <Loading />
            ) : (
              <Space direction="vertical" size={8} style={{ width: '100%', alignItems: 'center' }}>
                <Typography.Text type="secondary">{t('m.memberCodeHint')}</Typography.Text>
                <svg ref={barcode} style={{ maxWidth: '100%' }} data-testid="m-member-barcode" />
                {qr ? <img src={qr} alt={t('m.memberCode')} width={220} height={220} /> : null}
                <Typography.Text
                  data-testid="m-member-code"
                  data-code={code.data.code}
                  style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', letterSpacing: 2 }}
                >
                  {code.data.code.replace(/(\d{4})(?=\d)/g, '$1 ')}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('m.memberCodeRefresh', { time: formatDateTime(code.data.refreshAt, locale) })}
                </Typography.Text>
              </Space>
            )}
          </Card>
          <Card bordered={false} style={{ margin: 12 }} data-testid="m-member-benefits">
            <Space size="large" style={{ width: '100%', justifyContent: 'space-around' }}>
              <Statistic
                title={t('m.memberCodeTier')}
                valueRender={() => (tier ? <Tag color="gold">{tier.name}</Tag> : '—')}
              />
              <Statistic title={t('points.available')} value={points.data?.available ?? '—'} />
              <Statistic title={t('m.memberCodeCoupons')} value={coupons.data?.items.length ?? '—'} />
            </Space>
            {tier?.benefits.length ? (
              <ul style={{ margin: '12px 0 0', paddingLeft: 20, color: '#595959' }}>
                {tier.benefits.map((b) => (
                  <li key={b}>{b}</li>
                ))}
              </ul>
            ) : null}
          </Card>
        </>
      )}
    </div>
  );
}
