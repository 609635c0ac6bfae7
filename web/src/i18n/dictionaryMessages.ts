// No imports: the test of these texts (test/dictionary-texts.test.ts) reads this file as it is.
type Locale = 'zh-CN' | 'en-US';

/**
 * The fixed dictionaries of the console (not the brand's): identity-review reasons and statuses, member traits
 * and their common values, trial results, a member's status, and the texts of the catalog's dictionary editor.
 * A code this file does not name is shown as it is (a brand may add traits); every code the platform itself
 * writes has a name in both languages (test/dictionary-texts.test.ts).
 */
const zhCN = {
  'review.reason.conflicting_phone': '两个不同的已验证手机号',
  'review.reason.conflicting_unionid': '两个不同的微信 UnionID',
  'review.reason.conflicting_openid': '两个不同的微信 OpenID',
  'review.reason.conflicting_email': '两个不同的邮箱',
  'review.reason.conflicting_card': '两张不同的会员卡',
  'review.reason.conflicting_marketplace': '两个不同的平台买家ID',
  'review.reason.conflicting_device': '两个不同的设备ID',
  'review.reason.too_many_phone': '手机号超过一人可有的数量',
  'review.reason.too_many_unionid': '微信 UnionID 超过一人可有的数量',
  'review.reason.too_many_openid': '微信 OpenID 超过一人可有的数量',
  'review.reason.too_many_email': '邮箱超过一人可有的数量',
  'review.reason.too_many_card': '会员卡超过一人可有的数量',
  'review.reason.too_many_marketplace': '平台买家ID超过一人可有的数量',
  'review.reason.too_many_device': '设备ID超过一人可有的数量（可能是共用设备）',
  'review.status.pending': '待审核',
  'review.status.merged': '已合并',
  'review.status.rejected': '已驳回',
  'member.status.active': '正常',
  'member.status.erased': '已注销',
  'trait.name': '姓名',
  'trait.birthday': '生日',
  'trait.address': '地址',
  'trait.gender': '性别',
  'trait.gender.female': '女',
  'trait.gender.male': '男',
  'trait.skinType': '肤质',
  'trait.skinType.dry': '干性',
  'trait.skinType.oily': '油性',
  'trait.skinType.combination': '混合性',
  'trait.skinType.sensitive': '敏感性',
  'trait.skinType.normal': '中性',
  'result.shade': '色号',
  'result.shadeChosen': '选定色号',
  'result.skinType': '肤质',
  'result.hydration': '含水量',
  'result.note': '备注',
  'dictionary.tab': '字典',
  'dictionary.products': '商品列表',
  'dictionary.categories': '品类',
  'dictionary.attributes': '规格属性',
  'dictionary.code': '编码',
  'dictionary.zh': '中文名称',
  'dictionary.en': '英文名称',
  'dictionary.values': '取值',
  'dictionary.unnamed': '未命名',
  'dictionary.edit': '编辑',
  'dictionary.add': '新增',
  'dictionary.addValue': '新增取值',
  'dictionary.save': '保存',
  'dictionary.saved': '已保存：{code}',
  'dictionary.editCategory': '品类名称',
  'dictionary.editAttribute': '属性名称',
  'dictionary.help': '品类、规格属性及其取值在控制台和顾客页面上显示的名称；未命名的显示编码本身。',
} as const;

export type DictionaryKey = keyof typeof zhCN;

const enUS: Record<DictionaryKey, string> = {
  'review.reason.conflicting_phone': 'Two different verified phone numbers',
  'review.reason.conflicting_unionid': 'Two different WeChat UnionIDs',
  'review.reason.conflicting_openid': 'Two different WeChat OpenIDs',
  'review.reason.conflicting_email': 'Two different email addresses',
  'review.reason.conflicting_card': 'Two different membership cards',
  'review.reason.conflicting_marketplace': 'Two different marketplace buyer IDs',
  'review.reason.conflicting_device': 'Two different device IDs',
  'review.reason.too_many_phone': 'More phone numbers than one person has',
  'review.reason.too_many_unionid': 'More WeChat UnionIDs than one person has',
  'review.reason.too_many_openid': 'More WeChat OpenIDs than one person has',
  'review.reason.too_many_email': 'More email addresses than one person has',
  'review.reason.too_many_card': 'More membership cards than one person has',
  'review.reason.too_many_marketplace': 'More marketplace buyer IDs than one person has',
  'review.reason.too_many_device': 'More devices than one person has (perhaps a shared device)',
  'review.status.pending': 'To review',
  'review.status.merged': 'Merged',
  'review.status.rejected': 'Rejected',
  'member.status.active': 'Active',
  'member.status.erased': 'Erased',
  'trait.name': 'Name',
  'trait.birthday': 'Birthday',
  'trait.address': 'Address',
  'trait.gender': 'Gender',
  'trait.gender.female': 'Female',
  'trait.gender.male': 'Male',
  'trait.skinType': 'Skin type',
  'trait.skinType.dry': 'Dry',
  'trait.skinType.oily': 'Oily',
  'trait.skinType.combination': 'Combination',
  'trait.skinType.sensitive': 'Sensitive',
  'trait.skinType.normal': 'Normal',
  'result.shade': 'Shade',
  'result.shadeChosen': 'Shade chosen',
  'result.skinType': 'Skin type',
  'result.hydration': 'Hydration',
  'result.note': 'Note',
  'dictionary.tab': 'Dictionary',
  'dictionary.products': 'Products',
  'dictionary.categories': 'Categories',
  'dictionary.attributes': 'Attributes',
  'dictionary.code': 'Code',
  'dictionary.zh': 'Chinese name',
  'dictionary.en': 'English name',
  'dictionary.values': 'Values',
  'dictionary.unnamed': 'Unnamed',
  'dictionary.edit': 'Edit',
  'dictionary.add': 'Add',
  'dictionary.addValue': 'Add a value',
  'dictionary.save': 'Save',
  'dictionary.saved': 'Saved: {code}',
  'dictionary.editCategory': 'Category names',
  'dictionary.editAttribute': 'Attribute names',
  'dictionary.help':
    'What categories, attributes and their values are called in the console and on the customer’s pages; an unnamed one shows its code.',
};

export const DICTIONARY_TEXTS: Record<Locale, Record<DictionaryKey, string>> = {
  'zh-CN': zhCN,
  'en-US': enUS,
};

/** A fixed code's name (`review.reason` + `conflicting_phone`), or the code itself when there is none. */
export function fixedLabel(locale: Locale, prefix: string, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '—';
  const texts = DICTIONARY_TEXTS[locale] as Record<string, string>;
  return texts[`${prefix}.${code}`] ?? code;
}

/** A member trait's name and value (gender: female → 性别: 女); unknown ones as they are. */
export function traitText(locale: Locale, key: string, value: unknown): { label: string; value: string } {
  const raw = typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  return { label: fixedLabel(locale, 'trait', key), value: fixedLabel(locale, `trait.${key}`, raw) };
}

/** A trial's result in words (选定色号：N05；肤质：混合性); unknown keys and values as they are. */
export function resultText(locale: Locale, result: Record<string, unknown> | null | undefined): string {
  if (!result) return '';
  const separator = locale === 'zh-CN' ? '；' : '; ';
  const colon = locale === 'zh-CN' ? '：' : ': ';
  return Object.entries(result)
    .map(([key, value]) => {
      const raw = typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
      // A result's skin type is a trait's value: the same words.
      return `${fixedLabel(locale, 'result', key)}${colon}${fixedLabel(locale, `trait.${key}`, raw)}`;
    })
    .join(separator);
}

/** A text of the dictionary editor, with `{name}` filled in. */
export function dictionaryText(locale: Locale, key: DictionaryKey, params?: Record<string, string>): string {
  const text = DICTIONARY_TEXTS[locale][key];
  return params ? text.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? `{${name}}`) : text;
}
