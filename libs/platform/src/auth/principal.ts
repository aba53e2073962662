import { type CanActivate, createParamDecorator, type ExecutionContext, Inject, Injectable, Optional, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError, AUTHENTICATOR, RATE_LIMITER, type Authenticator, type Principal, type RateLimiter, type Scope } from '@rag/core';
import type { FastifyRequest } from 'fastify';

type RequestWithPrincipal = FastifyRequest & { principal?: Principal };

const PUBLIC = 'rag:public';
const SCOPES = 'rag:scopes';

/** A route anyone may call: health, readiness, metrics, the API description. */
export const Public = () => SetMetadata(PUBLIC, true);

/** The caller needs one of these scopes (on the handler or its controller). */
export const RequireScopes = (...scopes: Scope[]) => SetMetadata(SCOPES, scopes);

/**
 * Authenticates every request that is not public: an API key in `Authorization: Bearer …` or
 * `x-api-key`. No credential or an unknown one is 401; a known caller without the scope is 403;
 * a caller over its key's or its tenant's rate limit is 429 with Retry-After.
 * A route with neither @Public nor @RequireScopes is refused, so a new route is closed by default.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTHENTICATOR) private readonly authenticator: Authenticator,
    @Optional() @Inject(RATE_LIMITER) private readonly limiter: RateLimiter | null,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    const credential = credentialOf(request);
    if (!credential) throw new AppError('UNAUTHENTICATED', 'An API key is required: send it as "Authorization: Bearer <key>".');
    const principal = await this.authenticator.authenticate(credential);
    if (!principal) throw new AppError('UNAUTHENTICATED', 'The API key is unknown, revoked or expired.');
    const needed = this.reflector.getAllAndOverride<Scope[] | undefined>(SCOPES, targets);
    if (!needed) throw new AppError('FORBIDDEN', 'This route declares no scope, so nobody may call it.');
    if (!needed.some((scope) => principal.scopes.includes(scope))) {
      throw new AppError('FORBIDDEN', `Forbidden: this needs the ${needed.join(' or ')} scope.`, { needed });
    }
    await this.enforceRateLimit(principal);
    request.principal = principal;
    return true;
  }

  private async enforceRateLimit(principal: Principal): Promise<void> {
    if (!this.limiter) return;
    const decision = await this.limiter.consume(principal.tenantId, principal.subject);
    if (decision.allowed) return;
    const retryAfterSeconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    throw new AppError('RATE_LIMITED', `Too many requests: try again in ${retryAfterSeconds} s.`, { retryAfterSeconds });
  }
}

function credentialOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header === 'string' && /^Bearer\s+\S+$/i.test(header)) return header.replace(/^Bearer\s+/i, '');
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey.length > 0 ? apiKey : null;
}

/** The caller of the current request, as authenticated by AuthGuard. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<RequestWithPrincipal>().principal;
  if (!principal) throw new Error('AuthGuard did not run before this handler.');
  return principal;
});
