import { seededRandom } from '../differential/generator';
import { compileRule } from './compile-rule';
import { type JsonValue } from './json-value';
import { DAY_MS } from './time';

const D = DAY_MS;
const H = 3_600_000;
const NOW = Date.UTC(2026, 0, 15, 10, 30, 12, 345);
const YEAR = 365 * D;
const iso = (at: number) => new Date(at).toISOString();

/**
 * Every instant at which, by construction of the test, a rule's truthiness can change:
 * each anchor (a timestamp in the data) plus each offset the rule adds to it, and every
 * day boundary of each anchor within the window, each one millisecond either side too.
 */
function probes(anchors: readonly number[], offsets: readonly number[], until: number): number[] {
  const instants = new Set<number>();
  const add = (at: number) => [at - 1, at, at + 1].forEach((t) => instants.add(t));
  for (const anchor of anchors) {
    for (const offset of [0, ...offsets]) add(anchor + offset);
    const first = Math.floor((NOW - anchor) / D) - 1;
    for (let n = first; anchor + n * D <= until; n++) add(anchor + n * D);
  }
  add(NOW + 1);

  return [...instants].filter((t) => t > NOW && t <= until).sort((a, b) => a - b);
}

interface Check {
  anchors: readonly number[];
  offsets?: readonly number[];
  /** Exact: truthiness differs at the answer. Otherwise only "nothing changes before it". */
  exact?: boolean;
  /** How far to probe when the answer is "never" (beyond the test's last change). */
  horizon?: number;
}

/** nextChange, verified by evaluating the rule at every probe instant. */
function verifiedNextChange(rule: unknown, data: unknown, check: Check): number | null {
  const compiled = compileRule(rule);
  const next = compiled.nextChange(data, { now: NOW });
  const truth = (now: number) => compiled.matches(data, { now });
  const before = truth(NOW);
  const until = next ?? NOW + (check.horizon ?? 3 * YEAR);
  const changedEarlier = probes(check.anchors, check.offsets ?? [], until)
    .filter((t) => next === null || t < next)
    .filter((t) => truth(t) !== before);
  expect(changedEarlier).toEqual([]);
  if (next === null) {
    for (const later of [10 * YEAR, 100 * YEAR, 1000 * YEAR])
      expect(truth(NOW + later)).toBe(before);
  } else {
    expect(next).toBeGreaterThan(NOW);
    expect(Number.isInteger(next)).toBe(true);
    if (check.exact ?? true) expect(truth(next)).not.toBe(before);
  }

  return next;
}

const joinedIn30Days = { '<=': [{ days_since: { var: 'joined_at' } }, 30] };

describe('nextChange', () => {
  it('is null for a rule without time operators', () => {
    expect(compileRule({ '==': [{ var: 'a' }, 1] }).nextChange({ a: 1 }, { now: NOW })).toBeNull();
  });

  describe('with days_since', () => {
    const joined = NOW - 10 * D - H;

    it('finds the day a "joined in the last 30 days" rule stops matching', () => {
      const next = verifiedNextChange(
        joinedIn30Days,
        { joined_at: iso(joined) },
        { anchors: [joined] },
      );
      expect(next).toBe(joined + 31 * D);
    });

    it('finds when it starts matching for a date in the future', () => {
      const future = NOW + 5 * D;
      const rule = { '>=': [{ days_since: { var: 'joined_at' } }, 0] };
      expect(verifiedNextChange(rule, { joined_at: iso(future) }, { anchors: [future] })).toBe(
        future,
      );
    });

    it('says never once the date is long past', () => {
      const old = NOW - 40 * D;
      expect(
        verifiedNextChange(joinedIn30Days, { joined_at: iso(old) }, { anchors: [old] }),
      ).toBeNull();
    });

    it('says never for a date it cannot read', () => {
      expect(verifiedNextChange(joinedIn30Days, { joined_at: 'soon' }, { anchors: [] })).toBeNull();
    });

    it('reads epoch milliseconds and "YYYY-MM-DD HH:MM:SS"', () => {
      expect(verifiedNextChange(joinedIn30Days, { joined_at: joined }, { anchors: [joined] })).toBe(
        joined + 31 * D,
      );
      const at = Date.UTC(2026, 0, 1, 8, 15, 30);
      expect(
        verifiedNextChange(joinedIn30Days, { joined_at: '2026-01-01 08:15:30' }, { anchors: [at] }),
      ).toBe(at + 31 * D);
    });

    it('finds both ends of "exactly 12 days ago"', () => {
      const rule = { '==': [{ days_since: { var: 'joined_at' } }, 12] };
      const data = { joined_at: iso(joined) };
      expect(verifiedNextChange(rule, data, { anchors: [joined] })).toBe(joined + 12 * D);
      const compiled = compileRule(rule);
      expect(compiled.nextChange(data, { now: joined + 12 * D })).toBe(joined + 13 * D);
      expect(compiled.nextChange(data, { now: joined + 13 * D })).toBeNull();
      expect(
        compileRule({ '==': [{ days_since: { var: 'joined_at' } }, '3'] }).nextChange(data, {
          now: NOW,
        }),
      ).toBeNull();
    });

    it('handles offsets, between, negation and the other comparisons', () => {
      const data = { joined_at: iso(joined) };
      const days = { days_since: { var: 'joined_at' } };
      const cases: [unknown, number | null][] = [
        [{ '>=': [{ '-': [days, 2] }, 10] }, joined + 12 * D],
        [{ '<': [{ '+': [days, 5] }, 20] }, joined + 15 * D],
        [{ '>': [days, { var: 'limit' }] }, null],
        [{ '<=': [7, days, 14] }, joined + 15 * D],
        [{ '<': [11, days, 14] }, joined + 12 * D],
        [{ '!': { '<=': [days, 30] } }, joined + 31 * D],
        [{ '!=': [days, 10] }, joined + 11 * D],
        [{ '===': [days, 11] }, joined + 11 * D],
        [{ '>': [{ '*': [days, -1] }, -20] }, joined + 20 * D],
      ];
      for (const [rule, expected] of cases) {
        expect(verifiedNextChange(rule, data, { anchors: [joined] })).toBe(expected);
      }
    });

    it('sees through and, or, if and iterators', () => {
      const other = NOW - 3 * D - 7 * H;
      const data = {
        tier: 'gold',
        joined_at: iso(joined),
        orders: [{ at: iso(other) }, { at: iso(joined) }],
        unread: [{ at: 'n/a' }, { at: iso(other) }],
      };
      const anchors = [joined, other];
      const recent = (field: string, days: number) => ({
        '<=': [{ days_since: { var: field } }, days],
      });
      const cases: [unknown, number | null][] = [
        [{ and: [{ '==': [{ var: 'tier' }, 'gold'] }, joinedIn30Days] }, joined + 31 * D],
        [{ and: [{ '==': [{ var: 'tier' }, 'silver'] }, joinedIn30Days] }, null],
        [{ or: [{ '==': [{ var: 'tier' }, 'gold'] }, joinedIn30Days] }, null],
        [
          { or: [recent('joined_at', 12), { '>=': [{ days_since: { var: 'joined_at' } }, 20] }] },
          joined + 13 * D,
        ],
        [{ if: [recent('joined_at', 11), false, true] }, joined + 12 * D],
        [{ some: [{ var: 'orders' }, recent('at', 5)] }, other + 6 * D],
        [{ all: [{ var: 'orders' }, { '>=': [{ days_since: { var: 'at' } }, 0] }] }, null],
        // An unreadable date makes days_since null, and null <= 5 holds in JavaScript.
        [{ some: [{ var: 'unread' }, recent('at', 5)] }, null],
        [
          { none: [{ var: 'orders' }, { '>': [{ days_since: { var: 'at' } }, 11] }] },
          joined + 12 * D,
        ],
        [
          {
            '>=': [
              {
                reduce: [
                  { filter: [{ var: 'orders' }, recent('at', 30)] },
                  { '+': [{ var: 'accumulator' }, 1] },
                  0,
                ],
              },
              2,
            ],
          },
          joined + 31 * D,
        ],
      ];
      for (const [rule, expected] of cases) {
        expect(verifiedNextChange(rule, data, { anchors })).toBe(expected);
      }
    });

    it('steps through a rule that is not monotone in time', () => {
      const weekly = { '==': [{ '%': [{ days_since: { var: 'joined_at' } }, 7] }, 0] };
      const data = { joined_at: iso(joined) };
      expect(verifiedNextChange(weekly, data, { anchors: [joined] })).toBe(joined + 14 * D);
    });
  });

  describe('with now and timestamp', () => {
    const at = NOW + 5 * D + 1234;
    const data = { expires_at: iso(at), at: iso(at) };
    const now = { now: [] };
    const stamp = { timestamp: { var: 'expires_at' } };

    it.each<[string, unknown, number | null]>([
      ['"not expired yet"', { '>': [stamp, now] }, at],
      ['"not expired yet", written the other way', { '<': [now, stamp] }, at],
      ['"<=" flips a millisecond later', { '<=': [now, stamp] }, at + 1],
      ['an offset added to the timestamp', { '<': [now, { '+': [stamp, 2 * H] }] }, at + 2 * H],
      ['an elapsed time', { '>=': [{ '-': [now, stamp] }, 30 * D] }, at + 30 * D],
      [
        'a fixed timestamp',
        { '<': [now, { timestamp: '2026-02-01T00:00:00Z' }] },
        Date.UTC(2026, 1, 1),
      ],
      ['equality', { '==': [now, stamp] }, at],
      ['a strict inequality', { '!==': [{ timestamp: now }, stamp] }, at],
      ['between two instants', { '<=': [{ '-': [stamp, D] }, now, stamp] }, at - D],
      ['a time past already', { '<': [now, { '-': [stamp, 10 * D] }] }, null],
      ['now in seconds', { '>=': [{ '/': [now, 1000] }, { '/': [stamp, 1000] }] }, at],
    ])('is exact for %s', (_name, rule, expected) => {
      expect(
        verifiedNextChange(rule, data, { anchors: [at], offsets: [2 * H, 30 * D, -D, -10 * D] }),
      ).toBe(expected);
    });

    it('finds the instant an evaluation starts to throw (a throw does not match)', () => {
      const rule = { in: ['a', { if: [{ '<': [now, stamp] }, 'abc', { var: 'o' }] }] };
      expect(verifiedNextChange(rule, { ...data, o: { indexOf: 1 } }, { anchors: [at] })).toBe(at);
    });

    it('is conservative where it cannot be exact: never later, and after now', () => {
      // True during the first hour of each UTC day: % of now is not monotone.
      const firstHour = { '<': [{ '%': [now, D] }, H] };
      const dayStart = Math.floor(NOW / D) * D;
      const next = verifiedNextChange(firstHour, {}, { anchors: [dayStart], exact: false });
      expect(next).not.toBeNull();
      expect(next as number).toBeLessThanOrEqual(dayStart + D);
    });
  });

  it('agrees with brute force on random rules and profiles', () => {
    const random = seededRandom(20260115);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const day = () => Math.floor(random() * 60) - 30;
    for (let round = 0; round < 120; round++) {
      const stamps = Array.from({ length: 3 }, () => NOW + day() * D + Math.floor(random() * D));
      const data = {
        tier: pick(['gold', 'silver']),
        a: pick([iso(stamps[0] as number), stamps[0] as number]),
        b: iso(stamps[1] as number),
        orders: [{ at: iso(stamps[2] as number) }, { at: iso(stamps[0] as number) }],
      };
      const k = day();
      const atoms: JsonValue[] = [
        {
          [pick(['<', '<=', '>', '>=', '==', '!='])]: [
            { days_since: { var: pick(['a', 'b']) } },
            Math.abs(k),
          ],
        },
        {
          [pick(['<', '<=', '>', '>='])]: [
            { now: [] },
            { '+': [{ timestamp: { var: 'b' } }, k * H] },
          ],
        },
        { '<=': [Math.abs(k) - 5, { days_since: { var: 'a' } }, Math.abs(k) + 3] },
        { some: [{ var: 'orders' }, { '>': [{ days_since: { var: 'at' } }, k] }] },
        { '==': [{ var: 'tier' }, 'gold'] },
      ];
      const combine = (depth: number): JsonValue => {
        if (depth === 0 || random() < 0.3) return pick(atoms);
        const op = pick(['and', 'or', '!', 'if']);
        if (op === '!') return { '!': [combine(depth - 1)] };
        if (op === 'if')
          return { if: [combine(depth - 1), combine(depth - 1), combine(depth - 1)] };

        return { [op]: [combine(depth - 1), combine(depth - 1)] };
      };
      // Every date is within 31 days of now and every threshold under 34 days: any change
      // comes within 70 days, so probing 120 days covers a "never".
      verifiedNextChange(combine(3), data, {
        anchors: stamps,
        offsets: [k * H, k * H + 1],
        horizon: 120 * D,
      });
    }
  });
});
