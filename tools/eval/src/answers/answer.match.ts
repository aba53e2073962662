/**
 * Whether a text contains one of the gold answers, compared as SQuAD-style sets do after light
 * normalisation: NFKC (full-width digits and letters), lower case, and no whitespace, so that
 * "２３５" matches "235" and "Bank of China" matches "bank of  china".
 */
export function answerFound(text: string, answers: readonly string[]): boolean {
  const haystack = normalise(text);
  return answers.some((answer) => {
    const needle = normalise(answer);
    return needle.length > 0 && haystack.includes(needle);
  });
}

function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}
