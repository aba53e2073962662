import { describe, expect, it } from 'vitest';
import { isValidLegacyResidentId, isValidResidentId, residentIdCheckCharacter } from './resident-id.validator';

const TODAY = new Date(Date.UTC(2026, 0, 15));

describe('resident ID validation (GB 11643-1999)', () => {
  it('computes the MOD 11-2 check character, X included', () => {
    // The standard's own example number.
    expect(residentIdCheckCharacter('11010519491231002')).toBe('X');
    expect(residentIdCheckCharacter('11010119900307457')).toBe('3');
    expect(residentIdCheckCharacter('44030419851016123')).toBe('5');
  });

  it('accepts fictional numbers with a valid check character, x in either case', () => {
    for (const id of ['11010519491231002X', '11010519491231002x', '110101199003074573', '440304198510161235', '310115197805213017']) {
      expect(isValidResidentId(id, TODAY), id).toBe(true);
    }
  });

  it('rejects a wrong check character', () => {
    expect(isValidResidentId('110101199003074578', TODAY)).toBe(false);
    expect(isValidResidentId('110105194912310021', TODAY)).toBe(false);
    expect(isValidResidentId('11010119900307457X', TODAY)).toBe(false);
  });

  it('rejects impossible or future birth dates and unknown provinces even with a matching check character', () => {
    const withCheck = (first17: string): string => first17 + residentIdCheckCharacter(first17);
    expect(isValidResidentId(withCheck('11010119900230123'), TODAY)).toBe(false); // 30 February
    expect(isValidResidentId(withCheck('11010118991231123'), TODAY)).toBe(false); // before 1900
    expect(isValidResidentId(withCheck('11010120270101123'), TODAY)).toBe(false); // not born yet
    expect(isValidResidentId(withCheck('00010119900307123'), TODAY)).toBe(false); // no province 00
    expect(isValidResidentId(withCheck('11010120000229123'), TODAY)).toBe(true); // leap day
  });

  it('rejects other lengths and characters', () => {
    expect(isValidResidentId('11010119900307457', TODAY)).toBe(false);
    expect(isValidResidentId('1101011990030745733', TODAY)).toBe(false);
    expect(isValidResidentId('11010119900307457Y', TODAY)).toBe(false);
  });

  it('accepts a 15-digit first-generation number only with a real date', () => {
    expect(isValidLegacyResidentId('110101900307123', TODAY)).toBe(true);
    expect(isValidLegacyResidentId('110101901307123', TODAY)).toBe(false); // month 13
    expect(isValidLegacyResidentId('990101900307123', TODAY)).toBe(false); // no province 99
  });
});
