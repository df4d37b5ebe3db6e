/**
 * @module test/notify/helpers
 * Real local receivers and a real store for the notification tests: a
 * SQLite file in a temporary folder, an HTTP receiver that checks the HMAC
 * signature (and can be told to fail its first N requests or to hang), and
 * sample insight notices.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { StoredInsight } from '../../src/insights/api-insight.ts';
import type { ChannelRow } from '../../src/notify/channel.ts';
import type { InsightNotice } from '../../src/notify/notice.ts';
import {
  DELIVERY_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyWebhook,
} from '../../src/notify/signature.ts';
import type { Store } from '../../src/store/contract.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';

/** A migrated SQLite store in a fresh folder, closed and removed after the test. */
export async function tempStore(t: TestContext): Promise<{ store: Store; file: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'ni-notify-'));
  const file = join(dir, 'netinsights.db');
  const store = await openSqliteStore({ file });
  await store.migrate();
  t.after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { store, file, dir };
}

/** One request as the receiver saw it. */
export interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** Result of the signature check (webhook receivers only). */
  verified: { ok: true } | { ok: false; reason: string } | undefined;
  /** The status the receiver answered. */
  answered: number;
}

/** Options of a receiver. */
export interface ReceiverOptions {
  /** Verify X-Netinsights-Signature with this secret; a bad signature gets 401. */
  secret?: string;
  /** Answer 503 to the first N requests. */
  failFirst?: number;
  /** Never answer the first N requests (the socket stays open until the test ends). */
  hangFirst?: number;
}

/** Listens on 127.0.0.1:0 until the test ends (open connections are dropped then); returns the port. */
export async function listenForTest(t: TestContext, server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return (server.address() as AddressInfo).port;
}

/** An HTTP receiver on 127.0.0.1:0. */
export async function receiver(t: TestContext, opts: ReceiverOptions = {}) {
  const got: Received[] = [];
  let seen = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const n = ++seen;
      const body = Buffer.concat(chunks).toString('utf8');
      const verified = opts.secret
        ? verifyWebhook({
            secret: opts.secret,
            body,
            timestamp: req.headers[TIMESTAMP_HEADER] as string | undefined,
            signature: req.headers[SIGNATURE_HEADER] as string | undefined,
          })
        : undefined;
      const record: Received = { path: req.url ?? '', headers: req.headers, body, verified, answered: 0 };
      got.push(record);
      if (n <= (opts.hangFirst ?? 0)) return;
      record.answered =
        verified && !verified.ok ? 401 : n <= (opts.hangFirst ?? 0) + (opts.failFirst ?? 0) ? 503 : 200;
      res
        .writeHead(record.answered, { 'content-type': 'text/plain' })
        .end(record.answered === 200 ? 'ok' : 'try later');
    });
  });
  const url = `http://127.0.0.1:${await listenForTest(t, server)}`;
  return {
    url,
    got,
    /** Accepted deliveries by delivery id. */
    accepted: () => got.filter((g) => g.answered === 200).map((g) => g.headers[DELIVERY_HEADER] as string),
  };
}

let counter = 0;

/** A notice as the insight engine would produce it. */
export function sampleNotice(
  over: Partial<InsightNotice['insight']> & { type?: InsightNotice['type']; eventId?: string } = {},
): InsightNotice {
  const { type, eventId, ...insight } = over;
  counter++;
  return {
    eventId: eventId ?? `evt-${counter}-${randomUUID().slice(0, 8)}`,
    type: type ?? 'opened',
    at: new Date().toISOString(),
    insight: {
      id: 'ins-1',
      kind: 'critical-domain-https-failure',
      severity: 'high',
      title: 'Microsoft 365 core domains fail over HTTPS',
      officeId: 'office-berlin',
      officeName: 'Berlin',
      summary: 'Opened: 42% over 120 samples from 9 devices (opens at 10%).',
      action: 'Let *.cloud.microsoft bypass the proxy.',
      links: [{ label: 'PAC file for the affected hosts', href: '/api/v1/remediation/pac?insight=ins-1' }],
      ...insight,
    },
  };
}

/** Stores a channel row directly (tests that do not go through the API). */
export async function addChannel(
  store: Store,
  row: Partial<ChannelRow> & Pick<ChannelRow, 'type' | 'config'>,
): Promise<ChannelRow> {
  const now = new Date().toISOString();
  const full: ChannelRow = {
    tenantId: 't1',
    id: randomUUID(),
    name: `${row.type} channel`,
    filters: {},
    digestMinutes: 0,
    enabled: true,
    createdAt: now,
    updatedAt: now,
    ...row,
  };
  await store.outbox.createChannel(full);
  return full;
}

/** Guard settings for tests: receivers are on loopback, which production refuses. */
export const LOOPBACK_OK = { guard: { allowPrivateTargets: true }, publicUrl: 'https://netinsights.example' };

/** Runs worker passes until `done()` or the bound is hit (bounded loop, generous for a busy machine). */
export async function until(
  pass: () => Promise<unknown>,
  done: () => boolean,
  maxPasses = 200,
  pauseMs = 25,
): Promise<void> {
  for (let i = 0; i < maxPasses && !done(); i++) {
    await pass();
    if (!done()) await new Promise((r) => setTimeout(r, pauseMs));
  }
}

/** An active insight of tenant t1 as the engine stores it, for feeding the pump. */
export function storedInsight(
  id: string,
  officeKey: string,
  kind: StoredInsight['kind'] = 'critical-domain-https-failure',
): StoredInsight {
  const now = Date.parse('2026-11-23T09:00:00Z');
  return {
    id,
    tenantId: 't1',
    officeKey,
    windowHours: 24,
    kind,
    status: 'active',
    severity: 'high',
    value: 0.4,
    threshold: 0.1,
    evidence: {
      samples: 120,
      devices: 9,
      share: 0.4,
      affectedHosts: [{ host: 'm365.cloud.microsoft', attempts: 60, failures: 30 }],
      affectedDomains: ['*.cloud.microsoft'],
      failureClasses: [{ code: 'proxy/forbidden', count: 30 }],
      exampleReportIds: [],
    },
    firstDetectedAt: now,
    lastSeenAt: now,
    resolvedAt: null,
    updatedAt: now,
    fingerprint: '[]',
  };
}
