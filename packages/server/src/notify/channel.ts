/**
 * @module notify/channel
 * Notification channels: their types and settings, the filters that decide
 * which insight events a channel hears about, and validation of what an
 * admin submits (errors name the JSON path).
 */
import { randomBytes } from 'node:crypto';
import { NetinsightsError } from '@netinsights/protocol';
import { type InsightNotice, NOTICE_TYPES, type NoticeType } from './notice.ts';

export const CHANNEL_TYPES = ['webhook', 'teams', 'slack', 'email'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** Generic webhook: JSON body signed with `secret` (see signature.ts). */
export interface WebhookConfig {
  url: string;
  secret: string;
}
/** Microsoft Teams or Slack incoming-webhook URL. */
export interface IncomingWebhookConfig {
  url: string;
}
/** E-mail over SMTP (nodemailer). */
export interface EmailConfig {
  host: string;
  port: number;
  /** `starttls` (submission, port 587; RFC 3207), `tls` (implicit TLS, port 465; RFC 8314), or `none`. */
  security: 'starttls' | 'tls' | 'none';
  username?: string;
  password?: string;
  from: string;
  to: string[];
  /** Extra CA certificates (PEM) for a relay with a private CA. */
  ca?: string[];
}

export type ChannelConfig = WebhookConfig | IncomingWebhookConfig | EmailConfig;

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
  return channel.type === 'email'
    ? (channel.config as EmailConfig).host
    : (channel.config as IncomingWebhookConfig).url;
}

/** A copy safe to show through the API: secrets and passwords are never returned. */
export function redactChannel(
  channel: ChannelRow,
): Omit<ChannelRow, 'config'> & { config: Record<string, unknown> } {
  const config: Record<string, unknown> = { ...channel.config };
  if ('secret' in config) config.secret = undefined;
  if ('password' in config && config.password !== undefined) config.password = '(set)';
  if (channel.type === 'webhook') config.secretSet = true;
  return { ...channel, config: JSON.parse(JSON.stringify(config)) as Record<string, unknown> };
}

class Problems {
  readonly list: { path: string; message: string }[] = [];
  add(path: string, message: string) {
    this.list.push({ path, message });
  }
  throwIfAny(): void {
    const first = this.list[0];
    if (first)
      throw new NetinsightsError(
        'NI_ERR_SCHEMA',
        `notification channel: ${first.path} ${first.message}`,
        this.list,
      );
  }
}

function str(p: Problems, o: Record<string, unknown>, key: string, base: string, max = 2048): string {
  const v = o[key];
  if (typeof v !== 'string' || v.trim() === '' || v.length > max) {
    p.add(`${base}/${key}`, `must be a non-empty string of at most ${max} characters`);
    return '';
  }
  return v.trim();
}

function strList(p: Problems, v: unknown, path: string, allowed?: readonly string[]): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    p.add(path, 'must be an array of strings');
    return undefined;
  }
  const bad = allowed ? (v as string[]).filter((x) => !allowed.includes(x)) : [];
  if (bad.length) p.add(path, `has ${bad.map((b) => `"${b}"`).join(', ')}; allowed: ${allowed!.join(', ')}`);
  return v as string[];
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/**
 * Validates an admin's channel submission. A webhook without a secret gets a
 * generated one (32 random bytes, base64url), returned once to the caller.
 */
export function parseChannelInput(body: unknown, knownKinds: readonly string[]): ChannelInput {
  const p = new Problems();
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    p.add('/', 'must be a JSON object');
    p.throwIfAny();
  }
  const o = body as Record<string, unknown>;
  const name = str(p, o, 'name', '', 200);
  const type = o.type as ChannelType;
  if (!(CHANNEL_TYPES as readonly unknown[]).includes(type))
    p.add('/type', `must be one of ${CHANNEL_TYPES.join(', ')}`);
  const c = (o.config ?? {}) as Record<string, unknown>;
  if (typeof c !== 'object' || Array.isArray(c)) p.add('/config', 'must be an object');
  let config: ChannelConfig = { url: '' };
  if (type === 'webhook' || type === 'teams' || type === 'slack') {
    const url = str(p, c, 'url', '/config');
    if (url && !/^https?:\/\//i.test(url)) p.add('/config/url', 'must be an http(s) URL');
    if (type === 'webhook') {
      let secret = c.secret === undefined ? randomBytes(32).toString('base64url') : String(c.secret);
      if (typeof c.secret !== 'undefined' && (typeof c.secret !== 'string' || c.secret.length < 16)) {
        p.add(
          '/config/secret',
          'must be a string of at least 16 characters (or leave it out to have one generated)',
        );
        secret = '';
      }
      config = { url, secret };
    } else config = { url };
  } else if (type === 'email') {
    const host = str(p, c, 'host', '/config', 253);
    const port = c.port ?? 587;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)
      p.add('/config/port', 'must be a port number 1-65535');
    const security = (c.security ?? 'starttls') as EmailConfig['security'];
    if (!['starttls', 'tls', 'none'].includes(security))
      p.add('/config/security', 'must be starttls, tls or none');
    const from = str(p, c, 'from', '/config', 320);
    if (from && !EMAIL.test(from.replace(/^.*<(.+)>$/, '$1')))
      p.add('/config/from', 'must be an e-mail address');
    const to = strList(p, c.to, '/config/to') ?? [];
    if (to.length === 0) p.add('/config/to', 'must list at least one recipient');
    for (const [i, addr] of to.entries())
      if (!EMAIL.test(addr)) p.add(`/config/to/${i}`, 'must be an e-mail address');
    const email: EmailConfig = { host, port: port as number, security, from, to };
    if (c.username !== undefined) email.username = String(c.username);
    if (c.password !== undefined) email.password = String(c.password);
    if (c.ca !== undefined) email.ca = strList(p, c.ca, '/config/ca') ?? [];
    config = email;
  }
  const f = (o.filters ?? {}) as Record<string, unknown>;
  const filters: ChannelFilters = {};
  const kinds = strList(p, f.kinds, '/filters/kinds', knownKinds);
  if (kinds) filters.kinds = kinds;
  const officeIds = strList(p, f.officeIds, '/filters/officeIds');
  if (officeIds) filters.officeIds = officeIds;
  // By default a channel hears openings, reopenings and resolutions; "updated" (a change of
  // severity or affected hosts while open) is opt-in because it can be frequent.
  const eventTypes = strList(p, f.eventTypes, '/filters/eventTypes', NOTICE_TYPES) ?? DEFAULT_EVENT_TYPES;
  filters.eventTypes = eventTypes as NoticeType[];
  const digestMinutes = o.digestMinutes ?? 0;
  // A day is the longest batch that still reads as a notification rather than a report.
  if (
    typeof digestMinutes !== 'number' ||
    !Number.isInteger(digestMinutes) ||
    digestMinutes < 0 ||
    digestMinutes > 1440
  )
    p.add('/digestMinutes', 'must be a whole number of minutes from 0 (off) to 1440');
  const enabled = o.enabled ?? true;
  if (typeof enabled !== 'boolean') p.add('/enabled', 'must be true or false');
  p.throwIfAny();
  return { name, type, config, filters, digestMinutes: digestMinutes as number, enabled: enabled as boolean };
}
