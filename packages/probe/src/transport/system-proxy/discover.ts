/**
 * @module system-proxy/discover
 * `--proxy auto`: finds the proxy the way the operating system hands it to
 * applications, trying each source in turn and saying which one answered —
 * Windows: the user's WinINET settings, then WinHTTP; macOS: `scutil
 * --proxy`; Linux: the environment, then GNOME's gsettings; everywhere, last,
 * WPAD through the DNS search domains. Every command and fetch is bounded;
 * a source that fails or prints something unreadable is skipped and named
 * in `tried`, never an exception.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { get } from 'node:http';
import { compilePacText, loadPac } from '../pac.ts';
import { type ProxySettings, parseProxyUrl } from '../proxy-selection.ts';
import { envProxy, GSETTINGS_KEYS, parseGsettings } from './linux.ts';
import { parseScutilProxy } from './macos.ts';
import type { SystemProxySetting } from './setting.ts';
import { parseNetshWinhttp, parseWininetRegistry } from './windows.ts';
import { searchDomains, wpadCandidates } from './wpad.ts';

/** How long one command or one WPAD fetch may take. */
const STEP_TIMEOUT_MS = 2_000;
/** A WPAD answer larger than this is not a PAC file. */
const MAX_PAC_BYTES = 1024 * 1024;

/** The system around the discovery; the defaults are the real machine. */
export interface DiscoverEnv {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  /** Runs a command; its stdout, or undefined when it is missing, fails or times out. */
  run(command: string, args: string[]): Promise<string | undefined>;
  /** The resolver configuration (for the DNS search domains); '' when unreadable. */
  resolvConf(): Promise<string>;
  /** Fetches a WPAD URL; the PAC text, or undefined when nothing usable answers. */
  fetchPac(url: string): Promise<string | undefined>;
}

export interface Discovered {
  /** What was found; undefined means direct. */
  setting?: SystemProxySetting;
  /** The PAC text when WPAD found one (its URL is `setting.pacUrl`). */
  pacText?: string;
  /** Each source tried, with what it gave, for the report. */
  tried: string[];
}

export async function discoverSystemProxy(sys: DiscoverEnv): Promise<Discovered> {
  const tried: string[] = [];
  const attempt = (name: string, found: SystemProxySetting | undefined) => {
    tried.push(`${name}: ${found ? (found.pacUrl ?? found.proxy) : 'nothing set'}`);
    return found;
  };
  let found: SystemProxySetting | undefined;
  if (sys.platform === 'win32') {
    const reg = await sys.run('reg', [
      'query',
      'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings',
    ]);
    found = attempt('WinINET', reg === undefined ? undefined : parseWininetRegistry(reg));
    if (!found) {
      const netsh = await sys.run('netsh', ['winhttp', 'show', 'proxy']);
      found = attempt('WinHTTP', netsh === undefined ? undefined : parseNetshWinhttp(netsh));
    }
  } else if (sys.platform === 'darwin') {
    const scutil = await sys.run('scutil', ['--proxy']);
    found = attempt('scutil', scutil === undefined ? undefined : parseScutilProxy(scutil));
  } else {
    found = attempt('environment', envProxy(sys.env));
    if (!found) {
      const values = new Map<string, string | undefined>();
      for (const [schema, key] of GSETTINGS_KEYS)
        values.set(`${schema} ${key}`, await sys.run('gsettings', ['get', schema, key]));
      found = attempt(
        'gsettings',
        values.get('org.gnome.system.proxy mode') === undefined
          ? undefined
          : parseGsettings((schema, key) => values.get(`${schema} ${key}`)),
      );
    }
  }
  if (found) return { setting: found, tried };
  for (const url of wpadCandidates(searchDomains(await sys.resolvConf()))) {
    const text = await sys.fetchPac(url);
    tried.push(`WPAD ${url}: ${text === undefined ? 'no PAC file' : 'found'}`);
    if (text !== undefined)
      return { setting: { from: `WPAD (${url})`, pacUrl: url, bypass: [] }, pacText: text, tried };
  }
  return { tried };
}

/**
 * `--proxy auto` as proxy settings: the discovered PAC (fetched and compiled)
 * or proxy with its bypass list, else direct — each with where it came from.
 */
export async function systemProxySettings(sys: DiscoverEnv): Promise<ProxySettings> {
  const found = await discoverSystemProxy(sys);
  const setting = found.setting;
  const origin = setting ? setting.from : `nothing found (${found.tried.join('; ')})`;
  if (!setting) return { mode: 'direct', noProxy: [], source: 'system', origin };
  if (setting.pacUrl) {
    const pac = found.pacText
      ? await compilePacText(found.pacText, setting.pacUrl)
      : await loadPac(setting.pacUrl);
    return { mode: 'pac', pac, noProxy: [], source: 'system', origin };
  }
  return {
    mode: 'proxy',
    proxy: parseProxyUrl(setting.proxy ?? '', origin),
    noProxy: setting.bypass.map((b) => b.toLowerCase()),
    source: 'system',
    origin,
  };
}

/** The real machine: commands through execFile, resolv.conf from /etc, WPAD over plain HTTP. */
export function machine(env: Record<string, string | undefined>, lookup?: LookupFn): DiscoverEnv {
  return {
    platform: process.platform,
    env,
    run: (command, args) =>
      new Promise((resolve) => {
        execFile(
          command,
          args,
          { timeout: STEP_TIMEOUT_MS, windowsHide: true, encoding: 'utf8' },
          (err, stdout) => resolve(err ? undefined : stdout),
        );
      }),
    resolvConf: () => readFile('/etc/resolv.conf', 'utf8').catch(() => ''),
    fetchPac: (url) => fetchText(url, lookup),
  };
}

/** Resolves a name the way the run does (pins, OS resolver); the first address, or undefined. */
export type LookupFn = (host: string, port: number) => Promise<string | undefined>;

function fetchText(url: string, lookup?: LookupFn): Promise<string | undefined> {
  const u = new URL(url);
  const port = Number(u.port || 80);
  if (!lookup) return fetchPacFrom(url, u.hostname, port);
  return lookup(u.hostname, port).then(
    (address) => (address ? fetchPacFrom(url, address, port) : undefined),
    () => undefined,
  );
}

/**
 * Fetches the PAC file at `url` from `address:port` (the URL's own host goes
 * in the Host header): the PAC text, or undefined for anything but a 200 of
 * at most MAX_PAC_BYTES within STEP_TIMEOUT_MS. The lab serves its WPAD file
 * on a loopback port through this.
 */
export function fetchPacFrom(url: string, address: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const u = new URL(url);
    const req = get(
      {
        host: address,
        port,
        path: u.pathname,
        headers: { host: u.host, 'user-agent': 'netinsights-probe' },
        timeout: STEP_TIMEOUT_MS,
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          resolve(undefined);
          return;
        }
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          if (text.length > MAX_PAC_BYTES) {
            req.destroy();
            resolve(undefined);
          }
        });
        res.on('end', () => resolve(text));
        res.on('error', () => resolve(undefined));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}
