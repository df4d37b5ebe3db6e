/**
 * `agent install | uninstall | status` in a test root (`--root`), run as
 * the CLI is: on Linux the systemd unit that `systemd-analyze verify`
 * accepts without a warning and `systemd-analyze security` rates well; for
 * macOS a launchd plist and for Windows a Task Scheduler task whose XML is
 * well-formed and says start at boot, restart on failure, with the right
 * program and configuration (these two OSes cannot run here). The config
 * holding the token is readable by its owner only. `status` reads what an
 * installed agent left: collector, last run and result, spooled reports,
 * version — after a run that uploaded, and after one whose collector was
 * away (the report waits in the spool and status says so; the next run
 * sends it).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Lab, startLab } from '@netinsights/lab';
import { darwinAccountScript } from '../src/agent/service/service-account.ts';
import { labConfig, startTestCollector, type TestCollector } from './agent-fixture.ts';
import { type ProgramRun, runProgram } from './helpers/run-program.ts';
import { child, parseXml, plistDict } from './helpers/xml-tree.ts';

const cli = fileURLToPath(new URL('../../cli/bin/netinsights.ts', import.meta.url));
const systemdAnalyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((f) => existsSync(f));

type Run = ProgramRun;

function netinsights(args: string[]): Promise<Run> {
  return runProgram(process.execPath, [cli, ...args], {
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', HTTPS_PROXY: '', https_proxy: '' },
  });
}

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ni-agent-service-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `agent install` into a test root; by default for a collector that is never contacted. */
const install = (
  root: string,
  os: string,
  credentials = ['--collector', 'https://ni.example.com', '--token', 'nia_secret-token', '--office', 'hq'],
) => netinsights(['agent', 'install', '--os', os, '--root', root, ...credentials]);

/** `--ca` and `--dns-server` flags that point an agent run at the lab (its CA written to `file`). */
async function labTrustFlags(lab: Lab, file: string): Promise<string[]> {
  const { writeFile } = await import('node:fs/promises');
  const options = lab.probeOptionsFor('healthy-direct');
  await writeFile(file, (options.extraTrustedCas ?? []).join('\n'));
  return ['--ca', file, ...(options.dnsServers ?? []).flatMap((d) => ['--dns-server', d])];
}

describe('agent install on Linux: a hardened systemd unit', () => {
  let root: string;
  let unit: string;
  before(async () => {
    root = join(dir, 'linux');
    const r = await install(root, 'linux');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /to start it, run: systemctl enable --now netinsights-agent\.service/);
    unit = readFileSync(join(root, 'etc/systemd/system/netinsights-agent.service'), 'utf8');
  });

  test('the config with the token is in /etc/netinsights, readable by its owner only', () => {
    const file = join(root, 'etc/netinsights/agent.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const config = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(config.collector, 'https://ni.example.com');
    assert.equal(config.token, 'nia_secret-token');
    assert.equal(config.officeId, 'hq');
    assert.ok(!unit.includes('nia_secret-token'), 'the token is not in the unit');
  });

  test('its own user, a read-only system, state and logs in systemd’s directories, restart on failure', () => {
    for (const line of [
      'DynamicUser=yes',
      'ProtectSystem=strict',
      'NoNewPrivileges=yes',
      'StateDirectory=netinsights',
      'LogsDirectory=netinsights',
      'Restart=on-failure',
      'LoadCredential=agent.json:/etc/netinsights/agent.json',
      'WantedBy=multi-user.target',
    ])
      assert.ok(unit.split('\n').includes(line), line);
    assert.match(unit, /^ExecStart=\S+ \S+ agent --config %d\/agent\.json --state \/var\/lib\/netinsights$/m);
  });

  test('systemd-analyze verify accepts it with no warning', {
    skip: !systemdAnalyze && 'no systemd-analyze',
  }, () => {
    const r = spawnSyncText(systemdAnalyze as string, [
      'verify',
      join(root, 'etc/systemd/system/netinsights-agent.service'),
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr.trim(), '', 'no parse warnings');
  });

  test('systemd-analyze verify does catch a broken unit (the check can fail)', {
    skip: !systemdAnalyze && 'no systemd-analyze',
  }, async () => {
    const { writeFileSync } = await import('node:fs');
    const bad = join(dir, 'broken.service');
    writeFileSync(bad, unit.replace('ProtectSystem=strict', 'ProtectSystem=strictest'));
    assert.match(spawnSyncText(systemdAnalyze as string, ['verify', bad]).stderr, /protect system value/);
  });

  test('systemd-analyze security rates the unit’s exposure below 4 (of 10)', {
    skip: !systemdAnalyze && 'no systemd-analyze',
  }, () => {
    const r = spawnSyncText(systemdAnalyze as string, [
      'security',
      '--offline=yes',
      join(root, 'etc/systemd/system/netinsights-agent.service'),
    ]);
    const level = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(r.stdout + r.stderr)?.[1]);
    assert.ok(level < 4, `exposure ${level}`);
  });

  test('uninstall removes unit and config and keeps the state; --purge removes that too', async () => {
    const state = join(root, 'var/lib/netinsights');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(state, 'spool'), { recursive: true });
    const r = await netinsights(['agent', 'uninstall', '--os', 'linux', '--root', root]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!existsSync(join(root, 'etc/systemd/system/netinsights-agent.service')));
    assert.ok(!existsSync(join(root, 'etc/netinsights/agent.json')));
    assert.ok(existsSync(state), 'state kept');
    const s = await netinsights(['agent', 'status', '--os', 'linux', '--root', root]);
    assert.match(s.stdout, /^installed: {2}no$/m);
    await netinsights(['agent', 'uninstall', '--os', 'linux', '--root', root, '--purge']);
    assert.ok(!existsSync(state), 'state purged');
  });
});

/** Runs a tool and keeps both streams whatever its exit status (warnings come with status 0). */
function spawnSyncText(program: string, args: string[]): Run {
  const r = spawnSync(program, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

describe('agent install for macOS: a launchd daemon', () => {
  test('a well-formed plist: starts at boot, restarts after a failure, logs to /Library/Logs', async () => {
    const root = join(dir, 'darwin');
    const r = await install(root, 'darwin');
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      /launchctl bootstrap system \/Library\/LaunchDaemons\/com\.netinsights\.agent\.plist/,
    );
    const plist = parseXml(
      readFileSync(join(root, 'Library/LaunchDaemons/com.netinsights.agent.plist'), 'utf8'),
    );
    assert.equal(plist.name, 'plist');
    const d = plistDict(child(plist, 'dict') ?? assert.fail('no dict'));
    assert.equal(d.get('Label')?.text, 'com.netinsights.agent');
    const args = d.get('ProgramArguments')?.children.map((c) => c.text) ?? [];
    assert.deepEqual(args.slice(-5), [
      'agent',
      '--config',
      '/Library/Application Support/netinsights/agent.json',
      '--state',
      '/Library/Application Support/netinsights/state',
    ]);
    assert.equal(d.get('RunAtLoad')?.name, 'true');
    assert.equal(plistDict(d.get('KeepAlive') ?? assert.fail()).get('SuccessfulExit')?.name, 'false');
    assert.equal(d.get('StandardOutPath')?.text, '/Library/Logs/netinsights/agent.log');
    assert.equal(
      statSync(join(root, 'Library/Application Support/netinsights/agent.json')).mode & 0o777,
      0o600,
    );
  });

  test('least privilege: the daemon runs as the hidden account _netinsights, made before launchd starts it', async () => {
    const root = join(dir, 'darwin-account');
    const r = await install(root, 'darwin');
    assert.equal(r.status, 0, r.stderr);
    const plist = parseXml(
      readFileSync(join(root, 'Library/LaunchDaemons/com.netinsights.agent.plist'), 'utf8'),
    );
    const d = plistDict(child(plist, 'dict') ?? assert.fail('no dict'));
    assert.equal(d.get('UserName')?.text, '_netinsights');
    assert.equal(d.get('GroupName')?.text, '_netinsights');
    // The order the commands run in: account, folders handed over, config readable by its group, start.
    const shown = r.stdout
      .split('\nto start it, run: ')
      .slice(1)
      .map((c) => c.split(' ')[0]);
    assert.deepEqual(shown, ['/bin/sh', 'chown', 'chown', 'chmod', 'launchctl']);
    assert.match(
      r.stdout,
      /chown -R _netinsights:_netinsights '\/Library\/Application Support\/netinsights\/state' \/Library\/Logs\/netinsights/,
    );
    assert.match(
      r.stdout,
      /chown root:_netinsights '\/Library\/Application Support\/netinsights\/agent\.json'\nto start it, run: chmod 0640 /,
    );
    const script = darwinAccountScript();
    // A real shell parses it (it runs only on macOS, where dscl exists).
    const syntax = spawnSyncText('/bin/sh', ['-n', '-c', script]);
    assert.equal(syntax.status, 0, syntax.stderr);
    assert.match(
      script,
      /^id -u _netinsights >\/dev\/null 2>&1 && exit 0$/m,
      'a re-install keeps the account',
    );
    for (const line of [
      'dscl . -create /Users/_netinsights UserShell /usr/bin/false',
      'dscl . -create /Users/_netinsights NFSHomeDirectory /var/empty',
      'dscl . -create /Users/_netinsights IsHidden 1',
      'dscl . -create /Groups/_netinsights PrimaryGroupID "$id"',
    ])
      assert.ok(script.includes(line), line);
  });

  test('the account script picks the first id from 300 that no user and no group has (run by a real sh)', () => {
    // dscl's `-list … UniqueID` output, as macOS prints it, given to the script's own id search.
    const dsclLists = '_www 70\n_netinsights_old 300\nadmin 80\n_x 302\nstaff 301\n';
    const search = darwinAccountScript()
      .split('\n')
      .filter((l) => l.startsWith('id=') || l.startsWith('used='))
      .map((l) => (l.startsWith('used=') ? `used=$(printf '${dsclLists}' | awk '{print $2}')` : l))
      .join('\n');
    const r = spawnSyncText('/bin/sh', ['-c', `${search}\necho "$id"`]);
    assert.equal(r.stdout.trim(), '303');
  });
});

describe('agent install for Windows: a scheduled task', () => {
  test('UTF-16 task XML: at boot, as LocalService, restart on failure, no time limit, logs to ProgramData', async () => {
    const root = join(dir, 'win32');
    const r = await install(root, 'win32');
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      /schtasks \/Create \/XML C:\\ProgramData\\netinsights\\netinsights-agent-task\.xml \/TN netinsights-agent \/F/,
    );
    const bytes = readFileSync(join(root, 'C/ProgramData/netinsights/netinsights-agent-task.xml'));
    assert.deepEqual([...bytes.subarray(0, 2)], [0xff, 0xfe], 'UTF-16LE byte-order mark');
    const task = parseXml(bytes.subarray(2).toString('utf16le'));
    assert.equal(task.attrs.xmlns, 'http://schemas.microsoft.com/windows/2004/02/mit/task');
    assert.ok(child(task, 'Triggers', 'BootTrigger'), 'starts at boot');
    assert.equal(
      child(task, 'Principals', 'Principal', 'UserId')?.text,
      'S-1-5-19',
      'NT AUTHORITY\\LocalService',
    );
    assert.equal(child(task, 'Settings', 'RestartOnFailure', 'Interval')?.text, 'PT1M');
    assert.equal(child(task, 'Settings', 'ExecutionTimeLimit')?.text, 'PT0S');
    const args = child(task, 'Actions', 'Exec', 'Arguments')?.text ?? '';
    assert.ok(
      args.endsWith(
        'agent --config C:\\ProgramData\\netinsights\\agent.json --state C:\\ProgramData\\netinsights\\state --log-file C:\\ProgramData\\netinsights\\logs\\agent.log',
      ),
      args,
    );
    assert.ok(existsSync(join(root, 'C/ProgramData/netinsights/agent.json')));
  });

  test('least privilege: LocalService with SeChangeNotifyPrivilege only; state and logs granted, the config readable by it alone', async () => {
    const root = join(dir, 'win32-account');
    const r = await install(root, 'win32');
    assert.equal(r.status, 0, r.stderr);
    const bytes = readFileSync(join(root, 'C/ProgramData/netinsights/netinsights-agent-task.xml'));
    const task = parseXml(bytes.subarray(2).toString('utf16le'));
    // RequiredPrivileges is Task Scheduler schema 1.3.
    assert.equal(task.attrs.version, '1.3');
    const principal = child(task, 'Principals', 'Principal') ?? assert.fail('no principal');
    assert.equal(child(principal, 'RunLevel')?.text, 'LeastPrivilege');
    assert.deepEqual(
      child(principal, 'RequiredPrivileges')?.children.map((c) => [c.name, c.text]),
      [['Privilege', 'SeChangeNotifyPrivilege']],
    );
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('to start it, run: '));
    assert.deepEqual(
      lines.map((l) => l.slice('to start it, run: '.length)),
      [
        'icacls C:\\ProgramData\\netinsights\\state /grant *S-1-5-19:(OI)(CI)M /T',
        'icacls C:\\ProgramData\\netinsights\\logs /grant *S-1-5-19:(OI)(CI)M /T',
        'icacls C:\\ProgramData\\netinsights\\agent.json /inheritance:r /grant:r *S-1-5-32-544:F *S-1-5-18:F *S-1-5-19:R',
        'schtasks /Create /XML C:\\ProgramData\\netinsights\\netinsights-agent-task.xml /TN netinsights-agent /F',
        'schtasks /Run /TN netinsights-agent',
      ],
    );
  });
});

describe('agent status after the installed agent ran', () => {
  let lab: Lab;
  let collector: TestCollector;
  let root: string;
  before(async () => {
    lab = await startLab();
    collector = await startTestCollector();
    collector.configMode = { kind: 'answer', body: labConfig(lab) };
    root = join(dir, 'status');
    const r = await install(root, 'linux', ['--collector', collector.url, '--token', collector.token]);
    assert.equal(r.status, 0, r.stderr);
  });
  after(async () => {
    await collector?.close();
    await lab?.close();
  });

  /** One run as the service would start it: its config and state folder, under the test root. */
  async function runOnce(): Promise<Run> {
    return netinsights([
      'agent',
      '--once',
      '--config',
      join(root, 'etc/netinsights/agent.json'),
      '--state',
      join(root, 'var/lib/netinsights'),
      ...(await labTrustFlags(lab, join(dir, 'lab-ca.pem'))),
    ]);
  }
  const status = async () => {
    const r = await netinsights(['agent', 'status', '--os', 'linux', '--root', root]);
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };

  test('before any run: installed, the collector, no run yet, nothing spooled', async () => {
    const s = await status();
    assert.match(s, /^installed: {2}yes \(/m);
    assert.match(s, new RegExp(`^collector: {2}${collector.url.replaceAll('.', '\\.')}$`, 'm'));
    assert.match(s, /^last run: {3}none yet$/m);
    assert.match(s, /^spooled: {4}0 reports waiting/m);
    assert.match(s, /^version: {4}\d+\.\d+\.\d+$/m);
  });

  test('a healthy uploaded run shows as the last run, and the collector lists the agent’s version', async () => {
    // Through to the real collector this time (it records the check-in), with the lab's profile set centrally.
    const put = await collector.putAgentPolicy({
      intervalSeconds: 900,
      wsHoldSeconds: 0.2,
      profile: lab.profile,
    });
    assert.equal(put.status, 200, put.body);
    collector.configMode = { kind: 'forward' };
    const r = await runOnce();
    assert.equal(r.status, 0, r.stderr);
    assert.match(await status(), /^last run: {3}\S+, healthy; uploaded 1$/m);
    // Its check-in: the collector lists this agent's version and device id.
    const deviceId = readFileSync(join(root, 'var/lib/netinsights/device-id'), 'utf8').trim();
    const fleet = await collector.agents();
    assert.deepEqual(
      fleet.items.filter((a) => a.deviceId === deviceId).map((a) => [a.version, a.outOfDate]),
      [[fleet.currentVersion, false]],
    );
    collector.configMode = { kind: 'answer', body: labConfig(lab) };
  });

  test('with the collector away the report waits in the spool, status says so, the next run sends it', async () => {
    await collector.goOffline();
    const stored = (await collector.storedIds()).length;
    await runOnce();
    const away = await status();
    assert.match(away, /^last run: {3}\S+, healthy; upload failed: .+$/m);
    assert.match(away, /^spooled: {4}1 report waiting for the collector$/m);
    await collector.comeBack();
    const r = await runOnce();
    assert.equal(r.status, 0, r.stderr);
    assert.match(await status(), /^spooled: {4}0 reports waiting/m);
    assert.equal((await collector.storedIds()).length, stored + 2, 'the spooled report and the new one');
  });
  test('a collector answering garbage: the run goes on with the last settings and status says why', async () => {
    collector.configMode = {
      kind: 'raw',
      status: 200,
      contentType: 'text/html',
      text: '<html>captive portal</html>',
    };
    try {
      const r = await runOnce();
      assert.equal(r.status, 0, r.stderr);
      assert.match(
        await status(),
        /^last run: {3}\S+, healthy; uploaded 1; collector settings not used: the agent config is not JSON/m,
      );
    } finally {
      collector.configMode = { kind: 'answer', body: labConfig(lab) };
    }
  });
});

describe('an agent installed with an enrollment secret', () => {
  let lab: Lab;
  let collector: TestCollector;
  before(async () => {
    lab = await startLab();
    collector = await startTestCollector();
    collector.configMode = { kind: 'answer', body: labConfig(lab) };
  });
  after(async () => {
    await collector?.close();
    await lab?.close();
  });

  test('trades the secret for its own token on first contact, keeps it, and uses it from then on', async () => {
    const { id, secret } = await collector.createEnrollmentSecret({ name: 'rollout', maxUses: 1 });
    const root = join(dir, 'enroll');
    const r = await install(root, 'linux', ['--collector', collector.url, '--enroll', secret]);
    assert.equal(r.status, 0, r.stderr);
    const config = JSON.parse(readFileSync(join(root, 'etc/netinsights/agent.json'), 'utf8'));
    assert.equal(config.token, undefined);
    assert.equal(config.enrollmentSecret, secret);
    const before = await netinsights(['agent', 'status', '--os', 'linux', '--root', root]);
    assert.match(before.stdout, /^token: {6}none yet/m);
    const state = join(root, 'var/lib/netinsights');
    const trust = await labTrustFlags(lab, join(dir, 'enroll-lab-ca.pem'));
    const first = await netinsights([
      'agent',
      '--once',
      '--config',
      join(root, 'etc/netinsights/agent.json'),
      '--state',
      state,
      ...trust,
    ]);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stderr, /agent: enrolled; the agent token is kept in .*agent-token/);
    const tokenFile = join(state, 'agent-token');
    assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
    assert.match(readFileSync(tokenFile, 'utf8'), /^nia_/);
    // The secret allowed one use: a second run works only because the kept token is used.
    await collector.revokeEnrollmentSecret(id);
    const second = await netinsights([
      'agent',
      '--once',
      '--config',
      join(root, 'etc/netinsights/agent.json'),
      '--state',
      state,
      ...trust,
    ]);
    assert.equal(second.status, 0, second.stderr);
    assert.doesNotMatch(second.stderr, /enrolled/);
    assert.equal((await collector.storedIds()).length >= 2, true);
    const after = await netinsights(['agent', 'status', '--os', 'linux', '--root', root]);
    assert.doesNotMatch(after.stdout, /none yet/);
  });

  test('a revoked or expired secret is refused with the collector’s reason, exit 2, no token kept', async () => {
    const revoked = await collector.createEnrollmentSecret({ name: 'leaked' });
    await collector.revokeEnrollmentSecret(revoked.id);
    const expired = await collector.createEnrollmentSecret({ name: 'short', expiresInHours: 0.0001 });
    await new Promise((r) => setTimeout(r, 500));
    for (const [secret, why] of [
      [revoked.secret, /this enrollment secret was revoked at \S+; ask your administrator for a new one/],
      [expired.secret, /this enrollment secret expired at \S+/],
    ] as const) {
      const state = join(dir, `refused-${Math.random()}`);
      const r = await netinsights([
        'agent',
        '--once',
        '--collector',
        collector.url,
        '--enroll',
        secret,
        '--state',
        state,
      ]);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /netinsights agent: the collector refused enrollment: /);
      assert.match(r.stderr, why);
      assert.ok(!existsSync(join(state, 'agent-token')));
    }
  });
});
