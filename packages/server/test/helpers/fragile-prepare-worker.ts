/**
 * A stand-in for ingest/prepare-worker.ts that fails on cue, for testing
 * how the worker pool survives a thread's death: a body `crash` ends the
 * thread (exit code 3); any other body is "prepared" with its text as the id.
 */
import { parentPort } from 'node:worker_threads';
import type { FromWorker, ToWorker } from '../../src/ingest/worker-messages.ts';

if (process.env.NI_FRAGILE_WORKER_FAIL_START) throw new Error('cannot load the insight engine (simulated)');
const port = parentPort!;
port.on('message', (message: ToWorker) => {
  if (message.type !== 'prepare') return;
  const texts = message.uploads.map((u) => Buffer.from(u.body).toString('utf8'));
  if (texts.includes('crash')) process.exit(3);
  const reply: FromWorker = {
    type: 'prepared',
    batch: message.batch,
    outcomes: texts.map((text) => ({
      ok: true,
      upload: {
        reportId: text,
        probeOfficeId: null,
        localAddresses: [],
        deviceId: null,
        checks: 0,
        failures: 0,
        failureCodes: [],
        insight: undefined,
      },
    })),
  };
  port.postMessage(reply);
});
port.postMessage({ type: 'ready' } satisfies FromWorker);
