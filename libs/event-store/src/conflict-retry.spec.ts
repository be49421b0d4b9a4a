import { conflictDelayCeiling, retryOnConflict, StreamTurns } from './conflict-retry';
import { ConcurrencyError } from './event-store.errors';

const policy = { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 25 };

/** An attempt that conflicts `times` times on `stream`, then answers its attempt number. */
function conflicting(times: number, stream = 'profile-p-1') {
  let made = 0;

  return () => {
    made++;

    return made <= times
      ? Promise.reject(new ConcurrencyError(stream, made - 1))
      : Promise.resolve(made);
  };
}

describe('retryOnConflict', () => {
  const pauses: number[] = [];
  const hooks = {
    random: () => 0.5,
    sleep: (ms: number) => Promise.resolve(void pauses.push(ms)),
  };

  beforeEach(() => {
    pauses.length = 0;
  });

  it('re-runs the attempt after each conflict, pausing up to a doubling ceiling', async () => {
    expect(await retryOnConflict(conflicting(3), policy, hooks)).toBe(4);
    expect(pauses).toEqual([5, 10, 13]);
    expect([1, 2, 3, 4].map((attempt) => conflictDelayCeiling(attempt, policy))).toEqual([
      10, 20, 25, 25,
    ]);
  });

  it('gives up with the last conflict once the attempts run out', async () => {
    const failure = retryOnConflict(conflicting(4), policy, hooks);

    await expect(failure).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(failure).rejects.toMatchObject({ expectedVersion: 3 });
    expect(pauses).toHaveLength(3);
  });

  it('does not retry other failures, nor anything with a single attempt', async () => {
    const broken = new Error('database gone');

    await expect(retryOnConflict(() => Promise.reject(broken), policy, hooks)).rejects.toBe(broken);
    await expect(
      retryOnConflict(conflicting(1), { ...policy, maxAttempts: 1 }, hooks),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect(pauses).toEqual([]);
  });

  it('reports each conflict before its pause', async () => {
    const seen: Array<[string, number, number]> = [];

    await retryOnConflict(conflicting(2, 'group-definition-7'), policy, {
      ...hooks,
      onConflict: (conflict, attempt, delayMs) => seen.push([conflict.stream, attempt, delayMs]),
    });

    expect(seen).toEqual([
      ['group-definition-7', 1, 5],
      ['group-definition-7', 2, 10],
    ]);
  });

  it('lets the retries of one stream take turns, the first attempt excepted', async () => {
    const turns = new StreamTurns();
    const log: string[] = [];
    let inTurn = 0;
    let mostInTurn = 0;
    const writer = (name: string) => {
      let made = 0;

      return retryOnConflict(
        async () => {
          made++;
          if (made === 1) throw new ConcurrencyError('profile-p-1', 0);
          inTurn++;
          mostInTurn = Math.max(mostInTurn, inTurn);
          await new Promise((resolve) => setImmediate(resolve));
          log.push(name);
          inTurn--;

          return name;
        },
        policy,
        { ...hooks, turns },
      );
    };

    expect(await Promise.all(['a', 'b', 'c'].map(writer))).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a', 'b', 'c']);
    expect(mostInTurn).toBe(1);
    expect(turns.busy).toBe(0);
  });
});

/**
 * One stream in memory: a write reads the version, lets others run (`meanwhile`), then
 * appends expecting the version it read, as the event store does.
 */
class MemoryStream {
  version = 0;

  async write(meanwhile: () => Promise<void>): Promise<number> {
    const read = this.version;
    await meanwhile();
    if (this.version !== read) throw new ConcurrencyError('profile-p-1', read);
    this.version++;

    return this.version;
  }
}

describe('retryOnConflict against first attempts of later writers', () => {
  const hooks = { random: () => 0.5, sleep: () => Promise.resolve() };
  const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

  /**
   * The losing interleaving: while the first writer is between its read and its append,
   * a new local writer arrives; its first attempt reads and appends at once (its own
   * `meanwhile` yields only microtasks), so without a turn the first writer loses again
   * on every attempt.
   */
  function burst(stream?: string) {
    const memory = new MemoryStream();
    const turns = new StreamTurns();
    const later: Array<Promise<number>> = [];
    const write = (meanwhile: () => Promise<void>) =>
      retryOnConflict(() => memory.write(meanwhile), policy, {
        ...hooks,
        turns,
        ...(stream === undefined ? {} : { stream }),
      });
    const first = write(async () => {
      if (later.length < policy.maxAttempts) later.push(write(() => Promise.resolve()));
      await nextMacrotask();
    });

    return { first, later, memory, turns };
  }

  it('loses every attempt when first attempts do not queue (the stream unknown up front)', async () => {
    const { first, later } = burst();

    await expect(first).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await Promise.all(later)).toEqual([1, 2, 3, 4]);
  });

  it('lands every writer in arrival order when the stream is named up front', async () => {
    const { first, later, memory, turns } = burst('profile-p-1');

    expect(await first).toBe(1);
    expect(await Promise.all(later)).toEqual([2]);
    expect(memory.version).toBe(2);
    expect(turns.busy).toBe(0);
  });
});

describe('StreamTurns', () => {
  it('runs the work of one key in arrival order, other keys alongside, and survives failures', async () => {
    const turns = new StreamTurns();
    const order: string[] = [];
    let release = () => {};
    const first = turns.take('a', async () => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      order.push('a1');
      throw new Error('a1 failed');
    });
    const second = turns.take('a', async () => {
      order.push('a2');

      return Promise.resolve();
    });
    await turns.take('b', async () => {
      order.push('b1');

      return Promise.resolve();
    });
    release();

    await expect(first).rejects.toThrow('a1 failed');
    await second;
    expect(order).toEqual(['b1', 'a1', 'a2']);
    expect(turns.busy).toBe(0);
  });
});
