import { describe, expect, it } from 'vitest';
import { findPersonalData } from './personal-data.finder';
import type { PersonalDataKind } from './personal-data.types';

/** Each finding as its kind and the exact original text it covers. */
function found(text: string): [PersonalDataKind, string][] {
  return findPersonalData(text).map(({ kind, start, end }) => [kind, text.slice(start, end)]);
}

describe('findPersonalData', () => {
  describe('resident IDs', () => {
    it('finds an ID glued to Chinese text on both sides', () => {
      const text = '身份证号110101199003074573请核实';
      expect(findPersonalData(text)).toEqual([{ kind: 'resident-id', start: 4, end: 22 }]);
    });

    it('skips an 18-digit number whose check digit is wrong', () => {
      expect(found('身份证号110101199003074578请核实')).toEqual([]);
    });

    it('finds an ID ending in X or x, and one written 6-8-4', () => {
      expect(found('证件号码：11010519491231002X。')).toEqual([['resident-id', '11010519491231002X']]);
      expect(found('id 11010519491231002x, ok')).toEqual([['resident-id', '11010519491231002x']]);
      expect(found('ID: 110105 19491231 002X')).toEqual([['resident-id', '110105 19491231 002X']]);
    });

    it('finds a 15-digit first-generation ID only when its date is real', () => {
      expect(found('旧身份证110101900307123已过期')).toEqual([['resident-id', '110101900307123']]);
      expect(found('编号110101901307123')).toEqual([]);
    });
  });

  describe('bank cards', () => {
    it('finds Luhn-valid cards, plain or grouped by spaces and hyphens', () => {
      expect(found('卡号6222020012345671。')).toEqual([['bank-card', '6222020012345671']]);
      expect(found('card 6222 0200 1234 5671 please')).toEqual([['bank-card', '6222 0200 1234 5671']]);
      expect(found('6222-0200-1234-5678 903 is the new card')).toEqual([['bank-card', '6222-0200-1234-5678 903']]);
      expect(found('Amex 3782 822463 10005')).toEqual([['bank-card', '3782 822463 10005']]);
      expect(found('卡号 622202 0012345678903')).toEqual([['bank-card', '622202 0012345678903']]);
    });

    it('leaves numbers that fail Luhn alone', () => {
      expect(found('卡号6222020012345678')).toEqual([]);
      expect(found('card 6222 0200 1234 5678')).toEqual([]);
    });

    it('does not join a date in front into the card', () => {
      expect(found('2024-05-01 6222-0200-1234-5671')).toEqual([['bank-card', '6222-0200-1234-5671']]);
    });
  });

  describe('mobiles', () => {
    it('finds mainland mobiles written the usual ways', () => {
      for (const mobile of ['13800138000', '138 0013 8000', '138-0013-8000', '+86-138-0013-8000', '+86 138 0013 8000', '0086 13800138000', '+8613800138000', '8613800138000', '(+86) 138 0013 8000']) {
        expect(found(`请拨打${mobile}联系`), mobile).toEqual([['mobile', mobile]]);
      }
    });

    it('skips mobiles inside a longer digit run', () => {
      expect(found('流水号138001380001')).toEqual([]);
      expect(found('ref 213800138000')).toEqual([]);
      expect(found('10086138001380001')).toEqual([]);
    });

    it('does not take a hotline, a short number or a landline for a mobile', () => {
      expect(found('客服热线 400-820-6688，或拨打 95588')).toEqual([]);
      expect(found('Call 010-8888 8888 or 10086 13800138000')).toEqual([['mobile', '13800138000']]);
      expect(found('Our hotline is 400 820 6688.')).toEqual([]);
    });
  });

  describe('e-mail addresses', () => {
    it('finds addresses in English and Chinese text', () => {
      expect(found('Contact zhang.san+loans@example.com.cn, thanks')).toEqual([['email', 'zhang.san+loans@example.com.cn']]);
      expect(found('邮箱zhang.san@example.com谢谢')).toEqual([['email', 'zhang.san@example.com']]);
      expect(found('<mailto:li_si@bank-example.cn>')).toEqual([['email', 'li_si@bank-example.cn']]);
    });

    it('accepts a simple Unicode local part', () => {
      expect(found('发送至 张三@example.cn。')).toEqual([['email', '张三@example.cn']]);
      expect(found('José.García@example.es')).toEqual([['email', 'José.García@example.es']]);
    });

    it('reports an address made of a mobile number once, as an e-mail', () => {
      expect(found('QQ邮箱 13800138000@163.com')).toEqual([['email', '13800138000@163.com']]);
    });

    it('ignores mentions and unfinished addresses', () => {
      expect(found('@张三 请看 user@localhost 和 a@b.c')).toEqual([]);
    });
  });

  describe('full-width text', () => {
    it('reads full-width digits and reports spans in the original string', () => {
      const text = '手机：１３８００１３８０００，卡号６２２２　０２００　１２３４　５６７１';
      expect(found(text)).toEqual([
        ['mobile', '１３８００１３８０００'],
        ['bank-card', '６２２２　０２００　１２３４　５６７１'],
      ]);
    });

    it('reads a full-width ID with a full-width X, and a full-width address', () => {
      expect(found('证件１１０１０５１９４９１２３１００２Ｘ')).toEqual([['resident-id', '１１０１０５１９４９１２３１００２Ｘ']]);
      expect(found('ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ')).toEqual([['email', 'ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ']]);
    });

    it('keeps offsets right after characters outside the BMP and expanding compatibility forms', () => {
      const text = '😀㍱ 13800138000';
      expect(found(text)).toEqual([['mobile', '13800138000']]);
    });
  });

  describe('what is not personal data', () => {
    it('leaves amounts, dates, product codes, SWIFT codes and timestamps alone', () => {
      const text = [
        'Transfer CNY 120,000.00 (¥1,380,013,800.00) on 2024-05-01 or 20240501;',
        'products PPR-9087 and PPR-138-0013-8000-X;',
        'SWIFT ICBKCNBJ, BKCHCNBJ110, LTBKCNSHXXX;',
        'ts=1718000000000 at 13800138000.25 rate 0.13800138000',
      ].join(' ');
      expect(found(text)).toEqual([]);
    });

    it('finds only the card in an English sentence full of numbers', () => {
      const text = 'On 2024-05-01 I paid USD 1,250.00 with card 4111 1111 1111 1111, order PPR-9087, ref 400-820-6688.';
      expect(found(text)).toEqual([['bank-card', '4111 1111 1111 1111']]);
    });
  });

  it('reports overlapping candidates once, the longest winning', () => {
    // 622208 13800138000 is a Luhn-valid 6-11 card whose tail is also a valid mobile.
    expect(found('卡号 622208 13800138000')).toEqual([['bank-card', '622208 13800138000']]);
  });

  it('returns sorted, non-overlapping spans for mixed text', () => {
    const text = '客户张三，身份证11010519491231002X，手机+86 138 0013 8000，邮箱zhang.san@example.com，卡号6222 0200 1234 5671。';
    expect(found(text).map(([kind]) => kind)).toEqual(['resident-id', 'mobile', 'email', 'bank-card']);
    const matches = findPersonalData(text);
    for (let index = 1; index < matches.length; index++) expect(matches[index]!.start).toBeGreaterThanOrEqual(matches[index - 1]!.end);
  });
});
