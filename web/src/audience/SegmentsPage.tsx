import { DeleteOutlined, DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Input,
  InputNumber,
  List,
  Row,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import {
  createSegment,
  downloadSegment,
  listSegments,
  previewSegment,
  type SegmentPreview,
  type SegmentRule,
  segmentMembers,
} from '../api/audience';
import { messageOf } from '../api/client';
import { useApi } from '../api/hooks';
import { EmptyState, ErrorAlert } from '../components/States';
import { formatDateTime, formatFen } from '../format';
import { useCatalogueI18n } from '../i18n/catalogue';
import { type AudienceKey, audienceMessages } from './audience.messages';

const NUMBER_TRAITS = [
  'orderCount',
  'spend',
  'spend365',
  'averageOrder',
  'unitsBought',
  'trialCount',
] as const;
const TIME_TRAITS = ['lastOrderAt', 'lastTrialAt', 'lastSeenAt', 'firstOrderAt'] as const;
const TEXT_TRAITS = ['city', 'homeStore', 'tier', 'guide'] as const;
const EVENTS = [
  'order.completed',
  'experience.recorded',
  'return.received',
  'coupon.redeemed',
  'product_viewed',
  'cart_added',
  'searched',
] as const;
const RFM = [
  'champions',
  'loyal',
  'potential_loyalist',
  'new_customers',
  'promising',
  'need_attention',
  'about_to_sleep',
  'at_risk',
  'cannot_lose_them',
  'hibernating',
  'lost',
] as const;

type Kind = 'trait' | 'tag' | 'consent' | 'rfm' | 'event';

/** One condition as the builder edits it; it becomes one rule of the language. */
interface Condition {
  kind: Kind;
  not: boolean;
  trait: string;
  op: string;
  value: string;
  days: number;
}

const blank = (kind: Kind): Condition => ({
  kind,
  not: false,
  trait: 'orderCount',
  op: '>=',
  value:
    kind === 'consent'
      ? 'marketing'
      : kind === 'rfm'
        ? 'champions'
        : kind === 'event'
          ? 'order.completed'
          : '',
  days: 30,
});

/** The rule of one condition, or null while it is not filled in. */
function ruleOf(c: Condition): SegmentRule | null {
  let rule: SegmentRule | null;
  if (c.kind === 'tag') rule = c.value.trim() ? { tag: c.value.trim() } : null;
  else if (c.kind === 'consent') rule = { consent: c.value as 'marketing' };
  else if (c.kind === 'rfm') rule = { rfm: { scheme: 'quintile', segment: c.value as 'champions' } };
  else if (c.kind === 'event') rule = { event: c.value, within: `P${Math.max(1, c.days)}D` };
  else if ((TIME_TRAITS as readonly string[]).includes(c.trait))
    // "Last order more than N days ago" reads as: before the instant N days back.
    rule = { trait: c.trait as 'lastOrderAt', op: c.op as '<', value: `P${Math.max(1, c.days)}D` };
  else if ((NUMBER_TRAITS as readonly string[]).includes(c.trait))
    rule = c.value === '' ? null : { trait: c.trait as 'spend', op: c.op as '>=', value: Number(c.value) };
  else rule = c.value.trim() ? { trait: c.trait as 'city', op: '=', value: c.value.trim() } : null;
  return rule && c.not ? { not: rule } : rule;
}

/**
 * HQ's segment builder: conditions on the profile, tags, consent, RFM and activity, all or any of them, with the
 * count and a sample of who matches as the rule changes; saved segments with their members and a CSV export.
 */
export default function SegmentsPage() {
  const { t, locale } = useCatalogueI18n(audienceMessages);
  const { message } = App.useApp();
  const segments = useApi((signal) => listSegments(signal), []);
  const [match, setMatch] = useState<'all' | 'any'>('all');
  const [conditions, setConditions] = useState<Condition[]>([blank('trait')]);
  const [preview, setPreview] = useState<SegmentPreview>();
  const [error, setError] = useState<unknown>();
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<string>();
  const [marketingOnly, setMarketingOnly] = useState(true);
  const latest = useRef(0);

  const rules = conditions.map(ruleOf).filter((r): r is SegmentRule => r !== null);
  // One condition is its own rule; several are all or any of them (the schema's nesting, one level here).
  const rule = (
    rules.length === 0
      ? null
      : rules.length === 1
        ? rules[0]
        : match === 'all'
          ? { all: rules }
          : { any: rules }
  ) as SegmentRule | null;
  const ruleText = rule ? JSON.stringify(rule) : '';

  // The live count: asked again a moment after the rule stops changing.
  useEffect(() => {
    const ticket = ++latest.current;
    if (!ruleText) {
      setPreview(undefined);
      return;
    }
    const timer = setTimeout(async () => {
      try {
        const answer = await previewSegment(JSON.parse(ruleText) as SegmentRule);
        if (ticket === latest.current) {
          setPreview(answer);
          setError(undefined);
        }
      } catch (e) {
        if (ticket === latest.current) setError(e);
      }
    }, 300);
    return () => clearTimeout(timer);
  }, [ruleText]);

  const members = useApi(chosen ? (signal) => segmentMembers(chosen, { limit: 50 }, signal) : null, [chosen]);
  const set = (i: number, change: Partial<Condition>) =>
    setConditions((all) => all.map((c, j) => (j === i ? { ...c, ...change } : c)));

  const save = async () => {
    if (!rule || !name.trim()) return;
    try {
      const made = await createSegment(name.trim(), rule);
      message.success(t('segments.saved'));
      setChosen(made.id);
      segments.reload();
    } catch (e) {
      setError(e);
    }
  };

  const memberColumns = [
    { title: 'ID', dataIndex: 'memberId' },
    { title: t('segments.orders'), dataIndex: 'orderCount', align: 'right' as const },
    {
      title: t('segments.spend'),
      render: (_: unknown, m: { spend: number }) => formatFen(m.spend),
      align: 'right' as const,
    },
    {
      title: t('segments.lastOrder'),
      render: (_: unknown, m: { lastOrderAt: string | null }) =>
        m.lastOrderAt ? formatDateTime(m.lastOrderAt, locale) : '—',
    },
  ];

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
        {t('segments.title')}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Card title={t('segments.builder')}>
            <Typography.Paragraph type="secondary">{t('segments.explain')}</Typography.Paragraph>
            <Space direction="vertical" style={{ width: '100%' }}>
              <Space>
                {t('segments.match')}
                <Select
                  value={match}
                  onChange={setMatch}
                  style={{ width: 140 }}
                  options={(['all', 'any'] as const).map((m) => ({
                    value: m,
                    label: t(`segments.match.${m}`),
                  }))}
                />
              </Space>
              {conditions.map((c, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: conditions have no identity but their place
                <Space key={i} wrap data-testid={`segment-condition-${i}`}>
                  <Checkbox checked={c.not} onChange={(e) => set(i, { not: e.target.checked })}>
                    {t('segments.not')}
                  </Checkbox>
                  <Select
                    value={c.kind}
                    style={{ width: 120 }}
                    onChange={(kind: Kind) => set(i, blank(kind))}
                    options={(['trait', 'tag', 'consent', 'rfm', 'event'] as const).map((k) => ({
                      value: k,
                      label: t(`segments.kind.${k}`),
                    }))}
                  />
                  {c.kind === 'trait' ? (
                    <TraitCondition c={c} set={(change) => set(i, change)} t={t} />
                  ) : c.kind === 'tag' ? (
                    <Input
                      value={c.value}
                      onChange={(e) => set(i, { value: e.target.value })}
                      style={{ width: 180 }}
                    />
                  ) : (
                    <Select
                      value={c.value}
                      style={{ width: 200 }}
                      onChange={(value: string) => set(i, { value })}
                      options={(c.kind === 'consent'
                        ? ['marketing', 'personalization', 'third_party_sharing'].map((v) => `consent.${v}`)
                        : c.kind === 'rfm'
                          ? RFM.map((v) => `segment.${v}`)
                          : EVENTS.map((v) => `event.${v}`)
                      ).map((key) => ({
                        value: key.slice(key.indexOf('.') + 1),
                        label: t(key as AudienceKey),
                      }))}
                    />
                  )}
                  {c.kind === 'event' ? (
                    <InputNumber
                      min={1}
                      max={3650}
                      value={c.days}
                      addonAfter={t('segments.withinDays')}
                      onChange={(v) => set(i, { days: typeof v === 'number' ? v : 30 })}
                    />
                  ) : null}
                  <Button
                    icon={<DeleteOutlined />}
                    onClick={() => setConditions((all) => all.filter((_, j) => j !== i))}
                  />
                </Space>
              ))}
              <Button
                icon={<PlusOutlined />}
                onClick={() => setConditions((all) => [...all, blank('trait')])}
              >
                {t('segments.add')}
              </Button>
              <ErrorAlert error={error} />
              <Typography.Title level={4} data-testid="segment-count" data-count={preview?.count ?? ''}>
                {preview ? t('segments.count', { count: preview.count }) : '—'}
              </Typography.Title>
              {preview?.sample.length ? (
                <Table
                  size="small"
                  rowKey="memberId"
                  data-testid="segment-sample"
                  title={() => t('segments.sample')}
                  dataSource={preview.sample}
                  pagination={false}
                  columns={memberColumns}
                />
              ) : null}
              <Space>
                <Input
                  placeholder={t('segments.name')}
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                  style={{ width: 240 }}
                  data-testid="segment-name"
                />
                <Button
                  type="primary"
                  disabled={!rule || !name.trim()}
                  onClick={save}
                  data-testid="segment-save"
                >
                  {t('segments.save')}
                </Button>
              </Space>
            </Space>
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Card title={t('segments.list')}>
            {segments.data?.items.length ? (
              <List
                data-testid="segment-list"
                dataSource={segments.data.items}
                renderItem={(s) => (
                  <List.Item
                    onClick={() => setChosen(s.id)}
                    style={{
                      cursor: 'pointer',
                      background: s.id === chosen ? '#e6f4ff' : undefined,
                      paddingInline: 8,
                    }}
                    extra={<Typography.Text strong>{s.count}</Typography.Text>}
                  >
                    {s.name}
                  </List.Item>
                )}
              />
            ) : (
              <EmptyState description={t('segments.none')} />
            )}
          </Card>
        </Col>
      </Row>
      {chosen ? (
        <Card
          title={t('segments.members')}
          extra={
            <Space>
              <Checkbox checked={marketingOnly} onChange={(e) => setMarketingOnly(e.target.checked)}>
                {t('segments.exportMarketing')}
              </Checkbox>
              <Button
                icon={<DownloadOutlined />}
                onClick={() =>
                  downloadSegment(chosen, marketingOnly).catch((e) => message.error(messageOf(e)))
                }
              >
                {t('segments.export')}
              </Button>
            </Space>
          }
        >
          <Table
            size="small"
            rowKey="memberId"
            data-testid="segment-members"
            loading={members.loading}
            dataSource={members.data?.items ?? []}
            columns={memberColumns}
          />
        </Card>
      ) : null}
    </Space>
  );
}

function TraitCondition({
  c,
  set,
  t,
}: {
  c: Condition;
  set: (change: Partial<Condition>) => void;
  t: (key: AudienceKey) => string;
}) {
  const time = (TIME_TRAITS as readonly string[]).includes(c.trait);
  const text = (TEXT_TRAITS as readonly string[]).includes(c.trait);
  return (
    <Space>
      <Select
        value={c.trait}
        style={{ width: 170 }}
        data-testid="segment-trait"
        onChange={(trait: string) =>
          set({ trait, op: (TIME_TRAITS as readonly string[]).includes(trait) ? '<' : '>=', value: '' })
        }
        options={[...NUMBER_TRAITS, ...TIME_TRAITS, ...TEXT_TRAITS].map((v) => ({
          value: v,
          label: t(`trait.${v}` as AudienceKey),
        }))}
      />
      {text ? null : (
        <Select
          value={c.op}
          style={{ width: 80 }}
          onChange={(op: string) => set({ op })}
          options={(time ? ['<', '>'] : ['>=', '>', '=', '<', '<=']).map((op) => ({ value: op, label: op }))}
        />
      )}
      {time ? (
        <InputNumber
          min={1}
          max={3650}
          value={c.days}
          addonAfter={t('segments.daysAgo')}
          onChange={(v) => set({ days: typeof v === 'number' ? v : 30 })}
        />
      ) : (
        <Input
          value={c.value}
          style={{ width: 140 }}
          data-testid="segment-value"
          onChange={(e) => set({ value: e.target.value })}
        />
      )}
    </Space>
  );
}
