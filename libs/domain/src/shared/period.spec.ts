import { addPeriod } from './period';

const at = (iso: string) => new Date(iso);

describe('addPeriod', () => {
  const from = at('2026-03-10T12:34:56.789Z');

  it.each([
    [90, 'minutes', '2026-03-10T14:04:56.789Z'],
    [36, 'hours', '2026-03-12T00:34:56.789Z'],
    [25, 'days', '2026-04-04T12:34:56.789Z'],
    [3, 'weeks', '2026-03-31T12:34:56.789Z'],
    [1, 'months', '2026-04-10T12:34:56.789Z'],
    [10, 'months', '2027-01-10T12:34:56.789Z'],
    [2, 'years', '2028-03-10T12:34:56.789Z'],
  ] as const)('adds %s %s', (amount, unit, expected) => {
    expect(addPeriod(from, amount, unit).toISOString()).toBe(expected);
  });

  it('counts days as 24 hours across a daylight-saving change of any local zone', () => {
    // 29 March 2026 is the EU spring-forward day; UTC arithmetic must not notice it.
    expect(addPeriod(at('2026-03-28T23:30:00.000Z'), 2, 'days').toISOString()).toBe(
      '2026-03-30T23:30:00.000Z',
    );
  });

  it.each([
    ['2026-01-31T10:00:00.000Z', 1, '2026-02-28T10:00:00.000Z'],
    ['2028-01-31T10:00:00.000Z', 1, '2028-02-29T10:00:00.000Z'],
    ['2026-03-31T10:00:00.000Z', 1, '2026-04-30T10:00:00.000Z'],
    ['2026-05-31T10:00:00.000Z', 4, '2026-09-30T10:00:00.000Z'],
    ['2026-12-31T10:00:00.000Z', 2, '2027-02-28T10:00:00.000Z'],
    ['2027-12-31T10:00:00.000Z', 2, '2028-02-29T10:00:00.000Z'],
    ['2026-01-31T10:00:00.000Z', 13, '2027-02-28T10:00:00.000Z'],
    ['2026-01-30T10:00:00.000Z', 1, '2026-02-28T10:00:00.000Z'],
    ['2026-02-28T10:00:00.000Z', 1, '2026-03-28T10:00:00.000Z'],
  ])(
    "adds to %s %s months, clamping to a shorter month's last day: %s",
    (start, months, expected) => {
      expect(addPeriod(at(start), months, 'months').toISOString()).toBe(expected);
    },
  );

  it.each([
    ['2028-02-29T08:00:00.000Z', 1, '2029-02-28T08:00:00.000Z'],
    ['2028-02-29T08:00:00.000Z', 4, '2032-02-29T08:00:00.000Z'],
    ['2027-02-28T08:00:00.000Z', 1, '2028-02-28T08:00:00.000Z'],
    ['2100-02-28T08:00:00.000Z', 0, '2100-02-28T08:00:00.000Z'],
    ['2096-02-29T08:00:00.000Z', 4, '2100-02-28T08:00:00.000Z'],
  ])('adds years to %s + %s, clamping 29 February: %s', (start, years, expected) => {
    expect(addPeriod(at(start), years, 'years').toISOString()).toBe(expected);
  });

  it.each([
    // Instants whose local calendar day differs from the UTC one in zones east or west.
    ['2026-01-31T23:30:00.000Z', '2026-02-28T23:30:00.000Z'],
    ['2026-03-01T00:15:00.000Z', '2026-04-01T00:15:00.000Z'],
    ['2026-01-31T00:00:00.000Z', '2026-02-28T00:00:00.000Z'],
  ])('reads and writes the calendar in UTC: %s + 1 month = %s', (start, expected) => {
    expect(addPeriod(at(start), 1, 'months').toISOString()).toBe(expected);
  });

  it('leaves the given date untouched', () => {
    const start = at('2026-01-31T10:00:00.000Z');
    addPeriod(start, 1, 'months');
    addPeriod(start, 5, 'days');

    expect(start.toISOString()).toBe('2026-01-31T10:00:00.000Z');
  });
});
