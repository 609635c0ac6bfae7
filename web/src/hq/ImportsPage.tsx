import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Form, Progress, Select, Space, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import {
  downloadRejects,
  getImport,
  type ImportQuery,
  type ImportReport,
  uploadOrderHistory,
} from '../api/imports';
import { CHANNELS } from '../api/loyalty';
import { ErrorAlert } from '../components/States';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n/I18nProvider';
import { codeLabel } from '../orders/OrderParts';

const ZONES = ['Europe/London', 'Asia/Shanghai', 'UTC', 'America/New_York'];
const POLL_MS = 1000;

/**
 * Bringing in the brand's order history: choose the file (CSV or .csv.gz) and how to read it, watch the rows go in,
 * read the report and download the rejected rows with their reasons.
 */
export default function ImportsPage() {
  const { t, locale } = useI18n();
  const [query, setQuery] = useState<ImportQuery>({
    format: 'online_retail',
    timezone: 'Europe/London',
    channel: 'online',
  });
  const [file, setFile] = useState<File>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [report, setReport] = useState<ImportReport>();
  const input = useRef<HTMLInputElement>(null);

  // The report is followed until the import is done.
  useEffect(() => {
    if (report?.status !== 'running') return;
    const timer = setTimeout(() => {
      getImport(report.id).then(setReport, setError);
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [report]);

  const start = async () => {
    if (!file) return;
    setBusy(true);
    setError(undefined);
    setReport(undefined);
    try {
      const started = await uploadOrderHistory(file, query);
      setReport(await getImport(started.id));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const percent = report && report.rowsTotal > 0 ? Math.floor((report.rowsRead / report.rowsTotal) * 100) : 0;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
        {t('imports.title')}
      </Typography.Title>
      <Card>
        <Typography.Paragraph type="secondary">{t('imports.explain')}</Typography.Paragraph>
        <ErrorAlert error={error} />
        <Form layout="inline" style={{ rowGap: 12 }}>
          <Form.Item label={t('imports.format')}>
            <Select
              style={{ width: 320 }}
              value={query.format}
              options={[
                { value: 'online_retail', label: t('imports.format.online_retail') },
                { value: 'omniloop', label: t('imports.format.omniloop') },
              ]}
              onChange={(format) => setQuery({ ...query, format })}
            />
          </Form.Item>
          <Form.Item label={t('imports.timezone')}>
            <Select
              style={{ width: 180 }}
              value={query.timezone}
              options={ZONES.map((z) => ({ value: z, label: z }))}
              onChange={(timezone) => setQuery({ ...query, timezone })}
            />
          </Form.Item>
          <Form.Item label={t('common.channel')}>
            <Select
              style={{ width: 140 }}
              value={query.channel}
              options={CHANNELS.map((c) => ({ value: c, label: codeLabel(t, 'channel', c) }))}
              onChange={(channel) => setQuery({ ...query, channel })}
            />
          </Form.Item>
          <Form.Item>
            <input
              ref={input}
              type="file"
              accept=".csv,.gz,text/csv,application/gzip"
              style={{ display: 'none' }}
              data-testid="import-file"
              onChange={(e) => setFile(e.target.files?.[0])}
            />
            <Space>
              <Button icon={<UploadOutlined />} onClick={() => input.current?.click()}>
                {file ? file.name : t('imports.chooseFile')}
              </Button>
              <Button
                type="primary"
                disabled={!file}
                loading={busy}
                onClick={start}
                data-testid="import-start"
              >
                {t('imports.start')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
      {report ? (
        <Card
          title={
            <Space>
              {t('imports.report')}
              <Tag
                color={report.status === 'completed' ? 'green' : report.status === 'failed' ? 'red' : 'blue'}
                data-testid="import-status"
                data-status={report.status}
              >
                {t(`imports.status.${report.status}`)}
              </Tag>
            </Space>
          }
          extra={
            report.rowsRejected > 0 ? (
              <Button
                icon={<DownloadOutlined />}
                onClick={() => downloadRejects(report.id).catch(setError)}
                data-testid="import-rejects"
              >
                {t('imports.downloadRejects')}
              </Button>
            ) : null
          }
        >
          <Progress
            percent={report.status === 'completed' ? 100 : percent}
            status={report.status === 'failed' ? 'exception' : undefined}
          />
          <Descriptions
            column={{ xs: 1, md: 3 }}
            size="small"
            style={{ marginTop: 16 }}
            data-testid="import-report"
          >
            <Descriptions.Item label={t('imports.rows')}>
              {report.rowsRead} / {report.rowsTotal}
            </Descriptions.Item>
            <Descriptions.Item label={t('imports.rowsImported')}>{report.rowsImported}</Descriptions.Item>
            <Descriptions.Item label={t('imports.rowsRejected')}>{report.rowsRejected}</Descriptions.Item>
            <Descriptions.Item label={t('imports.duplicates')}>{report.duplicatesDropped}</Descriptions.Item>
            <Descriptions.Item label={t('imports.orders')}>{report.ordersCreated}</Descriptions.Item>
            <Descriptions.Item label={t('imports.returns')}>{report.returnsCreated}</Descriptions.Item>
            <Descriptions.Item label={t('imports.members')}>{report.membersCreated}</Descriptions.Item>
            <Descriptions.Item label={t('imports.products')}>{report.productsCreated}</Descriptions.Item>
            <Descriptions.Item label={t('imports.startedAt')}>
              {formatDateTime(report.startedAt, locale)}
            </Descriptions.Item>
          </Descriptions>
        </Card>
      ) : null}
    </Space>
  );
}
