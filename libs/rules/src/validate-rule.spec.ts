import { compileRule } from './compile-rule';
import { type RuleIssue, RuleValidationError } from './rule-issue';
import { validateRule } from './validate-rule';

const at = (issues: RuleIssue[]) => issues.map(({ path, code }) => `${code}@${path}`);

describe('validateRule', () => {
  it.each<[string, unknown]>([
    ['a comparison', { '==': [{ var: 'tier' }, 'gold'] }],
    ['nested and/or/not', { and: [{ or: [{ '!': { var: 'a' } }, true] }, { '>=': [1, 0] }] }],
    ['a literal', 'apple'],
    ['an array of rules', [1, { var: 'x' }]],
    [
      'var shapes',
      { cat: [{ var: '' }, { var: [] }, { var: null }, { var: 1 }, { var: ['a', 0] }] },
    ],
    ['a computed var path', { var: { cat: ['pie', '.filling'] } }],
    ['missing and missing_some', { or: [{ missing: ['a', 'b.c'] }, { missing_some: [1, ['x']] }] }],
    ['iterators', { some: [{ var: 'orders' }, { '>': [{ var: 'total' }, 100] }] }],
    [
      'reduce',
      { reduce: [{ var: 'n' }, { '+': [{ var: 'current' }, { var: 'accumulator' }] }, 0] },
    ],
    ['between', { '<=': [18, { var: 'age' }, 65] }],
    ['time operators', { '<=': [{ days_since: { var: 'joined_at' } }, 30] }],
    ['a timestamp literal', { '>': [{ now: [] }, { timestamp: '2026-01-01T00:00:00Z' }] }],
  ])('accepts %s', (_name, rule) => {
    expect(validateRule(rule)).toEqual([]);
  });

  it.each<[string, unknown, string[]]>([
    ['an unknown operator at the root', { foo: [1] }, ['unknown_operator@foo']],
    [
      'an unknown operator deep down',
      { and: [true, { or: [{ val: 'x' }] }] },
      ['unknown_operator@and.1.or.0.val'],
    ],
    ['a dotted operator', { 'Math.max': [1, 2] }, ['unknown_operator@Math.max']],
    [
      'an operator named __proto__',
      JSON.parse('{"__proto__": [1]}'),
      ['unknown_operator@__proto__'],
    ],
    ['too many operands', { '==': [1, 1, 1] }, ['arity@==']],
    ['too few operands', { and: [true, { '!': [] }] }, ['arity@and.1.!']],
    ['a shorthand where two are needed', { '>': 1 }, ['arity@>']],
    ['an argument to now', { now: [1] }, ['arity@now']],
    [
      'missing_some without a count',
      { missing_some: ['a', ['b']] },
      ['invalid_argument@missing_some.0'],
    ],
    [
      'missing_some without a key list',
      { missing_some: [1, 'a'] },
      ['invalid_argument@missing_some.1'],
    ],
    ['missing keys after a key array', { missing: [['a'], 'b'] }, ['invalid_argument@missing.1']],
    ['a missing key that is not a path', { missing: ['a', true] }, ['invalid_argument@missing.1']],
    ['in against a number', { in: ['a', 12] }, ['invalid_argument@in.1']],
    ['substr with a text start', { substr: ['abc', 'x'] }, ['invalid_argument@substr.1']],
    ['an iterator over a literal scalar', { map: [5, { var: '' }] }, ['invalid_argument@map.0']],
    ['a var path that is a boolean', { var: true }, ['invalid_argument@var']],
    [
      'an unparseable timestamp literal',
      { days_since: 'yesterday' },
      ['invalid_argument@days_since'],
    ],
    ['a timestamp of a boolean', { timestamp: [true] }, ['invalid_argument@timestamp.0']],
    ['an empty object as the whole rule', {}, ['object_literal@']],
    [
      'an object with two operators',
      { or: [{ and: [true], or: [false] }] },
      ['object_literal@or.0'],
    ],
  ])('refuses %s', (_name, rule, expected) => {
    expect(at(validateRule(rule))).toEqual(expected);
  });

  describe('unsafe paths', () => {
    it.each<[string, unknown, string]>([
      ['var "__proto__"', { var: '__proto__' }, 'var'],
      [
        'a dotted var segment',
        { and: [true, { in: [{ var: 'a.constructor.name' }, ['x']] }] },
        'and.1.in.0.var',
      ],
      ['var "prototype" with a default', { var: ['a.prototype', 0] }, 'var.0'],
      ['a var segment at the end', { '==': [{ var: 'profile.__proto__' }, null] }, '==.0.var'],
      ['var as an array path', { var: [['__proto__']] }, 'var.0'],
      ['a missing key', { missing: ['a', 'constructor'] }, 'missing.1'],
      ['a missing key, shorthand', { missing: '__proto__.x' }, 'missing'],
      ['a missing key in a key array', { missing: [['a', 'b.prototype']] }, 'missing.0.1'],
      ['a missing_some key', { missing_some: [1, ['a', '__proto__']] }, 'missing_some.1.1'],
    ])('in %s', (_name, rule, path) => {
      expect(validateRule(rule)).toContainEqual(
        expect.objectContaining({ path, code: 'unsafe_path' }),
      );
    });

    it('leaves look-alike names alone', () => {
      expect(validateRule({ var: 'a.__proto.constructors.prototype_id' })).toEqual([]);
    });
  });

  describe('non-JSON values', () => {
    class Tier {
      name = 'gold';
    }
    const sparse: unknown[] = [1];
    sparse[2] = 3;
    const cycle: Record<string, unknown> = { and: [true] };
    (cycle.and as unknown[]).push(cycle);

    it.each<[string, unknown, string]>([
      ['undefined', { '==': [{ var: 'a' }, undefined] }, '==.1'],
      ['a function', { '==': [() => 1, 1] }, '==.0'],
      ['a symbol', { '==': [Symbol('x'), 1] }, '==.0'],
      ['a bigint', { '==': [BigInt(1), 1] }, '==.0'],
      ['a Date', { '==': [new Date(0), 1] }, '==.0'],
      ['a Map', { in: [1, new Map()] }, 'in.1'],
      ['a class instance', { '==': [new Tier(), 1] }, '==.0'],
      ['a sparse array', { in: [1, sparse] }, 'in.1.1'],
      ['a cycle', cycle, 'and.1'],
      ['the root', undefined, ''],
    ])('refuses %s', (_name, rule, path) => {
      expect(validateRule(rule)).toContainEqual(
        expect.objectContaining({ path, code: 'not_json' }),
      );
    });
  });

  describe('numbers JSON cannot hold', () => {
    it.each<[string, unknown, string]>([
      ['1e400 as JSON.parse reads it', JSON.parse('{"<": [{"var": "a"}, 1e400]}'), '<.1'],
      ['-1e400', JSON.parse('{"in": [{"var": "a"}, [1, -1e400]]}'), 'in.1.1'],
      ['NaN', { '==': [{ var: 'a' }, Number.NaN] }, '==.1'],
      ['Infinity as a shorthand argument', { '!': Infinity }, '!'],
    ])('refuses %s with non_finite_number at its path', (_name, rule, path) => {
      expect(at(validateRule(rule))).toEqual([`non_finite_number@${path}`]);
    });

    it('says what happened to the number', () => {
      const [issue] = validateRule(JSON.parse('{"==": [{"var": "a"}, 1e400]}'));
      expect(issue?.message).toContain('1e400');
    });

    it('accepts the largest finite numbers', () => {
      expect(validateRule(JSON.parse('{"<": [-1.7e308, {"var": "a"}, 1.7e308]}'))).toEqual([]);
    });
  });

  describe('limits', () => {
    const nested = (depth: number): unknown => {
      let rule: unknown = { var: 'a' };
      for (let i = 0; i < depth; i++) rule = { '!': [rule] };

      return rule;
    };

    /** `levels` nested objects: {"!": {"!": ... {"var": "a"}}}, the string inside adding none. */
    const levels = (count: number): unknown => {
      let rule: unknown = { var: 'a' };
      for (let i = 1; i < count; i++) rule = { '!': rule };

      return rule;
    };

    it('allows maxDepth (64) nested objects and arrays, as documented, and refuses 65', () => {
      expect(validateRule(levels(64))).toEqual([]);
      expect(at(validateRule(levels(65)))).toEqual([`too_deep@${'!.'.repeat(64).slice(0, -1)}`]);
      // {"!": [ ... ]} is two levels: 31 of them and a var are 63, 32 are 65.
      expect(validateRule(nested(31))).toEqual([]);
      expect(at(validateRule(nested(32)))).toEqual([`too_deep@${'!.0.'.repeat(32).slice(0, -1)}`]);
    });

    it('counts arrays as levels and scalars as none', () => {
      let array: unknown = [1];
      for (let i = 1; i < 64; i++) array = [array];
      expect(validateRule(array)).toEqual([]);
      expect(at(validateRule([array]))).toEqual([`too_deep@${'0.'.repeat(64).slice(0, -1)}`]);
    });

    it('compiles and evaluates a rule at the depth limit', () => {
      // 63 negations of a falsy value.
      expect(compileRule(levels(64)).evaluate({ a: 0 }, { now: 0 })).toBe(true);
    });

    it('stops early on a rule nested far too deep, without exhausting the stack', () => {
      expect(validateRule(nested(100_000))).toEqual([
        expect.objectContaining({ code: 'too_deep' }),
      ]);
    });

    it('refuses more than maxNodes nodes', () => {
      const rule = { in: [{ var: 'a' }, Array.from({ length: 5000 }, (_, i) => i)] };
      expect(at(validateRule(rule))).toEqual(['too_large@']);
      expect(validateRule({ in: [1, Array.from({ length: 4990 }, (_, i) => i)] })).toEqual([]);
    });

    it('refuses more than maxBytes of JSON', () => {
      const rule = { in: [{ var: 'a' }, ['x'.repeat(70_000)]] };
      expect(at(validateRule(rule))).toEqual(['too_large@']);
    });

    it('takes other limits', () => {
      const rule = { and: [{ '==': [{ var: 'a' }, 1] }] };
      expect(at(validateRule(rule, { limits: { maxDepth: 3 } }))).toEqual(['too_deep@and.0.==']);
      expect(at(validateRule(rule, { limits: { maxNodes: 5 } }))).toEqual(['too_large@']);
      expect(at(validateRule(rule, { limits: { maxBytes: 10 } }))).toEqual(['too_large@']);
      expect(() => validateRule(rule, { limits: { maxDepth: 0 } })).toThrow(RangeError);
    });
  });

  describe('argument placeholders', () => {
    const template = { '>=': [{ var: 'spend' }, { arg: 'threshold' }] };

    it('are refused in a rule', () => {
      expect(at(validateRule(template))).toEqual(['unresolved_argument@>=.1.arg']);
    });

    it('are accepted in a template', () => {
      expect(validateRule(template, { allowArgs: true })).toEqual([]);
    });

    it('stand for any value, so literal checks skip them', () => {
      expect(validateRule({ in: [{ var: 'a' }, { arg: 'list' }] }, { allowArgs: true })).toEqual(
        [],
      );
    });

    it('need a proper name', () => {
      expect(at(validateRule({ var: { arg: 1 } }, { allowArgs: true }))).toEqual([
        'invalid_argument@var.arg',
      ]);
      expect(at(validateRule({ var: { arg: 'a.b' } }, { allowArgs: true }))).toEqual([
        'invalid_argument@var.arg',
      ]);
    });

    it.each(['__proto__', 'constructor', 'prototype'])('may not be named %s', (name) => {
      expect(at(validateRule({ var: { arg: name } }, { allowArgs: true }))).toEqual([
        'invalid_argument@var.arg',
      ]);
    });
  });

  it('reports every issue, not only the first', () => {
    const rule = { and: [{ foo: 1 }, { '==': [1] }, { var: '__proto__' }] };
    expect(at(validateRule(rule))).toEqual([
      'unknown_operator@and.0.foo',
      'arity@and.1.==',
      'unsafe_path@and.2.var',
    ]);
  });
});

describe('compileRule', () => {
  it('throws a RuleValidationError carrying the issues', () => {
    const rule = { and: [{ foo: 1 }] };
    expect(() => compileRule(rule)).toThrow(RuleValidationError);
    try {
      compileRule(rule);
    } catch (error) {
      expect((error as RuleValidationError).issues).toEqual(validateRule(rule));
      expect((error as Error).message).toContain('and.0.foo');
    }
  });

  it('passes its limits to the validator', () => {
    expect(() => compileRule({ '!': [{ '!': [true] }] }, { limits: { maxDepth: 3 } })).toThrow(
      RuleValidationError,
    );
  });
});
