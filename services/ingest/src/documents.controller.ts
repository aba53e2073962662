import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import type { DocumentRecord, DocumentVersion, OutboxEventView, Principal } from '@rag/core';
import { APP_CONFIG, type AppConfig } from '@rag/config';
import { IngestService } from '@rag/ingestion';
import { CurrentPrincipal, currentTraceparent, Metrics, RequireScopes, ZodValidationPipe } from '@rag/platform';
import type { FastifyRequest } from 'fastify';
import { type BatchResponse, submitBatch } from './document-batch.submitter';
import { describeSubmission, type SubmitDocumentResponse } from './document-outcome';
import { submissionFromJson, submissionFromUpload } from './document-submission.mapper';
import { batchRequestSchema, type SubmitDocumentRequest, submitDocumentSchema, uploadFieldsSchema } from './document.request';
import { readUploadForm } from './upload-form.reader';

const uploadFieldsPipe = new ZodValidationPipe(uploadFieldsSchema);

/**
 * The document API: submit a document as JSON, as a multipart upload or in a batch (a new version
 * when its externalId exists), read its status, delete it.
 */
@RequireScopes('ingest')
@Controller('v1/documents')
export class DocumentsController {
  constructor(
    @Inject(IngestService) private readonly ingest: IngestService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  @Post()
  @HttpCode(202)
  async submit(@CurrentPrincipal() principal: Principal, @Body(new ZodValidationPipe(submitDocumentSchema)) body: SubmitDocumentRequest): Promise<SubmitDocumentResponse> {
    return this.counted(describeSubmission(await this.ingest.submit(principal, submissionFromJson(body), currentTraceparent())));
  }

  @Post('upload')
  @HttpCode(202)
  async upload(@CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<SubmitDocumentResponse> {
    const form = await readUploadForm(request, this.config.ingest.maxDocumentBytes);
    const submission = submissionFromUpload(uploadFieldsPipe.transform(form.fields), form.file);
    return this.counted(describeSubmission(await this.ingest.submit(principal, submission, currentTraceparent())));
  }

  @Post('batch')
  @HttpCode(200)
  async batch(@CurrentPrincipal() principal: Principal, @Body(new ZodValidationPipe(batchRequestSchema)) body: { documents: unknown[] }): Promise<BatchResponse> {
    const response = await submitBatch(this.ingest, principal, body.documents, this.config.ingest.maxBatchDocuments, currentTraceparent());
    for (const result of response.results) this.metrics.ingestedDocuments.inc({ outcome: result.outcome });
    return response;
  }

  private counted(response: SubmitDocumentResponse): SubmitDocumentResponse {
    this.metrics.ingestedDocuments.inc({ outcome: response.outcome });
    return response;
  }

  @Get(':id')
  async status(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<DocumentRecord & { versions: readonly DocumentVersion[]; latestEvent: OutboxEventView | null }> {
    const { document, versions, latestEvent } = await this.ingest.status(principal, id);
    return { ...document, versions, latestEvent };
  }

  @Delete(':id')
  @HttpCode(202)
  async remove(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<{ documentId: string; status: DocumentRecord['status'] }> {
    const document = await this.ingest.delete(principal, id);
    return { documentId: document.id, status: document.status };
  }
}
