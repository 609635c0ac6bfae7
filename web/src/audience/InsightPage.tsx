import { Button, Card, Col, Form, InputNumber, Row, Select, Space, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import {
  listRfmRuns,
  type RfmRun,
  type RfmRunRequest,
  rfmGrid,
  rfmMovements,
  startRfmRun,
} from '../api/audience';
import { useApi } from '../api/hooks';
import { EmptyState, ErrorAlert, ErrorState, Loading } from '../components/States';
import { formatDateTime, formatFen } from '../format';
import { useCatalogueI18n } from '../i18n/catalogue';
import { type AudienceKey, audienceMessages } from './audience.messages';
import { EChart } from './RfmCharts';

/**
 * Customer insight: RFM runs (new ones made here), the chosen run's segment sizes and money, its R × F heat map,
 * and how members moved between segments since another run.
 */
export default function InsightPage() {
  const { t, locale } = useCatalogueI18n(audienceMessages);
  const runs = useApi((signal) => listRfmRuns({ limit: 50 }, signal), []);
  const [chosen, setChosen] = useState<string>();
  const [compare, setCompare] = useState<string>();
  const [request, setRequest] = useState<RfmRunRequest>({ scheme: 'quintile', monetary: 'total' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const items = runs.data?.items ?? [];
  const run = items.find((r) => r.id === chosen) ?? items[0];
  const grid = useApi(run ? (signal) => rfmGrid(run.id, signal) : null, [run?.id]);
  const earlier = compare && compare !== run?.id ? compare : undefined;
  const moves = useApi(run && earlier ? (signal) => rfmMovements(run.id, earlier, signal) : null, [
    run?.id,
    earlier,
  ]);
  const segmentName = (s: string | null) => (s === null ? '' : t(`segment.${s}` as AudienceKey));

  const start = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const made = await startRfmRun(request);
      setCompare(run?.id);
      setChosen(made.id);
      runs.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const sizesOption = useMemo(
    () => (run ? sizesChart(run, (s) => t(`segment.${s}` as AudienceKey), t) : {}),
    [run, t],
  );
  const gridOption = useMemo(() => (grid.data ? heatmap(grid.data.cells, t) : {}), [grid.data, t]);

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
        {t('insight.title')}
      </Typography.Title>
      <Card>
        <Typography.Paragraph type="secondary">{t('insight.explain')}</Typography.Paragraph>
        <Form layout="inline" style={{ rowGap: 12 }}>
          <Form.Item label={t('insight.scheme')}>
            <Select
              style={{ width: 200 }}
              value={request.scheme}
              data-testid="insight-scheme"
              onChange={(scheme) => setRequest({ scheme, monetary: request.monetary })}
              options={(['quintile', 'eight_class'] as const).map((s) => ({
                value: s,
                label: t(`insight.scheme.${s}`),
              }))}
            />
          </Form.Item>
          <Form.Item label={t('insight.windowDays')}>
            <InputNumber
              min={1}
              max={36_500}
              placeholder={t('insight.allHistory')}
              value={request.windowDays ?? null}
              onChange={(v) => {
                const { windowDays: _, ...rest } = request;
                setRequest(typeof v === 'number' ? { ...rest, windowDays: v } : rest);
              }}
            />
          </Form.Item>
          <Form.Item label={t('insight.monetary')}>
            <Select
              style={{ width: 140 }}
              value={request.monetary ?? 'total'}
              onChange={(monetary) => setRequest({ ...request, monetary })}
              options={(['total', 'average'] as const).map((m) => ({
                value: m,
                label: t(`insight.monetary.${m}`),
              }))}
            />
          </Form.Item>
          {request.scheme === 'eight_class' ? (
            <Form.Item label={t('insight.threshold')}>
              <Select
                style={{ width: 120 }}
                value={typeof request.threshold === 'string' ? request.threshold : 'mean'}
                onChange={(threshold) => setRequest({ ...request, threshold })}
                options={(['mean', 'median'] as const).map((m) => ({
                  value: m,
                  label: t(`insight.threshold.${m}`),
                }))}
              />
            </Form.Item>
          ) : null}
          <Button type="primary" loading={busy} onClick={start} data-testid="insight-run">
            {t('insight.run')}
          </Button>
        </Form>
        <ErrorAlert error={error} />
      </Card>
      {runs.error ? (
        <ErrorState error={runs.error} onRetry={runs.reload} />
      ) : !runs.data ? (
        <Loading />
      ) : !run ? (
        <Card>
          <EmptyState description={t('insight.noRuns')} />
        </Card>
      ) : (
        <>
          <Card>
            <Space wrap>
              <Select
                style={{ minWidth: 360 }}
                value={run.id}
                onChange={setChosen}
                data-testid="insight-runs"
                options={items.map((r) => ({ value: r.id, label: runLabel(r, t, locale) }))}
              />
              <Typography.Text type="secondary" data-testid="insight-summary">
                {t('insight.runSummary', {
                  members: run.members,
                  asOf: formatDateTime(run.asOf, locale),
                  ms: run.durationMs,
                })}
              </Typography.Text>
            </Space>
          </Card>
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={14}>
              <Card title={t('insight.sizes')} size="small">
                <EChart option={sizesOption} height={360} testId="insight-sizes" />
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              <Card title={t('insight.grid')} size="small">
                <EChart option={gridOption} height={360} testId="insight-grid" />
              </Card>
            </Col>
          </Row>
          <Card
            title={t('insight.movement')}
            size="small"
            extra={
              <Select
                allowClear
                style={{ minWidth: 320 }}
                placeholder={t('insight.compareWith')}
                value={earlier}
                onChange={setCompare}
                data-testid="insight-compare"
                options={items
                  .filter((r) => r.id !== run.id && r.scheme === run.scheme)
                  .map((r) => ({ value: r.id, label: runLabel(r, t, locale) }))}
              />
            }
          >
            {!earlier ? (
              <Typography.Text type="secondary">{t('insight.noMovement')}</Typography.Text>
            ) : (
              <Table
                size="small"
                data-testid="insight-movements"
                loading={moves.loading}
                rowKey={(m) => `${m.from}>${m.to}`}
                dataSource={moves.data?.moves ?? []}
                pagination={{ pageSize: 15 }}
                columns={[
                  { title: t('insight.from'), render: (_, m) => segmentName(m.from) || t('insight.entered') },
                  { title: t('insight.to'), render: (_, m) => segmentName(m.to) || t('insight.left') },
                  { title: t('insight.members'), dataIndex: 'members', align: 'right' },
                ]}
              />
            )}
          </Card>
        </>
      )}
    </Space>
  );
}

type T = ReturnType<typeof useCatalogueI18n<AudienceKey>>['t'];

function runLabel(r: RfmRun, t: T, locale: string): string {
  return `${formatDateTime(r.createdAt, locale)} · ${t(`insight.scheme.${r.scheme}`)} · ${r.members}`;
}

/** Members (bars) and money (bars on the right axis) per segment, in the scheme's order. */
function sizesChart(run: RfmRun, name: (s: string) => string, t: T) {
  const labels = run.segments.map((s) => name(s.segment));
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 56, right: 72, top: 36, bottom: 72 },
    xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, rotate: 30 } },
    yAxis: [
      { type: 'value', name: t('insight.members'), minInterval: 1 },
      {
        type: 'value',
        name: '¥',
        splitLine: { show: false },
        axisLabel: { formatter: (v: number) => (v / 100).toLocaleString() },
      },
    ],
    series: [
      { name: t('insight.members'), type: 'bar', data: run.segments.map((s) => s.members) },
      {
        name: t('insight.monetaryTotal'),
        type: 'bar',
        yAxisIndex: 1,
        data: run.segments.map((s) => s.monetary),
        tooltip: { valueFormatter: (v: number) => formatFen(v) },
      },
    ],
  };
}

/** Members per R × F cell, the more the darker. */
function heatmap(cells: { rScore: number; fScore: number; members: number }[], t: T) {
  const scores = [...new Set(cells.flatMap((c) => [c.rScore, c.fScore]))].sort((a, b) => a - b);
  const axis = scores.length ? Array.from({ length: Math.max(...scores) }, (_, i) => String(i + 1)) : [];
  return {
    tooltip: { position: 'top' },
    grid: { left: 64, right: 24, top: 16, bottom: 80 },
    xAxis: {
      type: 'category',
      data: axis,
      name: t('insight.recencyScore'),
      nameLocation: 'middle',
      nameGap: 28,
    },
    yAxis: {
      type: 'category',
      data: axis,
      name: t('insight.frequencyScore'),
      nameLocation: 'middle',
      nameGap: 40,
    },
    visualMap: {
      min: 0,
      max: Math.max(1, ...cells.map((c) => c.members)),
      calculable: true,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
    },
    series: [
      {
        type: 'heatmap',
        data: cells.map((c) => [c.rScore - 1, c.fScore - 1, c.members]),
        label: { show: true },
      },
    ],
  };
}
