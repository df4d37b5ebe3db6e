/**
 * @module test/helpers/mmdb-writer
 * Writes a tiny MaxMind DB (format 2.0, https://maxmind.github.io/MaxMind-DB/)
 * for tests: an IPv4 tree with 24-bit records and one data record per
 * network, so the real `maxmind` reader can be exercised without shipping a
 * GeoIP database.
 */

/** A value that must be stored as an IEEE double (coordinates). */
export class Double {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}

type Value = string | number | bigint | Double | Value[] | { [key: string]: Value };

// Type numbers from the spec's "Output Data Section" list.
const POINTER_FREE_TYPES = {
  string: 2,
  double: 3,
  uint16: 5,
  uint32: 6,
  map: 7,
  uint64: 9,
  array: 11,
} as const;

function control(type: number, size: number): Buffer {
  const ext = type > 7 ? [type - 7] : [];
  const first = (type > 7 ? 0 : type) << 5;
  if (size < 29) return Buffer.from([first | size, ...ext]);
  if (size < 285) return Buffer.from([first | 29, ...ext, size - 29]);
  const n = size - 285;
  return Buffer.from([first | 30, ...ext, n >> 8, n & 0xff]);
}

function uint(type: number, n: number | bigint): Buffer {
  let hex = n.toString(16);
  if (hex === '0') hex = '';
  if (hex.length % 2) hex = `0${hex}`;
  const bytes = Buffer.from(hex, 'hex');
  return Buffer.concat([control(type, bytes.length), bytes]);
}

export function encode(v: Value): Buffer {
  if (typeof v === 'string') {
    const b = Buffer.from(v, 'utf8');
    return Buffer.concat([control(POINTER_FREE_TYPES.string, b.length), b]);
  }
  if (v instanceof Double) {
    const b = Buffer.alloc(8);
    b.writeDoubleBE(v.value);
    return Buffer.concat([control(POINTER_FREE_TYPES.double, 8), b]);
  }
  if (typeof v === 'bigint') return uint(POINTER_FREE_TYPES.uint64, v);
  if (typeof v === 'number')
    return uint(v < 65536 ? POINTER_FREE_TYPES.uint16 : POINTER_FREE_TYPES.uint32, v);
  if (Array.isArray(v)) return Buffer.concat([control(POINTER_FREE_TYPES.array, v.length), ...v.map(encode)]);
  const entries = Object.entries(v);
  return Buffer.concat([
    control(POINTER_FREE_TYPES.map, entries.length),
    ...entries.flatMap(([k, x]) => [encode(k), encode(x)]),
  ]);
}

/** Builds an IPv4 database mapping each `a.b.c.d/n` network to its record. */
export function writeMmdb(networks: Array<{ cidr: string; record: Value }>): Buffer {
  const data: Buffer[] = [];
  const offsets: number[] = [];
  let at = 0;
  for (const n of networks) {
    const b = encode(n.record);
    offsets.push(at);
    data.push(b);
    at += b.length;
  }
  // The tree: node 0 is the root; each node has [left, right] records.
  const nodes: Array<[number | { data: number }, number | { data: number }]> = [[-1, -1]];
  networks.forEach((n, i) => {
    const [ip, bitsText] = n.cidr.split('/') as [string, string];
    const bits = Number(bitsText);
    const addr = ip.split('.').reduce((a, o) => (a << 8) + Number(o), 0) >>> 0;
    let node = 0;
    for (let depth = 0; depth < bits; depth++) {
      const bit = (addr >>> (31 - depth)) & 1;
      if (depth === bits - 1) {
        nodes[node]![bit] = { data: offsets[i]! };
        break;
      }
      const next = nodes[node]![bit];
      if (typeof next === 'number' && next > 0) node = next;
      else {
        nodes.push([-1, -1]);
        nodes[node]![bit] = nodes.length - 1;
        node = nodes.length - 1;
      }
    }
  });
  const count = nodes.length;
  const value = (r: number | { data: number }) =>
    typeof r === 'number' ? (r < 0 ? count : r) : count + 16 + r.data; // spec: data pointers are offset by node_count + 16
  const tree = Buffer.alloc(count * 6);
  nodes.forEach(([l, r], i) => {
    tree.writeUIntBE(value(l), i * 6, 3);
    tree.writeUIntBE(value(r), i * 6 + 3, 3);
  });
  const metadata = encode({
    binary_format_major_version: 2,
    binary_format_minor_version: 0,
    build_epoch: BigInt(Math.floor(Date.now() / 1000)),
    database_type: 'GeoIP2-City',
    description: { en: 'netinsights test database' },
    ip_version: 4,
    languages: ['en'],
    node_count: count,
    record_size: 24,
  });
  return Buffer.concat([
    tree,
    Buffer.alloc(16),
    ...data,
    Buffer.from([0xab, 0xcd, 0xef]),
    Buffer.from('MaxMind.com'),
    metadata,
  ]);
}
