import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KNOWN_RESULTS } from '../src/experience/experience.rules.js';
import { REVIEW_STATUSES } from '../src/members/members.contract.js';
import { KNOWN_TRAITS, REVIEW_REASONS } from '../src/members/members.rules.js';
import { DICTIONARY_TEXTS, fixedLabel, resultText, traitText } from '../web/src/i18n/dictionaryMessages.js';

// Every code the platform itself writes and the console shows — an identity review's reason and status, a
// member's traits and their values, a trial's results — has a name in each of the console's languages, so that
// nobody reads conflicting_unionid or skinType: oily. A brand's own traits show as they are.

const LOCALES = ['zh-CN', 'en-US'] as const;
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map(([, name]) => name).sort();

/** The result keys the store's trial form writes (`result.shade = …`). */
const trialFormKeys = [
  ...readFileSync(join(import.meta.dirname, '../web/src/store/StoreTrialsPage.tsx'), 'utf8').matchAll(
    /result\.(\w+) =/g,
  ),
].map(([, key]) => key!);

const platformKeys = [
  ...REVIEW_REASONS.map((reason) => `review.reason.${reason}`),
  ...REVIEW_STATUSES.map((status) => `review.status.${status}`),
  ...Object.entries(KNOWN_TRAITS).flatMap(([trait, values]) => [
    `trait.${trait}`,
    ...values.map((value) => `trait.${trait}.${value}`),
  ]),
  ...[...KNOWN_RESULTS, ...trialFormKeys].map((key) => `result.${key}`),
];

describe('the console’s fixed dictionaries', () => {
  it('reads the trial form’s keys', () => expect(trialFormKeys).toEqual(['shade', 'skinType', 'note']));

  it.each(LOCALES)('%s names every code the platform writes', (locale) => {
    const texts = DICTIONARY_TEXTS[locale] as Record<string, string>;
    expect(platformKeys.filter((key) => !texts[key]?.trim())).toEqual([]);
  });

  it('has the same keys and values in every language', () => {
    expect(Object.keys(DICTIONARY_TEXTS['en-US']).sort()).toEqual(
      Object.keys(DICTIONARY_TEXTS['zh-CN']).sort(),
    );
    for (const [key, text] of Object.entries(DICTIONARY_TEXTS['zh-CN']))
      expect(placeholders((DICTIONARY_TEXTS['en-US'] as Record<string, string>)[key] ?? ''), key).toEqual(
        placeholders(text),
      );
  });

  it('shows an unknown code as it is', () => {
    expect(fixedLabel('zh-CN', 'review.reason', 'conflicting_unionid')).toBe('两个不同的微信 UnionID');
    expect(fixedLabel('zh-CN', 'review.reason', 'new_rule')).toBe('new_rule');
    expect(traitText('zh-CN', 'skinType', 'oily')).toEqual({ label: '肤质', value: '油性' });
    expect(traitText('en-US', 'gender', 'female')).toEqual({ label: 'Gender', value: 'Female' });
    expect(traitText('zh-CN', 'favouriteColour', 'teal')).toEqual({
      label: 'favouriteColour',
      value: 'teal',
    });
    expect(resultText('zh-CN', { shadeChosen: 'FDN-WEAR-N05', skinType: 'combination', mood: 'happy' })).toBe(
      '选定色号：FDN-WEAR-N05；肤质：混合性；mood：happy',
    );
    expect(resultText('en-US', { hydration: 42 })).toBe('Hydration: 42');
  });
});
