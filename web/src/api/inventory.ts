import { type Answer, type Body, call, client, type QueryOf } from './client';

/** Stock as the console reads it, typed from /openapi.json. */
export type SkuInventory = Answer<'/v1/inventory/{sku}'>;
export type StockLevel = SkuInventory['levels'][number];
export type Movement = Answer<'/v1/inventory/{sku}/{location}/movements'>['items'][number];
export type Transfer = Answer<'/v1/transfers/{id}'>;
export type TransferStatus = Transfer['status'];
export type NearbyStock = Answer<'/v1/inventory/{sku}/nearby'>['items'][number];
export type TransferMove = 'accept' | 'decline' | 'ship' | 'receive' | 'cancel';

/** `inventory.level_changed` as the live stream delivers it: the level's whole new state (an event, not an answer). */
export interface LevelChanged extends Omit<StockLevel, 'updatedAt'> {
  occurredAt: string;
}

/** The level an event describes. */
export function levelOf(change: LevelChanged): StockLevel {
  const { occurredAt, ...quantities } = change;
  return { ...quantities, updatedAt: occurredAt };
}

export const skuStock = (sku: string, query: QueryOf<'/v1/inventory/{sku}'> = {}, signal?: AbortSignal) =>
  call(client.GET('/v1/inventory/{sku}', { params: { path: { sku }, query }, signal }));
export const listLevels = (query: QueryOf<'/v1/inventory'>, signal?: AbortSignal) =>
  call(client.GET('/v1/inventory', { params: { query }, signal }));
export const nearbyStock = (
  sku: string,
  query: QueryOf<'/v1/inventory/{sku}/nearby'>,
  signal?: AbortSignal,
) => call(client.GET('/v1/inventory/{sku}/nearby', { params: { path: { sku }, query }, signal }));
export const movementsOf = (
  sku: string,
  location: string,
  query: QueryOf<'/v1/inventory/{sku}/{location}/movements'> = {},
  signal?: AbortSignal,
) =>
  call(
    client.GET('/v1/inventory/{sku}/{location}/movements', {
      params: { path: { sku, location }, query },
      signal,
    }),
  );
export const countLevel = (
  sku: string,
  location: string,
  body: Body<'/v1/inventory/levels/{sku}/{location}', 'put'>,
) => call(client.PUT('/v1/inventory/levels/{sku}/{location}', { params: { path: { sku, location } }, body }));
export const listTransfers = (query: QueryOf<'/v1/transfers'>, signal?: AbortSignal) =>
  call(client.GET('/v1/transfers', { params: { query }, signal }));
export const requestTransfer = (body: Body<'/v1/transfers'>) => call(client.POST('/v1/transfers', { body }));

export function moveTransfer(id: string, move: TransferMove): Promise<Transfer> {
  const params = { path: { id } };
  switch (move) {
    case 'accept':
      return call(client.POST('/v1/transfers/{id}/accept', { params }));
    case 'decline':
      return call(client.POST('/v1/transfers/{id}/decline', { params }));
    case 'ship':
      return call(client.POST('/v1/transfers/{id}/ship', { params }));
    case 'receive':
      return call(client.POST('/v1/transfers/{id}/receive', { params }));
    case 'cancel':
      return call(client.POST('/v1/transfers/{id}/cancel', { params }));
  }
}
