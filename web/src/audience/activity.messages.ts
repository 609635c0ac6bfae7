import type { Catalogue } from '../i18n/catalogue';

const zhCN = {
  'activity.title': '行为时间线',
  'activity.allTypes': '全部类型',
  'activity.empty': '暂无行为记录',
  'activity.more': '加载更多',
  'activity.device': '设备 {device}',
  'activity.amount': '金额 {amount}',
  'activity.type.product_viewed': '浏览商品',
  'activity.type.cart_added': '加入购物车',
  'activity.type.cart_removed': '移出购物车',
  'activity.type.searched': '搜索',
  'activity.type.page_viewed': '浏览页面',
  'activity.type.share_clicked': '点击分享',
  'activity.type.product_favourited': '收藏商品',
  'activity.type.coupon_viewed': '查看优惠券',
  'activity.type.store_visited': '到店',
  'activity.type.live_watched': '观看直播',
  'activity.type.order.completed': '完成购买',
  'activity.type.order.imported': '历史订单',
  'activity.type.return.received': '退货入库',
  'activity.type.return.imported': '历史退货',
  'activity.type.experience.recorded': '门店试用',
  'activity.type.coupon.redeemed': '使用优惠券',
};

export type ActivityMessageKey = keyof typeof zhCN;

/** The activity timeline's texts: zh-CN first, English with every key. */
export const activityMessages: Catalogue<ActivityMessageKey> = {
  'zh-CN': zhCN,
  'en-US': {
    'activity.title': 'Activity timeline',
    'activity.allTypes': 'All types',
    'activity.empty': 'No activity yet',
    'activity.more': 'Load more',
    'activity.device': 'Device {device}',
    'activity.amount': 'Amount {amount}',
    'activity.type.product_viewed': 'Viewed a product',
    'activity.type.cart_added': 'Added to cart',
    'activity.type.cart_removed': 'Removed from cart',
    'activity.type.searched': 'Searched',
    'activity.type.page_viewed': 'Viewed a page',
    'activity.type.share_clicked': 'Clicked a share',
    'activity.type.product_favourited': 'Favourited a product',
    'activity.type.coupon_viewed': 'Viewed a coupon',
    'activity.type.store_visited': 'Visited a store',
    'activity.type.live_watched': 'Watched a live stream',
    'activity.type.order.completed': 'Purchase completed',
    'activity.type.order.imported': 'Order from history',
    'activity.type.return.received': 'Return received',
    'activity.type.return.imported': 'Return from history',
    'activity.type.experience.recorded': 'In-store trial',
    'activity.type.coupon.redeemed': 'Coupon redeemed',
  },
};
