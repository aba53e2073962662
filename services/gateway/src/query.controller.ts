import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { AppError, type Principal } from '@rag/core';
import { APP_CONFIG, type AppConfig } from '@rag/config';
import { type ChatEvent, type ChatResponse, LedgerRecorder, QueryService, type SearchInput, type SearchResponse } from '@rag/answering';
import { CurrentPrincipal, ZodValidationPipe } from '@rag/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ChatRequest, chatRequestSchema, type SearchRequest, searchRequestSchema } from './query.request';

/** The query API: hybrid search, chat with citations (JSON or Server-Sent Events), and the ledger. */
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
    const input = this.toInput(body);
    if (!body.stream) return this.queries.chat(principal, input, String(request.id));
    await this.streamChat(principal, input, request, reply);
    return undefined;
  }

  @Get('ledger/:requestId')
  async ledgerEntry(@CurrentPrincipal() principal: Principal, @Param('requestId') requestId: string) {
    const entry = await this.ledger.find(principal.tenantId, requestId);
    if (!entry) throw new AppError('NOT_FOUND', `No ledger entry for request "${requestId}".`, { requestId });
    return entry;
  }

  @Get('chunks/:chunkId')
  async chunk(@CurrentPrincipal() principal: Principal, @Param('chunkId') chunkId: string) {
    const chunk = await this.queries.chunk(principal, chunkId);
    if (!chunk) throw new AppError('NOT_FOUND', `No readable chunk "${chunkId}" in an active document version.`, { chunkId });
    return chunk;
  }

  /** Writes each chat event as it happens; a client that goes away aborts generation. */
  private async streamChat(principal: Principal, input: SearchInput, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const abort = new AbortController();
    request.raw.on('close', () => abort.abort());
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-request-id': String(request.id) });
    const send = (event: ChatEvent | { type: 'error'; error: { code: string; message: string } }) => {
      if (!reply.raw.writableEnded) reply.raw.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    };
    try {
      await this.queries.chat(principal, input, String(request.id), send, abort.signal);
    } catch (error) {
      const code = error instanceof AppError ? error.code : 'INTERNAL';
      send({ type: 'error', error: { code, message: error instanceof AppError ? error.message : 'The answer could not be completed.' } });
    } finally {
      reply.raw.end();
    }
  }

  private toInput(body: SearchRequest): SearchInput {
    const { maxTopK, defaultTopK, maxQueryChars } = this.config.retrieval;
    if (body.query.length > maxQueryChars) {
      throw new AppError('VALIDATION_FAILED', `query: must be at most ${maxQueryChars} characters (MAX_QUERY_CHARS).`, { field: 'query' });
    }
    if (body.topK !== undefined && body.topK > maxTopK) {
      throw new AppError('VALIDATION_FAILED', `topK: must be at most ${maxTopK} (MAX_TOP_K).`, { field: 'topK' });
    }
    return { query: body.query, mode: body.mode, collection: body.collection, topK: body.topK ?? defaultTopK };
  }
}
