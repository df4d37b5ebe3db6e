/**
 * @module served-by
 * Did the origin answer, or a proxy in the path? A genuine certificate chain
 * proves the origin (nothing in between can forge it); otherwise headers a
 * proxy adds (Via, Proxy-Agent, X-Squid-Error, X-Cache) and block-page
 * wording in an error body point at the middlebox.
 */
import type { HttpDetail, TlsVerdict } from '@netinsights/protocol';

const PROXY_HEADERS = ['via', 'proxy-agent', 'x-squid-error', 'x-cache', 'x-bluecoat-via', 'x-zscaler-ip'];
const KEEP_HEADERS = [
  'server',
  'content-type',
  'location',
  ...PROXY_HEADERS,
  'alt-svc',
  'x-ms-request-id',
  'request-id',
];
/** Words that block pages of web filters use; checked only on error answers from a non-genuine path. */
const BLOCK_WORDS =
  /access (to this (site|page|web ?site) )?(is |has been )?(denied|blocked|restricted)|blocked by|web ?filter|content filter|url filter|category|acceptable use|policy violation|this (site|page) (is|has been) blocked/i;

export interface ServedBy {
  servedBy: HttpDetail['servedBy'];
  evidence: string[];
  blockPage: boolean;
  headers: Record<string, string>;
}

export function servedBy(
  status: number,
  headers: Record<string, string>,
  body: Buffer,
  verdict: TlsVerdict | undefined,
): ServedBy {
  const kept: Record<string, string> = {};
  for (const name of KEEP_HEADERS) {
    const v = headers[name];
    if (v !== undefined) kept[name] = v.slice(0, 512);
  }
  const evidence: string[] = [];
  for (const name of PROXY_HEADERS) {
    const v = headers[name];
    if (v !== undefined) evidence.push(`${name}: ${v.slice(0, 200)}`);
  }
  const isHtml =
    /html|text/i.test(headers['content-type'] ?? '') || /^\s*</.test(body.toString('utf8', 0, 64));
  const blockWords = status >= 400 && isHtml && BLOCK_WORDS.test(body.toString('utf8'));
  if (blockWords) evidence.push(`HTTP ${status} with block-page wording in the body`);
  // The origin's own certificate proves the origin answered; a Via header then comes from the service's CDN.
  if (verdict === 'genuine') return { servedBy: 'origin', evidence: [], blockPage: false, headers: kept };
  if (evidence.length > 0)
    return {
      servedBy: 'proxy',
      evidence,
      blockPage: status >= 400 && (blockWords || status === 403 || status === 451),
      headers: kept,
    };
  return { servedBy: 'unknown', evidence, blockPage: false, headers: kept };
}
