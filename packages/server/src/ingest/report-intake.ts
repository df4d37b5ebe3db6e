/**
 * @module ingest/report-intake
 * Everything ingest does after the HTTP layer has authenticated an upload and
 * decompressed its body. The preparer parses and validates it — on an ingest
 * worker thread by default (ingest/worker-preparer.ts), else on the event
 * loop (ingest/prepare-upload.ts). Then, on the event loop, the report is
 * mapped to an office or a discovered location and stored once per
 * (tenant, reportId) together with the insight rollup, in a group commit
 * (ingest/group-commit.ts): the answer comes only after COMMIT.
 */
import type { ProbeReport } from '@netinsights/protocol';
import type { InsightsHook } from '../insights-hook.ts';
import { discoveredId } from '../offices/discovered-id.ts';
import type { OfficeMapper } from '../offices/office-mapper.ts';
import type { GeoInfo, OfficeRow, Sightings, Store } from '../store/contract.ts';
import { GroupCommit } from './group-commit.ts';
import type { PreparedUpload, UploadInput, UploadPreparer } from './prepare-upload.ts';

/** Discovered-location ids (a SHA-256 each) of recently seen tenant × egress prefixes. */
const DISCOVERED_IDS = 4096;

/** One authenticated upload. */
export interface IngestRequest extends UploadInput {
  tenantId: string;
  /** The office the agent token is bound to, if any. */
  tokenOfficeId: string | null;
  /** The normalised address the upload came from (after trusted proxies). */
  egressIp: string;
  egressGeo: GeoInfo | null;
  /** The agent token's SHA-256: claims the report's resolver sighting (insights-hook.ts `resolverKey`). */
  resolverKey?: string;
}

export interface IngestAnswer {
  reportId: string;
  duplicate: boolean;
  officeId: string | null;
}

export interface GroupCommitSettings {
  groupCommitMs: number;
  groupCommitMax: number;
  /** Batches committing at once (default 1). */
  groupCommitParallel?: number;
  /** The GeoIP source, for the reports' DNS resolvers (the request itself goes to worker threads: no functions in it). */
  locate?: (ip: string) => GeoInfo | null;
}

const NO_GEO: GeoInfo = { city: null, country: null, latitude: null, longitude: null };

/** One discovered prefix's reports in the commit being gathered. */
interface PendingSightings {
  tenantId: string;
  egressPrefix: string;
  id: string;
  sightings: Sightings;
}

type ReportInsert = Parameters<Store['reports']['insert']>[0];
type Mapping = Awaited<ReturnType<OfficeMapper['map']>>;

/** One upload mapped, its row made, and (in a batch insert) whether it was new. */
interface Placed {
  mapping: Mapping;
  office: OfficeRow | null;
  discovered: string | null;
  row: ReportInsert;
  inserted: boolean;
}

interface ReadyUpload {
  request: IngestRequest;
  upload: PreparedUpload;
  text: string;
  report: ProbeReport | undefined;
}

export class ReportIntake {
  readonly #preparer: UploadPreparer;
  readonly #mapper: OfficeMapper;
  readonly #insights: InsightsHook;
  readonly #locate: ((ip: string) => GeoInfo | null) | undefined;
  readonly #batcher: GroupCommit<ReadyUpload, IngestAnswer, Placed>;
  readonly #discoveredIds = new Map<string, string>();
  /** Uploads being parsed: close() lets them reach the batch before it closes it. */
  readonly #preparing = new Set<Promise<unknown>>();

  constructor(
    store: Store,
    preparer: UploadPreparer,
    mapper: OfficeMapper,
    insights: InsightsHook,
    settings: GroupCommitSettings,
  ) {
    this.#preparer = preparer;
    this.#mapper = mapper;
    this.#insights = insights;
    this.#locate = settings.locate;
    this.#batcher = new GroupCommit<ReadyUpload, IngestAnswer, Placed>(
      store,
      {
        maxWaitMs: settings.groupCommitMs,
        maxBatch: settings.groupCommitMax,
        maxInFlight: settings.groupCommitParallel ?? 1,
      },
      (tx, upload, placed) => this.#store(tx, upload, placed),
      insights.beforeCommit ? (tx) => insights.beforeCommit!(tx) : undefined,
      (tx, batch) => this.#insertBatch(tx, batch),
    );
  }

  /** Resolves after the report is durably committed (or found already stored); rejects with its API error. */
  async submit(request: IngestRequest): Promise<IngestAnswer> {
    const preparing = this.#preparer.prepare(request);
    this.#preparing.add(preparing);
    let prepared: Awaited<typeof preparing>;
    try {
      prepared = await preparing;
    } finally {
      this.#preparing.delete(preparing);
    }
    const { upload, text, report } = prepared;
    const body = request.body;
    return this.#batcher.submit({
      request,
      upload,
      // Stored as received. (Made here when a worker parsed it: a copy of the bytes, not a parse.)
      text: text ?? Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'),
      report,
    });
  }

  /** Whether uploads are parsed on worker threads (`--ingest-workers`). */
  get parsesOnWorkers(): boolean {
    return this.#preparer.onWorkers;
  }

  /** The tenant's offices changed: map its next reports with the new ones. */
  invalidateOffices(tenantId: string): void {
    this.#mapper.invalidate(tenantId);
  }

  /** Stops accepting and waits until everything accepted is committed. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#preparing]);
    await this.#batcher.close();
    await this.#preparer.close();
  }

  #discoveredIdOf(tenantId: string, prefix: string): string {
    const key = `${tenantId}\n${prefix}`;
    let id = this.#discoveredIds.get(key);
    if (id === undefined) {
      id = discoveredId(tenantId, prefix);
      if (this.#discoveredIds.size >= DISCOVERED_IDS) this.#discoveredIds.clear();
      this.#discoveredIds.set(key, id);
    }
    return id;
  }

  /** Maps one upload to its office or discovered location and makes its stored row. */
  async #place(tx: Store, { request, upload, text }: ReadyUpload): Promise<Omit<Placed, 'inserted'>> {
    const { tenantId } = request;
    const mapping = await this.#mapper.map(tx, {
      tenantId,
      tokenOfficeId: request.tokenOfficeId,
      probeOfficeId: upload.probeOfficeId ?? undefined,
      localAddresses: upload.localAddresses,
      egressIp: request.egressIp,
      egressGeo: request.egressGeo ?? null,
    });
    const office: OfficeRow | null = mapping.kind === 'office' ? mapping.office : null;
    const discovered =
      mapping.kind === 'discovered' ? this.#discoveredIdOf(tenantId, mapping.egressPrefix) : null;
    const row: ReportInsert = {
      tenantId,
      id: upload.reportId,
      receivedAt: request.receivedAt,
      officeId: office?.id ?? null,
      discoveredId: discovered,
      deviceId: upload.deviceId,
      egressIp: request.egressIp,
      checks: upload.checks,
      failures: upload.failures,
      failureCodes: upload.failureCodes,
      body: text,
      bodyUtf8: request.body,
    };
    return { mapping, office, discovered, row };
  }

  /**
   * A store with `reports.insertMany` (PostgreSQL) stores the whole batch's
   * reports in one statement before the per-report work: one round trip per
   * commit instead of one per report. Undefined: each report inserts itself.
   */
  async #insertBatch(tx: Store, batch: ReadyUpload[]): Promise<Placed[] | undefined> {
    if (!tx.reports.insertMany || batch.length < 2) return undefined;
    const placed: Array<Omit<Placed, 'inserted'>> = [];
    for (const ready of batch) placed.push(await this.#place(tx, ready));
    const inserted = await tx.reports.insertMany(placed.map((p) => p.row));
    return placed.map((p, i) => ({ ...p, inserted: inserted[i]! }));
  }

  /**
   * Stores one report inside the batch transaction (`tx` is a savepoint). The
   * insert itself is the duplicate check, so a new report costs one INSERT (or
   * its row in the batch's one insert, `batched`); its discovered location's counters (when unmapped) and its
   * insight rollup are gathered and written once per commit.
   */
  async #store(tx: Store, ready: ReadyUpload, batched?: Placed): Promise<IngestAnswer> {
    const { request, upload, report } = ready;
    const { tenantId } = request;
    const { reportId } = upload;
    const { mapping, office, discovered, row } = batched ?? (await this.#place(tx, ready));
    const inserted = batched ? batched.inserted : (await tx.reports.insert(row)).inserted;
    if (!inserted) {
      const existing = await tx.reports.getMeta(tenantId, reportId);
      return { reportId, duplicate: true, officeId: existing?.officeId ?? null };
    }
    if (mapping.kind === 'discovered') {
      const { egressPrefix } = mapping;
      const at = request.receivedAt;
      const geo = request.egressGeo ?? NO_GEO;
      tx.beforeCommit((scratch) =>
        this.#gatherSighting(tx, scratch, { tenantId, egressPrefix, id: discovered! }, at, geo),
      );
    }
    await this.#insights.onReportStored(tx, {
      tenantId,
      officeKey: office ? office.id : `discovered:${discovered}`,
      office,
      discoveredId: discovered,
      ...(report ? { report } : {}),
      prepared: upload.insight,
      receivedAt: request.receivedAt,
      egressIp: request.egressIp,
      egressGeo: request.egressGeo,
      ...(request.resolverKey ? { resolverKey: request.resolverKey } : {}),
      ...(this.#locate ? { locate: this.#locate } : {}),
    });
    return { reportId, duplicate: false, officeId: office?.id ?? null };
  }

  /**
   * Just before COMMIT: adds one report to its discovered prefix's tally for
   * this commit. The first call schedules the write, which runs after every
   * report has been gathered (a report whose savepoint rolled back never is).
   */
  #gatherSighting(
    tx: Store,
    scratch: Map<unknown, unknown>,
    where: Omit<PendingSightings, 'sightings'>,
    at: string,
    geo: GeoInfo,
  ): void {
    let pending = scratch.get(this) as Map<string, PendingSightings> | undefined;
    if (!pending) {
      const created = new Map<string, PendingSightings>();
      scratch.set(this, created);
      tx.beforeCommit(() => this.#countSightings(tx, created));
      pending = created;
    }
    const key = `${where.tenantId}\n${where.egressPrefix}`;
    const entry = pending.get(key);
    if (!entry) {
      pending.set(key, { ...where, sightings: { reports: 1, firstAt: at, lastAt: at, geo: { ...geo } } });
      return;
    }
    const s = entry.sightings;
    s.reports += 1;
    if (at < s.firstAt) s.firstAt = at;
    if (at > s.lastAt) s.lastAt = at;
    // The newest answer wins field by field, as one upsert per report would leave it (geo is our copy).
    if (geo.city !== null) s.geo.city = geo.city;
    if (geo.country !== null) s.geo.country = geo.country;
    if (geo.latitude !== null) s.geo.latitude = geo.latitude;
    if (geo.longitude !== null) s.geo.longitude = geo.longitude;
  }

  /** One upsert per discovered prefix per commit, in key order (the same lock order on every server). */
  async #countSightings(tx: Store, pending: Map<string, PendingSightings>): Promise<void> {
    for (const key of [...pending.keys()].sort()) {
      const p = pending.get(key)!;
      await tx.discovered.countSeen(p.tenantId, p.egressPrefix, p.sightings, p.id);
    }
  }
}
