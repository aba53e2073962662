/**
 * Chinese resident identity card numbers (GB 11643-1999): a 6-digit address code, an 8-digit
 * birth date, a 3-digit sequence and an ISO 7064 MOD 11-2 check character (0-9 or X).
 * Written by hand: the npm validators for it are small, untyped and rarely released.
 */

/** Weight of position i (0-based) is 2^(17-i) mod 11. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character for each weighted sum mod 11. */
const CHECK_CHARACTERS = '10X98765432';

/**
 * Province-level codes (the first two digits). Foreign permanent residents' cards (since 2023)
 * start with 9 followed by the issuing province's first digit.
 */
const PROVINCE_CODES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
  '71', '81', '82', '83', '91', '92', '93', '94', '95', '96', '97', '98',
]);

/** The MOD 11-2 check character for the first 17 digits. */
export function residentIdCheckCharacter(first17: string): string {
  if (!/^\d{17}$/u.test(first17)) throw new Error('A resident ID check character needs exactly 17 digits');
  let sum = 0;
  for (let index = 0; index < 17; index++) sum += Number(first17[index]) * WEIGHTS[index]!;
  return CHECK_CHARACTERS[sum % 11]!;
}

/** True for an 18-character number with a known province, a real past birth date and a valid check character. */
export function isValidResidentId(value: string, today: Date = new Date()): boolean {
  if (!/^\d{17}[\dXx]$/u.test(value)) return false;
  if (!PROVINCE_CODES.has(value.slice(0, 2))) return false;
  if (!isPlausibleBirthDate(value.slice(6, 10), value.slice(10, 12), value.slice(12, 14), today)) return false;
  return residentIdCheckCharacter(value.slice(0, 17)) === value[17]!.toUpperCase();
}

/**
 * True for a 15-digit first-generation number (1984-2004: address, YYMMDD of a 20th-century
 * birth, sequence, no check digit). With no check digit, a real date is the only defence.
 */
export function isValidLegacyResidentId(value: string, today: Date = new Date()): boolean {
  if (!/^\d{15}$/u.test(value)) return false;
  if (!PROVINCE_CODES.has(value.slice(0, 2))) return false;
  return isPlausibleBirthDate(`19${value.slice(6, 8)}`, value.slice(8, 10), value.slice(10, 12), today);
}

function isPlausibleBirthDate(yearText: string, monthText: string, dayText: string, today: Date): boolean {
  const year = Number(yearText);
  const month = Number(monthText);
  const day = Number(dayText);
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return false;
  return date.getTime() <= Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
}
