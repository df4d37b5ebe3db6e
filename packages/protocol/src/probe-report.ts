/**
 * @module probe-report
 * ProbeReport v1: the JSON document one probe run produces and the collector
 * ingests. Defined once here with TypeBox; the committed JSON Schema in
 * `schema/probe-report.v1.schema.json` is generated from it and a test fails
 * when the two drift.
 */
import { type Static, Type } from '@sinclair/typebox';
import { Outcome } from './outcome.ts';
import { SweepReport } from './sweep-report.ts';

const Str = (maxLength = 512, extra: object = {}) => Type.String({ maxLength, ...extra });
const Ms = (description?: string) =>
  Type.Number({ minimum: 0, maximum: 86_400_000, ...(description ? { description } : {}) });
const Host = Str(253, { minLength: 1, description: 'DNS name or IP literal' });
const Port = Type.Integer({ minimum: 1, maximum: 65535 });
const IsoTime = Type.String({ format: 'date-time', maxLength: 40 });

export const CHECK_KINDS = [
  'dns',
  'tcp',
  'tls',
  'https',
  'websocket',
  'http2',
  'quic',
  'latency',
  'throughput',
  'teams-media',
  'resolver',
] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

export const Target = Type.Object(
  {
    host: Host,
    port: Port,
    url: Type.Optional(Str(2048)),
    transport: Type.Optional(Type.Union([Type.Literal('tcp'), Type.Literal('udp')])),
    /** The critical domain this host belongs to, e.g. `cloud.microsoft`, when it is one. */
    domain: Type.Optional(Str(253)),
    /** The core workload this host serves (the profile's workload name), e.g. `Exchange Online`. */
    workload: Type.Optional(Str(64)),
  },
  { additionalProperties: false },
);
export type Target = Static<typeof Target>;

/** How the check reached its target. */
export const NetworkPath = Type.Object(
  {
    type: Type.Union([Type.Literal('direct'), Type.Literal('proxy')]),
    /** Proxy URL without credentials, when type is `proxy`. */
    proxy: Type.Optional(Str(2048)),
    /** Where the decision came from. */
    source: Type.Optional(
      Type.Union([
        Type.Literal('flag'),
        Type.Literal('env'),
        Type.Literal('pac'),
        Type.Literal('none'),
        Type.Literal('system'),
      ]),
    ),
  },
  { additionalProperties: false },
);
export type NetworkPath = Static<typeof NetworkPath>;

export const PhaseTimings = Type.Object(
  {
    dnsMs: Type.Optional(Ms()),
    connectMs: Type.Optional(Ms('TCP connect, to the proxy when tunnelled')),
    proxyConnectMs: Type.Optional(Ms('CONNECT request until the proxy said 200')),
    tlsMs: Type.Optional(Ms()),
    firstByteMs: Type.Optional(Ms('request sent until first response byte')),
    totalMs: Type.Optional(Ms()),
  },
  { additionalProperties: false },
);
export type PhaseTimings = Static<typeof PhaseTimings>;

export const CertificateInfo = Type.Object(
  {
    subject: Str(1024),
    issuer: Str(1024),
    subjectCN: Type.Optional(Str(512)),
    issuerCN: Type.Optional(Str(512)),
    issuerO: Type.Optional(Str(512)),
    validFrom: Str(64),
    validTo: Str(64),
    serialNumber: Type.Optional(Str(128)),
    sha256: Str(128, { description: 'certificate SHA-256 fingerprint, hex with colons' }),
    spkiSha256: Str(64, { description: 'SubjectPublicKeyInfo SHA-256, base64' }),
    isCA: Type.Optional(Type.Boolean()),
    subjectAltNames: Type.Optional(Type.Array(Str(253), { maxItems: 200 })),
  },
  { additionalProperties: false },
);
export type CertificateInfo = Static<typeof CertificateInfo>;

export const TLS_VERDICTS = ['genuine', 'intercepted', 'untrusted'] as const;
export type TlsVerdict = (typeof TLS_VERDICTS)[number];

export const TlsDetail = Type.Object(
  {
    protocol: Type.Optional(Str(32)),
    cipher: Type.Optional(Str(128)),
    alpnOffered: Type.Array(Str(32), { maxItems: 8 }),
    alpnNegotiated: Type.Optional(Type.Union([Str(32), Type.Null()])),
    /** Leaf first, as served (plus the root the verifier found, when it found one). */
    chain: Type.Array(CertificateInfo, { maxItems: 16 }),
    verdict: Type.Union(TLS_VERDICTS.map((v) => Type.Literal(v))),
    /** The expected CA the chain matched, for `genuine`. */
    matchedCa: Type.Optional(Str(256)),
    /** The interceptor's vendor from the vendor table, or `unknown interceptor`. */
    vendor: Type.Optional(Str(128)),
    /**
     * For `intercepted`: the expected CA whose name a certificate on the path
     * carries without its key or a public root behind it — an interceptor
     * posing as the service's CA, a stronger signal than a plain one.
     */
    impersonates: Type.Optional(Str(256)),
    /** Issuer of the topmost served certificate, as the admin will look it up. */
    issuer: Type.Optional(Str(1024)),
    /** Whether this machine's own trust store (not only Node's bundled one) accepts the chain. */
    trustedBySystem: Type.Boolean(),
    systemTrustError: Type.Optional(Str(256)),
  },
  { additionalProperties: false },
);
export type TlsDetail = Static<typeof TlsDetail>;

export const HttpDetail = Type.Object(
  {
    method: Type.Optional(Str(16)),
    status: Type.Optional(Type.Integer({ minimum: 100, maximum: 999 })),
    httpVersion: Type.Optional(Str(16)),
    /** Headers that tell an origin from a middlebox (server, via, proxy-agent, x-cache, …), lower-case names. */
    headers: Type.Optional(Type.Record(Str(64), Str(512), { maxProperties: 32 })),
    servedBy: Type.Union([Type.Literal('origin'), Type.Literal('proxy'), Type.Literal('unknown')]),
    /** Why the answer is attributed to a proxy, in words. */
    proxyEvidence: Type.Optional(Type.Array(Str(256), { maxItems: 8 })),
    bodyBytes: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type HttpDetail = Static<typeof HttpDetail>;

export const WebSocketDetail = Type.Object(
  {
    upgradeStatus: Type.Optional(Type.Integer({ minimum: 100, maximum: 999 })),
    echoRttMs: Type.Optional(Ms()),
    holdTargetMs: Ms(),
    heldMs: Type.Optional(Ms()),
    closeCode: Type.Optional(Type.Integer({ minimum: 0, maximum: 4999 })),
    closeReason: Type.Optional(Str(256)),
    /** True when a genuine origin answered the upgrade with an HTTP error (normal for services that need a token). */
    originAnswered: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type WebSocketDetail = Static<typeof WebSocketDetail>;

export const Http2Detail = Type.Object(
  {
    /** Did the genuine origin offer h2? null when it could not be determined. */
    originOffersH2: Type.Union([Type.Boolean(), Type.Null()]),
    negotiated: Type.Union([Str(32), Type.Null()]),
    downgraded: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type Http2Detail = Static<typeof Http2Detail>;

export const QuicDetail = Type.Object(
  {
    attempts: Type.Integer({ minimum: 0, maximum: 100 }),
    replies: Type.Integer({ minimum: 0, maximum: 100 }),
    /** Versions the server listed in its Version Negotiation packet, hex. */
    versions: Type.Array(Str(16), { maxItems: 32 }),
    rttMs: Type.Optional(Ms()),
    /** TCP/443 to the same host worked in this run (so silence on UDP means UDP is blocked). */
    tcpReachable: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type QuicDetail = Static<typeof QuicDetail>;

/** Idle latency: the latency check runs before every other check, alone on the path. */
export const LatencyDetail = Type.Object(
  {
    method: Type.Union([Type.Literal('tcp-connect'), Type.Literal('https')]),
    samplesMs: Type.Array(Ms(), { maxItems: 100 }),
    medianMs: Type.Optional(Ms()),
    jitterMs: Type.Optional(Ms()),
    thresholdMs: Type.Optional(Ms()),
  },
  { additionalProperties: false },
);
export type LatencyDetail = Static<typeof LatencyDetail>;

export const ThroughputDetail = Type.Object(
  {
    bytes: Type.Integer({ minimum: 0 }),
    durationMs: Ms(),
    /**
     * The speed; absent when the object ended before it was large enough to
     * time (`tooSmall`, outcome `probe/not-measured`).
     */
    mbps: Type.Optional(Type.Number({ minimum: 0 })),
    /** The object ended at `bytes`, under `minBytes`, the least the probe times a download on. */
    tooSmall: Type.Optional(
      Type.Object({ minBytes: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }),
    ),
    limitedBy: Type.Union([Type.Literal('bytes'), Type.Literal('time'), Type.Literal('eof')]),
    thresholdMbps: Type.Optional(Type.Number({ minimum: 0 })),
    /**
     * Latency to the profile's latency host, by the latency check's method,
     * sampled while this download ran. The latency check's own samples are
     * taken before any other check starts (idle); bufferbloat is the loaded
     * median minus the idle median (see `bufferbloatMs`).
     */
    loadedLatency: Type.Optional(
      Type.Object(
        {
          method: Type.Literal('tcp-connect'),
          samplesMs: Type.Array(Ms(), { maxItems: 100 }),
          medianMs: Type.Optional(Ms()),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ThroughputDetail = Static<typeof ThroughputDetail>;

/** One UDP port of a Teams media run. */
export const TeamsMediaPort = Type.Object(
  {
    port: Port,
    sent: Type.Integer({ minimum: 0, maximum: 100_000 }),
    /** Binding success responses that matched a request of this run (garbage is not counted). */
    answered: Type.Integer({ minimum: 0, maximum: 100_000 }),
    lossPercent: Type.Number({ minimum: 0, maximum: 100 }),
    rttMedianMs: Type.Optional(Ms()),
  },
  { additionalProperties: false },
);
export type TeamsMediaPort = Static<typeof TeamsMediaPort>;

/**
 * A Teams media run: STUN Binding requests (RFC 8489) sent at an audio-like
 * interval to the Teams relay's UDP ports, and a TCP connect to the same
 * relay, the path calls take when UDP is blocked.
 *
 * `mos` is an estimate from the simplified ITU-T G.107 E-model (see
 * probe/src/checks/teams-media.ts for the formula): R = 93.2 − Id − Ie,eff,
 * with Id from the one-way delay d = RTT/2 + 2·jitter + 20 ms (jitter buffer
 * and one 20 ms audio frame), Id = 0.024·d + 0.11·(d − 177.3)·[d > 177.3],
 * Ie,eff = 95·P/(P + 25.1) for P % random loss (G.711 with loss concealment),
 * and MOS = 1 + 0.035·R + 7·10⁻⁶·R·(R − 60)·(100 − R), clamped to 1–4.5.
 */
export const TeamsMediaDetail = Type.Object(
  {
    host: Host,
    /** The address the requests went to. */
    address: Type.Optional(Str(64)),
    intervalMs: Ms(),
    durationMs: Ms(),
    ports: Type.Array(TeamsMediaPort, { maxItems: 16 }),
    sent: Type.Integer({ minimum: 0 }),
    answered: Type.Integer({ minimum: 0 }),
    lossPercent: Type.Number({ minimum: 0, maximum: 100 }),
    rttMedianMs: Type.Optional(Ms()),
    rttP95Ms: Type.Optional(Ms()),
    /** RFC 3550 §6.4.1 interarrival jitter over the answers, in ms. */
    jitterMs: Type.Optional(Ms()),
    /** Answers that arrived after an answer to a later request. */
    reordered: Type.Integer({ minimum: 0 }),
    /** Datagrams that arrived but were not a matching Binding success response. */
    badAnswers: Type.Integer({ minimum: 0 }),
    /** The public address and port the relay saw (XOR-MAPPED-ADDRESS), e.g. `203.0.113.7:50000`. */
    reflexive: Type.Optional(Str(64)),
    /** TCP to the relay's port 443 worked: the fallback calls take when UDP is blocked. */
    tcpFallback: Type.Optional(
      Type.Object(
        {
          port: Port,
          ok: Type.Boolean(),
          /** How TCP went: through the run's HTTP proxy or direct (UDP always goes direct). */
          via: Type.Union([Type.Literal('direct'), Type.Literal('proxy')]),
          connectMs: Type.Optional(Ms()),
        },
        { additionalProperties: false },
      ),
    ),
    mos: Type.Optional(Type.Number({ minimum: 1, maximum: 4.5 })),
    /** The profile's thresholds the run was judged against. */
    thresholds: Type.Object(
      {
        lossPercent: Type.Number({ minimum: 0, maximum: 100 }),
        rttMs: Ms(),
        jitterMs: Ms(),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type TeamsMediaDetail = Static<typeof TeamsMediaDetail>;

export const DnsDetail = Type.Object(
  {
    answers: Type.Array(Str(64), { maxItems: 64 }),
    resolvers: Type.Optional(Type.Array(Str(128), { maxItems: 16 })),
    /** The address came from `--resolve`, not from DNS. */
    pinned: Type.Optional(Type.Boolean()),
    /** The answers came from the operating system's resolver (getaddrinfo: hosts file, NRPT, search rules), as applications resolve. */
    osResolver: Type.Optional(Type.Boolean()),
    /** When the DNS servers asked directly disagree with the OS resolver: both answers, in words. */
    disagreement: Type.Optional(Str(512)),
  },
  { additionalProperties: false },
);

/**
 * Which recursive resolver the machine's lookups reach (checks/resolver.ts):
 * a unique name in a zone delegated to the collector, whose DNS listener
 * records the asking address against the report (`zone`), or a public
 * "whoami" name that answers with the asking resolver's address (`whoami`).
 */
export const ResolverDetail = Type.Object(
  {
    method: Type.Union([Type.Literal('zone'), Type.Literal('whoami')]),
    /** The name looked up (for `zone`, only the zone: the unique label is not reported). */
    name: Str(253),
    /** The address the answer named: the resolver as the answering server saw it. */
    address: Type.Optional(Str(64)),
  },
  { additionalProperties: false },
);
export type ResolverDetail = Static<typeof ResolverDetail>;

export const TcpDetail = Type.Object(
  {
    remoteAddress: Type.Optional(Str(64)),
    remotePort: Type.Optional(Port),
  },
  { additionalProperties: false },
);

/**
 * One check's result. `kind` says which detail object is present: a `tls`
 * check carries `tls`, an `https` check carries `http` (and `tls`), and so on.
 */
export const CheckResult = Type.Object(
  {
    id: Str(300, {
      minLength: 1,
      description: 'unique within the report, e.g. "https:teams.cloud.microsoft"',
    }),
    kind: Type.Union(CHECK_KINDS.map((k) => Type.Literal(k))),
    target: Target,
    path: NetworkPath,
    outcome: Outcome,
    startedAt: Type.Optional(IsoTime),
    durationMs: Ms(),
    timings: Type.Optional(PhaseTimings),
    dns: Type.Optional(DnsDetail),
    tcp: Type.Optional(TcpDetail),
    tls: Type.Optional(TlsDetail),
    http: Type.Optional(HttpDetail),
    websocket: Type.Optional(WebSocketDetail),
    http2: Type.Optional(Http2Detail),
    quic: Type.Optional(QuicDetail),
    latency: Type.Optional(LatencyDetail),
    throughput: Type.Optional(ThroughputDetail),
    teamsMedia: Type.Optional(TeamsMediaDetail),
    resolver: Type.Optional(ResolverDetail),
  },
  { additionalProperties: false },
);
export type CheckResult = Static<typeof CheckResult>;

export const LocalAddress = Type.Object(
  {
    interface: Str(64),
    address: Str(64),
    cidr: Type.Optional(Type.Union([Str(64), Type.Null()])),
    family: Type.Union([Type.Literal('IPv4'), Type.Literal('IPv6')]),
  },
  { additionalProperties: false },
);

export const ProxyConfig = Type.Object(
  {
    mode: Type.Union([Type.Literal('direct'), Type.Literal('proxy'), Type.Literal('pac')]),
    proxy: Type.Optional(Str(2048)),
    pac: Type.Optional(Str(2048)),
    noProxy: Type.Optional(Type.Array(Str(253), { maxItems: 200 })),
    source: Type.Union([
      Type.Literal('flag'),
      Type.Literal('env'),
      Type.Literal('none'),
      Type.Literal('system'),
    ]),
    /** For `--proxy auto`: which system setting answered (WinINET, WinHTTP, scutil, gsettings, WPAD …), or what was tried. */
    origin: Type.Optional(Str(512)),
  },
  { additionalProperties: false },
);

export const Environment = Type.Object(
  {
    os: Type.Object({ platform: Str(32), release: Str(128), arch: Str(32) }, { additionalProperties: false }),
    /**
     * The machine's name and the OS account the agent runs as: sent only
     * where the organisation's agent policy sets `reportIdentity` (off by
     * default), so a help desk can match a complaint to a report.
     */
    hostname: Type.Optional(Str(253)),
    osUser: Type.Optional(Str(256)),
    /** A stable, random per-installation id (not a hardware id), used to count distinct devices. */
    deviceId: Type.Optional(Str(64, { pattern: '^[A-Za-z0-9._:-]+$' })),
    proxy: ProxyConfig,
    dnsResolvers: Type.Array(Str(128), { maxItems: 16 }),
    localAddresses: Type.Array(LocalAddress, { maxItems: 64 }),
    officeId: Type.Optional(Str(128)),
  },
  { additionalProperties: false },
);
export type Environment = Static<typeof Environment>;

/**
 * What one registered probe check (`checks/index.ts`, by name) sent and
 * received in this run: TCP payload as counted on its sockets (TLS records
 * and CONNECT requests included, IP and TCP headers not) plus UDP payloads.
 * Body sizes stay where they were (`http.bodyBytes`, `throughput.bytes`);
 * this is what the run cost the network, the unit of the daily cap.
 */
export const CheckTraffic = Type.Object(
  {
    check: Str(64),
    sentBytes: Type.Integer({ minimum: 0 }),
    receivedBytes: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type CheckTraffic = Static<typeof CheckTraffic>;

export const PROBE_REPORT_VERSION = 1;

export const ProbeReport = Type.Object(
  {
    schema: Type.Literal('netinsights.probe-report/v1'),
    reportId: Type.String({
      format: 'uuid',
      maxLength: 36,
      description: 'any UUID; probes send version 7 (time-ordered, see report-id.ts)',
    }),
    probe: Type.Object(
      {
        version: Str(64),
        profile: Str(128, { description: 'id of the service profile the run used, e.g. "m365"' }),
        profileVersion: Type.Optional(Str(64)),
      },
      { additionalProperties: false },
    ),
    startedAt: IsoTime,
    finishedAt: IsoTime,
    environment: Environment,
    results: Type.Array(CheckResult, { maxItems: 500 }),
    /** The endpoint sweep (`probe --sweep`): every required Optimize and Allow endpoint of the catalog. */
    sweep: Type.Optional(SweepReport),
    /** Bytes per registered check that ran (probes before 0.x send none). */
    traffic: Type.Optional(Type.Array(CheckTraffic, { maxItems: 64 })),
  },
  {
    $id: 'https://netinsights.dev/schema/probe-report.v1.json',
    title: 'netinsights ProbeReport v1',
    additionalProperties: false,
  },
);
export type ProbeReport = Static<typeof ProbeReport>;

/**
 * Bufferbloat of one report: how much the round trip grows while the
 * download fills the link — the throughput result's loaded median minus the
 * latency result's idle median, in ms. Undefined when either is missing.
 */
export function bufferbloatMs(results: readonly CheckResult[]): number | undefined {
  const idle = results.find((r) => r.kind === 'latency')?.latency?.medianMs;
  const loaded = results.find((r) => r.kind === 'throughput')?.throughput?.loadedLatency?.medianMs;
  if (idle === undefined || loaded === undefined) return undefined;
  return Math.round((loaded - idle) * 10) / 10;
}
