/**
 * Reads just enough of an executable's headers to tell what it is and
 * whether a single-executable blob was injected where Node looks for it:
 * ELF (the System V ABI header and its section/note names), PE (Microsoft's
 * documented PE/COFF layout: the `MZ` stub, `PE\0\0`, the section table and
 * the resource section), Mach-O 64 (Apple's documented load commands: an
 * LC_SEGMENT_64 named NODE_SEA holding the __NODE_SEA_BLOB section).
 */

export interface ExecutableInfo {
  format: 'elf' | 'pe' | 'macho' | 'unknown';
  /** x64 or arm64, from the header's machine field. */
  arch?: 'x64' | 'arm64';
  /** Where the blob is, as the format names it; undefined when not found. */
  blob?: { where: string; offset: number; size: number };
}

const NAME = 'NODE_SEA_BLOB';

function cstr(buf: Buffer, at: number, len: number): string {
  const raw = buf.subarray(at, at + len);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? len : end).toString('latin1');
}

function elf(buf: Buffer): ExecutableInfo {
  const machine = buf.readUInt16LE(18);
  const arch = machine === 0x3e ? 'x64' : machine === 0xb7 ? 'arm64' : undefined;
  // postject adds the blob as a note named NODE_SEA_BLOB (n_namesz, n_descsz, n_type, name, desc).
  const shoff = Number(buf.readBigUInt64LE(0x28));
  const shentsize = buf.readUInt16LE(0x3a);
  const shnum = buf.readUInt16LE(0x3c);
  let blob: ExecutableInfo['blob'];
  for (let i = 0; i < shnum; i++) {
    const sh = shoff + i * shentsize;
    if (buf.readUInt32LE(sh + 4) !== 7) continue; // SHT_NOTE
    let at = Number(buf.readBigUInt64LE(sh + 0x18));
    const end = at + Number(buf.readBigUInt64LE(sh + 0x20));
    while (at + 12 <= end) {
      const namesz = buf.readUInt32LE(at);
      const descsz = buf.readUInt32LE(at + 4);
      const name = cstr(buf, at + 12, namesz);
      const desc = at + 12 + Math.ceil(namesz / 4) * 4;
      if (name === NAME) blob = { where: 'ELF note NODE_SEA_BLOB', offset: desc, size: descsz };
      at = desc + Math.ceil(descsz / 4) * 4;
    }
  }
  return { format: 'elf', ...(arch ? { arch } : {}), ...(blob ? { blob } : {}) };
}

function pe(buf: Buffer): ExecutableInfo {
  const peAt = buf.readUInt32LE(0x3c);
  if (buf.toString('latin1', peAt, peAt + 4) !== 'PE\0\0') return { format: 'unknown' };
  const coff = peAt + 4;
  const machine = buf.readUInt16LE(coff);
  const arch = machine === 0x8664 ? 'x64' : machine === 0xaa64 ? 'arm64' : undefined;
  const sections = buf.readUInt16LE(coff + 2);
  const optSize = buf.readUInt16LE(coff + 16);
  const table = coff + 20 + optSize;
  let blob: ExecutableInfo['blob'];
  for (let i = 0; i < sections; i++) {
    const s = table + i * 40;
    if (cstr(buf, s, 8) !== '.rsrc') continue;
    const va = buf.readUInt32LE(s + 12);
    const raw = buf.readUInt32LE(s + 20);
    // The resource tree: type → name → language → data entry (RVA and size).
    const entries = (dir: number) => {
      const count = buf.readUInt16LE(raw + dir + 12) + buf.readUInt16LE(raw + dir + 14);
      return Array.from({ length: count }, (_, k) => ({
        name: buf.readUInt32LE(raw + dir + 16 + k * 8),
        target: buf.readUInt32LE(raw + dir + 20 + k * 8),
      }));
    };
    const nameOf = (name: number) => {
      if (!(name & 0x80000000)) return undefined;
      const at = raw + (name & 0x7fffffff);
      return buf.toString('utf16le', at + 2, at + 2 + buf.readUInt16LE(at) * 2);
    };
    const rcdata = entries(0).find((e) => e.name === 10 && e.target & 0x80000000); // RT_RCDATA
    const named = rcdata && entries(rcdata.target & 0x7fffffff).find((e) => nameOf(e.name) === NAME);
    const lang = named && entries(named.target & 0x7fffffff)[0];
    if (lang && !(lang.target & 0x80000000)) {
      const rva = buf.readUInt32LE(raw + lang.target);
      blob = {
        where: 'PE resource RT_RCDATA/NODE_SEA_BLOB',
        offset: raw + rva - va,
        size: buf.readUInt32LE(raw + lang.target + 4),
      };
    }
  }
  return { format: 'pe', ...(arch ? { arch } : {}), ...(blob ? { blob } : {}) };
}

function macho(buf: Buffer): ExecutableInfo {
  const cpu = buf.readUInt32LE(4);
  const arch = cpu === 0x01000007 ? 'x64' : cpu === 0x0100000c ? 'arm64' : undefined;
  const ncmds = buf.readUInt32LE(16);
  let at = 32;
  let blob: ExecutableInfo['blob'];
  for (let i = 0; i < ncmds; i++) {
    const cmd = buf.readUInt32LE(at);
    const size = buf.readUInt32LE(at + 4);
    if (cmd === 0x19 && cstr(buf, at + 8, 16) === 'NODE_SEA') {
      const nsects = buf.readUInt32LE(at + 64);
      for (let j = 0; j < nsects; j++) {
        const s = at + 72 + j * 80;
        if (cstr(buf, s, 16) === '__NODE_SEA_BLOB')
          blob = {
            where: 'Mach-O segment NODE_SEA, section __NODE_SEA_BLOB',
            offset: buf.readUInt32LE(s + 48),
            size: Number(buf.readBigUInt64LE(s + 40)),
          };
      }
    }
    at += size;
  }
  return { format: 'macho', ...(arch ? { arch } : {}), ...(blob ? { blob } : {}) };
}

/** What the file is and where its blob sits. */
export function inspectExecutable(buf: Buffer): ExecutableInfo {
  if (buf.readUInt32BE(0) === 0x7f454c46 && buf[4] === 2) return elf(buf);
  if (buf.toString('latin1', 0, 2) === 'MZ') return pe(buf);
  if (buf.readUInt32LE(0) === 0xfeedfacf) return macho(buf);
  return { format: 'unknown' };
}
