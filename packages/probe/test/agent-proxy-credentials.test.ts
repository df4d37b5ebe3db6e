/**
 * Proxy Basic credentials from the agent's settings, through real Debian
 * squid with `auth_param basic` and basic_ncsa_auth, driven by the agent
 * itself (`netinsights agent --once` as a child process, a real collector on
 * loopback): with `--proxy-credentials FILE` or the installed config's
 * `proxyUser`/`proxyPassword`, every tunnel opens as that user (squid's own
 * access log names it), the report reaches the collector, and the password
 * appears nowhere — not in the log lines, the last-run file, the uploaded
 * report nor `agent status`. A wrong password is proxy/auth-rejected.
 * The credentials parser's bad input ends in a clear line naming the file.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ProxyCredentialsError, parseProxyCredentials } from '../src/agent/proxy-credentials.ts';
import { parseAgentConfigFile } from '../src/agent/service/agent-config-file.ts';
import { startTestCollector, type TestCollector } from './agent-fixture.ts';
import { type ExternalProcess, squidBaseConfig, startExternal, which } from './helpers/external-proxy.ts';
import { ALL_NAMES, HOSTS, type Pki, testPki, testProfile } from './helpers/fixture.ts';
import { type Origin, startGenuineOrigin } from './helpers/origin-server.ts';

const CLI = fileURLToPath(new URL('../../cli/bin/netinsights.ts', import.meta.url));
const USER = 'agent-bob';
const PASSWORD = 'pr0xy:pass-w0rd';

describe('proxy credentials file', () => {
  test('user:password on the first line; the password may hold colons', () => {
    assert.deepEqual(parseProxyCredentials('bob:a:b\nignored\n', 'f'), { user: 'bob', password: 'a:b' });
  });
  test('bad files are a clear line naming the file, never the secret', () => {
    for (const [text, why] of [
      ['', /no user name/],
      [':pw', /no user name/],
      ['bob:', /password after "user:" is empty/],
      ['bob:pw\u0007x', /control character/],
    ] as const) {
      assert.throws(
        () => parseProxyCredentials(text, '/etc/ni/proxy.cred'),
        (err: Error) =>
          err instanceof ProxyCredentialsError &&
          err.message.startsWith('/etc/ni/proxy.cred: ') &&
          why.test(err.message) &&
          !err.message.includes('pw'),
      );
    }
  });
  test('the installed config takes proxyUser and proxyPassword together only', () => {
    const base = { collector: 'https://c.example', token: 'nia_x' };
    assert.equal(
      parseAgentConfigFile({ ...base, proxyUser: 'u', proxyPassword: 'p' }, 'agent.json').proxyUser,
      'u',
    );
    assert.throws(() => parseAgentConfigFile({ ...base, proxyUser: 'u' }, 'agent.json'), /go together/);
    assert.throws(
      () => parseAgentConfigFile({ ...base, proxyUser: 'u:x', proxyPassword: 'p' }, 'agent.json'),
      /must not contain ":"/,
    );
  });
});

test('agent install --proxy-credentials keeps them in the owner-only config, not in the unit nor the output', async () => {
  const root = await mkdtemp(join(tmpdir(), 'ni-agent-install-cred-'));
  try {
    const credFile = join(root, 'proxy.cred');
    await writeFile(credFile, `${USER}:${PASSWORD}\n`, { mode: 0o600 });
    const r = spawnSync(
      process.execPath,
      [
        CLI,
        'agent',
        'install',
        '--os',
        'linux',
        '--root',
        root,
        '--collector',
        'https://ni.example.com',
      ].concat(['--token', 'nia_x', '--proxy-credentials', credFile]),
      { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );
    assert.equal(r.status, 0, r.stderr);
    const configFile = join(root, 'etc/netinsights/agent.json');
    assert.equal(statSync(configFile).mode & 0o777, 0o600);
    const config = JSON.parse(await readFile(configFile, 'utf8'));
    assert.deepEqual([config.proxyUser, config.proxyPassword], [USER, PASSWORD]);
    const unit = await readFile(join(root, 'etc/systemd/system/netinsights-agent.service'), 'utf8');
    assert.equal((unit + r.stdout + r.stderr).includes(PASSWORD), false);
    const missing = spawnSync(
      process.execPath,
      [
        CLI,
        'agent',
        'install',
        '--os',
        'linux',
        '--root',
        root,
        '--collector',
        'https://ni.example.com',
      ].concat(['--token', 'nia_x', '--proxy-credentials', join(root, 'nope')]),
      { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /--proxy-credentials .*nope: cannot be read \(ENOENT\)/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

const squid = which('squid');
const openssl = which('openssl');
describe('the agent through real squid with basic_ncsa_auth', {
  skip: squid && openssl ? false : 'squid or openssl is not installed (apt-get install squid openssl)',
}, () => {
  let proxy: ExternalProcess;
  let pki: Pki;
  let origin: Origin;
  let collector: TestCollector;
  let dir: string;
  before(async () => {
    pki = await testPki();
    origin = await startGenuineOrigin(pki, { h2: true });
    collector = await startTestCollector();
    dir = await mkdtemp(join(tmpdir(), 'ni-agent-proxy-cred-'));
    const hash = spawnSync(openssl ?? 'openssl', ['passwd', '-1', PASSWORD], {
      encoding: 'utf8',
    }).stdout.trim();
    proxy = await startExternal({
      binary: squid ?? 'squid',
      prepare: async (sdir, port) => {
        await writeFile(join(sdir, 'hosts'), `127.0.0.1 ${ALL_NAMES.join(' ')}\n`);
        await writeFile(join(sdir, 'passwd'), `${USER}:${hash}\n`, { mode: 0o644 });
        await writeFile(
          join(sdir, 'squid.conf'),
          [
            ...squidBaseConfig(sdir, port),
            // Only the hosts file: squid never asks a DNS server here.
            'dns_nameservers 127.0.0.1',
            `auth_param basic program /usr/lib/squid/basic_ncsa_auth ${sdir}/passwd`,
            'auth_param basic realm netinsights-agent-test',
            'acl localsrc src 127.0.0.0/8',
            'acl authed proxy_auth REQUIRED',
            // Every tunnel needs the user: nothing passes without the agent's credentials.
            'http_access allow localsrc authed',
            'http_access deny all',
          ].join('\n'),
        );
      },
      args: (sdir) => ['-N', '-f', join(sdir, 'squid.conf')],
    });
    collector.configMode = {
      kind: 'answer',
      body: {
        profile: testProfile({ port: origin.port, genuineRoot: pki.genuineRoot }),
        intervalSeconds: 900,
        wsHoldSeconds: 0.2,
      },
    };
    await writeFile(join(dir, 'root.pem'), pki.genuineRoot.certPem);
  });
  after(async () => {
    await proxy?.stop();
    await origin?.close();
    await collector?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** `netinsights agent --once` with `args`; its exit code, output and the last-run file. */
  async function runAgentOnce(name: string, args: string[]) {
    const state = join(dir, name);
    const child = spawn(
      process.execPath,
      [
        CLI,
        'agent',
        '--once',
        '--state',
        state,
        '--log-format',
        'json',
        '--proxy',
        `http://127.0.0.1:${proxy.port}`,
        '--ca',
        join(dir, 'root.pem'),
        ...args,
      ],
      {
        env: { ...process.env, NO_COLOR: '1', HTTPS_PROXY: '', https_proxy: '', NO_PROXY: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c;
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c;
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    clearTimeout(killer);
    const lastRun = await readFile(join(state, 'last-run.json'), 'utf8').catch(() => '');
    const status = spawnSync(process.execPath, [CLI, 'agent', 'status', '--state', state], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { code, stdout, stderr, lastRun, status: `${status.stdout}${status.stderr}` };
  }

  const secretsIn = (text: string) =>
    [PASSWORD, encodeURIComponent(PASSWORD), Buffer.from(`${USER}:${PASSWORD}`).toString('base64')].filter(
      (s) => text.includes(s),
    );

  test('--proxy-credentials FILE: every tunnel opens as the agent user, and the secret is shown nowhere', async () => {
    const credFile = join(dir, 'proxy.cred');
    await writeFile(credFile, `${USER}:${PASSWORD}\n`, { mode: 0o600 });
    const before = (await collector.storedIds()).length;
    const run = await runAgentOnce('file', [
      '--collector',
      collector.url,
      '--token',
      collector.token,
      '--proxy-credentials',
      credFile,
    ]);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    const record = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}');
    assert.equal(record.outcome, 'done', run.stdout);
    assert.equal(record.report?.healthy, true, run.stdout);
    assert.equal((await collector.storedIds()).length, before + 1, 'the report reached the collector');
    const access = await readFile(join(proxy.dir, 'access.log'), 'utf8');
    const tunnels = access.split('\n').filter((l) => l.includes(`CONNECT ${HOSTS[0]}:${origin.port}`));
    assert.ok(tunnels.length > 0, `squid tunnelled ${HOSTS[0]}:\n${access}`);
    assert.ok(
      tunnels.every((l) => l.includes(` ${USER} `) && /TCP_TUNNEL\/200/.test(l)),
      `every tunnel authenticated as ${USER}:\n${tunnels.join('\n')}`,
    );
    assert.deepEqual(secretsIn(run.stdout + run.stderr + run.lastRun + run.status), [], 'no secret shown');
  });

  test('proxyUser/proxyPassword in the installed config work the same; a wrong password is proxy/auth-rejected', async () => {
    const good = join(dir, 'agent.json');
    await writeFile(
      good,
      JSON.stringify({
        collector: collector.url,
        token: collector.token,
        proxyUser: USER,
        proxyPassword: PASSWORD,
      }),
      { mode: 0o600 },
    );
    const ok = await runAgentOnce('config', ['--config', good]);
    assert.equal(ok.code, 0, `${ok.stdout}\n${ok.stderr}`);
    assert.equal(JSON.parse(ok.stdout.trim().split('\n').at(-1) ?? '{}').report?.healthy, true, ok.stdout);
    assert.deepEqual(secretsIn(ok.stdout + ok.stderr + ok.lastRun + ok.status), []);

    const wrong = join(dir, 'agent-wrong.json');
    await writeFile(
      wrong,
      JSON.stringify({
        collector: collector.url,
        token: collector.token,
        proxyUser: USER,
        proxyPassword: 'not-it',
      }),
      { mode: 0o600 },
    );
    const bad = await runAgentOnce('wrong', ['--config', wrong]);
    assert.equal(bad.code, 1, 'problems found');
    const record = JSON.parse(bad.stdout.trim().split('\n').at(-1) ?? '{}');
    assert.equal(record.report?.healthy, false);
    assert.match(bad.stdout, /auth-rejected|refused the credentials/);
    assert.equal((bad.stdout + bad.stderr + bad.lastRun + bad.status).includes('not-it'), false);
  });
});
