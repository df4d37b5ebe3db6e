/**
 * @module notify/channel
 * Notification channels: their types and settings, the filters that decide
 * which insight events a channel hears about, and validation of what an
 * admin submits (errors name the JSON path).
 */
import {
  CHANNEL_TYPES,
  type ChannelConfig,
  type ChannelType,
  channelOf,
  isChannelType,
  parseChannelConfig,
} from './channels/index.ts';
import { FieldReader, Problems } from './field-reader.ts';
import { type InsightNotice, NOTICE_TYPES, type NoticeType } from './notice.ts';

export {
  CHANNEL_TYPES,
  type ChannelConfig,
  type ChannelType,
  type EmailConfig,
  type IncomingWebhookConfig,
  type WebhookConfig,
} from './channels/index.ts';

/** Which events a channel hears about; an empty or missing list means all. */
export interface ChannelFilters {
  kinds?: string[];
  officeIds?: string[];
  eventTypes?: NoticeType[];
}

/** A stored channel. */
export interface ChannelRow {
  tenantId: string;
  id: string;
  name: string;
  type: ChannelType;
  config: ChannelConfig;
  filters: ChannelFilters;
  /** 0: send each event; N: batch events per office into one message per N minutes. */
  digestMinutes: number;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/** The fields an admin submits. */
export type ChannelInput = Pick<
  ChannelRow,
  'name' | 'type' | 'config' | 'filters' | 'digestMinutes' | 'enabled'
>;

/** Event types a new channel hears about unless told otherwise. */
export const DEFAULT_EVENT_TYPES: NoticeType[] = ['opened', 'reopened', 'resolved'];

/** True when the channel wants this notice. */
export function channelWants(channel: ChannelRow, n: InsightNotice): boolean {
  const f = channel.filters;
  if (!channel.enabled) return false;
  if (f.kinds?.length && !f.kinds.includes(n.insight.kind)) return false;
  if (f.officeIds?.length && !f.officeIds.includes(n.insight.officeId)) return false;
  if (f.eventTypes?.length && !f.eventTypes.includes(n.type)) return false;
  return true;
}

/** The URL or SMTP host a channel sends to (what the SSRF guard checks). */
export function channelTarget(channel: Pick<ChannelRow, 'type' | 'config'>): string {
  const target = channelOf(channel).target();
  return 'url' in target ? target.url : target.host;
}

/** A copy safe to show through the API: secrets and passwords are never returned. */
export function redactChannel(
  channel: ChannelRow,
): Omit<ChannelRow, 'config'> & { config: Record<string, unknown> } {
  const config = channelOf(channel).redact();
  return { ...channel, config: JSON.parse(JSON.stringify(config)) as Record<string, unknown> };
}

/**
 * Validates an admin's channel submission; the settings are read by the
 * channel type's own definition. A webhook without a secret gets a
 * generated one (32 random bytes, base64url), returned once to the caller.
 */
export function parseChannelInput(body: unknown, knownKinds: readonly string[]): ChannelInput {
  const p = new Problems();
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    p.add('/', 'must be a JSON object');
    p.throwIfAny();
  }
  const top = new FieldReader(p, '', body as Record<string, unknown>);
  const name = top.string('name', 200);
  const type = top.get('type');
  if (!isChannelType(type)) p.add('/type', `must be one of ${CHANNEL_TYPES.join(', ')}`);
  const c = (top.get('config') ?? {}) as Record<string, unknown>;
  if (typeof c !== 'object' || Array.isArray(c)) p.add('/config', 'must be an object');
  const settings = isChannelType(type)
    ? { type, config: parseChannelConfig(type, new FieldReader(p, '/config', c)) }
    : undefined;
  const f = new FieldReader(p, '/filters', (top.get('filters') ?? {}) as Record<string, unknown>);
  const filters: ChannelFilters = {};
  const kinds = f.stringList('kinds', knownKinds);
  if (kinds) filters.kinds = kinds;
  const officeIds = f.stringList('officeIds');
  if (officeIds) filters.officeIds = officeIds;
  // By default a channel hears openings, reopenings and resolutions; "updated" (a change of
  // severity or affected hosts while open) is opt-in because it can be frequent.
  const eventTypes = f.stringList('eventTypes', NOTICE_TYPES) ?? DEFAULT_EVENT_TYPES;
  filters.eventTypes = eventTypes as NoticeType[];
  const digestMinutes = top.get('digestMinutes') ?? 0;
  // A day is the longest batch that still reads as a notification rather than a report.
  if (
    typeof digestMinutes !== 'number' ||
    !Number.isInteger(digestMinutes) ||
    digestMinutes < 0 ||
    digestMinutes > 1440
  )
    p.add('/digestMinutes', 'must be a whole number of minutes from 0 (off) to 1440');
  const enabled = top.get('enabled') ?? true;
  if (typeof enabled !== 'boolean') p.add('/enabled', 'must be true or false');
  p.throwIfAny();
  return {
    name,
    ...settings!,
    filters,
    digestMinutes: digestMinutes as number,
    enabled: enabled as boolean,
  };
}
