import { describe, expect, it } from 'vitest';
import { passagesFrom } from './passage.source.js';

const CORPUS = [
  { id: 'zh-1', title: '信用卡年费', text: '金卡刷卡满六次免年费。白金卡年费一千元。普卡首年免年费。' },
  { id: 'zh-2', title: '挂失', text: '银行卡丢失请立即挂失。口头挂失有效期五天。补卡工本费十元。' },
  { id: 'en-1', title: 'One-time codes', text: 'A text message code is valid for five minutes. Never share it. Call us if you did not ask for one.' },
];

const take = (count: number, seed = 1) => {
  const passages = passagesFrom(CORPUS, seed);
  return Array.from({ length: count }, () => passages.next().value);
};

describe('passagesFrom', () => {
  it('yields every real passage first, as it is', () => {
    expect(take(3).map((passage) => passage.text)).toEqual(CORPUS.map((entry) => entry.text));
  });

  it('then grows new passages from sentences of one script only, the same for the same seed', () => {
    const grown = take(40).slice(3);
    expect(grown.map((passage) => passage.text)).toEqual(take(40).slice(3).map((passage) => passage.text));
    for (const passage of grown) {
      const chinese = /\p{Script=Han}/u.test(passage.text);
      expect(chinese ? /[a-z]{3}/i.test(passage.text) : /\p{Script=Han}/u.test(passage.text)).toBe(false);
    }
    expect(new Set(grown.map((passage) => passage.text)).size).toBeGreaterThan(20);
    expect(take(10, 2).slice(3)).not.toEqual(take(10, 1).slice(3));
  });
});
