/**
 * @module catalog/ports
 * Parses the web service's port strings ("80,443", "143, 587, 993, 995",
 * "50000-59999") into sorted, merged ranges.
 */
import type { PortRange } from './endpoint-set.ts';

/**
 * Returns the ranges in a port string, or a sentence saying what is wrong.
 * Ports are 1–65535 (RFC 6335 §6: port 0 is reserved and never a destination).
 */
export function parsePorts(text: string): PortRange[] | string {
  const ranges: PortRange[] = [];
  for (const raw of text.split(',')) {
    const token = raw.trim();
    if (token === '') return `has an empty entry in "${text}"`;
    const m = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(token);
    if (!m) return `has "${token}", which is neither a port nor a range like 50000-59999`;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from < 1 || from > 65535 || to < 1 || to > 65535) return `has "${token}" outside 1-65535`;
    if (to < from) return `has the reversed range "${token}"`;
    ranges.push({ from, to });
  }
  return mergeRanges(ranges);
}

/** Sorts and merges overlapping or adjacent ranges. */
export function mergeRanges(ranges: readonly PortRange[]): PortRange[] {
  const sorted = [...ranges].sort((a, b) => a.from - b.from);
  const out: PortRange[] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r.from <= last.to + 1) last.to = Math.max(last.to, r.to);
    else out.push({ ...r });
  }
  return out;
}
