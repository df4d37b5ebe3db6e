/**
 * @module sweep-report
 * The endpoint sweep's part of a ProbeReport (`ProbeReport.sweep`): every
 * required Optimize and Allow host of the endpoint catalog, one compact line
 * each — route, result class, phase timings, TLS verdict — plus the catalog
 * entries that could not be swept and why. Kept apart from `results` so a
 * hundred hosts cost a hundred small objects, not five full check results each.
 */
import { type Static, Type } from '@sinclair/typebox';

const Str = (maxLength = 512) => Type.String({ maxLength });
const Ms = () => Type.Number({ minimum: 0, maximum: 86_400_000 });

/** `ok`, or the first failure on the way as `layer/class` (outcome.ts). */
export const SweepCode = Type.String({ pattern: '^(ok|[a-z]+/[a-z-]+)$', maxLength: 64 });

/** One swept host. */
export const SweepHost = Type.Object(
  {
    /** The name dialled: the catalog entry itself, or a wildcard's representative host. */
    host: Type.String({ minLength: 1, maxLength: 253 }),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    /** The catalog wildcard this host stands for, when it is a representative. */
    pattern: Type.Optional(Str(253)),
    /** Catalog endpoint-set ids that list the entry (Microsoft's stable ids). */
    sets: Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 64 }),
    /** Service areas of those sets (`Exchange`, `SharePoint`, `Skype`, `Common`). */
    serviceAreas: Type.Array(Str(64), { maxItems: 16 }),
    category: Type.Union([Type.Literal('Optimize'), Type.Literal('Allow')]),
    route: Type.Union([Type.Literal('direct'), Type.Literal('proxy')]),
    /** Proxy URL without credentials, when the route is a proxy. */
    proxy: Type.Optional(Str(2048)),
    code: SweepCode,
    /** What went wrong, in words (failures only). */
    message: Type.Optional(Str(512)),
    dnsMs: Type.Optional(Ms()),
    connectMs: Type.Optional(Ms()),
    proxyConnectMs: Type.Optional(Ms()),
    tlsMs: Type.Optional(Ms()),
    firstByteMs: Type.Optional(Ms()),
    totalMs: Ms(),
    /** The address connected to (the proxy's, when proxied). */
    address: Type.Optional(Str(64)),
    tls: Type.Optional(
      Type.Object(
        {
          // TLS_VERDICTS of probe-report.ts (which imports this file, so the list is written out here).
          verdict: Type.Union([
            Type.Literal('genuine'),
            Type.Literal('intercepted'),
            Type.Literal('untrusted'),
          ]),
          vendor: Type.Optional(Str(128)),
          issuer: Type.Optional(Str(1024)),
        },
        { additionalProperties: false },
      ),
    ),
    /** HTTP status of the answer to GET / (the origin's, or the proxy's refusal). */
    status: Type.Optional(Type.Integer({ minimum: 100, maximum: 999 })),
    servedBy: Type.Optional(
      Type.Union([Type.Literal('origin'), Type.Literal('proxy'), Type.Literal('unknown')]),
    ),
  },
  { additionalProperties: false },
);
export type SweepHost = Static<typeof SweepHost>;

/** A catalog entry the sweep could not test, with where it is and why. */
export const SweepSkip = Type.Object(
  {
    /** RFC 6901 pointer into the catalog document, e.g. `/12/urls/3`. */
    path: Str(128),
    /** The entry as written (truncated), or the set id. */
    entry: Str(256),
    reason: Str(512),
  },
  { additionalProperties: false },
);
export type SweepSkip = Static<typeof SweepSkip>;

export const SweepReport = Type.Object(
  {
    catalog: Type.Object(
      {
        /** `snapshot` (the shipped catalog), `collector` (the tenant's current version) or `file`. */
        source: Type.Union([Type.Literal('snapshot'), Type.Literal('collector'), Type.Literal('file')]),
        /** The collector's catalog version id (`c` + 12 hex digits), when it came from there. */
        version: Type.Optional(Str(64)),
      },
      { additionalProperties: false },
    ),
    /** Hosts dialled at once. */
    concurrency: Type.Integer({ minimum: 1, maximum: 256 }),
    durationMs: Ms(),
    hosts: Type.Array(SweepHost, { maxItems: 1000 }),
    skipped: Type.Array(SweepSkip, { maxItems: 500 }),
  },
  { additionalProperties: false },
);
export type SweepReport = Static<typeof SweepReport>;
