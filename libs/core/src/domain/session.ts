import type { TenantId } from './tenant';

/** One turn of a conversation, kept so a follow-up question can be understood. */
export interface ChatMessage {
  readonly role: 'user' | 'assistant';
  readonly content: string;
  /** For a user turn: the standalone query it was rewritten into, when it was. */
  readonly rewrittenQuery: string | null;
  readonly requestId: string;
  readonly createdAt: number;
}

export interface ChatSession {
  readonly id: string;
  readonly tenantId: TenantId;
  readonly subject: string;
  readonly createdAt: number;
}
