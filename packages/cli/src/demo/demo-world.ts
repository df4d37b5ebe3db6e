/**
 * @module demo/demo-world
 * The demo's cast: a company with offices behind each of the lab's network
 * conditions, and three other tenants whose offices share a city with the
 * slow one so that "other users in your area" has peers to compare with. Egress
 * addresses come from the documentation ranges (RFC 5737) and are placed on
 * the map by a small geo table, so the backhauled office's egress shows up
 * in another country, as it would with a real GeoIP database; the table also
 * places the lab's far DNS resolver in Singapore.
 */
import { FAR_RESOLVER_ADDRESS } from '@netinsights/lab/scenarios/catalog.ts';

export interface DemoOffice {
  name: string;
  city: string;
  country: string;
  latitude: number;
  longitude: number;
  /** The lab scenario the office's network behaves like. */
  scenario: string;
  /** The egress range (a /28 of a documentation network) and the address its devices appear from. */
  egressRange: string;
  egressIp: string;
  /** Where that egress geolocates, when it is not the office itself (backhaul). */
  egressLocation?: { city: string; country: string; latitude: number; longitude: number };
  devices: number;
  /** Switched to this scenario once the demo has run `afterRounds` rounds: the admin "fixed" it. */
  repair?: { scenario: string; afterRounds: number; note: string };
}

export interface DemoTenant {
  name: string;
  /** The sign-in printed by `npm start`; only for the demo database. */
  admin?: { email: string; password: string };
  offices: DemoOffice[];
}

const FRANKFURT = { city: 'Frankfurt am Main', country: 'DE', latitude: 50.11, longitude: 8.68 };

function office(
  name: string,
  where: [city: string, country: string, lat: number, lon: number],
  scenario: string,
  net: number,
  extra: Partial<DemoOffice> = {},
): DemoOffice {
  const [city, country, latitude, longitude] = where;
  // RFC 5737 documentation ranges, one /28 per office.
  const base = net < 16 ? `198.51.100.${net * 16}` : `203.0.113.${(net - 16) * 16}`;
  const egressIp = base.replace(/\.(\d+)$/, (_, last: string) => `.${Number(last) + 5}`);
  return {
    name,
    city,
    country,
    latitude,
    longitude,
    scenario,
    egressRange: `${base}/28`,
    egressIp,
    devices: 2,
    ...extra,
  };
}

export const DEMO_TENANTS: DemoTenant[] = [
  {
    name: 'Contoso (demo)',
    admin: { email: 'admin@contoso.example', password: 'netinsights-demo' },
    offices: [
      office('Amsterdam HQ', ['Amsterdam', 'NL', 52.37, 4.9], 'healthy-direct', 0, { devices: 3 }),
      office('Dublin', ['Dublin', 'IE', 53.35, -6.26], 'healthy-proxy', 1),
      office('Paris', ['Paris', 'FR', 48.86, 2.35], 'intercepted', 2),
      office('Berlin', ['Berlin', 'DE', 52.52, 13.4], 'static-blocked', 3),
      office('Warsaw', ['Warsaw', 'PL', 52.23, 21.01], 'dns-failure', 4),
      office('Seattle', ['Seattle', 'US', 47.61, -122.33], 'ws-reset', 5),
      office('Oslo', ['Oslo', 'NO', 59.91, 10.75], 'ws-refused', 6),
      office('Lyon', ['Lyon', 'FR', 45.76, 4.84], 'quic-blocked', 7, {
        repair: {
          scenario: 'healthy-direct',
          afterRounds: 5,
          note: 'the Lyon firewall now allows UDP 443: its QUIC insight resolves as healthy reports arrive',
        },
      }),
      office('Milan', ['Milan', 'IT', 45.46, 9.19], 'h2-downgraded', 8),
      office('Madrid', ['Madrid', 'ES', 40.42, -3.7], 'slow-path', 9, { egressLocation: FRANKFURT }),
      office('Vienna', ['Vienna', 'AT', 48.21, 16.37], 'teams-blocked', 10),
      // Its proxy still inspects two catalog sets: only the endpoint sweep sees it.
      office('Zurich', ['Zurich', 'CH', 47.37, 8.54], 'sets-intercepted', 11),
      // Its resolver forwards to a DNS service whose public address the geo table puts in Singapore.
      office('Lisbon', ['Lisbon', 'PT', 38.72, -9.14], 'resolver-far', 12),
      // DNS hands its devices a distant front door; the Madrid peers below land on the near one.
      office('Madrid Atocha', ['Madrid', 'ES', 40.41, -3.69], 'distant-front-door', 13),
      office('Prague', ['Prague', 'CZ', 50.08, 14.44], 'bufferbloat', 14),
    ],
  },
  {
    // Another organisation on the same instance: its Madrid offices are the
    // "users in your area" the slow Madrid office is compared with.
    name: 'Fabrikam (area peers)',
    offices: [
      office('Madrid Castellana', ['Madrid', 'ES', 40.45, -3.69], 'healthy-direct', 16),
      office('Madrid Retiro', ['Madrid', 'ES', 40.41, -3.68], 'healthy-direct', 17),
      office('Madrid Chamberí', ['Madrid', 'ES', 40.43, -3.7], 'healthy-direct', 18),
    ],
  },
  // The peer comparison counts only other organisations' offices, at least five of them from at
  // least three organisations, so two more share the city.
  {
    name: 'Northwind (area peers)',
    offices: [
      office('Madrid Salamanca', ['Madrid', 'ES', 40.43, -3.68], 'healthy-direct', 19, { devices: 1 }),
    ],
  },
  {
    name: 'Tailspin (area peers)',
    offices: [
      office('Madrid Arganzuela', ['Madrid', 'ES', 40.4, -3.7], 'healthy-direct', 20, { devices: 1 }),
    ],
  },
];

/**
 * Where the lab front door's two addresses appear to be: the near one in
 * Madrid (where the demo's area comparisons are), the second, slower one in
 * Frankfurt. Only front door lookups ask for them (the demo's uploads come
 * from documentation-range egress addresses).
 */
const FRONT_DOOR_PLACES = [
  { range: '127.0.0.1/32', city: 'Madrid', country: 'ES', latitude: 40.42, longitude: -3.7 },
  { range: '127.0.0.2/32', ...FRANKFURT },
];

/** The geo table the demo server loads: every egress range → where it appears to be, and the front doors. */
export function demoGeoTable(): {
  range: string;
  city: string;
  country: string;
  latitude: number;
  longitude: number;
}[] {
  return [
    ...DEMO_TENANTS.flatMap((t) =>
      t.offices.map((o) => ({
        range: o.egressRange,
        ...(o.egressLocation ?? {
          city: o.city,
          country: o.country,
          latitude: o.latitude,
          longitude: o.longitude,
        }),
      })),
    ),
    // The lab's far resolver, as its whoami answer names it (scenario resolver-far).
    {
      range: `${FAR_RESOLVER_ADDRESS}/32`,
      city: 'Singapore',
      country: 'SG',
      latitude: 1.29,
      longitude: 103.85,
    },
    ...FRONT_DOOR_PLACES,
  ];
}
