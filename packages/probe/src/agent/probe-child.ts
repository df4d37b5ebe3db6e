/**
 * @module agent/probe-child
 * The child side of `childProbeRunner`: `agent __probe-child`, started by a
 * running agent with an IPC channel, takes one request (the run's probe
 * options), runs the probe, answers with the report (or why it could not
 * run) and exits, giving everything the run allocated back to the OS. It
 * exits too when its parent goes away, so no orphan keeps probing.
 */
import { EXIT } from '@netinsights/protocol/cli/command.ts';
import { errorText } from '../step.ts';
import type { ProbeChildAnswer, ProbeChildRequest } from './probe-runner.ts';

/** Runs the one probe the parent asks for; resolves to the exit code (the answer went over IPC). */
export function runProbeChild(): Promise<number> {
  const send = process.send?.bind(process);
  if (!send) {
    process.stderr.write('agent __probe-child is started by a running agent, not by hand\n');
    return Promise.resolve(EXIT.USAGE);
  }
  return new Promise((resolve) => {
    const controller = new AbortController();
    // The parent stopped or died: stop probing, nobody would receive the report.
    process.once('disconnect', () => {
      controller.abort();
      process.exit(EXIT.USAGE);
    });
    process.once('message', async (request: ProbeChildRequest) => {
      let answer: ProbeChildAnswer;
      try {
        const { runProbe } = await import('../run-probe.ts');
        const { notPlanned, ...options } = request.options;
        answer = {
          report: await runProbe({
            ...options,
            ...(notPlanned ? { notPlanned: new Map(notPlanned) } : {}),
            signal: controller.signal,
          }),
        };
      } catch (err) {
        answer = { error: errorText(err) };
      }
      // Exit once the answer is written: keep-alive sockets or timers of the run must not hold the child.
      send(answer, undefined, {}, () => {
        resolve(EXIT.OK);
        process.exit(EXIT.OK);
      });
    });
  });
}
