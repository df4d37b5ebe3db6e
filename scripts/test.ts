/**
 * The whole test suite behind `npm test`: lint and format check, type check,
 * then every `*.test.ts` under packages/ and bench/ with node:test.
 * Extra arguments are passed to `node --test` (e.g. a file or --test-name-pattern).
 */
import { spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';

function step(title: string, cmd: string, args: string[]): void {
  console.log(`\n▶ ${title}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`✖ ${title} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

const extra = process.argv.slice(2);
const explicitFiles = extra.filter((a) => a.endsWith('.ts'));
if (explicitFiles.length === 0) {
  step('lint and format (biome)', 'npx', ['biome', 'check', '.']);
  step('type check (tsc)', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
  step('type check the dashboard (tsc)', 'npx', ['tsc', '-p', 'packages/web/tsconfig.json', '--noEmit']);
}
const files = explicitFiles.length > 0 ? [] : globSync('packages/*/test/**/*.test.ts').sort();
step('tests (node:test)', process.execPath, [
  '--test',
  '--test-concurrency=2',
  '--test-timeout=300000',
  // A test file whose tests all finished must not hold the run open (e.g. a browser that is slow
  // to shut down); failures and timeouts are still reported as such.
  '--test-force-exit',
  ...extra,
  ...files,
]);
