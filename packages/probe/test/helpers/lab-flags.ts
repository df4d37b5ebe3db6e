/**
 * The lab's probe options for a scenario as command-line flags, for tests
 * that run a built probe (the `.mjs` bundle, the one-file executables) as
 * a child process: the profile and CAs written to files in `dir`.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lab } from '@netinsights/lab';

export async function labFlags(lab: Lab, dir: string, scenario: string): Promise<string[]> {
  const options = lab.probeOptionsFor(scenario);
  // A small download, no speed verdict and a short hold: these tests are about the build running,
  // and a shared machine must not turn them into a speed test.
  const { slowBelowMbps: _unjudged, ...throughput } = options.profile.throughput;
  const profile = { ...options.profile, throughput: { ...throughput, maxBytes: 256 * 1024 } };
  const profileFile = join(dir, `${scenario}.json`);
  await writeFile(profileFile, JSON.stringify(profile));
  const caFile = join(dir, `${scenario}-ca.pem`);
  await writeFile(caFile, (options.extraTrustedCas ?? []).join('\n'));
  const flags = ['--profile', profileFile, '--ca', caFile, '--json', '--ws-hold', '0.2'];
  for (const d of options.dnsServers ?? []) flags.push('--dns-server', d);
  return flags;
}
