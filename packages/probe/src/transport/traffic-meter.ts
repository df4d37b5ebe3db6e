/**
 * @module transport/traffic-meter
 * Counts what one check sends and receives, for the report's `traffic` and
 * the agent's daily cap. TCP is read from the sockets themselves when the
 * check is over (`bytesWritten` / `bytesRead` of the raw socket under any
 * TLS: records, handshakes and CONNECT requests included, IP and TCP headers
 * not); UDP payloads are added as they are sent and received. Nothing is
 * wrapped or put in flowing mode, so a meter cannot change what it measures.
 */
import type { Socket } from 'node:net';
import type { CheckTraffic } from '@netinsights/protocol';

export class TrafficMeter {
  readonly check: string;
  readonly #sockets: Socket[] = [];
  #udpSent = 0;
  #udpReceived = 0;

  constructor(check: string) {
    this.check = check;
  }

  /** A TCP socket this check opened (its counters stay readable after it is destroyed). */
  socket(socket: Socket): void {
    this.#sockets.push(socket);
  }

  udpSent(bytes: number): void {
    this.#udpSent += bytes;
  }

  udpReceived(bytes: number): void {
    this.#udpReceived += bytes;
  }

  get sentBytes(): number {
    let n = this.#udpSent;
    for (const s of this.#sockets) n += s.bytesWritten ?? 0;
    return n;
  }

  get receivedBytes(): number {
    let n = this.#udpReceived;
    for (const s of this.#sockets) n += s.bytesRead ?? 0;
    return n;
  }

  /** The report's entry for this check. */
  toTraffic(): CheckTraffic {
    return { check: this.check, sentBytes: this.sentBytes, receivedBytes: this.receivedBytes };
  }
}
