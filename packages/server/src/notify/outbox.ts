/**
 * @module notify/outbox
 * The durable outbox. `enqueueNotice` turns an insight event into one
 * delivery per interested channel; call it with the transaction store that
 * records the event, so the event and its deliveries commit together (a
 * crash can lose neither one without the other). `OutboxWorker` sends due
 * deliveries: it claims them with a lease, sends outside any transaction,
 * and records the outcome — delivered (never claimed again), retry later
 * with backoff, or failed for good.
 *
 * Guarantee: at least once per (event, channel), and exactly once unless a
 * process dies between the receiver accepting a message and the outcome
 * being recorded; webhook receivers can drop that rare duplicate by the
 * X-Netinsights-Delivery header.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Store } from '../store/contract.ts';
import { type BackoffOptions, backoffDelay } from './backoff.ts';
import { type ChannelRow, channelWants } from './channel.ts';
import { type SendContext, type SendOutcome, sendToChannel } from './channels/index.ts';
import type { InsightNotice, OutgoingMessage } from './notice.ts';
import { openChannel, type SecretBox } from './secret-box.ts';
import type { DeliveryRow } from './store-contract.ts';

/**
 * Queues `notice` for every enabled channel of the tenant whose filters
 * match. Returns the deliveries created or extended. Safe to call twice for
 * the same event: the second call queues nothing.
 */
export async function enqueueNotice(
  store: Store,
  tenantId: string,
  notice: InsightNotice,
  now = new Date(),
): Promise<{ channelId: string; deliveryId: string; merged: boolean }[]> {
  const out: { channelId: string; deliveryId: string; merged: boolean }[] = [];
  for (const channel of await store.outbox.listChannels(tenantId)) {
    if (!channelWants(channel, notice)) continue;
    const digest = channel.digestMinutes > 0;
    const r = await store.outbox.enqueue({
      tenantId,
      channelId: channel.id,
      notice,
      newId: randomUUID(),
      now: now.toISOString(),
      ...(digest
        ? {
            digestKey: notice.insight.officeId,
            digestDueAt: new Date(now.getTime() + channel.digestMinutes * 60_000).toISOString(),
          }
        : {}),
    });
    if (r) out.push({ channelId: channel.id, ...r });
  }
  return out;
}

/** Queues a "send a test" delivery; returns its id. */
export async function queueTest(
  store: Store,
  tenantId: string,
  channelId: string,
  now = new Date(),
): Promise<string> {
  const id = randomUUID();
  await store.outbox.enqueueTest(tenantId, channelId, id, now.toISOString());
  return id;
}

/** Settings of a worker. */
export interface OutboxWorkerOptions {
  store: Store;
  ctx: SendContext;
  /** Opens channel secrets sealed at rest (undefined: they are stored unsealed). */
  secrets?: SecretBox | undefined;
  /** Lease holder name (default host:pid:random). */
  owner?: string;
  /** Deliveries per claim (default 10). */
  batchSize?: number;
  /** How long a claim is held (default 2 min; must exceed the send deadline, which defaults to 15 s). */
  leaseMs?: number;
  /** Longest sleep between polls, in ms (default 5 s); `kick()` wakes it early. */
  pollMs?: number;
  /** Attempts before a delivery is marked failed (default 8: about 2 h with the default backoff). */
  maxAttempts?: number;
  backoff?: BackoffOptions;
  /** Replaces the channel senders (benchmarks). */
  send?: (channel: ChannelRow, msg: OutgoingMessage, ctx: SendContext) => Promise<SendOutcome>;
  /**
   * Runs at the start of every pass to queue new work (the insight-event
   * pump, event-pump.ts); returns how many events it read.
   */
  feed?: (now: Date) => Promise<number>;
  /** Called when `feed` throws (the pass goes on with the deliveries already queued). */
  onFeedError?: (err: unknown) => void;
  /** Called after each attempt (logging, metrics). */
  onAttempt?: (
    d: DeliveryRow,
    outcome: SendOutcome,
    final: 'delivered' | 'retry' | 'failed',
    channelType: string,
  ) => void;
  now?: () => Date;
}

/** Result of one pass. */
export interface PassResult {
  /** Events the feed read this pass. */
  fed: number;
  claimed: number;
  delivered: number;
  retried: number;
  failed: number;
}

/** Sends due deliveries until stopped. */
export class OutboxWorker {
  readonly owner: string;
  readonly #o: OutboxWorkerOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #stopped = true;
  #wake: (() => void) | undefined;
  #kicked = false;

  constructor(options: OutboxWorkerOptions) {
    this.#o = options;
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }

  #now(): Date {
    return this.#o.now ? this.#o.now() : new Date();
  }

  /** One claim-and-send pass; resolves when every claimed delivery has an outcome. */
  async runOnce(): Promise<PassResult> {
    const { store } = this.#o;
    let fed = 0;
    try {
      if (this.#o.feed) fed = await this.#o.feed(this.#now());
    } catch (err) {
      // A failing feed must not hold back deliveries already queued.
      this.#o.onFeedError?.(err);
    }
    const now = this.#now();
    const leaseMs = this.#o.leaseMs ?? 120_000;
    const claimed = await store.outbox.claim(
      this.owner,
      now.toISOString(),
      new Date(now.getTime() + leaseMs).toISOString(),
      this.#o.batchSize ?? 10,
    );
    const result: PassResult = { fed, claimed: claimed.length, delivered: 0, retried: 0, failed: 0 };
    await Promise.all(
      claimed.map(async (d) => {
        const final = await this.#deliver(d);
        if (final === 'delivered') result.delivered++;
        else if (final === 'retry') result.retried++;
        else result.failed++;
      }),
    );
    return result;
  }

  async #deliver(d: DeliveryRow): Promise<'delivered' | 'retry' | 'failed'> {
    const { store } = this.#o;
    const started = performance.now();
    const stored = await store.outbox.getChannel(d.tenantId, d.channelId);
    const channel = stored && this.#o.secrets ? openChannel(this.#o.secrets, stored) : stored;
    let outcome: SendOutcome;
    if (!channel) outcome = { ok: false, detail: 'the channel was deleted', retryable: false };
    else {
      const msg: OutgoingMessage = {
        deliveryId: d.id,
        tenantId: d.tenantId,
        channelId: d.channelId,
        test: d.test,
        notices: d.notices,
      };
      try {
        outcome = await (this.#o.send ?? sendToChannel)(channel, msg, this.#o.ctx);
      } catch (err) {
        outcome = { ok: false, detail: `sender crashed: ${(err as Error).message}`, retryable: true };
      }
    }
    const at = this.#now();
    const maxAttempts = this.#o.maxAttempts ?? 8;
    const final = outcome.ok
      ? 'delivered'
      : outcome.retryable && d.attempts < maxAttempts
        ? 'retry'
        : 'failed';
    await store.outbox.finish({
      tenantId: d.tenantId,
      id: d.id,
      owner: this.owner,
      at: at.toISOString(),
      outcome: final,
      ...(final === 'retry'
        ? { nextAttemptAt: new Date(at.getTime() + backoffDelay(d.attempts, this.#o.backoff)).toISOString() }
        : {}),
      ...(outcome.status !== undefined ? { statusCode: outcome.status } : {}),
      detail:
        final === 'failed' && !outcome.ok && outcome.retryable
          ? `${outcome.detail} (gave up after ${d.attempts} attempts)`
          : outcome.detail,
      durationMs: performance.now() - started,
    });
    this.#o.onAttempt?.(d, outcome, final, channel?.type ?? 'deleted');
    return final;
  }

  /** Starts polling. */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#schedule(0);
  }

  /** Runs a pass soon (after an enqueue), instead of waiting for the next poll. */
  kick(): void {
    if (this.#stopped) return;
    if (this.#wake) this.#wake();
    else this.#kicked = true; // a pass is running: go again right after it
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    const timer = setTimeout(() => {
      this.#wake = undefined;
      this.#running = this.#loop();
    }, ms);
    timer.unref();
    this.#timer = timer;
    this.#wake = () => {
      clearTimeout(timer);
      this.#wake = undefined;
      this.#running = this.#loop();
    };
  }

  async #loop(): Promise<void> {
    let more = false;
    this.#kicked = false;
    try {
      const r = await this.runOnce();
      more = r.claimed >= (this.#o.batchSize ?? 10) || r.fed > 0;
    } catch {
      // A store error (e.g. busy) is retried on the next poll.
    }
    if (this.#stopped) return;
    let wait = this.#o.pollMs ?? 5_000;
    if (more || this.#kicked) wait = 0;
    else {
      const due = await this.#o.store.outbox.nextDueAt().catch(() => undefined);
      if (due) wait = Math.max(0, Math.min(wait, Date.parse(due) - this.#now().getTime()));
    }
    this.#schedule(wait);
  }

  /** Stops polling and waits for the pass in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#wake = undefined;
    await this.#running;
  }
}
