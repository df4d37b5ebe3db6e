/**
 * @module ingest/schema-depth
 * The deepest JSON nesting a JSON Schema can accept (objects and arrays
 * count one level each, as in json-body.ts `jsonDepth`), or Infinity when
 * some part accepts arbitrary values. A document that passes validation
 * against a schema of bounded depth is no deeper than that bound, so ingest
 * can skip its byte-level depth scan for valid reports and run it only to
 * explain a rejection.
 */

type Schema = Record<string, unknown>;

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A pattern that every property name matches (TypeBox `Record(String, T)`). */
const MATCHES_ALL = new Set(['^(.*)$', '^.*$', '.*', '']);

const CONTAINERS = new Set(['object', 'array']);

function literalDepth(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  const children = Array.isArray(v) ? v : Object.values(v);
  return 1 + Math.max(0, ...children.map(literalDepth));
}

/** Bounded depth of `schema`, Infinity when unbounded (or not understood: the safe answer). */
export function schemaDepth(schema: unknown): number {
  if (schema === false) return 0; // accepts nothing
  if (!isSchema(schema)) return Number.POSITIVE_INFINITY; // `true` or garbage
  if ('$ref' in schema || 'not' in schema || 'if' in schema) return Number.POSITIVE_INFINITY;
  const branches = ['anyOf', 'oneOf', 'allOf'].flatMap((k) => (Array.isArray(schema[k]) ? schema[k] : []));
  if (branches.length > 0) {
    const { anyOf: _a, oneOf: _o, allOf: _l, ...own } = schema;
    // A document must match a branch; taking the widest branch stays an upper bound.
    const inner = Math.max(...branches.map(schemaDepth));
    // Keywords beside the branches constrain the same document: either bound holds.
    return 'type' in own ? Math.min(inner, schemaDepth(own)) : inner;
  }
  if ('const' in schema) return literalDepth(schema.const);
  if (Array.isArray(schema.enum)) return Math.max(0, ...schema.enum.map(literalDepth));
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (schema.type === undefined || !types.every((t) => typeof t === 'string'))
    return Number.POSITIVE_INFINITY;
  if (!types.some((t) => CONTAINERS.has(t as string))) return 0;
  let deepest = 0;
  if (types.includes('object')) {
    const props = isSchema(schema.properties) ? Object.values(schema.properties) : [];
    const patterns = isSchema(schema.patternProperties) ? schema.patternProperties : {};
    const extra = schema.additionalProperties;
    const catchAll = Object.keys(patterns).some((p) => MATCHES_ALL.has(p));
    // Properties no other keyword describes are unconstrained unless additionalProperties says otherwise.
    const rest = catchAll ? [] : [extra === undefined ? true : extra];
    deepest = Math.max(
      deepest,
      1 + Math.max(0, ...[...props, ...Object.values(patterns), ...rest].map(schemaDepth)),
    );
  }
  if (types.includes('array')) {
    const items = schema.items === undefined ? true : schema.items;
    const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
    const itemSchemas = Array.isArray(items) ? items : [items];
    deepest = Math.max(deepest, 1 + Math.max(0, ...[...prefix, ...itemSchemas].map(schemaDepth)));
  }
  return deepest;
}
