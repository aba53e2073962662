/** Tokens one model call used, as the server reported them or, when it did not, as estimated. */
export interface TokenUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** True when the server sent no usage and the numbers are {@link approximateTokenCount} estimates. */
  readonly approximate: boolean;
}

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/gu;

/**
 * A rough token count for text a server did not count: one token per CJK character and one per
 * four other non-space characters, which is about what BPE and SentencePiece vocabularies give for
 * Chinese and English. Good for accounting, not for fitting a context window.
 */
export function approximateTokenCount(text: string): number {
  const cjk = text.match(CJK)?.length ?? 0;
  const other = text.replace(CJK, '').replace(/\s+/gu, '').length;
  return cjk + Math.ceil(other / 4);
}
