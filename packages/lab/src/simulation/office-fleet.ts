/**
 * @module simulation/office-fleet
 * Simulated devices in simulated offices: every device runs the real probe
 * through its office's lab scenario and uploads the report to a collector,
 * the way an agent on an endpoint would. The office's egress address is
 * played by an `X-Forwarded-For` header, so the collector must trust the
 * loopback address as a reverse proxy (the demo and the end-to-end test
 * configure it so). Used by `netinsights simulate` and `serve --demo`.
 */
import { runProbe } from '@netinsights/probe';
import type { ProbeReport } from '@netinsights/protocol';
import type { Lab } from '../lab.ts';

export interface SimulatedOffice {
  /** Shown in logs and used to derive device ids. */
  name: string;
  /** The lab scenario this office's network behaves like; change it to "repair" the office. */
  scenario: string;
  /** The public address the office's traffic leaves from, as the collector should see it. */
  egressIp: string;
  /** How many devices probe from this office each round. */
  devices: number;
  /** The agent token the office's devices upload with. */
  token: string;
}

export interface FleetRound {
  uploaded: number;
  duplicates: number;
  /** Upload or probe failures, with the office and what went wrong. */
  errors: { office: string; message: string }[];
  durationMs: number;
}

export interface FleetOptions {
  lab: Lab;
  /** Base URL of the collector, e.g. `http://127.0.0.1:8080`. */
  collectorUrl: string;
  offices: SimulatedOffice[];
  /** Probe runs in flight at once (default 4: the machine also runs the collector). */
  concurrency?: number;
  /** WebSocket hold per run; short keeps rounds quick (default 1 s). */
  wsHoldSeconds?: number;
  signal?: AbortSignal;
}

function deviceId(office: string, index: number): string {
  const slug = office
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `sim-${slug}-${index + 1}`;
}

async function upload(collectorUrl: string, office: SimulatedOffice, report: ProbeReport) {
  const res = await fetch(new URL('/api/v1/reports', collectorUrl), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${office.token}`,
      'x-forwarded-for': office.egressIp,
    },
    body: JSON.stringify(report),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (res.status !== 202 && res.status !== 200)
    throw new Error(`collector answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as { duplicate?: boolean };
}

/** Runs every device of every office once (bounded concurrency) and uploads the reports. */
export async function runFleetRound(opts: FleetOptions): Promise<FleetRound> {
  const started = performance.now();
  const jobs = opts.offices.flatMap((office) =>
    Array.from({ length: office.devices }, (_, i) => ({ office, device: deviceId(office.name, i) })),
  );
  const round: FleetRound = { uploaded: 0, duplicates: 0, errors: [], durationMs: 0 };
  let next = 0;
  const worker = async () => {
    while (next < jobs.length && !opts.signal?.aborted) {
      const job = jobs[next++]!;
      // The scenario is read at run time so that a repair takes effect on the next device.
      const options = opts.lab.probeOptionsFor(job.office.scenario, {
        deviceId: job.device,
        wsHoldSeconds: opts.wsHoldSeconds ?? 1,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      try {
        const report = await runProbe(options);
        const answer = await upload(opts.collectorUrl, job.office, report);
        if (answer.duplicate) round.duplicates++;
        else round.uploaded++;
      } catch (err) {
        if (opts.signal?.aborted) break;
        round.errors.push({ office: job.office.name, message: (err as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, worker));
  round.durationMs = performance.now() - started;
  return round;
}
