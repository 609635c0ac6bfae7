import { PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import {
  CAPABILITIES,
  createLocation,
  listLocations,
  refreshLocations,
  updateLocation,
} from '../api/catalog';
import { oneOf } from '../api/client';
import { useApi } from '../api/hooks';
import type { Location, LocationKind } from '../api/types';
import { useSession } from '../auth/AuthProvider';
import { can } from '../auth/roles';
import { ErrorAlert, ErrorState } from '../components/States';
import { useT } from '../i18n/I18nProvider';

interface FormValues {
  code: string;
  name: string;
  kind: LocationKind;
  city: string;
  address?: string;
  lat: number;
  lng: number;
  pickup?: boolean;
  shipFromStore?: boolean;
  sameDayRadiusKm?: number | null;
  dailyCapacity?: number | null;
  priorityTier?: number;
  active?: boolean;
}

/** Warehouses and stores: filter, open a new one, change what one can do. */
export default function LocationsPage() {
  const t = useT();
  const session = useSession();
  const [kind, setKind] = useState<LocationKind>();
  const [capability, setCapability] = useState<string>();
  const [q, setQ] = useState('');
  const [cursor, setCursor] = useState<string>();
  const [editing, setEditing] = useState<Location | 'new'>();
  const list = useApi(
    (signal) =>
      listLocations(
        { kind, capability: oneOf(CAPABILITIES, capability), q: q || undefined, limit: 50, cursor },
        signal,
      ),
    [kind, capability, q, cursor],
  );
  const writable = can(session.role, 'locations.manage');

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('location.title')}
        </Typography.Title>
        {writable ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('location.new')}
          </Button>
        ) : null}
      </Space>
      <Card size="small">
        <Space wrap>
          <Input.Search
            allowClear
            placeholder={t('location.search')}
            style={{ width: 260 }}
            onSearch={(value) => {
              setCursor(undefined);
              setQ(value.trim());
            }}
          />
          <Select
            allowClear
            placeholder={t('location.kindLabel')}
            style={{ width: 140 }}
            value={kind}
            onChange={(v) => {
              setCursor(undefined);
              setKind(v);
            }}
            options={[
              { value: 'store', label: t('location.kind.store') },
              { value: 'warehouse', label: t('location.kind.warehouse') },
            ]}
          />
          <Select
            allowClear
            placeholder={t('location.capability')}
            style={{ width: 180 }}
            value={capability}
            onChange={(v) => {
              setCursor(undefined);
              setCapability(v);
            }}
            options={[
              { value: 'pickup', label: t('location.pickup') },
              { value: 'ship_from_store', label: t('location.shipFromStore') },
              { value: 'same_day', label: t('location.sameDay') },
            ]}
          />
        </Space>
      </Card>
      {list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : (
        <Table<Location>
          rowKey="code"
          data-testid="locations-table"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('location.empty') }}
          columns={[
            { title: t('common.code'), dataIndex: 'code' },
            { title: t('common.name'), dataIndex: 'name' },
            {
              title: t('location.kindLabel'),
              dataIndex: 'kind',
              render: (k: LocationKind) => (
                <Tag color={k === 'warehouse' ? 'purple' : 'green'}>{t(`location.kind.${k}`)}</Tag>
              ),
            },
            { title: t('location.city'), dataIndex: 'city' },
            {
              title: t('location.capability'),
              key: 'capabilities',
              render: (_: unknown, l: Location) => (
                <Space size={4} wrap>
                  {l.capabilities?.pickup ? <Tag>{t('location.pickup')}</Tag> : null}
                  {l.capabilities?.shipFromStore ? <Tag>{t('location.shipFromStore')}</Tag> : null}
                  {l.capabilities?.sameDayRadiusKm ? (
                    <Tag>
                      {t('location.sameDay')} {l.capabilities.sameDayRadiusKm} km
                    </Tag>
                  ) : null}
                </Space>
              ),
            },
            {
              title: t('location.dailyCapacity'),
              dataIndex: 'dailyCapacity',
              render: (v?: number | null) => v ?? t('location.unlimited'),
            },
            {
              title: t('common.status'),
              dataIndex: 'active',
              render: (a?: boolean) =>
                a === false ? (
                  <Tag>{t('location.inactive')}</Tag>
                ) : (
                  <Tag color="green">{t('location.active')}</Tag>
                ),
            },
            ...(writable
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    render: (_: unknown, l: Location) => (
                      <Button size="small" onClick={() => setEditing(l)}>
                        {t('common.edit')}
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      <Space>
        <Button disabled={!cursor} onClick={() => setCursor(undefined)}>
          {t('common.firstPage')}
        </Button>
        <Button
          disabled={!list.data?.nextCursor}
          onClick={() => setCursor(list.data?.nextCursor ?? undefined)}
        >
          {t('common.nextPage')}
        </Button>
      </Space>
      {editing ? (
        <LocationForm
          location={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            refreshLocations();
            list.reload();
          }}
        />
      ) : null}
    </Space>
  );
}

function LocationForm({
  location,
  onClose,
  onSaved,
}: {
  location: Location | undefined;
  onClose(): void;
  onSaved(): void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const kind = Form.useWatch('kind', form) ?? location?.kind ?? 'store';

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(undefined);
    const capabilities =
      v.kind === 'warehouse' || location?.kind === 'warehouse'
        ? undefined
        : {
            pickup: !!v.pickup,
            shipFromStore: !!v.shipFromStore,
            sameDayRadiusKm: v.sameDayRadiusKm || null,
          };
    try {
      if (location) {
        await updateLocation(location.code, {
          name: v.name,
          address: v.address || null,
          ...(capabilities ? { capabilities } : {}),
          dailyCapacity: v.dailyCapacity ?? null,
          ...(v.priorityTier ? { priorityTier: v.priorityTier } : {}),
          active: v.active !== false,
        });
      } else {
        await createLocation({
          code: v.code,
          name: v.name,
          kind: v.kind,
          city: v.city,
          ...(v.address ? { address: v.address } : {}),
          lat: v.lat,
          lng: v.lng,
          ...(capabilities ? { capabilities } : {}),
          ...(v.dailyCapacity !== undefined && v.dailyCapacity !== null
            ? { dailyCapacity: v.dailyCapacity }
            : {}),
          ...(v.priorityTier ? { priorityTier: v.priorityTier } : {}),
        });
      }
      message.success(t('common.saved'));
      onSaved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      width={640}
      title={location ? `${t('common.edit')} · ${location.code}` : t('location.new')}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      okText={t('common.save')}
    >
      <ErrorAlert error={error} />
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={
          location
            ? {
                ...location,
                address: location.address ?? undefined,
                pickup: location.capabilities?.pickup,
                shipFromStore: location.capabilities?.shipFromStore,
                sameDayRadiusKm: location.capabilities?.sameDayRadiusKm ?? null,
                active: location.active !== false,
              }
            : { kind: 'store', pickup: true, shipFromStore: false, active: true }
        }
      >
        <Space wrap>
          <Form.Item
            name="code"
            label={t('common.code')}
            rules={[
              { required: true, pattern: /^[A-Z0-9][A-Z0-9_-]{1,31}$/, message: t('location.codeRule') },
            ]}
          >
            <Input disabled={!!location} style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="kind" label={t('location.kindLabel')} rules={[{ required: true }]}>
            <Select
              disabled={!!location}
              style={{ width: 140 }}
              options={[
                { value: 'store', label: t('location.kind.store') },
                { value: 'warehouse', label: t('location.kind.warehouse') },
              ]}
            />
          </Form.Item>
          <Form.Item name="name" label={t('common.name')} rules={[{ required: true, max: 100 }]}>
            <Input style={{ width: 260 }} />
          </Form.Item>
        </Space>
        <Space wrap>
          <Form.Item name="city" label={t('location.city')} rules={[{ required: true, max: 50 }]}>
            <Input disabled={!!location} style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="lat" label={t('location.lat')} rules={[{ required: true }]}>
            <InputNumber disabled={!!location} min={-90} max={90} step={0.0001} style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="lng" label={t('location.lng')} rules={[{ required: true }]}>
            <InputNumber disabled={!!location} min={-180} max={180} step={0.0001} style={{ width: 140 }} />
          </Form.Item>
        </Space>
        <Form.Item name="address" label={t('location.address')}>
          <Input maxLength={300} />
        </Form.Item>
        {kind === 'store' ? (
          <Space wrap size="large">
            <Form.Item name="pickup" label={t('location.pickup')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="shipFromStore" label={t('location.shipFromStore')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="sameDayRadiusKm" label={`${t('location.sameDay')} (km)`}>
              <InputNumber min={0.1} max={100} style={{ width: 120 }} />
            </Form.Item>
          </Space>
        ) : null}
        <Space wrap size="large">
          <Form.Item name="dailyCapacity" label={t('location.dailyCapacity')}>
            <InputNumber min={0} precision={0} placeholder={t('location.unlimited')} style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="priorityTier" label={t('location.priorityTier')}>
            <InputNumber min={1} max={9} precision={0} style={{ width: 100 }} />
          </Form.Item>
          {location ? (
            <Form.Item name="active" label={t('location.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          ) : null}
        </Space>
      </Form>
    </Modal>
  );
}
