/**
 * @module offices/csv-import
 * Office CSV import: header `name,address,city,country,latitude,longitude,
 * lan_subnets,egress_ranges` (subnets separated by spaces or `;`), with an
 * optional `id` column. A row updates the office it names — by `id` when the
 * row has one (an unknown id is an error, never a new office), else by name
 * (case and surrounding spaces ignored) — and creates one otherwise, so the
 * same file can be edited and imported again. Every row is checked —
 * fields, CIDRs, overlaps with the other existing offices and with other
 * rows (an updated office's old ranges are replaced, not overlapped), two
 * rows for one office — and every problem is reported with its row (the
 * line number in the file, header = 1) and column. The caller imports
 * nothing unless all rows pass.
 */
import { parse } from 'csv-parse/sync';
import type { OfficeFields } from '../store/contract.ts';
import { checkOfficeInput, indexOfficeRanges, overlapsIn } from './office-input.ts';

export const CSV_COLUMNS = [
  'id',
  'name',
  'address',
  'city',
  'country',
  'latitude',
  'longitude',
  'lan_subnets',
  'egress_ranges',
] as const;

/** Columns a file may leave out. */
const OPTIONAL_COLUMNS: readonly string[] = ['id', 'address'];

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
  rows: Array<{ row: number; office: OfficeFields; id?: string }>;
  issues: RowIssue[];
}

/** What one row does once the file passed: create an office, or update the one it named. */
export interface PlannedOffice {
  row: number;
  fields: OfficeFields;
  /** The existing office this row replaces; null for a new office. */
  updateId: string | null;
}

/** Checks and parses an office CSV against the tenant's offices: `readOfficeCsv`, then `checkCsvOverlaps`. */
export async function parseOfficeCsv(
  text: string,
  existing: Array<OfficeFields & { id: string }>,
): Promise<{ offices: PlannedOffice[]; issues: RowIssue[] }> {
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
  const missing = CSV_COLUMNS.filter((c) => !OPTIONAL_COLUMNS.includes(c) && !header.includes(c));
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
  const rows: ReadCsv['rows'] = [];
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
    const id = header.includes('id') ? cell('id') : '';
    if (id.length > 128) issues.push({ row, column: 'id', message: 'must be at most 128 characters' });
    else if (office) rows.push({ row, office, ...(id ? { id } : {}) });
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

/** The office a name stands for: case and surrounding spaces do not tell two offices apart. */
const nameKey = (name: string) => name.trim().toLocaleLowerCase('en');

/**
 * Decides what each row does (update by id, update by name, or create), then
 * adds the overlaps with the other existing offices and between rows; the
 * plan is given only when nothing is wrong.
 */
export function checkCsvOverlaps(
  read: ReadCsv,
  existing: Array<OfficeFields & { id: string }>,
): { offices: PlannedOffice[]; issues: RowIssue[] } {
  const issues = [...read.issues];
  const byId = new Map(existing.map((o) => [o.id, o]));
  const byName = new Map(existing.map((o) => [nameKey(o.name), o]));
  const claimedBy = new Map<string, number>();
  const plan: PlannedOffice[] = [];
  for (const { row, office, id } of read.rows) {
    const target = id !== undefined ? byId.get(id) : byName.get(nameKey(office.name));
    if (id !== undefined && !target) {
      issues.push({
        row,
        column: 'id',
        message: `no office with id ${id} in this organisation (leave id empty to create one)`,
      });
      continue;
    }
    // The name must stay unique too: renaming by id onto another office's name would make two of them.
    const named = byName.get(nameKey(office.name));
    if (target && named && named.id !== target.id) {
      issues.push({ row, column: 'name', message: `office "${named.name}" already has this name` });
      continue;
    }
    const key = target ? target.id : `new:${nameKey(office.name)}`;
    const earlier = claimedBy.get(key);
    if (earlier !== undefined) {
      issues.push({
        row,
        column: target && id !== undefined ? 'id' : 'name',
        message: `row ${earlier} is already for ${target ? `office "${target.name}"` : `a new office "${office.name}"`}`,
      });
      continue;
    }
    claimedBy.set(key, row);
    plan.push({ row, fields: office, updateId: target?.id ?? null });
  }
  // The other existing offices and every row in one index, sorted once; an office a row updates is
  // there with the row's ranges only. Each overlap between rows is named by the later row.
  const updated = new Set(plan.flatMap((p) => (p.updateId ? [p.updateId] : [])));
  const index = indexOfficeRanges([
    ...existing.filter((o) => !updated.has(o.id)),
    ...plan.map((p) => ({ ...p.fields, id: `row:${p.row}` })),
  ]);
  const rowOf = (id: string) => (id.startsWith('row:') ? Number(id.slice(4)) : undefined);
  for (const { row, fields } of plan) {
    const clashes = overlapsIn(fields, index, (owner) => {
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
  return { offices: issues.length ? [] : plan, issues };
}
