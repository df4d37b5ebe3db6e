/**
 * @module ingest/worker-preparer
 * Parses and validates uploads on worker threads (`--ingest-workers N`;
 * ingest/prepare-worker.ts). That is about a third of the event loop's
 * work per upload (bench: 177–197 → 121–147 µs of main-thread CPU per report), so
 * where cores are to spare the loop answers more uploads; on 2 cores the
 * threads compete for them and ingest measured slower (see
 * config/server-config.ts for the default).
 *
 * Uploads that arrive in the same event-loop turn travel as one message,
 * and batches go to the threads in turn. A thread that dies fails the
 * uploads it held with a 500 — none was acknowledged, so agents send them
 * again under the same id — and is started again for the next batch.
 */
import { Worker } from 'node:worker_threads';
import { NetinsightsError } from '@netinsights/protocol';
import { DEFAULT_MAX_JSON_ELEMENTS } from './json-body.ts';
import type { Prepared, UploadInput, UploadPreparer } from './prepare-upload.ts';
import type { PrepareWorkerData } from './prepare-worker.ts';
import type { FromWorker, ToWorker, WorkerError } from './worker-messages.ts';

const ENTRY = new URL('./prepare-worker.ts', import.meta.url);
/** Most uploads per message: a burst is spread over the threads instead of queueing on one. */
const MAX_BATCH = 64;
/**
 * Young generation of a worker's heap. A batch of parsed reports is a few
 * MB of short-lived objects; with V8's small default for workers they
 * survive into the old generation and cost extra marking on the GC threads.
 */
const YOUNG_GENERATION_MB = 48;

function rebuild(error: WorkerError): Error {
  return error.code
    ? new NetinsightsError(error.code, error.message, error.details)
    : new Error(`ingest worker: ${error.message}`);
}

interface Waiting {
  input: UploadInput;
  resolve: (prepared: Prepared) => void;
  reject: (err: Error) => void;
}

/** One worker thread and the batches waiting for its answers. */
class PrepareThread {
  readonly #worker: Worker;
  readonly #batches = new Map<number, Waiting[]>();
  /** close() waiting for the last batch to be answered. */
  readonly #whenIdle: Array<() => void> = [];
  #seq = 0;
  #stopped: Error | undefined;

  private constructor(worker: Worker, onDeath: (err: Error) => void) {
    this.#worker = worker;
    worker.on('message', (message: FromWorker) => {
      if (message.type !== 'prepared') return;
      const waiting = this.#batches.get(message.batch);
      if (!waiting) return;
      this.#batches.delete(message.batch);
      message.outcomes.forEach((outcome, i) => {
        const w = waiting[i]!;
        if (outcome.ok) w.resolve({ upload: outcome.upload });
        else w.reject(rebuild(outcome.error));
      });
      this.#wakeIfIdle();
    });
    const die = (err: Error) => {
      if (this.#stopped) return;
      this.#stopped = err;
      for (const batch of this.#batches.values()) for (const w of batch) w.reject(err);
      this.#batches.clear();
      this.#wakeIfIdle();
      onDeath(err);
    };
    worker.on('error', (err) => die(new Error(`ingest worker failed: ${err.message}`)));
    worker.on('exit', (code) => die(new Error(`ingest worker exited (code ${code})`)));
  }

  /** Starts a thread and waits until it has loaded its modules. */
  static start(entry: URL, data: PrepareWorkerData, onDeath: (err: Error) => void): Promise<PrepareThread> {
    const worker = new Worker(entry, {
      workerData: data,
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    return new Promise((resolve, reject) => {
      const fail = (err: Error) => {
        worker.terminate().catch(() => {});
        reject(err);
      };
      const onEarlyExit = (code: number) =>
        reject(new Error(`ingest worker exited while starting (code ${code})`));
      const onMessage = (message: FromWorker) => {
        if (message.type === 'failed')
          fail(new Error(`ingest worker could not start: ${message.error.message}`));
        if (message.type !== 'ready') return;
        worker.off('message', onMessage).off('error', fail).off('exit', onEarlyExit);
        // The HTTP server keeps the process alive; an idle worker must not.
        worker.unref();
        resolve(new PrepareThread(worker, onDeath));
      };
      worker.on('message', onMessage).once('error', fail).once('exit', onEarlyExit);
    });
  }

  get alive(): boolean {
    return !this.#stopped;
  }

  send(batch: Waiting[]): void {
    if (this.#stopped) {
      for (const w of batch) w.reject(this.#stopped);
      return;
    }
    const id = ++this.#seq;
    this.#batches.set(id, batch);
    const message: ToWorker = { type: 'prepare', batch: id, uploads: batch.map((w) => w.input) };
    this.#worker.postMessage(message);
  }

  /** Answers what it holds, then ends (a worker holds no state worth more than that). */
  async close(): Promise<void> {
    if (this.#stopped) return;
    if (this.#batches.size) await new Promise<void>((resolve) => this.#whenIdle.push(resolve));
    if (this.#stopped) return; // it died meanwhile, and its batches were refused
    this.#stopped = new Error('ingest is shutting down');
    await this.#worker.terminate();
  }

  #wakeIfIdle(): void {
    if (this.#batches.size === 0) for (const wake of this.#whenIdle.splice(0)) wake();
  }
}

export interface WorkerPreparerOptions {
  /** Deepest JSON nesting accepted. */
  maxJsonDepth: number;
  /** Most JSON values accepted (default: the server's default, config/server-config.ts). */
  maxJsonElements?: number;
  /** Number of worker threads (≥ 1). */
  workers: number;
  /** The worker's module (default ingest/prepare-worker.ts; tests use one that can fail on cue). */
  entry?: URL;
  /** Told when a thread dies unexpectedly (it is started again for the next batch). */
  onThreadDeath?: (err: Error) => void;
}

export class WorkerPreparer implements UploadPreparer {
  readonly onWorkers = true;
  readonly #entry: URL;
  readonly #data: PrepareWorkerData;
  readonly #onDeath: (err: Error) => void;
  readonly #threads: Array<PrepareThread | Promise<PrepareThread>>;
  #next = 0;
  #outbox: Waiting[] = [];
  #scheduled = false;
  #closed = false;

  private constructor(
    entry: URL,
    data: PrepareWorkerData,
    onDeath: (err: Error) => void,
    threads: PrepareThread[],
  ) {
    this.#entry = entry;
    this.#data = data;
    this.#onDeath = onDeath;
    this.#threads = threads;
  }

  /** Starts every thread; rejects (and stops those started) if one cannot start. */
  static async start(opts: WorkerPreparerOptions): Promise<WorkerPreparer> {
    if (!Number.isInteger(opts.workers) || opts.workers < 1)
      throw new Error(`ingest workers must be a whole number ≥ 1, got ${opts.workers}`);
    const data: PrepareWorkerData = {
      limits: { maxDepth: opts.maxJsonDepth, maxElements: opts.maxJsonElements ?? DEFAULT_MAX_JSON_ELEMENTS },
    };
    const onDeath = (err: Error) => opts.onThreadDeath?.(err);
    const entry = opts.entry ?? ENTRY;
    const started = await Promise.allSettled(
      Array.from({ length: opts.workers }, () => PrepareThread.start(entry, data, onDeath)),
    );
    const threads = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) {
      await Promise.all(threads.map((t) => t.close()));
      throw failed.reason;
    }
    return new WorkerPreparer(entry, data, onDeath, threads);
  }

  prepare(input: UploadInput): Promise<Prepared> {
    if (this.#closed) return Promise.reject(new Error('ingest is shutting down'));
    return new Promise((resolve, reject) => {
      this.#outbox.push({ input, resolve, reject });
      if (this.#outbox.length >= MAX_BATCH) this.#flush();
      else if (!this.#scheduled) {
        this.#scheduled = true;
        // After this turn's I/O callbacks: every upload read in this turn goes in one message.
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const batch = this.#outbox;
    if (batch.length === 0) return;
    this.#outbox = [];
    const slot = this.#next;
    this.#next = (slot + 1) % this.#threads.length;
    this.#thread(slot).then(
      (thread) => thread.send(batch),
      (err: Error) => {
        for (const w of batch) w.reject(err);
      },
    );
  }

  /** The slot's thread, started again if it died. */
  async #thread(slot: number): Promise<PrepareThread> {
    const current = await this.#threads[slot]!;
    if (current.alive) return current;
    const restarted = PrepareThread.start(this.#entry, this.#data, this.#onDeath);
    this.#threads[slot] = restarted;
    // A failed start is retried with the next batch instead of being remembered.
    restarted.catch(() => {
      if (this.#threads[slot] === restarted) this.#threads[slot] = current;
    });
    return restarted;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#flush();
    await Promise.all(
      this.#threads.map(async (t) => {
        const thread = await Promise.resolve(t).catch(() => undefined);
        await thread?.close();
      }),
    );
  }
}
