/**
 * @module checks/websocket
 * WebSocket over TLS (RFC 6455) along the host's route: the upgrade, an echo
 * round trip when the endpoint echoes, then holding the connection open to
 * catch middleboxes that reset or idle-kill long-lived connections (the
 * Copilot chat hub is one). A genuine origin that answers the anonymous
 * upgrade with 400/401/403 has crossed the path: that is a pass.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { CheckResult, Outcome, TlsDetail, WebSocketDetail } from '@netinsights/protocol';
import { fail, ok } from '@netinsights/protocol';
import WebSocket from 'ws';
import { type ProbeContext, phaseSignal } from '../context.ts';
import { cutOff, errorCode, errorText, since } from '../step.ts';
import { dial } from '../transport/dial.ts';
import { startTls } from '../transport/tls-handshake.ts';
import { begin, type Slot } from './check-result.ts';
import { urlCheck } from './contract.ts';

/** Statuses a real service gives an anonymous upgrade (it wants a token). */
const ORIGIN_REFUSALS = new Set([400, 401, 403]);

export const websocketCheck = urlCheck('websocket', (profile) => profile.websocket.url, runWebsocket);

export async function runWebsocket(ctx: ProbeContext, slot: Slot): Promise<CheckResult> {
  const finish = begin(slot);
  const url = new URL(ctx.profile.websocket.url);
  const { host, port } = slot.target;
  const holdTargetMs = ctx.wsHoldMs;
  const base: WebSocketDetail = { holdTargetMs };
  const dialled = await dial(ctx, host, port);
  if (!dialled.ok)
    return finish(dialled.outcome, {
      timings: dialled.timings ?? {},
      websocket: base,
      ...(dialled.http ? { http: dialled.http } : {}),
    });
  // A WebSocket upgrade is HTTP/1.1 only (RFC 8441 aside), so offer just that.
  const secured = await startTls(ctx, dialled.socket, host, ['http/1.1']);
  if (!secured.ok)
    return finish(secured.outcome, { timings: { ...dialled.timings, ...secured.timings }, websocket: base });
  const timings = { ...dialled.timings, tlsMs: secured.ms };
  const { outcome, detail } = await upgradeEchoHold(ctx, url, secured.socket, secured.detail);
  return finish(outcome, { timings, tls: secured.detail, websocket: detail });
}

function upgradeEchoHold(
  ctx: ProbeContext,
  url: URL,
  socket: TLSSocket,
  tls: TlsDetail,
): Promise<{ outcome: Outcome; detail: WebSocketDetail }> {
  const host = url.hostname;
  const holdTargetMs = ctx.wsHoldMs;
  const upgradeSignal = phaseSignal(ctx);
  return new Promise((resolve) => {
    const detail: WebSocketDetail = { holdTargetMs };
    let phase: 'upgrade' | 'echo' | 'hold' | 'done' = 'upgrade';
    let openedAt = 0;
    let holdTimer: NodeJS.Timeout | undefined;
    let echoTimer: NodeJS.Timeout | undefined;
    const ws = new WebSocket(url, {
      createConnection: () => socket,
      perMessageDeflate: false,
      headers: { 'user-agent': 'netinsights-probe' },
      maxPayload: 64 * 1024,
    });
    const settle = (outcome: Outcome) => {
      if (phase === 'done') return;
      if (openedAt) detail.heldMs = Math.min(Math.round(since(openedAt)), 86_400_000);
      phase = 'done';
      clearTimeout(holdTimer);
      clearTimeout(echoTimer);
      upgradeSignal.removeEventListener('abort', onUpgradeAbort);
      ctx.runSignal.removeEventListener('abort', onRunAbort);
      ws.removeAllListeners();
      ws.on('error', () => {});
      if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'probe done');
      else ws.terminate();
      socket.destroy();
      resolve({ outcome, detail });
    };
    const onUpgradeAbort = () => {
      if (phase !== 'upgrade') return;
      settle(
        cutOff(
          ctx.runSignal,
          fail(
            'ws',
            'timeout',
            `the WebSocket upgrade to ${host} got no answer within ${ctx.checkTimeoutMs} ms`,
          ),
          `WebSocket upgrade to ${host}`,
        ),
      );
    };
    const onRunAbort = () =>
      settle(
        fail(
          'probe',
          'deadline',
          `the WebSocket to ${host} was cut off by the run deadline during its ${phase} phase`,
        ),
      );
    upgradeSignal.addEventListener('abort', onUpgradeAbort, { once: true });
    ctx.runSignal.addEventListener('abort', onRunAbort, { once: true });
    // A signal that fired before this phase began never fires again: stop at once.
    if (ctx.runSignal.aborted) queueMicrotask(onRunAbort);
    else if (upgradeSignal.aborted) queueMicrotask(onUpgradeAbort);

    ws.on('unexpected-response', (_req, res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      detail.upgradeStatus = status;
      res.resume();
      if (tls.verdict === 'genuine' && ORIGIN_REFUSALS.has(status)) {
        detail.originAnswered = true;
        settle(ok());
        return;
      }
      const who = tls.verdict === 'genuine' ? 'the origin' : 'the path (not the genuine origin)';
      settle(
        fail(
          'ws',
          'upgrade-refused',
          `the WebSocket upgrade to ${host} was answered with HTTP ${status} by ${who}`,
        ),
      );
    });
    ws.on('upgrade', (res) => {
      detail.upgradeStatus = res.statusCode ?? 101;
    });
    ws.on('open', () => {
      openedAt = performance.now();
      if (ctx.profile.websocket.echo) {
        phase = 'echo';
        const token = randomBytes(12).toString('hex');
        const sentAt = performance.now();
        ws.once('message', (data) => {
          if (phase !== 'echo') return;
          if (String(data) !== token) {
            settle(
              fail('ws', 'echo-failed', `the WebSocket to ${host} echoed something else than what was sent`),
            );
            return;
          }
          detail.echoRttMs = since(sentAt);
          hold();
        });
        echoTimer = setTimeout(
          () => settle(fail('ws', 'echo-failed', `no echo from ${host} within ${ctx.checkTimeoutMs} ms`)),
          ctx.checkTimeoutMs,
        );
        ws.send(token);
      } else hold();
    });
    const hold = () => {
      clearTimeout(echoTimer);
      phase = 'hold';
      holdTimer = setTimeout(() => settle(ok()), holdTargetMs);
    };
    ws.on('close', (code, reason) => {
      if (phase === 'done') return;
      detail.closeCode = code;
      const why = reason.toString('utf8').slice(0, 256);
      if (why) detail.closeReason = why;
      const heldS = openedAt ? (since(openedAt) / 1000).toFixed(1) : '0';
      if (phase === 'upgrade') {
        settle(
          fail('ws', 'upgrade-refused', `the connection to ${host} closed during the WebSocket upgrade`),
        );
        return;
      }
      // 1006: the connection ended without a Close frame (RFC 6455 §7.1.5) — a reset or an idle kill.
      if (code === 1006)
        settle(
          fail(
            'ws',
            'reset-after-open',
            `the WebSocket to ${host} was dropped after ${heldS} s without a close frame (1006)`,
          ),
        );
      else
        settle(
          fail(
            'ws',
            'closed-with-code',
            `the WebSocket to ${host} was closed by the other side after ${heldS} s with code ${code}${why ? ` (${why})` : ''}`,
          ),
        );
    });
    ws.on('error', (err) => {
      if (phase === 'done') return;
      const code = errorCode(err);
      if (phase === 'upgrade') {
        settle(fail('ws', 'upgrade-refused', `the WebSocket upgrade to ${host} failed: ${errorText(err)}`));
        return;
      }
      if (code === 'ECONNRESET' || code === 'EPIPE') {
        const heldS = (since(openedAt) / 1000).toFixed(1);
        settle(
          fail('ws', 'reset-after-open', `the WebSocket to ${host} was reset after ${heldS} s (${code})`),
        );
        return;
      }
      settle(
        fail(
          'ws',
          phase === 'echo' ? 'echo-failed' : 'reset-after-open',
          `the WebSocket to ${host} failed: ${errorText(err)}`,
        ),
      );
    });
  });
}
