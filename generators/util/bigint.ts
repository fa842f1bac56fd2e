/** Exact integer helpers shared by the format model, the golden model and the RTL builders. */

/** Number of bits of a non-negative BigInt (0 for 0): bitLength(5n) = 3. */
export function bitLength(x: bigint): number {
  if (x < 0n) throw new RangeError('bitLength of a negative number');
  return x === 0n ? 0 : x.toString(2).length;
}

/** ceil(log2(n)) for an integer n ≥ 1: how many bits it takes to count n things apart. */
export function ceilLog2(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`ceilLog2 of ${n}`);
  let k = 0;
  while (2 ** k < n) k++;
  return k;
}

/** A finite non-negative double as mant · 2^exp exactly, with mant an integer BigInt. */
export function exactParts(x: number): { mant: bigint; exp: number } {
  if (!Number.isFinite(x) || x < 0) throw new RangeError(`exactParts of ${x}`);
  if (x === 0) return { mant: 0n, exp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  return biased === 0 ? { mant: frac, exp: -1074 } : { mant: frac | (1n << 52n), exp: biased - 1075 };
}

/** x / 2^s rounded to nearest, ties to even, for any integer x (negative too) and s ≥ 0. */
export function rneShift(x: bigint, s: number): bigint {
  if (s <= 0) return x << BigInt(-s);
  const S = BigInt(s);
  const q = x >> S; // floor
  const rem = x - (q << S);
  const half = 1n << (S - 1n);
  if (rem > half || (rem === half && (q & 1n) === 1n)) return q + 1n;
  return q;
}

/** x / 2^s rounded toward −∞ (an arithmetic shift), for any integer x and s ≥ 0. */
export function floorShift(x: bigint, s: number): bigint {
  return s <= 0 ? x << BigInt(-s) : x >> BigInt(s);
}

/**
 * The exact text of n · 2^k (n ≥ 0), for readers that take JSON numbers as doubles or as exact
 * integers alike: an integer value in plain decimal ("480", "34587645138205409280"), otherwise
 * `2^k` or `N*2^k` with N odd and k < 0 ("2^-9", "31*2^-1"). A double carries every such value of
 * a format, but JSON.stringify writes the shortest decimal that reads back as that double, which
 * is another integer for values of 2^53 and above (15·2^61 prints as 34587645138205410000).
 */
export function dyadicText(n: bigint, k: number): string {
  if (n < 0n) throw new RangeError('dyadicText of a negative number');
  if (n === 0n) return '0';
  while ((n & 1n) === 0n) {
    n >>= 1n;
    k++;
  }
  if (k >= 0) return (n << BigInt(k)).toString();
  return n === 1n ? `2^${k}` : `${n}*2^${k}`;
}

/** The signed range of a `width`-bit two's-complement number. */
export function signedRange(width: number): { min: bigint; max: bigint } {
  const half = 1n << BigInt(width - 1);
  return { min: -half, max: half - 1n };
}
