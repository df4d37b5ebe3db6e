/**
 * @module notify/channels/email
 * E-mail over SMTP with nodemailer: STARTTLS (RFC 3207) on the submission
 * port, or implicit TLS (RFC 8314), with optional authentication. The SMTP
 * host is resolved and checked by the SSRF guard first, and the connection
 * is pinned to the checked address while TLS still verifies the host name.
 */
import { isIP } from 'node:net';
import nodemailer from 'nodemailer';
import { isEmailAddress } from '../field-reader.ts';
import {
  absoluteLinks,
  headline,
  noticeLine,
  type OutgoingMessage,
  shownNotices,
  TEST_TEXT,
} from '../notice.ts';
import { checkHost } from '../ssrf-guard.ts';
import type { ChannelDefinition, SendContext, SendOutcome } from './contract.ts';

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

const SECURITY: readonly EmailConfig['security'][] = ['starttls', 'tls', 'none'];

/** How the guard names an SMTP host in its refusals. */
const smtpHost = (host: string) => `SMTP host ${host}`;

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Subject, plain text and HTML of the mail. */
export function emailContent(
  msg: OutgoingMessage,
  publicUrl?: string,
): { subject: string; text: string; html: string } {
  const subject = headline(msg);
  const text: string[] = [subject, ''];
  const html: string[] = [`<h2>${escapeHtml(subject)}</h2>`];
  if (msg.test) {
    text.push(TEST_TEXT);
    html.push(`<p>${escapeHtml(TEST_TEXT)}</p>`);
  }
  const { shown, more } = shownNotices(msg);
  for (const n of shown) {
    const links = absoluteLinks(n.insight.links, publicUrl);
    text.push(noticeLine(n));
    if (n.insight.action && n.type !== 'resolved') text.push(`  What to do: ${n.insight.action}`);
    for (const l of links) text.push(`  ${l.label}: ${l.href}`);
    text.push('');
    html.push(
      `<h3>${escapeHtml(n.insight.title)} — ${escapeHtml(n.insight.officeName)}</h3>`,
      `<p>${escapeHtml(n.insight.summary)}</p>`,
      `<p><small>${escapeHtml(`${n.type} · severity ${n.insight.severity} · ${n.insight.kind} · ${n.at}`)}</small></p>`,
    );
    if (n.insight.action && n.type !== 'resolved')
      html.push(`<p><b>What to do:</b> ${escapeHtml(n.insight.action)}</p>`);
    if (links.length)
      html.push(
        `<ul>${links.map((l) => `<li><a href="${escapeHtml(l.href)}">${escapeHtml(l.label)}</a></li>`).join('')}</ul>`,
      );
  }
  if (more) {
    text.push(more);
    html.push(`<p>${escapeHtml(more)}</p>`);
  }
  return { subject, text: text.join('\n'), html: html.join('\n') };
}

async function sendEmail(config: EmailConfig, msg: OutgoingMessage, ctx: SendContext): Promise<SendOutcome> {
  let address: string;
  try {
    const addrs = await checkHost(config.host, smtpHost(config.host), ctx.guard);
    address = addrs[0]!.address;
  } catch (err) {
    const e = err as Error & { code?: string };
    return { ok: false, detail: e.message, retryable: e.code !== 'NI_ERR_TARGET_FORBIDDEN' };
  }
  const timeout = ctx.timeoutMs ?? 15_000;
  const ca = [...(config.ca ?? []), ...(ctx.ca ?? [])];
  const transport = nodemailer.createTransport({
    host: address,
    port: config.port,
    secure: config.security === 'tls',
    requireTLS: config.security === 'starttls',
    ignoreTLS: config.security === 'none',
    // Certificate verification uses the configured name, not the pinned address
    // (an IP literal is checked as such: RFC 6066 §3 forbids IPs in SNI).
    ...(isIP(config.host) ? {} : { servername: config.host }),
    tls: { ...(isIP(config.host) ? {} : { servername: config.host }), ...(ca.length ? { ca } : {}) },
    ...(config.username ? { auth: { user: config.username, pass: config.password ?? '' } } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  const content = emailContent(msg, ctx.publicUrl);
  try {
    const info = await transport.sendMail({
      from: config.from,
      to: config.to,
      ...content,
      headers: { 'X-Netinsights-Delivery': msg.deliveryId },
    });
    return { ok: true, status: 250, detail: String(info.response ?? 'accepted'), retryable: false };
  } catch (err) {
    const e = err as Error & { responseCode?: number; code?: string };
    // RFC 5321 §4.2.1: 4yz replies are transient, 5yz permanent (bad auth, rejected recipient).
    const permanent = e.responseCode !== undefined && e.responseCode >= 500;
    return {
      ok: false,
      ...(e.responseCode !== undefined ? { status: e.responseCode } : {}),
      detail: `SMTP ${e.code ?? 'error'}: ${e.message}`,
      retryable: !permanent,
    };
  } finally {
    transport.close();
  }
}

export const emailChannel: ChannelDefinition<EmailConfig> = {
  type: 'email',
  label: 'E-mail (SMTP)',
  parse(c) {
    const host = c.string('host', 253);
    const port = c.get('port') ?? 587;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)
      c.add('port', 'must be a port number 1-65535');
    const security = (c.get('security') ?? 'starttls') as EmailConfig['security'];
    if (!SECURITY.includes(security)) c.add('security', 'must be starttls, tls or none');
    const from = c.string('from', 320);
    if (from && !isEmailAddress(from.replace(/^.*<(.+)>$/, '$1'))) c.add('from', 'must be an e-mail address');
    const to = c.stringList('to') ?? [];
    if (to.length === 0) c.add('to', 'must list at least one recipient');
    for (const [i, addr] of to.entries())
      if (!isEmailAddress(addr)) c.add(`to/${i}`, 'must be an e-mail address');
    const email: EmailConfig = { host, port: port as number, security, from, to };
    if (c.get('username') !== undefined) email.username = String(c.get('username'));
    if (c.get('password') !== undefined) email.password = String(c.get('password'));
    if (c.get('ca') !== undefined) email.ca = c.stringList('ca') ?? [];
    return email;
  },
  target: (config) => ({ host: config.host, what: smtpHost(config.host) }),
  // The password is needed to log in, so it is stored; the API only says that one is set.
  redact: (config) => ({ ...config, ...(config.password !== undefined ? { password: '(set)' } : {}) }),
  render: emailContent,
  send: sendEmail,
  form: [
    [
      { key: 'host', label: 'SMTP host', input: 'text', required: true },
      {
        key: 'security',
        label: 'Security',
        input: 'select',
        initial: 'starttls',
        options: [
          { value: 'starttls', label: 'STARTTLS' },
          { value: 'tls', label: 'TLS' },
          { value: 'none', label: 'None' },
        ],
        // The usual port of each mode: 587 submission (RFC 6409), 465 implicit TLS (RFC 8314), 25.
        sets: { key: 'port', values: { starttls: '587', tls: '465', none: '25' } },
      },
      { key: 'port', label: 'Port', input: 'number', initial: '587', required: true },
    ],
    [
      { key: 'from', label: 'From', input: 'text', placeholder: 'netinsights@example.com', required: true },
      {
        key: 'to',
        label: 'To',
        input: 'list',
        placeholder: 'noc@example.com, it@example.com',
        hint: 'Separate several addresses with commas.',
        required: true,
      },
    ],
    [
      {
        key: 'username',
        id: 'user',
        label: 'User name',
        input: 'text',
        autoComplete: 'off',
        hint: 'Leave empty for a relay without authentication.',
      },
      {
        key: 'password',
        label: 'Password',
        input: 'password',
        autoComplete: 'new-password',
        requires: 'username',
      },
    ],
  ],
};
