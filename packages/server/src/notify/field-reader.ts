/**
 * @module notify/field-reader
 * Reading an admin's channel submission field by field. Every problem is
 * collected with the JSON path of the field it concerns, so one answer
 * lists all that is wrong, and the first one becomes the error message.
 */
import { NetinsightsError } from '@netinsights/protocol';

/** The problems found in one submission. */
export class Problems {
  readonly list: { path: string; message: string }[] = [];

  add(path: string, message: string): void {
    this.list.push({ path, message });
  }

  /** Throws NI_ERR_SCHEMA naming the first problem (all of them in the details). */
  throwIfAny(): void {
    const first = this.list[0];
    if (first)
      throw new NetinsightsError(
        'NI_ERR_SCHEMA',
        `notification channel: ${first.path} ${first.message}`,
        this.list,
      );
  }
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** True for `a@b.example` (the address part only; display names are the caller's business). */
export const isEmailAddress = (s: string): boolean => EMAIL.test(s);

/** The fields of one JSON object at `base` (`''` for the top level, `/config`, `/filters`). */
export class FieldReader {
  readonly problems: Problems;
  readonly base: string;
  readonly o: Record<string, unknown>;

  constructor(problems: Problems, base: string, o: Record<string, unknown>) {
    this.problems = problems;
    this.base = base;
    this.o = o;
  }

  /** The raw value of a field. */
  get(key: string): unknown {
    return this.o[key];
  }

  /** Records a problem with the field at `key` (which may go deeper: `to/0`). */
  add(key: string, message: string): void {
    this.problems.add(`${this.base}/${key}`, message);
  }

  /** A required non-empty string of at most `max` characters, trimmed ('' when it is not one). */
  string(key: string, max = 2048): string {
    const v = this.o[key];
    if (typeof v !== 'string' || v.trim() === '' || v.length > max) {
      this.add(key, `must be a non-empty string of at most ${max} characters`);
      return '';
    }
    return v.trim();
  }

  /** An optional array of strings, each one of `allowed` when given. */
  stringList(key: string, allowed?: readonly string[]): string[] | undefined {
    const v = this.o[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      this.add(key, 'must be an array of strings');
      return undefined;
    }
    const bad = allowed ? (v as string[]).filter((x) => !allowed.includes(x)) : [];
    if (bad.length)
      this.add(key, `has ${bad.map((b) => `"${b}"`).join(', ')}; allowed: ${allowed!.join(', ')}`);
    return v as string[];
  }

  /** A required http(s) URL (the SSRF guard judges where it points, when saved and when sent). */
  httpUrl(key: string): string {
    const url = this.string(key);
    if (url && !/^https?:\/\//i.test(url)) this.add(key, 'must be an http(s) URL');
    return url;
  }
}
