import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { redactPersonalData } from './personal-data.redactor';

const SECRET = 'test-secret-0123456789';

describe('redactPersonalData', () => {
  describe('mask', () => {
    it('keeps the first 3 and last 2 of an ID, X included', () => {
      expect(redactPersonalData('身份证号110101199003074573请核实', 'mask')).toBe('身份证号110*************73请核实');
      expect(redactPersonalData('ID 11010519491231002X.', 'mask')).toBe('ID 110*************2X.');
    });

    it('keeps the last 4 of a card and its grouping', () => {
      expect(redactPersonalData('卡号6222020012345671', 'mask')).toBe('卡号************5671');
      expect(redactPersonalData('card 6222 0200 1234 5671', 'mask')).toBe('card **** **** **** 5671');
      expect(redactPersonalData('6222-0200-1234-5678 903', 'mask')).toBe('****-****-****-***8 903');
    });

    it('keeps the first 3 and last 4 of a mobile, and its country code', () => {
      expect(redactPersonalData('手机13800138000', 'mask')).toBe('手机138****8000');
      expect(redactPersonalData('tel +86-138-0013-8000', 'mask')).toBe('tel +86-138-****-8000');
      expect(redactPersonalData('(+86) 138 0013 8000', 'mask')).toBe('(+86) 138 **** 8000');
      expect(redactPersonalData('008613800138000', 'mask')).toBe('0086138****8000');
    });

    it('keeps the first character of an e-mail local part and the domain', () => {
      expect(redactPersonalData('Mail zhang.san@example.com now', 'mask')).toBe('Mail z********@example.com now');
      expect(redactPersonalData('邮箱13800138000@163.com', 'mask')).toBe('邮箱1**********@163.com');
    });

    it('masks full-width digits one for one and leaves every other character as it was', () => {
      expect(redactPersonalData('手机：１３８　００１３　８０００。', 'mask')).toBe('手机：１３８　****　８０００。');
      expect(redactPersonalData('ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ', 'mask')).toBe('ｚ****＠ｅｘａｍｐｌｅ．ｃｏｍ');
    });

    it('leaves amounts, dates, codes, hotlines and Luhn-invalid numbers untouched', () => {
      const text = 'CNY 120,000.00 on 2024-05-01, product PPR-9087, hotline 400-820-6688, SWIFT ICBKCNBJ, ref 6222020012345678.';
      expect(redactPersonalData(text, 'mask')).toBe(text);
    });

    it('is idempotent', () => {
      const text = '客户身份证11010519491231002X，手机+86 138 0013 8000，邮箱zhang.san@example.com，卡号6222 0200 1234 5671，金额 CNY 120,000.00。';
      const once = redactPersonalData(text, 'mask');
      expect(once).toBe('客户身份证110*************2X，手机+86 138 **** 8000，邮箱z********@example.com，卡号**** **** **** 5671，金额 CNY 120,000.00。');
      expect(redactPersonalData(once, 'mask')).toBe(once);
    });
  });

  describe('hash', () => {
    const hmac12 = (value: string): string => createHmac('sha256', SECRET).update(value).digest('hex').slice(0, 12);

    it('writes the kind and 12 hex digits of HMAC-SHA256 over the normalized value', () => {
      expect(redactPersonalData('card 6222 0200 1234 5671!', 'hash', SECRET)).toBe(`card [bank-card:${hmac12('6222020012345671')}]!`);
      expect(redactPersonalData('ID 11010519491231002x', 'hash', SECRET)).toBe(`ID [resident-id:${hmac12('11010519491231002X')}]`);
      expect(redactPersonalData('Zhang.San@Example.com', 'hash', SECRET)).toBe(`[email:${hmac12('zhang.san@example.com')}]`);
    });

    it('gives the same digest however a value was written, and different ones for different values', () => {
      const digestOf = (text: string): string => redactPersonalData(text, 'hash', SECRET);
      expect(digestOf('+86-138-0013-8000')).toBe(digestOf('13800138000'));
      expect(digestOf('１３８００１３８０００')).toBe(digestOf('138 0013 8000'));
      expect(digestOf('6222-0200-1234-5671')).toBe(digestOf('6222020012345671'));
      expect(digestOf('13800138000')).not.toBe(digestOf('13900139000'));
      expect(redactPersonalData('13800138000', 'hash', 'another-secret-0123')).not.toBe(digestOf('13800138000'));
    });

    it('is idempotent', () => {
      const once = redactPersonalData('卡号6222020012345671，手机13800138000', 'hash', SECRET);
      expect(once).toMatch(/^卡号\[bank-card:[0-9a-f]{12}\]，手机\[mobile:[0-9a-f]{12}\]$/u);
      expect(redactPersonalData(once, 'hash', SECRET)).toBe(once);
    });

    it('refuses to hash without a secret of at least 16 characters', () => {
      expect(() => redactPersonalData('no personal data here', 'hash')).toThrow(/secret of at least 16 characters \(got none\)/u);
      expect(() => redactPersonalData('13800138000', 'hash', 'short')).toThrow(/at least 16 characters \(got 5 characters\)/u);
    });
  });

  it('keep returns the text unchanged', () => {
    const text = '手机13800138000';
    expect(redactPersonalData(text, 'keep')).toBe(text);
  });

  it('rejects an unknown policy coming from untyped config', () => {
    expect(() => redactPersonalData('x', 'drop' as 'mask')).toThrow(/Unknown PII policy 'drop'/u);
  });
});
