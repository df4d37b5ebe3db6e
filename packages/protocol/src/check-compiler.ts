/**
 * @module check-compiler
 * Compiles a TypeBox schema into a yes/no check for parsed JSON, with the
 * same verdicts as TypeBox's own `TypeCompiler` but several times faster on
 * a probe report (figures in ARCHITECTURE.md, "Validating reports").
 *
 * TypeBox stays the definition of every schema and the source of the error
 * messages (validate.ts asks it for the issues of a rejected value); this
 * file only decides accept or reject, on the hot path of ingest. It is fast
 * because the code it writes allocates nothing: each object and array gets
 * its own function that reads every property once into a local, unknown keys
 * are refused by a `for…in` over a `switch` (TypeBox builds a key array and
 * a closure per object), and arrays are walked by index.
 *
 * Only the kinds the protocol uses are supported; any other kind or keyword
 * throws at compile time, so a schema can never be checked more loosely than
 * TypeBox would check it. validate.test.ts runs both on thousands of mutated
 * reports and requires the same verdict every time.
 *
 * Values are assumed to come from `JSON.parse` (own, enumerable, plain data):
 * `for…in` sees exactly the keys TypeBox's `getOwnPropertyNames` sees there.
 */
import { FormatRegistry, Kind, OptionalKind, type TSchema } from '@sinclair/typebox';

/** Keywords each supported kind may carry; anything else is refused (it might be a constraint). */
const ANNOTATIONS = ['$id', 'title', 'description', 'default', 'examples', '$schema'];
const ALLOWED: Record<string, string[]> = {
  Object: ['type', 'properties', 'required', 'additionalProperties', 'minProperties', 'maxProperties'],
  Record: ['type', 'patternProperties', 'additionalProperties', 'minProperties', 'maxProperties'],
  Array: ['type', 'items', 'minItems', 'maxItems'],
  String: ['type', 'minLength', 'maxLength', 'pattern', 'format'],
  Number: ['type', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  Integer: ['type', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  Boolean: ['type'],
  Null: ['type'],
  Literal: ['type', 'const'],
  Union: ['anyOf'],
};

export class UnsupportedSchemaError extends Error {
  constructor(at: string, what: string) {
    super(`check-compiler: ${what} at ${at || '/'}; extend check-compiler.ts or use TypeBox's compiler`);
    this.name = 'UnsupportedSchemaError';
  }
}

/** Builds the check function; throws UnsupportedSchemaError for a schema it cannot check exactly. */
export function compileCheck(schema: TSchema): (value: unknown) => boolean {
  const functions: string[] = [];
  /** Values the generated code refers to (patterns and format functions), passed in by position. */
  const constants: unknown[] = [];
  let nextId = 0;

  const constant = (value: unknown): string => {
    constants.push(value);
    return `c${constants.length - 1}`;
  };

  const refuseUnknownKeywords = (s: TSchema, kind: string, at: string) => {
    const allowed = ALLOWED[kind]!;
    for (const key of Object.keys(s)) {
      if (!allowed.includes(key) && !ANNOTATIONS.includes(key))
        throw new UnsupportedSchemaError(at, `keyword "${key}" on ${kind}`);
    }
  };

  const numberBounds = (s: TSchema, v: string): string[] => {
    const out: string[] = [];
    if (typeof s.exclusiveMaximum === 'number') out.push(`${v} < ${s.exclusiveMaximum}`);
    if (typeof s.exclusiveMinimum === 'number') out.push(`${v} > ${s.exclusiveMinimum}`);
    if (typeof s.maximum === 'number') out.push(`${v} <= ${s.maximum}`);
    if (typeof s.minimum === 'number') out.push(`${v} >= ${s.minimum}`);
    if (typeof s.multipleOf === 'number') out.push(`(${v} % ${s.multipleOf}) === 0`);
    return out;
  };

  /** An expression that is true when the value in variable `v` matches `s`. */
  const expression = (s: TSchema, v: string, at: string): string => {
    const kind = s[Kind] as string;
    if (!(kind in ALLOWED)) throw new UnsupportedSchemaError(at, `kind "${kind}"`);
    refuseUnknownKeywords(s, kind, at);
    switch (kind) {
      case 'String': {
        const parts = [`typeof ${v} === 'string'`];
        if (typeof s.maxLength === 'number') parts.push(`${v}.length <= ${s.maxLength}`);
        if (typeof s.minLength === 'number') parts.push(`${v}.length >= ${s.minLength}`);
        if (s.pattern !== undefined) parts.push(`${constant(new RegExp(s.pattern))}.test(${v})`);
        if (s.format !== undefined) {
          const test = FormatRegistry.Get(s.format);
          if (!test) throw new UnsupportedSchemaError(at, `format "${s.format}" that is not registered`);
          parts.push(`${constant(test)}(${v})`);
        }
        return `(${parts.join(' && ')})`;
      }
      case 'Number':
        return `(${[`Number.isFinite(${v})`, ...numberBounds(s, v)].join(' && ')})`;
      case 'Integer':
        return `(${[`Number.isInteger(${v})`, ...numberBounds(s, v)].join(' && ')})`;
      case 'Boolean':
        return `(typeof ${v} === 'boolean')`;
      case 'Null':
        return `(${v} === null)`;
      case 'Literal':
        if (!['string', 'number', 'boolean'].includes(typeof s.const))
          throw new UnsupportedSchemaError(at, 'a literal that is not a string, number or boolean');
        return `(${v} === ${JSON.stringify(s.const)})`;
      case 'Union':
        return `(${(s.anyOf as TSchema[]).map((m, i) => expression(m, v, `${at}/anyOf/${i}`)).join(' || ')})`;
      case 'Array':
        return `${arrayFunction(s, at)}(${v})`;
      case 'Object':
        return `${objectFunction(s, at)}(${v})`;
      default:
        return `${recordFunction(s, at)}(${v})`;
    }
  };

  const define = (body: string): string => {
    const name = `f${nextId++}`;
    functions.push(`function ${name}(v) {\n${body}\n}`);
    return name;
  };

  const arrayFunction = (s: TSchema, at: string): string => {
    const lines = ['if (!Array.isArray(v)) return false;'];
    if (typeof s.maxItems === 'number') lines.push(`if (v.length > ${s.maxItems}) return false;`);
    if (typeof s.minItems === 'number') lines.push(`if (v.length < ${s.minItems}) return false;`);
    lines.push(
      'for (let i = 0; i < v.length; i++) {',
      '  const e = v[i];',
      `  if (!${expression(s.items as TSchema, 'e', `${at}/items`)}) return false;`,
      '}',
      'return true;',
    );
    return define(lines.join('\n'));
  };

  const propertyCount = (s: TSchema): string[] => {
    const lines: string[] = [];
    if (typeof s.minProperties !== 'number' && typeof s.maxProperties !== 'number') return lines;
    lines.push('let n = 0;', 'for (const k in v) n++;');
    if (typeof s.minProperties === 'number') lines.push(`if (n < ${s.minProperties}) return false;`);
    if (typeof s.maxProperties === 'number') lines.push(`if (n > ${s.maxProperties}) return false;`);
    return lines;
  };

  const objectFunction = (s: TSchema, at: string): string => {
    const properties = (s.properties ?? {}) as Record<string, TSchema>;
    const required = new Set((s.required ?? []) as string[]);
    const known = Object.keys(properties);
    const lines = [
      "if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;",
      ...propertyCount(s),
    ];
    known.forEach((key, i) => {
      const property = properties[key]!;
      const local = `p${i}`;
      lines.push(`const ${local} = v[${JSON.stringify(key)}];`);
      const test = expression(property, local, `${at}/properties/${key}`);
      // Optional means "absent or undefined" (TypeBox without exactOptionalPropertyTypes).
      lines.push(
        required.has(key) && property[OptionalKind] !== 'Optional'
          ? `if (!${test}) return false;`
          : `if (${local} !== undefined && !${test}) return false;`,
      );
    });
    const extra = s.additionalProperties;
    if (extra === false || (typeof extra === 'object' && extra !== null)) {
      const others =
        extra === false
          ? 'return false;'
          : `if (!${expression(extra as TSchema, 'v[k]', `${at}/additionalProperties`)}) return false;`;
      lines.push(
        'for (const k in v) {',
        '  switch (k) {',
        ...known.map((key) => `    case ${JSON.stringify(key)}:`),
        ...(known.length ? ['      continue;'] : []),
        `    default: ${others}`,
        '  }',
        '}',
      );
    } else if (extra !== undefined && extra !== true) {
      throw new UnsupportedSchemaError(at, 'additionalProperties that is neither a boolean nor a schema');
    }
    lines.push('return true;');
    return define(lines.join('\n'));
  };

  const recordFunction = (s: TSchema, at: string): string => {
    const patterns = Object.entries((s.patternProperties ?? {}) as Record<string, TSchema>);
    if (patterns.length !== 1)
      throw new UnsupportedSchemaError(at, 'a record without exactly one key pattern');
    const [pattern, valueSchema] = patterns[0]!;
    const extra = s.additionalProperties;
    const otherwise =
      extra === false
        ? 'false'
        : typeof extra === 'object' && extra !== null
          ? expression(extra as TSchema, 'e', `${at}/additionalProperties`)
          : 'true';
    const lines = [
      // TypeBox's record-like test: an object that is neither an array, a Date nor bytes.
      "if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Date || v instanceof Uint8Array) return false;",
      ...propertyCount(s),
      'for (const k in v) {',
      '  const e = v[k];',
      `  if (!(${constant(new RegExp(pattern))}.test(k) ? ${expression(valueSchema, 'e', `${at}/patternProperties`)} : ${otherwise})) return false;`,
      '}',
      'return true;',
    ];
    return define(lines.join('\n'));
  };

  const root = expression(schema, 'value', '');
  const body = `${functions.join('\n')}\nreturn function check(value) { return ${root}; };`;
  const names = constants.map((_, i) => `c${i}`);
  return new Function(...names, body)(...constants) as (value: unknown) => boolean;
}
