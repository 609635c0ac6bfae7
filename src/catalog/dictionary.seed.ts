import type { Database } from '../platform/index.js';
import type { AttributeNames, CategoryNames, Names } from './catalog.contract.js';
import { nameAttribute, nameCategory } from './dictionary.service.js';

/** The demo brand's dictionary: every category and attribute its catalog uses, in Chinese and English. */

const n = (zh: string, en: string): Names => ({ 'zh-CN': zh, 'en-US': en });

const CATEGORIES: [string, Names][] = [
  ['lipstick', n('口红', 'Lipstick')],
  ['foundation', n('粉底', 'Foundation')],
  ['skincare', n('护肤', 'Skincare')],
  ['fragrance', n('香氛', 'Fragrance')],
  ['tools', n('美妆工具', 'Make-up tools')],
];

const ATTRIBUTES: [string, Names, [string, Names][]][] = [
  ['shade', n('色号', 'Shade'), []],
  ['shadeName', n('色名', 'Shade name'), []],
  [
    'finish',
    n('妆效', 'Finish'),
    [
      ['matte', n('哑光', 'Matte')],
      ['satin', n('缎光', 'Satin')],
      ['shimmer', n('珠光', 'Shimmer')],
      ['sheer', n('透润', 'Sheer')],
      ['glossy', n('水光', 'Glossy')],
      ['lacquer', n('漆光', 'Lacquer')],
      ['natural', n('自然', 'Natural')],
      ['radiant', n('光泽', 'Radiant')],
    ],
  ],
  [
    'size',
    n('规格', 'Size'),
    [
      ['S', n('小号', 'Small')],
      ['M', n('中号', 'Medium')],
      ['L', n('大号', 'Large')],
    ],
  ],
  [
    'type',
    n('类型', 'Type'),
    [
      ['serum', n('精华', 'Serum')],
      ['cream', n('面霜', 'Cream')],
      ['toner', n('爽肤水', 'Toner')],
      ['emulsion', n('乳液', 'Emulsion')],
      ['eye_cream', n('眼霜', 'Eye cream')],
      ['cleanser', n('洁面', 'Cleanser')],
      ['sunscreen', n('防晒', 'Sunscreen')],
    ],
  ],
  ['concentration', n('浓度', 'Concentration'), [['EDP', n('淡香精', 'Eau de parfum')]]],
  [
    'family',
    n('香调', 'Scent family'),
    [
      ['green', n('绿叶调', 'Green')],
      ['fresh', n('清新调', 'Fresh')],
      ['floral', n('花香调', 'Floral')],
      ['woody', n('木质调', 'Woody')],
      ['aquatic', n('海洋调', 'Aquatic')],
      ['citrus', n('柑橘调', 'Citrus')],
    ],
  ],
  ['pieces', n('件数', 'Pieces'), []],
  [
    'color',
    n('颜色', 'Colour'),
    [
      ['pink', n('粉色', 'Pink')],
      ['black', n('黑色', 'Black')],
    ],
  ],
];

/** The demo dictionary, in the order lists show it. */
export const DEMO_DICTIONARY: {
  categories: (CategoryNames & { code: string })[];
  attributes: (AttributeNames & { code: string })[];
} = {
  categories: CATEGORIES.map(([code, names], position) => ({ code, names, position })),
  attributes: ATTRIBUTES.map(([code, names, values], position) => ({
    code,
    names,
    position,
    values: values.map(([value, valueNames]) => ({ code: value, names: valueNames })),
  })),
};

/** Names the demo's categories and attributes that have no entry yet (a brand's own edits stay); how many. */
export async function seedDictionary(database: Database): Promise<number> {
  const db = database.db;
  const categories = new Set(
    (await db.selectFrom('catalog_categories').select('code').execute()).map((r) => r.code),
  );
  const attributes = new Set(
    (await db.selectFrom('catalog_attributes').select('code').execute()).map((r) => r.code),
  );
  let created = 0;
  for (const { code, ...body } of DEMO_DICTIONARY.categories) {
    if (categories.has(code)) continue;
    await database.transaction((trx) => nameCategory(trx, code, body));
    created++;
  }
  for (const { code, ...body } of DEMO_DICTIONARY.attributes) {
    if (attributes.has(code)) continue;
    await database.transaction((trx) => nameAttribute(trx, code, body));
    created++;
  }
  return created;
}
