/**
 * Writes profiles/m365.json, the default profile. The domains are wildcard
 * entries of Microsoft's published "Microsoft 365 URLs and IP address ranges"
 * (*.cloud.microsoft, *.static.microsoft, *.usercontent.microsoft), each probed
 * on a few hosts the apps use; the CA names are those of Microsoft's "Azure
 * Certificate Authority details". The root pins are computed from Node's
 * bundled Mozilla store so they are never typed by hand.
 * Run: node packages/protocol/scripts/write-m365-profile.ts
 */
import { createHash, X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { DEFAULT_INTERCEPTOR_VENDORS } from '../src/interceptor-vendors.ts';
import { shippedProfilePath } from '../src/profile-loader.ts';
import type { ExpectedCa, ServiceProfile } from '../src/service-profile.ts';

function rootPin(commonName: string): string {
  for (const pem of rootCertificates) {
    const cert = new X509Certificate(pem);
    if (cert.subject.split('\n').includes(`CN=${commonName}`)) {
      const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
      return createHash('sha256').update(spki).digest('base64');
    }
  }
  throw new Error(`root "${commonName}" is not in Node's bundled store`);
}

const roots: ExpectedCa[] = [
  'DigiCert Global Root G2',
  'Microsoft RSA Root Certificate Authority 2017',
  'Microsoft ECC Root Certificate Authority 2017',
].map((name) => ({ name, role: 'root', spkiSha256: rootPin(name) }));

const issuing: ExpectedCa[] = [
  // Newer root without a pin we can compute offline; matched by name only when
  // the chain also verifies against a trusted store.
  { name: 'Microsoft TLS RSA Root G2', role: 'root' },
  ...['03', '04', '07', '08'].flatMap((n): ExpectedCa[] => [
    { name: `Microsoft Azure RSA TLS Issuing CA ${n}`, role: 'intermediate' },
    { name: `Microsoft Azure ECC TLS Issuing CA ${n}`, role: 'intermediate' },
  ]),
];

const profile: ServiceProfile = {
  id: 'm365',
  name: 'Microsoft 365',
  version: '2026-11-23',
  description:
    'Default profile: the Microsoft 365 domains whose blocking breaks the apps (cloud.microsoft, static.microsoft, usercontent.microsoft), the Copilot WebSocket hub, and the CAs that issue Microsoft 365 certificates. Every field can be overridden.',
  criticalDomains: [
    {
      domain: 'cloud.microsoft',
      hosts: [
        'm365.cloud.microsoft',
        'teams.cloud.microsoft',
        'outlook.cloud.microsoft',
        'm365copilotapp.svc.cloud.microsoft',
      ],
      path: '/',
    },
    {
      domain: 'static.microsoft',
      hosts: [
        'res.public.onecdn.static.microsoft',
        'officeapis.public.onecdn.static.microsoft',
        'teams.public.onecdn.static.microsoft',
        'tscdn.m365.static.microsoft',
      ],
      path: '/',
    },
    {
      domain: 'usercontent.microsoft',
      hosts: ['forms.guest.usercontent.microsoft', 'customerconnect.teams.usercontent.microsoft'],
      path: '/',
    },
  ],
  // Each workload's first host its apps reach (Microsoft's published endpoint sets: Exchange Online,
  // SharePoint Online and OneDrive, Microsoft Teams, and Microsoft 365 Common for Entra ID sign-in).
  workloads: [
    { name: 'Entra ID sign-in', hosts: ['login.microsoftonline.com'], path: '/' },
    { name: 'Exchange Online', hosts: ['outlook.office365.com'], path: '/' },
    {
      name: 'SharePoint and OneDrive',
      hosts: ['{tenant}.sharepoint.com', '{tenant}-my.sharepoint.com'],
      path: '/',
    },
    { name: 'Teams', hosts: ['teams.microsoft.com'], path: '/' },
  ],
  websocket: {
    url: 'wss://substrate.office.com/m365Copilot/Chathub/netinsights-probe',
    echo: false,
    holdSeconds: 5,
  },
  // No public Microsoft 365 object has a published, lasting size, so the shipped URL is the CDN's
  // root (reachability only); a speed needs a large file the admin names (Microsoft's own
  // connectivity test downloads 15 MB from the tenant's SharePoint front door).
  throughput: {
    url: 'https://res.public.onecdn.static.microsoft/',
    maxBytes: 8 * 1024 * 1024,
    maxSeconds: 3,
    slowBelowMbps: 5,
    note: 'Set this URL to a large file (a few MB or more) on your own tenant — e.g. a SharePoint or OneDrive file shared with "Anyone with the link", in its direct-download form — that answers without sign-in and without a redirect (the probe sends no credentials and follows no redirects); or set the download URL once for all agents in the agent settings. No public Microsoft 365 object has a size that can be relied on: the URL shipped here is only the CDN\'s root, which tests reachability, not speed. Until you set one, expect the speed to be reported as "not measured: object too small" (or an HTTP error).',
  },
  quic: { host: 'm365.cloud.microsoft', port: 443, attempts: 3, waitMs: 400 },
  latency: { host: 'm365.cloud.microsoft', port: 443, samples: 5, slowAboveMs: 150 },
  // Microsoft's documented Teams media path: UDP 3478–3481 to the transport relays, with
  // targets of loss < 1 %, RTT < 100 ms and jitter < 30 ms. 2.5 s at 20 ms on four ports is
  // 500 STUN requests (about 30 kB each way) per run.
  teamsMedia: {
    host: 'worldaz.tr.teams.microsoft.com',
    ports: [3478, 3479, 3480, 3481],
    tcpPort: 443,
    durationSeconds: 2.5,
    intervalMs: 20,
    thresholds: { lossPercent: 1, rttMs: 100, jitterMs: 30 },
  },
  // Akamai's whoami name: its authoritative servers answer an A query with the unicast address of
  // the resolver that asked, which is what Microsoft's connectivity test reports as "your DNS resolver".
  resolver: { whoami: 'whoami.akamai.net' },
  http2Hosts: ['m365.cloud.microsoft', 'res.public.onecdn.static.microsoft'],
  // The endpoint sweep dials one real host per catalog wildcard (Microsoft publishes the
  // wildcards, not every name under them); `*.sharepoint.com` stands for the tenant's own site.
  sweep: {
    representativeHosts: {
      '*.protection.outlook.com': 'nam12.safelinks.protection.outlook.com',
      '*.lync.com': 'webdir.online.lync.com',
      '*.teams.cloud.microsoft': 'statics.teams.cloud.microsoft',
      '*.teams.microsoft.com': 'config.teams.microsoft.com',
      '*.sharepoint.com': 'microsoft.sharepoint.com',
      '*.officeapps.live.com': 'word-edit.officeapps.live.com',
      '*.online.office.com': 'excel.online.office.com',
      '*.auth.microsoft.com': 'login.auth.microsoft.com',
      '*.msftidentity.com': 'login.msftidentity.com',
      '*.msidentity.com': 'login.msidentity.com',
      '*.protection.office.com': 'compliance.protection.office.com',
      '*.security.microsoft.com': 'api.security.microsoft.com',
    },
    concurrency: 16,
  },
  expectedCas: [...roots, ...issuing],
  interceptorVendors: DEFAULT_INTERCEPTOR_VENDORS,
};

writeFileSync(shippedProfilePath('m365'), `${JSON.stringify(profile, null, 2)}\n`);
console.log(`wrote ${shippedProfilePath('m365')}`);
