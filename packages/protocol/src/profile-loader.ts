/**
 * @module profile-loader
 * Reads a service profile from disk or from the shipped set, and reports a
 * broken file with its name, the JSON path and what is wrong there.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// Imported rather than read from disk, so that a bundled probe (one file on an endpoint) carries it.
import m365 from '../profiles/m365.json' with { type: 'json' };
import { ServiceProfile } from './service-profile.ts';
import { compileValidator, SchemaError } from './validate.ts';

const validator = compileValidator<ServiceProfile>(ServiceProfile, 'service profile');

export class ProfileError extends Error {
  readonly file: string;
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'ProfileError';
    this.file = file;
  }
}

export const SHIPPED_PROFILES = ['m365'] as const;
const SHIPPED: Record<(typeof SHIPPED_PROFILES)[number], unknown> = { m365 };

export function shippedProfilePath(id: string): string {
  return fileURLToPath(new URL(`../profiles/${id}.json`, import.meta.url));
}

/** Parses JSON text, turning a syntax error into "line L, column C: …". */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const pos = /position (\d+)/.exec(msg);
    if (pos) {
      const offset = Number(pos[1]);
      const before = text.slice(0, offset);
      const line = before.split('\n').length;
      const column = offset - before.lastIndexOf('\n');
      throw new ProfileError(file, `not valid JSON at line ${line}, column ${column}: ${msg}`);
    }
    throw new ProfileError(file, `not valid JSON: ${msg}`);
  }
}

export function parseProfile(value: unknown, file: string): ServiceProfile {
  try {
    const profile = validator.parse(value);
    checkProfileSemantics(profile);
    return profile;
  } catch (err) {
    if (err instanceof SchemaError || err instanceof Error) throw new ProfileError(file, err.message);
    throw err;
  }
}

function checkProfileSemantics(p: ServiceProfile): void {
  p.criticalDomains.forEach((d, i) => {
    d.hosts.forEach((h, j) => {
      if (h !== d.domain && !h.endsWith(`.${d.domain}`))
        throw new Error(
          `service profile: /criticalDomains/${i}/hosts/${j} "${h}" is not inside the domain "${d.domain}"`,
        );
    });
  });
  const names = new Set<string>();
  p.workloads?.forEach((w, i) => {
    if (names.has(w.name))
      throw new Error(`service profile: /workloads/${i}/name "${w.name}" is named twice`);
    names.add(w.name);
  });
  // Each port is one stream of requests: a port named twice would double its share of the run.
  p.teamsMedia?.ports.forEach((port, i, all) => {
    if (all.indexOf(port) !== i)
      throw new Error(`service profile: /teamsMedia/ports/${i} ${port} is named twice`);
  });
  for (const [key, url] of [
    ['/websocket/url', p.websocket.url],
    ['/throughput/url', p.throughput.url],
  ] as const) {
    try {
      new URL(url);
    } catch {
      throw new Error(`service profile: ${key} "${url}" is not a valid URL`);
    }
  }
}

/** Loads a profile by file path, or by id of a shipped profile (`m365`). */
export function loadProfile(fileOrId: string): ServiceProfile {
  if (Object.hasOwn(SHIPPED, fileOrId)) {
    const id = fileOrId as (typeof SHIPPED_PROFILES)[number];
    // A copy: the caller may change its profile without changing the next caller's.
    return parseProfile(structuredClone(SHIPPED[id]), shippedProfilePath(id));
  }
  const file = fileOrId;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ProfileError(
      file,
      code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? (err as Error).message})`,
    );
  }
  return parseProfile(parseJsonText(text, file), file);
}
