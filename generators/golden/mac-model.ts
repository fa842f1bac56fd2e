/**
 * The golden model of a MAC unit (contract §2): exact (BigInt, never floating point for sums)
 * and cycle by cycle. It defines every bit the generated RTL must reproduce.
 */
import type { MacConfig } from '../config/mac-config.ts';
import { floorShift, rneShift, signedRange } from '../util/bigint.ts';

/** Sticky special-value flags. */
export interface Flags {
  readonly nan: boolean;
  readonly pinf: boolean;
  readonly ninf: boolean;
}

/** One product on the accumulator grid, with the flags its operands raise. */
export interface LaneProduct extends Flags {
  /** The product rounded onto the accumulator grid, in accumulator LSBs (0 when special). */
  readonly aligned: bigint;
}

/** What one beat (all lanes) adds, before overflow handling. */
export interface Contribution extends Flags {
  /** Exact sum of the lanes' aligned products, in accumulator LSBs. */
  readonly value: bigint;
}

/** A beat or clear travelling through the pipeline. */
export interface Slot extends Contribution {
  readonly en: boolean;
  readonly clr: boolean;
}

/** The unit's state after an edge: the registered outputs plus the beats in flight. */
export interface MacState extends Flags {
  /** The accumulator as a signed value, in accumulator LSBs. */
  readonly acc: bigint;
  /** Sticky overflow since the last clear. */
  readonly ovf: boolean;
  /** Beats in flight, newest first; length = pipeline depth. */
  readonly pipe: readonly Slot[];
  /** The `res` output: the float result code (0 for a unit without `--result`). */
  readonly res: number;
  /** The result registers, newest first; length q + 1 with a result (the last is `res`), else 0. */
  readonly resStages: readonly number[];
}

/** What the result conversion reads: the accumulator and the sticky flags of one state. */
export type ConvInput = Pick<MacState, 'acc' | 'nan' | 'pinf' | 'ninf'>;

/** The inputs sampled at one rising edge; `a` and `w` hold one code per lane (ignored when en = 0). */
export interface EdgeInputs {
  readonly rst: boolean;
  readonly en: boolean;
  readonly clr: boolean;
  readonly a: readonly number[];
  readonly w: readonly number[];
  /**
   * Verification only (issue 12, state injection): before this edge the accumulator and its
   * sticky flags are overwritten with these values, as a testbench forces the unit's registers
   * between edges. The edge then runs from that state (rst still has priority).
   */
  readonly inject?: Injection;
}

/** An accumulator state forced between edges: acc in LSBs (within the accumulator's range) and the sticky outputs. */
export interface Injection extends Flags {
  readonly acc: bigint;
  readonly ovf: boolean;
}

const NO_FLAGS: Flags = Object.freeze({ nan: false, pinf: false, ninf: false });
const BUBBLE: Slot = Object.freeze({ en: false, clr: false, value: 0n, ...NO_FLAGS });

/**
 * One lane: the exact product of codes a (format A) and w (format W), put on the accumulator
 * grid. A NaN operand or inf × 0 gives `nan`; inf × non-zero gives `pinf`/`ninf` by the
 * product's sign; any special product counts as 0.
 */
export function laneProduct(cfg: MacConfig, a: number, w: number): LaneProduct {
  const da = cfg.a.decode(a);
  const dw = cfg.w.decode(w);
  if (da.kind === 'nan' || dw.kind === 'nan') return { aligned: 0n, nan: true, pinf: false, ninf: false };
  if (da.kind === 'inf' || dw.kind === 'inf') {
    const zero = (da.kind === 'finite' && da.units === 0n) || (dw.kind === 'finite' && dw.units === 0n);
    if (zero) return { aligned: 0n, nan: true, pinf: false, ninf: false };
    const negative = da.negative !== dw.negative;
    return { aligned: 0n, nan: false, pinf: !negative, ninf: negative };
  }
  // Exact product in units of 2^productLsb.
  const exact = da.units * dw.units;
  const s = cfg.alignShift;
  const aligned = cfg.accRound === 'floor' ? floorShift(exact, s) : rneShift(exact, s);
  return { aligned, ...NO_FLAGS };
}

/** A beat's contribution: the exact sum of its lanes' rounded products, and the OR of their flags. */
export function contribution(cfg: MacConfig, a: readonly number[], w: readonly number[]): Contribution {
  let value = 0n;
  let nan = false;
  let pinf = false;
  let ninf = false;
  for (let i = 0; i < cfg.lanes; i++) {
    const p = laneProduct(cfg, a[i] ?? 0, w[i] ?? 0);
    value += p.aligned;
    nan ||= p.nan;
    pinf ||= p.pinf;
    ninf ||= p.ninf;
  }
  return { value, nan, pinf, ninf };
}

/**
 * conv(S) of contract §2 (Float result): the code of `res` for a state. NaN (or both infinities)
 * gives R's NaN with sign 0, or +0 where R has none; one infinity gives the encode of ±inf in the
 * result's mode; otherwise the exact encode of acc · 2^-frac (RNE, −0 for a negative value that
 * rounds to zero). `ovf` plays no part. Exact throughout: BigInt, never a double.
 */
export function conv(cfg: MacConfig, s: ConvInput): number {
  const r = cfg.result;
  if (!r) return 0;
  const saturate = cfg.resultOverflow === 'sat';
  if (s.nan || (s.pinf && s.ninf)) return r.nanCode ? r.nanCode[0] : 0;
  if (s.pinf || s.ninf) return r.encodeInfinity(s.ninf, { saturate });
  return r.encodeDyadic(s.acc, -cfg.accFrac, { saturate });
}

/** The result registers right after `rst`: every stage holds the code of +0 (which is 0 in every variant). */
function resetResult(cfg: MacConfig): number[] {
  return cfg.result ? Array<number>(cfg.resultPipeline + 1).fill(0) : [];
}

/** The state right after an edge with `rst` high: everything cleared, nothing in flight. */
export function resetState(cfg: MacConfig): MacState {
  return { acc: 0n, ovf: false, ...NO_FLAGS, pipe: Array<Slot>(cfg.pipeline).fill(BUBBLE), res: 0, resStages: resetResult(cfg) };
}

/**
 * The result registers after an edge that is not a reset: the first takes conv of the state
 * before the edge, each later one its predecessor, so `res` after edge t = conv(S(t − 1 − q)).
 */
export function shiftResult(cfg: MacConfig, before: ConvInput, stages: readonly number[]): number[] {
  if (!cfg.result) return [];
  return [conv(cfg, before), ...stages.slice(0, cfg.resultPipeline)];
}

/** Put an exact sum into the accumulator's range: wrap or clamp, and say if it was out of range. */
export function fitAccumulator(cfg: MacConfig, sum: bigint): { acc: bigint; overflow: boolean } {
  const { min, max } = signedRange(cfg.accWidth);
  if (sum >= min && sum <= max) return { acc: sum, overflow: false };
  if (cfg.overflow === 'sat') return { acc: sum < min ? min : max, overflow: true };
  return { acc: BigInt.asIntN(cfg.accWidth, sum), overflow: true };
}

function apply(cfg: MacConfig, s: MacState, slot: Slot): Omit<MacState, 'pipe' | 'res' | 'resStages'> {
  if (!slot.en && !slot.clr) return { acc: s.acc, ovf: s.ovf, nan: s.nan, pinf: s.pinf, ninf: s.ninf };
  if (!slot.en) return { acc: 0n, ovf: false, ...NO_FLAGS }; // clr alone: acc ← 0, flags ← 0
  const base = slot.clr ? 0n : s.acc;
  const { acc, overflow } = fitAccumulator(cfg, base + slot.value);
  const keep = !slot.clr; // clr with en starts a new sum: the old flags go
  return {
    acc,
    ovf: (keep && s.ovf) || overflow,
    nan: (keep && s.nan) || slot.nan,
    pinf: (keep && s.pinf) || slot.pinf,
    ninf: (keep && s.ninf) || slot.ninf,
  };
}

/**
 * One rising clock edge. `rst` has priority and drops every beat in flight and the one sampled
 * now. Otherwise the beat sampled now enters the pipeline and the one leaving it (or, with no
 * pipeline, the one sampled now) is added into the accumulator: a beat sampled at edge k is in
 * `acc` after edge k + p.
 */
export function step(cfg: MacConfig, before: MacState, x: EdgeInputs): MacState {
  if (x.rst) return resetState(cfg);
  const s = x.inject ? { ...before, ...x.inject } : before;
  const incoming: Slot = x.en
    ? { en: true, clr: x.clr, ...contribution(cfg, x.a, x.w) }
    : x.clr
      ? { ...BUBBLE, clr: true }
      : BUBBLE;
  const p = cfg.pipeline;
  const leaving = p === 0 ? incoming : s.pipe[p - 1];
  const pipe = p === 0 ? [] : [incoming, ...s.pipe.slice(0, p - 1)];
  const resStages = shiftResult(cfg, s, s.resStages);
  return { ...apply(cfg, s, leaving), pipe, resStages, res: resStages.at(-1) ?? 0 };
}

/** Run a sequence of edges from the reset state (the first edge should assert rst) and collect each state. */
export function run(cfg: MacConfig, edges: readonly EdgeInputs[]): MacState[] {
  let s = resetState(cfg);
  const out: MacState[] = [];
  for (const e of edges) {
    s = step(cfg, s, e);
    out.push(s);
  }
  return out;
}
