/**
 * @module auth/reseal-sso-secrets
 * Moving tenants' OpenID client secrets to a new server key, beside the
 * channel secrets (notify/rotate-secrets.ts), for
 * `netinsights admin rotate-secret-key`. One tenant per statement, so an
 * interrupted rotation can be run again: the new ring still opens what the
 * old key sealed. A secret stored before sealing existed is sealed now.
 */
import { openSecret, type SecretBox } from '../notify/secret-box.ts';
import type { Store } from '../store/contract.ts';

/** Re-seals every tenant's OpenID client secret with `next` (whose first key is the new one); returns how many. */
export async function resealSsoSecrets(store: Store, next: SecretBox): Promise<number> {
  let n = 0;
  for (const tenant of await store.tenants.list()) {
    const row = await store.signIn.getOidc(tenant.id);
    if (!row || row.clientSecret === null) continue;
    // updatedAt is kept: the settings did not change, and it keys the discovery cache.
    await store.signIn.putOidc({ ...row, clientSecret: next.seal(openSecret(next, row.clientSecret)) });
    n++;
  }
  return n;
}
