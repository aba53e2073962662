import type { Principal } from '../domain/tenant';

/** Turns a credential presented with a request (an API key, a token) into who is calling. */
export interface Authenticator {
  /** The principal, or null when the credential is unknown, revoked or expired. */
  authenticate(credential: string): Promise<Principal | null>;
}
