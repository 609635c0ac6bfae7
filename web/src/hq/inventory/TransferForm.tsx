import { App, Form, InputNumber, Modal, Select } from 'antd';
import { useState } from 'react';
import { requestTransfer, type Transfer } from '../../api/inventory';
import type { Location } from '../../api/types';
import { ErrorAlert } from '../../components/States';
import { useT } from '../../i18n/I18nProvider';

interface Values {
  from: string;
  to: string;
  quantity: number;
}

/** Request a transfer of one SKU between two locations (shipped and received from the transfers page). */
export default function TransferForm({
  sku,
  locations,
  onClose,
  onCreated,
}: {
  sku: string;
  locations: Location[];
  onClose(): void;
  onCreated(transfer: Transfer): void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const options = locations.map((l) => ({ value: l.code, label: `${l.code} · ${l.name}` }));

  const submit = async () => {
    const values = await form.validateFields();
    setBusy(true);
    setError(undefined);
    try {
      const created = await requestTransfer({ sku, ...values });
      message.success(t('transfer.created', { id: created.id }));
      form.resetFields();
      onCreated(created);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={`${t('transfer.new')} · ${sku}`}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      okText={t('transfer.request')}
      destroyOnHidden
    >
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical" initialValues={{ quantity: 1 }}>
        <Form.Item name="from" label={t('transfer.from')} rules={[{ required: true }]}>
          <Select showSearch optionFilterProp="label" options={options} />
        </Form.Item>
        <Form.Item
          name="to"
          label={t('transfer.to')}
          dependencies={['from']}
          rules={[
            { required: true },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                value && value === getFieldValue('from')
                  ? Promise.reject(new Error(t('transfer.sameLocation')))
                  : Promise.resolve(),
            }),
          ]}
        >
          <Select showSearch optionFilterProp="label" options={options} />
        </Form.Item>
        <Form.Item name="quantity" label={t('transfer.quantity')} rules={[{ required: true }]}>
          <InputNumber min={1} precision={0} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
