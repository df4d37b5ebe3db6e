/**
 * @module catalog/parse-catalog
 * Validates an endpoint web-service document (untrusted JSON) and turns it
 * into EndpointSets. Every problem names the set's index, its id when known,
 * the field, and what is wrong, as a JSON pointer plus a sentence, so an
 * admin can fix the file without guessing.
 */
import { isIP } from 'node:net';
import { NetinsightsError } from '@netinsights/protocol';
import { CATEGORIES, type Category, type EndpointSet, type PortRange } from './endpoint-set.ts';
import { hostPatternProblem } from './host-pattern.ts';
import { parsePorts } from './ports.ts';

/** One problem found in a catalog document. */
export interface CatalogIssue {
  /** RFC 6901 pointer, e.g. `/12/category`. */
  path: string;
  message: string;
}

/** Thrown for a catalog that cannot be used; nothing from it is kept. */
export class CatalogError extends NetinsightsError {
  readonly issues: CatalogIssue[];
  constructor(source: string, issues: CatalogIssue[]) {
    const first = issues[0];
    const more =
      issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
    super(
      'NI_ERR_CATALOG_INVALID',
      `endpoint catalog ${source} is invalid: ${first ? `${first.path}: ${first.message}` : 'no details'}${more}`,
      issues,
    );
    this.issues = issues;
  }
}

const MAX_ISSUES = 20;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/** Checks a CIDR string: an IPv4/IPv6 address, a slash, and a prefix length that fits it. */
export function cidrProblem(text: string): string | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return `"${text}" has no prefix length (expected CIDR such as 13.107.6.152/31)`;
  const addr = text.slice(0, slash);
  const bits = text.slice(slash + 1);
  const family = isIP(addr);
  if (family === 0) return `"${text}" does not start with an IPv4 or IPv6 address`;
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return `"${text}" has a prefix length outside 0-${max}`;
  return undefined;
}

/**
 * Parses a catalog document (already JSON-decoded). Throws CatalogError
 * listing up to 20 problems; returns the sets in document order otherwise.
 */
export function parseCatalog(doc: unknown, source = '(input)'): EndpointSet[] {
  const issues: CatalogIssue[] = [];
  const add = (path: string, message: string) => {
    if (issues.length < MAX_ISSUES) issues.push({ path, message });
  };
  if (!Array.isArray(doc)) {
    throw new CatalogError(source, [
      { path: '/', message: `expected a JSON array of endpoint sets, got ${describe(doc)}` },
    ]);
  }
  if (doc.length === 0) throw new CatalogError(source, [{ path: '/', message: 'has no endpoint sets' }]);
  const seen = new Map<number, number>();
  const sets: EndpointSet[] = [];
  doc.forEach((raw: unknown, index) => {
    const at = `/${index}`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      add(at, `endpoint set must be an object, got ${describe(raw)}`);
      return;
    }
    const o = raw as Record<string, unknown>;
    const before = issues.length;
    const id = o.id;
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 1)
      add(`${at}/id`, `must be a positive integer, got ${describe(id)}`);
    else if (seen.has(id)) add(`${at}/id`, `${id} is already used by the set at index ${seen.get(id)}`);
    else seen.set(id, index);
    const label = typeof id === 'number' ? ` (set ${id})` : '';
    const field = (name: string, message: string) => add(`${at}/${name}`, message + label);

    if (typeof o.serviceArea !== 'string' || o.serviceArea.trim() === '')
      field('serviceArea', `must be a non-empty string, got ${describe(o.serviceArea)}`);
    if (o.serviceAreaDisplayName !== undefined && typeof o.serviceAreaDisplayName !== 'string')
      field('serviceAreaDisplayName', `must be a string, got ${describe(o.serviceAreaDisplayName)}`);
    if (o.notes !== undefined && typeof o.notes !== 'string')
      field('notes', `must be a string, got ${describe(o.notes)}`);
    if (typeof o.category !== 'string' || !(CATEGORIES as readonly string[]).includes(o.category))
      field('category', `must be one of ${CATEGORIES.join(', ')}, got ${describe(o.category)}`);
    for (const flag of ['required', 'expressRoute'] as const) {
      if (typeof o[flag] !== 'boolean') field(flag, `must be true or false, got ${describe(o[flag])}`);
    }

    const urls = stringList(o.urls, 'urls', field, (u, i) => {
      const p = hostPatternProblem(u);
      if (p) field(`urls/${i}`, p);
    });
    const ips = stringList(o.ips, 'ips', field, (ip, i) => {
      const p = cidrProblem(ip);
      if (p) field(`ips/${i}`, p);
    });
    const tcpPorts = portsField(o.tcpPorts, 'tcpPorts', field);
    const udpPorts = portsField(o.udpPorts, 'udpPorts', field);
    if (urls.length === 0 && ips.length === 0) field('urls', 'the set lists neither urls nor ips');
    if (o.tcpPorts === undefined && o.udpPorts === undefined)
      field('tcpPorts', 'the set lists neither tcpPorts nor udpPorts');

    if (issues.length > before) return;
    const set: EndpointSet = {
      id: id as number,
      serviceArea: o.serviceArea as string,
      urls: urls.map((u) => u.toLowerCase()),
      ips,
      tcpPorts,
      udpPorts,
      category: o.category as Category,
      required: o.required as boolean,
      expressRoute: o.expressRoute as boolean,
    };
    if (typeof o.serviceAreaDisplayName === 'string') set.serviceAreaDisplayName = o.serviceAreaDisplayName;
    if (typeof o.notes === 'string') set.notes = o.notes;
    sets.push(set);
  });
  if (issues.length > 0) throw new CatalogError(source, issues);
  return sets;
}

/** Parses catalog text (JSON); a syntax error becomes a CatalogError too. */
export function parseCatalogText(text: string, source = '(input)'): EndpointSet[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new CatalogError(source, [{ path: '/', message: `is not valid JSON: ${(err as Error).message}` }]);
  }
  return parseCatalog(doc, source);
}

function stringList(
  value: unknown,
  name: string,
  field: (name: string, message: string) => void,
  each: (s: string, i: number) => void,
): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    field(name, `must be an array of strings, got ${describe(value)}`);
    return [];
  }
  const out: string[] = [];
  value.forEach((v: unknown, i) => {
    if (typeof v !== 'string') field(`${name}/${i}`, `must be a string, got ${describe(v)}`);
    else {
      each(v, i);
      out.push(v);
    }
  });
  return out;
}

function portsField(
  value: unknown,
  name: string,
  field: (name: string, message: string) => void,
): PortRange[] {
  if (value === undefined) return [];
  if (typeof value !== 'string') {
    field(name, `must be a string such as "80,443", got ${describe(value)}`);
    return [];
  }
  const parsed = parsePorts(value);
  if (typeof parsed === 'string') {
    field(name, parsed);
    return [];
  }
  return parsed;
}
