/**
 * @module http/routes/catalog
 * Remediation artifacts and the endpoint catalog over the API:
 *
 *   GET  /api/v1/remediation/pac?type=1|2&insight=&direct=&proxy=
 *   GET  /api/v1/remediation/bypass-list?insight=&category=&requiredOnly=&format=text|json
 *   GET  /api/v1/remediation/firewall?insight=&category=&requiredOnly=&format=csv|json|text
 *   GET  /api/v1/catalog/versions             versions of this tenant (and the snapshot)
 *   POST /api/v1/catalog/versions             import (body: the endpoint JSON array)
 *   GET  /api/v1/catalog/diff?from=&to=       what changed between two versions
 *
 * With `insight=<id>` an artifact covers only the hosts that insight names
 * (its affected hosts), which is what each insight's "what to do" links to;
 * a `teams-media` insight names no hosts to allow but the Teams media set
 * (Optimize, UDP 3478–3481), so its artifact holds exactly that set; so does
 * a `latency-under-load` insight, whose QoS class is written for that set.
 * The tenant always comes from the credential.
 */
import { NetinsightsError } from '@netinsights/protocol';
import { CATEGORIES, type Category } from '@netinsights/protocol/catalog/endpoint-set.ts';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { audit } from '../../audit/audit-log.ts';
import { buildBypassList, formatBypassList } from '../../catalog/bypass-list.ts';
import { catalogVersion, currentCatalog, importCatalog } from '../../catalog/catalog-service.ts';
import type { CatalogVersion } from '../../catalog/catalog-version.ts';
import { diffCatalogs } from '../../catalog/diff.ts';
import { buildFirewallRules, formatFirewallCsv, formatFirewallText } from '../../catalog/firewall.ts';
import { insightHosts } from '../../catalog/insight-hosts.ts';
import { generatePac } from '../../catalog/pac.ts';
import { pacFallbackFor } from '../../catalog/pac-fallback.ts';
import type { Selection } from '../../catalog/select.ts';
import { snapshotCatalog } from '../../catalog/snapshot.ts';
import type { ServerContext } from '../context.ts';
import { apiRoutes } from './api-route.ts';

interface ArtifactQuery {
  insight?: string;
  type?: string;
  direct?: string;
  proxy?: string;
  category?: string;
  requiredOnly?: string;
  format?: string;
}

const usage = (message: string) => new NetinsightsError('NI_ERR_USAGE', message);

function categories(value: string | undefined): Category[] | undefined {
  if (!value) return undefined;
  return value.split(',').map((c) => {
    const found = CATEGORIES.find((k) => k.toLowerCase() === c.trim().toLowerCase());
    if (!found) throw usage(`category "${c}" is not one of ${CATEGORIES.join(', ')}`);
    return found;
  });
}

function attachment(reply: FastifyReply, type: string, filename: string): void {
  reply.header('content-type', type);
  reply.header('content-disposition', `inline; filename="${filename}"`);
  // The catalog can change with an import; let browsers revalidate.
  reply.header('cache-control', 'no-cache');
}

/** Registers the remediation and catalog routes (see the module comment). */
export function registerRemediationRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { store } = ctx;
  const api = apiRoutes(app, ['remediation']);
  const catalogApi = apiRoutes(app, ['catalog']);

  /** Catalog in force plus the selection an insight implies. */
  async function scope(
    tenantId: string,
    q: ArtifactQuery,
  ): Promise<{ catalog: CatalogVersion; hosts?: string[]; insightId?: string; teamsMedia?: boolean }> {
    const catalog = await currentCatalog(store, tenantId);
    if (!q.insight) return { catalog };
    const found = await ctx.insights.getInsight(store, tenantId, q.insight);
    if (!found) throw new NetinsightsError('NI_ERR_NOT_FOUND', `no insight "${q.insight}"`);
    // Teams media insights, and bufferbloat (whose QoS class is written for the same set), select the Teams media set.
    if (found.insight.kind === 'teams-media' || found.insight.kind === 'latency-under-load')
      return { catalog, insightId: q.insight, teamsMedia: true };
    const hosts = insightHosts(found.insight);
    // Insights about the path as a whole (peer performance, backhauled egress) name no hosts: the whole catalog applies.
    return hosts.length ? { catalog, hosts, insightId: q.insight } : { catalog, insightId: q.insight };
  }

  function selection(q: ArtifactQuery, hosts: string[] | undefined, teamsMedia = false): Selection {
    const sel: Selection = {};
    if (teamsMedia) sel.teamsMedia = true;
    const cats = categories(q.category);
    if (cats) sel.categories = cats;
    if (q.requiredOnly === 'true' || q.requiredOnly === '1') sel.requiredOnly = true;
    if (hosts) sel.hosts = hosts;
    return sel;
  }

  // Written as JSON Schema, as Fastify validates it; typed as ArtifactQuery for the handlers.
  const querySchema = Type.Unsafe<ArtifactQuery>({
    type: 'object',
    properties: {
      insight: { type: 'string', maxLength: 128 },
      type: { type: 'string', enum: ['1', '2'] },
      direct: { type: 'string', maxLength: 500 },
      proxy: { type: 'string', maxLength: 500 },
      category: { type: 'string', maxLength: 100 },
      requiredOnly: { type: 'string', enum: ['true', 'false', '1', '0'] },
      format: { type: 'string', enum: ['text', 'json', 'csv'] },
    },
  });

  api.get(
    '/api/v1/remediation/pac',
    {
      access: 'read',
      summary:
        'PAC file: type 1 (Optimize direct) or 2 (Optimize + Allow direct), or the hosts of an insight',
      querystring: querySchema,
    },
    async ({ tenantId, query: q }, reply) => {
      const { catalog, hosts } = await scope(tenantId, q);
      const proxy = await pacFallbackFor(store, tenantId, q.proxy);
      const text = generatePac(catalog, {
        ...(q.type ? { type: Number(q.type) as 1 | 2 } : hosts ? {} : { type: 1 }),
        ...(q.direct ? { direct: q.direct } : {}),
        proxy,
        ...(hosts ? { hosts } : {}),
      });
      attachment(
        reply,
        'application/x-ns-proxy-autoconfig',
        q.insight ? `insight-${q.insight}.pac` : `type${q.type ?? 1}.pac`,
      );
      return text;
    },
  );

  api.get(
    '/api/v1/remediation/bypass-list',
    { access: 'read', summary: 'TLS-inspection bypass list (hosts and wildcards)', querystring: querySchema },
    async ({ tenantId, query: q }, reply) => {
      const { catalog, hosts } = await scope(tenantId, q);
      const sel = selection(q, hosts);
      const list = buildBypassList(catalog, sel);
      if (q.format === 'json') return list;
      attachment(reply, 'text/plain; charset=utf-8', 'tls-bypass.txt');
      return formatBypassList(list, sel);
    },
  );

  api.get(
    '/api/v1/remediation/firewall',
    {
      access: 'read',
      summary: 'firewall allow list: hosts and IP ranges with TCP/UDP ports',
      querystring: querySchema,
    },
    async ({ tenantId, query: q }, reply) => {
      const { catalog, hosts, teamsMedia } = await scope(tenantId, q);
      const rules = buildFirewallRules(catalog, selection(q, hosts, teamsMedia));
      if (q.format === 'json') return { catalogId: catalog.id, rules };
      if (q.format === 'text') {
        attachment(reply, 'text/plain; charset=utf-8', 'firewall.txt');
        return formatFirewallText(rules);
      }
      attachment(reply, 'text/csv; charset=utf-8', 'firewall.csv');
      return formatFirewallCsv(rules);
    },
  );

  catalogApi.get(
    '/api/v1/catalog/versions',
    { access: 'read', summary: 'endpoint catalog versions' },
    async ({ tenantId }) => {
      const current = await currentCatalog(store, tenantId);
      const snap = snapshotCatalog();
      const versions = await store.catalog.listVersions(tenantId);
      return {
        currentId: current.id,
        snapshot: { id: snap.id, importedAt: snap.importedAt, source: snap.source, sets: snap.sets.length },
        versions,
      };
    },
  );

  catalogApi.post(
    '/api/v1/catalog/versions',
    {
      access: 'write',
      summary: 'import an endpoint catalog (the web-service JSON array) and make it current',
    },
    async ({ principal: p, tenantId, body }, reply) => {
      const now = ctx.now();
      const source = `upload by ${p.kind === 'user' ? p.email : p.kind}`;
      const result = await importCatalog(store, tenantId, JSON.stringify(body), source, now);
      await audit(
        store,
        p,
        'catalog.import',
        `catalog:${result.version.id}`,
        { sets: result.version.sets.length },
        now,
      );
      reply.status(result.created ? 201 : 200);
      return {
        id: result.version.id,
        importedAt: result.version.importedAt,
        sets: result.version.sets.length,
        created: result.created,
        diff: result.diff,
      };
    },
  );

  catalogApi.get(
    '/api/v1/catalog/diff',
    {
      access: 'read',
      summary: 'what changed between two catalog versions (ids, "snapshot" or "current")',
      querystring: Type.Unsafe<{ from?: string; to?: string }>({
        type: 'object',
        properties: { from: { type: 'string', maxLength: 64 }, to: { type: 'string', maxLength: 64 } },
        required: ['from'],
      }),
    },
    async ({ tenantId, query }) => {
      const a = await catalogVersion(store, tenantId, query.from ?? 'snapshot');
      const b = await catalogVersion(store, tenantId, query.to ?? 'current');
      return diffCatalogs(a, b);
    },
  );
}
