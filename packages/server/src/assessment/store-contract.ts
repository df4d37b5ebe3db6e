/**
 * @module assessment/store-contract
 * The assessment repository every store dialect implements, added to `Store`
 * by module augmentation (store/README.md): one row per tenant × office ×
 * day holding that day's network assessment as of its last evaluation. The
 * insight engine writes it (assessment/record-assessment.ts), so several
 * collectors on one PostgreSQL keep one history. One read is instance-wide
 * on purpose and says so: the area's scores of other tenants' offices, for
 * the quintile (area-quintile.ts), never shown one by one.
 */

/** One office's assessment of one day. */
export interface AssessmentDayRow {
  tenantId: string;
  officeKey: string;
  /** YYYY-MM-DD (UTC). */
  day: string;
  /** 0–100, or null when no component had data. */
  score: number | null;
  /** Distinct devices in the window: the office's weight in the tenant score. */
  devices: number;
  /** `city|country` and `country`, lower-case, for the area comparison; null when unknown. */
  cityKey: string | null;
  countryKey: string | null;
  /** JSON of the protocol's `OfficeAssessment`. */
  detail: string;
  evaluatedAt: string;
}

/** Another tenant's office score in an area: for the quintile only. */
export interface AreaScore {
  tenantId: string;
  officeKey: string;
  day: string;
  score: number;
}

export interface AssessmentRepo {
  /** Inserts or replaces the office's row of that day. */
  putDay(row: AssessmentDayRow): Promise<void>;
  /** Each office's newest row (tenant-scoped). */
  latest(tenantId: string): Promise<AssessmentDayRow[]>;
  /** The office's rows from `fromDay` on, oldest first. */
  officeDays(tenantId: string, officeKey: string, fromDay: string): Promise<AssessmentDayRow[]>;
  /** Every office's rows from `fromDay` on (without the detail), oldest first. */
  tenantDays(
    tenantId: string,
    fromDay: string,
  ): Promise<Pick<AssessmentDayRow, 'officeKey' | 'day' | 'score' | 'devices'>[]>;
  /**
   * Instance-wide: scored rows from `fromDay` on of offices in the area that
   * belong to tenants other than `excludeTenantId` and still exist
   * (discovered locations never count).
   */
  areaScores(
    level: 'city' | 'country',
    areaKey: string,
    fromDay: string,
    excludeTenantId: string,
  ): Promise<AreaScore[]>;
  /** Retention: drops the office's rows before `beforeDay`; returns how many. */
  purgeOffice(tenantId: string, officeKey: string, beforeDay: string): Promise<number>;
}

declare module '../store/contract.ts' {
  interface StoreExtensions {
    assessment: AssessmentRepo;
  }
}
