import { normalizeTimestamp, parseQueryBoolean, parseQueryInteger } from './input-values';

describe('parseQueryBoolean', () => {
  it.each([
    ['true', true],
    ['1', true],
    ['false', false],
    ['0', false],
  ])('reads %p as %p', (raw, expected) => {
    expect(parseQueryBoolean(raw)).toBe(expected);
  });

  it.each(['yes', 'TRUE', 'False', '', ' true', '2', 'on'])(
    'leaves %p unparsed for the validator to refuse',
    (raw) => {
      expect(parseQueryBoolean(raw)).toBe(raw);
    },
  );

  it('leaves a repeated parameter (an array) unparsed', () => {
    expect(parseQueryBoolean(['true', 'false'])).toEqual(['true', 'false']);
  });
});

describe('parseQueryInteger', () => {
  it('reads digits and nothing else', () => {
    expect(parseQueryInteger('25')).toBe(25);
    expect(parseQueryInteger('2.5')).toBe('2.5');
    expect(parseQueryInteger('-1')).toBe('-1');
    expect(parseQueryInteger('1e3')).toBe('1e3');
  });
});

describe('normalizeTimestamp', () => {
  it.each([
    ['2026-01-31T09:30:00Z', '2026-01-31T09:30:00.000Z'],
    ['2026-01-31T09:30:00.5+02:00', '2026-01-31T07:30:00.500Z'],
    ['2026-01-31T09:30:00+0200', '2026-01-31T07:30:00.000Z'],
    ['2026-01-31 09:30:00', '2026-01-31T09:30:00.000Z'],
    ['2026-01-31T09:30', '2026-01-31T09:30:00.000Z'],
    ['2026-01-31', '2026-01-31T00:00:00.000Z'],
  ])('reads %p as %p (UTC when no offset)', (raw, expected) => {
    expect(normalizeTimestamp(raw)).toBe(expected);
  });

  it.each([
    '2026-02-30 00:00:00',
    '2026-13-01',
    '2026-01-31T24:00:00Z',
    'next tuesday',
    '31/01/2026',
  ])('leaves %p unparsed for the validator to refuse', (raw) => {
    expect(normalizeTimestamp(raw)).toBe(raw);
  });
});
