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

/** Where a workload host names the organisation's SharePoint tenant: `{tenant}.sharepoint.com`. */
export const TENANT_PLACEHOLDER = '{tenant}';
/**
 * A SharePoint tenant name: the letters and digits of the organisation's
 * initial `<name>.onmicrosoft.com` domain, lower case. At most 60, so that
 * `<name>-my` stays one DNS label (RFC 1035 §2.3.4: 63 octets).
 */
export const TENANT_NAME_PATTERN = '^[a-z0-9]{1,60}$';
export const TenantName = Type.String({ pattern: TENANT_NAME_PATTERN, minLength: 1, maxLength: 60 });

/** What is wrong with a tenant name, naming where it came from (a flag or a JSON path). */
export function tenantNameProblem(where: string, name: string): string {
  return `${where} "${name}" is not a SharePoint tenant name: use the 1–60 lower-case letters and digits before .sharepoint.com (the name of your <name>.onmicrosoft.com domain)`;
}

/** Whether `name` is a tenant name a profile, the probe's flag and the agent policy accept. */
export function isTenantName(name: string): boolean {
  return new RegExp(TENANT_NAME_PATTERN).test(name);
}

/**
 * One of the service's core workloads (sign-in, mail, files, chat): the hosts
 * its apps reach first, probed end to end like the critical hosts. Every
 * result carries the workload's name (`target.workload`), so the report,
 * insights and evidence say which workload suffers.
 */
export const Workload = Type.Object(
  {
    /** The name the report, insights and the dashboard show, e.g. `Exchange Online`. */
    name: Type.String({ minLength: 1, maxLength: 64 }),
    /** Host names; `{tenant}` stands for the profile's `tenantName` (hosts naming it wait until one is set). */
    hosts: Type.Array(
      Type.String({ minLength: 1, maxLength: 253, pattern: '^([A-Za-z0-9.:\\[\\]-]|\\{tenant\\})+$' }),
      { minItems: 1, maxItems: 16 },
    ),
    port: Type.Optional(Port),
    /** Path requested over HTTPS on each host. */
    path: Type.Optional(Type.String({ pattern: '^/', maxLength: 1024 })),
  },
  { additionalProperties: false },
);
export type Workload = Static<typeof Workload>;

/** One workload host as the probe dials it; `host` is null while it names `{tenant}` and no tenant name is set. */
export interface WorkloadHost {
  workload: string;
  /** The host as the profile writes it, placeholder included. */
  pattern: string;
  host: string | null;
  port: number;
  path: string;
}

/** Every workload host in profile order, with the tenant name put in (names lower-cased). */
export function workloadHosts(profile: { workloads?: Workload[]; tenantName?: string }): WorkloadHost[] {
  return (profile.workloads ?? []).flatMap((w) =>
    w.hosts.map((pattern) => {
      const named = pattern.includes(TENANT_PLACEHOLDER);
      const host =
        named && profile.tenantName === undefined
          ? null
          : pattern.replaceAll(TENANT_PLACEHOLDER, profile.tenantName ?? '').toLowerCase();
      return { workload: w.name, pattern, host, port: w.port ?? 443, path: w.path ?? '/' };
    }),
  );
}

export const ServiceProfile = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' }),
    name: Type.String({ minLength: 1, maxLength: 128 }),
    version: Type.String({ minLength: 1, maxLength: 64 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    criticalDomains: Type.Array(CriticalDomain, { minItems: 1, maxItems: 32 }),
    /** The core workloads, probed beside the critical domains. */
    workloads: Type.Optional(Type.Array(Workload, { maxItems: 16 })),
    /** The organisation's SharePoint tenant name, for workload hosts that name `{tenant}`. */
    tenantName: Type.Optional(TenantName),
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
    /**
     * The endpoint sweep (`probe --sweep`): how wildcard catalog entries are
     * reached, and how many hosts are dialled at once.
     */
    sweep: Type.Optional(
      Type.Object(
        {
          /**
           * Catalog wildcard → the host dialled for it (`*.lync.com` →
           * `webdir.online.lync.com`). A wildcard without one is reported as
           * skipped, never guessed.
           */
          representativeHosts: Type.Record(Type.String({ minLength: 1, maxLength: 253 }), Host, {
            maxProperties: 512,
          }),
          /** Hosts in flight at once (default 16). */
          concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 })),
          /** The port dialled on every host (443; the lab moves it to its front door). */
          port: Type.Optional(Port),
        },
        { additionalProperties: false },
      ),
    ),
    /**
     * The resolver check (probe checks/resolver.ts): which recursive resolver
     * the machine's lookups reach. `whoami` is a public name whose
     * authoritative servers answer with the address of the resolver that
     * asked; it is used when no zone is delegated to the collector
     * (`--resolver-zone`). Absent: the check runs only with such a zone.
     */
    resolver: Type.Optional(Type.Object({ whoami: Host }, { additionalProperties: false })),
    /** Hosts whose HTTP/2 support is checked (defaults to the first host of each domain). */
    http2Hosts: Type.Optional(Type.Array(Host, { maxItems: 16 })),
    expectedCas: Type.Array(ExpectedCa, { minItems: 1, maxItems: 128 }),
    interceptorVendors: Type.Array(InterceptorVendor, { maxItems: 256 }),
  },
  { additionalProperties: false, title: 'netinsights service profile' },
);
export type ServiceProfile = Static<typeof ServiceProfile>;
