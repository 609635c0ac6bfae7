import { Alert, Button, Card, Col, Input, Radio, Row, Space, Typography } from 'antd';
import { useState } from 'react';
import { useApi } from '../api/hooks';
import {
  EXPERIENCE_KINDS,
  type Experience,
  type ExperienceKind,
  experiencesOf,
  recordExperience,
} from '../api/loyalty';
import type { Member, Sku } from '../api/types';
import { useSession } from '../auth/AuthProvider';
import { SimpleTable } from '../components/SimpleTable';
import { SkuScanField } from '../components/SkuScanField';
import { ErrorAlert } from '../components/States';
import { formatDateTime } from '../format';
import { resultText } from '../i18n/dictionaryMessages';
import { useMoreI18n } from '../i18n/more';
import { IssueCouponForm } from '../loyalty/IssueCouponForm';
import { MemberFinder } from '../members/MemberFinder';
import { codeLabel } from '../orders/OrderParts';
import { useWorkbenchStore } from './tasks';

/**
 * A customer's trial at the counter (试用 / 试色 / 试穿 / 肤质检测): the member by phone, the SKU by search or a
 * barcode scan, what came out of it; then, if the guide wishes, a coupon issuable in store for the same member.
 */
export default function StoreTrialsPage() {
  const { t, locale } = useMoreI18n();
  const session = useSession();
  const store = useWorkbenchStore();
  const [member, setMember] = useState<Member>();
  const [sku, setSku] = useState<Sku>();
  const [kind, setKind] = useState<ExperienceKind>('trial');
  const [shade, setShade] = useState('');
  const [skinType, setSkinType] = useState('');
  const [note, setNote] = useState('');
  const [guide, setGuide] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [recorded, setRecorded] = useState<Experience>();
  const history = useApi(member ? (signal) => experiencesOf(member.id, { limit: 20 }, signal) : null, [
    member?.id,
  ]);

  const submit = async () => {
    if (!member || !sku) return;
    const result: Record<string, string> = {};
    if (shade.trim()) result.shade = shade.trim();
    if (skinType.trim()) result.skinType = skinType.trim();
    if (note.trim()) result.note = note.trim();
    setBusy(true);
    setError(undefined);
    try {
      const created = await recordExperience({
        memberId: member.id,
        store,
        sku: sku.code,
        kind,
        ...(session.role !== 'guide' && guide.trim() ? { guide: guide.trim() } : {}),
        ...(Object.keys(result).length ? { result } : {}),
      });
      setRecorded(created);
      history.reload();
      setSku(undefined);
      setShade('');
      setSkinType('');
      setNote('');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={14}>
        <Card title={`${t('trial.title')} · ${store}`}>
          <Space direction="vertical" size="middle" style={{ width: '100%' }}>
            <div>
              <Typography.Text strong>{t('trial.member')}</Typography.Text>
              <div style={{ marginTop: 8 }}>
                <MemberFinder
                  member={member}
                  onChange={(m) => {
                    setMember(m);
                    setRecorded(undefined);
                  }}
                  testId="trial-member"
                />
              </div>
            </div>
            <div>
              <Typography.Text strong>{t('trial.sku')}</Typography.Text>
              <div style={{ marginTop: 8 }}>
                <SkuScanField
                  value={sku}
                  onChange={setSku}
                  testId="trial-sku"
                  placeholder={t('trial.skuPlaceholder')}
                />
              </div>
            </div>
            <Radio.Group
              value={kind}
              onChange={(e) => setKind(e.target.value as ExperienceKind)}
              optionType="button"
              buttonStyle="solid"
              size="large"
              data-testid="trial-kind"
              options={EXPERIENCE_KINDS.map((k) => ({ value: k, label: codeLabel(t, 'experience.kind', k) }))}
            />
            <Space wrap>
              <Input
                size="large"
                placeholder={t('trial.shade')}
                value={shade}
                onChange={(e) => setShade(e.target.value)}
                style={{ width: 200 }}
                data-testid="trial-shade"
              />
              <Input
                size="large"
                placeholder={t('trial.skinType')}
                value={skinType}
                onChange={(e) => setSkinType(e.target.value)}
                style={{ width: 200 }}
              />
              {session.role !== 'guide' ? (
                <Input
                  size="large"
                  placeholder={t('trial.guide')}
                  value={guide}
                  onChange={(e) => setGuide(e.target.value)}
                  style={{ width: 200 }}
                />
              ) : null}
            </Space>
            <Input.TextArea
              rows={2}
              maxLength={200}
              placeholder={t('trial.note')}
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
            <ErrorAlert error={error} />
            <Button
              type="primary"
              size="large"
              disabled={!member || !sku}
              loading={busy}
              onClick={submit}
              data-testid="trial-submit"
            >
              {t('trial.submit')}
            </Button>
            {recorded ? (
              <Alert
                type="success"
                showIcon
                data-testid="trial-recorded"
                message={t('trial.recorded', {
                  sku: recorded.sku,
                  kind: codeLabel(t, 'experience.kind', recorded.kind),
                })}
              />
            ) : null}
          </Space>
        </Card>
      </Col>
      <Col xs={24} lg={10}>
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Card title={t('trial.history')}>
            {!member ? (
              <Typography.Text type="secondary">{t('trial.pickMemberFirst')}</Typography.Text>
            ) : history.error ? (
              <ErrorAlert error={history.error} />
            ) : (
              <SimpleTable<Experience>
                rows={history.data?.items ?? []}
                rowKey={(e) => e.id}
                empty={history.loading ? t('common.loading') : t('member.noExperiences')}
                testId="trial-history"
                columns={[
                  { key: 'sku', title: 'SKU', render: (e) => e.sku },
                  {
                    key: 'kind',
                    title: t('member.experienceKind'),
                    render: (e) => codeLabel(t, 'experience.kind', e.kind),
                  },
                  { key: 'store', title: t('common.store'), render: (e) => e.store },
                  {
                    key: 'result',
                    title: t('experience.result'),
                    render: (e) => resultText(locale, e.result) || '—',
                  },
                  {
                    key: 'at',
                    title: t('common.time'),
                    render: (e) => formatDateTime(e.recordedAt, locale, false),
                  },
                ]}
              />
            )}
          </Card>
          {member ? (
            <Card title={t('trial.offerCoupon')}>
              <IssueCouponForm memberId={member.id} store={store} />
            </Card>
          ) : null}
        </Space>
      </Col>
    </Row>
  );
}
