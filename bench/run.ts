/**
 * `npm run bench`: runs every bench/*.bench.ts (or those whose names contain
 * the arguments), one after the other so they do not compete for the two
 * cores, and prints a table and then the JSON of all figures.
 * With --json-only, prints only the JSON.
 */
import { globSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchFigure, BenchModule } from './bench-figure.ts';

const args = process.argv.slice(2);
const jsonOnly = args.includes('--json-only');
const filters = args.filter((a) => !a.startsWith('--'));
const files = globSync('bench/*.bench.ts')
  .sort()
  .filter((f) => filters.length === 0 || filters.some((x) => basename(f).includes(x)));

const all: { suite: string; figures: BenchFigure[]; error?: string }[] = [];
for (const file of files) {
  const suite = basename(file, '.bench.ts');
  if (!jsonOnly) console.error(`▶ ${suite}…`);
  try {
    const mod = (await import(pathToFileURL(file).href)) as BenchModule;
    all.push({ suite, figures: await mod.default() });
  } catch (err) {
    all.push({ suite, figures: [], error: (err as Error).stack ?? String(err) });
  }
}

if (!jsonOnly) {
  const rows = all.flatMap(({ suite, figures, error }) =>
    error
      ? [[suite, 'FAILED', '', '', '', error.split('\n')[0] ?? '']]
      : figures.map((f) => [
          suite,
          f.name,
          `${Number(f.value.toPrecision(4))} ${f.unit}`,
          f.target ?? '',
          f.pass === undefined ? '' : f.pass ? 'ok' : 'MISSED',
          f.baseline
            ? `${f.baseline.name}: ${Number(f.baseline.value.toPrecision(4))} ${f.baseline.unit}`
            : (f.note ?? ''),
        ]),
  );
  const head = ['suite', 'figure', 'value', 'target', '', 'baseline / note'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  console.log();
}
console.log(
  JSON.stringify({ node: process.versions.node, at: new Date().toISOString(), suites: all }, null, 2),
);
process.exitCode = all.some((s) => s.error) ? 1 : 0;
