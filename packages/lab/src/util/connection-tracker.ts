/**
 * @module connection-tracker
 * Remembers the live sockets of a lab server so that `close()` can end them
 * at once: `server.close()` alone waits for every client to hang up, and a
 * lab that does not stop leaves `node --test` hanging.
 */
import type { Duplex } from 'node:stream';

export class ConnectionTracker {
  readonly #live = new Set<Duplex>();

  /** Tracks a socket until it closes. */
  add<T extends Duplex>(socket: T): T {
    this.#live.add(socket);
    socket.once('close', () => this.#live.delete(socket));
    // A peer that vanishes mid-stream is normal for a middlebox, not a crash.
    socket.on('error', () => {});
    return socket;
  }

  get size(): number {
    return this.#live.size;
  }

  destroyAll(): void {
    for (const socket of this.#live) socket.destroy();
    this.#live.clear();
  }
}
