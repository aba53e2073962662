import type { ChatMessage, Citation, LedgerEntry, Trace } from '@rag/core';
import { personalDataRedactor, redactDeep, type PiiPolicy } from '@rag/privacy';

export interface PrivacySettings {
  readonly policy: PiiPolicy;
  readonly hashSecret: string | undefined;
  /** Whether answers and their citations are redacted too (they quote the bank's own documents). */
  readonly inAnswers: 'keep' | 'mask';
}

/**
 * Where personal data a customer types (ID, card and mobile numbers, e-mail) is redacted before it
 * is kept or shown: the ledger's query text and trace, the session history, and returned traces.
 */
export class PrivacyFilter {
  private readonly redactText: (text: string) => string;

  constructor(private readonly settings: PrivacySettings) {
    this.redactText = personalDataRedactor(settings.policy, settings.hashSecret);
  }

  text(value: string): string {
    return this.redactText(value);
  }

  trace(trace: Trace): Trace {
    return this.deep(trace);
  }

  /** An answer as shown or kept: its trace always redacted, the answer and citations when PII_IN_ANSWERS=mask. */
  answer<T extends { answer: string | null; citations: readonly Citation[]; trace: Trace }>(value: T): T {
    const traced = { ...value, trace: this.trace(value.trace) };
    if (this.settings.inAnswers === 'keep') return traced;
    return { ...traced, answer: value.answer === null ? null : this.text(value.answer), citations: this.deep(value.citations) };
  }

  ledgerEntry(entry: LedgerEntry): LedgerEntry {
    return { ...this.answer(entry), query: this.text(entry.query), rewrittenQuery: entry.rewrittenQuery === null ? null : this.text(entry.rewrittenQuery) };
  }

  message(message: ChatMessage): ChatMessage {
    return { ...message, content: this.text(message.content), rewrittenQuery: message.rewrittenQuery === null ? null : this.text(message.rewrittenQuery) };
  }

  private deep<T>(value: T): T {
    return this.settings.policy === 'keep' ? value : (redactDeep(value, this.settings.policy, this.settings.hashSecret) as T);
  }
}
