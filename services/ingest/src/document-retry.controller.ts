import { Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import type { OutboxEventView, Principal } from '@rag/core';
import { IngestService } from '@rag/ingestion';
import { CurrentPrincipal, RequireScopes } from '@rag/platform';

/** Operators queue a dead-lettered index or delete event again once its cause is fixed. */
@RequireScopes('ingest')
@Controller('v1/documents')
export class DocumentRetryController {
  constructor(@Inject(IngestService) private readonly ingest: IngestService) {}

  @Post(':id/retry')
  @HttpCode(202)
  async retry(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<{ documentId: string; event: OutboxEventView }> {
    return { documentId: id, event: await this.ingest.retry(principal, id) };
  }
}
