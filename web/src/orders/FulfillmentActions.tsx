import { App, Button, type ButtonProps, Form, Input, Modal, Space, Tag } from 'antd';
import { useState } from 'react';
import { messageOf } from '../api/client';
import {
  actOnFulfillment,
  type Fulfillment,
  type FulfillmentAction,
  fulfillmentActions,
} from '../api/orders';
import { useT } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { codeLabel } from './OrderParts';

const LABELS: Record<FulfillmentAction, MessageKey> = {
  accept: 'fulfillment.accept',
  reject: 'fulfillment.reject',
  ready: 'fulfillment.ready',
  ship: 'fulfillment.ship',
  deliver: 'fulfillment.deliver',
};

/**
 * The buttons a group's status allows (accept / reject with a reason / mark ready / ship with carrier and
 * tracking / delivered); the answer replaces the group, a refusal shows the problem's detail.
 */
export function FulfillmentActions({
  f,
  onDone,
  size = 'middle',
  only,
}: {
  f: Fulfillment;
  onDone(updated: Fulfillment): void;
  size?: 'small' | 'middle' | 'large';
  only?: readonly FulfillmentAction[];
}) {
  const t = useT();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<FulfillmentAction>();
  const [dialog, setDialog] = useState<'reject' | 'ship'>();
  const [form] = Form.useForm<{ reason?: string; carrier?: string; trackingNumber?: string }>();
  const actions = fulfillmentActions(f).filter((a) => !only || only.includes(a));

  const run = async (
    action: FulfillmentAction,
    body: { reason?: string; carrier?: string; trackingNumber?: string } = {},
  ) => {
    setBusy(action);
    try {
      const updated = await actOnFulfillment(f.id, action, body);
      message.success(codeLabel(t, 'fulfillmentStatus', updated.status));
      setDialog(undefined);
      form.resetFields();
      onDone(updated);
    } catch (e) {
      message.error(messageOf(e));
    } finally {
      setBusy(undefined);
    }
  };

  // An unpaid order's group is nobody's work yet: no button that could only be refused.
  if (f.awaitingPayment)
    return (
      <Tag color="gold" data-testid="fulfillment-awaiting-payment">
        {t('fulfillment.awaitingPayment')}
      </Tag>
    );
  if (actions.length === 0) return null;
  return (
    <>
      <Space wrap>
        {actions.map((action) => (
          <Button
            key={action}
            size={size}
            type={action === 'reject' ? 'default' : 'primary'}
            danger={action === 'reject'}
            loading={busy === action}
            data-testid={`fulfillment-${action}`}
            onClick={() => (action === 'reject' || action === 'ship' ? setDialog(action) : run(action))}
          >
            {t(LABELS[action])}
          </Button>
        ))}
      </Space>
      <Modal
        open={dialog !== undefined}
        title={dialog === 'reject' ? t('fulfillment.rejectTitle') : t('fulfillment.shipTitle')}
        okText={dialog === 'reject' ? t('fulfillment.reject') : t('fulfillment.ship')}
        cancelText={t('common.cancel')}
        okButtonProps={
          {
            danger: dialog === 'reject',
            loading: busy !== undefined,
            'data-testid': 'fulfillment-confirm',
          } as ButtonProps
        }
        onCancel={() => setDialog(undefined)}
        onOk={async () => {
          const values = await form.validateFields();
          if (dialog) await run(dialog, values);
        }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          {dialog === 'reject' ? (
            <Form.Item
              name="reason"
              label={t('fulfillment.rejectReason')}
              rules={[{ required: true, whitespace: true, message: t('fulfillment.rejectReason') }]}
              extra={t('fulfillment.rejectHint')}
            >
              <Input.TextArea maxLength={200} rows={3} data-testid="fulfillment-reason" />
            </Form.Item>
          ) : (
            <>
              <Form.Item
                name="carrier"
                label={t('fulfillment.carrier')}
                rules={[{ required: true, whitespace: true, message: t('fulfillment.carrier') }]}
              >
                <Input maxLength={50} placeholder="SF Express / 顺丰" data-testid="fulfillment-carrier" />
              </Form.Item>
              <Form.Item
                name="trackingNumber"
                label={t('fulfillment.trackingNumber')}
                rules={[{ required: true, whitespace: true, message: t('fulfillment.trackingNumber') }]}
              >
                <Input maxLength={100} data-testid="fulfillment-tracking" />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </>
  );
}
