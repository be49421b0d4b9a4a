import { EvaluationPacer } from './evaluation-pacer';

describe('EvaluationPacer', () => {
  it('is due once the evaluations took the steps between yields, then counts afresh', async () => {
    const pacer = new EvaluationPacer(100);
    pacer.usage.steps += 99;
    expect(pacer.due()).toBe(false);
    pacer.usage.steps += 5;
    expect(pacer.due()).toBe(true);

    await pacer.yield();
    expect(pacer.due()).toBe(false);
    pacer.usage.steps += 100;
    expect(pacer.due()).toBe(true);
  });

  it('lets work waiting on the event loop run when it yields', async () => {
    const pacer = new EvaluationPacer(1);
    let ran = false;
    setImmediate(() => {
      ran = true;
    });

    await pacer.yield();
    expect(ran).toBe(true);
  });
});
