/**
 * @module commands/lab
 * `netinsights lab`: the simulated Microsoft 365 edge and broken corporate
 * networks. `list` names the scenarios, `run` probes through each and
 * compares what the probe concluded with what the scenario expects, `up`
 * keeps the lab running so that the probe (or any other tool) can be
 * pointed at it by hand.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { compareVerdicts, type Lab, SCENARIOS, startLab, type VerdictLine } from '@netinsights/lab';
import { type ProbeOptions, runProbe } from '@netinsights/probe';
import type { ProbeReport } from '@netinsights/protocol';
import { type Command, EXIT, UsageError } from '@netinsights/protocol/cli/command.ts';
import { parseFlags } from '@netinsights/protocol/cli/parse-flags.ts';

const HELP = `Usage: netinsights lab <list | run | up> [flags]

A simulated Microsoft 365 edge and the broken corporate networks admins
really have, all on 127.0.0.1 and started in about a second: a front door
(HTTPS h2/http1.1, WebSocket echo, download, QUIC on UDP), DNS resolvers,
a plain proxy, TLS-inspecting proxies named like Zscaler and FortiGate, an
allow-list proxy, WebSocket-breaking proxies, a UDP-dropping firewall and a
slow backhauled link.

  netinsights lab list
      Names the scenarios and what each one breaks.

  netinsights lab run [--scenario NAME]... [--json]
      Starts the lab, runs the probe through each scenario (or only the named
      ones) and prints expected vs observed verdicts.
      --scenario NAME   run only this scenario (repeatable)
      --json            print the results, with each full ProbeReport, as JSON
      Exit status: 0 every scenario classified as expected, 1 any mismatch.

  netinsights lab up [--profile-out FILE]
      Starts the lab and keeps it running until Ctrl-C (SIGINT) or SIGTERM.
      Prints every address and, per scenario, a ready-to-paste
      \`netinsights probe\` command line.
      --profile-out FILE   where to write the lab profile (default: a new
                           temporary folder); the CA certificates and
                           per-scenario profiles are written beside it

The lab uses the real Microsoft 365 host names; the probe reaches them
through the lab's DNS resolver (--dns-server) or its proxies, never the
internet.`;

const SUBCOMMANDS = ['list', 'run', 'up'] as const;

export const command: Command = {
  name: 'lab',
  summary: 'simulated Microsoft 365 edge and broken corporate networks (list, run, up)',
  order: 20,
  help: HELP,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === undefined) throw new UsageError(`missing subcommand: one of ${SUBCOMMANDS.join(', ')}`);
    if (sub === 'list') return list(rest);
    if (sub === 'run') return run(rest);
    if (sub === 'up') return up(rest);
    throw new UsageError(`unknown subcommand "${sub}": one of ${SUBCOMMANDS.join(', ')}`);
  },
};

function list(argv: string[]): number {
  parseFlags(argv, {});
  const width = Math.max(...SCENARIOS.map((s) => s.name.length));
  for (const s of SCENARIOS) console.log(`${s.name.padEnd(width)}  ${s.description}`);
  return EXIT.OK;
}

interface ScenarioRun {
  scenario: string;
  ok: boolean;
  durationMs: number;
  lines: VerdictLine[];
  report?: ProbeReport;
  error?: string;
}

async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    scenario: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  });
  const known = SCENARIOS.map((s) => s.name);
  const wanted = values.scenario ?? known;
  for (const name of wanted)
    if (!known.includes(name)) throw new UsageError(`unknown scenario "${name}"; known: ${known.join(', ')}`);

  const started = performance.now();
  const lab = await startLab();
  const startMs = Math.round(performance.now() - started);
  const runs: ScenarioRun[] = [];
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  try {
    if (!values.json) console.log(`lab started in ${startMs} ms\n`);
    for (const name of wanted) {
      if (controller.signal.aborted) break;
      const scenario = lab.scenarios.find((s) => s.name === name)!;
      const t0 = performance.now();
      let result: ScenarioRun;
      try {
        const report = await runProbe(lab.probeOptionsFor(name, { signal: controller.signal }));
        const cmp = compareVerdicts(scenario.expected, report);
        result = {
          scenario: name,
          ok: cmp.ok,
          durationMs: Math.round(performance.now() - t0),
          lines: cmp.lines,
          report,
        };
      } catch (err) {
        result = {
          scenario: name,
          ok: false,
          durationMs: Math.round(performance.now() - t0),
          lines: [],
          error: (err as Error).message ?? String(err),
        };
      }
      runs.push(result);
      if (!values.json) printRun(result, scenario.description);
    }
  } finally {
    process.off('SIGINT', stop);
    await lab.close();
  }
  const allOk = runs.length === wanted.length && runs.every((r) => r.ok);
  if (values.json) {
    console.log(JSON.stringify({ ok: allOk, labStartMs: startMs, scenarios: runs }, null, 2));
  } else {
    const bad = runs.filter((r) => !r.ok).map((r) => r.scenario);
    console.log(
      allOk
        ? `all ${runs.length} scenarios classified as expected`
        : `${bad.length} of ${wanted.length} scenarios NOT classified as expected${bad.length ? `: ${bad.join(', ')}` : ''}`,
    );
  }
  return allOk ? EXIT.OK : EXIT.PROBLEMS;
}

function printRun(r: ScenarioRun, description: string): void {
  console.log(`${r.ok ? '✓' : '✗'} ${r.scenario}  (${(r.durationMs / 1000).toFixed(1)} s) — ${description}`);
  if (r.error) console.log(`    the probe failed to run: ${r.error}`);
  const width = Math.max(0, ...r.lines.map((l) => l.expected.length));
  for (const l of r.lines)
    console.log(`    ${l.match ? 'ok  ' : 'DIFF'}  ${l.expected.padEnd(width)}  → ${l.observed}`);
  console.log();
}

async function up(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, { 'profile-out': { type: 'string' } });
  const profileFile = resolve(
    values['profile-out'] ?? join(mkdtempSync(join(tmpdir(), 'netinsights-lab-')), 'lab-profile.json'),
  );
  const lab = await startLab({ log: (line) => console.error(`lab: ${line}`) });
  let files: LabFiles;
  try {
    files = writeLabFiles(lab, profileFile);
  } catch (err) {
    await lab.close();
    throw new UsageError(
      `--profile-out ${profileFile}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }

  const addresses = lab.addresses();
  const width = Math.max(...Object.keys(addresses).map((k) => k.length));
  console.log('netinsights lab is up (Ctrl-C to stop)\n');
  for (const [name, address] of Object.entries(addresses)) console.log(`  ${name.padEnd(width)}  ${address}`);
  console.log(`\n  lab profile: ${profileFile}\n`);
  console.log(
    'Probe commands, one per scenario (from a clone, run them as `npm run netinsights -- probe …`):\n',
  );
  for (const s of lab.scenarios) {
    console.log(`  # ${s.name}: ${s.description}`);
    console.log(`  ${probeCommandLine(lab.probeOptionsFor(s.name), s.name, files)}\n`);
  }

  await new Promise<void>((done) => {
    const stop = (signal: string) => {
      console.error(`lab: ${signal}, stopping`);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      done();
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
  await lab.close();
  return EXIT.OK;
}

/** Where `lab up` wrote what a probe command line needs. */
interface LabFiles {
  profile: string;
  /** Scenario → its own profile file, for scenarios that reach the lab on other ports. */
  scenarioProfiles: Map<string, string>;
  /** CA certificate PEM → the file it was written to. */
  caFiles: Map<string, string>;
}

/** Files beside the profile: `<stem>.<scenario>.json` for scenario-specific profiles, `<stem>.<ca>.pem` for CAs. */
function sideFile(profileFile: string, suffix: string): string {
  return join(dirname(profileFile), `${basename(profileFile).replace(/\.json$/i, '')}.${suffix}`);
}

function writeLabFiles(lab: Lab, profileFile: string): LabFiles {
  const files: LabFiles = { profile: profileFile, scenarioProfiles: new Map(), caFiles: new Map() };
  writeFileSync(profileFile, `${JSON.stringify(lab.profile, null, 2)}\n`);
  for (const [name, pem] of Object.entries(lab.trust)) {
    const file = sideFile(profileFile, `${name}-ca.pem`);
    writeFileSync(file, pem);
    files.caFiles.set(pem, file);
  }
  for (const s of lab.scenarios) {
    const { profile } = lab.probeOptionsFor(s.name);
    if (profile === lab.profile) continue;
    const file = sideFile(profileFile, `${s.name}.json`);
    writeFileSync(file, `${JSON.stringify(profile, null, 2)}\n`);
    files.scenarioProfiles.set(s.name, file);
  }
  return files;
}

/** The `netinsights probe` command line equivalent to a scenario's probe options. */
function probeCommandLine(options: ProbeOptions, scenario: string, files: LabFiles): string {
  const args = ['netinsights', 'probe', '--profile', files.scenarioProfiles.get(scenario) ?? files.profile];
  if (options.proxy) args.push('--proxy', options.proxy);
  for (const d of options.dnsServers ?? []) args.push('--dns-server', d);
  for (const r of options.resolve ?? []) args.push('--resolve', r);
  for (const pem of options.extraTrustedCas ?? []) {
    const file = files.caFiles.get(pem);
    if (file) args.push('--ca', file);
  }
  if (options.wsHoldSeconds !== undefined) args.push('--ws-hold', String(options.wsHoldSeconds));
  if (options.sweep) args.push('--sweep');
  return args.map(shellQuote).join(' ');
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`;
}
