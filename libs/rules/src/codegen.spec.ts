import { reference, sameValue } from '../differential/reference';
import { compileRule } from './compile-rule';
import { DEFAULT_RULE_LIMITS } from './limits';
import { generatedFunctions, MAX_GENERATED_FUNCTIONS } from './property-reader';
import { validateRule } from './validate-rule';

const context = { now: Date.UTC(2026, 0, 15) };
const { maxNodes } = DEFAULT_RULE_LIMITS;

// Every operator that takes any number of arguments.
const VARIADIC = ['and', 'or', 'if', '?:', '+', '*', 'cat', 'merge', 'min', 'max', 'missing'];

/** As many arguments as maxNodes allows: the operation's object and array are two nodes. */
function widest(op: string, argument: (i: number) => unknown, nodesPerArgument: number) {
  const count = Math.floor((maxNodes - 2) / nodesPerArgument);

  return { [op]: Array.from({ length: count }, (_, i) => argument(i)) };
}

const data = { a: 0, b: '', n: 2, s: 'x' };

describe('generated code for the widest rules', () => {
  describe.each(VARIADIC)('%s', (op) => {
    it.each<[string, (i: number) => unknown, number]>([
      ['literal arguments', (i) => (i % 3 === 0 ? 0 : i % 3 === 1 ? '' : 1), 1],
      ['var arguments', (i) => ({ var: i % 2 === 0 ? 'a' : 'b' }), 2],
      ['comparisons', (i) => ({ '==': [{ var: 'n' }, i] }), 5],
    ])('compiles and runs with %s, as json-logic-js does', (_name, argument, nodes) => {
      const rule = widest(op, argument, nodes);
      expect(validateRule(rule)).toEqual(op === 'missing' && nodes === 5 ? expect.any(Array) : []);
      if (op === 'missing' && nodes === 5) return; // missing takes keys, not comparisons
      const compiled = compileRule(rule);
      const expected = reference(rule, data);
      expect(expected.threw).toBe(false);
      const value = compiled.evaluate(data, context);
      expect(sameValue(value, expected.threw ? undefined : expected.value)).toBe(true);
      expect(compiled.explain(data, context).result).toEqual(value);
    });
  });

  it('keeps and / or / if short-circuiting in the flat chains', () => {
    const wide = (op: string, last: unknown) =>
      compileRule({ [op]: [...Array.from({ length: 2000 }, () => ({ var: 'x' })), last] });
    expect(wide('and', 'end').evaluate({ x: 1 }, context)).toBe('end');
    expect(wide('and', 'end').evaluate({ x: 0 }, context)).toBe(0);
    expect(wide('or', 'end').evaluate({ x: 0 }, context)).toBe('end');
    expect(wide('or', 'end').evaluate({ x: 'hit' }, context)).toBe('hit');
    const branches = [...Array.from({ length: 800 }, (_, i) => [{ '==': [{ var: 'n' }, i] }, i])];
    const chain = compileRule({ if: [...branches.flat(), 'else'] });
    expect(chain.evaluate({ n: 799 }, context)).toBe(799);
    expect(chain.evaluate({ n: 3 }, context)).toBe(3);
    expect(chain.evaluate({ n: -1 }, context)).toBe('else');
    expect(compileRule({ if: branches.flat() }).evaluate({ n: -1 }, context)).toBeNull();
  });

  it('runs a time rule of the widest shape, nextChange included', () => {
    const rule = widest('or', (i) => ({ '>': [{ days_since: '2026-01-01' }, 30 + i] }), 6);
    const compiled = compileRule(rule);
    expect(compiled.evaluate({}, context)).toBe(false);
    expect(compiled.nextChange({}, context)).toBe(Date.UTC(2026, 1, 1));
  });
});

describe('generated functions per compilation', () => {
  it(`are at most ${MAX_GENERATED_FUNCTIONS}; the rest runs as closures, alike`, () => {
    const keys = Array.from({ length: 1200 }, (_, i) => `never-seen-${i}`);
    const rule = {
      or: [
        { '!': { missing: keys } },
        ...Array.from({ length: 600 }, (_, i) => ({ some: [{ var: `list${i}` }, { var: '' }] })),
      ],
    };
    const before = generatedFunctions();
    const compiled = compileRule(rule);

    expect(generatedFunctions() - before).toBeLessThanOrEqual(MAX_GENERATED_FUNCTIONS);
    const all = Object.fromEntries(keys.map((key) => [key, 1]));
    for (const profile of [{ list599: [0, 'x'] }, { list3: [0] }, all, {}]) {
      const expected = reference(rule, profile);
      expect(expected.threw).toBe(false);
      expect(compiled.evaluate(profile, context)).toEqual(
        expected.threw ? undefined : expected.value,
      );
    }
  });
});

describe('generated code for the deepest rules', () => {
  const { maxDepth } = DEFAULT_RULE_LIMITS;

  /** Wraps around a var until the rule has exactly maxDepth levels of objects and arrays. */
  const deepest = (wrap: (inner: unknown) => unknown, levelsPerWrap: number) => {
    // {"var": "n"} is one level, {"var": ["n"]} two.
    const innerLevels = (maxDepth - 1) % levelsPerWrap === 0 ? 1 : 2;
    let rule: unknown = innerLevels === 1 ? { var: 'n' } : { var: ['n'] };
    for (let i = innerLevels; i < maxDepth; i += levelsPerWrap) rule = wrap(rule);

    return rule;
  };

  it.each<[string, (inner: unknown) => unknown, number]>([
    ['and', (inner) => ({ and: [true, inner] }), 2],
    ['or', (inner) => ({ or: [false, inner] }), 2],
    ['if', (inner) => ({ if: [true, inner, 0] }), 2],
    ['!!', (inner) => ({ '!!': inner }), 1],
    ['+', (inner) => ({ '+': [1, inner] }), 2],
    ['cat', (inner) => ({ cat: ['a', inner] }), 2],
    ['some', (inner) => ({ some: [[1], inner] }), 2],
    ['map', (inner) => ({ map: [[1], inner] }), 2],
    ['an array', (inner) => [inner], 1],
  ])('compiles and runs %s nested to maxDepth, as json-logic-js does', (_name, wrap, levels) => {
    const rule = deepest(wrap, levels);
    expect(validateRule(rule)).toEqual([]);
    expect(validateRule(rule, { limits: { maxDepth: maxDepth - 1 } })).toEqual([
      expect.objectContaining({ code: 'too_deep' }),
    ]);
    const compiled = compileRule(rule);
    const expected = reference(rule, data);
    expect(expected.threw).toBe(false);
    expect(
      sameValue(compiled.evaluate(data, context), expected.threw ? undefined : expected.value),
    ).toBe(true);
    expect(compiled.explain(data, context).error).toBeUndefined();
  });
});
