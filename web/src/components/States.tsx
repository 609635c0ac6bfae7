import { Alert, Button, Empty, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, fieldTextOf, messageOf } from '../api/client';
import type { StreamStatus } from '../api/stream';
import { homeOf } from '../auth/roles';
import type { Role } from '../auth/session';
import { useI18n, useT } from '../i18n/I18nProvider';

export function Loading({ tip }: { tip?: string }) {
  const t = useT();
  return (
    <div style={{ padding: 48, textAlign: 'center' }} data-testid="loading">
      <Spin />
      <div style={{ marginTop: 8, color: '#8c8c8c' }}>{tip ?? t('common.loading')}</div>
    </div>
  );
}

/** A failed call says what went wrong in the person's language (messageOf), never a blank page. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT();
  const status = error instanceof ApiError ? error.status : 0;
  const code = error instanceof ApiError ? error.code : undefined;
  return (
    <Result
      status={status === 403 ? '403' : status === 404 ? '404' : 'error'}
      title={status === 403 ? t('error.forbidden') : status === 404 ? t('error.notFound') : t('error.title')}
      subTitle={
        // The code stays at hand for support (hover), not on screen.
        <span data-testid="error-detail" data-code={code} title={code}>
          {messageOf(error)}
        </span>
      }
      // Asking again for what does not exist or is not theirs finds the same: no retry then.
      extra={
        onRetry && status !== 403 && status !== 404 ? (
          <Button onClick={onRetry}>{t('common.retry')}</Button>
        ) : undefined
      }
    />
  );
}

/** An inline error above a form or table. */
export function ErrorAlert({ error }: { error: unknown }) {
  const { locale } = useI18n();
  if (!error) return null;
  // Each bad field in the reader's language; a rule of the domain is said by the problem's sentence already, and
  // its English note is shown to English readers only.
  const fields = (error instanceof ApiError ? error.errors : []).flatMap((f) => {
    const text = fieldTextOf(locale, f) ?? (locale === 'en-US' ? f.message : undefined);
    return f.rule === 'if' || text === undefined ? [] : [{ path: f.path, text }];
  });
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      message={messageOf(error)}
      description={
        fields.length > 0 ? (
          <ul style={{ margin: 0, paddingLeft: 20 }}>
            {fields.map((f) => (
              <li key={`${f.path}:${f.text}`} data-testid="error-field">
                {f.path}
                {locale === 'zh-CN' ? '：' : ': '}
                {f.text}
              </li>
            ))}
          </ul>
        ) : undefined
      }
    />
  );
}

export function EmptyState({ description, children }: { description: ReactNode; children?: ReactNode }) {
  return (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={description}>
      {children}
    </Empty>
  );
}

export function Forbidden({ role }: { role?: Role | undefined }) {
  const t = useT();
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title="403"
      subTitle={<span data-testid="forbidden">{t('error.forbiddenPage')}</span>}
      extra={
        role ? (
          <Button type="primary" onClick={() => navigate(homeOf(role))}>
            {t('error.backToMyArea')}
          </Button>
        ) : undefined
      }
    />
  );
}

const STREAM_COLORS: Record<StreamStatus, string> = {
  open: '#52c41a',
  connecting: '#faad14',
  closed: '#bfbfbf',
};

export function StreamBadge({ status }: { status: StreamStatus }) {
  const t = useT();
  return (
    <span data-testid="stream-status" data-status={status} style={{ fontSize: 12, color: '#595959' }}>
      <span
        style={{
          display: 'inline-block',
          width: 8,
          height: 8,
          borderRadius: 4,
          marginRight: 6,
          background: STREAM_COLORS[status],
        }}
      />
      {t(`stream.${status}`)}
    </span>
  );
}
