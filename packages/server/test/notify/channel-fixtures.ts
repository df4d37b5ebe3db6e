/**
 * @module test/notify/channel-fixtures
 * What the shared channel suite (channels.common.test.ts) needs of each
 * channel type: a valid config, bad ones with the path each must be refused
 * under, the secrets its API view must hide, and a real loopback receiver
 * (an HTTP server or an SMTP server on port 0) that accepts, refuses for a
 * while, refuses for good, or is not there at all.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { SMTPServer } from 'smtp-server';
import type { ChannelType } from '../../src/notify/channels/index.ts';
import { listenForTest } from './helpers.ts';

/** How the receiver answers. */
export type Answer = 'accept' | 'transient' | 'permanent' | 'closed';

/** A receiver on loopback, and the config aimed at it. */
export interface FixtureReceiver {
  config: Record<string, unknown>;
  /** The messages that arrived, as text (an HTTP body, or a raw mail). */
  got(): string[];
}

export interface ChannelFixture {
  /** A valid config (as an admin submits it) aimed at a public target. */
  valid: Record<string, unknown>;
  /** The target of `valid` (URL or host). */
  target: string;
  /** What the API view shows of the target, when not all of it (an incoming-webhook URL is a credential). */
  shownTarget?: string;
  /** A valid config aimed at 127.0.0.1. */
  loopback: Record<string, unknown>;
  /** Changes to `valid`, each of which must be refused with exactly this JSON path. */
  bad: Record<string, Record<string, unknown>>;
  /** Strings of `valid` that the API view must never contain. */
  secrets: string[];
  /** The keys of what is shown once, when the channel is created. */
  shownOnce: string[];
  /** The status (HTTP or SMTP reply code) of a transient and a permanent refusal. */
  status: { transient: number; permanent: number };
  receiver(t: TestContext, answer: Answer): Promise<FixtureReceiver>;
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

// RFC 9110 §15.6.4 and §15.5.1: 503 says "later", 400 says the request itself is wrong.
const HTTP_STATUS = { accept: 200, transient: 503, permanent: 400 } as const;

/** An HTTP receiver on 127.0.0.1:0 answering every POST with the status for `answer`. */
async function httpReceiver(t: TestContext, answer: Answer): Promise<{ url: string; got(): string[] }> {
  const got: string[] = [];
  if (answer === 'closed') return { url: `http://127.0.0.1:${await closedPort()}/hook`, got: () => got };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(HTTP_STATUS[answer], { 'content-type': 'text/plain' }).end(answer);
    });
  });
  return { url: `http://127.0.0.1:${await listenForTest(t, server)}/hook`, got: () => got };
}

// RFC 5321 §4.2.1: 451 is a transient local error, 550 a mailbox that does not take mail.
const SMTP_REPLY = { transient: 451, permanent: 550 } as const;

/** A plain SMTP server on 127.0.0.1:0, without TLS or AUTH, refusing recipients as told. */
async function smtpReceiver(t: TestContext, answer: Answer): Promise<{ port: number; got(): string[] }> {
  const got: string[] = [];
  if (answer === 'closed') return { port: await closedPort(), got: () => got };
  const smtp = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    onRcptTo(_address, _session, cb) {
      if (answer === 'accept') return cb();
      const err = new Error(`refused (${answer})`) as Error & { responseCode: number };
      err.responseCode = SMTP_REPLY[answer];
      cb(err);
    },
    onData(stream, _session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        got.push(Buffer.concat(chunks).toString('utf8'));
        cb();
      });
    },
    logger: false,
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => smtp.close(() => r())));
  return { port: (smtp.server.address() as AddressInfo).port, got: () => got };
}

/** Shared by the three HTTP channels: one URL (plus what `extra` adds). */
function httpFixture(extra: Record<string, unknown>, secrets: string[], shownOnce: string[]): ChannelFixture {
  return {
    valid: { url: 'https://hooks.example.com/netinsights', ...extra },
    target: 'https://hooks.example.com/netinsights',
    loopback: { url: 'http://127.0.0.1:8080/hook', ...extra },
    bad: {
      '/config/url': { url: 'ftp://hooks.example.com/x' },
    },
    secrets,
    shownOnce,
    status: { transient: HTTP_STATUS.transient, permanent: HTTP_STATUS.permanent },
    async receiver(t, answer) {
      const rx = await httpReceiver(t, answer);
      return { config: { url: rx.url, ...extra }, got: rx.got };
    },
  };
}

const WEBHOOK_SECRET = 'common-suite-secret-0123456789';
const SMTP_PASSWORD = 'common-suite-password';

const webhook = httpFixture({ secret: WEBHOOK_SECRET }, [WEBHOOK_SECRET], ['secret']);
webhook.bad['/config/secret'] = { secret: 'short' };

const email: ChannelFixture = {
  valid: {
    host: 'smtp.example.com',
    port: 587,
    security: 'starttls',
    username: 'alerts',
    password: SMTP_PASSWORD,
    from: 'netinsights@example.com',
    to: ['noc@example.com'],
  },
  target: 'smtp.example.com',
  loopback: { host: '127.0.0.1', from: 'netinsights@example.com', to: ['noc@example.com'] },
  bad: {
    '/config/host': { host: '' },
    '/config/port': { port: 70000 },
    '/config/security': { security: 'ssl' },
    '/config/from': { from: 'not an address' },
    '/config/to': { to: [] },
    '/config/to/1': { to: ['noc@example.com', 'nobody'] },
    '/config/ca': { ca: 'not a list' },
  },
  secrets: [SMTP_PASSWORD],
  shownOnce: [],
  status: SMTP_REPLY,
  async receiver(t, answer) {
    const rx = await smtpReceiver(t, answer);
    return {
      config: {
        host: '127.0.0.1',
        port: rx.port,
        security: 'none',
        from: 'netinsights@example.com',
        to: ['noc@example.com'],
      },
      got: rx.got,
    };
  },
};

/** One fixture per channel type: a type without one does not compile. */
export const FIXTURES: Record<ChannelType, ChannelFixture> = {
  webhook,
  // The incoming-webhook URL is the credential: the API shows only its origin.
  teams: { ...httpFixture({}, ['/netinsights'], []), shownTarget: 'https://hooks.example.com/…' },
  slack: { ...httpFixture({}, ['/netinsights'], []), shownTarget: 'https://hooks.example.com/…' },
  email,
};
