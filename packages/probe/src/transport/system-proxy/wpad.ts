/**
 * @module system-proxy/wpad
 * Web Proxy Auto-Discovery through DNS, as Windows and browsers do it: for
 * each DNS search domain, `http://wpad.<domain>/wpad.dat`, then the same one
 * label up ("devolution"), never above a two-label domain — a
 * `wpad.<tld>` is anyone's to register.
 */

/** The search domains of a resolv.conf (`search` and `domain` lines, in order). */
export function searchDomains(resolvConf: string): string[] {
  const out: string[] = [];
  for (const line of resolvConf.split(/\r?\n/)) {
    const m = /^\s*(search|domain)\s+(.+)$/.exec(line);
    if (!m?.[2]) continue;
    for (const d of m[2].split(/\s+/)) {
      const domain = d.trim().replace(/\.$/, '').toLowerCase();
      if (/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain) && !out.includes(domain)) out.push(domain);
    }
  }
  return out;
}

/** Candidate WPAD URLs for the search domains, most specific first. */
export function wpadCandidates(domains: readonly string[]): string[] {
  const urls: string[] = [];
  for (const domain of domains) {
    const labels = domain.split('.');
    for (let i = 0; labels.length - i >= 2; i++) {
      const url = `http://wpad.${labels.slice(i).join('.')}/wpad.dat`;
      if (!urls.includes(url)) urls.push(url);
    }
  }
  return urls;
}
