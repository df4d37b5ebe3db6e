/**
 * @module proxy-answer
 * Reads a proxy's non-2xx answer to CONNECT for what it means, because each
 * meaning sends the admin to a different place:
 *
 * - policy: the proxy's rules forbid the tunnel (403, a block page, squid's
 *   `ERR_ACCESS_DENIED`, tinyproxy's "Access violation") → the proxy's rules;
 * - authentication: 407 with the schemes its `Proxy-Authenticate` headers
 *   offer (RFC 9110 §11.7.1; Basic, NTLM, Negotiate), or the credentials we
 *   sent refused → the proxy's authentication set-up;
 * - upstream failure: the proxy could not resolve or reach the destination
 *   itself (502/503/504; squid's `X-Squid-Error` `ERR_DNS_FAIL`,
 *   `ERR_CONNECT_FAIL`, `ERR_CANNOT_FORWARD`, which squid 5 sends with 500 or
 *   503; tinyproxy's "500 Unable to connect"; the exception pages of
 *   commercial gateways such as Symantec/Broadcom ProxySG's
 *   `dns_unresolved_hostname` or `tcp_error`) → the proxy's own DNS and
 *   egress, not its rules;
 * - anything else: another error status, named as such.
 *
 * When a commercial gateway's mark is on the answer (gateway-vendor.ts),
 * the message names the product, and the ids its page carries decide the
 * meaning before the status does.
 */
import type { FailOutcome } from '@netinsights/protocol';
import { fail } from '@netinsights/protocol';
import { gatewayMeaning, identifyGateway } from './gateway-vendor.ts';

/** The parts of a proxy's answer the classification reads. */
export interface ProxyAnswer {
  status: number;
  reason: string;
  /** Lower-case names; repeated headers joined with ", " (RFC 9110 §5.3). */
  headers: Record<string, string>;
  /** The start of the body (an error or block page), if any. */
  body: string;
}

/** squid's error page ids (`X-Squid-Error: ERR_… <errno>`) by meaning. */
const SQUID_UPSTREAM_DNS = new Set(['ERR_DNS_FAIL']);
const SQUID_UPSTREAM = new Set([
  'ERR_CONNECT_FAIL',
  'ERR_CANNOT_FORWARD',
  'ERR_READ_TIMEOUT',
  'ERR_GATEWAY_FAILURE',
  'ERR_READ_ERROR',
  'ERR_WRITE_ERROR',
  'ERR_ZERO_SIZE_OBJECT',
]);
const SQUID_POLICY = new Set([
  'ERR_ACCESS_DENIED',
  'ERR_FORWARDING_DENIED',
  'ERR_TOO_BIG',
  'ERR_CONFLICT_HOST',
]);

/**
 * Words of error pages that name a resolution failure at the proxy: squid's
 * ERR_DNS_FAIL page, ProxySG's `dns_unresolved_hostname` /
 * `dns_server_failure`, and the generic phrasings gateways use.
 */
const DNS_WORDS =
  /dns_unresolved_hostname|dns_server_failure|unable to determine ip address|could not resolve|cannot resolve|unable to resolve|could not be resolved|name resolution|unknown host|dns (?:failure|lookup failed)/i;
/** Words that name a connect failure at the proxy (tinyproxy, ProxySG `tcp_error`, generic pages). */
const CONNECT_WORDS =
  /unable to connect|could not connect|cannot connect|connection (?:refused|failed|timed out)|tcp_error|gateway_timeout|network error|upstream/i;

/** The scheme names offered in a `Proxy-Authenticate` value (one or many challenges). */
export function authSchemes(value: string | undefined): string[] {
  if (!value) return [];
  // Challenges and their parameters are both comma-separated; a scheme is a
  // token that is not followed by "=" (RFC 9110 §11.3), quoted strings aside.
  const pieces = value.replace(/"(?:[^"\\]|\\.)*"/g, '""').split(',');
  const schemes: string[] = [];
  for (const piece of pieces) {
    const trimmed = piece.trim();
    // `realm=""` and other auth-params belong to the challenge before them.
    if (!trimmed || /^[^\s=]+\s*=/.test(trimmed)) continue;
    const m = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/.exec(trimmed);
    if (!m) continue;
    const name = m[0];
    const known = ['Basic', 'Digest', 'NTLM', 'Negotiate', 'Kerberos', 'Bearer'].find(
      (s) => s.toLowerCase() === name.toLowerCase(),
    );
    const scheme = known ?? name;
    if (!schemes.includes(scheme)) schemes.push(scheme);
  }
  return schemes;
}

/** The first word of `X-Squid-Error`, e.g. `ERR_CONNECT_FAIL` of `ERR_CONNECT_FAIL 111`. */
function squidError(headers: Record<string, string>): string | undefined {
  return headers['x-squid-error']?.trim().split(/\s+/)[0]?.toUpperCase() || undefined;
}

/**
 * The outcome for a proxy's non-2xx answer to `CONNECT host`. `said` is
 * the line that names the proxy and its status; `sentCredentials` whether the
 * probe sent Proxy-Authorization.
 */
export function classifyProxyAnswer(
  answer: ProxyAnswer,
  host: string,
  said: string,
  sentCredentials: boolean,
): FailOutcome {
  const vendor = identifyGateway(answer);
  const outcome = classifyByMeaning(answer, host, said, sentCredentials);
  if (!vendor) return outcome;
  return { ...outcome, message: `${outcome.message}; answered by ${vendor.name} (${vendor.mark})` };
}

function classifyByMeaning(
  answer: ProxyAnswer,
  host: string,
  said: string,
  sentCredentials: boolean,
): FailOutcome {
  const squid = squidError(answer.headers);
  const text = `${answer.reason}\n${answer.body}`;
  if (answer.status === 407) {
    const schemes = authSchemes(answer.headers['proxy-authenticate']);
    const offered = schemes.length
      ? `it offers ${schemes.join(', ')}`
      : 'it names no authentication scheme (no Proxy-Authenticate header)';
    if (sentCredentials)
      return fail('proxy', 'auth-rejected', `${said}: the proxy refused the credentials given; ${offered}`);
    const canDo = schemes.includes('Basic')
      ? ' (Basic can be given with --proxy http://user:password@host:port)'
      : schemes.length
        ? '; the probe speaks only Basic'
        : '';
    return fail('proxy', 'auth-required', `${said}: the proxy wants credentials; ${offered}${canDo}`);
  }
  if (squid && SQUID_POLICY.has(squid))
    return fail(
      'proxy',
      'forbidden',
      `${said}: the proxy's rules do not allow tunnels to ${host} (${squid})`,
    );
  if (squid && SQUID_UPSTREAM_DNS.has(squid))
    return fail('proxy', 'upstream-dns', `${said}: the proxy could not resolve ${host} itself (${squid})`);
  if (squid && SQUID_UPSTREAM.has(squid))
    return fail(
      'proxy',
      'bad-gateway',
      `${said}: the proxy could not reach ${host} itself (${squid}), its rules allowed the tunnel`,
    );
  // A gateway's own exception id says more than its status (ProxySG sends some with 200 or 403).
  const page = gatewayMeaning(answer.body);
  if (page?.meaning === 'upstream-dns')
    return fail('proxy', 'upstream-dns', `${said}: the proxy could not resolve ${host} itself (${page.id})`);
  if (page?.meaning === 'upstream')
    return fail(
      'proxy',
      'bad-gateway',
      `${said}: the proxy could not reach ${host} itself (${page.id}), its rules allowed the tunnel`,
    );
  if (page?.meaning === 'auth')
    return sentCredentials
      ? fail('proxy', 'auth-rejected', `${said}: the proxy refused the credentials given (${page.id})`)
      : fail('proxy', 'auth-required', `${said}: the proxy wants the user authenticated (${page.id})`);
  if (page?.meaning === 'policy')
    return fail(
      'proxy',
      'forbidden',
      `${said}: the proxy's rules do not allow tunnels to ${host} (${page.id})`,
    );
  const gatewayStatus = answer.status === 502 || answer.status === 503 || answer.status === 504;
  if ((gatewayStatus || answer.status === 500) && DNS_WORDS.test(text))
    return fail('proxy', 'upstream-dns', `${said}: the proxy could not resolve ${host} itself`);
  if (gatewayStatus || (answer.status === 500 && CONNECT_WORDS.test(text)))
    return fail('proxy', 'bad-gateway', `${said}: the proxy could not reach ${host} itself`);
  if (answer.status === 403 || answer.status === 451)
    return fail('proxy', 'forbidden', `${said}: the proxy's rules do not allow tunnels to ${host}`);
  return fail('proxy', 'refused', said);
}
