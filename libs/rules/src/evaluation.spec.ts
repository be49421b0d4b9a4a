import { reference, sameValue } from '../differential/reference';
import { compileRule } from './compile-rule';
import { EvaluationError } from './evaluation-error';
import { isTruthy } from './truthiness';

const context = { now: Date.UTC(2026, 0, 15) };
const evaluate = (rule: unknown, data?: unknown) => compileRule(rule).evaluate(data, context);

describe('isTruthy', () => {
  it.each<[unknown, boolean]>([
    [[], false],
    [[0], true],
    ['0', true],
    ['', false],
    [0, false],
    [Number.NaN, false],
    [{}, true],
    [null, false],
    [undefined, false],
    ['false', true],
  ])('%j is %s', (value, truthy) => {
    expect(isTruthy(value)).toBe(truthy);
  });
});

describe('evaluate keeps the json-logic-js quirks', () => {
  it.each<[string, unknown, unknown, unknown]>([
    ['loose ==', { '==': [1, '1'] }, null, true],
    ['null == 0 is false', { '==': [null, 0] }, null, false],
    ['null passes numeric comparisons', { '<': [null, 1] }, null, true],
    ['a missing field compares as null', { '>=': [{ var: 'age' }, 0] }, {}, true],
    ['+ parses strings', { '+': ['1', '2'] }, null, 3],
    ['+ reads "12abc" as 12', { '+': ['12abc'] }, null, 12],
    ['+ of one string converts it', { '+': '3.5' }, null, 3.5],
    ['* of one operand returns it as is', { '*': ['3'] }, null, '3'],
    ['cat concatenates what + adds', { cat: ['1', 2, null, [3, 4]] }, null, '123,4'],
    ['- negates one operand', { '-': ['5'] }, null, -5],
    ['"0" is truthy', { '!!': ['0'] }, null, true],
    ['[] is falsy', { if: [[], 'yes', 'no'] }, null, 'no'],
    ['and returns the first falsy value', { and: [1, '', 2] }, null, ''],
    ['or returns the last value when all are falsy', { or: [0, null, []] }, null, []],
    ['if without else gives null', { if: [false, 1] }, null, null],
    ['var with a default', { var: ['a.b', 'none'] }, { a: {} }, 'none'],
    ['var with a null default gives null', { var: ['x', null] }, {}, null],
    ['var "" is the whole data', { var: '' }, { a: 1 }, { a: 1 }],
    ['a numeric var indexes an array', { var: 1 }, ['a', 'b'], 'b'],
    ['a dotted var through an array', { var: 'tags.1' }, { tags: ['x', 'y'] }, 'y'],
    ['var reads an array length', { var: 'tags.length' }, { tags: ['x', 'y'] }, 2],
    ['a null value is not found', { var: ['a', 7] }, { a: null }, null],
    ['missing reports "" as missing', { missing: ['a', 'b'] }, { a: '', b: 0 }, ['a']],
    ['missing of a computed list', { missing: { merge: ['a', ['b']] } }, { b: 1 }, ['a']],
    ['missing_some', { missing_some: [1, ['a', 'b']] }, { b: 1 }, []],
    ['in on a string matches substrings', { in: ['pp', 'apple'] }, null, true],
    ['in on null is false', { in: ['a', { var: 'none' }] }, {}, false],
    ['in on a number is false', { in: [1, { var: 'n' }] }, { n: 1 }, false],
    ['substr with a negative length', { substr: ['jsonlogic', 1, -2] }, null, 'sonlog'],
    ['max of nothing numeric', { max: [{ var: 'a' }] }, {}, 0],
    ['merge flattens one level', { merge: [[1, [2]], 3] }, null, [1, [2], 3]],
    [
      'map scopes to the item',
      { map: [{ var: 'xs' }, { '*': [{ var: '' }, 2] }] },
      { xs: [1, 2] },
      [2, 4],
    ],
    ['map over a non-array is []', { map: [{ var: 'xs' }, { var: '' }] }, { xs: 'ab' }, []],
    [
      'reduce scopes to current and accumulator',
      { reduce: [{ var: 'xs' }, { '+': [{ var: 'current' }, { var: 'accumulator' }] }, 10] },
      { xs: [1, 2] },
      13,
    ],
    ['reduce starts from null', { reduce: [[1], { var: 'accumulator' }] }, null, null],
    ['all of nothing is false', { all: [[], true] }, null, false],
    ['none of nothing is true', { none: [[], true] }, null, true],
    ['an iterator cannot see outer data', { map: [[1], { var: 'k' }] }, { k: 'outer' }, [null]],
    ['log returns its value', { log: { var: 'a' } }, { a: [1] }, [1]],
    ['an array of rules', [1, { var: 'a' }, [{ var: 'b' }]], { a: 2, b: 3 }, [1, 2, [3]]],
  ])('%s', (_name, rule, data, expected) => {
    const result = evaluate(rule, data);
    expect(result).toEqual(expected);
    const theirs = reference(rule, data);
    expect(theirs.threw).toBe(false);
    expect(sameValue(result, theirs.threw ? undefined : theirs.value)).toBe(true);
  });

  it('gives NaN where json-logic-js does', () => {
    expect(evaluate({ '+': ['abc', 1] })).toBeNaN();
    expect(evaluate({ '*': [true, 2] })).toBeNaN();
  });

  it('builds a new array on every evaluation, as json-logic-js does', () => {
    const rule = compileRule({ if: [{ var: 'a' }, ['x'], []] });
    const first = rule.evaluate({ a: true }, context);
    expect(first).toEqual(['x']);
    expect(rule.evaluate({ a: true }, context)).not.toBe(first);
  });

  it('is not affected by changes to the rule object it was compiled from', () => {
    const source = { in: [{ var: 'tier' }, ['gold', 'silver']] };
    const rule = compileRule(source);
    source.in[1] = ['bronze'];
    expect(rule.evaluate({ tier: 'gold' }, context)).toBe(true);
    expect(rule.rule).toEqual({ in: [{ var: 'tier' }, ['gold', 'silver']] });
    expect(Object.isFrozen(rule.rule)).toBe(true);
  });

  it('answers large constant lists as indexOf would', () => {
    const tiers = Array.from({ length: 50 }, (_, i) => `tier-${i}`);
    const rule = compileRule({ in: [{ var: 't' }, [...tiers, 0]] });
    expect(rule.evaluate({ t: 'tier-49' }, context)).toBe(true);
    expect(rule.evaluate({ t: -0 }, context)).toBe(true);
    expect(rule.evaluate({ t: 'tier-50' }, context)).toBe(false);
    expect(rule.evaluate({ t: ['tier-1'] }, context)).toBe(false);
  });
});

describe('reading data', () => {
  // Deliberate deviation from json-logic-js: own properties only.
  it('never reads inherited properties', () => {
    expect(evaluate({ var: 'toString' }, {})).toBeNull();
    expect(evaluate({ var: 'hasOwnProperty' }, { a: 1 })).toBeNull();
    expect(evaluate({ var: 'tags.map' }, { tags: [] })).toBeNull();
    expect(evaluate({ var: 's.toUpperCase' }, { s: 'x' })).toBeNull();
    expect(evaluate({ var: ['n.toFixed', 'none'] }, { n: 1 })).toBe('none');
    // json-logic-js hands out the function:
    expect(reference({ var: 'toString' }, {})).toEqual({
      threw: false,
      value: Object.prototype.toString,
    });
  });

  it('does not see keys of an object prototype', () => {
    const profile = Object.create({ tier: 'gold', nested: { x: 1 } }) as Record<string, unknown>;
    profile.name = 'Ann';
    expect(evaluate({ var: 'tier' }, profile)).toBeNull();
    expect(evaluate({ var: 'nested.x' }, profile)).toBeNull();
    expect(evaluate({ var: 'name' }, profile)).toBe('Ann');
    expect(evaluate({ missing: ['tier', 'name'] }, profile)).toEqual(['tier']);
    expect(evaluate({ missing_some: [2, ['tier', 'name']] }, profile)).toEqual(['tier']);
    expect(reference({ var: 'tier' }, profile)).toEqual({ threw: false, value: 'gold' });
  });

  it('reads own keys named like Object.prototype members', () => {
    expect(evaluate({ var: 'toString' }, { toString: 'mine' })).toBe('mine');
  });

  it('refuses an unsafe path computed at evaluation time', () => {
    const rule = compileRule({ var: { cat: ['__pro', 'to__'] } });
    expect(() => rule.evaluate({}, context)).toThrow(
      expect.objectContaining({ name: 'EvaluationError', code: 'unsafe_path' }),
    );
    expect(rule.matches({}, context)).toBe(false);
    const key = compileRule({ missing: { var: 'keys' } });
    expect(() => key.evaluate({ keys: ['a.constructor'] }, context)).toThrow(EvaluationError);
  });

  it('refuses logic found in data the same way', () => {
    // missing runs each key through apply(), so a key may be an operation.
    const rule = compileRule({ missing: { var: 'keys' } });
    expect(rule.evaluate({ keys: [{ var: 'k' }], k: 'a' }, context)).toEqual([{ var: 'k' }]);
    expect(() => rule.evaluate({ keys: [{ var: '__proto__' }] }, context)).toThrow(EvaluationError);
    expect(() => rule.evaluate({ keys: [{ now: [] }] }, context)).toThrow(
      expect.objectContaining({ code: 'unknown_operator' }),
    );
  });
});

describe('where json-logic-js throws', () => {
  it.each<[string, unknown, unknown]>([
    ['in on an object with an indexOf key', { in: ['a', { var: 'o' }] }, { o: { indexOf: 1 } }],
    [
      'comparing an object that cannot become a primitive',
      { '<': [{ var: 'o' }, 1] },
      { o: { toString: 1, valueOf: 1 } },
    ],
    ['missing_some of a null key list', { missing_some: [1, { var: 'keys' }] }, {}],
    [
      'cat of an object that cannot become a string',
      { cat: [{ var: 'o' }] },
      { o: { toString: 1 } },
    ],
  ])('throws an EvaluationError: %s', (_name, rule, data) => {
    expect(reference(rule, data).threw).toBe(true);
    const compiled = compileRule(rule);
    expect(() => compiled.evaluate(data, context)).toThrow(EvaluationError);
    expect(() => compiled.evaluate(data, context)).toThrow(
      expect.objectContaining({ code: 'evaluation_failed' }),
    );
    expect(compiled.matches(data, context)).toBe(false);
    expect(compiled.explain(data, context)).toMatchObject({ matched: false, result: undefined });
  });
});

describe('the context', () => {
  it('is not needed by a rule without time operators', () => {
    const rule = compileRule({ '==': [{ var: 'a' }, 1] });
    expect(rule.usesTime).toBe(false);
    expect(rule.evaluate({ a: 1 }, undefined as never)).toBe(true);
    expect(rule.nextChange({ a: 1 }, context)).toBeNull();
  });

  it('must hold a finite now for a rule that reads the time', () => {
    const rule = compileRule({ '>': [{ now: [] }, 0] });
    expect(rule.usesTime).toBe(true);
    for (const bad of [{}, { now: Number.NaN }, { now: '2026-01-01' }, undefined]) {
      expect(() => rule.evaluate({}, bad as never)).toThrow(
        expect.objectContaining({ code: 'invalid_context' }),
      );
      expect(rule.matches({}, bad as never)).toBe(false);
      expect(rule.explain({}, bad as never).error).toContain('now');
    }
  });

  it('is the only clock: the engine never reads the system time', () => {
    const clock = jest.spyOn(Date, 'now');
    const rule = compileRule({ '<=': [{ days_since: { var: 'joined_at' } }, 30] });
    const data = { joined_at: '2026-01-01T00:00:00Z' };
    rule.evaluate(data, context);
    rule.explain(data, context);
    rule.nextChange(data, context);
    expect(clock).not.toHaveBeenCalled();
    clock.mockRestore();
  });
});
