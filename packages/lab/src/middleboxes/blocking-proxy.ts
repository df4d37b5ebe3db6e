/**
 * @module blocking-proxy
 * A CONNECT proxy that refuses some destinations with 403 and a block page,
 * like a corporate proxy whose allow-list was written before Microsoft moved
 * the apps to `*.cloud.microsoft`, `*.static.microsoft` and
 * `*.usercontent.microsoft`: the old names pass, the new ones are denied.
 */
import {
  type ConnectDecision,
  type ConnectProxy,
  type ConnectProxyOptions,
  type ConnectTarget,
  startConnectProxy,
} from './connect-proxy.ts';

export interface BlockingProxyOptions extends Omit<ConnectProxyOptions, 'decide'> {
  /** Domain suffixes to deny, e.g. `static.microsoft` (the name itself and every name under it). */
  deniedSuffixes: string[];
}

export function isDenied(host: string, deniedSuffixes: string[]): string | undefined {
  const h = host.toLowerCase().replace(/\.$/, '');
  return deniedSuffixes.find((s) => h === s.toLowerCase() || h.endsWith(`.${s.toLowerCase()}`));
}

export function startBlockingProxy(options: BlockingProxyOptions): Promise<ConnectProxy> {
  const decide = (target: ConnectTarget): ConnectDecision => {
    const rule = isDenied(target.host, options.deniedSuffixes);
    if (!rule) return { action: 'tunnel' };
    return {
      action: 'respond',
      status: 403,
      reason: 'Forbidden',
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'X-Lab-Policy': `deny *.${rule}` },
      body: blockPage(target.host, rule, options.name),
    };
  };
  return startConnectProxy({ ...options, decide });
}

function blockPage(host: string, rule: string, agent: string): string {
  return [
    '<!doctype html>',
    '<html><head><title>Access denied</title></head><body>',
    '<h1>Access to this site is blocked</h1>',
    `<p>The web policy of your organization does not allow <b>${host}</b> (category: not on the allow-list, rule *.${rule}).</p>`,
    '<p>If you need this site for your work, contact the IT help desk.</p>',
    `<hr><address>${agent}</address>`,
    '</body></html>',
    '',
  ].join('\n');
}
