/**
 * @module notify/rotate-secrets
 * Moving channel secrets to a new key (`netinsights admin rotate-secret-key`):
 * every channel of every tenant is opened with the old ring and sealed
 * again with the new key, one channel per statement, so an interrupted
 * rotation can simply be run again (the new ring still opens what was
 * sealed with the old key).
 */
import type { Store } from '../store/contract.ts';
import { openChannel, SECRET_FIELDS, type SecretBox, sealChannel } from './secret-box.ts';

/** Re-seals every channel's secrets with `next` (whose first key is the new one); returns how many channels. */
export async function resealChannelSecrets(store: Store, next: SecretBox, now = new Date()): Promise<number> {
  let n = 0;
  for (const tenant of await store.tenants.list())
    for (const channel of await store.outbox.listChannels(tenant.id)) {
      if (SECRET_FIELDS[channel.type].length === 0) continue;
      const resealed = sealChannel(next, openChannel(next, channel));
      await store.outbox.setChannelConfig(tenant.id, channel.id, resealed.config, now.toISOString());
      n++;
    }
  return n;
}
