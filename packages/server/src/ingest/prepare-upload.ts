/**
 * @module ingest/prepare-upload
 * The CPU-heavy half of ingest, which needs no database: parse the body
 * (depth-limited), validate it against ProbeReport v1, and keep only what
 * storing it needs — the columns beside the raw text, the fields office
 * mapping reads, and the insight hook's prepared facts. The result is plain
 * data, so it can be made on an ingest worker thread
 * (ingest/worker-preparer.ts) as well as on the event loop.
 */
import { compileValidator, type ProbeReport, ProbeReport as ProbeReportSchema } from '@netinsights/protocol';
import { schemaError } from '../errors.ts';
import type { InsightsHook } from '../insights-hook.ts';
import type { GeoInfo } from '../store/contract.ts';
import { type JsonLimits, parseJsonBody } from './json-body.ts';
import { summarise } from './report-row.ts';

const validator = compileValidator<ProbeReport>(ProbeReportSchema, 'ProbeReport');

/** What the HTTP layer hands over once it has authenticated an upload and decompressed it. */
export interface UploadInput {
  /** The decompressed body, not yet parsed. */
  body: Uint8Array;
  /** ISO time of receipt (the collector's clock; probe clocks are not trusted). */
  receivedAt: string;
  /** GeoIP of the address the upload came from, when a GeoIP source knows it. */
  egressGeo: GeoInfo | null;
}

/** What ingest keeps of a valid report besides its text. */
export interface PreparedUpload {
  reportId: string;
  /** `environment.officeId`: the office the probe names. */
  probeOfficeId: string | null;
  /** The probe's LAN addresses (for mapping by LAN subnet). */
  localAddresses: string[];
  deviceId: string | null;
  checks: number;
  failures: number;
  failureCodes: string[];
  /** The insight hook's `prepare` result (undefined when the hook has none). */
  insight: unknown;
}

/** A prepared upload; `text` and `report` are there when it was prepared on this thread. */
export interface Prepared {
  upload: PreparedUpload;
  text?: string;
  report?: ProbeReport;
}

/** Makes `Prepared` uploads, here or on worker threads; rejects with the upload's API error. */
export interface UploadPreparer {
  /** Whether uploads are parsed on worker threads. */
  readonly onWorkers: boolean;
  prepare(input: UploadInput): Promise<Prepared>;
  close(): Promise<void>;
}

/** Parses, validates and prepares one upload; throws its API error (400, 413 too deep or too many values, 422 naming the path). */
export function prepareUpload(
  input: UploadInput,
  limits: JsonLimits,
  insights: InsightsHook,
): Required<Prepared> {
  const buf = Buffer.from(input.body.buffer, input.body.byteOffset, input.body.byteLength);
  const { json, text } = parseJsonBody(buf, limits);
  if (!validator.check(json))
    throw schemaError('the report does not match ProbeReport v1', validator.issues(json));
  const report = json;
  const env = report.environment;
  const upload: PreparedUpload = {
    reportId: report.reportId,
    probeOfficeId: env.officeId ?? null,
    localAddresses: env.localAddresses.map((a) => a.address),
    deviceId: env.deviceId ?? null,
    ...summarise(report),
    insight: insights.prepare?.({ report, receivedAt: input.receivedAt, egressGeo: input.egressGeo }),
  };
  return { upload, text, report };
}

/** Prepares on the event loop (`--ingest-workers 0`, or a store or hook handed in by the caller). */
export function inlinePreparer(limits: JsonLimits, insights: InsightsHook): UploadPreparer {
  return {
    onWorkers: false,
    prepare: async (input) => prepareUpload(input, limits, insights),
    close: async () => {},
  };
}
