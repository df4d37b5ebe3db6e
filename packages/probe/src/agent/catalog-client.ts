/**
 * @module agent/catalog-client
 * Fetches the endpoint catalog the sweep tests from the collector
 * (`GET /api/v1/agent/catalog`: the tenant's version in force, or the
 * shipped snapshot when it imported none), with the agent token and the
 * same transport rules as the settings fetch (config-client.ts). A failure
 * is a value: the caller sweeps the shipped snapshot instead and says so.
 */
import type { IncomingMessage } from 'node:http';
import type { SweepCatalog } from '../probe-options.ts';
import { errorText } from '../step.ts';
import { type CollectorOptions, collectorEndpoint } from '../upload/collector-client.ts';
import { collectorRequest } from './config-client.ts';

export const AGENT_CATALOG_PATH = '/api/v1/agent/catalog';
/** The shipped catalog is 26 kB; a catalog near this size is not Microsoft's. */
const MAX_CATALOG_BYTES = 2 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 15_000;

export type CatalogFetch = { ok: true; catalog: SweepCatalog } | { ok: false; message: string };

function readBody(res: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_CATALOG_BYTES) {
        res.destroy();
        resolve(undefined);
      } else chunks.push(c);
    });
    res.on('error', reject);
    res.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

export async function fetchAgentCatalog(
  collector: CollectorOptions,
  signal: AbortSignal = new AbortController().signal,
): Promise<CatalogFetch> {
  const endpoint = new URL(AGENT_CATALOG_PATH, collectorEndpoint(collector.url));
  try {
    const res = await collectorRequest(
      collector,
      endpoint,
      { method: 'GET', headers: { accept: 'application/json', authorization: `Bearer ${collector.token}` } },
      collector.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      signal,
    );
    const status = res.statusCode ?? 0;
    const body = await readBody(res);
    if (status < 200 || status >= 300) return { ok: false, message: `the collector answered HTTP ${status}` };
    if (!body) return { ok: false, message: `the catalog is larger than ${MAX_CATALOG_BYTES} bytes` };
    const json = JSON.parse(body.toString('utf8')) as { version?: unknown; sets?: unknown };
    if (typeof json !== 'object' || json === null || !Array.isArray(json.sets))
      return { ok: false, message: 'the collector sent no catalog sets' };
    return {
      ok: true,
      catalog: {
        document: json.sets,
        source: 'collector',
        ...(typeof json.version === 'string' ? { version: json.version.slice(0, 64) } : {}),
      },
    };
  } catch (err) {
    return { ok: false, message: `cannot fetch the catalog from ${endpoint.origin}: ${errorText(err)}` };
  }
}
