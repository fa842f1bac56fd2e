/**
 * A fast path through the golden model for long stimulus: each lane product comes from a table
 * filled once per configuration by the golden `laneProduct` (up to 2^16 (a, w) pairs; a memo
 * beyond), and the edge semantics follow `step` using the golden `fitAccumulator` and
 * `resetState`. `generators/golden` stays the reference: test/sim/fast-model.test.ts checks
 * this path equals `run` on random sequences.
 */
import type { MacConfig } from '../generators/config/mac-config.ts';
import { conv, fitAccumulator, laneProduct, resetState, type EdgeInputs, type LaneProduct, type MacState } from '../generators/golden/mac-model.ts';

/** Largest (a, w) table filled up front; larger products are memoised as they are met. */
const TABLE_LIMIT = 1 << 16;

const lookups = new WeakMap<MacConfig, (a: number, w: number) => LaneProduct>();

/** Lane products by (a, w) code pair, built once per configuration object (the stimulus shares it). */
export function productLookup(cfg: MacConfig): (a: number, w: number) => LaneProduct {
  let f = lookups.get(cfg);
  if (!f) lookups.set(cfg, (f = newLookup(cfg)));
  return f;
}

function newLookup(cfg: MacConfig): (a: number, w: number) => LaneProduct {
  const nw = cfg.w.codeCount;
  if (cfg.a.codeCount * nw <= TABLE_LIMIT) {
    const table: LaneProduct[] = [];
    for (let a = 0; a < cfg.a.codeCount; a++) for (let w = 0; w < nw; w++) table.push(laneProduct(cfg, a, w));
    return (a, w) => table[a * nw + w];
  }
  const memo = new Map<number, LaneProduct>();
  return (a, w) => {
    const k = a * nw + w;
    let p = memo.get(k);
    if (!p) memo.set(k, (p = laneProduct(cfg, a, w)));
    return p;
  };
}

interface Beat {
  en: boolean;
  clr: boolean;
  value: bigint;
  flags: number;
}

/** The states after each edge, as golden `run` gives them (the `pipe` and `resStages` fields are left empty). */
export function fastRun(cfg: MacConfig, edges: readonly EdgeInputs[]): MacState[] {
  const product = productLookup(cfg);
  const p = cfg.pipeline;
  const idle: Beat = { en: false, clr: false, value: 0n, flags: 0 };
  // Ring of beats in flight: slot (head + i) % p entered i edges ago.
  let ring: Beat[] = Array<Beat>(p).fill(idle);
  let head = 0;
  const r0 = resetState(cfg);
  let acc = r0.acc;
  let flags = 0; // bit0 ovf, bit1 nan, bit2 pinf, bit3 ninf
  const out: MacState[] = [];
  // Result registers as in golden `shiftResult`, kept as a ring of q + 1 codes like the beats.
  const q = cfg.result ? cfg.resultPipeline + 1 : 0;
  let res: number[] = Array<number>(q).fill(0);
  let resHead = 0;
  for (const x of edges) {
    if (x.inject && !x.rst) {
      // the registers forced between edges, as golden `step` takes them
      acc = x.inject.acc;
      flags = (x.inject.ovf ? 1 : 0) | (x.inject.nan ? 2 : 0) | (x.inject.pinf ? 4 : 0) | (x.inject.ninf ? 8 : 0);
    }
    if (q > 0) {
      if (x.rst) {
        res = Array<number>(q).fill(0);
        resHead = 0;
      } else {
        const code = conv(cfg, { acc, nan: (flags & 2) !== 0, pinf: (flags & 4) !== 0, ninf: (flags & 8) !== 0 });
        resHead = (resHead + q - 1) % q; // the oldest stage (the output) is overwritten by the newest
        res[resHead] = code;
      }
    }
    if (x.rst) {
      acc = 0n;
      flags = 0;
      ring = Array<Beat>(p).fill(idle);
      head = 0;
    } else {
      let incoming = idle;
      if (x.en) {
        let value = 0n;
        let f = 0;
        for (let i = 0; i < cfg.lanes; i++) {
          const lp = product(x.a[i] ?? 0, x.w[i] ?? 0);
          value += lp.aligned;
          f |= (lp.nan ? 2 : 0) | (lp.pinf ? 4 : 0) | (lp.ninf ? 8 : 0);
        }
        incoming = { en: true, clr: x.clr, value, flags: f };
      } else if (x.clr) incoming = { ...idle, clr: true };
      let leaving = incoming;
      if (p > 0) {
        head = (head + p - 1) % p; // the oldest slot leaves and takes the incoming beat
        leaving = ring[head];
        ring[head] = incoming;
      }
      if (leaving.en) {
        const base = leaving.clr ? 0n : acc;
        const fit = fitAccumulator(cfg, base + leaving.value);
        flags = (leaving.clr ? 0 : flags) | leaving.flags | (fit.overflow ? 1 : 0);
        acc = fit.acc;
      } else if (leaving.clr) {
        acc = 0n;
        flags = 0;
      }
    }
    // res = the stage written q edges ago: the slot after the newest in ring order
    const resOut = q > 0 ? res[(resHead + q - 1) % q] : 0;
    out.push({ acc, ovf: (flags & 1) !== 0, nan: (flags & 2) !== 0, pinf: (flags & 4) !== 0, ninf: (flags & 8) !== 0, pipe: [], res: resOut, resStages: [] });
  }
  return out;
}
