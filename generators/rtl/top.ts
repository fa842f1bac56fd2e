/**
 * The top module `<name>`: the unit's ports (contract §2: clk, rst, en, clr, the L codes of a
 * and of w in; acc, ovf and, when the formats have specials, nan/pinf/ninf out). It assembles
 * the operators: input stages, L lane instances (`product.ts`), their flags OR-ed per beat, the
 * lane sum (`lane-sum.ts`), the pipeline registers `pipeline-plan.ts` places, and the
 * accumulator (`accumulator.ts`).
 */
import { submoduleName, type MacConfig } from '../config/mac-config.ts';
import { Body, type Sig, named, orAll, slice } from './signal.ts';
import { renderInstance, type Connection } from './verilog.ts';
import type { ModuleDesc, PortDesc } from './module.ts';
import { type Stage, registerStage, stagePlan } from './pipeline-plan.ts';
import { laneSum } from './lane-sum.ts';
import { laneProdWidth, signAbsorbed } from './product.ts';
import { rowShapes, usesPartialProducts } from './partial-products.ts';
import { accumulator, sumWidth } from './accumulator.ts';
import { resultInstance } from './result.ts';

/** The top-level ports of a unit, in order (contract §2). */
export function topPorts(cfg: MacConfig): PortDesc[] {
  const p: PortDesc[] = [
    { name: 'clk', dir: 'input', width: 1 },
    { name: 'rst', dir: 'input', width: 1 },
    { name: 'en', dir: 'input', width: 1 },
    { name: 'clr', dir: 'input', width: 1 },
    { name: 'a', dir: 'input', width: cfg.lanes * cfg.a.bits },
    { name: 'w', dir: 'input', width: cfg.lanes * cfg.w.bits },
    { name: 'acc', dir: 'output', width: cfg.accWidth, reg: true },
    { name: 'ovf', dir: 'output', width: 1, reg: true },
  ];
  if (cfg.hasFlags) for (const n of ['nan', 'pinf', 'ninf']) p.push({ name: n, dir: 'output', width: 1, reg: true });
  // res is registered inside the converter, so here it is a plain output wire
  if (cfg.result) p.push({ name: 'res', dir: 'output', width: cfg.result.bits });
  return p;
}

/** The top module: input stages, lanes, lane sum, pipeline, accumulator with wrap or saturate. */
export function buildTop(cfg: MacConfig): ModuleDesc {
  const b = new Body();
  const plan = stagePlan(cfg);
  const L = cfg.lanes;

  // Input stages (p ≥ 3).
  let inp: Stage = { en: named('en', 1), clr: named('clr', 1), data: [named('a', L * cfg.a.bits), named('w', L * cfg.w.bits)] };
  for (let i = 0; i < plan.input; i++) {
    b.comment(`pipeline stage ${i + 1}: operands`);
    inp = registerStage(b, `s${i + 1}`, inp);
  }
  const [aIn, wIn] = inp.data;

  // Lanes.
  const prods: Sig[] = [];
  // A scalar unit may carry the product's sign apart, for the accumulator's adder to apply (product.ts).
  const absorbed = signAbsorbed(cfg);
  const negs: Sig[] = [];
  const pp = usesPartialProducts(cfg);
  const offsets: number[] = [];
  const laneFlags: Sig[][] = [];
  for (let i = 0; i < L; i++) {
    const conns: Connection[] = [
      ...(plan.inLane ? [{ port: 'clk', signal: 'clk' }, { port: 'ce', signal: inp.en.expr }] : []),
      { port: 'a', signal: slice(aIn, (i + 1) * cfg.a.bits - 1, i * cfg.a.bits).expr },
      { port: 'w', signal: slice(wIn, (i + 1) * cfg.w.bits - 1, i * cfg.w.bits).expr },
    ];
    if (pp) {
      // Integer lanes on a primitive arch: each lane's partial-product rows go into the lane sum.
      rowShapes(cfg).forEach((r, k) => {
        prods.push(b.net(`pp${k}_${i}`, r.width));
        offsets.push(r.offset);
        conns.push({ port: `pp${k}`, signal: `pp${k}_${i}` });
      });
    } else {
      prods.push(b.net(`prod${i}`, laneProdWidth(cfg)));
      offsets.push(0);
      conns.push({ port: 'prod', signal: `prod${i}` });
    }
    if (absorbed) {
      negs.push(b.net(`neg${i}`, 1));
      conns.push({ port: 'neg', signal: `neg${i}` });
    }
    if (cfg.hasFlags) {
      const fl = ['nan', 'pinf', 'ninf'].map((n) => {
        conns.push({ port: n, signal: `${n}${i}` });
        return b.net(`${n}${i}`, 1);
      });
      laneFlags.push(fl);
    }
    b.stmt(renderInstance(submoduleName(cfg.name, 'lane'), `u_lane${i}`, conns));
  }
  let laneData = [...prods, ...negs];
  // Flags OR-ed over lanes.
  if (cfg.hasFlags) {
    ['nan', 'pinf', 'ninf'].forEach((n, k) => laneData.push(b.wire(`beat_${n}`, orAll(laneFlags.map((f) => f[k])))));
  }
  let st: Stage = { en: inp.en, clr: inp.clr, data: laneData };
  let stage = plan.input;
  if (plan.inLane) {
    stage++;
    b.comment(`pipeline stage ${stage}: inside the lanes, after decode and multiply (en and clr travel here)`);
    st = { ...registerStage(b, `s${stage}`, { en: st.en, clr: st.clr, data: [] }), data: laneData };
  }
  if (plan.afterLanes) {
    stage++;
    b.comment(`pipeline stage ${stage}: aligned products`);
    st = registerStage(b, `s${stage}`, st);
  }
  // Lane sum: the beat's contribution, then its stage (p ≥ 1).
  // With primitives and no register before the accumulator, the lane sum may end in two rows
  // that the accumulator's ternary adder takes (one adder level fewer).
  const pair = cfg.arch !== 'generic' && L > 1 && !plan.afterSum ? sumWidth(cfg) : undefined;
  const nRows = prods.length;
  const contrib = absorbed ? [st.data[0]] : laneSum(cfg, b, st.data.slice(0, nRows).map((sig, i) => ({ sig, off: offsets[i] })), pair);
  laneData = [...contrib, ...st.data.slice(nRows)];
  st = { en: st.en, clr: st.clr, data: laneData };
  if (plan.afterSum) {
    b.comment(`pipeline stage ${cfg.pipeline}: contribution`);
    st = registerStage(b, `s${cfg.pipeline}`, st);
  }
  // Accumulator: acc, ovf and the sticky flags.
  accumulator(cfg, b, st, contrib.length === 2 ? 2 : 1, absorbed);
  if (cfg.result) {
    b.comment(`float result: acc and flags converted to ${cfg.result.spec}`);
    b.stmt(resultInstance(cfg));
  }
  return {
    name: cfg.name,
    comment: `${cfg.a.spec} × ${cfg.w.spec} MAC, ${L} lane(s), acc ${cfg.accWidth} bits with LSB 2^${-cfg.accFrac}, ${cfg.accRound}, ${cfg.overflow}, latency ${cfg.latency}`,
    ports: topPorts(cfg),
    body: b.text(),
  };
}
