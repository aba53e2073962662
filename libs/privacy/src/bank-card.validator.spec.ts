import { describe, expect, it } from 'vitest';
import { isValidBankCard, luhnCheckDigit } from './bank-card.validator';

describe('bank card validation', () => {
  it('accepts Luhn-valid numbers of 13 to 19 digits', () => {
    for (const card of ['6222020012345671', '6222020012345678903', '4111111111111111', '378282246310005', '4222222222222']) {
      expect(isValidBankCard(card), card).toBe(true);
    }
  });

  it('rejects numbers that fail Luhn', () => {
    expect(isValidBankCard('6222020012345678')).toBe(false);
    expect(isValidBankCard('4111111111111112')).toBe(false);
  });

  it('rejects lengths outside 13-19 and first digits no scheme issues (timestamps, +86 mobiles)', () => {
    expect(isValidBankCard('411111111111')).toBe(false);
    expect(isValidBankCard('41111111111111111113')).toBe(false);
    const epochMillis = '171800000000';
    expect(isValidBankCard(epochMillis + luhnCheckDigit(epochMillis))).toBe(false);
    const withCountryCode = '861380013800';
    expect(isValidBankCard(withCountryCode + luhnCheckDigit(withCountryCode))).toBe(false);
  });

  it('computes the digit that makes a payload pass', () => {
    expect(luhnCheckDigit('622202001234567')).toBe('1');
    expect(luhnCheckDigit('411111111111111')).toBe('1');
  });
});
