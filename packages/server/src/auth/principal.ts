/**
 * @module auth/principal
 * Who is calling. The tenant of every request comes from here — from the
 * credential — and never from the URL, query or body.
 */
import type { ApiScope, Role } from '../store/contract.ts';

export interface UserPrincipal {
  kind: 'user';
  tenantId: string;
  userId: string;
  email: string;
  role: Role;
  sessionId: string;
}

export interface ApiTokenPrincipal {
  kind: 'api-token';
  tenantId: string;
  tokenId: string;
  name: string;
  scope: ApiScope;
}

export interface AgentPrincipal {
  kind: 'agent';
  tenantId: string;
  tokenId: string;
  /** The token's SHA-256 (hex), as stored: the key of its reports' resolver labels. */
  tokenHash: string;
  name: string;
  officeId: string | null;
}

export type Principal = UserPrincipal | ApiTokenPrincipal | AgentPrincipal;

/**
 * What a route demands: `public` (no credential), `read` (session or any API
 * token), `write` (an owner's or admin's session, or a read-write API token;
 * never a viewer), `owner` (an owner's session), `agent` (an agent token).
 */
export type Access = 'public' | 'read' | 'write' | 'owner' | 'agent';

/** How the audit log names the actor. */
export function actorName(p: Principal): string {
  switch (p.kind) {
    case 'user':
      return `user:${p.email}`;
    case 'api-token':
      return `api-token:${p.name}`;
    case 'agent':
      return `agent-token:${p.name}`;
  }
}

/** The caller's principal; routes run only after authentication, so it is there. */
export function principalOf(request: { principal?: Principal }): Principal {
  if (!request.principal) throw new Error('route ran without a principal');
  return request.principal;
}
