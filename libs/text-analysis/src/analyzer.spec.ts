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

  it('keeps numbers with thousands separators and decimals whole, as one term without commas', () => {
    expect(analyze('Total sales | $1,496.5 | $1,202.9 | 70.8')).toEqual(['total', 'sales', '1496.5', '1202.9', '70.8']);
    expect(analyze('The rate is 0.80% in 2019, 2018 and 2017')).toEqual(['the', 'rate', 'is', '0.80', 'in', '2019', '2018', 'and', '2017']);
    expect(analyze('年费 1,200 元，年利率 3.75%')).toEqual(expect.arrayContaining(['年费', '1200', '元', '年利率', '3.75']));
    expect(analyze('年利率3.75%')).toContain('3.75');
    // Not numbers in that sense: versions, addresses and lists keep their parts.
    expect(analyze('v2.1 and 192.168.1.1')).toEqual(['v2', '1', 'v21', 'and', '192', '168', '1', '1', '19216811']);
    expect(analyze('1,2,3')).toEqual(['1', '2', '3']);
  });

  it('matches a number however its thousands are written', () => {
    expect(analyze('Revenue | $ 1,452.4')).toContain('1452.4');
    expect(analyzeQuery('revenue of 1452.4')).toContain('1452.4');
    expect(analyzeQuery('revenue of 1,452.4')).toContain('1452.4');
  });

  it("drops the English possessive 's, so the word matches its plain form", () => {
    expect(analyze("The company's total and the company’s debt")).toEqual(['the', 'company', 'total', 'and', 'the', 'company', 'debt']);
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
