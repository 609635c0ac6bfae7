import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import type { ImportView } from './imports.contract.js';

// The `omniloop` format: columns by name, orders of several channels and stores, customers by card, phone or
// e-mail through One ID, discounts, returns of an order, rows rejected one by one with their reasons.

const HEADER =
  'order_no,channel,store,ordered_at,card,phone,email,sku,name,category,quantity,unit_price,paid,return_of';
const ROWS = [
  // An order at the store by a member One ID already knows by phone: a discount on the second line.
  'P-1001,pos,OL01,2024-05-01 10:00:00,,13812345678,,LIP-01,丝绒唇膏 #01,lipstick,1,32000,,',
  'P-1001,pos,OL01,2024-05-01 10:00:00,,13812345678,,SER-01,精华 30ml,skincare,2,50000,90000,',
  // Online, a new customer with a card and an e-mail; the same row twice (dropped).
  'W-2001,online,,2024-05-02T09:30:00+08:00,OL-778899,,ann@example.com,LIP-01,,,2,32000,,',
  'W-2001,online,,2024-05-02T09:30:00+08:00,OL-778899,,ann@example.com,LIP-01,,,2,32000,,',
  // A return of one lipstick of W-2001.
  'W-R-1,online,,2024-05-09T12:00:00+08:00,OL-778899,,ann@example.com,LIP-01,,,1,32000,,W-2001',
  // Rejected one by one.
  'P-1002,pos,NOWHERE,2024-05-03 10:00:00,,,,LIP-01,,,1,32000,,',
  'P-1003,carrier_pigeon,,2024-05-03 10:00:00,,,,LIP-01,,,1,32000,,',
  'P-1004,pos,OL01,2024-05-03 10:00:00,,12345,,LIP-01,,,1,32000,,',
  'P-1005,pos,OL01,2024-05-03 10:00:00,,,,LIP-01,,,1,32000,40000,',
  'P-1006,pos,OL01,2024-05-03 10:00:00,,,,LIP-01,,,1,3.5,,',
  'P-1007,pos,OL01,not a date,,,,LIP-01,,,1,32000,,',
  // A guest's order whose second line names another time: the line is rejected, the order kept.
  'P-1008,pos,OL01,2024-05-04 10:00:00,,,,LIP-01,,,1,32000,,',
  'P-1008,pos,OL01,2024-05-04 11:00:00,,,,SER-01,,,1,50000,,',
];
const FILE = `${HEADER}\n${ROWS.join('\n')}\n`;

let t: TestApp;
let known: string;

async function finished(id: string): Promise<ImportView> {
  await expect
    .poll(async () => (await t.request({ method: 'GET', url: `/v1/imports/${id}` })).json().status, {
      timeout: 15_000,
    })
    .toBe('completed');
  return (await t.request({ method: 'GET', url: `/v1/imports/${id}` })).json();
}

function upload(body: string) {
  return t.request({
    method: 'POST',
    url: '/v1/imports/orders?format=omniloop&timezone=Asia/Shanghai&channel=online',
    headers: { 'content-type': 'text/csv' },
    body,
  });
}

beforeAll(async () => {
  t = await startTestApp();
  const store = await t.request({
    method: 'POST',
    url: '/v1/locations',
    body: {
      code: 'OL01',
      name: '上海静安店',
      kind: 'store',
      city: '上海',
      lat: 31.2236,
      lng: 121.4453,
      capabilities: { pickup: true, shipFromStore: false, sameDayRadiusKm: null },
    },
  });
  expect(store.statusCode, store.body).toBe(201);
  const category = await t.request({
    method: 'PUT',
    url: '/v1/catalog/categories/lipstick',
    body: { names: { 'zh-CN': '唇膏', 'en-US': 'Lipstick' } },
  });
  expect(category.statusCode, category.body).toBe(200);
  known = (
    await t.request({
      method: 'POST',
      url: '/v1/identify',
      body: { identifiers: [{ type: 'phone', value: '+86 138 1234 5678' }], channel: 'mini_program' },
    })
  ).json().memberId;
});
afterAll(() => t.close());

describe('importing order history (omniloop)', () => {
  it('imports orders of several channels and stores with discounts and returns, One ID by phone, card or e-mail', async () => {
    const res = await upload(FILE);
    expect(res.statusCode, res.body).toBe(202);
    const report = await finished(res.json().id);
    expect(report).toMatchObject({
      rowsTotal: 13,
      rowsImported: 5,
      rowsRejected: 7,
      duplicatesDropped: 1,
      ordersCreated: 3,
      returnsCreated: 1,
      membersCreated: 1,
      productsCreated: 2,
    });
    const rejects = (await t.request({ method: 'GET', url: `/v1/imports/${report.id}/rejects` })).body
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',').slice(0, 2).join(','));
    expect(rejects).toEqual([
      '6,UNKNOWN_STORE',
      '7,UNKNOWN_CHANNEL',
      '8,BAD_PHONE',
      '9,PAID_OVER_AMOUNT',
      '10,BAD_PRICE',
      '11,BAD_DATE',
      '13,ORDER_FIELDS_DIFFER',
    ]);

    // The store order belongs to the member One ID knew by her phone; its discount is kept.
    const mine = (await t.request({ method: 'GET', url: `/v1/orders?memberId=${known}` })).json().items;
    expect(mine).toHaveLength(1);
    const order = (await t.request({ method: 'GET', url: `/v1/orders/${mine[0].id}` })).json();
    expect(order).toMatchObject({
      channel: 'pos',
      externalId: 'P-1001',
      storeCode: 'OL01',
      totalAmount: 32000 + 100000,
      discountAmount: 10000,
      paidAmount: 122000,
      createdAt: '2024-05-01T02:00:00.000Z',
    });
    // A new item goes to the category the file names when the dictionary knows it, else to uncategorised.
    expect((await t.request({ method: 'GET', url: '/v1/skus/LIP-01' })).json()).toMatchObject({
      name: '丝绒唇膏 #01',
      category: 'lipstick',
    });
    expect((await t.request({ method: 'GET', url: '/v1/skus/SER-01' })).json()).toMatchObject({
      category: 'uncategorised',
    });

    // The new customer is one member holding her card and her e-mail; her return is hers too.
    const ann = await t.request({
      method: 'GET',
      url: '/v1/members/lookup?type=email&value=ANN@example.com',
    });
    expect(ann.statusCode, ann.body).toBe(200);
    const annId: string = ann.json().id;
    const byCard = await t.request({ method: 'GET', url: '/v1/members/lookup?type=card&value=ol-778899' });
    expect(byCard.json().id).toBe(annId);
    const returned = await t.runtime.database.db
      .selectFrom('history_returns')
      .selectAll()
      .where('external_id', '=', 'W-R-1')
      .executeTakeFirstOrThrow();
    expect(returned).toMatchObject({ member_id: annId, channel: 'online', amount: 32000 });
  });

  it('creates nothing new from the same file again', async () => {
    const res = await upload(FILE);
    expect(await finished(res.json().id)).toMatchObject({
      ordersCreated: 0,
      returnsCreated: 0,
      membersCreated: 0,
      productsCreated: 0,
      rowsImported: 0,
    });
  });

  it('refuses a header that is not the format’s, naming what is wrong', async () => {
    const res = await upload('order_no,sku,quantity,price\nA,B,1,2\n');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'IMPORT.BAD_HEADER' });
    expect(res.json().params.wrong).toBe('missing ordered_at, missing unit_price, unknown price');
  });
});
