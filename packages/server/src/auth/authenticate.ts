/**
 * @module auth/authenticate
 * The onRequest hook that turns a credential into a Principal and enforces
 * the route's `config.access`. Runs before the body is read, so an upload
 * without a valid token is refused without reading it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { apiError, rateLimited } from '../errors.ts';
import type { AgentTokenRow, ApiTokenRow, Store } from '../store/contract.ts';
import type { Access, Principal } from './principal.ts';
import { AGENT_TOKEN_PREFIX, API_TOKEN_PREFIX, hashSecret } from './secrets.ts';
import type { TokenBuckets } from './token-bucket.ts';

export const SESSION_COOKIE = 'ni_session';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

/** Token rows are cached briefly so ingest does not hit the store per upload; revocation clears the entry. */
const CACHE_MS = 5_000;
/** lastUsedAt is written at most this often per token. */
const TOUCH_MS = 60_000;

export class Authenticator {
  readonly #store: Store;
  readonly #buckets: TokenBuckets;
  readonly #cache = new Map<string, { row: AgentTokenRow | ApiTokenRow | undefined; until: number }>();
  readonly #touched = new Map<string, number>();

  constructor(store: Store, buckets: TokenBuckets) {
    this.#store = store;
    this.#buckets = buckets;
  }

  /** Forget cached token rows (after a revocation). */
  invalidate(): void {
    this.#cache.clear();
  }

  hook = async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const access = request.routeOptions.config?.access;
    if (access === undefined) {
      // Unknown URL (404 handler) has no config; a registered route must declare one.
      if (request.routeOptions.url === undefined) return;
      throw apiError('NI_ERR_INTERNAL', `route ${request.routeOptions.url} declares no access rule`);
    }
    if (access === 'public') return;
    const principal = await this.#identify(request);
    if (!principal)
      throw apiError(
        'NI_ERR_UNAUTHENTICATED',
        access === 'agent'
          ? 'send an agent token: Authorization: Bearer nia_…'
          : 'sign in, or send an API token: Authorization: Bearer nit_…',
      );
    if (access === 'agent') {
      if (principal.kind !== 'agent')
        throw apiError('NI_ERR_FORBIDDEN', 'this endpoint is for probes and agents (agent tokens) only');
      const wait = request.routeOptions.method === 'POST' ? this.#buckets.take(principal.tokenId) : 0;
      if (wait > 0) throw rateLimited('NI_ERR_RATE_LIMITED', wait);
    } else if (principal.kind === 'agent') {
      throw apiError('NI_ERR_FORBIDDEN', 'an agent token may only upload reports and read agent config');
    } else if (access === 'write' && principal.kind === 'api-token' && principal.scope !== 'read-write') {
      throw apiError('NI_ERR_FORBIDDEN', 'this API token is read-only');
    } else if (access === 'write' && principal.kind === 'user' && principal.role === 'viewer') {
      throw apiError('NI_ERR_FORBIDDEN', 'a viewer may read but not change anything; ask an owner or admin');
    } else if (access === 'owner' && !(principal.kind === 'user' && principal.role === 'owner')) {
      throw apiError('NI_ERR_FORBIDDEN', 'only an owner of the tenant may do this');
    }
    request.principal = principal;
  };

  async #identify(request: FastifyRequest): Promise<Principal | undefined> {
    const auth = request.headers.authorization;
    if (auth !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
      if (!m) throw apiError('NI_ERR_UNAUTHENTICATED', 'the Authorization header must be "Bearer <token>"');
      return this.#fromToken(m[1]!);
    }
    const cookie = request.cookies?.[SESSION_COOKIE];
    if (cookie) return this.#fromSession(cookie);
    return undefined;
  }

  async #fromToken(token: string): Promise<Principal | undefined> {
    const agent = token.startsWith(AGENT_TOKEN_PREFIX);
    if (!agent && !token.startsWith(API_TOKEN_PREFIX)) return undefined;
    const hash = hashSecret(token);
    const now = Date.now();
    let cached = this.#cache.get(hash);
    if (!cached || cached.until < now) {
      const row = agent
        ? await this.#store.agentTokens.findByTokenHash(hash)
        : await this.#store.apiTokens.findByTokenHash(hash);
      if (this.#cache.size > 10_000) this.#cache.clear();
      cached = { row, until: now + CACHE_MS };
      this.#cache.set(hash, cached);
    }
    const row = cached.row;
    if (!row || row.revokedAt) return undefined;
    this.#touch(agent, row, now);
    return agent
      ? {
          kind: 'agent',
          tenantId: row.tenantId,
          tokenId: row.id,
          tokenHash: hash,
          name: row.name,
          officeId: (row as AgentTokenRow).officeId,
        }
      : {
          kind: 'api-token',
          tenantId: row.tenantId,
          tokenId: row.id,
          name: row.name,
          scope: (row as ApiTokenRow).scope,
        };
  }

  #touch(agent: boolean, row: AgentTokenRow | ApiTokenRow, now: number): void {
    const last = this.#touched.get(row.id) ?? 0;
    if (now - last < TOUCH_MS) return;
    this.#touched.set(row.id, now);
    const at = new Date(now).toISOString();
    const repo = agent ? this.#store.agentTokens : this.#store.apiTokens;
    // Best effort: a lost lastUsedAt update is harmless.
    repo.touch(row.tenantId, row.id, at).catch(() => {});
  }

  async #fromSession(cookie: string): Promise<Principal | undefined> {
    const session = await this.#store.sessions.findByTokenHash(hashSecret(cookie));
    if (!session || session.expiresAt <= new Date().toISOString()) return undefined;
    const user = await this.#store.users.get(session.tenantId, session.userId);
    if (!user) return undefined;
    return {
      kind: 'user',
      tenantId: user.tenantId,
      userId: user.id,
      email: user.email,
      role: user.role,
      sessionId: session.id,
    };
  }
}
