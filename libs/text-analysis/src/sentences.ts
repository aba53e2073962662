/**
 * Splits text into sentences, keeping each terminator with its sentence. Chinese terminators end a
 * sentence at once; a Latin full stop only before a space or the end, so "3.5%" and "v2.1" hold.
 */
const SENTENCE = /[^。！？!?；\n]+?(?:[。！？!?；]+["'”’」』)）]*|\.(?=\s|$)|\n|$)/gu;

export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const match of text.matchAll(SENTENCE)) {
    const sentence = match[0].trim();
    if (sentence.length > 0) sentences.push(sentence);
  }
  return sentences;
}
