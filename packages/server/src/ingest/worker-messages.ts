/**
 * @module ingest/worker-messages
 * The messages between the event loop and an ingest worker thread. Uploads
 * travel in batches (one message per event-loop turn each way, since a
 * message costs about as much as validating a report). Only plain data
 * crosses: an error travels as its API code, message and details and is
 * rebuilt on the other side, so the answer is the same as without a worker.
 */
import type { ErrorCode } from '@netinsights/protocol';
import type { PreparedUpload, UploadInput } from './prepare-upload.ts';

export interface WorkerError {
  /** Set for API errors (400, 413, 422 …); absent for an unexpected failure (500). */
  code?: ErrorCode;
  message: string;
  details?: unknown;
}

export type PrepareOutcome = { ok: true; upload: PreparedUpload } | { ok: false; error: WorkerError };

export type ToWorker = { type: 'prepare'; batch: number; uploads: UploadInput[] } | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'failed'; error: WorkerError }
  | { type: 'prepared'; batch: number; outcomes: PrepareOutcome[] };
