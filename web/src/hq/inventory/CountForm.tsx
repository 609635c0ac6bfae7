import { App, Button, Card, Form, InputNumber, Select } from 'antd';
import { useState } from 'react';
import { countLevel, type StockLevel } from '../../api/inventory';
import { ErrorAlert } from '../../components/States';
import { useT } from '../../i18n/I18nProvider';

/** Why a level is set by hand; sales, returns and transfers move stock through their own flows. */
const COUNT_REASONS = ['count', 'receipt', 'damage', 'adjustment'] as const;

interface Values {
  onHand: number;
  safetyStock?: number;
  reason?: (typeof COUNT_REASONS)[number];
}

/** A stock count: the counted quantity is set, and the ledger records the difference. */
export function CountForm({
  sku,
  location,
  level,
  onSaved,
}: {
  sku: string;
  location: string;
  level: StockLevel | undefined;
  onSaved(level: StockLevel & { occurredAt: string }): void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (values: Values) => {
    setBusy(true);
    setError(undefined);
    try {
      const saved = await countLevel(sku, location, {
        onHand: values.onHand,
        ...(values.safetyStock !== undefined && values.safetyStock !== null
          ? { safetyStock: values.safetyStock }
          : {}),
        ...(values.reason ? { reason: values.reason } : {}),
      });
      onSaved({ ...saved, location, occurredAt: new Date().toISOString() });
      message.success(t('inventory.countSaved'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t('inventory.countTitle')}>
      <ErrorAlert error={error} />
      <Form<Values>
        layout="inline"
        onFinish={submit}
        initialValues={{ onHand: level?.onHand ?? 0, safetyStock: level?.safetyStock ?? 0, reason: 'count' }}
      >
        <Form.Item name="onHand" label={t('inventory.onHand')} rules={[{ required: true }]}>
          <InputNumber min={0} precision={0} data-testid="count-on-hand" />
        </Form.Item>
        <Form.Item name="safetyStock" label={t('inventory.safety')}>
          <InputNumber min={0} precision={0} />
        </Form.Item>
        <Form.Item name="reason" label={t('inventory.reason')}>
          <Select
            style={{ width: 140 }}
            options={COUNT_REASONS.map((r) => ({ value: r, label: t(`reason.${r}`) }))}
          />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="count-submit">
            {t('common.save')}
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}
