import { CLASSIC_OPERATORS } from '../src/operators';
import { type DifferentialReport, runDifferential } from './differential';
import { expression, generateProfile, pairs, seededRandom } from './generator';
import { sameOutcome, sameValue } from './reference';

describe('differential testing against json-logic-js', () => {
  const reports: DifferentialReport[] = [];

  it.each([1, 2, 3])('agrees on 2,000 generated pairs, seed %i', (seed) => {
    const report = runDifferential({ seed, pairs: 2000, explainEvery: 1 });
    reports.push(report);
    expect(report.examples).toEqual([]);
    expect(report.differences).toBe(0);
    expect(report.pairs).toBe(2000);
  });

  it('exercised rules the validator refuses and evaluations that throw', () => {
    const total = (key: 'pairs' | 'validated' | 'threw') =>
      reports.reduce((sum, report) => sum + report[key], 0);
    expect(total('pairs')).toBe(6000);
    expect(total('validated')).toBeGreaterThan(3000);
    expect(total('validated')).toBeLessThan(6000);
    expect(total('threw')).toBeGreaterThan(5);
  });

  it('generates every classic operator', () => {
    const seen = new Set<string>();
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(visit);
      else if (typeof value === 'object' && value !== null) {
        for (const [key, item] of Object.entries(value)) {
          seen.add(key);
          visit(item);
        }
      }
    };
    const random = seededRandom(1);
    for (let i = 0; i < 2000; i++) visit(expression(random, 4));
    expect(CLASSIC_OPERATORS.filter((op) => !seen.has(op))).toEqual([]);
  });

  it('generates the profiles where JSONLogic coercions differ', () => {
    const values: unknown[] = [];
    const collect = (value: unknown): void => {
      values.push(value);
      if (Array.isArray(value)) value.forEach(collect);
      else if (typeof value === 'object' && value !== null) Object.values(value).forEach(collect);
    };
    const random = seededRandom(1);
    const profiles = Array.from({ length: 500 }, () => generateProfile(random));
    profiles.forEach(collect);
    for (const expected of [null, true, false, '12', '', 'abc', '0', 0, -0]) {
      expect(values.some((value) => Object.is(value, expected))).toBe(true);
    }
    expect(values.some((value) => Array.isArray(value) && value.length === 0)).toBe(true);
    expect(profiles.some((profile) => typeof profile !== 'object' || profile === null)).toBe(true);
    expect(profiles.some((profile) => Array.isArray(profile))).toBe(true);
    const objects = profiles.filter(
      (profile) => typeof profile === 'object' && profile !== null && !Array.isArray(profile),
    ) as Record<string, unknown>[];
    expect(objects.some((profile) => !('score' in profile))).toBe(true);
    expect(objects.some((profile) => typeof profile.tags === 'string')).toBe(true);
    expect(objects.some((profile) => typeof profile.nested === 'object')).toBe(true);
  });

  it('repeats itself for a seed', () => {
    expect([...pairs(7, 20)]).toEqual([...pairs(7, 20)]);
    expect([...pairs(7, 20)]).not.toEqual([...pairs(8, 20)]);
  });

  it('compares values strictly', () => {
    expect(sameValue(Number.NaN, Number.NaN)).toBe(true);
    expect(sameValue(-0, 0)).toBe(false);
    expect(sameValue(-0, 0, false)).toBe(true);
    expect(sameValue(null, undefined)).toBe(false);
    expect(sameValue([1, [2]], [1, [2]])).toBe(true);
    expect(sameValue({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameValue([1], { 0: 1 })).toBe(false);
    expect(sameOutcome({ threw: true, error: 'a' }, { threw: true, error: 'b' })).toBe(true);
    expect(sameOutcome({ threw: true, error: 'a' }, { threw: false, value: undefined })).toBe(
      false,
    );
  });
});
