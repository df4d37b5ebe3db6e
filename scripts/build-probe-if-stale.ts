/**
 * @module build-probe-if-stale
 * Builds the endpoint probe — packages/probe/bin/netinsights-probe.ts and
 * everything it imports — into packages/probe/dist/ when any of its inputs
 * changed since the last build (`--force` always builds; `npm run
 * build:probe`): netinsights-probe.mjs, the chunks it imports when it needs
 * them (chunks/), and quickjs.wasm. The folder is the whole probe: it needs
 * nothing but Node.js 24.
 *
 * Why a bundle: run from TypeScript sources, Node loads its type stripper
 * (~18 MB) and a few hundred module records before the probe does any work;
 * one pre-stripped, minified file skips both. The inputs are exactly the
 * files esbuild read last time (its metafile), plus this script and the lock
 * file, so an edited import anywhere in the graph triggers a rebuild.
 *
 * Code splitting keeps what a run may not need out of the file Node parses at
 * start: the PAC engine (pac-resolver, its JavaScript parser and the QuickJS
 * WebAssembly sandbox, over half of the code) is a chunk read only when
 * `--pac` is given — measured, ~3 MB less peak memory for a run without PAC.
 * Native add-ons are left out: ws only uses bufferutil and utf-8-validate
 * when they can be required, and works without them.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'packages/probe/bin/netinsights-probe.ts');
const dist = join(root, 'packages/probe/dist');
/** The endpoint probe. */
export const PROBE_BUNDLE = join(dist, 'netinsights-probe.mjs');
const chunks = join(dist, 'chunks');
const stampFile = join(dist, '.build-stamp.json');
/** How quickjs-wasi finds its sandbox: one folder up from its code, as dist/ is from dist/chunks/. */
const QUICKJS_WASM_REF = "'../quickjs.wasm'";

interface Stamp {
  digest: string;
  /** What the last build read (from esbuild's metafile), relative to the repository. */
  inputs: string[];
  /** What it wrote: a missing file means a rebuild too. */
  outputs: string[];
}

/** Files whose change always means a rebuild, besides the ones the bundle was made of. */
const ALWAYS = [fileURLToPath(import.meta.url), join(root, 'package-lock.json')];

function digestOf(files: string[]): string {
  const hash = createHash('sha256');
  for (const f of [...new Set([...ALWAYS, ...files])].sort()) {
    hash.update(`${relative(root, f)}\0`);
    hash.update(existsSync(f) ? readFileSync(f) : 'missing');
    hash.update('\0');
  }
  return hash.digest('hex');
}

function isFresh(): boolean {
  if (!existsSync(PROBE_BUNDLE) || !existsSync(stampFile)) return false;
  try {
    const stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as Stamp;
    if (!stamp.outputs.every((f) => existsSync(join(root, f)))) return false;
    return stamp.digest === digestOf(stamp.inputs.map((f) => join(root, f)));
  } catch {
    return false;
  }
}

/** Builds the bundle; returns the files it wrote, relative to the repository. */
export async function buildProbe(): Promise<string[]> {
  const esbuild = await import('esbuild');
  const quickjsEntry = createRequire(import.meta.url).resolve('quickjs-wasi', {
    paths: [join(root, 'packages/probe')],
  });
  const wasm = join(dirname(quickjsEntry), '..', 'quickjs.wasm');
  // Chunk names carry a content hash: clear the old ones rather than let them pile up.
  rmSync(chunks, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { 'netinsights-probe': entry },
    outdir: dist,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: true,
    legalComments: 'eof',
    metafile: true,
    logLevel: 'warning',
    // Optional native add-ons of ws: never shipped, and ws falls back to JavaScript without them.
    external: ['bufferutil', 'utf-8-validate'],
    // CommonJS dependencies (ws) call require() for Node's built-ins; give the ES module a real one.
    banner: {
      js: "import { createRequire as __niCreateRequire } from 'node:module'; const require = __niCreateRequire(import.meta.url);",
    },
    plugins: [
      {
        // The copied quickjs.wasm is only found if quickjs-wasi still looks for it where it did.
        name: 'quickjs-wasm-path',
        setup(build) {
          build.onLoad({ filter: /quickjs-wasi[\\/]dist[\\/]index\.js$/ }, (args) => {
            const text = readFileSync(args.path, 'utf8');
            if (!text.includes(QUICKJS_WASM_REF))
              return {
                errors: [{ text: `quickjs-wasi no longer loads ${QUICKJS_WASM_REF}: update this build` }],
              };
            return undefined;
          });
        },
      },
    ],
  });
  const wasmCopy = join(dist, 'quickjs.wasm');
  copyFileSync(wasm, wasmCopy);
  const outputs = Object.entries(result.metafile.outputs);
  if (!outputs.some(([f]) => resolve(root, f) === PROBE_BUNDLE))
    throw new Error(`esbuild did not write ${relative(root, PROBE_BUNDLE)}`);
  // The entry may not import the PAC engine statically, or every run would parse it.
  const pacChunk = outputs.find(([, o]) => Object.keys(o.inputs).some((i) => i.includes('quickjs-wasi')));
  if (!pacChunk || resolve(root, pacChunk[0]) === PROBE_BUNDLE)
    throw new Error('the PAC engine ended up in the entry file: keep its import dynamic');
  const inputs = Object.keys(result.metafile.inputs).map((f) => resolve(root, f));
  const stamp: Stamp = {
    digest: digestOf(inputs),
    inputs: inputs.map((f) => relative(root, f)),
    outputs: [...outputs.map(([f]) => relative(root, resolve(root, f))), relative(root, wasmCopy)],
  };
  writeFileSync(stampFile, `${JSON.stringify(stamp, null, 1)}\n`);
  return stamp.outputs;
}

/** Builds the bundle unless the last build is of the same inputs; true when it built. */
export async function buildProbeIfStale(): Promise<boolean> {
  if (isFresh()) return false;
  await buildProbe();
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const force = process.argv.includes('--force');
  if (force || !isFresh()) {
    console.error('netinsights: building the endpoint probe…');
    try {
      const files = await buildProbe();
      const kib = files.reduce((sum, f) => sum + statSync(join(root, f)).size, 0) / 1024;
      console.error(
        `netinsights: wrote ${relative(root, dist)}/ (${files.length} files, ${Math.round(kib)} KiB)`,
      );
    } catch (err) {
      console.error(`netinsights: the probe build failed: ${(err as Error).message}`);
      process.exitCode = 1;
    }
  }
}
