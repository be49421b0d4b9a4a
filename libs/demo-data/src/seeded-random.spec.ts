import { DemoDataError } from './demo-data.errors';
import { exp, SeededRandom } from './seeded-random';

const draws = (random: SeededRandom, n: number) => Array.from({ length: n }, () => random.uint32());

describe('SeededRandom', () => {
  it('repeats its sequence for the same (seed, stream, domain)', () => {
    expect(draws(new SeededRandom(42, 7, 1), 100)).toEqual(draws(new SeededRandom(42, 7, 1), 100));
  });

  it('gives another sequence for another seed, stream or domain', () => {
    const base = draws(new SeededRandom(42, 7, 1), 20);
    expect(draws(new SeededRandom(43, 7, 1), 20)).not.toEqual(base);
    expect(draws(new SeededRandom(42, 8, 1), 20)).not.toEqual(base);
    expect(draws(new SeededRandom(42, 7, 2), 20)).not.toEqual(base);
  });

  it('pins its first outputs, so a change to the generator cannot pass unnoticed', () => {
    expect(draws(new SeededRandom(1), 4)).toEqual([3194596658, 2277098411, 1938623090, 3470916850]);
  });

  it('draws floats in [0, 1) and integers within both bounds', () => {
    const random = new SeededRandom(5);
    const floats = Array.from({ length: 10_000 }, () => random.next());
    const ints = new Set(Array.from({ length: 10_000 }, () => random.int(1, 6)));
    expect(Math.min(...floats)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...floats)).toBeLessThan(1);
    expect([...ints].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('picks by weight', () => {
    const random = new SeededRandom(9);
    let heavy = 0;
    for (let i = 0; i < 10_000; i++) {
      if (random.weighted([['heavy', 3] as const, ['light', 1] as const]) === 'heavy') heavy++;
    }
    expect(heavy / 10_000).toBeGreaterThan(0.72);
    expect(heavy / 10_000).toBeLessThan(0.78);
  });

  it('draws log-normal values whose median is the one asked for and whose mean is above it', () => {
    const random = new SeededRandom(11);
    const values = Array.from({ length: 20_001 }, () => random.logNormal(100, 1)).sort(
      (a, b) => a - b,
    );
    const median = values[10_000]!;
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(median).toBeGreaterThan(95);
    expect(median).toBeLessThan(105);
    // e^(sigma^2 / 2) = 1.65 for a true log-normal
    expect(mean / median).toBeGreaterThan(1.5);
  });

  it('formats 128 bits as a version 4 UUID', () => {
    const random = new SeededRandom(3);
    for (let i = 0; i < 100; i++) {
      expect(random.uuid()).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    }
  });

  it.each([-1, 1.5, 2 ** 32, Number.NaN])('refuses the seed %p', (seed) => {
    expect(() => new SeededRandom(seed)).toThrow(
      expect.objectContaining({ code: 'demo_data.invalid_seed' }) as DemoDataError,
    );
  });
});

describe('exp', () => {
  it('agrees with Math.exp to within rounding over the range the generator uses', () => {
    for (let x = -10; x <= 10; x += 0.013) {
      expect(Math.abs(exp(x) / Math.exp(x) - 1)).toBeLessThan(1e-14);
    }
  });

  it('refuses arguments it cannot represent', () => {
    expect(() => exp(1000)).toThrow(DemoDataError);
    expect(() => exp(Number.NaN)).toThrow(DemoDataError);
  });
});
