/**
 * Stimulus for one unit, from its MacConfig: the sequence of edges the simulators replay and
 * the golden model predicts. Segments, in order:
 * 1. every (a, w) code combination as a lone beat (`en` and `clr`, so each is checked alone)
 *    where lanes·(bits(A)+bits(W)) ≤ 16; else, where one pair has bits(A)+bits(W) ≤ 16, every
 *    pair on every lane in turn while the other lanes hold random codes (issue 12: a lane-slicing
 *    bug on one lane cannot hide); otherwise `pairs` random combinations;
 * 2. short fast-check sequences (seeded) of en/clr/rst with bubbles;
 * 3. runs of same-sign maximum products into overflow and back (both signs; the true extreme
 *    products, {@link maxProductCodes}), skipped past MAX_OVERFLOW_RUN beats (wide accumulators);
 * 4. resets and clears with beats in flight;
 * 5. a long random sequence of `beats` edges with en/clr/rst toggling;
 * 5b. state injection (issue 12): the accumulator and its flags forced between edges to +max,
 *    +max − 1, −2^(W−1), −2^(W−1) + 1 (one LSB either side of the wrap point), zero with and
 *    without the flags, and random states, each followed by beats of the largest products of
 *    either sign, so saturation, wrap and sticky ovf are reached at any accumulator width; each
 *    then ends with an idle clr (clr without en), a clearing beat (en with clr) or a rst, in turn;
 *    then states with ovf (and nan, pinf, ninf where the format has them) set, each also ended by
 *    one of the three, so a unit that fails to clear a flag on clr or rst is caught at any width;
 *    every such ending is followed by latency + 1 idle or plain edges, so it reaches the outputs;
 * 6. with a float result: the accumulator driven onto R's binades, ties, max and zero boundaries
 *    and the flags' combinations (sim/result-stimulus.ts), then q + 2 idle edges so the last
 *    state reaches `res`.
 * The first edge always has rst = 1 (outputs are undefined before it). When en = 0 the codes
 * are random filler (Verilator sees them; Icarus drives X instead).
 */
import fc from 'fast-check';
import type { MacConfig } from '../generators/config/mac-config.ts';
import type { Format } from '../generators/formats/format.ts';
import { laneProduct, type EdgeInputs, type Injection } from '../generators/golden/mac-model.ts';
import { signedRange } from '../generators/util/bigint.ts';
import { productLookup } from './fast-model.ts';
import { Prng } from './prng.ts';
import { resultSegment } from './result-stimulus.ts';

/** What a stimulus holds, for the PASS line. */
export interface StimulusCounts {
  /** Lone-beat (a, w) combinations checked (all of them when `exhaustive`). */
  pairs: number;
  /** Whether `pairs` is every combination of codes. */
  exhaustive: boolean;
  /** Whether every (a, w) pair went through every lane (the others random); `pairs` counts lane × pair beats. */
  perLane?: boolean;
  /** Edges with en = 1. */
  beats: number;
  /** All edges. */
  cycles: number;
  /** Accumulator states forced between edges (state injection); 0 when not asked for. */
  injected?: number;
  /** With a float result: accumulator targets of R's corner values, and how many were hit exactly. */
  resultTargets?: { targets: number; exact: number };
}

/** A replayable stimulus and what it covers. */
export interface Stimulus {
  readonly edges: readonly EdgeInputs[];
  readonly counts: StimulusCounts;
}

/** Knobs of a stimulus; defaults follow the contract (≥ 10^5 random pairs, 10^5 random beats). */
export interface StimulusOptions {
  readonly seed: number;
  /** Edges of the long random sequence (default 100000). */
  readonly beats?: number;
  /** Random lone-beat combinations when enumeration is too large (default 100000). */
  readonly pairs?: number;
  /** Enumerate every combination when lanes·(bits(A)+bits(W)) is at most this (default 16). */
  readonly exhaustiveBits?: number;
  /** fast-check sequences in segment 2 (default 16). */
  readonly sequences?: number;
  /** Beats of segment 6, reaching the float result's corners (default RESULT_BEAT_BUDGET, 40000). */
  readonly resultBeats?: number;
  /**
   * Force accumulator states between edges (segment 5b; default true). It needs the top's `acc`,
   * `ovf` and flag outputs to be the registers themselves, as in generated units; a hand-written
   * unit may keep them in a submodule, so `verify --unit` turns it off.
   */
  readonly injectStates?: boolean;
}

/** Codes a format is most likely to get wrong: zeros, extremes, the smallest values, specials. */
export function edgeCodes(f: Format): number[] {
  const out = new Set<number>();
  let minMag = -1n;
  for (let c = 0; c < f.codeCount; c++) {
    const d = f.decode(c);
    if (d.kind !== 'finite') {
      out.add(c);
      continue;
    }
    const mag = d.units < 0n ? -d.units : d.units;
    if (mag === 0n || mag === f.maxUnits) out.add(c);
    else if (minMag < 0n || mag < minMag) minMag = mag;
  }
  for (let c = 0; c < f.codeCount && minMag > 0n; c++) {
    const d = f.decode(c);
    if (d.kind === 'finite' && (d.units === minMag || d.units === -minMag)) out.add(c);
  }
  // Keep the list short for wide formats with many special codes (ieee with large M).
  return [...out].sort((x, y) => x - y).slice(0, 64);
}

/** Draws lane codes: mostly uniform, sometimes an edge code. */
class CodeSource {
  private readonly edgeA: number[];
  private readonly edgeW: number[];
  constructor(
    private readonly cfg: MacConfig,
    private readonly rng: Prng,
  ) {
    this.edgeA = edgeCodes(cfg.a);
    this.edgeW = edgeCodes(cfg.w);
  }
  code(side: 'a' | 'w'): number {
    const f = side === 'a' ? this.cfg.a : this.cfg.w;
    if (this.rng.chance(1, 4)) return this.rng.pick(side === 'a' ? this.edgeA : this.edgeW);
    return this.rng.below(f.codeCount);
  }
  lanes(side: 'a' | 'w'): number[] {
    const out = new Array<number>(this.cfg.lanes);
    for (let i = 0; i < this.cfg.lanes; i++) out[i] = this.code(side);
    return out;
  }
  uniform(side: 'a' | 'w'): number[] {
    const n = (side === 'a' ? this.cfg.a : this.cfg.w).codeCount;
    const out = new Array<number>(this.cfg.lanes);
    for (let i = 0; i < this.cfg.lanes; i++) out[i] = this.rng.below(n);
    return out;
  }
}

/** A boolean that is true about once in `n` draws (shrinks toward false without context). */
function rarely(n: number): fc.Arbitrary<boolean> {
  return fc.oneof({ arbitrary: fc.constant(false), weight: n - 1 }, { arbitrary: fc.constant(true), weight: 1 });
}

/**
 * The fast-check arbitrary of one edge: codes per lane (uniform or edge codes), rare rst, some
 * bubbles and clears. Built from arbitraries that shrink without context, so a failing
 * sequence found elsewhere can be handed to fast-check as an example and shrunk.
 */
export function edgeArbitrary(cfg: MacConfig): fc.Arbitrary<EdgeInputs> {
  const codes = (f: Format) =>
    fc.array(fc.oneof(fc.integer({ min: 0, max: f.codeCount - 1 }), fc.constantFrom(...edgeCodes(f))), {
      minLength: cfg.lanes,
      maxLength: cfg.lanes,
    });
  return fc.record({ rst: rarely(16), en: fc.oneof(fc.constant(true), fc.constant(false)), clr: rarely(8), a: codes(cfg.a), w: codes(cfg.w) });
}

/** Sequences of edges; replay them through {@link withReset}. */
export function sequenceArbitrary(cfg: MacConfig, maxLength = 64): fc.Arbitrary<EdgeInputs[]> {
  return fc.array(edgeArbitrary(cfg), { minLength: 1, maxLength });
}

/** The sequence with rst forced on its first edge (the contract leaves outputs undefined before it). */
export function withReset(seq: readonly EdgeInputs[]): EdgeInputs[] {
  return seq.length ? [{ ...seq[0], rst: true }, ...seq.slice(1)] : [];
}

/**
 * The codes of a format's least and greatest finite value (for an integer: min and max; for a
 * float: −max and +max; for uint: 0 and max). Every product a·w of two operands lies in the box
 * [least(A), greatest(A)] × [least(W), greatest(W)], and a product is bilinear, so its largest and
 * its most negative value are each at a corner of that box; putting a product on the accumulator
 * grid (floor or RNE) is monotone, so the same corners give the extreme aligned products.
 */
export function extremeCodes(f: Format): number[] {
  let lo = -1;
  let hi = -1;
  let loV = 0n;
  let hiV = 0n;
  for (let c = 0; c < f.codeCount; c++) {
    const d = f.decode(c);
    if (d.kind !== 'finite') continue;
    if (lo < 0 || d.units < loV) [lo, loV] = [c, d.units];
    if (hi < 0 || d.units > hiV) [hi, hiV] = [c, d.units];
  }
  return lo === hi ? [lo] : [lo, hi];
}

/**
 * Same-sign lane codes with the largest aligned product magnitude, per sign (null when none):
 * the true extremes, found over every (a, w) pair when bits(A) + bits(W) ≤ `exhaustiveBits`
 * (default 16; the fast model's product table, shared), else over the pairs of
 * {@link extremeCodes}, which provably hold them. Special products (NaN, ±inf) count as 0 and
 * are skipped.
 */
export function maxProductCodes(cfg: MacConfig, exhaustiveBits = 16): { pos: [number, number] | null; neg: [number, number] | null } {
  const all = (f: Format) => Array.from({ length: f.codeCount }, (_, c) => c);
  const exhaustive = cfg.a.bits + cfg.w.bits <= exhaustiveBits;
  const ca = exhaustive ? all(cfg.a) : extremeCodes(cfg.a);
  const cw = exhaustive ? all(cfg.w) : extremeCodes(cfg.w);
  const product = exhaustive ? productLookup(cfg) : (a: number, w: number) => laneProduct(cfg, a, w);
  let pos: [number, number] | null = null;
  let neg: [number, number] | null = null;
  let pv = 0n;
  let nv = 0n;
  for (const a of ca) {
    for (const w of cw) {
      const p = product(a, w);
      if (p.nan || p.pinf || p.ninf) continue;
      if (p.aligned > pv) [pv, pos] = [p.aligned, [a, w]];
      if (p.aligned < nv) [nv, neg] = [p.aligned, [a, w]];
    }
  }
  return { pos, neg };
}

/** The longest same-sign run used to reach overflow; longer ones (wide accumulators) are skipped. */
export const MAX_OVERFLOW_RUN = 4096;

/**
 * How segment 5b ends an injected state (issue 12): the three edges that must clear ovf and the
 * other flags. `idle-clr` (clr without en) and `clear-beat` (en with clr) travel through the
 * pipeline and act `pipeline` edges later; `rst` acts at once and drops the beats in flight.
 */
export const CLOSERS = ['idle-clr', 'clear-beat', 'rst'] as const;
export type Closer = (typeof CLOSERS)[number];

/**
 * Segment 5b: force accumulator states between edges and return how many were forced.
 * - Each state of a fixed list (the range's ends, zero with and without the flags, random ones)
 *   is followed by beats that push it on (the largest products of one sign, twice), an idle edge,
 *   then a closer ({@link CLOSERS}, in turn), so a clear or reset also meets an ovf the unit set
 *   itself by wrapping or saturating; with a pipeline, a rst there drops the beats still in flight.
 * - Flagged states alone: for each closer in turn, ovf, ovf + nan, pinf, ninf and all four (ovf
 *   only, three times, without specials), forced on an idle edge or on the first of one or two
 *   plain beats, then the closer: a bug that leaves a flag set through clr, a clearing beat or rst
 *   shows at once (the clearing beat's own product is finite and in range, so it sets nothing).
 * Every closer is followed by latency + 1 idle or plain edges, so its effect reaches the outputs
 * before the next state is forced.
 */
function injectStates(
  cfg: MacConfig,
  rng: Prng,
  src: CodeSource,
  push: (rst: boolean, en: boolean, clr: boolean, a: number[], w: number[], inject?: Injection) => void,
  idle: (rst?: boolean, clr?: boolean) => void,
  maxCodes: ReturnType<typeof maxProductCodes>,
): number {
  const { min, max } = signedRange(cfg.accWidth);
  const L = cfg.lanes;
  const flagsOn = cfg.hasFlags;
  const state = (acc: bigint, set: boolean): Injection => ({ acc, ovf: set, nan: set && flagsOn, pinf: false, ninf: false });
  const randomAcc = (): bigint => {
    let v = 0n;
    for (let i = 0; i < cfg.accWidth; i += 30) v = (v << 30n) | BigInt(rng.below(2 ** 30));
    return BigInt.asIntN(cfg.accWidth, v);
  };
  const plain = (inject?: Injection) => push(false, true, false, src.lanes('a'), src.lanes('w'), inject);
  // A clearing beat that sets no flag of its own: finite codes, a contribution in range (else zeros).
  const finite = (side: 'a' | 'w'): number => {
    for (let t = 0; t < 16; t++) {
      const c = src.code(side);
      if ((side === 'a' ? cfg.a : cfg.w).decode(c).kind === 'finite') return c;
    }
    return 0; // code 0 is +0 in every format
  };
  const clearingBeat = (): [number[], number[]] => {
    for (let t = 0; t < 8; t++) {
      const a = Array.from({ length: L }, () => finite('a'));
      const w = Array.from({ length: L }, () => finite('w'));
      const sum = a.reduce((acc, x, i) => acc + laneProduct(cfg, x, w[i]).aligned, 0n);
      if (sum >= min && sum <= max) return [a, w];
    }
    return [Array<number>(L).fill(0), Array<number>(L).fill(0)];
  };
  const close = (c: Closer) => {
    if (c === 'idle-clr') idle(false, true);
    else if (c === 'clear-beat') push(false, true, true, ...clearingBeat());
    else if (rng.chance(1, 2)) idle(true);
    else push(true, true, rng.chance(1, 2), src.lanes('a'), src.lanes('w')); // a beat sampled with rst is dropped
    for (let i = 0; i <= cfg.latency; i++) (rng.chance(1, 2) ? idle() : plain());
  };

  const states: Injection[] = [state(max, false), state(max - 1n, false), state(min, false), state(min + 1n, false), state(0n, false), state(0n, true)];
  if (flagsOn) states.push({ acc: 1n, ovf: false, nan: false, pinf: true, ninf: false }, { acc: -1n, ovf: true, nan: false, pinf: false, ninf: true });
  for (let i = 0; i < 8; i++) states.push({ acc: randomAcc(), ovf: rng.chance(1, 2), nan: flagsOn && rng.chance(1, 4), pinf: flagsOn && rng.chance(1, 4), ninf: flagsOn && rng.chance(1, 4) });
  const { pos, neg } = maxCodes;
  let n = 0;
  states.forEach((s, k) => {
    // toward the near end of the range: up from +max, down from −2^(W−1), either way from the rest
    const first = s.acc >= max - 1n ? pos : s.acc <= min + 1n ? neg : rng.chance(1, 2) ? pos : neg;
    const beats = [first, first, rng.chance(1, 2) ? pos : neg];
    beats.forEach((codes, i) => {
      const a = codes ? Array<number>(L).fill(codes[0]) : src.lanes('a');
      const w = codes ? Array<number>(L).fill(codes[1]) : src.lanes('w');
      push(false, true, false, a, w, i === 0 ? s : undefined); // the state is forced before the first beat
    });
    n++;
    idle();
    close(CLOSERS[k % CLOSERS.length]);
  });

  // Flagged states, each ended by a closer: ovf (and nan, pinf, ninf where the format has them)
  // is set when the clear or reset acts, so a bug that keeps one cannot hide.
  const flagged: Omit<Injection, 'acc'>[] = flagsOn
    ? [
        { ovf: true, nan: false, pinf: false, ninf: false },
        { ovf: true, nan: true, pinf: false, ninf: false },
        { ovf: false, nan: false, pinf: true, ninf: false },
        { ovf: false, nan: false, pinf: false, ninf: true },
        { ovf: true, nan: true, pinf: true, ninf: true },
      ]
    : Array.from({ length: 3 }, () => ({ ovf: true, nan: false, pinf: false, ninf: false }));
  for (const c of CLOSERS) {
    flagged.forEach((f, i) => {
      const s: Injection = { ...f, acc: randomAcc() };
      const lead = i % 3; // forced on an idle edge, or on the first of one or two plain beats
      if (lead === 0) push(false, false, false, src.uniform('a'), src.uniform('w'), s);
      else for (let j = 0; j < lead; j++) plain(j === 0 ? s : undefined);
      n++;
      close(c);
    });
  }
  return n;
}

/** Build the stimulus of a unit. */
export function buildStimulus(cfg: MacConfig, opts: StimulusOptions): Stimulus {
  const rng = new Prng(opts.seed);
  const src = new CodeSource(cfg, rng);
  const L = cfg.lanes;
  const edges: EdgeInputs[] = [];
  const counts: StimulusCounts = { pairs: 0, exhaustive: false, beats: 0, cycles: 0 };
  const push = (rst: boolean, en: boolean, clr: boolean, a: number[], w: number[], inject?: Injection) =>
    edges.push(inject ? { rst, en, clr, a, w, inject } : { rst, en, clr, a, w });
  const idle = (rst = false, clr = false) => push(rst, false, clr, src.uniform('a'), src.uniform('w'));
  idle(true);

  // 1. Lone beats: clr with en makes acc and the flags this beat's alone.
  const ab = cfg.a.bits;
  const wb = cfg.w.bits;
  const comboBits = L * (ab + wb);
  if (comboBits <= (opts.exhaustiveBits ?? 16)) {
    // Bits of the index, low to high: lane 0 a, lane 0 w, lane 1 a, ...
    for (let i = 0; i < 2 ** comboBits; i++) {
      const a: number[] = [];
      const w: number[] = [];
      let x = i;
      for (let l = 0; l < L; l++) {
        a.push(x % 2 ** ab);
        x = Math.floor(x / 2 ** ab);
        w.push(x % 2 ** wb);
        x = Math.floor(x / 2 ** wb);
      }
      push(false, true, true, a, w);
    }
    counts.pairs = 2 ** comboBits;
    counts.exhaustive = true;
  } else if (ab + wb <= (opts.exhaustiveBits ?? 16)) {
    // Each lane in turn takes every pair; the other lanes carry random codes (edge codes included),
    // so their products are summed and checked on every one of these cycles too.
    const n = 2 ** (ab + wb);
    for (let l = 0; l < L; l++) {
      for (let i = 0; i < n; i++) {
        const a = src.lanes('a');
        const w = src.lanes('w');
        a[l] = i % 2 ** ab;
        w[l] = Math.floor(i / 2 ** ab);
        push(false, true, true, a, w);
      }
    }
    counts.pairs = L * n;
    counts.perLane = true;
  } else {
    const n = opts.pairs ?? 100_000;
    for (let i = 0; i < n; i++) push(false, true, true, src.lanes('a'), src.lanes('w'));
    counts.pairs = n;
  }

  // 2. fast-check sequences (seeded; the same arbitrary shrinks a failure to a short one).
  const seqs = fc.sample(sequenceArbitrary(cfg), { seed: opts.seed, numRuns: opts.sequences ?? 16 });
  for (const s of seqs) edges.push(...withReset(s));

  // 3. Overflow runs: clear, then same-sign maximum beats past the range, then the other sign
  // twice as long (through the other end), with an occasional bubble.
  const maxCodes = maxProductCodes(cfg); // the overflow runs here and state injection (5b) use them
  const { pos, neg } = maxCodes;
  const limit = 1n << BigInt(cfg.accWidth - 1);
  for (const [first, second] of [
    [pos, neg],
    [neg, pos],
  ]) {
    if (!first) continue;
    const per = laneProduct(cfg, first[0], first[1]).aligned * BigInt(L);
    const mag = per < 0n ? -per : per;
    if (mag === 0n) continue;
    const k = limit / mag + 3n;
    if (k > BigInt(MAX_OVERFLOW_RUN)) continue;
    const run = (codes: [number, number], n: number, clrFirst: boolean) => {
      for (let i = 0; i < n; i++) {
        if (rng.chance(1, 16)) idle();
        push(false, true, clrFirst && i === 0, Array(L).fill(codes[0]), Array(L).fill(codes[1]));
      }
    };
    run(first, Number(k), true);
    if (second) run(second, 2 * Number(k), false);
  }

  // 4. Resets and clears with beats in flight.
  for (let r = 0; r < 8; r++) {
    const n = 1 + rng.below(cfg.latency + 2);
    for (let i = 0; i < n; i++) push(false, true, rng.chance(1, 4), src.lanes('a'), src.lanes('w'));
    if (r % 2 === 0) idle(true);
    else idle(false, true);
    for (let i = 0; i < cfg.latency; i++) (rng.chance(1, 2) ? idle() : push(false, true, false, src.lanes('a'), src.lanes('w')));
  }

  // 5. The long random sequence.
  const beats = opts.beats ?? 100_000;
  for (let i = 0; i < beats; i++) {
    const rst = rng.chance(1, 512);
    const en = rng.chance(3, 4);
    const clr = rng.chance(1, 64);
    if (en) push(rst, true, clr, src.lanes('a'), src.lanes('w'));
    else idle(rst, clr);
  }

  // 5b. State injection.
  if (opts.injectStates ?? true) counts.injected = injectStates(cfg, rng, src, push, idle, maxCodes);

  // 6. The float result's corners.
  if (cfg.result) {
    const seg = resultSegment(cfg, rng, opts.resultBeats);
    edges.push(...seg.edges);
    for (let i = 0; i < cfg.resultPipeline + 2; i++) idle();
    counts.resultTargets = { targets: seg.targets, exact: seg.exact };
  }

  counts.cycles = edges.length;
  counts.beats = edges.reduce((n, e) => n + (e.en ? 1 : 0), 0);
  return { edges, counts };
}
