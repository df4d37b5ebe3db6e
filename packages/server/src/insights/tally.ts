/**
 * @module insights/tally
 * The counter every attempt-based insight is built from: attempts and
 * failures, per host, per failure code, which devices contributed, when a
 * failure was last seen and a few example reports. The same shape describes
 * one report (an observation) and any number of merged reports (a rollup), so
 * merging is one function and stays exact.
 */
import { addHash, type DeviceSketch, mergeSketch } from './device-sketch.ts';
import { addCount, own, setOwn } from './own-keys.ts';

/** Hosts tracked per tally; more than this (only a misbehaving probe sends that many) fold into OTHER_HOST. */
export const MAX_HOSTS = 48;
export const OTHER_HOST = '(other hosts)';
/** Failure codes tracked per tally (the protocol defines fewer than this). */
const MAX_CODES = 64;
/** Example report ids kept per tally. */
export const MAX_EXAMPLES = 5;

export interface HostCount {
  /** attempts */
  a: number;
  /** failures */
  f: number;
  /** The critical domain the host belongs to, when it is one. */
  d?: string;
  /** The core workload the host serves (the report's `target.workload`), when it is one. */
  w?: string;
}

/** Attempts and failures of one kind of check. */
export interface Tally {
  attempts: number;
  failures: number;
  hosts: Record<string, HostCount>;
  /** failure code (`layer/class`) → count */
  codes: Record<string, number>;
  /** Devices that contributed attempts (hashes, see device-sketch). */
  devices: DeviceSketch;
  /** Epoch ms of the newest failing report, or null. */
  lastFailureAt: number | null;
  /** Ids of recent reports that showed a failure, newest last. */
  examples: string[];
}

export function emptyTally(): Tally {
  return { attempts: 0, failures: 0, hosts: {}, codes: {}, devices: [], lastFailureAt: null, examples: [] };
}

function hostSlot(t: Tally, host: string): HostCount {
  let slot = own(t.hosts, host);
  if (slot) return slot;
  const key = Object.keys(t.hosts).length >= MAX_HOSTS ? OTHER_HOST : host;
  slot = own(t.hosts, key) ?? { a: 0, f: 0 };
  setOwn(t.hosts, key, slot);
  return slot;
}

function bumpCode(t: Tally, code: string, n: number): void {
  if (own(t.codes, code) === undefined && Object.keys(t.codes).length >= MAX_CODES) return;
  addCount(t.codes, code, n);
}

function addExample(t: Tally, reportId: string): void {
  if (t.examples.includes(reportId)) return;
  t.examples.push(reportId);
  if (t.examples.length > MAX_EXAMPLES) t.examples.shift();
}

/** Records one attempt against `host` by the device with hash `device`; `failureCode` marks it failed. */
export function recordAttempt(
  t: Tally,
  a: {
    host: string;
    domain?: string;
    workload?: string;
    device: number;
    at: number;
    reportId: string;
    failureCode?: string;
  },
): void {
  t.attempts += 1;
  const slot = hostSlot(t, a.host);
  slot.a += 1;
  if (a.domain && !slot.d) slot.d = a.domain;
  if (a.workload && !slot.w) slot.w = a.workload;
  addHash(t.devices, a.device);
  if (a.failureCode === undefined) return;
  t.failures += 1;
  slot.f += 1;
  bumpCode(t, a.failureCode, 1);
  t.lastFailureAt = Math.max(t.lastFailureAt ?? a.at, a.at);
  addExample(t, a.reportId);
}

/** Adds `from` into `into`. Counts are exact; examples keep the newest. */
export function mergeTally(into: Tally, from: Tally): Tally {
  into.attempts += from.attempts;
  into.failures += from.failures;
  for (const [host, c] of Object.entries(from.hosts)) {
    const target = hostSlot(into, host);
    target.a += c.a;
    target.f += c.f;
    if (c.d && !target.d) target.d = c.d;
    if (c.w && !target.w) target.w = c.w;
  }
  for (const [code, n] of Object.entries(from.codes)) bumpCode(into, code, n);
  mergeSketch(into.devices, from.devices);
  if (from.lastFailureAt !== null) into.lastFailureAt = Math.max(into.lastFailureAt ?? 0, from.lastFailureAt);
  for (const id of from.examples) addExample(into, id);
  return into;
}

/** failures / attempts, 0 when there were no attempts. */
export function share(t: Tally): number {
  return t.attempts === 0 ? 0 : t.failures / t.attempts;
}
