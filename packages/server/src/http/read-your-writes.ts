/**
 * @module http/read-your-writes
 * With a read replica (`--db-read`), which requests read there: GET and HEAD
 * of the dashboard and API by a signed-in user or an API token. Writes,
 * ingest and agents, sign-in and authentication itself stay on the primary
 * (auth runs before this hook, so a session created a moment ago is found).
 *
 * Read-your-writes, by WAL position rather than by a time window (a window
 * is a guess at the replica's lag; a position is a fact): after a caller's
 * successful write the primary's WAL insert position is remembered for that
 * caller — in memory by session or API token (this server), and in the
 * `ni_written` cookie (any server behind the same load balancer; it holds
 * only a WAL position). The caller's reads go to the primary until the
 * replica has replayed past it (`pg_last_wal_replay_lsn()`), then to the
 * replica again and the cookie is cleared. Other callers read the replica
 * throughout: they may see an edit a replica's lag later, never a half of it
 * (the replica replays whole transactions).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ReadReplica } from '../store/contract.ts';
import { readFromReplica } from '../store/read-routing.ts';
import type { ServerContext } from './context.ts';
import { secureCookies } from './sessions.ts';

export const WRITTEN_COOKIE = 'ni_written';

/** How long a remembered write position is kept (a replica further behind than this is broken). */
const REMEMBER_MS = 10 * 60_000;
/** Bound on remembered callers; the oldest are forgotten first. */
const MAX_REMEMBERED = 10_000;

const READS = new Set(['GET', 'HEAD']);
const POSITION = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i;

/** A `pg_lsn` text as a number, or undefined when it is not one. */
function positionValue(p: string | undefined): bigint | undefined {
  const m = p === undefined ? null : POSITION.exec(p);
  return m ? (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`) : undefined;
}

/** The caller's key in memory: its session or API token; none before sign-in. */
function callerKey(request: FastifyRequest): string | undefined {
  const p = request.principal;
  if (p?.kind === 'user') return `session:${p.sessionId}`;
  if (p?.kind === 'api-token') return `api-token:${p.tokenId}`;
  return undefined;
}

/** Requests of the dashboard and API (not agents, not unknown URLs). */
function isAdminRequest(request: FastifyRequest): boolean {
  const access = request.routeOptions.config?.access;
  return access !== undefined && access !== 'agent' && request.principal?.kind !== 'agent';
}

class WritePositions {
  readonly #byCaller = new Map<string, { position: string; at: number }>();

  remember(key: string, position: string, now: number): void {
    this.#byCaller.delete(key);
    this.#byCaller.set(key, { position, at: now });
    if (this.#byCaller.size > MAX_REMEMBERED) this.#byCaller.delete(this.#byCaller.keys().next().value!);
  }

  get(key: string, now: number): string | undefined {
    const e = this.#byCaller.get(key);
    if (e && now - e.at > REMEMBER_MS) this.#byCaller.delete(key);
    return e && now - e.at <= REMEMBER_MS ? e.position : undefined;
  }

  forget(key: string): void {
    this.#byCaller.delete(key);
  }
}

/** Routes this server's dashboard and API reads to `ctx.store.replica` when there is one. */
export function registerReadReplicaRouting(app: FastifyInstance, ctx: ServerContext): void {
  const replica: ReadReplica | undefined = ctx.store.replica;
  if (!replica) return;
  const positions = new WritePositions();
  const caughtUp = new WeakSet<FastifyRequest>();

  /** The caller's latest write position, from memory or its cookie, whichever is later. */
  const latestWrite = (request: FastifyRequest): string | undefined => {
    const key = callerKey(request);
    const mine = key ? positions.get(key, Date.now()) : undefined;
    const cookie = request.cookies[WRITTEN_COOKIE];
    const c = positionValue(cookie);
    if (c === undefined) return mine;
    const m = positionValue(mine);
    return m !== undefined && m >= c ? mine : cookie;
  };

  app.addHook('onRequest', (request: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) => {
    if (!READS.has(request.method) || !isAdminRequest(request) || !request.principal) return done();
    const written = latestWrite(request);
    if (written === undefined) return readFromReplica(() => done());
    replica.hasReplayed(written).then(
      (replayed) => {
        if (!replayed) return done();
        const key = callerKey(request);
        if (key) positions.forget(key);
        caughtUp.add(request);
        readFromReplica(() => done());
      },
      // The replica cannot say: read from the primary.
      () => done(),
    );
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (READS.has(request.method)) {
      if (caughtUp.has(request) && request.cookies[WRITTEN_COOKIE] !== undefined)
        reply.clearCookie(WRITTEN_COOKIE, { path: '/' });
      return payload;
    }
    if (!isAdminRequest(request) || reply.statusCode >= 400) return payload;
    // The handler has committed: everything it wrote lies before the primary's position now.
    let position: string;
    try {
      position = await replica.writePosition();
    } catch (err) {
      request.log.warn(
        { err },
        'could not read the primary WAL position; this caller may read its own edit late',
      );
      return payload;
    }
    const key = callerKey(request);
    if (key) positions.remember(key, position, Date.now());
    reply.setCookie(WRITTEN_COOKIE, position, {
      httpOnly: true,
      sameSite: 'strict',
      secure: secureCookies(ctx),
      path: '/',
      maxAge: REMEMBER_MS / 1000,
    });
    return payload;
  });
}
