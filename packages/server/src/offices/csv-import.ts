/**
 * @module offices/csv-import
 * Office CSV import: header `name,address,city,country,latitude,longitude,
 * lan_subnets,egress_ranges` (subnets separated by spaces or `;`). Every row
 * is checked — fields, CIDRs, overlaps with existing offices and with other
 * rows — and every problem is reported with its row (the line number in the
 * file, header = 1) and column. The caller imports nothing unless all rows
 * pass.
 */
import { parse } from 'csv-parse/sync';
import type { OfficeFields } from '../store/contract.ts';
import { checkOfficeInput, indexOfficeRanges, overlapsIn } from './office-input.ts';

export const CSV_COLUMNS = [
  'name',
  'address',
  'city',
  'country',
  'latitude',
  'longitude',
  'lan_subnets',
  'egress_ranges',
] as const;

const FIELD_TO_COLUMN: Record<string, string> = {
  name: 'name',
  address: 'address',
  city: 'city',
  country: 'country',
  latitude: 'latitude',
  longitude: 'longitude',
  lanSubnets: 'lan_subnets',
  egressRanges: 'egress_ranges',
};

export interface RowIssue {
  row: number;
  column: string | null;
  message: string;
}

const MAX_ROWS = 5000;
/** Subnets and egress ranges in one import, all rows together: bounds the overlap check's work. */
const MAX_RANGES = 50_000;
/** Ranges parsed between two turns of the event loop (a few milliseconds of work). */
const YIELD_EVERY = 200;
/** Problems listed in one answer; the count of the rest is given. */
const MAX_ISSUES = 500;

/** The rows of an office CSV that passed the field checks, and the problems found so far. */
export interface ReadCsv {
  rows: Array<{ row: number; office: OfficeFields }>;
  issues: RowIssue[];
}

/** Checks and parses an office CSV against the tenant's offices: `readOfficeCsv`, then `checkCsvOverlaps`. */
export async function parseOfficeCsv(
  text: string,
  existing: Array<OfficeFields & { id: string }>,
): Promise<{ offices: OfficeFields[]; issues: RowIssue[] }> {
  const read = await readOfficeCsv(text);
  if (read.rows.length === 0 && read.issues.length) return { offices: [], issues: read.issues };
  return checkCsvOverlaps(read, existing);
}

/**
 * The part of an import that needs no database: CSV syntax, the header,
 * every field and CIDR (the costly part, so the route runs it before its
 * transaction), and the bounds on rows and ranges.
 */
export async function readOfficeCsv(text: string): Promise<ReadCsv> {
  let records: string[][];
  try {
    records = parse(text, {
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
    }) as string[][];
  } catch (err) {
    const e = err as Error & { lines?: number };
    return {
      rows: [],
      issues: [{ row: e.lines ?? 1, column: null, message: `not valid CSV: ${e.message}` }],
    };
  }
  const header = records[0]?.map((h) => h.toLowerCase());
  if (!header) return { rows: [], issues: [{ row: 1, column: null, message: 'the file is empty' }] };
  const missing = CSV_COLUMNS.filter((c) => c !== 'address' && !header.includes(c));
  const unknown = header.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
  if (missing.length || unknown.length)
    return {
      rows: [],
      issues: [
        ...missing.map((c) => ({ row: 1, column: c, message: 'missing column in the header' })),
        ...unknown.map((c) => ({
          row: 1,
          column: c,
          message: `unknown column (expected ${CSV_COLUMNS.join(',')})`,
        })),
      ],
    };
  if (records.length - 1 > MAX_ROWS)
    return {
      rows: [],
      issues: [{ row: 1, column: null, message: `at most ${MAX_ROWS} offices per import` }],
    };

  const issues: RowIssue[] = [];
  const rows: Array<{ row: number; office: OfficeFields }> = [];
  let ranges = 0;
  let sinceYield = 0;
  for (const [i, cells] of records.slice(1).entries()) {
    const row = i + 2;
    if (cells.length !== header.length) {
      issues.push({
        row,
        column: null,
        message: `has ${cells.length} fields; the header has ${header.length}`,
      });
      continue;
    }
    const cell = (c: string) => cells[header.indexOf(c)] ?? '';
    const num = (c: string): unknown => {
      const v = cell(c);
      return v === '' ? undefined : Number.isFinite(Number(v)) ? Number(v) : v;
    };
    const list = (c: string) =>
      cell(c)
        .split(/[\s;]+/)
        .filter(Boolean);
    const doc = {
      name: cell('name'),
      address: header.includes('address') ? cell('address') : undefined,
      city: cell('city'),
      country: cell('country'),
      latitude: num('latitude'),
      longitude: num('longitude'),
      lanSubnets: list('lan_subnets'),
      egressRanges: list('egress_ranges'),
    };
    const here = doc.lanSubnets.length + doc.egressRanges.length;
    ranges += here;
    if (ranges > MAX_RANGES) continue;
    // Parsing CIDRs is the costly part: let other requests in every few hundred of them.
    sinceYield += here + 1;
    if (sinceYield >= YIELD_EVERY) {
      sinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const { office, issues: found } = checkOfficeInput(doc);
    for (const f of found) {
      const field = f.path.split('/')[1] ?? '';
      issues.push({ row, column: FIELD_TO_COLUMN[field] ?? null, message: f.message });
    }
    if (office) rows.push({ row, office });
  }
  if (ranges > MAX_RANGES)
    return {
      rows: [],
      issues: [
        {
          row: 1,
          column: null,
          message: `at most ${MAX_RANGES} subnets and ranges per import (got ${ranges})`,
        },
      ],
    };

  return { rows, issues };
}

/** Adds the overlaps with `existing` offices and between rows; the offices are given only when nothing is wrong. */
export function checkCsvOverlaps(
  read: ReadCsv,
  existing: Array<OfficeFields & { id: string }>,
): { offices: OfficeFields[]; issues: RowIssue[] } {
  const { rows } = read;
  const issues = [...read.issues];
  // Existing offices and every row in one index, sorted once; each overlap between rows is named by the later row.
  const index = indexOfficeRanges([...existing, ...rows.map((r) => ({ ...r.office, id: `row:${r.row}` }))]);
  const rowOf = (id: string) => (id.startsWith('row:') ? Number(id.slice(4)) : undefined);
  for (const { row, office } of rows) {
    const clashes = overlapsIn(office, index, (owner) => {
      const other = rowOf(owner.officeId);
      return other === undefined || other < row;
    });
    for (const c of clashes) {
      const other = rowOf(c.officeId);
      issues.push({
        row,
        column: FIELD_TO_COLUMN[c.field] ?? null,
        message: `${c.range} overlaps ${c.otherRange} of ${other !== undefined ? `row ${other}` : `office "${c.officeName}"`}`,
      });
    }
  }
  issues.sort((a, b) => a.row - b.row);
  if (issues.length > MAX_ISSUES) {
    const more = issues.length - MAX_ISSUES;
    issues.length = MAX_ISSUES;
    issues.push({ row: 1, column: null, message: `and ${more} more problems` });
  }
  return { offices: issues.length ? [] : rows.map((r) => r.office), issues };
}
