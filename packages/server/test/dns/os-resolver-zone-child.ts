/**
 * Runs inside the network namespace of os-resolver-zone.test.ts, whose
 * resolv.conf names 127.0.0.2 as the only DNS server: the collector's DNS
 * listener on 127.0.0.1, real unbound on 127.0.0.2:53 forwarding the zone
 * to it from 127.0.0.3, and the real probe with no --dns-server, so its
 * resolver check goes through getaddrinfo like the applications. Prints
 * the resolver check, the report id and the listener's sightings as JSON.
 */
import { runProbe } from '@netinsights/probe';
import { loadProfile } from '@netinsights/protocol';
import { type Sighting, zoneAnswerer } from '../../src/dns/zone-answer.ts';
import { startZoneListener } from '../../src/dns/zone-listener.ts';
import { startRecursiveResolver } from '../helpers/recursive-resolver.ts';

const [zone, key] = process.argv.slice(2) as [string, string];
const sightings: Sighting[] = [];
const listener = await startZoneListener({
  answerer: zoneAnswerer(zone),
  host: '127.0.0.1',
  port: 0,
  onSighting: (s) => sightings.push(s),
});
const unbound = await startRecursiveResolver({
  kind: 'unbound',
  listen: '127.0.0.2',
  port: 53,
  outgoing: '127.0.0.3',
  zone,
  upstream: { host: listener.host, port: listener.port },
});
try {
  // The service checks have nothing to reach in here: every name is pinned to a closed port.
  const { teamsMedia: _udp, resolver: _whoami, ...profile } = loadProfile('m365');
  const names = new Set([
    ...profile.criticalDomains.flatMap((d) => d.hosts),
    new URL(profile.websocket.url).hostname,
    new URL(profile.throughput.url).hostname,
    profile.quic.host,
    profile.latency.host,
    ...(profile.http2Hosts ?? []),
  ]);
  const report = await runProbe({
    profile,
    env: {},
    resolve: [...names].map((h) => `${h}:443:127.0.0.1`),
    resolverZone: zone,
    resolverKey: key,
    deadlineMs: 8000,
    checkTimeoutMs: 2000,
  });
  process.stdout.write(
    `${JSON.stringify({
      reportId: report.reportId,
      check: report.results.find((r) => r.kind === 'resolver'),
      sightings,
    })}\n`,
  );
} finally {
  await unbound.stop();
  await listener.close();
}
