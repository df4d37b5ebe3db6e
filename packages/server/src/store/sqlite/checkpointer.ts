/**
 * @module store/sqlite/checkpointer
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs
 * inside whichever COMMIT crosses the threshold, copying the WAL into the
 * database file and fsyncing it — tens of milliseconds on the ingest path.
 * A worker thread with its own connection runs PASSIVE checkpoints instead
 * (they never block writers: https://www.sqlite.org/c3ref/wal_checkpoint_v2.html),
 * and the main connection keeps a high automatic threshold only as a backstop.
 */
import { Worker } from 'node:worker_threads';

const WORKER = `
const { DatabaseSync } = require('node:sqlite');
const { parentPort, workerData } = require('node:worker_threads');
const db = new DatabaseSync(workerData.file);
db.exec('PRAGMA busy_timeout = 5000');
const timer = setInterval(() => {
  try { db.exec('PRAGMA wal_checkpoint(PASSIVE)'); } catch {}
}, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(file: string, intervalMs = 250): Checkpointer {
  const worker = new Worker(WORKER, { eval: true, workerData: { file, intervalMs } });
  worker.unref();
  // A failing checkpointer is not fatal: the backstop threshold still bounds the WAL.
  worker.on('error', () => {});
  let stopped: Promise<void> | undefined;
  return {
    async stop() {
      if (stopped) return stopped;
      // Referenced while stopping: an unreferenced worker alone would let the process exit
      // under a caller still awaiting this (e.g. a CLI command closing its store).
      worker.ref();
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage('stop');
      let timer: NodeJS.Timeout | undefined;
      stopped = Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 2000)))])
        .then(() => worker.terminate())
        .then(() => clearTimeout(timer));
      return stopped;
    },
  };
}
