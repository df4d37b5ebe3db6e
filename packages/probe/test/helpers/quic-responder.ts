/**
 * @module test/helpers/quic-responder
 * A UDP socket that answers QUIC long-header packets with a Version
 * Negotiation packet (RFC 9000 §17.2.1), or with garbage, or not at all.
 */
import { createSocket } from 'node:dgram';

export async function startQuicResponder(
  mode: 'vn' | 'garbage' | 'silent',
): Promise<{ port: number; close(): Promise<void> }> {
  const socket = createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    if (mode === 'silent' || msg.length < 7) return;
    if (mode === 'garbage') {
      socket.send(Buffer.from('definitely not quic'), rinfo.port, rinfo.address);
      return;
    }
    let o = 5;
    const dcidLen = msg[o++] ?? 0;
    const dcid = msg.subarray(o, o + dcidLen);
    o += dcidLen;
    const scidLen = msg[o++] ?? 0;
    const scid = msg.subarray(o, o + scidLen);
    const versions = Buffer.alloc(8);
    versions.writeUInt32BE(0x00000001, 0); // QUIC v1
    versions.writeUInt32BE(0x6b3343cf, 4); // QUIC v2 (RFC 9369)
    const reply = Buffer.concat([
      Buffer.from([0x80, 0, 0, 0, 0, scid.length]),
      scid,
      Buffer.from([dcid.length]),
      dcid,
      versions,
    ]);
    socket.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: socket.address().port,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
