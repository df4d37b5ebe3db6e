/**
 * @module test/helpers/dns-server
 * A UDP DNS server on loopback that answers per name with a chosen outcome:
 * an A record, NXDOMAIN, SERVFAIL, REFUSED, or silence (RFC 1035 §4.1 wire
 * format, written by hand: only the header and one answer are needed).
 */
import { createSocket, type Socket } from 'node:dgram';

export type DnsBehaviour = { a: string } | 'nxdomain' | 'servfail' | 'refused' | 'silent';

const RCODE = { nxdomain: 3, servfail: 2, refused: 5 } as const;

/** End of the question's QNAME, and the name itself. */
function readQuestion(msg: Buffer): { name: string; end: number; qtype: number } {
  const labels: string[] = [];
  let o = 12;
  while (o < msg.length && msg[o] !== 0) {
    const len = msg[o] ?? 0;
    labels.push(msg.subarray(o + 1, o + 1 + len).toString('ascii'));
    o += 1 + len;
  }
  const qtype = msg.readUInt16BE(o + 1);
  return { name: labels.join('.').toLowerCase(), end: o + 5, qtype };
}

export interface TestDns {
  address: string;
  queries: string[];
  close(): Promise<void>;
}

export async function startDnsServer(behaviour: (name: string) => DnsBehaviour): Promise<TestDns> {
  const socket: Socket = createSocket('udp4');
  const queries: string[] = [];
  socket.on('message', (msg, rinfo) => {
    if (msg.length < 12) return;
    const q = readQuestion(msg);
    queries.push(q.name);
    const b = behaviour(q.name);
    if (b === 'silent') return;
    const header = Buffer.from(msg.subarray(0, 12));
    const question = msg.subarray(12, q.end);
    // QR=1, opcode copied, RD copied, RA=1.
    header[2] = 0x80 | ((msg[2] ?? 0) & 0x79);
    header.writeUInt16BE(0, 6);
    header.writeUInt16BE(0, 8);
    header.writeUInt16BE(0, 10);
    if (typeof b === 'object') {
      header[3] = 0x80;
      if (q.qtype === 1) {
        header.writeUInt16BE(1, 6);
        const answer = Buffer.alloc(16);
        answer.writeUInt16BE(0xc00c, 0); // pointer to the question's name
        answer.writeUInt16BE(1, 2); // A
        answer.writeUInt16BE(1, 4); // IN
        answer.writeUInt32BE(60, 6);
        answer.writeUInt16BE(4, 10);
        b.a.split('.').forEach((octet, i) => {
          answer[12 + i] = Number(octet);
        });
        socket.send(Buffer.concat([header, question, answer]), rinfo.port, rinfo.address);
      } else socket.send(Buffer.concat([header, question]), rinfo.port, rinfo.address); // NODATA for AAAA
      return;
    }
    header[3] = 0x80 | RCODE[b];
    socket.send(Buffer.concat([header, question]), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
