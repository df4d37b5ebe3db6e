/**
 * @module test/store/streaming-replica
 * A PostgreSQL primary and a hot standby streaming from it, both started for
 * one test file by scripts/pg-cluster.sh (Debian's server binaries; the
 * standby made by `pg_basebackup -R`). `pauseReplay`/`resumeReplay` hold the
 * standby still, so a test can tell for certain which server answered.
 */
import { execFileSync } from 'node:child_process';
import pg from 'pg';

const SCRIPT = new URL('../../../../scripts/pg-cluster.sh', import.meta.url).pathname;

export interface StreamingReplica {
  primaryUrl: string;
  standbyUrl: string;
  /** Stops WAL replay on the standby (pg_wal_replay_pause). */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Stops the standby server (the primary keeps running). */
  stopStandby(): void;
  stop(): void;
}

function exportsOf(out: string): Record<string, string> {
  return Object.fromEntries([...out.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
}

async function onStandby(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export function startStreamingReplica(): StreamingReplica {
  const primary = exportsOf(execFileSync(SCRIPT, ['start'], { encoding: 'utf8' }));
  const primaryDir = primary.NETINSIGHTS_PG_CLUSTER!;
  let standby: Record<string, string>;
  try {
    standby = exportsOf(execFileSync(SCRIPT, ['standby', primaryDir], { encoding: 'utf8' }));
  } catch (err) {
    execFileSync(SCRIPT, ['stop', primaryDir]);
    throw err;
  }
  const standbyDir = standby.NETINSIGHTS_PG_STANDBY!;
  const standbyUrl = standby.NETINSIGHTS_TEST_PG_STANDBY_URL!;
  let standbyStopped = false;
  return {
    primaryUrl: primary.NETINSIGHTS_TEST_PG_URL!,
    standbyUrl,
    pauseReplay: () => onStandby(standbyUrl, 'SELECT pg_wal_replay_pause()'),
    resumeReplay: () => onStandby(standbyUrl, 'SELECT pg_wal_replay_resume()'),
    stopStandby() {
      if (standbyStopped) return;
      standbyStopped = true;
      execFileSync(SCRIPT, ['stop', standbyDir]);
    },
    stop() {
      this.stopStandby();
      execFileSync(SCRIPT, ['stop', primaryDir]);
    },
  };
}
