/**
 * @module store/row-decoders
 * Rows → contract objects, shared by both dialects: SQLite and PostgreSQL
 * store the same columns as the same text and numbers (timestamps as
 * ISO-8601 text, lists and documents as JSON text), so one decoder serves both.
 */

import type { StoredInsight } from '../insights/api-insight.ts';
import type { InsightEventType, InsightKind, Severity } from '../insights/kinds.ts';
import type { InsightEventRow } from '../insights/store-contract.ts';
import type { ChannelRow } from '../notify/channel.ts';
import type { InsightNotice } from '../notify/notice.ts';
import type { AttemptRow, DeliveryRow, DeliveryStatus } from '../notify/store-contract.ts';
import type {
  AgentTokenRow,
  ApiScope,
  ApiTokenRow,
  AuditRow,
  DiscoveredRow,
  LoginFailureWindow,
  OfficeRow,
  ReportMeta,
  Role,
  SessionRow,
  TenantRow,
  TokenRowBase,
  UserRow,
} from './contract.ts';

/** A row as either driver returns it: column name → value. */
export type Row = Record<string, unknown>;

export const str = (v: unknown): string => String(v);
export const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
export const num = (v: unknown): number => Number(v);
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
/** A flag: SQLite stores 1 / 0 (INTEGER), PostgreSQL a boolean. */
export const bool = (v: unknown): boolean => v === true || Number(v) === 1;
/** ISO-8601 text → epoch milliseconds (the insight engine's clock). */
const ms = (iso: string) => Date.parse(iso);

/** The columns every token table shares (store/statements/tokens.ts). */
const tokenBase = (r: Row): TokenRowBase => ({
  tenantId: str(r.tenant_id),
  id: str(r.id),
  name: str(r.name),
  tokenHash: str(r.token_hash),
  createdAt: str(r.created_at),
  lastUsedAt: strOrNull(r.last_used_at),
  revokedAt: strOrNull(r.revoked_at),
});

export const toAgentToken = (r: Row): AgentTokenRow => ({
  ...tokenBase(r),
  officeId: strOrNull(r.office_id),
});

export const toApiToken = (r: Row): ApiTokenRow => ({
  ...tokenBase(r),
  scope: str(r.scope) as ApiScope,
  createdBy: r.created_by === null || r.created_by === undefined ? null : str(r.created_by),
});

export const toAudit = (r: Row): AuditRow => ({
  tenantId: str(r.tenant_id),
  id: str(r.id),
  at: str(r.at),
  actor: str(r.actor),
  action: str(r.action),
  target: str(r.target),
  details: r.details === null ? null : JSON.parse(str(r.details)),
});

export const toDiscovered = (r: Row): DiscoveredRow => ({
  tenantId: str(r.tenant_id),
  id: str(r.id),
  egressPrefix: str(r.egress_prefix),
  city: strOrNull(r.city),
  country: strOrNull(r.country),
  latitude: numOrNull(r.latitude),
  longitude: numOrNull(r.longitude),
  reports: num(r.reports),
  firstSeenAt: str(r.first_seen_at),
  lastSeenAt: str(r.last_seen_at),
  adoptedOfficeId: strOrNull(r.adopted_office_id),
});

export const toInsight = (r: Row): StoredInsight => ({
  tenantId: str(r.tenant_id),
  id: str(r.id),
  officeKey: str(r.office_key),
  kind: str(r.kind) as InsightKind,
  status: str(r.status) as StoredInsight['status'],
  severity: str(r.severity) as Severity,
  value: num(r.value),
  threshold: num(r.threshold),
  windowHours: num(r.window_hours),
  evidence: JSON.parse(str(r.evidence)) as StoredInsight['evidence'],
  fingerprint: str(r.fingerprint),
  firstDetectedAt: ms(str(r.first_detected_at)),
  lastSeenAt: ms(str(r.last_seen_at)),
  resolvedAt: r.resolved_at === null ? null : ms(str(r.resolved_at)),
  updatedAt: ms(str(r.updated_at)),
});

export const toEvent = (r: Row): InsightEventRow => ({
  seq: num(r.seq),
  tenantId: str(r.tenant_id),
  insightId: str(r.insight_id),
  type: str(r.type) as InsightEventType,
  at: str(r.at),
  summary: str(r.summary),
});

export const toOffice = (r: Row): OfficeRow => ({
  tenantId: str(r.tenant_id),
  id: str(r.id),
  name: str(r.name),
  address: strOrNull(r.address),
  city: str(r.city),
  country: str(r.country),
  latitude: num(r.latitude),
  longitude: num(r.longitude),
  lanSubnets: JSON.parse(str(r.lan_subnets)) as string[],
  egressRanges: JSON.parse(str(r.egress_ranges)) as string[],
  createdAt: str(r.created_at),
  updatedAt: str(r.updated_at),
});

export const toMeta = (r: Row): ReportMeta => ({
  tenantId: str(r.tenant_id),
  id: str(r.id),
  receivedAt: str(r.received_at),
  officeId: strOrNull(r.office_id),
  discoveredId: strOrNull(r.discovered_id),
  deviceId: strOrNull(r.device_id),
  egressIp: str(r.egress_ip),
  checks: num(r.checks),
  failures: num(r.failures),
  failureCodes: JSON.parse(str(r.failure_codes)) as string[],
});

export const toSession = (r: Row): SessionRow => ({
  tenantId: str(r.tenant_id),
  id: str(r.id),
  userId: str(r.user_id),
  tokenHash: str(r.token_hash),
  createdAt: str(r.created_at),
  expiresAt: str(r.expires_at),
});

export const toUser = (r: Row): UserRow => ({
  tenantId: str(r.tenant_id),
  id: str(r.id),
  email: str(r.email),
  passwordHash: str(r.password_hash),
  role: str(r.role) as Role,
  createdAt: str(r.created_at),
});

export const toTenant = (r: Row): TenantRow => ({
  id: str(r.id),
  name: str(r.name),
  createdAt: str(r.created_at),
});

export const toLoginFailureWindow = (r: Row): LoginFailureWindow => ({
  failures: num(r.failures),
  firstAt: str(r.first_at),
});

export const toChannel = (r: Row): ChannelRow => ({
  tenantId: str(r.tenant_id),
  id: str(r.id),
  name: str(r.name),
  type: str(r.type) as ChannelRow['type'],
  config: JSON.parse(str(r.config)) as ChannelRow['config'],
  filters: JSON.parse(str(r.filters)) as ChannelRow['filters'],
  digestMinutes: num(r.digest_minutes),
  enabled: bool(r.enabled),
  createdAt: str(r.created_at),
  updatedAt: str(r.updated_at),
});

export const toDelivery = (r: Row): DeliveryRow => ({
  tenantId: str(r.tenant_id),
  id: str(r.id),
  channelId: str(r.channel_id),
  test: bool(r.is_test),
  digestKey: strOrNull(r.digest_key),
  notices: JSON.parse(str(r.notices)) as InsightNotice[],
  status: str(r.status) as DeliveryStatus,
  attempts: num(r.attempts),
  nextAttemptAt: str(r.next_attempt_at),
  leaseOwner: strOrNull(r.lease_owner),
  leaseUntil: strOrNull(r.lease_until),
  lastStatusCode: numOrNull(r.last_status_code),
  lastError: strOrNull(r.last_error),
  createdAt: str(r.created_at),
  deliveredAt: strOrNull(r.delivered_at),
});

export const toAttempt = (r: Row): AttemptRow => ({
  tenantId: str(r.tenant_id),
  deliveryId: str(r.delivery_id),
  attempt: num(r.attempt),
  at: str(r.at),
  worker: str(r.worker),
  ok: bool(r.ok),
  statusCode: numOrNull(r.status_code),
  detail: str(r.detail),
  durationMs: num(r.duration_ms),
});
