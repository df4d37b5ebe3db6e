/** The embedded store keeps raw reports LZ4-compressed and reads back exactly what it was given. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, test } from 'node:test';
import type { ReportRow } from '../../src/store/contract.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { decodeReportBody } from '../../src/store/sqlite/report-body.ts';
import { sampleReport } from '../helpers/sample-report.ts';

const dir = mkdtempSync(join(tmpdir(), 'ni-report-body-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const row = (id: string, body: string): ReportRow => ({
  tenantId: 't1',
  id,
  receivedAt: '2026-11-23T10:00:00.000Z',
  officeId: null,
  discoveredId: null,
  deviceId: 'd1',
  egressIp: '192.0.2.1',
  checks: 25,
  failures: 0,
  failureCodes: [],
  body,
});

describe('sqlite: raw report bodies', () => {
  test('are stored compressed and read back byte for byte, non-ASCII included', async () => {
    const file = join(dir, 'compressed.db');
    const store = await openSqliteStore({ file });
    await store.migrate();
    const report = sampleReport({ checks: 25 });
    report.environment.os.release = 'Zürich büro ✓ 東京';
    const text = JSON.stringify(report);
    await store.reports.insert(row('r1', text));
    assert.equal((await store.reports.get('t1', 'r1'))?.body, text);
    // Ingest hands over the bytes it received as well; they are what gets compressed.
    await store.reports.insert({ ...row('r2', text), bodyUtf8: new Uint8Array(Buffer.from(text)) });
    assert.equal((await store.reports.get('t1', 'r2'))?.body, text);

    const raw = new DatabaseSync(file, { readOnly: true });
    const stored = raw
      .prepare("SELECT typeof(body) AS kind, length(body) AS bytes FROM reports WHERE id = 'r1'")
      .get();
    raw.close();
    await store.close();
    assert.equal(stored?.kind, 'blob');
    assert.ok(
      Number(stored?.bytes) * 4 < Buffer.byteLength(text),
      `${stored?.bytes} bytes for ${text.length}`,
    );
  });

  test('written as text before compression still read as they were', async () => {
    const file = join(dir, 'legacy.db');
    const store = await openSqliteStore({ file });
    await store.migrate();
    await store.reports.insert(row('new', '{"reportId":"new"}'));
    const raw = new DatabaseSync(file);
    raw.exec(`INSERT INTO reports (tenant_id, id, received_at, office_id, discovered_id, device_id, egress_ip,
      checks, failures, failure_codes, body)
      VALUES ('t1', 'old', '2026-01-01T00:00:00.000Z', NULL, NULL, 'd1', '192.0.2.1', 1, 0, '[]', '{"reportId":"old"}')`);
    raw.close();
    assert.equal((await store.reports.get('t1', 'old'))?.body, '{"reportId":"old"}');
    assert.equal((await store.reports.get('t1', 'new'))?.body, '{"reportId":"new"}');
    await store.close();
  });

  test('a body that is neither text nor compressed bytes is an error naming the column', () => {
    assert.throws(() => decodeReportBody(null), /reports\.body holds NULL/);
    assert.throws(() => decodeReportBody(42), /reports\.body holds number/);
  });
});
