/**
 * @module service-profile
 * A service profile tells the probe what "the service" is: which hosts to
 * test per critical domain, the WebSocket, throughput and QUIC targets, the
 * CAs that legitimately issue the service's certificates, and the table that
 * names an interceptor's vendor from its issuer. Profiles are data (JSON) so
 * admins can override any of it and CA rotation needs no release.
 */
import { type Static, Type } from '@sinclair/typebox';

const Host = Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.*:\\[\\]-]+$' });
const Port = Type.Integer({ minimum: 1, maximum: 65535 });

export const ExpectedCa = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 256 }),
    role: Type.Union([Type.Literal('root'), Type.Literal('intermediate')]),
    /** SubjectPublicKeyInfo SHA-256, base64 (44 characters). */
    spkiSha256: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9+/]{43}=$' })),
  },
  { additionalProperties: false },
);
export type ExpectedCa = Static<typeof ExpectedCa>;

export const InterceptorVendor = Type.Object(
  {
    vendor: Type.String({ minLength: 1, maxLength: 128 }),
    /** Case-insensitive substrings looked for in the issuer's O, OU and CN of any served certificate. */
    issuerContains: Type.Array(Type.String({ minLength: 2, maxLength: 128 }), { minItems: 1, maxItems: 32 }),
  },
  { additionalProperties: false },
);
export type InterceptorVendor = Static<typeof InterceptorVendor>;

export const CriticalDomain = Type.Object(
  {
    /** The domain suffix, e.g. `cloud.microsoft`. */
    domain: Host,
    hosts: Type.Array(Host, { minItems: 1, maxItems: 64 }),
    port: Type.Optional(Port),
    /** Path requested over HTTPS on each host. */
    path: Type.Optional(Type.String({ pattern: '^/', maxLength: 1024 })),
  },
  { additionalProperties: false },
);
export type CriticalDomain = Static<typeof CriticalDomain>;

export const ServiceProfile = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' }),
    name: Type.String({ minLength: 1, maxLength: 128 }),
    version: Type.String({ minLength: 1, maxLength: 64 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    criticalDomains: Type.Array(CriticalDomain, { minItems: 1, maxItems: 32 }),
    websocket: Type.Object(
      {
        url: Type.String({ pattern: '^wss://', maxLength: 2048 }),
        /** Send a message and expect it back (only lab-like echo endpoints do). */
        echo: Type.Boolean(),
        holdSeconds: Type.Number({ minimum: 0, maximum: 600 }),
      },
      { additionalProperties: false },
    ),
    throughput: Type.Object(
      {
        url: Type.String({ pattern: '^https://', maxLength: 2048 }),
        maxBytes: Type.Integer({ minimum: 1024, maximum: 1_073_741_824 }),
        maxSeconds: Type.Number({ minimum: 0.1, maximum: 120 }),
        /** Below this the probe reports `perf/slow-throughput`. */
        slowBelowMbps: Type.Optional(Type.Number({ minimum: 0 })),
        /** For the admin: what `url` must be (e.g. that the shipped one is only a placeholder). */
        note: Type.Optional(Type.String({ maxLength: 2000 })),
      },
      { additionalProperties: false },
    ),
    quic: Type.Object(
      {
        host: Host,
        port: Port,
        attempts: Type.Integer({ minimum: 1, maximum: 10 }),
        waitMs: Type.Integer({ minimum: 50, maximum: 10_000 }),
      },
      { additionalProperties: false },
    ),
    latency: Type.Object(
      {
        host: Host,
        port: Port,
        samples: Type.Integer({ minimum: 1, maximum: 50 }),
        /** Median above this is reported as `perf/slow-latency`. */
        slowAboveMs: Type.Optional(Type.Number({ minimum: 0 })),
      },
      { additionalProperties: false },
    ),
    /**
     * The Teams media check: STUN Binding requests on UDP to the Teams relay
     * at an audio-like interval, plus a TCP connect to the relay (absent: the
     * check does not run).
     */
    teamsMedia: Type.Optional(
      Type.Object(
        {
          /** The Teams transport relay, `worldaz.tr.teams.microsoft.com` by default. */
          host: Host,
          /** UDP ports, 3478–3481 by default (Microsoft's documented Teams media ports). */
          ports: Type.Array(Port, { minItems: 1, maxItems: 16 }),
          /** TCP port of the fallback check, 443. */
          tcpPort: Type.Optional(Port),
          /** How long requests are sent, per run (the run's fixed length, plus a short wait for late answers). */
          durationSeconds: Type.Number({ minimum: 0.1, maximum: 30 }),
          /** Gap between requests on each port; 20 ms is one audio frame. */
          intervalMs: Type.Integer({ minimum: 5, maximum: 1000 }),
          /** Over any of these the run is `media/degraded`. */
          thresholds: Type.Object(
            {
              lossPercent: Type.Number({ minimum: 0, maximum: 100 }),
              rttMs: Type.Number({ minimum: 1, maximum: 10_000 }),
              jitterMs: Type.Number({ minimum: 1, maximum: 10_000 }),
            },
            { additionalProperties: false },
          ),
        },
        { additionalProperties: false },
      ),
    ),
    /** Hosts whose HTTP/2 support is checked (defaults to the first host of each domain). */
    http2Hosts: Type.Optional(Type.Array(Host, { maxItems: 16 })),
    expectedCas: Type.Array(ExpectedCa, { minItems: 1, maxItems: 128 }),
    interceptorVendors: Type.Array(InterceptorVendor, { maxItems: 256 }),
  },
  { additionalProperties: false, title: 'netinsights service profile' },
);
export type ServiceProfile = Static<typeof ServiceProfile>;
