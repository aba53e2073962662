import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiKeyService, type IssuedKey } from '@rag/access';
import { SQL_STORE, type ApiKeyRecord, type AuditEvent, type Principal, type SqlStore } from '@rag/core';
import { CurrentPrincipal, RequireScopes, ZodValidationPipe } from '@rag/platform';
import { type IssueKeyRequest, issueKeyRequestSchema } from './admin.request';

const AUDIT_PAGE = 200;

/** Key management and the audit trail. A tenant administrator manages its tenant; `platform` any tenant. */
@RequireScopes('admin', 'platform')
@Controller('v1/admin')
export class AdminController {
  constructor(
    @Inject(ApiKeyService) private readonly keys: ApiKeyService,
    @Inject(SQL_STORE) private readonly sqlStore: SqlStore,
  ) {}

  @Post('keys')
  @HttpCode(201)
  issue(@CurrentPrincipal() principal: Principal, @Body(new ZodValidationPipe(issueKeyRequestSchema)) body: IssueKeyRequest): Promise<IssuedKey> {
    return this.keys.issue(principal, body);
  }

  @Get('keys')
  list(@CurrentPrincipal() principal: Principal, @Query('tenantId') tenantId?: string): Promise<ApiKeyRecord[]> {
    return this.keys.list(principal, tenantId);
  }

  @Delete('keys/:id')
  @HttpCode(204)
  revoke(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Query('tenantId') tenantId?: string): Promise<void> {
    return this.keys.revoke(principal, id, tenantId);
  }

  @Post('keys/:id/rotate')
  @HttpCode(201)
  rotate(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Query('tenantId') tenantId?: string): Promise<IssuedKey> {
    return this.keys.rotate(principal, id, tenantId);
  }

  @RequireScopes('admin')
  @Get('audit')
  audit(@CurrentPrincipal() principal: Principal): Promise<AuditEvent[]> {
    return this.sqlStore.listAudit(principal.tenantId, AUDIT_PAGE);
  }
}
