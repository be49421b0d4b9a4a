import { compileRule } from './compile-rule';
import { EvaluationError } from './evaluation-error';
import { type EvaluationContext } from './evaluation-context';
import { compileUnchecked } from './json-logic-rule';
import { DEFAULT_RULE_LIMITS } from './limits';
import { validateRule } from './validate-rule';

const context: EvaluationContext = { now: Date.UTC(2026, 0, 15) };
const range = (length: number) => Array.from({ length }, (_, i) => i);
const budgetExceeded = expect.objectContaining({
  name: 'EvaluationError',
  code: 'budget_exceeded',
});

/** Steps an evaluation took, as the context's usage counts them. */
function stepsOf(run: (context: EvaluationContext) => unknown): number {
  const usage = { steps: 0 };
  try {
    run({ ...context, usage });
  } catch {
    // The steps are counted either way.
  }

  return usage.steps;
}

describe('the evaluation budget', () => {
  // Valid rules (or rules over data) that took seconds and gigabytes before the budget.
  it.each<[string, unknown, unknown]>([
    [
      'nested iterators over profile arrays',
      { some: [{ var: 'rows' }, { some: [{ var: '' }, { '==': [{ var: '' }, -1] }] }] },
      { rows: range(600).map(() => range(600)) },
    ],
    [
      'a reduce that doubles a string',
      { reduce: [range(40), { cat: [{ var: 'accumulator' }, { var: 'accumulator' }] }, 'xx'] },
      {},
    ],
    [
      'a reduce that doubles an array',
      { reduce: [range(40), { merge: [{ var: 'accumulator' }, { var: 'accumulator' }] }, [1]] },
      {},
    ],
    [
      'a reduce that nests an array in itself twice, then compares it',
      {
        '==': [{ reduce: [range(60), [{ var: 'accumulator' }, { var: 'accumulator' }], [1]] }, 1],
      },
      {},
    ],
    [
      'cat of a long string, many times',
      { cat: range(2000).map(() => ({ var: 's' })) },
      {
        s: 'x'.repeat(60_000),
      },
    ],
    [
      'substr of an array built to be huge',
      { substr: [{ reduce: [range(40), [{ var: 'accumulator' }, { var: 'accumulator' }], 1] }, 0] },
      {},
    ],
    [
      'comparisons that turn a long array into text, many times',
      { and: range(900).map(() => ({ '!=': [{ var: 'big' }, 1] })) },
      { big: range(100_000) },
    ],
    [
      'in, searching a long array many times',
      { none: [{ var: 'ids' }, { in: [{ var: '' }, { var: '' }] }] },
      { ids: range(100_000).map(() => range(10)) },
    ],
  ])('stops %s with budget_exceeded', (_name, rule, data) => {
    expect(validateRule(rule)).toEqual([]);
    const compiled = compileRule(rule);
    expect(() => compiled.evaluate(data, context)).toThrow(EvaluationError);
    expect(() => compiled.evaluate(data, context)).toThrow(budgetExceeded);
    expect(compiled.matches(data, context)).toBe(false);
    const explained = compiled.explain(data, context);
    expect(explained).toMatchObject({ matched: false, errorCode: 'budget_exceeded' });
    expect(explained.trace.error).toContain('evaluation budget');
  });

  it('charges the rule size once, and each item 1 plus the size of the logic', () => {
    // map, var, "xs", var, "": five nodes; the logic {"var": ""} is two.
    const rule = { map: [{ var: 'xs' }, { var: '' }] };
    const limits = { maxSteps: 5 + 3 * 10 };
    expect(compileRule(rule, { limits }).evaluate({ xs: range(10) }, context)).toEqual(range(10));
    expect(() => compileRule(rule, { limits }).evaluate({ xs: range(11) }, context)).toThrow(
      budgetExceeded,
    );
    expect(stepsOf((c) => compileRule(rule).evaluate({ xs: range(10) }, c))).toBe(35);
  });

  it('charges what cat builds, before it builds it', () => {
    const rule = compileRule({ cat: [{ var: 's' }, { var: 's' }] }, { limits: { maxSteps: 2000 } });
    expect(rule.evaluate({ s: 'x'.repeat(990) }, context)).toHaveLength(1980);
    expect(() => rule.evaluate({ s: 'x'.repeat(1000) }, context)).toThrow(budgetExceeded);
  });

  it('charges the items an `in` searches, on the generated path and the closures alike', () => {
    const rule = { in: [-1, { var: 'xs' }] };
    const steps = stepsOf((c) => compileRule(rule).evaluate({ xs: range(1000) }, c));
    expect(steps).toBe(4 + 1000);
    const traced = compileRule(rule, { limits: { maxSteps: 900 } }).explain(
      { xs: range(1000) },
      context,
    );
    expect(traced.errorCode).toBe('budget_exceeded');
  });

  it('gives every evaluation a budget of its own, and none outside', () => {
    const limits = { maxSteps: 1000 };
    const rule = compileRule({ some: [{ var: 'xs' }, { '==': [{ var: '' }, -1] }] }, { limits });
    const data = { xs: range(150) };
    for (let i = 0; i < 3; i++) expect(rule.evaluate(data, context)).toBe(false);
    expect(() => rule.evaluate({ xs: range(300) }, context)).toThrow(budgetExceeded);
    // After a failure the next evaluation starts afresh.
    expect(rule.evaluate(data, context)).toBe(false);
    expect(compileRule({ some: [{ var: 'xs' }, true] }).evaluate({ xs: range(5) }, context)).toBe(
      true,
    );
  });

  it('adds the steps of every evaluation to the context usage', () => {
    const rule = compileRule({ all: [{ var: 'xs' }, { '>=': [{ var: '' }, 0] }] });
    const usage = { steps: 0 };
    rule.evaluate({ xs: range(10) }, { ...context, usage });
    rule.matches({ xs: range(10) }, { ...context, usage });
    // all, var, "xs", >=, var, "", 0: seven nodes; five per item.
    expect(usage.steps).toBe(2 * (7 + 10 * 5));
  });

  it('lets realistic retail rules through with room to spare', () => {
    const orders = range(5000).map((i) => ({
      amount: i % 400,
      at: new Date(context.now - i * 3_600_000).toISOString(),
      items: range(10).map((j) => ({ sku: `sku-${j}`, qty: j })),
    }));
    const profile = { tier: 'gold', tags: range(200).map(String), orders };
    const rules: unknown[] = [
      {
        and: [
          { in: [{ var: 'tier' }, ['gold', 'platinum']] },
          { some: [{ var: 'orders' }, { '>=': [{ var: 'amount' }, 250] }] },
        ],
      },
      {
        '>=': [
          {
            reduce: [
              { filter: [{ var: 'orders' }, { '<=': [{ days_since: { var: 'at' } }, 90] }] },
              { '+': [{ var: 'current.amount' }, { var: 'accumulator' }] },
              0,
            ],
          },
          1000,
        ],
      },
      {
        some: [
          { var: 'orders' },
          { some: [{ var: 'items' }, { and: [{ '==': [{ var: 'sku' }, 'sku-3'] }, true] }] },
        ],
      },
      { in: ['199', { var: 'tags' }] },
    ];
    for (const rule of rules) {
      const steps = stepsOf((c) => compileRule(rule).evaluate(profile, c));
      expect(steps).toBeLessThan(DEFAULT_RULE_LIMITS.maxSteps / 4);
    }
  });

  it('leaves the results json-logic-js gives within the budget unchanged', () => {
    const rule = compileRule({
      cat: [{ var: 'a' }, { map: [{ var: 'b' }, { '*': [{ var: '' }, 2] }] }],
    });
    expect(rule.evaluate({ a: 'x', b: [1, 2] }, context)).toBe('x2,4');
  });
});

describe('nextChange within the budget', () => {
  // Five hundred orders, each under 30 days old for a while: some order is recent until the
  // youngest one ages out, and every older one is a candidate on the way.
  const rule = { some: [{ var: 'd' }, { '<': [{ days_since: { var: '' } }, 30] }] };
  const data = {
    d: range(500).map((i) => new Date(context.now - i * 3_600_000).toISOString()),
  };
  const exact = compileRule(rule, { limits: { maxSteps: 100_000_000 } }).nextChange(
    data,
    context,
  ) as number;

  it('returns an instant no later than the real change when the budget runs out', () => {
    expect(exact).toBe(Date.parse(data.d[0] as string) + 30 * 86_400_000);
    const bounded = compileRule(rule, { limits: { maxSteps: 200_000 } }).nextChange(data, context);
    expect(bounded).not.toBeNull();
    expect(bounded as number).toBeGreaterThan(context.now);
    expect(bounded as number).toBeLessThanOrEqual(exact);
  });

  it('throws budget_exceeded when it could not settle any instant', () => {
    const tiny = compileRule(rule, { limits: { maxSteps: 600 } });
    expect(() => tiny.nextChange(data, context)).toThrow(budgetExceeded);
  });
});

describe('the cost check at validation', () => {
  it('refuses iterators over array literals whose nesting alone is over budget', () => {
    const rule = { all: [range(800), { all: [range(800), { all: [range(800), true] }] }] };
    expect(validateRule(rule)).toEqual([
      expect.objectContaining({ path: 'all.1.all', code: 'too_costly' }),
    ]);
    expect(() => compileRule(rule)).toThrow(
      expect.objectContaining({ name: 'RuleValidationError' }),
    );
    // Compiled anyway, it stops at the budget rather than running 512 million times.
    expect(() => compileUnchecked(rule).evaluate({}, context)).toThrow(budgetExceeded);
    // Rules stored before the check existed still compile, and run within the budget.
    expect(validateRule(rule, { checkCost: false })).toEqual([]);
    expect(() => compileRule(rule, { checkCost: false }).evaluate({}, context)).toThrow(
      budgetExceeded,
    );
  });

  it('counts one item for an array from data, which may be long or empty', () => {
    const rule = { some: [{ var: 'orders' }, { all: [range(800), { all: [range(800), 1] }] }] };
    expect(validateRule(rule)).toEqual([
      expect.objectContaining({ path: 'some.1.all', code: 'too_costly' }),
    ]);
    expect(validateRule({ some: [{ var: 'a' }, { some: [{ var: 'b' }, true] }] })).toEqual([]);
  });

  it('accepts literal iterations within the budget, and takes other limits', () => {
    const rule = { some: [range(200), { some: [range(200), { '==': [{ var: '' }, 1] }] }] };
    expect(validateRule(rule)).toEqual([]);
    expect(validateRule(rule, { limits: { maxSteps: 100_000 } })).toEqual([
      expect.objectContaining({ path: 'some', code: 'too_costly' }),
    ]);
    expect(validateRule({ var: 'a' }, { limits: { maxSteps: 2 } })).toEqual([]);
    expect(validateRule({ '==': [{ var: 'a' }, 1] }, { limits: { maxSteps: 2 } })).toEqual([
      expect.objectContaining({ path: '', code: 'too_costly' }),
    ]);
  });
});
