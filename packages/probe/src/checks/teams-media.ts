/**
 * @module checks/teams-media
 * What a Teams call's media would meet: STUN Binding requests (RFC 8489)
 * from one UDP socket to each of the Teams relay's media ports (3478–3481),
 * one per port every `intervalMs` (20 ms, an audio frame) for the profile's
 * fixed `durationSeconds`, then a short wait for late answers. At the same
 * time a TCP connect to the relay's port 443 tells "UDP is blocked, calls
 * relay over TCP" from "the relay is unreachable". UDP never goes through an
 * HTTP proxy: behind one the UDP side is still direct and the TCP side
 * follows the run's route; the report says which.
 *
 * Per run: sent/answered and loss per port, RTT median and p95, RFC 3550
 * interarrival jitter, reordering, the reflexive address the relay saw
 * (XOR-MAPPED-ADDRESS), and an estimated MOS (`estimateMos`).
 */
import type { CheckResult, TeamsMediaDetail, TeamsMediaPort } from '@netinsights/protocol';
import { estimateMos, fail, ok } from '@netinsights/protocol';
import { type ProbeContext, phaseSignal, routeOf } from '../context.ts';
import { dial } from '../transport/dial.ts';
import { bindingRequest, formatMapped, type MappedAddress, parseBindingResponse } from '../transport/stun.ts';
import { pacedUdpExchange } from '../transport/udp-pacer.ts';
import { begin, type Slot } from './check-result.ts';
import { type Check, singleResult } from './contract.ts';

/** How long after the last request answers are still counted. */
const LATE_ANSWER_MS = 500;

export const teamsMediaCheck: Check = {
  name: 'teams-media',
  endpoints: (profile) =>
    profile.teamsMedia
      ? [{ host: profile.teamsMedia.host.toLowerCase(), port: profile.teamsMedia.tcpPort ?? 443 }]
      : [],
  plan(profile, planner) {
    const t = profile.teamsMedia;
    if (!t) return [];
    const slot = planner.slot('teams-media', t.host.toLowerCase(), t.ports[0] ?? 3478, {}, 'udp');
    return [singleResult(slot, runTeamsMedia)];
  },
};

/** One answered request. */
interface Answer {
  seq: number;
  sentAt: number;
  rttMs: number;
}

/** The median (p = 0.5) or another nearest-rank percentile of a list of numbers. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/**
 * RFC 3550 §6.4.1 interarrival jitter over answers in arrival order: with
 * transit time T = arrival − send, D = T(j) − T(i) for consecutive answers
 * and J += (|D| − J)/16. Here both clocks are ours and T is the round trip.
 */
export function interarrivalJitter(rttsInArrivalOrder: readonly number[]): number | undefined {
  if (rttsInArrivalOrder.length < 2) return undefined;
  let j = 0;
  for (let i = 1; i < rttsInArrivalOrder.length; i++) {
    const d = (rttsInArrivalOrder[i] ?? 0) - (rttsInArrivalOrder[i - 1] ?? 0);
    j += (Math.abs(d) - j) / 16;
  }
  return j;
}

/** The E-model MOS estimate, shared with the server's assessment score (protocol `media-quality.ts`). */
export { estimateMos };

const round = (v: number | undefined) => (v === undefined ? undefined : Math.round(v * 10) / 10);

export async function runTeamsMedia(ctx: ProbeContext, slot: Slot): Promise<CheckResult> {
  const finish = begin(slot);
  const t = ctx.profile.teamsMedia;
  const host = slot.target.host;
  if (!t) return finish(fail('probe', 'internal', 'the profile has no teamsMedia block'));
  const tcpPort = t.tcpPort ?? 443;
  const via = routeOf(ctx, host, tcpPort).type;
  const tcpProbe = dial(ctx, host, tcpPort).then((d) => {
    if (d.ok) d.socket.destroy();
    return {
      port: tcpPort,
      ok: d.ok,
      via,
      ...(d.timings?.connectMs !== undefined ? { connectMs: d.timings.connectMs } : {}),
    };
  });
  const thresholds = { ...t.thresholds };
  const base = { host, intervalMs: t.intervalMs, durationMs: t.durationSeconds * 1000, thresholds };
  const answer = await ctx.dns.resolve(host, slot.target.port, phaseSignal(ctx));
  if (!answer.ok) {
    const tcpFallback = await tcpProbe;
    return finish(answer.outcome, {
      timings: answer.timings ?? {},
      teamsMedia: {
        ...base,
        ports: [],
        sent: 0,
        answered: 0,
        lossPercent: 0,
        reordered: 0,
        badAnswers: 0,
        tcpFallback,
      },
    });
  }
  const address = answer.addresses.find((a) => !a.includes(':')) ?? answer.addresses[0] ?? host;
  const run = await exchange(ctx, address, t.ports, t.intervalMs, t.durationSeconds * 1000);
  const tcpFallback = await tcpProbe;
  const detail = summarise(run, { ...base, address, tcpFallback });
  const timings = { dnsMs: answer.ms };
  const ports = `UDP ${t.ports.join(', ')}`;
  if (run.sendError)
    return finish(
      fail(
        'media',
        'send-failed',
        `STUN requests to ${host} (${address}, ${ports}) could not be sent: ${run.sendError}`,
      ),
      { timings, teamsMedia: detail },
    );
  if (detail.answered === 0) {
    if (ctx.runSignal.aborted)
      return finish(
        fail('probe', 'deadline', `the Teams media run to ${host} was cut off by the run deadline`),
        {
          timings,
          teamsMedia: detail,
        },
      );
    const garbage =
      detail.badAnswers > 0 ? ` (${detail.badAnswers} datagrams came back that were not STUN answers)` : '';
    if (tcpFallback.ok)
      return finish(
        fail(
          'media',
          'udp-blocked',
          `no STUN answer to ${detail.sent} requests on ${ports} at ${host} (${address})${garbage} while TCP ${tcpPort} to the relay works${via === 'proxy' ? ' (through the proxy; UDP goes direct)' : ''}: Teams calls will relay over TCP`,
        ),
        { timings, teamsMedia: detail },
      );
    return finish(
      fail(
        'media',
        'no-reply',
        `no STUN answer to ${detail.sent} requests on ${ports} at ${host} (${address})${garbage}, and TCP ${tcpPort} to the relay failed too`,
      ),
      { timings, teamsMedia: detail },
    );
  }
  const over: string[] = [];
  if (detail.lossPercent > thresholds.lossPercent)
    over.push(`loss ${detail.lossPercent} % (target < ${thresholds.lossPercent} %)`);
  if ((detail.rttMedianMs ?? 0) > thresholds.rttMs)
    over.push(`RTT median ${detail.rttMedianMs} ms (target < ${thresholds.rttMs} ms)`);
  if ((detail.jitterMs ?? 0) > thresholds.jitterMs)
    over.push(`jitter ${detail.jitterMs} ms (target < ${thresholds.jitterMs} ms)`);
  if (over.length > 0)
    return finish(
      fail(
        'media',
        'degraded',
        `Teams media to ${host} (${address}) is degraded: ${over.join(', ')}; estimated MOS ${detail.mos}`,
      ),
      { timings, teamsMedia: detail },
    );
  return finish(ok(), { timings, teamsMedia: detail });
}

interface Exchange {
  /** Per profile port: requests sent and answers in arrival order. */
  perPort: { port: number; sent: number; answers: Answer[] }[];
  badAnswers: number;
  reflexive?: MappedAddress;
  sendError?: string;
}

/**
 * Loss is counted over the ports that answered at all, so that one port a
 * firewall closes (calls use any that works) does not read as 25 % loss;
 * that port's own row says 100 %.
 */
function summarise(
  run: Exchange,
  base: Omit<TeamsMediaDetail, 'ports' | 'sent' | 'answered' | 'lossPercent' | 'reordered' | 'badAnswers'>,
): TeamsMediaDetail {
  const ports: TeamsMediaPort[] = run.perPort.map((p) => ({
    port: p.port,
    sent: p.sent,
    answered: p.answers.length,
    lossPercent: p.sent === 0 ? 0 : (round(((p.sent - p.answers.length) / p.sent) * 100) ?? 0),
    ...(p.answers.length > 0
      ? {
          rttMedianMs: round(
            percentile(
              p.answers.map((a) => a.rttMs),
              0.5,
            ),
          ),
        }
      : {}),
  }));
  const live = run.perPort.filter((p) => p.answers.length > 0);
  const liveSent = live.reduce((n, p) => n + p.sent, 0);
  const answered = live.reduce((n, p) => n + p.answers.length, 0);
  const rtts = live.flatMap((p) => p.answers.map((a) => a.rttMs));
  const jitters = live.map((p) => interarrivalJitter(p.answers.map((a) => a.rttMs)) ?? 0);
  let reordered = 0;
  for (const p of live) {
    let highest = -1;
    for (const a of p.answers) {
      if (a.seq < highest) reordered++;
      else highest = a.seq;
    }
  }
  const sent = run.perPort.reduce((n, p) => n + p.sent, 0);
  // Nothing answered anywhere: everything sent was lost.
  const lossPercent =
    liveSent === 0 ? (sent > 0 ? 100 : 0) : (round(((liveSent - answered) / liveSent) * 100) ?? 0);
  const rttMedianMs = round(percentile(rtts, 0.5));
  // The worst port's jitter: a call's stream lives on one port.
  const jitterMs = jitters.length > 0 ? round(Math.max(...jitters)) : undefined;
  return {
    ...base,
    ports,
    sent,
    answered,
    lossPercent,
    ...(rttMedianMs !== undefined ? { rttMedianMs, rttP95Ms: round(percentile(rtts, 0.95)) } : {}),
    ...(jitterMs !== undefined ? { jitterMs } : {}),
    reordered,
    badAnswers: run.badAnswers,
    ...(run.reflexive ? { reflexive: formatMapped(run.reflexive) } : {}),
    ...(rttMedianMs !== undefined ? { mos: estimateMos(rttMedianMs, jitterMs ?? 0, lossPercent) } : {}),
  };
}

/**
 * Sends one request per port every `intervalMs` for `durationMs` from one
 * socket (as a call uses one local port), on the UDP pacer's own thread so
 * the probe's other work cannot stretch the schedule or delay the answers
 * (transport/udp-pacer.ts); then matches answers by transaction id here — a
 * datagram that is not a Binding success for a request of this run is
 * counted in `badAnswers`, never trusted. Answers are taken until
 * `LATE_ANSWER_MS` after the last request, or less once all are in.
 */
async function exchange(
  ctx: ProbeContext,
  address: string,
  ports: readonly number[],
  intervalMs: number,
  durationMs: number,
): Promise<Exchange> {
  const rounds = Math.max(1, Math.ceil(durationMs / intervalMs));
  const requests = Array.from({ length: rounds }, () => ports.map(() => bindingRequest()));
  const paced = await pacedUdpExchange(
    {
      address,
      ports,
      rounds: requests.map((r) => r.map((q) => q.datagram)),
      intervalMs,
      lateMs: LATE_ANSWER_MS,
    },
    ctx.runSignal,
  );
  const result: Exchange = {
    perPort: ports.map((port) => ({ port, sent: 0, answers: [] })),
    badAnswers: 0,
    ...(paced.sendError ? { sendError: paced.sendError } : {}),
  };
  const pending = new Map<string, { index: number; seq: number; sentAt: number }>();
  for (const [seq, round] of requests.entries())
    for (const [index, req] of round.entries()) {
      const sentAt = paced.sentAt[seq]?.[index];
      if (sentAt === null || sentAt === undefined) continue;
      pending.set(req.transactionId.toString('hex'), { index, seq, sentAt });
      const entry = result.perPort[index];
      if (entry) entry.sent++;
      ctx.traffic?.udpSent(req.datagram.length);
    }
  for (const { at, data } of paced.received) {
    ctx.traffic?.udpReceived(data.length);
    const parsed = parseBindingResponse(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    const key = parsed.ok ? parsed.transactionId.toString('hex') : undefined;
    const request = key ? pending.get(key) : undefined;
    if (!parsed.ok || !key || !request) {
      result.badAnswers++;
      continue;
    }
    pending.delete(key);
    result.perPort[request.index]?.answers.push({
      seq: request.seq,
      sentAt: request.sentAt,
      rttMs: at - request.sentAt,
    });
    if (parsed.mapped && !result.reflexive) result.reflexive = parsed.mapped;
  }
  return result;
}
