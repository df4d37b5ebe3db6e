/**
 * @module api/types
 * The shapes of the /api/v1 answers the dashboard reads, as the server's
 * contract defines them. The probe report, the insight kinds, the insight
 * settings and an insight's evidence come from the protocol package, which
 * the server uses too (types only here: nothing of it is bundled).
 */
import type { InsightEvidence, InsightKind, OfficeAssessment, Severity } from '@netinsights/protocol';

export type {
  AreaQuintile,
  AssessmentAnswer,
  AssessmentComponent,
  AssessmentComponentName,
  AssessmentDay,
  AssessmentSettings,
  CertificateInfo,
  CheckResult,
  InsightEvidence,
  InsightKind,
  InsightSettings,
  KindSettings,
  OfficeAssessment,
  ProbeReport,
  Severity,
} from '@netinsights/protocol';

export type Role = 'owner' | 'admin' | 'viewer';

/** Who is signed in, and to which tenant (from GET /auth/me and POST /auth/login). */
export interface Session {
  user: { id: string; email: string; role: Role };
  tenant: { id: string; name: string };
}

/** What an admin types in to define an office. */
export interface OfficeInput {
  name: string;
  address?: string;
  city: string;
  country: string;
  latitude: number;
  longitude: number;
  lanSubnets: string[];
  egressRanges: string[];
}

export interface Office extends OfficeInput {
  id: string;
  createdAt: string;
  updatedAt: string;
}

/** An office with what the overview needs to show at a glance. */
export interface OfficeSummary extends Office {
  activeInsights: { id: string; kind: InsightKind; severity: Severity }[];
  lastReportAt: string | null;
  reports24h: number;
  devices24h: number;
  /** The office's network assessment (null before its first evaluation). */
  assessment: OfficeAssessment | null;
}

/** Reports that matched no office, grouped by egress city (remote workers) or egress prefix. */
export interface Discovered {
  id: string;
  /** `city:DE/Berlin` for a city group, else the egress /24 or /48. */
  egressPrefix: string;
  grouping: 'city' | 'egress';
  /** "Remote workers in Berlin, DE", or the egress prefix. */
  label: string;
  city: string | null;
  country: string | null;
  latitude: number | null;
  longitude: number | null;
  reports: number;
  devices: number;
  firstSeenAt: string;
  lastSeenAt: string;
}

export interface Overview {
  tenant: { id: string; name: string };
  totals: {
    offices: number;
    activeInsights: number;
    activeByKind: Partial<Record<InsightKind, number>>;
    reports24h: number;
    devices24h: number;
  };
  offices: OfficeSummary[];
  discovered: Discovered[];
}

export interface Insight {
  id: string;
  kind: InsightKind;
  officeId: string;
  officeName: string;
  status: 'active' | 'resolved';
  severity: Severity;
  title: string;
  meaning: string;
  action: string;
  actionLinks: { label: string; href: string }[];
  metric: { name: string; value: number; threshold: number };
  evidence: InsightEvidence;
  firstDetectedAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
  updatedAt: string;
}

export interface InsightEvent {
  type: 'opened' | 'updated' | 'resolved' | 'reopened' | 'disabled' | 'enabled';
  at: string;
  summary: string;
}

export interface MetricsBucket {
  start: string;
  reports: number;
  devices: number;
  failureShare: Partial<Record<InsightKind, number>>;
  latencyMedianMs: number | null;
  throughputMbps: number | null;
}

export interface OfficeMetrics {
  buckets: MetricsBucket[];
  peers: { latencyMedianMs: number | null; throughputMbps: number | null; sampleOffices: number } | null;
}

export interface ReportSummary {
  id: string;
  receivedAt: string;
  officeId: string | null;
  officeName: string | null;
  deviceId: string | null;
  egressIp: string;
  checks: number;
  failures: number;
  failureCodes: string[];
}

export interface ReportMeta {
  id: string;
  receivedAt: string;
  officeId: string | null;
  officeName: string | null;
  egressIp: string;
  deviceId: string | null;
}

export interface TokenRecord {
  id: string;
  name: string;
  officeId?: string | null;
  scope?: 'read' | 'read-write';
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedToken {
  id: string;
  name: string;
  token: string;
}

export interface UserRecord {
  id: string;
  email: string;
  role: Role;
  createdAt: string;
}

export interface List<T> {
  items: T[];
  nextCursor?: string;
}

/** One row's problem in a CSV import. */
export interface RowError {
  /** Line of the file, the header being line 1. */
  row: number;
  column?: string | null;
  message: string;
}

/** Where a notification channel sends: a signed webhook, Teams, Slack or e-mail over SMTP. */
export type ChannelType = 'webhook' | 'teams' | 'slack' | 'email';

/** A notification channel as the API lists it (secrets and passwords are never returned). */
export interface NotificationChannel {
  id: string;
  name: string;
  type: ChannelType;
  /** url (webhook/teams/slack; webhook adds secretSet) or host, port, security, from, to, username (email). */
  config: Record<string, unknown>;
  filters: { kinds?: string[]; officeIds?: string[]; eventTypes?: string[] };
  /** 0: one message per event; N: events batched per office every N minutes. */
  digestMinutes: number;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/** The answer to creating a channel: a webhook's signing secret is shown this once. */
export interface CreatedChannel extends NotificationChannel {
  secret?: string;
}

export type DeliveryStatus = 'pending' | 'sending' | 'delivered' | 'failed' | 'cancelled';

/** One message to one channel (a test, one event, or a digest of several). */
export interface Delivery {
  id: string;
  channelId: string;
  test: boolean;
  status: DeliveryStatus;
  attempts: number;
  events: { eventId: string; type: string; at: string; insightId: string; kind: string; officeId: string }[];
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

/** One try at sending a delivery. */
export interface DeliveryAttempt {
  attempt: number;
  at: string;
  ok: boolean;
  statusCode: number | null;
  detail: string | null;
  durationMs: number | null;
}

export interface DeliveryDetail extends Delivery {
  attemptLog: DeliveryAttempt[];
}

/** Central settings for every agent of the organisation (PUT /settings/agents). */
export interface AgentPolicy {
  intervalSeconds: number;
  /** null: what the profile says. */
  wsHoldSeconds: number | null;
  /** A custom service profile, or null for the shipped Microsoft 365 one. */
  profile: { id: string; version: string; [field: string]: unknown } | null;
  /** The measurement traffic budget; absent: the defaults (25 MB a day, 24 samples from 2 devices). */
  trafficBudget?: { maxDailyMegabytes: number; samplesPerDay: number; minDevices: number };
  /** The SharePoint tenant name put into the profile's workload hosts; null or absent: none. */
  tenantName?: string | null;
  /** The file the throughput check downloads instead of the profile's; null: the profile's. */
  downloadUrl?: string | null;
  /** Agents put hostname and OS user into their reports (absent: off). */
  reportIdentity?: boolean;
}

/** A silence (maintenance window): nothing it covers pages while it is in force. */
export interface Silence {
  id: string;
  officeId: string | null;
  kind: InsightKind | null;
  startsAt: string;
  endsAt: string;
  reason: string;
  createdBy: string;
  createdAt: string;
  suppressed: number;
  lastSuppressedAt: string | null;
  active: boolean;
}

export interface EnrollmentSecretRecord {
  id: string;
  name: string;
  officeId: string | null;
  createdAt: string;
  expiresAt: string | null;
  maxUses: number | null;
  uses: number;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedEnrollmentSecret extends EnrollmentSecretRecord {
  secret: string;
}

export interface AgentFleet {
  currentVersion: string;
  silentAfterSeconds: number;
  items: {
    tokenId: string;
    tokenName: string | null;
    deviceId: string;
    version: string;
    lastSeenAt: string;
    outOfDate: boolean;
    silent: boolean;
    /** no-checkin: not heard from; no-report: checks in, but no report arrives. */
    silentBecause: 'no-checkin' | 'no-report' | null;
    lastReportAt: string | null;
  }[];
}
