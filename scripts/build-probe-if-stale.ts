/**
 * @module build-probe-if-stale
 * Builds the endpoint probe — packages/probe/bin/netinsights-probe.ts and
 * everything it imports — into one JavaScript file,
 * packages/probe/dist/netinsights-probe.mjs, when any of its inputs changed
 * since the last build (`--force` always builds; `npm run build:probe`).
 *
 * Why a bundle: run from TypeScript sources, Node loads its type stripper
 * (~18 MB) and a few hundred module records before the probe does any work;
 * one pre-stripped, minified file skips both. The inputs are exactly the
 * files esbuild read last time (its metafile), plus this script and the lock
 * file, so an edited import anywhere in the graph triggers a rebuild.
 *
 * The PAC engine (pac-resolver + the QuickJS WebAssembly sandbox) stays a
 * dynamic import, run only when `--pac` is given; its .wasm is copied beside
 * the bundle. Native add-ons are left out: ws only uses bufferutil and
 * utf-8-validate when they can be required, and works without them.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'packages/probe/bin/netinsights-probe.ts');
const dist = join(root, 'packages/probe/dist');
/** The endpoint probe. */
export const PROBE_BUNDLE = join(dist, 'netinsights-probe.mjs');
const stampFile = join(dist, '.build-stamp.json');
const QUICKJS_WASM_REF = "'../quickjs.wasm'";

interface Stamp {
  digest: string;
  inputs: string[];
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
    return stamp.digest === digestOf(stamp.inputs.map((f) => join(root, f)));
  } catch {
    return false;
  }
}

/** Builds the bundle; returns its size in bytes. */
export async function buildProbe(): Promise<number> {
  const esbuild = await import('esbuild');
  const quickjsEntry = createRequire(import.meta.url).resolve('quickjs-wasi', {
    paths: [join(root, 'packages/probe')],
  });
  const wasm = join(dirname(quickjsEntry), '..', 'quickjs.wasm');
  mkdirSync(dist, { recursive: true });
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: PROBE_BUNDLE,
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
        // QuickJS finds its .wasm at ../quickjs.wasm from its own dist/; in the bundle it sits beside us.
        name: 'quickjs-wasm-beside-bundle',
        setup(build) {
          build.onLoad({ filter: /quickjs-wasi[\\/]dist[\\/]index\.js$/ }, (args) => {
            const text = readFileSync(args.path, 'utf8');
            if (!text.includes(QUICKJS_WASM_REF))
              return {
                errors: [{ text: `quickjs-wasi no longer loads ${QUICKJS_WASM_REF}: update this plugin` }],
              };
            return { contents: text.replaceAll(QUICKJS_WASM_REF, "'./quickjs.wasm'"), loader: 'js' };
          });
        },
      },
    ],
  });
  copyFileSync(wasm, join(dist, 'quickjs.wasm'));
  const inputs = Object.keys(result.metafile.inputs).map((f) => resolve(root, f));
  const stamp: Stamp = { digest: digestOf(inputs), inputs: inputs.map((f) => relative(root, f)) };
  writeFileSync(stampFile, `${JSON.stringify(stamp, null, 1)}\n`);
  return result.metafile.outputs[relative(root, PROBE_BUNDLE)]?.bytes ?? 0;
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
      const bytes = await buildProbe();
      console.error(`netinsights: wrote ${relative(root, PROBE_BUNDLE)} (${Math.round(bytes / 1024)} KiB)`);
    } catch (err) {
      console.error(`netinsights: the probe build failed: ${(err as Error).message}`);
      process.exitCode = 1;
    }
  }
}
