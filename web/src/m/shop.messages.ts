import type { Catalogue } from '../i18n/catalogue';

/** Texts of the customer's shop page and the save button of the product page, loaded with them only. */
const zhCN = {
  'shop.searchHint': '搜索商品名称、货号或条码',
  'shop.all': '全部',
  'shop.none': '没有找到相关商品',
  'fav.save': '收藏',
  'fav.saved': '已收藏',
  'fav.added': '已加入收藏',
  'fav.removed': '已取消收藏',
};
const enUS: typeof zhCN = {
  'shop.searchHint': 'Search by name, item code or barcode',
  'shop.all': 'All',
  'shop.none': 'No products found',
  'fav.save': 'Save',
  'fav.saved': 'Saved',
  'fav.added': 'Saved to your favourites',
  'fav.removed': 'Removed from your favourites',
};

export type ShopKey = keyof typeof zhCN;
export const shopMessages: Catalogue<ShopKey> = { 'zh-CN': zhCN, 'en-US': enUS };
