/**
 * @module agent/last-run
 * What the agent keeps of each run besides its log line: the record as
 * `last-run.json` in the state folder (for `agent status`), and the line
 * appended to `--log-file`. Neither may stop the agent: a full disk or a
 * read-only folder is said on stderr (the journal, launchd's log) and the
 * measurements go on; the spool, not this file, keeps unsent reports.
 */
import { appendFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import pkg from '../../package.json' with { type: 'json' };
import { errorText } from '../step.ts';
import type { AgentRunRecord } from './agent-log.ts';

export async function keepRun(
  lastRunFile: string,
  logFile: string | undefined,
  record: AgentRunRecord,
  line: string,
): Promise<void> {
  try {
    await mkdir(dirname(lastRunFile), { recursive: true, mode: 0o700 });
    const tmp = `${lastRunFile}.${process.pid}.tmp`;
    try {
      await writeFile(tmp, JSON.stringify({ ...record, version: pkg.version }), { mode: 0o600 });
      await rename(tmp, lastRunFile);
    } catch (err) {
      // Half a file on a full disk takes the space the spool needs.
      await rm(tmp, { force: true }).catch(() => {});
      throw err;
    }
  } catch (err) {
    process.stderr.write(`agent: cannot keep the last run in ${lastRunFile}: ${errorText(err)}\n`);
  }
  if (logFile === undefined) return;
  try {
    await mkdir(dirname(logFile), { recursive: true });
    await appendFile(logFile, `${line}\n`);
  } catch (err) {
    process.stderr.write(`agent: cannot append to ${logFile}: ${errorText(err)}\n`);
  }
}
