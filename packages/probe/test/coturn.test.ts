/**
 * The probe's STUN against a real third-party server: Debian's coturn
 * (`turnserver`) in STUN-only mode on a free loopback port, no config file,
 * no CLI, logging to stdout. Its answers must parse and the reflexive
 * address must be our own socket, 127.0.0.1:<client port>. Skips, saying
 * so, when coturn is not installed (CI installs it).
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bindingRequest, parseBindingResponse } from '../src/transport/stun.ts';
import { type ExternalProcess, startExternal, which } from './helpers/external-proxy.ts';
import { testPki } from './helpers/fixture.ts';
import { LENIENT, runAgainst } from './helpers/teams-media-run.ts';

const turnserver = which('turnserver');

/** One Binding exchange from a fresh socket: the answer's parse and our local port. */
function bindOnce(port: number, waitMs = 1_000) {
  return new Promise<{ parsed?: ReturnType<typeof parseBindingResponse>; localPort: number; tid: Buffer }>(
    (resolve) => {
      const socket = createSocket('udp4');
      const req = bindingRequest();
      const done = (parsed?: ReturnType<typeof parseBindingResponse>) => {
        clearTimeout(timer);
        const localPort = socket.address().port;
        socket.close();
        resolve({ ...(parsed ? { parsed } : {}), localPort, tid: req.transactionId });
      };
      const timer = setTimeout(() => done(), waitMs);
      socket.on('message', (msg) => done(parseBindingResponse(msg)));
      socket.on('error', () => {});
      socket.bind(0, '127.0.0.1', () => socket.send(req.datagram, port, '127.0.0.1'));
    },
  );
}

describe('STUN against coturn', {
  skip: turnserver ? false : 'coturn is not installed (apt-get install coturn)',
}, () => {
  let turn: ExternalProcess;
  before(async () => {
    turn = await startExternal({
      binary: turnserver ?? 'turnserver',
      args: (dir, port) => [
        '-n', // no configuration file
        '--stun-only',
        '--listening-ip',
        '127.0.0.1',
        '--listening-port',
        String(port),
        '--no-cli',
        '--no-tls',
        '--no-dtls',
        '--log-file',
        'stdout',
        '--simple-log',
        '--pidfile',
        join(dir, 'turnserver.pid'),
        '--userdb',
        join(dir, 'turndb'),
      ],
    });
    // Listening on TCP does not prove the UDP listener is up: poll it, bounded.
    for (let i = 0; i < 50; i++) {
      if ((await bindOnce(turn.port, 200)).parsed?.ok) return;
    }
    throw new Error(`coturn never answered STUN on UDP ${turn.port}:\n${turn.output().slice(-2000)}`);
  });
  after(() => turn?.stop());

  test('a Binding request is answered with our transaction id and XOR-MAPPED-ADDRESS 127.0.0.1:<our port>', async () => {
    const { parsed, localPort, tid } = await bindOnce(turn.port);
    assert.ok(parsed?.ok, `no parsable answer: ${JSON.stringify(parsed)}`);
    assert.deepEqual(parsed.transactionId, tid);
    assert.equal(parsed.xor, true);
    assert.deepEqual(parsed.mapped, { family: 'IPv4', address: '127.0.0.1', port: localPort });
  });

  test('the Teams media check against coturn: every request answered, reflexive address right, TCP fallback works', async () => {
    const r = await runAgainst([turn.port], turn.port, {
      genuineRoot: (await testPki()).genuineRoot,
      seconds: 0.5,
      thresholds: LENIENT,
    });
    assert.equal(r.outcome.status, 'ok', JSON.stringify(r.outcome));
    const t = r.teamsMedia;
    assert.ok(t);
    assert.ok(t.sent >= 20);
    assert.equal(t.answered, t.sent);
    assert.equal(t.badAnswers, 0);
    assert.match(t.reflexive ?? '', /^127\.0\.0\.1:\d+$/);
    assert.notEqual(t.reflexive, `127.0.0.1:${turn.port}`);
    assert.equal(t.tcpFallback?.ok, true);
  });
});
