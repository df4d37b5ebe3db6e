import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildBypassList, formatBypassList } from '../../src/catalog/bypass-list.ts';
import {
  buildFirewallRules,
  csvCell,
  formatFirewallCsv,
  formatFirewallText,
} from '../../src/catalog/firewall.ts';
import { insightHosts } from '../../src/catalog/insight-hosts.ts';
import { snapshotCatalog } from '../../src/catalog/snapshot.ts';

test('the firewall list opens TCP and UDP 443 to *.cloud.microsoft (set 184) and set 193', () => {
  const rules = buildFirewallRules(snapshotCatalog());
  for (const [setId, host] of [
    [184, '*.cloud.microsoft'],
    [193, '*.static.microsoft'],
    [193, '*.usercontent.microsoft'],
  ] as const) {
    const mine = rules.filter((r) => r.destination === host && r.setId === setId);
    assert.deepEqual(
      mine.map((r) => `${r.protocol}/${r.ports}/${r.category}`).sort(),
      ['tcp/443/Default', 'udp/443/Default'],
      host,
    );
  }
});

test('IP-only sets (Teams media, set 11) appear as UDP ranges; set 1 IPs carry TCP 80,443 and UDP 443', () => {
  const rules = buildFirewallRules(snapshotCatalog());
  const media = rules.filter((r) => r.setId === 11);
  assert.ok(media.length > 0);
  assert.ok(
    media.every((r) => r.protocol === 'udp' && r.ports === '3478-3481' && r.destinationType !== 'fqdn'),
  );
  const exch = rules.filter((r) => r.setId === 1 && r.destination === '40.96.0.0/13');
  assert.deepEqual(exch.map((r) => `${r.protocol} ${r.ports} ${r.destinationType}`).sort(), [
    'tcp 80,443 ipv4',
    'udp 443 ipv4',
  ]);
  assert.ok(
    rules.some((r) => r.setId === 1 && r.destination === '2603:1006::/40' && r.destinationType === 'ipv6'),
  );
});

test('the firewall CSV quotes port lists and has one header row', () => {
  const csv = formatFirewallCsv(buildFirewallRules(snapshotCatalog(), { categories: ['Optimize'] }));
  const lines = csv.trimEnd().split('\r\n');
  assert.equal(lines[0], 'setId,serviceArea,category,required,destinationType,destination,protocol,ports');
  assert.ok(lines.includes('1,Exchange,Optimize,true,fqdn,outlook.office365.com,tcp,"80,443"'));
  assert.ok(lines.slice(1).every((l) => l.includes(',Optimize,')));
  assert.match(
    formatFirewallText(buildFirewallRules(snapshotCatalog(), { categories: ['Optimize'] })),
    /allow udp 3478-3481/,
  );
});

test('the firewall list for an insight keeps the covering entries and the IPs of their sets only', () => {
  const rules = buildFirewallRules(snapshotCatalog(), { hosts: ['outlook.office365.com'] });
  // Sets 1 and 2 list the name itself; set 71 covers it with *.office365.com.
  assert.deepEqual(
    [...new Set(rules.map((r) => r.setId))].sort((a, b) => a - b),
    [1, 2, 71],
  );
  const fqdns = new Set(rules.filter((r) => r.destinationType === 'fqdn').map((r) => r.destination));
  assert.deepEqual([...fqdns].sort(), ['*.office365.com', 'outlook.office365.com']);
  assert.ok(rules.some((r) => r.setId === 2 && r.protocol === 'tcp' && r.ports === '143,587,993,995'));
});

test('the bypass list covers every category by default and can be narrowed', () => {
  const all = buildBypassList(snapshotCatalog());
  const patterns = all.entries.map((e) => e.pattern);
  for (const p of [
    '*.cloud.microsoft',
    '*.static.microsoft',
    '*.usercontent.microsoft',
    'outlook.office365.com',
    '*.sharepoint.com',
  ])
    assert.ok(patterns.includes(p), p);
  assert.equal(new Set(patterns).size, patterns.length, 'no duplicates');
  const opt = buildBypassList(snapshotCatalog(), { categories: ['Optimize'] });
  assert.deepEqual(
    opt.entries.map((e) => e.pattern),
    ['outlook.cloud.microsoft', 'outlook.office.com', 'outlook.office365.com', '*.sharepoint.com'],
  );
  const required = buildBypassList(snapshotCatalog(), { requiredOnly: true }).entries.map((e) => e.pattern);
  assert.ok(!required.includes('storage.live.com'), 'set 32 is optional');
});

test('the bypass list for an insight names its entries and the hosts the catalog lacks', () => {
  const sel = { hosts: ['teams.public.onecdn.static.microsoft', 'wiki.corp.example'] };
  const list = buildBypassList(snapshotCatalog(), sel);
  assert.deepEqual(list.entries, [{ pattern: '*.static.microsoft', setIds: [193], categories: ['Default'] }]);
  assert.deepEqual(list.uncovered, ['wiki.corp.example']);
  const text = formatBypassList(list, sel);
  assert.match(text, /^# TLS-inspection bypass list/);
  assert.match(text, /# not in the catalog: wiki\.corp\.example\n\*\.static\.microsoft\n$/);
});

test('a malformed host in a selection is refused with its name', () => {
  assert.throws(
    () => buildBypassList(snapshotCatalog(), { hosts: ['bad host!'] }),
    /host "bad host!" has characters/,
  );
});

test('hosts taken from an insight are kept only when they are plain host names', () => {
  assert.deepEqual(
    insightHosts({
      evidence: {
        affectedHosts: [
          { host: 'M365.cloud.microsoft' },
          { host: 'm365.cloud.microsoft' },
          { host: 'evil");alert(1);("' },
          { host: '*.static.microsoft' },
          { host: 42 },
        ],
      },
    }),
    ['m365.cloud.microsoft'],
  );
  assert.deepEqual(insightHosts({}), []);
});

test('CSV export neutralises formula prefixes (=, +, -, @, tab, CR) so a spreadsheet shows text', () => {
  for (const bad of ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tx', '\rx'])
    assert.ok(csvCell(bad).replace(/^"/, '').startsWith("'"), JSON.stringify(bad));
  assert.equal(csvCell('=1,2'), `"'=1,2"`);
  assert.equal(csvCell('outlook.office365.com'), 'outlook.office365.com');
  assert.equal(csvCell('3478-3481'), '3478-3481');
  assert.equal(csvCell(-1), '-1', 'numbers are numbers');
});
