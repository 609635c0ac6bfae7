import { LeftOutlined } from '@ant-design/icons';
import { Typography } from 'antd';
import type { ReactNode } from 'react';
import { LocaleSwitch } from '../components/LocaleSwitch';

/** A mini-program-style title bar. */
export function MobileHeader({
  title,
  onBack,
  extra,
}: {
  title: ReactNode;
  onBack?(): void;
  extra?: ReactNode;
}) {
  return (
    <div
      style={{
        position: 'sticky',
        top: 0,
        zIndex: 10,
        display: 'flex',
        alignItems: 'center',
        gap: 8,
        padding: '12px 16px',
        background: '#fff',
        borderBottom: '1px solid #f0f0f0',
      }}
    >
      {onBack ? <LeftOutlined onClick={onBack} style={{ fontSize: 18 }} aria-label="back" /> : null}
      <Typography.Text strong style={{ flex: 1, fontSize: 17 }}>
        {title}
      </Typography.Text>
      {extra}
      <LocaleSwitch />
    </div>
  );
}
