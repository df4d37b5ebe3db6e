/**
 * @module enrollment/store-contract
 * An organisation's enrollment secrets in the store (see store/README.md):
 * the one line an MDM pushes to every device carries one, and each agent
 * trades it once for its own agent token. Only the SHA-256 of a secret is
 * stored. Added to `Store` by module augmentation.
 */

export interface EnrollmentSecretRow {
  tenantId: string;
  id: string;
  name: string;
  /** Agents enrolled with it report from this office (its tokens are bound to it). */
  officeId: string | null;
  secretHash: string;
  createdAt: string;
  /** After this instant it is refused; null: no expiry. */
  expiresAt: string | null;
  /** How many agents may enroll with it; null: no limit. */
  maxUses: number | null;
  uses: number;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface EnrollmentRepo {
  create(row: EnrollmentSecretRow): Promise<void>;
  /** Oldest first. */
  list(tenantId: string): Promise<EnrollmentSecretRow[]>;
  /** Looked up before the tenant is known: the secret names it. */
  findBySecretHash(secretHash: string): Promise<EnrollmentSecretRow | undefined>;
  /**
   * Counts one use if the secret is still usable at `at` (not revoked, not
   * expired, uses left), in one statement so that concurrent enrollments
   * never exceed the limit; true when counted.
   */
  consume(tenantId: string, id: string, at: string): Promise<boolean>;
  revoke(tenantId: string, id: string, at: string): Promise<boolean>;
}

declare module '../store/contract.ts' {
  interface StoreExtensions {
    enrollment: EnrollmentRepo;
  }
}
