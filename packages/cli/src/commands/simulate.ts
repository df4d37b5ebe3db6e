/**
 * `netinsights simulate`: simulated devices in simulated offices, each office
 * behind one of the lab's network conditions, uploading real probe reports
 * to a collector — to try a server end to end without real offices.
 */
import { startLab } from '@netinsights/lab';
import { runFleetRound, type SimulatedOffice } from '@netinsights/lab/simulation/office-fleet.ts';
import { type Command, EXIT, UsageError } from '@netinsights/protocol/cli/command.ts';
import { parseFlags, requireNumber } from '@netinsights/protocol/cli/parse-flags.ts';
import { DEMO_TENANTS } from '../demo/demo-world.ts';

const HELP = `Usage: netinsights simulate --collector URL --token TOKEN [--rounds N] [--interval SECONDS]
       netinsights simulate --offices-csv

Runs the built-in lab and simulated devices in the demo company's offices
(one office per lab network condition: interception, blocked *.static.microsoft,
broken DNS, WebSocket resets, no QUIC, HTTP/2 downgrade, a slow backhauled path,
healthy ones). Each device runs the real probe through its office's network and
uploads the report with the agent token, appearing from the office's egress
address (sent as X-Forwarded-For: start the server with --trusted-proxies 127.0.0.1).

  --collector URL     the server, e.g. http://127.0.0.1:8080
  --token TOKEN       an agent token of the tenant (netinsights admin create-agent-token)
  --rounds N          rounds to run, every device once per round (default 5)
  --interval SECONDS  pause between rounds (default 2)
  --offices-csv       print the simulated offices as CSV for the offices import
                      (POST /api/v1/offices/import or the dashboard), then exit

Example:
  netinsights simulate --offices-csv > offices.csv     # import it, then:
  netinsights simulate --collector http://127.0.0.1:8080 --token nia_… --rounds 10`;

const company = DEMO_TENANTS[0]!;

function officesCsv(): string {
  const rows = company.offices.map((o) =>
    [o.name, '', o.city, o.country, o.latitude, o.longitude, '', o.egressRange].join(','),
  );
  return ['name,address,city,country,latitude,longitude,lan_subnets,egress_ranges', ...rows].join('\n');
}

export const command: Command = {
  name: 'simulate',
  summary: 'simulated offices behind the lab’s networks upload real reports to a collector',
  order: 22,
  help: HELP,
  async run(argv) {
    const { values } = parseFlags(argv, {
      collector: { type: 'string' },
      token: { type: 'string' },
      rounds: { type: 'string' },
      interval: { type: 'string' },
      'offices-csv': { type: 'boolean' },
    });
    if (values['offices-csv']) {
      console.log(officesCsv());
      return EXIT.OK;
    }
    if (!values.collector) throw new UsageError('--collector URL is required (or --offices-csv)');
    if (!values.token) throw new UsageError('--token is required: an agent token of the tenant');
    try {
      new URL(values.collector);
    } catch {
      throw new UsageError(`--collector "${values.collector}" is not a URL`);
    }
    const rounds = requireNumber(values.rounds, '--rounds', 1, 10_000) ?? 5;
    const pauseMs = (requireNumber(values.interval, '--interval', 0, 3600) ?? 2) * 1000;
    const offices: SimulatedOffice[] = company.offices.map((o) => ({ ...o, token: values.token! }));

    const lab = await startLab();
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let failures = 0;
    try {
      for (let round = 1; round <= rounds && !stop.signal.aborted; round++) {
        const r = await runFleetRound({ lab, collectorUrl: values.collector, offices, signal: stop.signal });
        failures += r.errors.length;
        console.log(
          `round ${round}/${rounds}: ${r.uploaded} uploaded, ${r.duplicates} duplicates, ${r.errors.length} failed (${(r.durationMs / 1000).toFixed(1)} s)`,
        );
        for (const e of r.errors.slice(0, 3)) console.log(`  ${e.office}: ${e.message}`);
        if (round < rounds) await new Promise((done) => setTimeout(done, pauseMs));
      }
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await lab.close();
    }
    return failures > 0 ? EXIT.PROBLEMS : EXIT.OK;
  },
};
