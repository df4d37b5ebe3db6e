/**
 * `--proxy auto`'s readers on the text the real commands print — recorded
 * here by us in each command's own format, because Windows and macOS cannot
 * run in this test: `reg query` of WinINET's Internet Settings, `netsh
 * winhttp show proxy`, `scutil --proxy`, `gsettings get`, resolv.conf
 * search domains — with per-scheme lists, bypass lists, PAC only, direct and
 * garbage. The discovery order runs on a fake system; the Linux and WPAD
 * path runs end to end in os-resolver.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type DiscoverEnv, discoverSystemProxy } from '../src/transport/system-proxy/discover.ts';
import { envProxy, parseGsettings, parseGVariant } from '../src/transport/system-proxy/linux.ts';
import { parseScutilProxy } from '../src/transport/system-proxy/macos.ts';
import { parseNetshWinhttp, parseWininetRegistry } from '../src/transport/system-proxy/windows.ts';
import { searchDomains, wpadCandidates } from '../src/transport/system-proxy/wpad.ts';

const REG_HEAD = '\r\nHKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\r\n';
const reg = (...lines: string[]) => `${REG_HEAD}${lines.map((l) => `    ${l}\r\n`).join('')}\r\n`;

describe('WinINET (reg query)', () => {
  test('ProxyEnable with one server and <local> in ProxyOverride', () => {
    const s = parseWininetRegistry(
      reg(
        'CertificateRevocation    REG_DWORD    0x1',
        'ProxyEnable    REG_DWORD    0x1',
        'ProxyServer    REG_SZ    proxy.contoso.com:8080',
        'ProxyOverride    REG_SZ    <local>;*.contoso.com;10.*',
      ),
    );
    assert.equal(s?.proxy, 'proxy.contoso.com:8080');
    assert.deepEqual(s?.bypass, ['.contoso.com', '10.*']);
    assert.equal(s?.bypassSimpleNames, true);
    assert.match(s?.from ?? '', /WinINET/);
  });

  test('per-scheme ProxyServer: the https= entry is the one HTTPS uses', () => {
    const s = parseWininetRegistry(
      reg(
        'ProxyEnable    REG_DWORD    0x1',
        'ProxyServer    REG_SZ    http=web.contoso.com:80;https=secure.contoso.com:8443;ftp=ftp.contoso.com:21',
      ),
    );
    assert.equal(s?.proxy, 'secure.contoso.com:8443');
  });

  test('AutoConfigURL alone (PAC only, ProxyEnable 0) is the PAC', () => {
    const s = parseWininetRegistry(
      reg(
        'ProxyEnable    REG_DWORD    0x0',
        'ProxyServer    REG_SZ    old-proxy:3128',
        'AutoConfigURL    REG_SZ    http://pac.contoso.com/proxy.pac',
      ),
    );
    assert.equal(s?.pacUrl, 'http://pac.contoso.com/proxy.pac');
    assert.equal(s?.proxy, undefined, 'a disabled ProxyServer is not used');
  });

  test('direct, and garbage, are "nothing set"', () => {
    assert.equal(parseWininetRegistry(reg('ProxyEnable    REG_DWORD    0x0')), undefined);
    assert.equal(
      parseWininetRegistry('ERROR: The system was unable to find the specified registry key.'),
      undefined,
    );
    assert.equal(parseWininetRegistry('\u0000\u0001 noise'), undefined);
  });
});

describe('WinHTTP (netsh winhttp show proxy)', () => {
  test('direct access', () => {
    assert.equal(
      parseNetshWinhttp(
        '\r\nCurrent WinHTTP proxy settings:\r\n\r\n    Direct access (no proxy server).\r\n\r\n',
      ),
      undefined,
    );
  });

  test('a proxy with a bypass list, and a per-scheme list', () => {
    const s = parseNetshWinhttp(
      '\r\nCurrent WinHTTP proxy settings:\r\n\r\n    Proxy Server(s) :  proxy.contoso.com:8080\r\n    Bypass List     :  <local>;*.contoso.com\r\n\r\n',
    );
    assert.equal(s?.proxy, 'proxy.contoso.com:8080');
    assert.deepEqual(s?.bypass, ['.contoso.com']);
    assert.equal(s?.bypassSimpleNames, true);
    const perScheme = parseNetshWinhttp(
      'Current WinHTTP proxy settings:\r\n\r\n    Proxy Server(s) :  http=p1:80;https=p2:443\r\n    Bypass List     :  (none)\r\n',
    );
    assert.equal(perScheme?.proxy, 'p2:443');
    assert.deepEqual(perScheme?.bypass, []);
  });
});

describe('macOS (scutil --proxy)', () => {
  const dict = (...lines: string[]) => `<dictionary> {\n${lines.map((l) => `  ${l}\n`).join('')}}\n`;
  test('HTTPS proxy with exceptions and ExcludeSimpleHostnames', () => {
    const s = parseScutilProxy(
      dict(
        'ExceptionsList : <array> {',
        '  0 : *.local',
        '  1 : 169.254/16',
        '  2 : *.contoso.com',
        '}',
        'ExcludeSimpleHostnames : 1',
        'FTPPassive : 1',
        'HTTPEnable : 1',
        'HTTPPort : 8080',
        'HTTPProxy : web.contoso.com',
        'HTTPSEnable : 1',
        'HTTPSPort : 8443',
        'HTTPSProxy : secure.contoso.com',
      ),
    );
    assert.equal(s?.proxy, 'secure.contoso.com:8443');
    assert.deepEqual(s?.bypass, ['.local', '169.254/16', '.contoso.com']);
    assert.equal(s?.bypassSimpleNames, true);
  });

  test('PAC only; and a disabled PAC with no proxy is direct', () => {
    const pac = parseScutilProxy(
      dict(
        'HTTPEnable : 0',
        'HTTPSEnable : 0',
        'ProxyAutoConfigEnable : 1',
        'ProxyAutoConfigURLString : http://pac.contoso.com/proxy.pac',
        'ProxyAutoDiscoveryEnable : 0',
      ),
    );
    assert.equal(pac?.pacUrl, 'http://pac.contoso.com/proxy.pac');
    assert.equal(
      parseScutilProxy(
        dict('HTTPEnable : 0', 'ProxyAutoConfigEnable : 0', 'ProxyAutoConfigURLString : http://x/p.pac'),
      ),
      undefined,
    );
  });
});

describe('Linux: environment and gsettings', () => {
  test('HTTPS_PROXY with NO_PROXY', () => {
    const s = envProxy({ HTTPS_PROXY: 'http://proxy.corp:3128/', NO_PROXY: 'localhost,.corp' });
    assert.equal(s?.proxy, 'proxy.corp:3128');
    assert.deepEqual(s?.bypass, ['localhost', '.corp']);
    assert.equal(envProxy({}), undefined);
  });

  test('GVariant text as gsettings prints it', () => {
    assert.equal(parseGVariant("'manual'"), 'manual');
    assert.equal(parseGVariant('3128'), 3128);
    assert.deepEqual(parseGVariant("['localhost', '127.0.0.0/8', '*.corp']"), [
      'localhost',
      '127.0.0.0/8',
      '*.corp',
    ]);
    assert.deepEqual(parseGVariant('@as []'), []);
    assert.equal(parseGVariant('No such schema “org.gnome.system.proxy”'), undefined);
  });

  const gs = (values: Record<string, string>) => (schema: string, key: string) => values[`${schema} ${key}`];
  test('manual mode, auto mode with a URL, auto without one (WPAD next), none', () => {
    const manual = parseGsettings(
      gs({
        'org.gnome.system.proxy mode': "'manual'",
        'org.gnome.system.proxy.https host': "'proxy.corp'",
        'org.gnome.system.proxy.https port': '3128',
        'org.gnome.system.proxy ignore-hosts': "['localhost', '*.corp']",
      }),
    );
    assert.equal(manual?.proxy, 'proxy.corp:3128');
    assert.deepEqual(manual?.bypass, ['localhost', '.corp']);
    const auto = parseGsettings(
      gs({
        'org.gnome.system.proxy mode': "'auto'",
        'org.gnome.system.proxy autoconfig-url': "'http://p/x.pac'",
      }),
    );
    assert.equal(auto?.pacUrl, 'http://p/x.pac');
    assert.equal(
      parseGsettings(
        gs({ 'org.gnome.system.proxy mode': "'auto'", 'org.gnome.system.proxy autoconfig-url': "''" }),
      ),
      undefined,
    );
    assert.equal(parseGsettings(gs({ 'org.gnome.system.proxy mode': "'none'" })), undefined);
  });
});

describe('WPAD candidates', () => {
  test('search domains, devolved, never above two labels', () => {
    const domains = searchDomains('# comment\nnameserver 10.0.0.1\nsearch eu.corp.example corp.example\n');
    assert.deepEqual(domains, ['eu.corp.example', 'corp.example']);
    assert.deepEqual(wpadCandidates(domains), [
      'http://wpad.eu.corp.example/wpad.dat',
      'http://wpad.corp.example/wpad.dat',
    ]);
    assert.deepEqual(wpadCandidates(searchDomains('search localdomain\n')), []);
  });
});

describe('discovery order', () => {
  const fake = (over: Partial<DiscoverEnv>): DiscoverEnv => ({
    platform: 'linux',
    env: {},
    run: async () => undefined,
    resolvConf: async () => '',
    fetchPac: async () => undefined,
    ...over,
  });

  test('Windows: WinINET before WinHTTP; WinHTTP when the user has none', async () => {
    const commands: string[] = [];
    const run = async (cmd: string) => {
      commands.push(cmd);
      return cmd === 'netsh'
        ? 'Current WinHTTP proxy settings:\r\n\r\n    Proxy Server(s) :  svc-proxy:8080\r\n'
        : reg('ProxyEnable    REG_DWORD    0x0');
    };
    const found = await discoverSystemProxy(fake({ platform: 'win32', run }));
    assert.deepEqual(commands, ['reg', 'netsh']);
    assert.equal(found.setting?.proxy, 'svc-proxy:8080');
    assert.match(found.setting?.from ?? '', /WinHTTP/);
  });

  test('Linux with nothing set and no gsettings: WPAD through the search domain, else direct with what was tried', async () => {
    const wpad = await discoverSystemProxy(
      fake({
        resolvConf: async () => 'search corp.test\n',
        fetchPac: async (url) =>
          url === 'http://wpad.corp.test/wpad.dat'
            ? 'function FindProxyForURL(){return "DIRECT"}'
            : undefined,
      }),
    );
    assert.equal(wpad.setting?.pacUrl, 'http://wpad.corp.test/wpad.dat');
    assert.match(wpad.setting?.from ?? '', /^WPAD/);
    const none = await discoverSystemProxy(fake({}));
    assert.equal(none.setting, undefined);
    assert.deepEqual(none.tried, ['environment: nothing set', 'gsettings: nothing set']);
  });
});
