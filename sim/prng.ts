/**
 * A small seeded pseudo-random generator for bulk stimulus (10^5+ values, where fast-check's
 * arbitraries are too slow). Same seed, same sequence, on every machine.
 */

/** Seeded 32-bit generator (xorshift state, multiplicative output mix). */
export class Prng {
  private s: number;

  constructor(seed: number) {
    // Spread the seed so nearby seeds start far apart; the state must never be 0.
    this.s = Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0 || 0x6d2b79f5;
  }

  /** The next 32-bit unsigned value. */
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return Math.imul(this.s ^ (this.s >>> 15), 0x2c1b3c6d) >>> 0;
  }

  /** A uniform integer in 0..n-1 (n ≤ 2^32). */
  below(n: number): number {
    return n <= 1 ? 0 : Math.floor((this.next() / 4294967296) * n);
  }

  /** True with probability num/den. */
  chance(num: number, den: number): boolean {
    return this.below(den) < num;
  }

  /** A uniformly chosen element of a non-empty list. */
  pick<T>(xs: readonly T[]): T {
    return xs[this.below(xs.length)];
  }
}
