import { compileRule } from './compile-rule';
import { MAX_TRACE_NODES, type TraceNode } from './explain';

const context = { now: Date.UTC(2026, 0, 15) };
const explain = (rule: unknown, data: unknown) => compileRule(rule).explain(data, context);

describe('explain', () => {
  it('gives the value of every sub-expression', () => {
    const rule = {
      and: [{ '>=': [{ var: 'spend' }, 100] }, { in: [{ var: 'tier' }, ['gold', 'vip']] }],
    };
    expect(explain(rule, { spend: 250, tier: 'gold' })).toEqual({
      result: true,
      matched: true,
      trace: {
        op: 'and',
        value: true,
        args: [
          {
            op: '>=',
            value: true,
            args: [
              { op: 'var', value: 250, args: [{ op: 'literal', value: 'spend' }] },
              { op: 'literal', value: 100 },
            ],
          },
          {
            op: 'in',
            value: true,
            args: [
              { op: 'var', value: 'gold', args: [{ op: 'literal', value: 'tier' }] },
              { op: 'literal', value: ['gold', 'vip'] },
            ],
          },
        ],
      },
    });
  });

  it('marks the arguments a short circuit did not evaluate', () => {
    const { trace, result } = explain(
      { or: [{ var: 'a' }, { var: 'b' }, { var: 'c' }] },
      { a: 0, b: 'yes', c: 1 },
    );
    expect(result).toBe('yes');
    expect(trace.args?.map((arg) => [arg.value, arg.skipped])).toEqual([
      [0, undefined],
      ['yes', undefined],
      [undefined, true],
    ]);
    const branches = explain({ if: [false, 'a', { var: 'x' }, 'b', 'c'] }, { x: 1 }).trace;
    expect(branches.args?.map((arg) => arg.skipped ?? false)).toEqual([
      false,
      true,
      false,
      false,
      true,
    ]);
    expect(branches.value).toBe('b');
  });

  it('lists the runs of an iterator with each item as data', () => {
    const { trace } = explain(
      { some: [{ var: 'orders' }, { '>': [{ var: 'total' }, 100] }] },
      { orders: [{ total: 50 }, { total: 150 }, { total: 500 }] },
    );
    expect(trace.value).toBe(true);
    const logic = trace.args?.[1];
    expect(logic?.op).toBe('>');
    expect(logic?.iterations?.map((run) => run.value)).toEqual([false, true]);
    expect(logic?.iterations?.[0]?.args?.[0]?.value).toBe(50);
    expect(explain({ map: [[], { var: '' }] }, {}).trace.args?.[1]).toMatchObject({
      skipped: true,
      iterations: [],
    });
  });

  it('traces reduce, its initial value and arrays with operations', () => {
    const { trace } = explain(
      [{ reduce: [{ var: 'xs' }, { '+': [{ var: 'current' }, { var: 'accumulator' }] }, 1] }, 'k'],
      { xs: [2, 3] },
    );
    expect(trace.op).toBe('array');
    expect(trace.value).toEqual([6, 'k']);
    const reduce = trace.args?.[0];
    expect(reduce?.args?.map((arg) => arg.op)).toEqual(['var', '+', 'literal']);
    expect(reduce?.args?.[1]?.iterations?.map((run) => run.value)).toEqual([3, 6]);
  });

  it('shows where an evaluation threw', () => {
    const explained = explain({ and: [true, { in: ['a', { var: 'o' }] }] }, { o: { indexOf: 1 } });
    expect(explained.matched).toBe(false);
    expect(explained.result).toBeUndefined();
    expect(explained.error).toEqual(expect.any(String));
    const failing = explained.trace.args?.[1];
    expect(explained.trace.error).toBe(explained.error);
    expect(failing).toMatchObject({ op: 'in', error: explained.error });
    expect(failing?.args?.[1]).toEqual({
      op: 'var',
      value: { indexOf: 1 },
      args: [{ op: 'literal', value: 'o' }],
    });
  });

  it('gives the error code too, for a machine to read', () => {
    const explained = explain({ in: ['a', { var: 'o' }] }, { o: { indexOf: 1 } });
    expect(explained.errorCode).toBe('evaluation_failed');
    expect(explain({ var: 'a' }, { a: 1 }).errorCode).toBeUndefined();
  });

  it(`holds at most ${MAX_TRACE_NODES} nodes, evaluating the rest untraced`, () => {
    const rule = compileRule({
      filter: [{ var: 'xs' }, { some: [{ var: 'ys' }, { '==': [{ var: '' }, 3] }] }],
    });
    const data = {
      xs: Array.from({ length: 5000 }, (_, i) => ({ ys: [i % 7, 1, 2] })),
    };
    const explained = rule.explain(data, context);
    expect(explained.result).toEqual(rule.evaluate(data, context));
    expect((explained.result as unknown[]).length).toBeGreaterThan(600);
    const count = (node: TraceNode): number =>
      1 +
      [...(node.args ?? []), ...(node.iterations ?? [])].reduce((sum, arg) => sum + count(arg), 0);
    // The operations being traced when the count runs out still list all their arguments.
    expect(count(explained.trace)).toBeLessThanOrEqual(MAX_TRACE_NODES + 20);
    const logic = explained.trace.args?.[1];
    expect(logic).toMatchObject({ truncated: true });
    expect(logic?.skipped).toBeUndefined();
    expect(logic?.iterations?.length).toBeLessThan(5000);
  });

  it('agrees with evaluate and matches', () => {
    const rule = compileRule({
      if: [{ missing: ['a'] }, { cat: ['no ', { var: 'b' }] }, { '*': [{ var: 'a' }, 2] }],
    });
    for (const data of [{}, { a: 2 }, { a: '3' }, { b: 'x' }, null]) {
      const explained = rule.explain(data, context);
      expect(explained.result).toEqual(rule.evaluate(data, context));
      expect(explained.matched).toBe(rule.matches(data, context));
    }
  });
});
