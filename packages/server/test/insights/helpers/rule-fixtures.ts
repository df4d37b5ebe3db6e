/**
 * @module test/insights/helpers/rule-fixtures
 * One fixture per insight kind for the shared rule suite: how a healthy
 * office, a broken one and one sitting between the close and open thresholds
 * look as real reports. The suite runs every kind through the same lifecycle
 * cases with these. `FIXTURES` is a `Record<InsightKind, …>`: a kind without
 * a fixture does not compile.
 */
import { ok } from '@netinsights/protocol';
import type { InsightKind } from '../../../src/insights/kinds.ts';
import type { ObserveInput } from '../../../src/insights/observation.ts';
import type { FrontDoorInput, OfficeInfo, PeerStats } from '../../../src/insights/rules/contract.ts';
import { DEFAULT_INSIGHT_SETTINGS } from '../../../src/insights/settings.ts';
import {
  failure,
  http2,
  https,
  interceptedTls,
  latency,
  quic,
  report,
  resolverCheck,
  sweepReport,
  teamsMedia,
  throughput,
  websocket,
  workloadDoor,
} from './reports.ts';

export type Level = 'healthy' | 'between' | 'broken';

export interface RuleFixture {
  kind: InsightKind;
  office: OfficeInfo;
  peers: PeerStats | null;
  /** The area's best front doors and the places of the addresses (distant-front-door). */
  frontDoors?: FrontDoorInput;
  /** `n` reports at `level` from `devices` distinct devices, received from `at` on, one a minute. */
  inputs(level: Level, n: number, devices: number, at: number): ObserveInput[];
  /** Facts the broken insight's text must name. */
  mentions: RegExp[];
}

export const LISBON: OfficeInfo = {
  name: 'Lisbon HQ',
  city: 'Lisbon',
  country: 'PT',
  latitude: 38.72,
  longitude: -9.14,
};

const MINUTE = 60_000;

/** Share of bad samples for a level, from the kind's default thresholds. */
function fraction(kind: InsightKind, level: Level): number {
  const k = DEFAULT_INSIGHT_SETTINGS.kinds[kind];
  if (level === 'healthy') return 0;
  if (level === 'between') return (k.openThreshold + k.closeThreshold) / 2;
  return Math.min(1, k.openThreshold * 2);
}

/** A fixture for the kind it is listed under (the key names the kind once). */
type FixtureOf = (kind: InsightKind) => RuleFixture;

/** A share-based fixture: each report carries one sample, bad for `round(n × fraction)` of them. */
function mixed(
  sample: (device: string, bad: boolean) => Omit<ObserveInput, 'receivedAt'>,
  mentions: RegExp[],
): FixtureOf {
  return (kind) => ({
    kind,
    office: LISBON,
    peers: null,
    mentions,
    inputs(level, n, devices, at) {
      const bad = Math.round(n * fraction(kind, level));
      // Spread the bad samples evenly rather than bunching them at the start.
      return Array.from({ length: n }, (_, i) => ({
        ...sample(`dev-${i % devices}`, Math.floor(((i + 1) * bad) / n) > Math.floor((i * bad) / n)),
        receivedAt: at + i * MINUTE,
      }));
    },
  });
}

/** Lisbon's best Exchange front door (other organisations' offices) and a distant one, in Amsterdam. */
const NEAR_DOOR = '198.51.100.10';
const FAR_DOOR = '203.0.113.80';
export const FRONT_DOOR_AREA: FrontDoorInput = {
  area: {
    'Exchange Online': {
      workload: 'Exchange Online',
      address: NEAR_DOOR,
      latencyMs: 10,
      offices: 6,
      city: 'Lisbon',
      country: 'PT',
      latitude: 38.7,
      longitude: -9.1,
    },
  },
  places: {
    [NEAR_DOOR]: { city: 'Lisbon', country: 'PT', latitude: 38.7, longitude: -9.1 },
    [FAR_DOOR]: { city: 'Amsterdam', country: 'NL', latitude: 52.37, longitude: 4.9 },
  },
};

const ZSCALER_ISSUER = 'CN=Zscaler Intermediate Root CA (zscaler.net), O=Zscaler Inc.';

const FIXTURE_OF: Record<InsightKind, FixtureOf> = {
  'critical-domain-https-failure': mixed(
    (d, bad) => ({
      report: report(d, [
        https('teams.cloud.microsoft', 'cloud.microsoft', bad ? failure('proxy', 'forbidden') : ok()),
      ]),
    }),
    [/teams\.cloud\.microsoft/, /\*\.cloud\.microsoft/, /proxy\/forbidden/, /Lisbon HQ/, /allow list/],
  ),
  'websocket-failure': mixed(
    (d, bad) => ({
      report: report(d, [
        websocket('substrate.office.com', bad ? failure('ws', 'reset-after-open') : ok(), { heldMs: 900 }),
      ]),
    }),
    [/Copilot/, /substrate\.office\.com/, /held open|cut/, /WebSocket/],
  ),
  'tls-interception': mixed(
    (d, bad) => ({
      report: report(d, [
        https('m365.cloud.microsoft', 'cloud.microsoft', bad ? failure('tls', 'intercepted') : ok(), {
          ...(bad ? { tls: interceptedTls('Zscaler', ZSCALER_ISSUER) } : {}),
        }),
      ]),
    }),
    [/Zscaler/, /Zscaler Intermediate Root CA/, /m365\.cloud\.microsoft/, /do not decrypt/],
  ),
  'peer-performance': (kind) => ({
    kind,
    office: LISBON,
    peers: { offices: 6, tenants: 3, latencyMedianMs: 200, throughputMbps: 50 },
    // Medians come from a 2 %-wide histogram, so 260 ms may read as about 258 ms.
    mentions: [/6 other organisations' offices/, /about 2(5\d|6\d) ms here against 200 ms/],
    inputs(level, n, devices, at) {
      const ms = level === 'broken' ? 260 : level === 'between' ? 215 : 200;
      return Array.from({ length: n }, (_, i) => ({
        report: report(`dev-${i % devices}`, [latency(ms), throughput(50)]),
        receivedAt: at + i * MINUTE,
      }));
    },
  }),
  'quic-blocked': mixed(
    (d, bad) => ({ report: report(d, [quic('m365.cloud.microsoft', bad ? 0 : 2)]) }),
    [/UDP/, /m365\.cloud\.microsoft/, /QUIC/],
  ),
  'protocol-downgrade': mixed(
    (d, bad) => ({ report: report(d, [http2('m365.cloud.microsoft', true, bad ? 'http/1.1' : 'h2')]) }),
    [/HTTP\/1\.1/, /HTTP\/2/, /m365\.cloud\.microsoft/],
  ),
  'backhauled-egress': mixed(
    (d, bad) => ({
      report: report(d, []),
      egressGeo: bad
        ? { latitude: 50.11, longitude: 8.68, city: 'Frankfurt am Main', country: 'DE' }
        : { latitude: 38.7, longitude: -9.2, city: 'Lisbon', country: 'PT' },
    }),
    [/Frankfurt am Main/, /\d{4} km/, /800 km/, /local internet breakout/],
  ),
  // Bad runs alternate between blocked and degraded, so the text names both and their figures.
  'teams-media': mixed(
    (d, bad) => ({
      report: report(d, [teamsMedia(bad ? (d.endsWith('0') ? 'blocked' : 'degraded') : 'ok')]),
    }),
    [/UDP 3478–3481/, /52\.112\.0\.0\/14/, /relay/, /Lisbon HQ/, /off VPN|off VPN tunnels/],
  ),
  // One swept host per report: a bad one is Office for the web (set 46) intercepted by Zscaler.
  'required-endpoints': mixed(
    (d, bad) => ({
      report: sweepReport(d, [
        {
          host: 'word-edit.officeapps.live.com',
          code: bad ? 'tls/intercepted' : 'ok',
          sets: [46],
          serviceArea: 'Common',
          vendor: 'Zscaler',
        },
      ]),
    }),
    [/Zscaler/, /46 \(Common\)/, /word-edit\.officeapps\.live\.com/, /bypass list/, /Lisbon HQ/],
  ),
  // Broken offices ask a resolver in Singapore (documentation address), healthy ones one in Lisbon.
  'distant-resolver': mixed(
    (d, bad) => {
      const address = bad ? '203.0.113.53' : '198.51.100.53';
      return {
        report: report(d, [resolverCheck('whoami', address)]),
        resolverSeen: bad
          ? { address, method: 'whoami', latitude: 1.29, longitude: 103.85, city: 'Singapore', country: 'SG' }
          : { address, method: 'whoami', latitude: 38.7, longitude: -9.2, city: 'Lisbon', country: 'PT' },
      };
    },
    [/203\.0\.113\.53/, /Singapore/, /\d{1,2},\d{3} km away/, /800 km/, /whoami/, /DNS/],
  ),
  // Bad reports land on the Amsterdam front door (about 70 ms), good ones on Lisbon's best (about 11 ms).
  'distant-front-door': (kind) => ({
    ...mixed(
      (d, bad) => ({
        report: report(
          d,
          workloadDoor('outlook.office365.com', 'Exchange Online', bad ? FAR_DOOR : NEAR_DOOR, bad ? 70 : 11),
        ),
      }),
      [
        /Exchange Online/,
        /203\.0\.113\.80/,
        /Amsterdam/,
        /\d{4} km away/,
        /faster per connection/,
        /DNS resolver/,
      ],
    )(kind),
    frontDoors: FRONT_DOOR_AREA,
  }),
  // Idle 20 ms everywhere; a bloated run waits 250 ms under load, a healthy one 30 ms.
  'latency-under-load': mixed(
    (d, bad) => ({ report: report(d, [latency(20), throughput(40, bad ? 270 : 30)]) }),
    [/Lisbon HQ/, /idle median 20 ms/, /under load 2\d\d ms|under load \d+ ms/, /fq_codel/, /CAKE/, /QoS/],
  ),
};

/** One fixture per insight kind. */
export const FIXTURES = Object.fromEntries(
  Object.entries(FIXTURE_OF).map(([kind, of]) => [kind, of(kind as InsightKind)]),
) as Record<InsightKind, RuleFixture>;
