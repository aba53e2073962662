/**
 * Payment card numbers: 13-19 digits passing the Luhn check, with a first digit that card
 * schemes issue under (2-6: Mastercard, Amex, JCB, Visa, UnionPay, Discover; 9: Chinese domestic
 * cards). Excluding 1, 7 and 8 keeps epoch-millisecond timestamps and +86 mobiles out.
 */
export function isValidBankCard(digits: string): boolean {
  if (!/^[2-69]\d{12,18}$/u.test(digits)) return false;
  return luhnSum(digits) % 10 === 0;
}

/** The Luhn digit that makes `payload` + digit pass. */
export function luhnCheckDigit(payload: string): string {
  if (!/^\d+$/u.test(payload)) throw new Error('A Luhn check digit needs digits only');
  return String((10 - (luhnSum(`${payload}0`) % 10)) % 10);
}

function luhnSum(digits: string): number {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum;
}
