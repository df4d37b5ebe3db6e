/**
 * The Dockerfile (no Docker engine runs on these machines): its build stage
 * is the README's own steps, and those steps are run here, as written, in a
 * clean copy of the repository (the files git tracks or would track, without
 * node_modules, .cache or build output), after which the server starts from
 * that copy and answers, the dashboard and the endpoint probe are built, and
 * the agent executable the agent stage copies exists. The stages' start
 * commands are checked against what the CLI accepts.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../..', import.meta.url));

interface Stage {
  name: string;
  from: string;
  lines: { op: string; args: string }[];
}

/** FROM … AS name, then instructions; continuation lines joined, comments dropped. */
function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const logical = text.replace(/\\\n/g, ' ').split('\n');
  for (const raw of logical) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^([A-Z]+)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`not an instruction: ${line}`);
    const [, op = '', args = ''] = m;
    if (op === 'FROM') {
      const f = /^(\S+)\s+AS\s+(\S+)$/i.exec(args);
      if (!f) throw new Error(`FROM without AS: ${line}`);
      stages.push({ from: f[1] as string, name: f[2] as string, lines: [] });
    } else {
      const stage = stages[stages.length - 1];
      if (!stage) throw new Error(`${op} before FROM`);
      stage.lines.push({ op, args });
    }
  }
  return stages;
}

const stages = parseDockerfile(readFileSync(join(repo, 'Dockerfile'), 'utf8'));
const stage = (name: string) => stages.find((s) => s.name === name) ?? assert.fail(`no stage ${name}`);
const json = (args: string) => JSON.parse(args) as string[];

let copy: string | undefined;
after(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

describe('the Dockerfile', () => {
  test('three stages: build on Node 24, the server, the agent on a plain Debian', () => {
    assert.deepEqual(
      stages.map((s) => [s.name, s.from]),
      [
        ['build', 'node:24-bookworm-slim'],
        ['server', 'node:24-bookworm-slim'],
        ['agent', 'debian:bookworm-slim'],
      ],
    );
    const server = json(stage('server').lines.find((l) => l.op === 'CMD')?.args ?? '[]');
    assert.deepEqual(server.slice(0, 3), ['node', 'packages/cli/bin/netinsights.ts', 'serve']);
    assert.ok(server.includes('0.0.0.0'));
    for (const s of ['server', 'agent'])
      assert.ok(
        stage(s).lines.some((l) => l.op === 'USER' && l.args !== 'root' && l.args !== '0'),
        `${s} does not run as root`,
      );
  });

  test('the build stage’s steps, run in a clean copy of the repository, give a server that starts', async () => {
    copy = mkdtempSync(join(tmpdir(), 'ni-docker-build-'));
    const app = join(copy, 'app');
    // COPY . . with .dockerignore: what git tracks or would track is what a clean checkout has.
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
      cwd: repo,
      encoding: 'utf8',
    })
      .split('\0')
      .filter((f) => f && existsSync(join(repo, f)));
    for (const f of files) {
      mkdirSync(dirname(join(app, f)), { recursive: true });
      cpSync(join(repo, f), join(app, f));
    }
    assert.ok(!existsSync(join(app, 'node_modules')));
    // The machine's npm settings (registry, proxy, CA) stay: they are what a Docker build would be given.
    const env = {
      ...process.env,
      PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
      npm_config_prefer_offline: 'true',
    };
    for (const l of stage('build').lines.filter((x) => x.op === 'RUN'))
      execFileSync('bash', ['-c', l.args], {
        cwd: app,
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
        timeout: 600_000,
      });
    assert.ok(existsSync(join(app, 'packages/web/dist/index.html')), 'the dashboard is built');
    assert.ok(existsSync(join(app, 'packages/probe/dist/netinsights-probe.mjs')), 'the probe is built');
    const agentCopy =
      stage('agent')
        .lines.find((l) => l.op === 'COPY')
        ?.args.split(/\s+/)[1] ?? '';
    assert.ok(
      existsSync(join(app, agentCopy.replace(/^\/app\//, ''))),
      `the agent stage copies ${agentCopy}`,
    );

    // The server stage's command, with a database in the copy and a free port: it serves.
    const cmd = json(stage('server').lines.find((l) => l.op === 'CMD')?.args ?? '[]');
    const args = cmd
      .slice(1)
      .map((a) => (a.startsWith('/var/lib/netinsights/') ? join(copy as string, 'ni.db') : a));
    args[args.indexOf('--port') + 1] = '0';
    args[args.indexOf('--host') + 1] = '127.0.0.1';
    const child = spawn(process.execPath, args, { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 60_000);
        const onData = (d: Buffer) => {
          out += d;
          const m = /(https?:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1] as string);
          }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
      });
      const res = await fetch(new URL('/api/v1/openapi.json', url));
      assert.equal(res.status, 200);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
