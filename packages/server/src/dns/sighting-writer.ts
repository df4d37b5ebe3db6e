/**
 * @module dns/sighting-writer
 * Takes sightings from the DNS listener and writes them to the store in
 * batches, one transaction every `flushMs`, so a burst of questions costs
 * the event loop a map insert each and the database one commit per batch.
 * At most `maxPending` labels wait between flushes: beyond that a flood of
 * made-up labels is dropped (and counted) rather than held in memory — a
 * genuine probe asks once per run.
 */
import type { Store } from '../store/contract.ts';
import type {} from './sighting-store-contract.ts';
import type { Sighting } from './zone-answer.ts';

export interface SightingWriterOptions {
  flushMs?: number;
  maxPending?: number;
  now?: () => Date;
  onError?: (err: unknown) => void;
}

export class SightingWriter {
  readonly #store: Store;
  readonly #pending = new Map<string, Sighting & { seenAt: string }>();
  readonly #flushMs: number;
  readonly #maxPending: number;
  readonly #now: () => Date;
  readonly #onError: (err: unknown) => void;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  readonly stats = { written: 0, dropped: 0 };

  constructor(store: Store, options: SightingWriterOptions = {}) {
    this.#store = store;
    this.#flushMs = options.flushMs ?? 100;
    this.#maxPending = options.maxPending ?? 10_000;
    this.#now = options.now ?? (() => new Date());
    this.#onError = options.onError ?? (() => {});
  }

  add(sighting: Sighting): void {
    // The first question of a label wins, as in the table.
    if (this.#pending.has(sighting.label)) return;
    if (this.#pending.size >= this.#maxPending) {
      this.stats.dropped++;
      return;
    }
    this.#pending.set(sighting.label, { ...sighting, seenAt: this.#now().toISOString() });
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      void this.flush();
    }, this.#flushMs);
  }

  /** Writes what is pending; resolves when it is committed. */
  flush(): Promise<void> {
    const batch = [...this.#pending.values()];
    this.#pending.clear();
    if (batch.length === 0) return this.#flushing;
    this.#flushing = this.#flushing.then(() =>
      this.#store
        .transaction(async (tx) => {
          for (const s of batch)
            await tx.resolverSightings.record({
              label: s.label,
              resolver: s.resolver,
              ecs: s.ecs,
              transport: s.transport,
              seenAt: s.seenAt,
            });
        })
        .then(
          () => {
            this.stats.written += batch.length;
          },
          (err: unknown) => this.#onError(err),
        ),
    );
    return this.#flushing;
  }

  async close(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }
}
