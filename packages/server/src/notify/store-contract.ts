/**
 * @module notify/store-contract
 * The outbox repository (channels, deliveries, attempts) that store
 * dialects implement, added to `Store` by module augmentation
 * (store/README.md). Every method is tenant-first except the workers'
 * queue operations, which act on rows whose tenant they return.
 */
import type { Page } from '../store/contract.ts';
import type { ChannelRow } from './channel.ts';
import type { InsightNotice } from './notice.ts';

export type DeliveryStatus = 'pending' | 'sending' | 'delivered' | 'failed' | 'cancelled';

/** One delivery: a message to one channel. */
export interface DeliveryRow {
  tenantId: string;
  id: string;
  channelId: string;
  test: boolean;
  digestKey: string | null;
  notices: InsightNotice[];
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  leaseOwner: string | null;
  leaseUntil: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

/** One send attempt, for "why did this fail". */
export interface AttemptRow {
  tenantId: string;
  deliveryId: string;
  attempt: number;
  at: string;
  worker: string;
  ok: boolean;
  statusCode: number | null;
  detail: string;
  durationMs: number;
}

/** Queue a notice for a channel. */
export interface EnqueueInput {
  tenantId: string;
  channelId: string;
  notice: InsightNotice;
  /** Id for a new delivery (unused when merged into a digest). */
  newId: string;
  now: string;
  /** For digest channels: merge into the pending delivery with this key, due at `digestDueAt`. */
  digestKey?: string;
  digestDueAt?: string;
}

/** How a claimed delivery ended this time. */
export interface FinishInput {
  tenantId: string;
  id: string;
  owner: string;
  at: string;
  outcome: 'delivered' | 'retry' | 'failed';
  /** For `retry`. */
  nextAttemptAt?: string;
  statusCode?: number;
  detail: string;
  durationMs: number;
}

export interface OutboxRepo {
  createChannel(row: ChannelRow): Promise<void>;
  getChannel(tenantId: string, id: string): Promise<ChannelRow | undefined>;
  listChannels(tenantId: string): Promise<ChannelRow[]>;
  /** Replaces a channel's settings as stored (re-sealing its secrets under a new key). */
  setChannelConfig(tenantId: string, id: string, config: ChannelRow['config'], at: string): Promise<boolean>;
  /** Deletes the channel and cancels its unsent deliveries. */
  deleteChannel(tenantId: string, id: string, at: string): Promise<boolean>;
  /** `undefined` when this event was already queued for this channel. */
  enqueue(input: EnqueueInput): Promise<{ deliveryId: string; merged: boolean } | undefined>;
  enqueueTest(tenantId: string, channelId: string, id: string, now: string): Promise<void>;
  /**
   * Instance-wide: takes up to `limit` due deliveries whose lease is free or
   * expired, sets the lease and counts the attempt. Concurrent callers never
   * get the same row.
   */
  claim(owner: string, now: string, leaseUntil: string, limit: number): Promise<DeliveryRow[]>;
  /** Records the attempt; false when `owner` no longer holds the lease. */
  finish(input: FinishInput): Promise<boolean>;
  getDelivery(tenantId: string, id: string): Promise<DeliveryRow | undefined>;
  /** Newest first. */
  listDeliveries(
    tenantId: string,
    opts: { channelId?: string; status?: DeliveryStatus; cursor?: string; limit: number },
  ): Promise<Page<DeliveryRow>>;
  listAttempts(tenantId: string, deliveryId: string): Promise<AttemptRow[]>;
  /** Instance-wide counts by status (for /metrics and the worker's queue depth). */
  countByStatus(): Promise<Record<DeliveryStatus, number>>;
  /** The earliest `next_attempt_at` among pending deliveries (for the worker's sleep). */
  nextDueAt(): Promise<string | undefined>;
  /** Instance-wide read position in a feed (0 when never set). */
  getCursor(name: string): Promise<number>;
  setCursor(name: string, seq: number, at: string): Promise<void>;
}

declare module '../store/contract.ts' {
  interface StoreExtensions {
    outbox: OutboxRepo;
  }
}
