/**
 * Folds the forms a user may type into one: full-width to half-width and compatibility forms
 * (NFKC), lower case, and single spaces. Used on text and queries alike.
 */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}
