import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { AppError, type Principal } from '@rag/core';
import { APP_CONFIG, type AppConfig } from '@rag/config';
import { type ChatEvent, type ChatInput, type ChatResponse, LedgerRecorder, QueryService, type ReplayResponse, type SearchInput, type SearchResponse } from '@rag/answering';
import { CurrentPrincipal, RequireScopes, ZodValidationPipe } from '@rag/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ChatRequest, chatRequestSchema, checkNavigation, type SearchRequest, searchRequestSchema, toSearchInput } from './query.request';
import { openEventStream } from './sse.stream';

/** The query API: hybrid search, chat with citations (JSON or Server-Sent Events), and the ledger. */
@RequireScopes('query')
@Controller('v1')
export class QueryController {
  constructor(
    @Inject(QueryService) private readonly queries: QueryService,
    @Inject(LedgerRecorder) private readonly ledger: LedgerRecorder,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('search')
  @HttpCode(200)
  search(@CurrentPrincipal() principal: Principal, @Body(new ZodValidationPipe(searchRequestSchema)) body: SearchRequest, @Req() request: FastifyRequest): Promise<SearchResponse> {
    return this.queries.search(principal, this.toInput(body), String(request.id));
  }

  @Post('chat')
  @HttpCode(200)
  async chat(
    @CurrentPrincipal() principal: Principal,
    @Body(new ZodValidationPipe(chatRequestSchema)) body: ChatRequest,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ChatResponse | undefined> {
    const input: ChatInput = { ...this.toInput(body), sessionId: body.sessionId };
    if (!body.stream) return this.queries.chat(principal, input, String(request.id));
    await this.streamChat(principal, input, request, reply);
    return undefined;
  }

  @Get('ledger/:requestId')
  async ledgerEntry(@CurrentPrincipal() principal: Principal, @Param('requestId') requestId: string) {
    const entry = await this.queries.ledgerEntry(principal, requestId);
    if (!entry) throw new AppError('NOT_FOUND', `No ledger entry for request "${requestId}".`, { requestId });
    return entry;
  }

  @Get('chunks/:chunkId')
  async chunk(@CurrentPrincipal() principal: Principal, @Param('chunkId') chunkId: string) {
    const chunk = await this.queries.chunk(principal, chunkId);
    if (!chunk) throw new AppError('NOT_FOUND', `No readable chunk "${chunkId}" in an active document version.`, { chunkId });
    return chunk;
  }

  @Post('ledger/:requestId/replay')
  @HttpCode(200)
  replay(@CurrentPrincipal() principal: Principal, @Param('requestId') requestId: string, @Req() request: FastifyRequest): Promise<ReplayResponse> {
    return this.queries.replay(principal, requestId, String(request.id));
  }

  /** Writes each chat event as it happens; a client that goes away aborts generation. */
  private async streamChat(principal: Principal, input: ChatInput, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const stream = openEventStream(request, reply);
    try {
      await this.queries.chat(principal, input, String(request.id), (event: ChatEvent) => stream.send(event.type, event), stream.signal);
    } catch (error) {
      const known = error instanceof AppError;
      stream.send('error', { type: 'error', error: { code: known ? error.code : 'INTERNAL', message: known ? error.message : 'The answer could not be completed.' } });
    } finally {
      stream.end();
    }
  }

  private toInput(body: SearchRequest): SearchInput {
    checkNavigation(body, this.config.navigation);
    return toSearchInput(body, this.config.retrieval);
  }
}
