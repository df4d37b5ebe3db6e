/**
 * @module ingest/prepare-worker
 * The body of an ingest worker thread (started by ingest/worker-preparer.ts):
 * parses, validates and prepares uploads (ingest/prepare-upload.ts) so that
 * the event loop is left with HTTP, authentication, storage and answering.
 * It holds no database connection and no state between uploads.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { NetinsightsError } from '@netinsights/protocol';
import { loadInsightsHook } from '../insights-hook.ts';
import type { JsonLimits } from './json-body.ts';
import { prepareUpload } from './prepare-upload.ts';
import type { FromWorker, PrepareOutcome, ToWorker, WorkerError } from './worker-messages.ts';

export interface PrepareWorkerData {
  limits: JsonLimits;
}

if (!parentPort) throw new Error('ingest/prepare-worker.ts runs only as a worker thread');
const port = parentPort;
const { limits } = workerData as PrepareWorkerData;
const send = (message: FromWorker) => port.postMessage(message);

function describe(err: unknown): WorkerError {
  if (err instanceof NetinsightsError) return { code: err.code, message: err.message, details: err.details };
  return { message: err instanceof Error ? err.message : String(err) };
}

async function main(): Promise<void> {
  const insights = await loadInsightsHook();
  port.on('message', (message: ToWorker) => {
    if (message.type === 'close') {
      port.close();
      return;
    }
    const outcomes = message.uploads.map((input): PrepareOutcome => {
      try {
        return { ok: true, upload: prepareUpload(input, limits, insights).upload };
      } catch (err) {
        return { ok: false, error: describe(err) };
      }
    });
    send({ type: 'prepared', batch: message.batch, outcomes });
  });
  send({ type: 'ready' });
}

main().catch((err: unknown) => send({ type: 'failed', error: describe(err) }));
