/**
 * @module error-codes-doc
 * The error catalog as a Markdown table (code, HTTP status, meaning), written
 * to docs/error-codes.md by `npm run docs:errors`; a test fails when the
 * committed file differs from what this renders.
 */
import { fileURLToPath } from 'node:url';
import { ERRORS, type ErrorSpec } from './errors.ts';

/** The command that rewrites the committed table. */
export const ERROR_CODES_COMMAND = 'npm run docs:errors';

const cell = (s: string) => s.replaceAll('|', '\\|');

/** Rows padded to their column widths, so the Markdown reads as a table unrendered too. */
function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** docs/error-codes.md: its path and its text. */
export function errorCodesDoc(): { file: string; text: string } {
  const specs: ErrorSpec[] = Object.values(ERRORS);
  const rows = specs
    .toSorted((a, b) => a.status - b.status || a.code.localeCompare(b.code))
    .map((e) => [
      `\`${e.code}\``,
      String(e.status),
      cell(e.retired ? `Retired, never reused. ${e.description}` : e.description),
    ]);
  const text = [
    '# Error codes',
    '',
    `Generated from \`packages/protocol/src/errors.ts\` by \`${ERROR_CODES_COMMAND}\`; do not edit by hand.`,
    '',
    'Every error the API answers has the shape `{ "error": { "code", "message", "details"? } }` with the',
    "code's HTTP status; a 429 also carries `Retry-After`. The command line raises some of the same codes",
    '(a bad flag, PAC file, profile or configuration); there the status only classifies the error.',
    'A code is never renamed or reused: a retired code stays in the catalog, marked retired.',
    '',
    table(['code', 'HTTP status', 'meaning'], rows),
    '',
  ].join('\n');
  return { file: fileURLToPath(new URL('../../../docs/error-codes.md', import.meta.url)), text };
}
