/**
 * @module demo/run-demo
 * `netinsights serve --demo`: the server on its own demo database, fed by
 * the built-in lab. Simulated devices in every demo office run the real
 * probe through their office's simulated network and upload to the server,
 * round after round, so insights open, update and — for the office the demo
 * repairs — resolve, live, while the admin watches the dashboard.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Lab, startLab } from '@netinsights/lab';
import { runFleetRound, type SimulatedOffice } from '@netinsights/lab/simulation/office-fleet.ts';
import { CONFIG_KEYS, type ServerConfig, type Store } from '@netinsights/server';
import { provisionDemoTenant } from './demo-setup.ts';
import { DEMO_TENANTS, demoGeoTable } from './demo-world.ts';

const DEMO_DIR = '.cache/demo';
/** Pause between rounds; a round itself takes several seconds on a 2-core machine. */
const ROUND_PAUSE_MS = 2_000;

/**
 * Adjusts the configuration for the demo: its own database (unless --db was
 * given), the demo geo table, loopback trusted as the reverse proxy that
 * passes on each simulated office's egress address, and quick re-evaluation.
 */
export function demoConfig(config: ServerConfig): ServerConfig {
  mkdirSync(DEMO_DIR, { recursive: true });
  const geoTable = resolve(join(DEMO_DIR, 'geo-table.json'));
  writeFileSync(geoTable, `${JSON.stringify(demoGeoTable(), null, 2)}\n`);
  return {
    ...config,
    db: config.db === CONFIG_KEYS.db.default ? resolve(join(DEMO_DIR, 'netinsights-demo.db')) : config.db,
    geoTable: config.geoTable ?? geoTable,
    trustedProxies: [...new Set([...config.trustedProxies, '127.0.0.1', '::1'])],
    evaluateIntervalSeconds: Math.min(config.evaluateIntervalSeconds, 10),
  };
}

export interface RunningDemo {
  close(): Promise<void>;
}

export async function startDemo(opts: {
  store: Store;
  url: string;
  log: (line: string) => void;
}): Promise<RunningDemo> {
  const { store, url, log } = opts;
  const offices: (SimulatedOffice & {
    repair?: (typeof DEMO_TENANTS)[number]['offices'][number]['repair'];
  })[] = [];
  for (const tenant of DEMO_TENANTS) {
    const { agentToken } = await provisionDemoTenant(store, tenant);
    for (const o of tenant.offices)
      offices.push({
        name: o.name,
        scenario: o.scenario,
        egressIp: o.egressIp,
        devices: o.devices,
        token: agentToken,
        ...(o.repair ? { repair: o.repair } : {}),
      });
  }
  const lab: Lab = await startLab();
  const admin = DEMO_TENANTS.find((t) => t.admin)?.admin;
  log('');
  log(`  Dashboard:  ${url}`);
  if (admin) log(`  Sign in:    ${admin.email}  /  ${admin.password}`);
  log(
    `  The built-in lab is simulating ${offices.reduce((n, o) => n + o.devices, 0)} devices in ${offices.length} offices;`,
  );
  log('  the first insights open within a minute. Ctrl+C stops.');
  log('');

  const stop = new AbortController();
  const loop = (async () => {
    for (let round = 1; !stop.signal.aborted; round++) {
      for (const o of offices)
        if (o.repair && round === o.repair.afterRounds + 1 && o.scenario !== o.repair.scenario) {
          o.scenario = o.repair.scenario;
          log(`demo: repaired ${o.name} — ${o.repair.note}`);
        }
      const r = await runFleetRound({ lab, collectorUrl: url, offices, signal: stop.signal });
      if (stop.signal.aborted) break;
      log(
        `demo: round ${round}: ${r.uploaded} reports uploaded in ${(r.durationMs / 1000).toFixed(1)} s` +
          (r.errors.length
            ? `, ${r.errors.length} failed (first: ${r.errors[0]?.office}: ${r.errors[0]?.message})`
            : ''),
      );
      await new Promise<void>((done) => {
        const t = setTimeout(done, ROUND_PAUSE_MS);
        stop.signal.addEventListener('abort', () => {
          clearTimeout(t);
          done();
        });
      });
    }
  })();

  return {
    async close() {
      stop.abort();
      await loop.catch(() => {});
      await lab.close();
    },
  };
}
