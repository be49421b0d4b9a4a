import { DemoDataError } from './demo-data.errors';

const TWO_POW_32 = 4_294_967_296;
const LN2 = 0.6931471805599453;

/**
 * A seeded pseudo-random stream (sfc32, seeded through the murmur3 finaliser). Only
 * integer operations and IEEE-exact arithmetic (+ - * /) are used, never Math.exp,
 * Math.log or Math.pow: ECMAScript leaves those implementation-approximated, so they
 * could differ between platforms and break byte-identical output.
 *
 * A stream is named by (seed, stream, domain): each profile draws from its own stream,
 * so profile n is the same whatever the count asked for, and connections draw from a
 * domain of their own.
 */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;

  constructor(seed: number, stream = 0, domain = 0) {
    assertSeed(seed);
    // Each word is a bijection of one input, so distinct inputs give distinct states.
    this.a = mix32(seed ^ 0x9e3779b9);
    this.b = mix32(stream ^ 0x632be5ab);
    this.c = mix32(domain ^ 0x85157af5);
    // The generator's authors advise discarding the first outputs of a fresh state.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;

    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / TWO_POW_32;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new DemoDataError('demo_data.empty_choice', 'nothing to pick');

    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** One value, each with its weight (weights need not sum to 1). */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of choices) total += weight;
    let point = this.next() * total;
    for (const [value, weight] of choices) {
      if (point < weight) return value;
      point -= weight;
    }
    const last = choices[choices.length - 1];
    if (last === undefined) {
      throw new DemoDataError('demo_data.empty_choice', 'nothing to pick');
    }

    return last[0];
  }

  /** Approximately standard normal (Irwin-Hall: twelve uniforms), within [-6, 6]. */
  normal(): number {
    let sum = 0;
    for (let i = 0; i < 12; i++) sum += this.next();

    return sum - 6;
  }

  /** Log-normal with the given median and the spread sigma of its logarithm. */
  logNormal(median: number, sigma: number): number {
    return median * exp(sigma * this.normal());
  }

  /** Fisher-Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const held = items[i] as T;
      items[i] = items[j] as T;
      items[j] = held;
    }

    return items;
  }

  /** 128 random bits in the textual form of a version 4 UUID. */
  uuid(): string {
    const words = [this.uint32(), this.uint32(), this.uint32(), this.uint32()];
    words[1] = ((words[1]! & 0xffff0fff) | 0x00004000) >>> 0;
    words[2] = ((words[2]! & 0x3fffffff) | 0x80000000) >>> 0;
    const hex = words.map((word) => word.toString(16).padStart(8, '0')).join('');

    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}

/** e^x with arithmetic alone: x = k ln 2 + r, |r| <= ln 2 / 2, a Taylor series for e^r. */
export function exp(x: number): number {
  if (!Number.isFinite(x) || Math.abs(x) > 700) {
    throw new DemoDataError('demo_data.out_of_range', `exp(${x}) is out of range`);
  }
  const k = Math.round(x / LN2);
  const r = x - k * LN2;
  let term = 1;
  let sum = 1;
  for (let n = 1; n <= 18; n++) {
    term = (term * r) / n;
    sum += term;
  }
  let scale = 1;
  for (let i = 0; i < Math.abs(k); i++) scale *= 2;

  return k >= 0 ? sum * scale : sum / scale;
}

/** The murmur3 32-bit finaliser: a bijection that spreads every input bit. */
function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;

  return h;
}

export function assertSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed >= TWO_POW_32) {
    throw new DemoDataError(
      'demo_data.invalid_seed',
      `the seed must be an integer from 0 to 4294967295, got ${seed}`,
    );
  }
}
