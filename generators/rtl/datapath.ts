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
  const W = cfg.accWidth;
  const CW = cfg.contributionWidth;

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
  // Lane sum: L aligned products sign-extended to CW = alignedWidth + ceil(log2 L) bits.
  const prodRegs = st.data.slice(0, L);
  let sum: Sig;
  if (useCompressor(L, cfg.alignedWidth)) sum = compressorSum(b, prodRegs, CW);
  else {
    sum = sext(prodRegs[0], CW);
    for (let i = 1; i < L; i++) sum = add(sum, sext(prodRegs[i], CW));
  }
  const contrib = b.wire('contrib', sum, `a beat's contribution: ${L} product(s), ${CW} bits`);
  laneData = [contrib, ...st.data.slice(L)];
  st = { en: st.en, clr: st.clr, data: laneData };
  if (plan.afterSum) {
    b.comment(`pipeline stage ${cfg.pipeline}: contribution`);
    st = registerStage(b, `s${cfg.pipeline}`, st);
  }
  const [c, ...flags] = st.data;

  // Accumulator: base + contribution exactly in SW = max(W, CW) + 1 bits, then wrap or clamp.
  const SW = Math.max(W, CW) + 1;
  const acc = named('acc', W);
  const base = b.wire('base', mux(st.clr, lit(SW, 0), sext(acc, SW)), 'clr starts a new sum from zero');
  const total = b.wire('total', add(base, sext(c, SW)), `exact sum, ${SW} bits`);
  const top = slice(total, SW - 1, W - 1);
  const oor = b.wire('out_of_range', not(or(allBits(top), not(anyBit(top)))), 'top bits not all equal to the sign');
  const wrapped = slice(total, W - 1, 0);
  const next =
    cfg.overflow === 'wrap'
      ? wrapped
      : mux(oor, mux(msb(total), cat(lit(1, 1), lit(W - 1, 0)), cat(lit(1, 0), rep(W - 1, lit(1, 1)))), wrapped);
  const accNext = b.wire('acc_next', next, cfg.overflow === 'wrap' ? 'two\'s-complement wrap' : 'saturate');
  const keep = b.wire('keep', not(st.clr), 'sticky flags survive unless this beat clears');
  const flagNames = cfg.hasFlags ? ['nan', 'pinf', 'ninf'] : [];
  const onBeat = [assignReg(acc, accNext), assignReg(named('ovf', 1), or(and(named('ovf', 1), keep), oor))];
  flagNames.forEach((n, k) => onBeat.push(assignReg(named(n, 1), or(and(named(n, 1), keep), flags[k]))));
  const clearAll = [assignReg(acc, lit(W, 0)), ...['ovf', ...flagNames].map((n) => assignReg(named(n, 1), lit(1, 0)))];
  b.stmt(
    [
      // rst, and clr without en, both zero everything: one condition, so it maps onto the
      // flip-flops' synchronous reset instead of a data multiplexer.
      'always @(posedge clk) begin',
      `    if (${orAll([named('rst', 1), and(st.clr, not(st.en))]).expr}) begin`,
      ...clearAll.map((l) => `        ${l}`),
      `    end else if (${st.en.expr}) begin`,
      ...onBeat.map((l) => `        ${l}`),
      '    end',
      'end',
    ].join('\n'),
  );
  return {
    name: cfg.name,
    comment: `${cfg.a.spec} × ${cfg.w.spec} MAC, ${L} lane(s), acc ${W} bits with LSB 2^${-cfg.accFrac}, ${cfg.accRound}, ${cfg.overflow}, latency ${cfg.latency}`,
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
