import { Controller, Get, Inject } from '@nestjs/common';
import type { FailedDocument, Principal } from '@rag/core';
import { CurrentPrincipal, RequireScopes } from '@rag/platform';
import { OpsConsoleService, type Overview, type Questions, type TimelineBucket } from './ops-console.service';

/** The JSON the operations console reads, for the administrator's own tenant. */
@RequireScopes('admin')
@Controller('v1/admin/ops')
export class OpsConsoleController {
  constructor(@Inject(OpsConsoleService) private readonly ops: OpsConsoleService) {}

  @Get('overview')
  overview(@CurrentPrincipal() principal: Principal): Promise<Overview> {
    return this.ops.overview(principal.tenantId);
  }

  @Get('timeline')
  timeline(@CurrentPrincipal() principal: Principal): Promise<{ bucketSeconds: number; buckets: TimelineBucket[] }> {
    return this.ops.timeline(principal.tenantId);
  }

  @Get('questions')
  questions(@CurrentPrincipal() principal: Principal): Promise<Questions> {
    return this.ops.questions(principal.tenantId);
  }

  @Get('failed-documents')
  failedDocuments(@CurrentPrincipal() principal: Principal): Promise<FailedDocument[]> {
    return this.ops.failedDocuments(principal.tenantId);
  }
}
