import { describe, expect, it } from 'vitest';
import { analyze, analyzeQuery } from './analyzer';
import { normalizeText } from './normalize';
import { splitSentences } from './sentences';

describe('analyzer', () => {
  it('segments Chinese into words, with search-mode sub-words', () => {
    const terms = analyze('信用卡年费减免政策');
    expect(terms).toEqual(expect.arrayContaining(['信用卡', '信用', '年费', '减免', '政策']));
  });

  it('segments the same way at index and at query time', () => {
    const indexed = new Set(analyze('金卡持卡人在一个年费年度内刷卡消费满 6 次，即可免收次年年费。'));
    for (const term of analyzeQuery('金卡 年费 免收')) expect(indexed.has(term)).toBe(true);
  });

  it('keeps codes findable as typed, and by their parts', () => {
    expect(analyze('Use PPR-9087 today')).toEqual(['use', 'ppr', '9087', 'ppr9087', 'today']);
    expect(analyze('卡号 6222 0200 1234 开头')).toEqual(expect.arrayContaining(['6222', '0200', '1234', '622202001234']));
    expect(analyze('SWIFT LTBKCNSHXXX')).toContain('ltbkcnshxxx');
  });

  it('folds full-width forms and case', () => {
    expect(analyze('ＰＰＲ－９０８７')).toEqual(analyze('ppr-9087'));
    expect(normalizeText('  Ｈｅｌｌｏ\u3000World ')).toBe('hello world');
  });

  it('does not glue Latin words to the Chinese next to them', () => {
    const terms = analyze('使用APP登录');
    expect(terms).toContain('app');
    expect(terms).toContain('登录');
  });

  it('gives no terms for punctuation alone', () => {
    expect(analyzeQuery('？！…')).toEqual([]);
  });
});

describe('sentence splitting', () => {
  it('splits Chinese and English sentences and keeps decimals whole', () => {
    expect(splitSentences('年费 300 元。刷卡满 6 次免年费！The rate is 0.80% a year. It is tiered.')).toEqual([
      '年费 300 元。',
      '刷卡满 6 次免年费！',
      'The rate is 0.80% a year.',
      'It is tiered.',
    ]);
  });

  it('treats line breaks as sentence ends, so table rows stand alone', () => {
    expect(splitSentences('Tier: 1; Rate: 0.5%\nTier: 2; Rate: 0.8%')).toEqual(['Tier: 1; Rate: 0.5%', 'Tier: 2; Rate: 0.8%']);
  });
});
