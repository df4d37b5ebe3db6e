/**
 * Notification and remediation costs.
 *
 * 1. Outbox delivery rate: 300 insight events are queued (one transaction
 *    each, as the engine does) for a signed-webhook channel, then the worker
 *    sends them to a local HTTP receiver. Baseline in the same run: the same
 *    300 signed POSTs sent straight from memory, one at a time, so the figure
 *    shows what durability (claim, lease, outcome, attempt log: three writes
 *    with fsync per delivery batch) costs on top of the HTTP exchange.
 * 2. Enqueue cost per event (the part that runs inside the engine's
 *    transaction), against a bare transaction that writes one settings row.
 * 3. PAC generation for the whole snapshot (type 2), against serialising the
 *    catalog to JSON.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePac } from '../packages/server/src/catalog/pac.ts';
import { snapshotCatalog } from '../packages/server/src/catalog/snapshot.ts';
import { postToUrl } from '../packages/server/src/notify/channels/http-post.ts';
import type { InsightNotice } from '../packages/server/src/notify/notice.ts';
import { enqueueNotice, OutboxWorker } from '../packages/server/src/notify/outbox.ts';
import { signWebhook } from '../packages/server/src/notify/signature.ts';
import { openSqliteStore } from '../packages/server/src/store/sqlite/index.ts';
import type { BenchFigure } from './bench-figure.ts';

const EVENTS = 300;
const SECRET = 'bench-secret-0123456789abcdef';

function notice(i: number): InsightNotice {
  return {
    eventId: `bench-${i}`,
    type: 'opened',
    at: new Date().toISOString(),
    insight: {
      id: `ins-${i}`,
      kind: 'critical-domain-https-failure',
      severity: 'high',
      title: 'HTTPS to *.cloud.microsoft is failing at Berlin',
      officeId: `office-${i % 20}`,
      officeName: 'Berlin',
      summary: 'Opened: 40% over 120 samples from 9 devices.',
      links: [{ label: 'PAC file', href: `/api/v1/remediation/pac?insight=ins-${i}` }],
    },
  };
}

export default async function bench(): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ni-bench-notify-'));
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const store = await openSqliteStore({ file: join(dir, 'bench.db') });
  await store.migrate();
  try {
    const now = new Date().toISOString();
    await store.outbox.createChannel({
      tenantId: 't1',
      id: 'ch1',
      name: 'bench',
      type: 'webhook',
      config: { url, secret: SECRET },
      filters: {},
      digestMinutes: 0,
      enabled: true,
      createdAt: now,
      updatedAt: now,
    });

    // 2. enqueue cost vs a bare one-row transaction
    let t0 = performance.now();
    for (let i = 0; i < EVENTS; i++) await store.transaction((tx) => enqueueNotice(tx, 't1', notice(i)));
    const enqueueMs = (performance.now() - t0) / EVENTS;
    t0 = performance.now();
    for (let i = 0; i < EVENTS; i++)
      await store.transaction((tx) =>
        tx.settings.put('t1', `bench-${i % 10}`, { i }, new Date().toISOString()),
      );
    const bareTxMs = (performance.now() - t0) / EVENTS;

    // 1. outbox delivery rate vs direct signed POSTs
    const worker = new OutboxWorker({ store, ctx: { guard: { allowPrivateTargets: true } }, batchSize: 20 });
    t0 = performance.now();
    for (let pass = 0; pass < 1000 && received < EVENTS; pass++) await worker.runOnce();
    const outboxS = (performance.now() - t0) / 1000;
    const outboxRate = received / outboxS;
    const before = received;
    t0 = performance.now();
    for (let i = 0; i < EVENTS; i++) {
      const body = JSON.stringify({ events: [notice(i)], deliveryId: randomUUID() });
      const ts = Math.floor(Date.now() / 1000);
      await postToUrl(new URL(url), body, {
        allowPrivateTargets: true,
        headers: {
          'x-netinsights-timestamp': String(ts),
          'x-netinsights-signature': signWebhook(SECRET, ts, body),
        },
      });
    }
    const directRate = (received - before) / ((performance.now() - t0) / 1000);

    // 3. PAC generation vs JSON serialisation of the same catalog
    const catalog = snapshotCatalog();
    const rounds = 200;
    t0 = performance.now();
    for (let i = 0; i < rounds; i++) generatePac(catalog, { type: 2, proxy: 'PROXY p.corp.example:8080' });
    const pacMs = (performance.now() - t0) / rounds;
    t0 = performance.now();
    for (let i = 0; i < rounds; i++) JSON.stringify(catalog.sets);
    const jsonMs = (performance.now() - t0) / rounds;

    return [
      {
        name: 'outbox deliveries (signed webhook, SQLite, batch 20)',
        value: Math.round(outboxRate),
        unit: 'deliveries/s',
        target: '≥ 50',
        pass: outboxRate >= 50,
        baseline: {
          name: 'direct signed POSTs, one at a time',
          value: Math.round(directRate),
          unit: 'POST/s',
        },
        note: `${EVENTS} events queued, ${before} delivered through the outbox`,
      },
      {
        name: 'enqueue one insight event (in its own transaction)',
        value: Number(enqueueMs.toFixed(3)),
        unit: 'ms/event',
        target: '≤ 5',
        pass: enqueueMs <= 5,
        baseline: {
          name: 'bare transaction writing one row',
          value: Number(bareTxMs.toFixed(3)),
          unit: 'ms',
        },
      },
      {
        name: 'PAC file for the whole snapshot (type 2)',
        value: Number(pacMs.toFixed(3)),
        unit: 'ms',
        target: '≤ 20',
        pass: pacMs <= 20,
        baseline: { name: 'JSON.stringify of the catalog', value: Number(jsonMs.toFixed(3)), unit: 'ms' },
      },
    ];
  } finally {
    await store.close();
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  }
}
