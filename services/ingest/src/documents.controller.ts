import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import type { DocumentRecord, DocumentVersion, OutboxEventView, Principal } from '@rag/core';
import { IngestService } from '@rag/ingestion';
import { CurrentPrincipal, RequireScopes, ZodValidationPipe } from '@rag/platform';
import { submitDocumentSchema, type SubmitDocumentRequest } from './document.request';

export interface SubmitDocumentResponse {
  readonly documentId: string;
  readonly version: number;
  readonly status: DocumentVersion['status'];
  readonly unchanged: boolean;
  readonly failureReason: string | null;
}

/** The document API: submit a document (a new version when its externalId exists), read its status, delete it. */
@RequireScopes('ingest')
@Controller('v1/documents')
export class DocumentsController {
  constructor(@Inject(IngestService) private readonly ingest: IngestService) {}

  @Post()
  @HttpCode(202)
  async submit(@CurrentPrincipal() principal: Principal, @Body(new ZodValidationPipe(submitDocumentSchema)) body: SubmitDocumentRequest): Promise<SubmitDocumentResponse> {
    const { acl, ...rest } = body;
    const result = await this.ingest.submit(principal, { ...rest, aclGroups: acl.groups });
    return {
      documentId: result.document.id,
      version: result.version.version,
      status: result.version.status,
      unchanged: result.unchanged,
      failureReason: result.version.failureReason,
    };
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
