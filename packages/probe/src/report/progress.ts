/**
 * @module progress
 * Live progress on a terminal while the checks run: one line on stderr,
 * rewritten in place, that says how many checks are done and what is still
 * running. Off when stderr is not a TTY (logs and pipes stay clean).
 */
import type { ProbeProgress } from '../probe-options.ts';

export interface ProgressLine {
  onProgress(event: ProbeProgress): void;
  /** The endpoint sweep's progress (ProbeOptions.sweep.onProgress). */
  onSweep(done: number, total: number, host: string, code: string): void;
  /** Clears the line; call before printing the report. */
  end(): void;
}

export function progressLine(stream: NodeJS.WriteStream, color: boolean): ProgressLine {
  const running = new Set<string>();
  let done = 0;
  let failed = 0;
  let total = 0;
  let last = 0;
  let sweepDone = 0;
  let sweepTotal = 0;
  let sweepFailed = 0;
  let sweepLast = '';
  const draw = (force = false) => {
    const now = Date.now();
    // At most ~10 redraws a second: a terminal is slow, a probe run is fast.
    if (!force && now - last < 100) return;
    last = now;
    const current = [...running].slice(0, 2).join(', ');
    const width = Math.max(40, (stream.columns ?? 80) - 1);
    const bad = failed ? ` ${color ? '\x1b[31m' : ''}${failed} failing${color ? '\x1b[39m' : ''}` : '';
    const sweep = sweepTotal
      ? ` · sweep ${sweepDone}/${sweepTotal}${sweepFailed ? ` (${sweepFailed} failing)` : ''}`
      : '';
    const shown = current || (sweepDone < sweepTotal ? sweepLast : '');
    const text = `probing… ${done}/${total} checks done${bad}${sweep}${shown ? ` — ${shown}` : ''}`;
    stream.write(`\r\x1b[K${text.slice(0, width + (color && failed ? 10 : 0))}`);
  };
  return {
    onProgress(event) {
      if (event.state === 'started') {
        total++;
        running.add(event.checkId);
      } else {
        running.delete(event.checkId);
        done++;
        if (event.result?.outcome.status === 'fail') failed++;
      }
      // Starts arrive in one burst at the beginning; drawing on finishes is enough.
      if (event.state === 'finished') draw(running.size === 0);
    },
    onSweep(doneHosts, totalHosts, host, code) {
      sweepDone = doneHosts;
      sweepTotal = totalHosts;
      sweepLast = host;
      if (code !== 'ok') sweepFailed++;
      draw(doneHosts === totalHosts && running.size === 0);
    },
    end() {
      stream.write('\r\x1b[K');
    },
  };
}
