/**
 * @module catalog/host-pattern
 * The catalog's URL entries are host names or shell-style patterns
 * (`*.cloud.microsoft`, `*cdn.onenote.net`, `autodiscover.*.onmicrosoft.com`).
 * This file validates them, matches host names against them, and turns
 * them into PAC expressions with the same meaning.
 */

const LABEL_CHARS = /^[a-z0-9*-]+$/;

/**
 * Returns why `pattern` is not a usable host pattern, or undefined when it is.
 * RFC 1035 §2.3.4: names are at most 253 characters, labels at most 63.
 */
export function hostPatternProblem(pattern: string): string | undefined {
  if (pattern.length === 0) return 'is empty';
  if (pattern.length > 253) return 'is longer than 253 characters';
  if (pattern.includes('://') || pattern.includes('/'))
    return `"${pattern}" looks like a URL; only host names and wildcards belong here`;
  for (const label of pattern.toLowerCase().split('.')) {
    if (label === '') return `"${pattern}" has an empty label`;
    if (label.length > 63) return `"${pattern}" has a label longer than 63 characters`;
    if (!LABEL_CHARS.test(label)) return `"${pattern}" has characters other than letters, digits, "-", "*"`;
  }
  return undefined;
}

/** Why `host` is not a plain host name (no wildcards), or undefined. */
export function hostNameProblem(host: string): string | undefined {
  if (host.includes('*')) return `"${host}" is a pattern, not a host name`;
  return hostPatternProblem(host);
}

const regexCache = new Map<string, RegExp>();

function patternRegex(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    // Same meaning as the PAC shExpMatch: `*` stands for any run of characters, dots included.
    const body = pattern
      .toLowerCase()
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\-]/g, '\\$&'))
      .join('.*');
    re = new RegExp(`^${body}$`);
    regexCache.set(pattern, re);
  }
  return re;
}

/** True when `host` (case-insensitive) is covered by `pattern`. */
export function hostMatches(host: string, pattern: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (!pattern.includes('*')) return h === pattern.toLowerCase();
  return patternRegex(pattern).test(h);
}

/**
 * The PAC expression (over a lower-cased `host` variable) that is true exactly
 * for the hosts `pattern` covers. `*.x` becomes `dnsDomainIs(host, ".x")`,
 * the cheapest test that browsers implement natively; other wildcards use
 * `shExpMatch`; plain names compare for equality.
 */
export function pacCondition(pattern: string): string {
  const p = pattern.toLowerCase();
  if (!p.includes('*')) return `host == ${JSON.stringify(p)}`;
  if (p.startsWith('*.') && !p.slice(2).includes('*'))
    return `dnsDomainIs(host, ${JSON.stringify(p.slice(1))})`;
  return `shExpMatch(host, ${JSON.stringify(p)})`;
}
