import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Input, InputNumber, Select, Space, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { SegmentRule } from '../api/audience';
import { useCatalogueI18n } from '../i18n/catalogue';
import { type AudienceKey, audienceMessages } from './audience.messages';
import { QUINTILE_SEGMENTS } from './rfmSegments';

const NUMBER_TRAITS = [
  'orderCount',
  'spend',
  'spend365',
  'averageOrder',
  'unitsBought',
  'trialCount',
] as const;
const TIME_TRAITS = ['lastOrderAt', 'lastTrialAt', 'lastSeenAt', 'firstOrderAt'] as const;
const TEXT_TRAITS = ['city', 'homeStore', 'tier', 'guide'] as const;
const EVENTS = [
  'order.completed',
  'experience.recorded',
  'return.received',
  'coupon.redeemed',
  'product_viewed',
  'cart_added',
  'searched',
] as const;
const RFM = QUINTILE_SEGMENTS;

export type ConditionKind = 'trait' | 'tag' | 'consent' | 'rfm' | 'event';
const KINDS: readonly ConditionKind[] = ['trait', 'tag', 'consent', 'rfm', 'event'];

/** One condition as the builder edits it; it becomes one rule of the language. */
interface Condition {
  kind: ConditionKind;
  not: boolean;
  trait: string;
  op: string;
  value: string;
  days: number;
}

const blank = (kind: ConditionKind): Condition => ({
  kind,
  not: false,
  trait: 'orderCount',
  op: '>=',
  value:
    kind === 'consent'
      ? 'marketing'
      : kind === 'rfm'
        ? 'champions'
        : kind === 'event'
          ? 'order.completed'
          : '',
  days: 30,
});

const isIn = (list: readonly string[], value: string) => list.includes(value);

/** The rule of one condition, or null while it is not filled in. */
function ruleOf(c: Condition): SegmentRule | null {
  let rule: SegmentRule | null;
  if (c.kind === 'tag') rule = c.value.trim() ? { tag: c.value.trim() } : null;
  else if (c.kind === 'consent') rule = { consent: c.value as 'marketing' };
  else if (c.kind === 'rfm') rule = { rfm: { scheme: 'quintile', segment: c.value as 'champions' } };
  else if (c.kind === 'event') rule = { event: c.value, within: `P${Math.max(1, c.days)}D` };
  else if (isIn(TIME_TRAITS, c.trait))
    // "Last order more than N days ago" reads as: before the instant N days back.
    rule = { trait: c.trait as 'lastOrderAt', op: c.op as '<', value: `P${Math.max(1, c.days)}D` };
  else if (isIn(NUMBER_TRAITS, c.trait))
    rule = c.value === '' ? null : { trait: c.trait as 'spend', op: c.op as '>=', value: Number(c.value) };
  else rule = c.value.trim() ? { trait: c.trait as 'city', op: '=', value: c.value.trim() } : null;
  return rule && c.not ? { not: rule } : rule;
}

const daysOf = (duration: unknown): number | null => {
  const m = typeof duration === 'string' ? /^P(\d{1,4})D$/.exec(duration) : null;
  return m ? Number(m[1]) : null;
};

type Json = Record<string, unknown>;
const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const only = (rule: Json, ...keys: string[]) => Object.keys(rule).every((k) => keys.includes(k));

/**
 * The condition a one-leaf rule came from (the inverse of ruleOf), or null for what the builder cannot show. The
 * client sees a rule as loose JSON (the schema is recursive), so each field is checked as it is read.
 */
function conditionOf(rule: Json): Condition | null {
  if ('not' in rule) {
    const inner = isJson(rule.not) && !('not' in rule.not) ? conditionOf(rule.not) : null;
    return inner ? { ...inner, not: true } : null;
  }
  const tag = text(rule.tag);
  if (tag !== null) return { ...blank('tag'), value: tag };
  const consent = text(rule.consent);
  if (consent !== null) return { ...blank('consent'), value: consent };
  if (isJson(rule.rfm)) {
    const segment = text(rule.rfm.segment) ?? '';
    return rule.rfm.scheme === 'quintile' && isIn(RFM, segment) ? { ...blank('rfm'), value: segment } : null;
  }
  const event = text(rule.event);
  if (event !== null) {
    const days = daysOf(rule.within);
    return days !== null && only(rule, 'event', 'within') && isIn(EVENTS, event)
      ? { ...blank('event'), value: event, days }
      : null;
  }
  const trait = text(rule.trait);
  const op = text(rule.op);
  if (trait === null || op === null) return null;
  const base = { ...blank('trait'), trait, op };
  if (isIn(TIME_TRAITS, trait)) {
    const days = daysOf(rule.value);
    return days !== null && (op === '<' || op === '>') ? { ...base, days } : null;
  }
  if (isIn(NUMBER_TRAITS, trait))
    return typeof rule.value === 'number' && ['>=', '>', '=', '<', '<='].includes(op)
      ? { ...base, value: String(rule.value) }
      : null;
  const value = text(rule.value);
  return isIn(TEXT_TRAITS, trait) && op === '=' && value !== null ? { ...base, value } : null;
}

/** What the builder shows for a saved rule: all / any of single conditions, or null when it cannot. */
function builderStateOf(rule: SegmentRule): { match: 'all' | 'any'; conditions: Condition[] } | null {
  const match = Array.isArray(rule.all) ? 'all' : Array.isArray(rule.any) ? 'any' : null;
  const leaves: unknown[] = match ? (rule[match] as unknown[]) : [rule];
  const conditions = leaves.map((leaf) => (isJson(leaf) ? conditionOf(leaf) : null));
  if (conditions.length === 0 || conditions.some((c) => c === null)) return null;
  return { match: match ?? 'all', conditions: conditions as Condition[] };
}

/**
 * The segment rule language as a form: conditions on the profile, tags, consent, RFM and activity, all or any of
 * them. Segments and rule tags both use it; `onChange` hears the rule (null while nothing is filled in). A saved
 * rule the form cannot show (written through the API) is kept as it is until the person starts over.
 */
export function SegmentRuleBuilder({
  initial,
  kinds = KINDS,
  onChange,
}: {
  initial?: SegmentRule | null;
  kinds?: readonly ConditionKind[];
  onChange(rule: SegmentRule | null): void;
}) {
  const { t } = useCatalogueI18n(audienceMessages);
  const [start] = useState(() => (initial ? builderStateOf(initial) : null));
  const [kept, setKept] = useState(initial && !start ? initial : null);
  const [match, setMatch] = useState<'all' | 'any'>(start?.match ?? 'all');
  const [conditions, setConditions] = useState<Condition[]>(start?.conditions ?? [blank('trait')]);
  const heard = useRef(onChange);
  heard.current = onChange;

  const rules = conditions.map(ruleOf).filter((r): r is SegmentRule => r !== null);
  // One condition is its own rule; several are all or any of them (the schema's nesting, one level here).
  const rule = (kept ??
    (rules.length === 0
      ? null
      : rules.length === 1
        ? rules[0]
        : match === 'all'
          ? { all: rules }
          : { any: rules })) as SegmentRule | null;
  const ruleText = rule ? JSON.stringify(rule) : '';
  useEffect(() => {
    heard.current(ruleText ? (JSON.parse(ruleText) as SegmentRule) : null);
  }, [ruleText]);

  const set = (i: number, change: Partial<Condition>) =>
    setConditions((all) => all.map((c, j) => (j === i ? { ...c, ...change } : c)));

  if (kept)
    return (
      <Alert
        type="info"
        data-testid="rule-kept"
        message={t('segments.ruleKept')}
        description={<Typography.Text code>{JSON.stringify(kept)}</Typography.Text>}
        action={
          <Button size="small" onClick={() => setKept(null)}>
            {t('segments.startOver')}
          </Button>
        }
      />
    );

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        {t('segments.match')}
        <Select
          value={match}
          onChange={setMatch}
          style={{ width: 140 }}
          options={(['all', 'any'] as const).map((m) => ({ value: m, label: t(`segments.match.${m}`) }))}
        />
      </Space>
      {conditions.map((c, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: conditions have no identity but their place
        <Space key={i} wrap data-testid={`segment-condition-${i}`}>
          <Checkbox checked={c.not} onChange={(e) => set(i, { not: e.target.checked })}>
            {t('segments.not')}
          </Checkbox>
          <Select
            value={c.kind}
            style={{ width: 120 }}
            onChange={(kind: ConditionKind) => set(i, blank(kind))}
            options={kinds.map((k) => ({ value: k, label: t(`segments.kind.${k}`) }))}
          />
          {c.kind === 'trait' ? (
            <TraitCondition c={c} set={(change) => set(i, change)} t={t} />
          ) : c.kind === 'tag' ? (
            <Input
              value={c.value}
              onChange={(e) => set(i, { value: e.target.value })}
              style={{ width: 180 }}
            />
          ) : (
            <Select
              value={c.value}
              style={{ width: 200 }}
              onChange={(value: string) => set(i, { value })}
              options={(c.kind === 'consent'
                ? ['marketing', 'personalization', 'third_party_sharing'].map((v) => `consent.${v}`)
                : c.kind === 'rfm'
                  ? RFM.map((v) => `segment.${v}`)
                  : EVENTS.map((v) => `event.${v}`)
              ).map((key) => ({
                value: key.slice(key.indexOf('.') + 1),
                label: t(key as AudienceKey),
              }))}
            />
          )}
          {c.kind === 'event' ? (
            <InputNumber
              min={1}
              max={3650}
              value={c.days}
              addonAfter={t('segments.withinDays')}
              onChange={(v) => set(i, { days: typeof v === 'number' ? v : 30 })}
            />
          ) : null}
          <Button
            icon={<DeleteOutlined />}
            onClick={() => setConditions((all) => all.filter((_, j) => j !== i))}
          />
        </Space>
      ))}
      <Button icon={<PlusOutlined />} onClick={() => setConditions((all) => [...all, blank('trait')])}>
        {t('segments.add')}
      </Button>
    </Space>
  );
}

function TraitCondition({
  c,
  set,
  t,
}: {
  c: Condition;
  set: (change: Partial<Condition>) => void;
  t: (key: AudienceKey) => string;
}) {
  const time = isIn(TIME_TRAITS, c.trait);
  const text = isIn(TEXT_TRAITS, c.trait);
  return (
    <Space>
      <Select
        value={c.trait}
        style={{ width: 170 }}
        data-testid="segment-trait"
        onChange={(trait: string) => set({ trait, op: isIn(TIME_TRAITS, trait) ? '<' : '>=', value: '' })}
        options={[...NUMBER_TRAITS, ...TIME_TRAITS, ...TEXT_TRAITS].map((v) => ({
          value: v,
          label: t(`trait.${v}` as AudienceKey),
        }))}
      />
      {text ? null : (
        <Select
          value={c.op}
          style={{ width: 80 }}
          onChange={(op: string) => set({ op })}
          options={(time ? ['<', '>'] : ['>=', '>', '=', '<', '<=']).map((op) => ({ value: op, label: op }))}
        />
      )}
      {time ? (
        <InputNumber
          min={1}
          max={3650}
          value={c.days}
          addonAfter={t('segments.daysAgo')}
          onChange={(v) => set({ days: typeof v === 'number' ? v : 30 })}
        />
      ) : (
        <Input
          value={c.value}
          style={{ width: 140 }}
          data-testid="segment-value"
          onChange={(e) => set({ value: e.target.value })}
        />
      )}
    </Space>
  );
}
