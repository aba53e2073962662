import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { LedgerRecorder, PrivacyFilter } from '@rag/answering';
import { AppError, SQL_STORE, type Feedback, type Principal, type SqlStore } from '@rag/core';
import { CurrentPrincipal, Metrics, RequireScopes, ZodValidationPipe } from '@rag/platform';
import { type FeedbackRequest, feedbackRequestSchema } from './feedback.request';

/** Thumbs up or down on a past answer or search of the caller's tenant. */
@RequireScopes('query')
@Controller('v1')
export class FeedbackController {
  constructor(
    @Inject(LedgerRecorder) private readonly ledger: LedgerRecorder,
    @Inject(SQL_STORE) private readonly sqlStore: SqlStore,
    @Inject(PrivacyFilter) private readonly privacy: PrivacyFilter,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  @Post('feedback')
  @HttpCode(201)
  async submit(@CurrentPrincipal() principal: Principal, @Body(new ZodValidationPipe(feedbackRequestSchema)) body: FeedbackRequest): Promise<Feedback> {
    const entry = await this.ledger.find(principal.tenantId, body.requestId);
    if (!entry) throw new AppError('NOT_FOUND', `No request "${body.requestId}" in this tenant to give feedback on.`, { field: 'requestId' });
    const feedback: Feedback = {
      tenantId: principal.tenantId,
      requestId: body.requestId,
      subject: principal.subject,
      rating: body.rating,
      comment: body.comment ? this.privacy.text(body.comment) : null,
      createdAt: Date.now(),
    };
    await this.sqlStore.recordFeedback(feedback);
    this.metrics.feedback.inc({ rating: feedback.rating });
    return feedback;
  }
}
