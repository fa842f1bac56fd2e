/**
 * Strict number parsing for flags. Only plain decimal text counts: no hex (`0x10`), exponent
 * (`1e3`), surrounding whitespace, `Infinity` or empty text, which `Number()` would all accept.
 * Integers are read with BigInt, so a value past 2^53 is compared (and echoed) exactly.
 */

/** An optionally signed decimal integer (`-3`, `+16`, `1024`) as a bigint, or null for anything else. */
export function decimalInt(text: string): bigint | null {
  return /^[+-]?[0-9]+$/.test(text) ? BigInt(text) : null;
}

/** An optionally signed decimal number (`99.9`, `.5`, `-2`, `3.`) as a double, or null for anything else. */
export function decimalNumber(text: string): number | null {
  return /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$/.test(text) ? Number(text) : null;
}

/** Whether a bigint lies in [lo, hi]. */
export function inRange(n: bigint, lo: number | bigint, hi: number | bigint): boolean {
  return n >= BigInt(lo) && n <= BigInt(hi);
}
