/**
 * The shared check suite: every check registered in CHECKS is held to the
 * contract in checks/contract.ts — planned over the test profile with every
 * route direct and with every route through a proxy, then run against a
 * closed loopback port (names pinned to loopback, the resolver a closed
 * loopback port, so nothing leaves the machine). A new check only needs its
 * registry line to be held to all of this.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  ALL_FAILURE_CODES,
  CHECK_KINDS,
  type CheckResult,
  CheckResult as CheckResultSchema,
  compileValidator,
  newReportId,
  type ServiceProfile,
} from '@netinsights/protocol';
import type { Slot } from '../src/checks/check-result.ts';
import { CHECKS } from '../src/checks/index.ts';
import { planRun, type RunPlan, runEndpoints } from '../src/checks/plan.ts';
import type { ProbeContext } from '../src/context.ts';
import { parsePins } from '../src/transport/pins.ts';
import type { Route } from '../src/transport/proxy-selection.ts';
import { DnsClient } from '../src/transport/resolve.ts';
import { createTrustStore } from '../src/verdicts/trust-store.ts';
import { loopbackPins, testPki, testProfile } from './helpers/fixture.ts';

const checkResult = compileValidator<CheckResult>(CheckResultSchema, 'check result');

/** A loopback port nothing listens on (bound, then closed). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const PROXY: Route = { type: 'proxy', proxy: new URL('http://127.0.0.1:9'), source: 'flag' };

let port: number;
let profile: ServiceProfile;
let direct: RunPlan;
let proxied: RunPlan;
let endpointKeys: Set<string>;

before(async () => {
  port = await closedPort();
  profile = {
    ...testProfile({ port, teamsPorts: [port], genuineRoot: (await testPki()).genuineRoot }),
    // The resolver check plans only with a whoami name (or a delegated zone).
    resolver: { whoami: 'whoami.test' },
    // One workload host to dial, and one that waits for a tenant name (planned, never dialled).
    workloads: [{ name: 'Files', hosts: ['files.test', '{tenant}.files.test'], port }],
  };
  const endpoints = runEndpoints(CHECKS, profile);
  endpointKeys = new Set(endpoints.map((e) => `${e.host}:${e.port}`));
  direct = planRun(CHECKS, profile, endpoints, new Map());
  proxied = planRun(CHECKS, profile, endpoints, new Map([...endpointKeys].map((k) => [k, PROXY])));
});

/** A workload host waiting for the tenant name: planned under its pattern, never dialled. */
const isPlaceholder = (s: Slot) => s.target.host.includes('{');
const tasksOf = (plan: RunPlan, name: string) => plan.tasks.filter((t) => t.check === name);
const slotsOf = (plan: RunPlan, name: string) => tasksOf(plan, name).flatMap((t) => t.slots);

describe('the check registry', () => {
  it('names every check once', () => {
    const names = CHECKS.map((c) => c.name);
    assert.ok(names.every((n) => n.length > 0));
    assert.deepEqual([...new Set(names)], names);
  });

  it('plans every kind of result the report schema knows', () => {
    const kinds = new Set([...direct.slots.values()].map((s) => s.kind));
    assert.deepEqual(
      CHECK_KINDS.filter((k) => !kinds.has(k)),
      [],
    );
  });

  it('leaves no planned slot without a task to fill it', () => {
    for (const plan of [direct, proxied]) {
      const claimed = new Set(plan.tasks.flatMap((t) => t.slots.map((s) => s.id)));
      assert.deepEqual(
        [...plan.slots.keys()].filter((id) => !claimed.has(id)),
        [],
      );
    }
  });

  it('never lets two checks claim the same slot', () => {
    for (const plan of [direct, proxied]) {
      const owner = new Map<string, string>();
      for (const t of plan.tasks)
        for (const s of t.slots) {
          const first = owner.get(s.id) ?? t.check;
          owner.set(s.id, first);
          assert.equal(t.check, first, `${s.id} is claimed by ${first} and ${t.check}`);
        }
    }
  });
});

for (const check of CHECKS) {
  describe(`check ${check.name}: shared contract`, () => {
    it('plans at least one task for the test profile, each with a slot', () => {
      const tasks = tasksOf(direct, check.name);
      assert.ok(tasks.length > 0);
      for (const t of tasks) assert.ok(t.slots.length > 0);
    });

    it('only dials endpoints whose route the run decided', () => {
      // A host that still names a placeholder is reported as not run, never dialled.
      for (const plan of [direct, proxied])
        for (const s of slotsOf(plan, check.name))
          if (s.target.transport !== 'udp' && !isPlaceholder(s))
            assert.ok(endpointKeys.has(`${s.target.host}:${s.target.port}`), `${s.id} has no decided route`);
    });

    it('follows the route: TCP slots through the proxy, no local DNS lookup behind one', () => {
      for (const s of slotsOf(proxied, check.name).filter((slot) => !isPlaceholder(slot))) {
        assert.notEqual(s.kind, 'dns', `${s.id}: the proxy resolves names, a local lookup tests nothing`);
        assert.equal(s.path.type, s.target.transport === 'udp' ? 'direct' : 'proxy', s.id);
      }
    });

    it('fills each slot of each task exactly once, from the slot, with a known failure class', async () => {
      const runAbort = new AbortController();
      const pins = parsePins(loopbackPins(port));
      const ctx: ProbeContext = {
        profile,
        dns: new DnsClient({
          servers: [`127.0.0.1:${port}`],
          pins,
          timeoutMs: 1_000,
          runSignal: runAbort.signal,
        }),
        pins,
        routes: new Map(),
        trust: createTrustStore(),
        runSignal: runAbort.signal,
        checkTimeoutMs: 1_000,
        wsHoldMs: 100,
        reportId: newReportId(),
      };
      after(() => runAbort.abort());
      await Promise.all(
        tasksOf(direct, check.name).map(async (task) => {
          const emitted: CheckResult[] = [];
          await task.run(ctx, (r) => emitted.push(r));
          assert.deepEqual(emitted.map((r) => r.id).sort(), task.slots.map((s) => s.id).sort());
          for (const slot of task.slots) {
            const r = emitted.find((x) => x.id === slot.id);
            assert.ok(r);
            checkResult.parse(r, r.id);
            assert.deepEqual([r.kind, r.target, r.path], [slot.kind, slot.target, slot.path]);
            if (r.outcome.status === 'fail')
              assert.ok(
                (ALL_FAILURE_CODES as readonly string[]).includes(`${r.outcome.layer}/${r.outcome.class}`),
                `${r.id}: ${r.outcome.layer}/${r.outcome.class} is not in the failure table`,
              );
          }
        }),
      );
    });
  });
}
