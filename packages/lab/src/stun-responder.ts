/**
 * @module stun-responder
 * The lab's Teams relay on UDP: one socket per media port, each answering a
 * STUN Binding request (RFC 8489) with a success response that carries the
 * sender's address as XOR-MAPPED-ADDRESS — what a Teams transport relay
 * tells a client about its public address. Anything that is not a Binding
 * request is ignored, as a real relay does.
 */
import { createSocket, type Socket } from 'node:dgram';
import { bindingResponse, parseBindingRequest } from '@netinsights/probe/transport/stun.ts';
import { bindUdp, closeUdp, LOOPBACK } from './util/listen.ts';

export interface StunResponderOptions {
  /** How many media ports (Teams uses four: 3478–3481). */
  ports?: number;
  host?: string;
  log?: (line: string) => void;
}

export interface StunResponder {
  host: string;
  /** The UDP ports it answers on, in the order of the profile's media ports. */
  ports: number[];
  stats: { requests: number; answered: number; ignored: number };
  close(): Promise<void>;
}

export async function startStunResponder(options: StunResponderOptions = {}): Promise<StunResponder> {
  const host = options.host ?? LOOPBACK;
  const stats = { requests: 0, answered: 0, ignored: 0 };
  const sockets: Socket[] = [];
  try {
    for (let i = 0; i < (options.ports ?? 4); i++) {
      const socket = createSocket('udp4');
      socket.on('message', (msg, rinfo) => {
        const tid = parseBindingRequest(msg);
        if (!tid) {
          stats.ignored++;
          return;
        }
        stats.requests++;
        const family = rinfo.family === 'IPv6' ? 'IPv6' : 'IPv4';
        socket.send(
          bindingResponse(tid, { family, address: rinfo.address, port: rinfo.port }),
          rinfo.port,
          rinfo.address,
          (err) => {
            if (!err) stats.answered++;
          },
        );
      });
      await bindUdp(socket, 0, host);
      socket.on('error', () => {});
      sockets.push(socket);
    }
  } catch (err) {
    await Promise.all(sockets.map(closeUdp));
    throw err;
  }
  const ports = sockets.map((s) => s.address().port);
  options.log?.(`STUN responder (Teams relay) on ${host} UDP ${ports.join(', ')}`);
  return { host, ports, stats, close: async () => void (await Promise.all(sockets.map(closeUdp))) };
}
