/**
 * @module validate
 * Validation of untrusted JSON against the protocol's schemas, with errors
 * that name the JSON path (RFC 6901 pointer) and what is wrong there.
 *
 * Accept or reject is decided by check-compiler.ts (allocation-free, several
 * times faster on a report); the issues of a rejected value come from
 * TypeBox, which defines the schemas and words the messages.
 */
import type { TSchema } from '@sinclair/typebox';
import { FormatRegistry } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { compileCheck } from './check-compiler.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
if (!FormatRegistry.Has('uuid')) FormatRegistry.Set('uuid', (v) => UUID.test(v));
if (!FormatRegistry.Has('date-time'))
  FormatRegistry.Set('date-time', (v) => DATE_TIME.test(v) && !Number.isNaN(Date.parse(v)));

export interface SchemaIssue {
  /** JSON pointer of the offending value, `/` for the document itself. */
  path: string;
  message: string;
}

export class SchemaError extends Error {
  readonly issues: SchemaIssue[];
  constructor(what: string, issues: SchemaIssue[]) {
    const first = issues[0];
    super(
      `${what}: ${first ? `${first.path} ${first.message}` : 'invalid'}` +
        (issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : ''),
    );
    this.name = 'SchemaError';
    this.issues = issues;
  }
}

/** Compiles a schema once and returns a checker that throws SchemaError. Values are parsed JSON. */
export function compileValidator<T>(schema: TSchema, what: string) {
  const accepts = compileCheck(schema);
  const compiled = TypeCompiler.Compile(schema);
  return {
    check(value: unknown): value is T {
      return accepts(value);
    },
    issues(value: unknown, limit = 10): SchemaIssue[] {
      const out: SchemaIssue[] = [];
      for (const e of compiled.Errors(value)) {
        out.push({ path: e.path === '' ? '/' : e.path, message: e.message });
        if (out.length >= limit) break;
      }
      return out;
    },
    /** Returns the value typed, or throws a SchemaError naming the first problems. */
    parse(value: unknown, whatOverride?: string): T {
      if (accepts(value)) return value as T;
      throw new SchemaError(whatOverride ?? what, this.issues(value));
    },
  };
}
