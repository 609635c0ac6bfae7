import { type Answer, allOf, type Body, call, client, type QueryOf } from './client';

/** After-sales as the console reads it (returns, exchanges, service slots, appointments), typed from /openapi.json. */
export type ReturnView = Answer<'/v1/returns/{id}'>;
export type ReturnStatus = ReturnView['status'];
export type ReturnRefundStatus = ReturnView['refundStatus'];
export type ReturnLine = ReturnView['lines'][number];
export type ItemCondition = ReturnView['condition'];
export type ExchangeView = Answer<'/v1/exchanges'>['items'][number];
export type ExchangeWithReturn = Answer<'/v1/exchanges/{id}'>;
export type Slot = Answer<'/v1/stores/{code}/service-slots'>['items'][number];
export type Appointment = Answer<'/v1/appointments/{id}'>;
export type StoreCalendar = Answer<'/v1/stores/{code}/appointments'>;
export type ServiceKind = Slot['service'];
export const SERVICE_KINDS = allOf<ServiceKind>()(['skin_test', 'makeup', 'facial', 'after_sales_check']);
export type LineInput = Body<'/v1/returns'>['lines'][number];
export type ReturnRequest = Body<'/v1/returns'>;
export type ReturnMethodChoice = NonNullable<ReturnRequest['method']>;
export type ReturnCourier = NonNullable<ReturnView['courier']>;

export const createReturn = (body: Body<'/v1/returns'>) => call(client.POST('/v1/returns', { body }));
export const getReturn = (id: string, signal?: AbortSignal) =>
  call(client.GET('/v1/returns/{id}', { params: { path: { id } }, signal }));
export const listReturns = (query: QueryOf<'/v1/returns'>, signal?: AbortSignal) =>
  call(client.GET('/v1/returns', { params: { query }, signal }));
export const receiveReturn = (id: string, body: Body<'/v1/returns/{id}/receive'>) =>
  call(client.POST('/v1/returns/{id}/receive', { params: { path: { id } }, body }));
export const recordReturnShipment = (id: string, body: Body<'/v1/returns/{id}/shipment', 'put'>) =>
  call(client.PUT('/v1/returns/{id}/shipment', { params: { path: { id } }, body }));
export const createExchange = (body: Body<'/v1/exchanges'>) => call(client.POST('/v1/exchanges', { body }));
export const listExchanges = (orderId: string, signal?: AbortSignal) =>
  call(client.GET('/v1/exchanges', { params: { query: { orderId } }, signal }));

export const listSlots = (
  store: string,
  query: QueryOf<'/v1/stores/{code}/service-slots'>,
  signal?: AbortSignal,
) =>
  call(client.GET('/v1/stores/{code}/service-slots', { params: { path: { code: store }, query }, signal }));
export const storeCalendar = (
  store: string,
  query: QueryOf<'/v1/stores/{code}/appointments'>,
  signal?: AbortSignal,
) => call(client.GET('/v1/stores/{code}/appointments', { params: { path: { code: store }, query }, signal }));
export const myAppointments = (query: QueryOf<'/v1/appointments'>, signal?: AbortSignal) =>
  call(client.GET('/v1/appointments', { params: { query }, signal }));
export const bookAppointment = (body: Body<'/v1/appointments'>) =>
  call(client.POST('/v1/appointments', { body }));
export const cancelAppointment = (id: string, reason?: string) =>
  call(
    client.POST('/v1/appointments/{id}/cancel', { params: { path: { id } }, body: reason ? { reason } : {} }),
  );
/** Withdraws a requested return before its goods arrive (its units can be returned later). */
export const withdrawReturn = (id: string, reason: string) =>
  call(client.POST('/v1/returns/{id}/cancel', { params: { path: { id } }, body: { reason } }));
