import { type CanActivate, createParamDecorator, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { type Principal, toTenantId } from '@rag/core';
import { APP_CONFIG, type AppConfig } from '@rag/config';
import type { FastifyRequest } from 'fastify';

type RequestWithPrincipal = FastifyRequest & { principal?: Principal };

/**
 * Resolves who is calling and attaches it to the request. Until API keys and tokens exist, every
 * caller is the operator of the default tenant with every scope, which suits the embedded profile
 * on a laptop and nothing else; authentication replaces this guard.
 */
@Injectable()
export class PrincipalGuard implements CanActivate {
  private readonly operator: Principal;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.operator = { tenantId: toTenantId(config.defaultTenant), subject: 'local-operator', groups: [], scopes: ['query', 'ingest', 'admin'] };
  }

  canActivate(context: ExecutionContext): boolean {
    context.switchToHttp().getRequest<RequestWithPrincipal>().principal = this.operator;
    return true;
  }
}

/** The caller of the current request, as resolved by PrincipalGuard. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<RequestWithPrincipal>().principal;
  if (!principal) throw new Error('PrincipalGuard did not run before this handler.');
  return principal;
});
