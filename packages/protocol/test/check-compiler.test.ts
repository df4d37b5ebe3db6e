/**
 * The compiled accept/reject check must give TypeBox's verdict on every
 * value: the schemas are walked to generate mostly-valid documents, which are
 * then damaged at random, and both checkers judge each one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Kind, OptionalKind, type TSchema, Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { compileCheck, UnsupportedSchemaError } from '../src/check-compiler.ts';
import { AgentPolicy, compileValidator, ProbeReport, ServiceProfile } from '../src/index.ts';

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    chance: (p: number) => next() < p,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
  };
}
type Random = ReturnType<typeof random>;

/** Valid samples first, then invalid ones. */
const FORMAT_SAMPLES: Record<string, { valid: string[]; invalid: string[] }> = {
  'date-time': {
    valid: ['2026-11-23T10:00:00Z', '2026-11-23T10:00:00.123+01:00'],
    invalid: ['2026-13-40T99:00:00Z', '23/11/2026', ''],
  },
  uuid: {
    valid: ['0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', '0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B'],
    invalid: ['not-a-uuid', ''],
  },
};
const PATTERN_SAMPLES: Record<string, { valid: string[]; invalid: string[] }> = {
  '^[A-Za-z0-9+/]{43}=$': { valid: [`${'A'.repeat(42)}b=`], invalid: ['A=', `${'A'.repeat(43)}`] },
  '^/': { valid: ['/', '/health'], invalid: ['health', ''] },
  '^[a-z0-9][a-z0-9-]{0,63}$': { valid: ['m365', 'a-b'], invalid: ['-a', 'A', ''] },
  '^wss://': { valid: ['wss://echo.example'], invalid: ['ws://echo.example'] },
  '^https://': { valid: ['https://files.example/1mb'], invalid: ['http://files.example'] },
};
const CLEAN_LETTERS = 'abcz019';
const NOISY_LETTERS = 'abcz019-._: AZ\né/+';

/**
 * A document generator: `clean` keeps every value inside its schema's bounds
 * (the mutations make it invalid later); noisy strays at random.
 */
function generator(r: Random, clean: boolean) {
  const stray = (p: number) => !clean && r.chance(p);

  const string = (s: TSchema): string => {
    const samples =
      (typeof s.format === 'string' && FORMAT_SAMPLES[s.format]) ||
      (typeof s.pattern === 'string' && PATTERN_SAMPLES[s.pattern]);
    if (samples) return r.pick(stray(0.3) ? samples.invalid : samples.valid);
    const max = Math.min(typeof s.maxLength === 'number' ? s.maxLength : 12, 12);
    const min = Math.max(typeof s.minLength === 'number' ? s.minLength : 0, 1);
    if (stray(0.03) && typeof s.maxLength === 'number') return 'x'.repeat(s.maxLength + 1);
    const letters = stray(0.2) ? NOISY_LETTERS : CLEAN_LETTERS;
    const length = stray(0.05) ? r.int(0, max + 3) : r.int(min, Math.max(min, max));
    let out = '';
    for (let i = 0; i < length; i++) out += letters[r.int(0, letters.length - 1)];
    return out;
  };

  const number = (s: TSchema, integer: boolean): number => {
    const lo = typeof s.minimum === 'number' ? s.minimum : -5;
    const hi = typeof s.maximum === 'number' ? s.maximum : 100_000;
    if (stray(0.05)) return r.pick([lo - 1, hi + 1, 0.5, -0.5, Number.NaN, Number.POSITIVE_INFINITY]);
    const v = lo + r.next() * Math.min(hi - lo, 100_000);
    return integer ? Math.round(v) : v;
  };

  const value = (s: TSchema, depth: number): unknown => {
    switch (s[Kind]) {
      case 'String':
        return string(s);
      case 'Number':
        return number(s, false);
      case 'Integer':
        return number(s, true);
      case 'Boolean':
        return r.chance(0.5);
      case 'Null':
        return null;
      case 'Literal':
        return s.const;
      case 'Union':
        return value(r.pick(s.anyOf as TSchema[]), depth);
      case 'Array': {
        const min = typeof s.minItems === 'number' ? s.minItems : 0;
        const max = Math.max(
          min,
          Math.min(typeof s.maxItems === 'number' ? s.maxItems : 4, depth > 2 ? 2 : 4),
        );
        const n =
          stray(0.03) && typeof s.maxItems === 'number' && s.maxItems < 40 ? s.maxItems + 1 : r.int(min, max);
        return Array.from({ length: n }, () => value(s.items as TSchema, depth + 1));
      }
      case 'Object': {
        const out: Record<string, unknown> = {};
        for (const [key, prop] of Object.entries(s.properties as Record<string, TSchema>)) {
          const optional = prop[OptionalKind] === 'Optional' || !(s.required ?? []).includes(key);
          if (!optional || r.chance(0.6)) out[key] = value(prop, depth + 1);
        }
        return out;
      }
      case 'Record': {
        const [, valueSchema] = Object.entries(s.patternProperties as Record<string, TSchema>)[0]!;
        const out: Record<string, unknown> = {};
        const n = stray(0.05) && typeof s.maxProperties === 'number' ? s.maxProperties + 1 : r.int(0, 3);
        for (let i = 0; i < n; i++) out[`${string({} as TSchema)}${i}`] = value(valueSchema, depth + 1);
        return out;
      }
      default:
        throw new Error(`the generator does not know kind ${String(s[Kind])}`);
    }
  };
  return (schema: TSchema) => value(schema, 0);
}

/** Every container inside `v`, so a mutation can land anywhere. */
function containers(v: unknown, out: Array<Record<string, unknown> | unknown[]> = []) {
  if (typeof v !== 'object' || v === null) return out;
  out.push(v as Record<string, unknown>);
  for (const child of Object.values(v)) containers(child, out);
  return out;
}

const WRONG_VALUES = [null, 0, -1, 1.5, '', 'x', true, false, [], {}, { a: 1 }, ['x'], 'x'.repeat(3000)];

/** Damages one place in the document: a removed, added or replaced member. */
function mutate(r: Random, doc: unknown): unknown {
  if (r.chance(0.05)) return r.pick(WRONG_VALUES);
  const all = containers(doc);
  const target = r.pick(all);
  if (Array.isArray(target)) {
    if (target.length && r.chance(0.5)) target[r.int(0, target.length - 1)] = r.pick(WRONG_VALUES);
    else target.push(r.pick(WRONG_VALUES));
    return doc;
  }
  const keys = Object.keys(target);
  const roll = r.next();
  if (roll < 0.3 && keys.length) delete target[r.pick(keys)];
  else if (roll < 0.45)
    // An own member, as JSON.parse makes it (plain assignment to __proto__ would set the prototype).
    Object.defineProperty(target, r.pick(['extra', '__proto__', 'constructor', 'Status']), {
      value: r.pick(WRONG_VALUES),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  else if (roll < 0.55 && keys.length) target[r.pick(keys)] = undefined;
  else if (keys.length) target[r.pick(keys)] = r.pick(WRONG_VALUES);
  return doc;
}

const SCHEMAS: Array<[string, TSchema]> = [
  ['ProbeReport', ProbeReport],
  ['ServiceProfile', ServiceProfile],
  ['AgentPolicy', AgentPolicy],
];

describe('check-compiler: the same verdict as TypeBox', () => {
  for (const [name, schema] of SCHEMAS) {
    it(`agrees with TypeBox on 3,000 generated and damaged ${name} documents`, () => {
      const fast = compileCheck(schema);
      const reference = TypeCompiler.Compile(schema);
      const r = random(0x5eed ^ name.length);
      const verdicts = { accepted: 0, rejected: 0 };
      for (let i = 0; i < 3000; i++) {
        let doc = generator(r, r.chance(0.6))(schema);
        // Round-trip through JSON: the checker is for parsed JSON (undefined members vanish).
        if (r.chance(0.8)) doc = JSON.parse(JSON.stringify(doc));
        if (r.chance(0.5)) doc = mutate(r, doc);
        const expected = reference.Check(doc);
        assert.equal(fast(doc), expected, `document ${i}: ${JSON.stringify(doc).slice(0, 2000)}`);
        verdicts[expected ? 'accepted' : 'rejected']++;
      }
      // Both answers must be well represented, or the comparison proves little.
      assert.ok(verdicts.accepted >= 300, `only ${verdicts.accepted} valid documents were generated`);
      assert.ok(verdicts.rejected >= 300, `only ${verdicts.rejected} invalid documents were generated`);
    });
  }

  it('refuses unknown keys, and accepts an optional member that is absent or undefined', () => {
    const check = compileCheck(
      Type.Object({ a: Type.String(), b: Type.Optional(Type.Integer()) }, { additionalProperties: false }),
    );
    assert.equal(check({ a: 'x' }), true);
    assert.equal(check({ a: 'x', b: undefined }), true);
    assert.equal(check({ a: 'x', b: 2 }), true);
    assert.equal(check({ a: 'x', b: 2.5 }), false);
    assert.equal(check({ a: 'x', c: 1 }), false);
    assert.equal(check(JSON.parse('{"a":"x","__proto__":1}')), false);
    assert.equal(check({ b: 1 }), false);
    assert.equal(check(['x']), false);
  });

  it('throws at compile time for a kind or keyword it cannot check exactly', () => {
    const cases: TSchema[] = [
      Type.Any(),
      Type.Tuple([Type.String()]),
      Type.Array(Type.String(), { uniqueItems: true }),
      Type.String({ format: 'not-registered' }),
      Type.Object({ a: Type.String({ contentEncoding: 'base64' }) }),
    ];
    for (const schema of cases) assert.throws(() => compileCheck(schema), UnsupportedSchemaError);
  });

  it('rejected documents still get TypeBox issues naming the path', () => {
    const validator = compileValidator<unknown>(Type.Object({ n: Type.Integer({ maximum: 3 }) }), 'doc');
    assert.throws(
      () => validator.parse({ n: 7 }),
      (err: Error & { issues?: Array<{ path: string }> }) => err.issues?.[0]?.path === '/n',
    );
  });
});
