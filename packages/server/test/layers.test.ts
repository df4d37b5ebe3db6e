import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

const posix = (path: string) => path.split('\\').join('/');

/** Every source file, as a path relative to src/ with `/` separators. */
const sources = (readdirSync(SRC, { recursive: true }) as string[])
  .filter((f) => f.endsWith('.ts'))
  .map(posix)
  .sort();

/** The src/-relative targets of a file's relative imports and re-exports. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/\bfrom\s+'(\.{1,2}\/[^']+)'|\bimport\(\s*'(\.{1,2}\/[^']+)'/g)) {
    const spec = m[1] ?? m[2]!;
    out.push(posix(relative(SRC, resolve(SRC, dirname(file), spec))));
  }
  return out;
}

const inHttp = (f: string) => f.startsWith('http/');

test('nothing below the HTTP layer imports from http/ (only http/ and server.ts do)', () => {
  const upward = sources
    .filter((f) => !inHttp(f) && f !== 'server.ts')
    .flatMap((f) =>
      importsOf(f)
        .filter(inHttp)
        .map((to) => `${f} -> ${to}`),
    );
  assert.deepEqual(upward, []);
});

test('every route is registered in a module of http/routes/', () => {
  const registers = /\bapp\.(get|head|post|put|patch|delete|route)\(/;
  const outside = sources.filter(
    (f) => !f.startsWith('http/routes/') && registers.test(readFileSync(join(SRC, f), 'utf8')),
  );
  assert.deepEqual(outside, []);
});
