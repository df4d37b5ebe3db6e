/**
 * @module test/helpers/stun-responder
 * UDP sockets on loopback that answer STUN Binding requests with the
 * sender's address (XOR-MAPPED-ADDRESS, or MAPPED-ADDRESS only), after a
 * delay, with garbage, with a wrong transaction id, or not at all.
 */
import { createSocket, type Socket } from 'node:dgram';
import { bindingResponse, parseBindingRequest } from '../../src/transport/stun.ts';

export type StunMode = 'xor' | 'plain' | 'garbage' | 'wrong-transaction' | 'silent';

export interface TestStun {
  ports: number[];
  /** Source ports of the requests seen. */
  seenFrom: Set<number>;
  close(): Promise<void>;
}

export async function startTestStun(count: number, mode: StunMode, delayMs = 0): Promise<TestStun> {
  const seenFrom = new Set<number>();
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i++) {
    const socket = createSocket('udp4');
    socket.on('message', (msg, rinfo) => {
      const tid = parseBindingRequest(msg);
      if (!tid || mode === 'silent') return;
      seenFrom.add(rinfo.port);
      const mapped = { family: 'IPv4' as const, address: rinfo.address, port: rinfo.port };
      const reply =
        mode === 'garbage'
          ? Buffer.from('not a STUN answer at all')
          : mode === 'wrong-transaction'
            ? bindingResponse(Buffer.alloc(12, 7), mapped)
            : bindingResponse(tid, mapped, mode === 'plain');
      setTimeout(() => socket.send(reply, rinfo.port, rinfo.address), delayMs);
    });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    sockets.push(socket);
  }
  return {
    ports: sockets.map((s) => s.address().port),
    seenFrom,
    close: () =>
      Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))).then(
        () => {},
      ),
  };
}
