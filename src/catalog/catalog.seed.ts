import type { Database } from '../platform/index.js';
import type { NewProduct, NewSku } from './catalog.contract.js';
import { ean13CheckDigit, type SkuAttributes } from './catalog.rules.js';
import { addSku, createProduct } from './catalog.service.js';

/**
 * The demo brand's catalog: lipsticks and foundations in many shades, skincare in two sizes, fragrances in three,
 * and make-up tools — about three hundred SKUs, built without randomness so that every seed is the same.
 */

// A fictional GS1 company prefix in China's range (690–699); the item number is the SKU's place in this list.
const COMPANY_PREFIX = '6970168';

const yuan = (amount: number): number => Math.round(amount * 100);

const LIPSTICK_SHADES: { shade: string; shadeName: string }[] = [
  { shade: '999', shadeName: '正红' },
  { shade: '888', shadeName: '酒红' },
  { shade: '777', shadeName: '番茄红' },
  { shade: '520', shadeName: '玫瑰豆沙' },
  { shade: '301', shadeName: '裸粉' },
  { shade: '306', shadeName: '珊瑚' },
  { shade: '316', shadeName: '枫叶棕' },
  { shade: '405', shadeName: '复古砖红' },
  { shade: '505', shadeName: '蜜桃' },
  { shade: '611', shadeName: '樱桃莓果' },
  { shade: '720', shadeName: '焦糖奶茶' },
  { shade: '810', shadeName: '梅子紫' },
];

const LIPSTICK_LINES: { code: string; name: string; finish: string; size: string; price: number }[] = [
  { code: 'LIP-VELVET', name: '丝绒唇膏', finish: 'matte', size: '3.5g', price: 320 },
  { code: 'LIP-SATIN', name: '缎光唇膏', finish: 'satin', size: '3.5g', price: 320 },
  { code: 'LIP-SILK', name: '丝缎唇膏', finish: 'satin', size: '3.2g', price: 350 },
  { code: 'LIP-ICON', name: '高定唇膏', finish: 'satin', size: '3.8g', price: 420 },
  { code: 'LIP-CRYSTAL', name: '晶钻唇膏', finish: 'shimmer', size: '3.5g', price: 380 },
  { code: 'LIP-BALM', name: '润色唇膏', finish: 'sheer', size: '3.2g', price: 260 },
  { code: 'LIP-GLOW', name: '水光唇釉', finish: 'glossy', size: '6ml', price: 290 },
  { code: 'LIP-MIRROR', name: '镜面唇釉', finish: 'glossy', size: '6ml', price: 300 },
  { code: 'LIP-LACQUER', name: '漆光唇釉', finish: 'lacquer', size: '6ml', price: 310 },
  { code: 'LIP-INK', name: '哑光唇釉', finish: 'matte', size: '6ml', price: 290 },
  { code: 'LIP-CLOUD', name: '雾感唇泥', finish: 'matte', size: '5g', price: 280 },
  { code: 'LIP-PLUMP', name: '丰盈唇蜜', finish: 'glossy', size: '5ml', price: 270 },
];

const FOUNDATION_SHADES = ['C00', 'C05', 'C10', 'N05', 'N10', 'N15', 'N20', 'W10', 'W20', 'W30'];

const FOUNDATION_LINES: { code: string; name: string; finish: string; size: string; price: number }[] = [
  { code: 'FDN-WEAR', name: '持妆粉底液', finish: 'natural', size: '30ml', price: 480 },
  { code: 'FDN-SERUM', name: '精华粉底液', finish: 'radiant', size: '30ml', price: 560 },
  { code: 'FDN-MATTE', name: '哑光粉底液', finish: 'matte', size: '30ml', price: 450 },
  { code: 'FDN-GLOW', name: '光感粉底液', finish: 'radiant', size: '30ml', price: 520 },
  { code: 'FDN-LIGHT', name: '轻透粉底乳', finish: 'natural', size: '30ml', price: 390 },
  { code: 'FDN-CUSHION', name: '气垫粉底', finish: 'natural', size: '15g', price: 420 },
];

// Price of the 30 ml; the 50 ml costs about 1.5 times as much, as counters price it.
const SKINCARE: { code: string; name: string; type: string; price: number }[] = [
  { code: 'SKN-SERUM-RENEW', name: '焕颜精华', type: 'serum', price: 680 },
  { code: 'SKN-SERUM-BRIGHT', name: '净白精华', type: 'serum', price: 720 },
  { code: 'SKN-SERUM-REPAIR', name: '修护精华', type: 'serum', price: 650 },
  { code: 'SKN-SERUM-FIRM', name: '紧致抗皱精华', type: 'serum', price: 880 },
  { code: 'SKN-SERUM-HYDRA', name: '玻尿酸保湿精华', type: 'serum', price: 520 },
  { code: 'SKN-CREAM-REPAIR', name: '修护面霜', type: 'cream', price: 760 },
  { code: 'SKN-CREAM-RENEW', name: '焕颜面霜', type: 'cream', price: 820 },
  { code: 'SKN-CREAM-HYDRA', name: '保湿面霜', type: 'cream', price: 560 },
  { code: 'SKN-CREAM-NIGHT', name: '紧致晚霜', type: 'cream', price: 900 },
  { code: 'SKN-CREAM-GEL', name: '清爽凝霜', type: 'cream', price: 480 },
  { code: 'SKN-TONER-RENEW', name: '焕颜精粹水', type: 'toner', price: 420 },
  { code: 'SKN-TONER-HYDRA', name: '保湿爽肤水', type: 'toner', price: 320 },
  { code: 'SKN-TONER-BRIGHT', name: '净白柔肤水', type: 'toner', price: 380 },
  { code: 'SKN-EMULSION-RENEW', name: '焕颜乳液', type: 'emulsion', price: 460 },
  { code: 'SKN-EMULSION-HYDRA', name: '保湿乳液', type: 'emulsion', price: 360 },
  { code: 'SKN-EMULSION-BRIGHT', name: '净白乳液', type: 'emulsion', price: 420 },
  { code: 'SKN-EYE', name: '紧致眼霜', type: 'eye_cream', price: 620 },
  { code: 'SKN-CLEANSER', name: '氨基酸洁面乳', type: 'cleanser', price: 220 },
  { code: 'SKN-CLEANSING-OIL', name: '植萃卸妆油', type: 'cleanser', price: 260 },
  { code: 'SKN-SUNSCREEN', name: '轻透防晒乳', type: 'sunscreen', price: 300 },
];

const FRAGRANCES: { code: string; name: string; family: string }[] = [
  { code: 'FRG-WHITE-TEA', name: '白茶', family: 'green' },
  { code: 'FRG-MORNING-DEW', name: '晨露', family: 'fresh' },
  { code: 'FRG-GARDENIA', name: '栀子', family: 'floral' },
  { code: 'FRG-SANDALWOOD', name: '檀香', family: 'woody' },
  { code: 'FRG-SEA-SALT', name: '海盐', family: 'aquatic' },
  { code: 'FRG-OSMANTHUS', name: '桂花', family: 'floral' },
  { code: 'FRG-CEDAR', name: '雪松', family: 'woody' },
  { code: 'FRG-ROSE', name: '玫瑰', family: 'floral' },
  { code: 'FRG-LIME', name: '青柠', family: 'citrus' },
  { code: 'FRG-BAMBOO', name: '竹林', family: 'green' },
];
const FRAGRANCE_SIZES: { size: string; price: number }[] = [
  { size: '30ml', price: 690 },
  { size: '50ml', price: 980 },
  { size: '100ml', price: 1450 },
];

const TOOLS: {
  code: string;
  name: string;
  variants: { suffix: string; label: string; attributes: SkuAttributes; price: number }[];
}[] = [
  { code: 'TOOL-BRUSH-FDN', name: '粉底刷', variants: [single(180)] },
  { code: 'TOOL-BRUSH-POWDER', name: '散粉刷', variants: [single(220)] },
  { code: 'TOOL-BRUSH-BLUSH', name: '腮红刷', variants: [single(160)] },
  { code: 'TOOL-BRUSH-EYE', name: '眼影刷', variants: [single(120)] },
  { code: 'TOOL-BRUSH-LIP', name: '唇刷', variants: [single(90)] },
  {
    code: 'TOOL-BRUSH-SET',
    name: '刷具套装',
    variants: [
      { suffix: '5', label: '5支装', attributes: { pieces: '5' }, price: 460 },
      { suffix: '12', label: '12支装', attributes: { pieces: '12' }, price: 880 },
    ],
  },
  {
    code: 'TOOL-SPONGE',
    name: '美妆蛋',
    variants: [
      { suffix: 'PINK', label: '粉色', attributes: { color: 'pink' }, price: 69 },
      { suffix: 'BLACK', label: '黑色', attributes: { color: 'black' }, price: 69 },
    ],
  },
  {
    code: 'TOOL-PUFF',
    name: '气垫粉扑',
    variants: [
      { suffix: '2', label: '2片装', attributes: { pieces: '2' }, price: 49 },
      { suffix: '6', label: '6片装', attributes: { pieces: '6' }, price: 119 },
    ],
  },
  { code: 'TOOL-CURLER', name: '睫毛夹', variants: [single(150)] },
  {
    code: 'TOOL-POUCH',
    name: '化妆包',
    variants: [
      { suffix: 'S', label: '小号', attributes: { size: 'S' }, price: 199 },
      { suffix: 'M', label: '中号', attributes: { size: 'M' }, price: 259 },
      { suffix: 'L', label: '大号', attributes: { size: 'L' }, price: 329 },
    ],
  },
  {
    code: 'TOOL-PADS',
    name: '化妆棉',
    variants: [
      { suffix: '80', label: '80片', attributes: { pieces: '80' }, price: 39 },
      { suffix: '150', label: '150片', attributes: { pieces: '150' }, price: 59 },
    ],
  },
  { code: 'TOOL-MIRROR', name: '随身镜', variants: [single(129)] },
  { code: 'TOOL-SHARPENER', name: '眉笔卷笔刀', variants: [single(29)] },
  { code: 'TOOL-TWEEZER', name: '修眉镊', variants: [single(79)] },
];

function single(price: number) {
  return { suffix: '', label: '', attributes: {}, price };
}

type DemoSku = Omit<NewSku, 'barcode'>;

function demoProducts(): NewProduct[] {
  const products: { code: string; name: string; category: string; description: string; skus: DemoSku[] }[] =
    [];
  for (const line of LIPSTICK_LINES) {
    products.push({
      code: line.code,
      name: line.name,
      category: 'lipstick',
      description: `澜境${line.name}，${line.size}，${LIPSTICK_SHADES.length}个色号`,
      skus: LIPSTICK_SHADES.map((s) => ({
        code: `${line.code}-${s.shade}`,
        name: `${line.name} ${s.shade} ${s.shadeName}`,
        price: yuan(line.price),
        attributes: { shade: s.shade, shadeName: s.shadeName, finish: line.finish, size: line.size },
      })),
    });
  }
  for (const line of FOUNDATION_LINES) {
    products.push({
      code: line.code,
      name: line.name,
      category: 'foundation',
      description: `澜境${line.name}，${line.size}，冷调 C、中性 N、暖调 W 共${FOUNDATION_SHADES.length}个色号`,
      skus: FOUNDATION_SHADES.map((shade) => ({
        code: `${line.code}-${shade}`,
        name: `${line.name} ${shade}`,
        price: yuan(line.price),
        attributes: { shade, finish: line.finish, size: line.size },
      })),
    });
  }
  for (const item of SKINCARE) {
    products.push({
      code: item.code,
      name: item.name,
      category: 'skincare',
      description: `澜境${item.name}，30ml / 50ml`,
      skus: [
        { size: '30ml', price: yuan(item.price) },
        { size: '50ml', price: yuan(Math.round((item.price * 1.5) / 10) * 10) },
      ].map((v) => ({
        code: `${item.code}-${v.size.toUpperCase()}`,
        name: `${item.name} ${v.size}`,
        price: v.price,
        attributes: { size: v.size, type: item.type },
      })),
    });
  }
  for (const scent of FRAGRANCES) {
    const name = `${scent.name}淡香精`;
    products.push({
      code: scent.code,
      name,
      category: 'fragrance',
      description: `澜境东方意境香氛系列 ${name}`,
      skus: FRAGRANCE_SIZES.map((v) => ({
        code: `${scent.code}-${v.size.toUpperCase()}`,
        name: `${name} ${v.size}`,
        price: yuan(v.price),
        attributes: { size: v.size, concentration: 'EDP', family: scent.family },
      })),
    });
  }
  for (const tool of TOOLS) {
    products.push({
      code: tool.code,
      name: tool.name,
      category: 'tools',
      description: `澜境${tool.name}`,
      skus: tool.variants.map((v) => ({
        code: v.suffix === '' ? tool.code : `${tool.code}-${v.suffix}`,
        name: v.label === '' ? tool.name : `${tool.name} ${v.label}`,
        price: yuan(v.price),
        attributes: v.attributes,
      })),
    });
  }
  let item = 0;
  return products.map((product) => ({
    ...product,
    skus: product.skus.map((sku) => {
      item++;
      const first12 = `${COMPANY_PREFIX}${String(item).padStart(5, '0')}`;
      return { ...sku, barcode: `${first12}${ean13CheckDigit(first12)}` };
    }),
  }));
}

/** The demo catalog, the same on every call. */
export const DEMO_PRODUCTS: NewProduct[] = demoProducts();

/** Creates the demo products and SKUs that do not exist yet; returns how many of each it created. */
export async function seedCatalog(database: Database): Promise<{ products: number; skus: number }> {
  const db = database.db;
  const products = new Set((await db.selectFrom('products').select('code').execute()).map((r) => r.code));
  const skus = new Set((await db.selectFrom('skus').select('code').execute()).map((r) => r.code));
  const created = { products: 0, skus: 0 };
  for (const product of DEMO_PRODUCTS) {
    if (!products.has(product.code)) {
      await database.transaction((trx) => createProduct(trx, product));
      created.products++;
      created.skus += product.skus.length;
      continue;
    }
    for (const sku of product.skus) {
      if (skus.has(sku.code)) continue;
      await database.transaction((trx) => addSku(trx, product.code, sku));
      created.skus++;
    }
  }
  return created;
}
