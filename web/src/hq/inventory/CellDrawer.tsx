import { HistoryOutlined } from '@ant-design/icons';
import { Drawer, Space } from 'antd';
import type { StockLevel } from '../../api/types';
import { CountForm } from './CountForm';
import { MovementHistory } from './MovementHistory';

/** One SKU at one location: its ledger, and for those who may, a count. */
export default function CellDrawer({
  sku,
  location,
  level,
  canCount,
  onClose,
  onSaved,
}: {
  sku: string;
  location: string;
  level: StockLevel | undefined;
  canCount: boolean;
  onClose(): void;
  onSaved(level: StockLevel & { occurredAt: string }): void;
}) {
  return (
    <Drawer
      width={640}
      open
      onClose={onClose}
      title={
        <Space>
          <HistoryOutlined />
          {sku} @ {location}
        </Space>
      }
    >
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        {canCount ? <CountForm sku={sku} location={location} level={level} onSaved={onSaved} /> : null}
        <MovementHistory sku={sku} location={location} refreshKey={level?.onHand ?? 0} />
      </Space>
    </Drawer>
  );
}
