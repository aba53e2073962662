import type { Authenticator, Principal } from '@rag/core';
import { looksLikeJwt, type JwtAuthenticator } from './jwt.authenticator';

/** API keys always; OIDC tokens too when an issuer is configured. */
export class CredentialAuthenticator implements Authenticator {
  constructor(
    private readonly apiKeys: Authenticator,
    private readonly tokens: JwtAuthenticator | null,
  ) {}

  authenticate(credential: string): Promise<Principal | null> {
    if (this.tokens && looksLikeJwt(credential)) return this.tokens.authenticate(credential);
    return this.apiKeys.authenticate(credential);
  }
}
