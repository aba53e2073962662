import { AppError, type ChatMessage, type Principal, type SqlStore } from '@rag/core';
import type { PrivacyFilter } from '../privacy.filter';

/** Sessions belong to the principal that started them; nobody else can continue or read them. */
export class ConversationStore {
  constructor(
    private readonly sqlStore: SqlStore,
    private readonly historyTurns: number,
    private readonly privacy: PrivacyFilter,
  ) {}

  /** The session to continue (checked to be the caller's), or a new one; with its recent history. */
  async open(principal: Principal, sessionId: string | undefined): Promise<{ sessionId: string; history: ChatMessage[] }> {
    if (sessionId === undefined) {
      const session = await this.sqlStore.createSession(principal.tenantId, principal.subject);
      return { sessionId: session.id, history: [] };
    }
    const session = await this.sqlStore.findSession(principal.tenantId, sessionId, principal.subject);
    if (!session) throw new AppError('NOT_FOUND', `No session "${sessionId}" for this caller.`, { field: 'sessionId' });
    return { sessionId, history: await this.sqlStore.recentMessages(principal.tenantId, sessionId, this.historyTurns * 2) };
  }

  async record(principal: Principal, sessionId: string, turn: { question: string; rewritten: string | null; answer: string; requestId: string }): Promise<void> {
    const now = Date.now();
    const messages: ChatMessage[] = [
      { role: 'user', content: turn.question, rewrittenQuery: turn.rewritten, requestId: turn.requestId, createdAt: now },
      { role: 'assistant', content: turn.answer, rewrittenQuery: null, requestId: turn.requestId, createdAt: now },
    ];
    await this.sqlStore.appendMessages(principal.tenantId, sessionId, messages.map((message) => this.privacy.message(message)));
  }
}
