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
import { checkOfficeInput, findOverlaps } from './office-input.ts';

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

export function parseOfficeCsv(
  text: string,
  existing: Array<OfficeFields & { id: string }>,
): { offices: OfficeFields[]; issues: RowIssue[] } {
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
      offices: [],
      issues: [{ row: e.lines ?? 1, column: null, message: `not valid CSV: ${e.message}` }],
    };
  }
  const header = records[0]?.map((h) => h.toLowerCase());
  if (!header) return { offices: [], issues: [{ row: 1, column: null, message: 'the file is empty' }] };
  const missing = CSV_COLUMNS.filter((c) => c !== 'address' && !header.includes(c));
  const unknown = header.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
  if (missing.length || unknown.length)
    return {
      offices: [],
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
      offices: [],
      issues: [{ row: 1, column: null, message: `at most ${MAX_ROWS} offices per import` }],
    };

  const issues: RowIssue[] = [];
  const offices: OfficeFields[] = [];
  const accepted: Array<OfficeFields & { id: string }> = [];
  records.slice(1).forEach((cells, i) => {
    const row = i + 2;
    if (cells.length !== header.length) {
      issues.push({
        row,
        column: null,
        message: `has ${cells.length} fields; the header has ${header.length}`,
      });
      return;
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
    const { office, issues: found } = checkOfficeInput(doc);
    for (const f of found) {
      const field = f.path.split('/')[1] ?? '';
      issues.push({ row, column: FIELD_TO_COLUMN[field] ?? null, message: f.message });
    }
    if (!office) return;
    const clashes = findOverlaps(office, [...existing, ...accepted]);
    for (const c of clashes) {
      const other = accepted.find((a) => a.id === c.officeId);
      issues.push({
        row,
        column: FIELD_TO_COLUMN[c.field] ?? null,
        message: `${c.range} overlaps ${c.otherRange} of ${other ? `row ${c.officeId.slice(4)}` : `office "${c.officeName}"`}`,
      });
    }
    if (!clashes.length) {
      offices.push(office);
      accepted.push({ ...office, id: `row:${row}` });
    }
  });
  return { offices, issues };
}
