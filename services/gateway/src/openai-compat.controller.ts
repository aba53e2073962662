import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { AppError, type Principal } from '@rag/core';
import { APP_CONFIG, type AppConfig } from '@rag/config';
import { type ChatEvent, type ChatResponse, QueryService } from '@rag/answering';
import { CurrentPrincipal, RequireScopes, ZodValidationPipe } from '@rag/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ChatCompletionsRequest, chatCompletionsRequestSchema, toConversation } from './openai-compat.request';
import { toSearchInput } from './query.request';
import { openEventStream } from './sse.stream';

const DEFAULT_MODEL_NAME = 'bank-rag';

/**
 * `POST /v1/chat/completions` in the OpenAI format, so existing chatbot front ends plug in
 * unchanged. The answer is the gateway's verified, cited answer; citations and the verification
 * ride along as extra fields that OpenAI clients ignore.
 */
@RequireScopes('query')
@Controller('v1/chat')
export class OpenAiCompatController {
  constructor(
    @Inject(QueryService) private readonly queries: QueryService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('completions')
  @HttpCode(200)
  async completions(
    @CurrentPrincipal() principal: Principal,
    @Body(new ZodValidationPipe(chatCompletionsRequestSchema)) body: ChatCompletionsRequest,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown> | undefined> {
    const conversation = toConversation(body.messages);
    if (!conversation) throw new AppError('VALIDATION_FAILED', 'messages: the last message must be a non-empty user message.', { field: 'messages' });
    const input = { ...toSearchInput({ query: conversation.question, mode: 'hybrid' }, this.config.retrieval), sessionId: undefined, history: conversation.history };
    const model = body.model ?? DEFAULT_MODEL_NAME;
    const requestId = String(request.id);
    if (!body.stream) return completion(await this.queries.chat(principal, input, requestId), model);
    const stream = openEventStream(request, reply);
    const created = Math.floor(Date.now() / 1000);
    const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) => ({
      id: `chatcmpl-${requestId}`,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, delta, finish_reason: finish }],
      ...extra,
    });
    try {
      stream.send(null, chunk({ role: 'assistant' }, null));
      const response = await this.queries.chat(principal, input, requestId, (event: ChatEvent) => {
        if (event.type === 'token') stream.send(null, chunk({ content: event.text }, null));
      }, stream.signal);
      // The streamed text may have been corrected by verification: the final chunk carries the verified answer.
      stream.send(null, chunk({}, 'stop', { answer: response.answer, citations: response.citations, verification: response.verification, degraded: response.degraded }));
    } catch (error) {
      stream.send(null, { error: { code: error instanceof AppError ? error.code : 'INTERNAL', message: error instanceof AppError ? error.message : 'The answer could not be completed.' } });
    } finally {
      stream.send(null, '[DONE]');
      stream.end();
    }
    return undefined;
  }
}

function completion(response: ChatResponse, model: string): Record<string, unknown> {
  return {
    id: `chatcmpl-${response.requestId}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: response.answer }, finish_reason: 'stop' }],
    citations: response.citations,
    verification: response.verification,
    degraded: response.degraded,
  };
}
