/**
 * @module http/routes/enrollment
 * Enrollment secrets (`nie_…`): one per organisation or office, limited in
 * uses and time, revocable, pushed by an MDM with the collector URL. An
 * agent trades one, on first contact, for its own agent token
 * (`POST /api/v1/agent/enroll`, no other credential): the secret names the
 * tenant, the token is bound to the secret's office, and each exchange is
 * audited. The secret is returned once, at creation; only its SHA-256 is
 * stored. A refused exchange says why (unknown, revoked, expired, used up)
 * so the admin reading the agent's log knows what to fix.
 */
import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { audit } from '../../audit/audit-log.ts';
import { principalOf } from '../../auth/principal.ts';
import { AGENT_TOKEN_PREFIX, hashSecret, newSecret } from '../../auth/secrets.ts';
import type { EnrollmentSecretRow } from '../../enrollment/store-contract.ts';
import { apiError } from '../../errors.ts';
import type { AgentTokenRow } from '../../store/contract.ts';
import type { ServerContext } from '../context.ts';
import { IdParams } from './api-route.ts';

export const ENROLLMENT_SECRET_PREFIX = 'nie_';
const tags = ['tokens'];
/** A year: an enrollment line should be rotated at least that often. */
const MAX_HOURS = 24 * 366;

const NewEnrollmentSecret = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    officeId: Type.Optional(Type.Union([Type.String({ maxLength: 128 }), Type.Null()])),
    maxUses: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 1_000_000 }), Type.Null()])),
    expiresInHours: Type.Optional(
      Type.Union([Type.Number({ exclusiveMinimum: 0, maximum: MAX_HOURS }), Type.Null()]),
    ),
  },
  { additionalProperties: false },
);
const Enroll = Type.Object(
  {
    secret: Type.String({ minLength: 1, maxLength: 200 }),
    deviceId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._:-]{1,64}$' })),
  },
  { additionalProperties: false },
);

const view = (r: EnrollmentSecretRow) => ({
  id: r.id,
  name: r.name,
  officeId: r.officeId,
  createdAt: r.createdAt,
  expiresAt: r.expiresAt,
  maxUses: r.maxUses,
  uses: r.uses,
  lastUsedAt: r.lastUsedAt,
  revokedAt: r.revokedAt,
});

/** Why a secret cannot be used at `now`, in words for the agent's log; undefined when it can. */
export function refusal(r: EnrollmentSecretRow | undefined, now: Date): string | undefined {
  if (!r) return 'this enrollment secret is not known to the collector';
  if (r.revokedAt) return `this enrollment secret was revoked at ${r.revokedAt}`;
  if (r.expiresAt && r.expiresAt <= now.toISOString())
    return `this enrollment secret expired at ${r.expiresAt}`;
  if (r.maxUses !== null && r.uses >= r.maxUses)
    return `this enrollment secret has been used ${r.uses} of ${r.maxUses} times`;
  return undefined;
}

export function registerEnrollmentRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { store } = ctx;

  app.get(
    '/api/v1/enrollment-secrets',
    { config: { access: 'read' }, schema: { tags, summary: 'enrollment secrets (without the secrets)' } },
    async (request) => ({ items: (await store.enrollment.list(principalOf(request).tenantId)).map(view) }),
  );

  app.post(
    '/api/v1/enrollment-secrets',
    {
      config: { access: 'write' },
      schema: { tags, summary: 'create an enrollment secret (shown once)', body: NewEnrollmentSecret },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const body = request.body as {
        name: string;
        officeId?: string | null;
        maxUses?: number | null;
        expiresInHours?: number | null;
      };
      const now = ctx.now();
      const secret = newSecret(ENROLLMENT_SECRET_PREFIX);
      const row: EnrollmentSecretRow = {
        tenantId: p.tenantId,
        id: randomUUID(),
        name: body.name,
        officeId: body.officeId ?? null,
        secretHash: hashSecret(secret),
        createdAt: now.toISOString(),
        expiresAt: body.expiresInHours
          ? new Date(now.getTime() + body.expiresInHours * 3_600_000).toISOString()
          : null,
        maxUses: body.maxUses ?? null,
        uses: 0,
        lastUsedAt: null,
        revokedAt: null,
      };
      await store.transaction(async (tx) => {
        if (row.officeId && !(await tx.offices.get(p.tenantId, row.officeId)))
          throw apiError('NI_ERR_SCHEMA', `/officeId: no office ${row.officeId} in this tenant`, {
            issues: [{ path: '/officeId', message: 'no such office' }],
          });
        await tx.enrollment.create(row);
        await audit(
          tx,
          p,
          'enrollment-secret.create',
          `enrollment-secret:${row.id}`,
          { name: row.name, officeId: row.officeId, maxUses: row.maxUses, expiresAt: row.expiresAt },
          now,
        );
      });
      reply.status(201);
      return { ...view(row), secret };
    },
  );

  app.delete(
    '/api/v1/enrollment-secrets/:id',
    {
      config: { access: 'write' },
      schema: { tags, summary: 'revoke an enrollment secret', params: IdParams },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const { id } = request.params as { id: string };
      const now = ctx.now();
      await store.transaction(async (tx) => {
        if (!(await tx.enrollment.revoke(p.tenantId, id, now.toISOString())))
          throw apiError('NI_ERR_NOT_FOUND', `no active enrollment secret ${id}`);
        await audit(tx, p, 'enrollment-secret.revoke', `enrollment-secret:${id}`, undefined, now);
      });
      reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/agent/enroll',
    {
      config: { access: 'public' },
      schema: { tags: ['ingest'], summary: 'trade an enrollment secret for an agent token', body: Enroll },
    },
    async (request, reply) => {
      const { secret, deviceId } = request.body as { secret: string; deviceId?: string };
      const now = ctx.now();
      const found = await store.enrollment.findBySecretHash(hashSecret(secret));
      const why = refusal(found, now);
      if (why || !found)
        throw apiError('NI_ERR_ENROLLMENT_REFUSED', `${why}; ask your administrator for a new one`);
      const token = newSecret(AGENT_TOKEN_PREFIX);
      const row = await store.transaction(async (tx) => {
        // Counted in one statement: two devices racing for the last use cannot both get it.
        if (!(await tx.enrollment.consume(found.tenantId, found.id, now.toISOString())))
          throw apiError(
            'NI_ERR_ENROLLMENT_REFUSED',
            `${refusal(await tx.enrollment.findBySecretHash(found.secretHash), now) ?? 'this enrollment secret cannot be used now'}; ask your administrator for a new one`,
          );
        const r: AgentTokenRow = {
          tenantId: found.tenantId,
          id: randomUUID(),
          name: `enrolled with ${found.name}${deviceId ? ` (device ${deviceId})` : ''}`.slice(0, 200),
          officeId: found.officeId,
          tokenHash: hashSecret(token),
          createdAt: now.toISOString(),
          lastUsedAt: null,
          revokedAt: null,
        };
        await tx.agentTokens.create(r);
        // No principal yet: the actor is the secret that let the agent in.
        await tx.audit.append({
          tenantId: found.tenantId,
          id: randomUUID(),
          at: now.toISOString(),
          actor: `enrollment secret ${found.name}`,
          action: 'agent-token.enroll',
          target: `agent-token:${r.id}`,
          details: { enrollmentSecretId: found.id, ...(deviceId ? { deviceId } : {}) },
        });
        return r;
      });
      reply.status(201);
      return { token, tokenId: row.id, officeId: row.officeId };
    },
  );
}
