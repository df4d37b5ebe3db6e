/**
 * @module agent/probe-runner
 * Where an agent's probe runs. `childProbeRunner` (what `netinsights agent`
 * uses) starts the agent's own program again in its hidden child mode
 * (`agent __probe-child`, see probe-child.ts) for each run, hands it the
 * run's options over Node's IPC channel and takes the report back the same
 * way; the child exits after one run, so everything a probe allocates —
 * sockets, TLS contexts, the QuickJS sandbox of a PAC file, download
 * buffers, compiled check code — is given back to the OS, and the
 * long-lived parent holds only scheduling, settings, spool and upload.
 * `inlineProbeRunner` runs the probe inside the agent's process (the
 * earlier design; tests and `--inline-probe` use it).
 */
import { spawn } from 'node:child_process';
import { isSea } from 'node:sea';
import type { ProbeReport } from '@netinsights/protocol';
import type { ProbeOptions } from '../probe-options.ts';

/** Runs one probe; rejects when aborted by `options.signal` or when the probe could not run. */
export type ProbeRunner = (options: ProbeOptions & { signal: AbortSignal }) => Promise<ProbeReport>;

/** The hidden subcommand of `agent` that runs one probe for its parent (never typed by a person). */
export const PROBE_CHILD_COMMAND = '__probe-child';

/**
 * What the parent sends the child: the run's options as JSON, without the parts that cannot cross a
 * process (the signal, callbacks, the environment, the `system` seams of labs and tests, which hold
 * functions: the child is a real run on the real machine), and the plan's refusals as entries.
 */
export type ProbeChildRequest = {
  options: Omit<ProbeOptions, 'signal' | 'onProgress' | 'env' | 'system' | 'notPlanned'> & {
    notPlanned?: [string, string][];
  };
};
/** What the child answers: the report, or why there is none. */
export type ProbeChildAnswer = { report: ProbeReport } | { error: string };

/**
 * How long a child may take past the run's deadline (a probe never waits
 * past it; run-probe's default deadline is 20 s, counted in here when the
 * options give none) before it is killed as hung.
 */
const CHILD_GRACE_MS = 80_000;
/** Of the child's stderr, the tail kept for the error of a child that died (a stack's first lines). */
const STDERR_TAIL = 2_000;

/** The probe in this process. */
export const inlineProbeRunner: ProbeRunner = async (options) => {
  const { runProbe } = await import('../run-probe.ts');
  return runProbe(options);
};

/**
 * The command line that starts this program again: a single executable is
 * its own program; from sources or the `.mjs` bundle, Node with the same
 * flags and script.
 */
export function selfCommand(): { program: string; args: string[] } {
  if (isSea() || process.argv[1] === undefined) return { program: process.execPath, args: [] };
  return { program: process.execPath, args: [...process.execArgv, process.argv[1]] };
}

/** Each run in a fresh child process of `command` (default: this program) given `agent __probe-child`. */
export function childProbeRunner(command = selfCommand()): ProbeRunner {
  return ({ signal, onProgress: _progress, env: _env, system: _system, notPlanned, ...rest }) =>
    new Promise<ProbeReport>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const child = spawn(command.program, [...command.args, 'agent', PROBE_CHILD_COMMAND], {
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        serialization: 'json',
      });
      let stderr = '';
      let answer: ProbeChildAnswer | undefined;
      child.stderr?.on('data', (chunk: Buffer) => {
        // The child's own warnings belong in the agent's log (the journal) as they come.
        process.stderr.write(chunk);
        stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL);
      });
      child.on('message', (m: ProbeChildAnswer) => {
        answer = m;
      });
      const onAbort = () => child.kill('SIGTERM');
      signal.addEventListener('abort', onAbort, { once: true });
      const guard = setTimeout(() => child.kill('SIGKILL'), (rest.deadlineMs ?? 0) + CHILD_GRACE_MS);
      child.on('error', (err) => {
        clearTimeout(guard);
        signal.removeEventListener('abort', onAbort);
        reject(new Error(`cannot start the probe's process ${command.program}: ${err.message}`));
      });
      child.on('close', (code, killedBy) => {
        clearTimeout(guard);
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) return reject(signal.reason);
        if (answer && 'report' in answer) return resolve(answer.report);
        if (answer && 'error' in answer) return reject(new Error(answer.error));
        const how = killedBy ? `was killed by ${killedBy}` : `exited with code ${code}`;
        const tail = stderr.trim().split('\n').slice(0, 3).join(' | ');
        reject(new Error(`the probe's process ${how} before its report${tail ? `: ${tail}` : ''}`));
      });
      const options: ProbeChildRequest['options'] = {
        ...rest,
        ...(notPlanned ? { notPlanned: [...notPlanned] } : {}),
      };
      child.send({ options } satisfies ProbeChildRequest);
    });
}
