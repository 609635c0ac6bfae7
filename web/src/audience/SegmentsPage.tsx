import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Checkbox, Col, Input, List, Row, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useRef, useState } from 'react';
import {
  createSegment,
  downloadSegment,
  type SegmentMemberListed as Listed,
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
import { audienceMessages } from './audience.messages';
import { SegmentRuleBuilder } from './SegmentRuleBuilder';

/**
 * HQ's segment builder: conditions on the profile, tags, consent, RFM and activity, all or any of them, with the
 * count and a sample of who matches as the rule changes; saved segments with their members and a CSV export.
 */
export default function SegmentsPage() {
  const { t, locale } = useCatalogueI18n(audienceMessages);
  const { message } = App.useApp();
  const segments = useApi((signal) => listSegments(signal), []);
  const [rule, setRule] = useState<SegmentRule | null>(null);
  const [preview, setPreview] = useState<SegmentPreview>();
  const [error, setError] = useState<unknown>();
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<string>();
  const [marketingOnly, setMarketingOnly] = useState(true);
  const latest = useRef(0);

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

  // A saved segment's members also show whom they are, masked (the server masks them).
  const listedColumns: ColumnsType<Listed> = [
    memberColumns[0]!,
    {
      title: t('segments.contact'),
      render: (_: unknown, m: Listed) => [m.name, m.phone].filter(Boolean).join(' · ') || '—',
    },
    ...memberColumns.slice(1),
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
              <SegmentRuleBuilder onChange={setRule} />
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
            columns={listedColumns}
          />
        </Card>
      ) : null}
    </Space>
  );
}
