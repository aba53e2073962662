/** A mainland China mobile number without its country code: 11 digits starting 13-19. */
export function isValidMobile(digits: string): boolean {
  return /^1[3-9]\d{9}$/u.test(digits);
}
