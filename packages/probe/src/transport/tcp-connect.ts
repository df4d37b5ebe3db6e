/**
 * @module tcp-connect
 * One TCP connection attempt with a deadline, its failure classified the way
 * an admin reads it: refused (RST: nothing listens or a firewall rejects),
 * timeout (SYNs dropped), reset, unreachable (no route).
 */
import { connect, type Socket } from 'node:net';
import { fail } from '@netinsights/protocol';
import { cutOff, errorCode, errorText, failed, type Step, since } from '../step.ts';

export interface Connected {
  socket: Socket;
  ms: number;
}

function tcpClass(code: string | undefined) {
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused' as const;
    case 'ETIMEDOUT':
      return 'timeout' as const;
    case 'ECONNRESET':
    case 'EPIPE':
      return 'reset' as const;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
    case 'EHOSTDOWN':
    case 'ENETDOWN':
      return 'unreachable' as const;
    default:
      return 'error' as const;
  }
}

/** Connects to `address:port`; `label` names the target in messages (host, or "proxy …"). */
export function tcpConnect(
  address: string,
  port: number,
  label: string,
  signal: AbortSignal,
  runSignal: AbortSignal,
  timeoutMs: number,
): Promise<Step<Connected>> {
  const start = performance.now();
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve(
        failed(
          cutOff(
            runSignal,
            fail('tcp', 'timeout', `TCP connect to ${label} not started before its deadline`),
            `TCP connect to ${label}`,
          ),
        ),
      );
      return;
    }
    const socket = connect({ host: address, port, noDelay: true });
    const done = (result: Step<Connected>) => {
      signal.removeEventListener('abort', onAbort);
      socket.off('connect', onConnect);
      socket.off('error', onError);
      resolve(result);
    };
    const onConnect = () => {
      // Until TLS takes the socket over, a late reset must not be an unhandled 'error' event.
      socket.on('error', () => {});
      done({ ok: true, socket, ms: since(start) });
    };
    const onError = (err: Error) => {
      socket.destroy();
      const cls = tcpClass(errorCode(err));
      done(
        failed(fail('tcp', cls, `TCP connect to ${label} (${address}:${port}) failed: ${errorText(err)}`), {
          timings: { connectMs: since(start) },
        }),
      );
    };
    const onAbort = () => {
      socket.destroy();
      done(
        failed(
          cutOff(
            runSignal,
            fail(
              'tcp',
              'timeout',
              `TCP connect to ${label} (${address}:${port}) got no answer within ${timeoutMs} ms`,
            ),
            `TCP connect to ${label}`,
          ),
          { timings: { connectMs: since(start) } },
        ),
      );
    };
    socket.once('connect', onConnect);
    socket.once('error', onError);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
