import { seededRandom } from '../differential/generator';
import { compileRule } from './compile-rule';
import { DAY_MS, parseTimestamp, toTimestamp } from './time';

// The grammar parseTimestamp implements by hand, as one regular expression, with Date.UTC
// for the arithmetic: the oracle for the fuzz test below.
const GRAMMAR =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;

function oracle(text: string): number | null {
  const match = GRAMMAR.exec(text);
  if (match === null) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', offset = 'Z'] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number);
  const date = new Date(0);
  date.setUTCFullYear(year as number, (month as number) - 1, day);
  if (date.getUTCMonth() !== (month as number) - 1 || date.getUTCDate() !== day) return null;
  if ((hour as number) > 23 || (minute as number) > 59 || (second as number) > 59) return null;
  const digits = offset.replace(/[Zz:+-]/g, '');
  const [oh, om] = [Number(digits.slice(0, 2) || 0), Number(digits.slice(2) || 0)];
  if (oh > 23 || om > 59) return null;
  const sign = offset.startsWith('-') ? -1 : 1;

  return (
    date.getTime() +
    (((hour as number) * 60 + (minute as number) - sign * (oh * 60 + om)) * 60 +
      (second as number)) *
      1000 +
    Number(fraction.slice(0, 3).padEnd(3, '0'))
  );
}

describe('parseTimestamp', () => {
  it.each([
    '2026-01-15T10:30:00Z',
    '2026-01-15T10:30:00.123Z',
    '2026-01-15T10:30:00+02:00',
    '2026-01-15T10:30:00-05:30',
    '2024-02-29T23:59:59.999Z',
    '1969-12-31T23:59:59Z',
    '0999-03-01T00:00:00Z',
  ])('reads %s as Date.parse does', (text) => {
    expect(parseTimestamp(text)).toBe(Date.parse(text));
  });

  it.each<[string, string]>([
    ['2026-01-15', '2026-01-15T00:00:00Z'],
    ['2026-01-15 10:30:00', '2026-01-15T10:30:00Z'],
    ['2026-01-15T10:30:00', '2026-01-15T10:30:00Z'],
    ['2026-01-15T10:30', '2026-01-15T10:30:00Z'],
    ['2026-01-15t10:30:00z', '2026-01-15T10:30:00Z'],
    ['2026-01-15T10:30:00.5Z', '2026-01-15T10:30:00.500Z'],
    ['2026-01-15T10:30:00,123456789Z', '2026-01-15T10:30:00.123Z'],
    ['2026-01-15T10:30:00+0200', '2026-01-15T08:30:00Z'],
    ['2026-01-15T10:30:00+02', '2026-01-15T08:30:00Z'],
  ])('reads %s as %s (no offset means UTC)', (text, iso) => {
    expect(parseTimestamp(text)).toBe(Date.parse(iso));
  });

  it('reads years below 100 as themselves, not as 19xx', () => {
    const expected = new Date(0);
    expected.setUTCFullYear(50, 5, 1);
    expect(parseTimestamp('0050-06-01')).toBe(expected.getTime());
  });

  it('agrees with the grammar on mutated timestamps', () => {
    const random = seededRandom(8601);
    const alphabet = '0123456789-:Tt Zz+.,x';
    const seeds = [
      '2026-01-15T10:30:00.123Z',
      '2024-02-29 23:59:59',
      '2026-12-31T23:59+05:30',
      '1999-09-09t09:09:09,987654321z',
      '2026-01-15',
      '2026-06-30T00:00:00-0000',
    ];
    let parsed = 0;
    const disagreements: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      let text = seeds[i % seeds.length] as string;
      for (let edits = Math.floor(random() * 3); edits > 0; edits--) {
        const at = Math.floor(random() * (text.length + 1));
        const char = alphabet[Math.floor(random() * alphabet.length)] as string;
        const kind = random();
        if (kind < 0.4) text = text.slice(0, at) + char + text.slice(at + 1);
        else if (kind < 0.7) text = text.slice(0, at) + text.slice(at + 1);
        else text = text.slice(0, at) + char + text.slice(at);
      }
      const expected = oracle(text);
      if (parseTimestamp(text) !== expected) disagreements.push(text);
      if (expected !== null) parsed++;
    }
    expect(disagreements).toEqual([]);
    expect(parsed).toBeGreaterThan(2000);
  });

  it.each([
    '',
    'yesterday',
    '2026-13-01',
    '2026-02-29',
    '2026-04-31',
    '2026-00-10',
    '2026-01-15T24:00:00Z',
    '2026-01-15T10:60:00Z',
    '2026-01-15T10:30:61Z',
    '2026-01-15T10:30:00+25:00',
    '2026-1-5',
    '26-01-15',
    '2026-01-15Z',
    '2026-01-15T10Z',
    '20260115T103000Z',
    ' 2026-01-15',
    '2026-01-15T10:30:00.Z',
  ])('refuses %j', (text) => {
    expect(parseTimestamp(text)).toBeNull();
  });
});

describe('time operators', () => {
  const now = Date.UTC(2026, 0, 15, 12);
  const evaluate = (rule: unknown, data: unknown = {}) => compileRule(rule).evaluate(data, { now });

  it('now is the context instant', () => {
    expect(evaluate({ now: [] })).toBe(now);
  });

  it('timestamp reads strings and takes numbers as epoch milliseconds', () => {
    expect(evaluate({ timestamp: '2026-01-01' })).toBe(Date.UTC(2026, 0, 1));
    expect(evaluate({ timestamp: { var: 'at' } }, { at: '2026-01-01 08:00:00' })).toBe(
      Date.UTC(2026, 0, 1, 8),
    );
    expect(evaluate({ timestamp: { var: 'at' } }, { at: 1_700_000_000_000 })).toBe(
      1_700_000_000_000,
    );
    expect(evaluate({ timestamp: { now: [] } })).toBe(now);
  });

  it.each<unknown>([null, true, 'soon', [], {}, undefined])('timestamp of %j is null', (value) => {
    expect(evaluate({ timestamp: { var: 'at' } }, { at: value })).toBeNull();
  });

  it('toTimestamp refuses non-finite numbers', () => {
    expect(toTimestamp(Number.POSITIVE_INFINITY)).toBeNull();
    expect(toTimestamp(Number.NaN)).toBeNull();
  });

  it.each<[string, number]>([
    ['2026-01-15T12:00:00Z', 0],
    ['2026-01-15T12:00:00.001Z', -1],
    ['2026-01-14T12:00:00.001Z', 0],
    ['2026-01-14T12:00:00Z', 1],
    ['2025-12-16T12:00:00Z', 30],
    ['2025-12-16T12:00:00.001Z', 29],
    ['2026-02-14T12:00:00Z', -30],
  ])('days_since %s is %i (whole days, rounded down)', (at, days) => {
    expect(evaluate({ days_since: { var: 'at' } }, { at })).toBe(days);
    expect(evaluate({ days_since: at })).toBe(days);
  });

  it('days_since of something that is not a timestamp is null', () => {
    expect(evaluate({ days_since: { var: 'at' } }, { at: 'never' })).toBeNull();
    expect(evaluate({ days_since: { var: 'at' } }, {})).toBeNull();
  });

  it('expresses "joined in the last 30 days"', () => {
    const rule = compileRule({ '<=': [{ days_since: { var: 'joined_at' } }, 30] });
    const joined = (days: number) => ({ joined_at: new Date(now - days * DAY_MS).toISOString() });
    expect(rule.matches(joined(0), { now })).toBe(true);
    expect(rule.matches(joined(30.99), { now })).toBe(true);
    expect(rule.matches(joined(31), { now })).toBe(false);
    // A missing date is null, and null <= 30 in JavaScript: say so in the rule if it matters.
    expect(rule.matches({}, { now })).toBe(true);
    const strict = compileRule({
      and: [{ '!!': { timestamp: { var: 'joined_at' } } }, rule.rule],
    });
    expect(strict.matches({}, { now })).toBe(false);
  });

  it('marks the rules that read the time', () => {
    expect(compileRule({ '>': [{ now: [] }, 0] }).usesTime).toBe(true);
    expect(compileRule({ some: [[1], { '<': [{ days_since: 0 }, 1] }] }).usesTime).toBe(true);
    expect(compileRule({ '>': [{ var: 'now' }, 0] }).usesTime).toBe(false);
  });
});
