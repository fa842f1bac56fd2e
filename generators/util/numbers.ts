/**
 * Strict number parsing for flags. Only plain decimal text counts: no hex (`0x10`), exponent
 * (`1e3`), surrounding whitespace, `Infinity` or empty text, which `Number()` would all accept.
 * Integers are read with BigInt, so a value past 2^53 is compared (and echoed) exactly.
 */

import { shown, UsageError } from './errors.ts';

/**
 * A decimal integer as a bigint, or null for anything else: optionally signed (`-3`, `+16`,
 * `1024`), or with `signed` false digits only.
 */
export function decimalInt(text: string, signed = true): bigint | null {
  return (signed ? /^[+-]?[0-9]+$/ : /^[0-9]+$/).test(text) ? BigInt(text) : null;
}

/**
 * An integer flag's value in [lo, hi] (digits only unless `signed`), or the UsageError
 * `<flag name> must be an integer from lo to hi, not '<text>'` naming `flag`.
 */
export function intInRange(text: string, flag: string, lo: number, hi: number, signed = true): number {
  const v = decimalInt(text, signed);
  if (v === null || !inRange(v, lo, hi)) throw new UsageError(`${flag.slice(2)} must be an integer from ${lo} to ${hi}, not ${shown(text)}`, flag);
  return Number(v);
}

/** An optionally signed decimal number (`99.9`, `.5`, `-2`, `3.`) as a double, or null for anything else. */
export function decimalNumber(text: string): number | null {
  return /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$/.test(text) ? Number(text) : null;
}

/** Whether a bigint lies in [lo, hi]. */
export function inRange(n: bigint, lo: number | bigint, hi: number | bigint): boolean {
  return n >= BigInt(lo) && n <= BigInt(hi);
}
