/**
 * Stimulus for the float result (contract §2, Float result): beats that drive the accumulator
 * onto the values where a converter goes wrong, so that `res` is compared there on every cycle.
 *
 * Targets, as accumulator values in LSBs (both signs), wherever the accumulator can hold them:
 * - every binade of R the accumulator reaches: its first value, its last, a random one inside;
 * - exact ties halfway between two codes of R, with an even and with an odd lower neighbour,
 *   and one LSB either side of each tie;
 * - R's max, and one LSB below, at and above the tie between max and the next code (where the
 *   encode overflows, in either mode);
 * - half R's smallest subnormal (rounds to ±0), one LSB either side, and 1.5 and 2.5 times it;
 * - the accumulator's own extremes.
 * A target is reached by a clearing beat and then greedy beats: each lane adds the largest
 * product (of the unit's own (a, w) pairs) that still fits what remains, so the sum lands on the
 * target exactly when the product grid allows, else as near as it gets. The flags override is
 * exercised by adding NaN, +inf and −inf products (alone and together) onto a reached value.
 */
import type { MacConfig } from '../generators/config/mac-config.ts';
import { laneProduct, type EdgeInputs } from '../generators/golden/mac-model.ts';
import { signedRange } from '../generators/util/bigint.ts';
import type { Prng } from './prng.ts';

/** Largest number of (a, w) pairs scanned for products; past it, a seeded sample is used. */
const PAIR_SCAN_LIMIT = 1 << 18;
/** Beats spent reaching the result targets of one unit, at most (the CLI's default). */
export const RESULT_BEAT_BUDGET = 40_000;

/** One product value the greedy reach can use, with a pair of codes that gives it. */
interface ProductChoice {
  readonly value: bigint;
  readonly a: number;
  readonly w: number;
}

/** What the unit's pairs offer: finite products by value (positive and negative, by magnitude), and pairs raising each flag. */
interface ProductMenu {
  readonly pos: readonly ProductChoice[];
  readonly neg: readonly ProductChoice[];
  readonly zero: readonly [number, number];
  readonly nan: readonly [number, number] | null;
  readonly pinf: readonly [number, number] | null;
  readonly ninf: readonly [number, number] | null;
}

function productMenu(cfg: MacConfig, rng: Prng): ProductMenu {
  const na = cfg.a.codeCount;
  const nw = cfg.w.codeCount;
  // Keyed by the value's text: V8 hashes a BigInt by its low digits, so the products of a wide
  // format (multiples of large powers of two, low digits all zero) would share one bucket.
  const byValue = new Map<string, ProductChoice>();
  let nan: [number, number] | null = null;
  let pinf: [number, number] | null = null;
  let ninf: [number, number] | null = null;
  const take = (a: number, w: number): void => {
    const p = laneProduct(cfg, a, w);
    if (p.nan) nan ??= [a, w];
    else if (p.pinf) pinf ??= [a, w];
    else if (p.ninf) ninf ??= [a, w];
    else {
      const k = p.aligned.toString(16);
      if (!byValue.has(k)) byValue.set(k, { value: p.aligned, a, w });
    }
  };
  if (na * nw <= PAIR_SCAN_LIMIT) {
    for (let a = 0; a < na; a++) for (let w = 0; w < nw; w++) take(a, w);
  } else {
    for (let i = 0; i < PAIR_SCAN_LIMIT; i++) take(rng.below(na), rng.below(nw));
  }
  const all = [...byValue.values()];
  const zero = byValue.get('0');
  return {
    pos: all.filter((c) => c.value > 0n).sort((x, y) => (x.value < y.value ? 1 : -1)),
    neg: all.filter((c) => c.value < 0n).sort((x, y) => (x.value > y.value ? 1 : -1)),
    zero: zero ? [zero.a, zero.w] : [0, 0],
    nan,
    pinf,
    ninf,
  };
}

/** The accumulator values (in LSBs) where `res` is most likely wrong, within the accumulator's range. */
export function resultTargets(cfg: MacConfig, rng: Prng): bigint[] {
  const r = cfg.result;
  if (!r) return [];
  const F = cfg.accFrac;
  const W = cfg.accWidth;
  const { min, max } = signedRange(W);
  const out = new Set<bigint>();
  const add = (v: bigint): void => {
    for (const x of [v, -v]) if (x >= min && x <= max) out.add(x);
  };
  const pow = (k: number): bigint | null => (k >= 0 ? 1n << BigInt(k) : null); // 2^k LSBs, when a whole number
  const emin = 1 - r.bias;
  const M = r.mantissaBits;
  // binades: value 2^k is 2^(k + F) LSBs; bit positions 0 … W − 2 hold positive values
  for (let bpos = 0; bpos <= W - 2; bpos++) {
    const k = bpos - F;
    const lo = 1n << BigInt(bpos);
    const hi = (lo << 1n) - 1n;
    add(lo);
    add(hi);
    add(lo + BigInt(rng.below(2 ** Math.min(bpos, 30))) * (bpos > 30 ? 1n << BigInt(bpos - 30) : 1n));
    // R's quantum in this binade, in LSBs: ties exist where it is 2 LSBs or more
    const qpos = Math.max(k, emin) - M + F;
    const q = pow(qpos);
    if (q !== null && q >= 2n) {
      const half = q >> 1n;
      for (const odd of [0n, 1n]) {
        // lower neighbour lo + m·q with m of the chosen parity, kept inside the binade
        const span = (hi - lo) / q;
        let m = span > 1n ? BigInt(rng.below(Number(span < 1n << 30n ? span : 1n << 30n))) : 0n;
        if ((m & 1n) !== odd) m = m > 0n ? m - 1n : m + 1n;
        const tie = lo + m * q + half;
        add(tie - 1n);
        add(tie);
        add(tie + 1n);
      }
    }
  }
  // R's max and the tie above it: max + half an ulp of the top binade
  const maxPos = r.lsbExponent + F; // R's units in LSBs: 2^maxPos
  const maxL = maxPos >= 0 ? r.maxUnits << BigInt(maxPos) : null;
  if (maxL !== null) {
    const topExp = Math.max(Number(r.maxUnits.toString(2).length) - 1 + r.lsbExponent, emin);
    const ulp = pow(topExp - M + F);
    add(maxL - 1n);
    add(maxL);
    add(maxL + 1n);
    if (ulp !== null && ulp >= 2n) {
      const half = ulp >> 1n;
      add(maxL + half - 1n);
      add(maxL + half);
      add(maxL + half + 1n);
    } else if (ulp !== null) add(maxL + ulp);
  }
  // around half the smallest subnormal
  const h = pow(emin - M - 1 + F);
  if (h !== null) {
    for (const v of [h - 1n, h, h + 1n, 3n * h, 5n * h]) if (v > 0n) add(v);
  }
  add(max);
  out.add(min);
  out.add(0n);
  return [...out].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

/** The choice of largest magnitude that still fits `rem` (same sign), by binary search; null when none fits. */
function largestFitting(menu: ProductMenu, rem: bigint): ProductChoice | null {
  const list = rem >= 0n ? menu.pos : menu.neg;
  const mag = rem >= 0n ? rem : -rem;
  // list is sorted by magnitude, largest first: find the first entry whose magnitude is ≤ mag
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const v = list[mid].value;
    if ((v >= 0n ? v : -v) <= mag) hi = mid;
    else lo = mid + 1;
  }
  return lo < list.length ? list[lo] : null;
}

/** Beats (lane codes) whose sum, after a clearing first beat, is the target or as near as greedy gets. */
function reach(cfg: MacConfig, menu: ProductMenu, target: bigint, maxBeats: number): { a: number[]; w: number[] }[] | null {
  const L = cfg.lanes;
  const beats: { a: number[]; w: number[] }[] = [];
  let rem = target;
  const top = rem >= 0n ? menu.pos : menu.neg;
  const biggest = top.length ? top[0].value * BigInt(L) : 0n;
  if (biggest !== 0n && rem / biggest > BigInt(maxBeats)) return null; // too far for the budget
  do {
    const a: number[] = [];
    const w: number[] = [];
    for (let l = 0; l < L; l++) {
      const c = rem !== 0n ? largestFitting(menu, rem) : null;
      if (c) {
        a.push(c.a);
        w.push(c.w);
        rem -= c.value;
      } else {
        a.push(menu.zero[0]);
        w.push(menu.zero[1]);
      }
    }
    beats.push({ a, w });
  } while (rem !== 0n && beats.length < maxBeats && largestFitting(menu, rem) !== null);
  return beats;
}

/** The result segment of a stimulus: reach every target, then the flags' combinations. Returns edges and the number of targets reached exactly. */
export function resultSegment(cfg: MacConfig, rng: Prng, beatBudget = RESULT_BEAT_BUDGET): { edges: EdgeInputs[]; targets: number; exact: number } {
  const edges: EdgeInputs[] = [];
  if (!cfg.result) return { edges, targets: 0, exact: 0 };
  const menu = productMenu(cfg, rng);
  const targets = resultTargets(cfg, rng);
  // the cheapest targets first, so a small budget still covers every binade it can
  let budget = beatBudget;
  let exact = 0;
  const beat = (clr: boolean, a: readonly number[], w: readonly number[]): void => {
    edges.push({ rst: false, en: true, clr, a: [...a], w: [...w] });
  };
  const L = cfg.lanes;
  for (const t of targets) {
    const beats = reach(cfg, menu, t, Math.min(budget, 2048));
    if (!beats) continue;
    budget -= beats.length;
    let sum = 0n;
    beats.forEach((b, i) => {
      beat(i === 0, b.a, b.w);
      for (let l = 0; l < L; l++) sum += laneProduct(cfg, b.a[l], b.w[l]).aligned;
    });
    if (sum === t) exact++;
    if (budget <= 0) break;
  }
  // the flags override: each flag alone, +inf with −inf, NaN with an infinity, on top of a value
  const zeros = (): [number[], number[]] => [Array<number>(L).fill(menu.zero[0]), Array<number>(L).fill(menu.zero[1])];
  const withLane0 = (p: readonly [number, number]): [number[], number[]] => {
    const [a, w] = zeros();
    a[0] = p[0];
    w[0] = p[1];
    return [a, w];
  };
  const combos: (readonly (readonly [number, number] | null)[])[] = [[menu.nan], [menu.pinf], [menu.ninf], [menu.pinf, menu.ninf], [menu.nan, menu.pinf], [menu.nan, menu.ninf]];
  for (const combo of combos) {
    if (combo.some((p) => p === null)) continue;
    const start = targets.length ? targets[rng.below(targets.length)] : 0n;
    const beats = reach(cfg, menu, start, 64) ?? [];
    beats.forEach((b, i) => beat(i === 0, b.a, b.w));
    if (!beats.length) beat(true, ...zeros());
    for (const p of combo) beat(false, ...withLane0(p!));
    beat(false, ...zeros());
  }
  return { edges, targets: targets.length, exact };
}
