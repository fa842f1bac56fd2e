/**
 * The MAC datapath, built in TypeScript from a {@link MacConfig}. This module decides what the
 * hardware computes; the signal helper formats it and the templates lay out modules and
 * instances around it.
 *
 * Structure of a unit `<name>`:
 * - `<name>__dec` (or `<name>__dec_a` and `<name>__dec_w` when A and W differ): code → sign, significand, shift, special flags;
 * - `<name>__lane`: one product, sig·sig << (shiftA + shiftW), signed, put on the accumulator grid;
 * - `<name>` (top): input stages, L lanes, the lane sum, pipeline registers, the accumulator.
 * Submodule names are formed only by {@link submoduleName}, which keeps them collision-free.
 */
import { submoduleName, type MacConfig } from '../config/mac-config.ts';
import type { Format } from '../formats/format.ts';
import { bitLength } from '../util/bigint.ts';
import {
  Body,
  type Sig,
  add,
  allBits,
  and,
  anyBit,
  assignReg,
  bit,
  cat,
  lit,
  msb,
  mul,
  mux,
  named,
  neg,
  not,
  or,
  orAll,
  rep,
  sext,
  shl,
  slice,
  smul,
  sub,
  xor,
  zext,
} from './signal.ts';
import { renderInstance, type Connection } from './verilog.ts';
import { compressorSum, useCompressor } from './compressor.ts';
import type { ModuleDesc, PortDesc } from './module.ts';
import { type DecoderShape, buildDecoder, decoderPorts, decoderShape } from './decoder.ts';
import { type Stage, registerStage, stagePlan } from './pipeline-plan.ts';
import { buildLane, multipliesCodes } from './product.ts';
import { laneSum } from './lane-sum.ts';
import { accumulator } from './accumulator.ts';

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
  return p;
}

/** The top module: input stages, lanes, lane sum, pipeline, accumulator with wrap or saturate. */
function buildTop(cfg: MacConfig): ModuleDesc {
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
  const laneFlags: Sig[][] = [];
  for (let i = 0; i < L; i++) {
    const conns: Connection[] = [
      ...(plan.inLane ? [{ port: 'clk', signal: 'clk' }, { port: 'ce', signal: inp.en.expr }] : []),
      { port: 'a', signal: slice(aIn, (i + 1) * cfg.a.bits - 1, i * cfg.a.bits).expr },
      { port: 'w', signal: slice(wIn, (i + 1) * cfg.w.bits - 1, i * cfg.w.bits).expr },
    ];
    prods.push(b.net(`prod${i}`, cfg.alignedWidth));
    conns.push({ port: 'prod', signal: `prod${i}` });
    if (cfg.hasFlags) {
      const fl = ['nan', 'pinf', 'ninf'].map((n) => {
        conns.push({ port: n, signal: `${n}${i}` });
        return b.net(`${n}${i}`, 1);
      });
      laneFlags.push(fl);
    }
    b.stmt(renderInstance(submoduleName(cfg.name, 'lane'), `u_lane${i}`, conns));
  }
  let laneData = [...prods];
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
  const contrib = laneSum(cfg, b, st.data.slice(0, L));
  laneData = [contrib, ...st.data.slice(L)];
  st = { en: st.en, clr: st.clr, data: laneData };
  if (plan.afterSum) {
    b.comment(`pipeline stage ${cfg.pipeline}: contribution`);
    st = registerStage(b, `s${cfg.pipeline}`, st);
  }
  // Accumulator: acc, ovf and the sticky flags.
  accumulator(cfg, b, st);
  return {
    name: cfg.name,
    comment: `${cfg.a.spec} × ${cfg.w.spec} MAC, ${L} lane(s), acc ${cfg.accWidth} bits with LSB 2^${-cfg.accFrac}, ${cfg.accRound}, ${cfg.overflow}, latency ${cfg.latency}`,
    ports: topPorts(cfg),
    body: b.text(),
  };
}

/** All modules of a unit, top first (Verilator wants the file's first module to match its name). */
export function buildModules(cfg: MacConfig): ModuleDesc[] {
  if (multipliesCodes(cfg)) return [buildTop(cfg), buildLane(cfg, null, null)];
  const da = decoderShape(cfg, 'a');
  const dw = decoderShape(cfg, 'w');
  const decoders = da.module === dw.module ? [buildDecoder(da)] : [buildDecoder(da), buildDecoder(dw)];
  return [buildTop(cfg), buildLane(cfg, da, dw), ...decoders];
}
