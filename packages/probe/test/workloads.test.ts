/**
 * The core-workloads check against a real local origin: every result of a
 * workload host carries its workload, a genuine origin's 401 to the
 * anonymous request is a pass, hosts naming `{tenant}` are dialled with the
 * tenant name put in and are "not run: set the tenant name" (never a
 * failure) without one, the text report names the workload, and a bad
 * tenant name is refused naming the option, the JSON path or the flag.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NetinsightsError, ProfileError, parseProfile, type ServiceProfile } from '@netinsights/protocol';
import { diagnose } from '../src/report/findings.ts';
import { renderReport } from '../src/report/text-report.ts';
import {
  ALL_NAMES,
  code,
  loopbackPins,
  type Pki,
  probe,
  result,
  testPki,
  testProfile,
} from './helpers/fixture.ts';
import { type Origin, startOrigin } from './helpers/origin-server.ts';

const SIGN_IN = 'login.work.test';
const FILES = '{tenant}.files.test';
const WORK_NAMES = [SIGN_IN, 'contoso.files.test', 'contoso-my.files.test'];
const CLI = fileURLToPath(new URL('../../cli/bin/netinsights.ts', import.meta.url));

let pki: Pki;
let origin: Origin;
before(async () => {
  pki = await testPki();
  const leaf = await pki.genuineIssuing.issueServer([...ALL_NAMES, ...WORK_NAMES]);
  origin = await startOrigin({ certPem: leaf.certPem, keyPem: leaf.keyPem, chainPem: leaf.chainPem });
});
after(() => origin?.close());

function withWorkloads(extra: Partial<ServiceProfile> = {}): ServiceProfile {
  const base = testProfile({ port: origin.port, genuineRoot: pki.genuineRoot });
  return {
    ...base,
    workloads: [
      // The anonymous request is answered 401 by the genuine origin, as Entra ID and Exchange answer it.
      { name: 'Sign-in', hosts: [SIGN_IN], port: origin.port, path: '/status/401' },
      { name: 'Files', hosts: [FILES, '{tenant}-my.files.test'], port: origin.port, path: '/' },
    ],
    ...extra,
  };
}

/** Findings other than warnings: what the run calls a problem. */
const problems = (report: Parameters<typeof diagnose>[0]) =>
  diagnose(report)
    .findings.filter((f) => f.severity === 'problem')
    .map((f) => f.title);

const pins = () => [...loopbackPins(origin.port), ...WORK_NAMES.map((h) => `${h}:${origin.port}:127.0.0.1`)];

describe('core workloads', () => {
  test('every result of a workload host carries its workload; a genuine 401 is a pass', async () => {
    const report = await probe({
      profile: withWorkloads(),
      tenantName: 'contoso',
      resolve: pins(),
      extraTrustedCas: [pki.genuineRoot.certPem],
    });
    const id = (kind: string, host: string) => `${kind}:${host}:${origin.port}`;
    for (const kind of ['dns', 'tcp', 'tls', 'https']) {
      assert.equal(result(report, id(kind, SIGN_IN)).target.workload, 'Sign-in', kind);
      assert.equal(result(report, id(kind, 'contoso.files.test')).target.workload, 'Files', kind);
    }
    const signIn = result(report, id('https', SIGN_IN));
    assert.equal(code(signIn), 'ok');
    assert.equal(signIn.http?.status, 401);
    assert.equal(signIn.http?.servedBy, 'origin');
    assert.equal(code(result(report, id('https', 'contoso-my.files.test'))), 'ok');
    // The front door the client landed on: the address it connected to, and how long the connect took.
    const tcp = result(report, id('tcp', SIGN_IN));
    assert.equal(tcp.tcp?.remoteAddress, '127.0.0.1');
    assert.equal(typeof tcp.timings?.connectMs, 'number');
    // Critical hosts stay untagged.
    assert.equal(result(report, `https:a.cloud.test:${origin.port}`).target.workload, undefined);
    // (The test origin answers no QUIC: that warning is the only finding.)
    assert.deepEqual(problems(report), []);
    const text = renderReport(report, { color: false });
    assert.match(text, /Core workloads/);
    assert.match(text, /Sign-in: login\.work\.test/);
    assert.match(text, /Files: contoso-my\.files\.test/);
  });

  test('without a tenant name the tenant hosts are not run, say what to set, and fail nothing', async () => {
    const report = await probe({
      profile: withWorkloads(),
      resolve: pins(),
      extraTrustedCas: [pki.genuineRoot.certPem],
    });
    const files = result(report, `https:${FILES}:${origin.port}`);
    assert.equal(code(files), 'probe/not-applicable');
    assert.match(files.outcome.status === 'fail' ? files.outcome.message : '', /set the tenant name/);
    assert.equal(files.target.workload, 'Files');
    // Nothing was dialled for them: no TCP or TLS result under any name of the pattern.
    assert.ok(!report.results.some((r) => r.kind === 'tcp' && r.target.host.includes('files.test')));
    assert.deepEqual(problems(report), []);
    assert.match(diagnose(report).headline, /2 not applicable/);
    assert.match(
      renderReport(report, { color: false }),
      /Files: \{tenant\}\.files\.test\s+not run: set the tenant name/,
    );
  });

  test('the profile’s own tenant name is used, and the option overrides it', async () => {
    const report = await probe({
      profile: withWorkloads({ tenantName: 'fabrikam' }),
      tenantName: 'contoso',
      resolve: pins(),
      extraTrustedCas: [pki.genuineRoot.certPem],
    });
    assert.equal(code(result(report, `https:contoso.files.test:${origin.port}`)), 'ok');
    assert.ok(!report.results.some((r) => r.target.host.startsWith('fabrikam')));
  });

  test('a failing workload host names its workload in the finding', async () => {
    const report = await probe({
      profile: withWorkloads({
        workloads: [{ name: 'Sign-in', hosts: [SIGN_IN], port: origin.port, path: '/status/503' }],
      }),
      resolve: pins(),
      extraTrustedCas: [pki.genuineRoot.certPem],
    });
    const finding = diagnose(report).findings.find((f) => f.code === 'http/status');
    assert.deepEqual(finding?.workloads, ['Sign-in']);
    assert.match(finding?.title ?? '', /\(Sign-in\)$/);
  });

  test('bad tenant names are refused, naming the option, the JSON path and the flag', async () => {
    for (const bad of ['Contoso', 'con.toso', 'con-toso', '', 'a'.repeat(61)]) {
      await assert.rejects(
        probe({ profile: withWorkloads(), tenantName: bad }),
        (err: unknown) =>
          err instanceof NetinsightsError &&
          err.code === 'NI_ERR_USAGE' &&
          err.message.includes('tenantName'),
        bad,
      );
      assert.throws(
        () => parseProfile({ ...withWorkloads(), tenantName: bad }, 'custom.json'),
        (err: unknown) => err instanceof ProfileError && err.message.includes('/tenantName'),
        bad,
      );
    }
    const cli = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, 'probe', '--tenant-name', 'con.toso'], {
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      child.on('close', (status) => resolve({ status, stderr }));
    });
    assert.equal(cli.status, 2);
    assert.match(cli.stderr, /--tenant-name "con\.toso" is not a SharePoint tenant name/);
  });

  test('a workload host outside the placeholder grammar, or a workload named twice, is refused with its path', () => {
    const base = withWorkloads();
    assert.throws(
      () => parseProfile({ ...base, workloads: [{ name: 'X', hosts: ['{org}.files.test'] }] }, 'p.json'),
      /\/workloads\/0\/hosts\/0/,
    );
    assert.throws(
      () =>
        parseProfile(
          {
            ...base,
            workloads: [
              { name: 'X', hosts: [SIGN_IN] },
              { name: 'X', hosts: [SIGN_IN] },
            ],
          },
          'p.json',
        ),
      /\/workloads\/1\/name "X" is named twice/,
    );
  });
});
