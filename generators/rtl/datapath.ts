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

/** The lane's ports: codes in, the aligned product and (where formats have specials) its flags out; clk/ce when it holds a pipeline stage. */
function lanePorts(cfg: MacConfig): PortDesc[] {
  const p: PortDesc[] = [];
  if (stagePlan(cfg).inLane) p.push({ name: 'clk', dir: 'input', width: 1 }, { name: 'ce', dir: 'input', width: 1 });
  p.push(
    { name: 'a', dir: 'input', width: cfg.a.bits },
    { name: 'w', dir: 'input', width: cfg.w.bits },
    { name: 'prod', dir: 'output', width: cfg.alignedWidth },
  );
  if (cfg.hasFlags) {
    for (const n of ['nan', 'pinf', 'ninf']) p.push({ name: n, dir: 'output', width: 1 });
  }
  return p;
}

/**
 * The lane's pipeline cut after decode and multiply (when the plan puts one there): registers
 * loaded when `ce` (the beat's en at this stage) is set. Without the cut, signals pass through.
 */
function laneCut<K extends string>(cfg: MacConfig, b: Body, sigs: Record<K, Sig>): Record<K, Sig> {
  if (!stagePlan(cfg).inLane) return sigs;
  b.comment('pipeline stage: after decode and multiply');
  const entries = Object.entries(sigs) as [K, Sig][];
  const regs = entries.map(([, s]) => [s, b.reg(`r_${s.name}`, s.width)] as const);
  b.stmt(['always @(posedge clk) begin', '    if (ce) begin', ...regs.map(([s, r]) => `        ${assignReg(r, s)}`), '    end', 'end'].join('\n'));
  return Object.fromEntries(entries.map(([k], i) => [k, regs[i][1]])) as Record<K, Sig>;
}

/** Lane: decode both operands, multiply significands, [cut], sign, shift by the exponent sum, align. */
function buildLane(cfg: MacConfig, da: DecoderShape | null, dw: DecoderShape | null): ModuleDesc {
  const b = new Body();
  const dec = (d: DecoderShape | null, side: 'a' | 'w'): Record<string, Sig> | null => {
    if (!d) return null;
    const sigs: Record<string, Sig> = {};
    const conns: Connection[] = [];
    for (const port of decoderPorts(d)) {
      if (port.dir === 'input') {
        conns.push({ port: port.name, signal: side });
        continue;
      }
      sigs[port.name] = b.net(`${side}_${port.name}`, port.width);
      conns.push({ port: port.name, signal: `${side}_${port.name}` });
    }
    b.stmt(renderInstance(d.module, `u_dec_${side}`, conns));
    return sigs;
  };
  const A = dec(da, 'a');
  const W = dec(dw, 'w');

  const P = cfg.productWidth;
  if (!A || !W) {
    // Integers × integers: the two's-complement codes multiply directly (uint gets a 0 on top),
    // so there are no magnitudes to take and no product to negate.
    const code = (f: Format, port: string): Sig => (f.signed ? named(port, f.bits) : cat(lit(1, 0), named(port, f.bits)));
    const ca = code(cfg.a, 'a');
    const cw = code(cfg.w, 'w');
    let sp: Sig;
    if (stagePlan(cfg).inLane && cw.width >= 4) {
      // With a cut in the lane, the multiplier is the deepest stage: split it. w = w_hi·2^k + w_lo
      // with w_lo the k low bits (unsigned) and w_hi the rest (signed), so a·w = (a·w_hi << k) + a·w_lo;
      // the two half products are registered and added after the cut.
      const k = cw.width >> 1;
      const cws = b.wire('cw', cw);
      const lo = b.wire('p_lo', smul(ca, cat(lit(1, 0), slice(cws, k - 1, 0))), 'a × low half of w');
      const hi = b.wire('p_hi', smul(ca, slice(cws, cws.width - 1, k)), 'a × high half of w');
      const cut = laneCut(cfg, b, { lo, hi });
      const spw = ca.width + cw.width;
      sp = b.wire('sp', add(cat(cut.hi, lit(k, 0)), sext(cut.lo, spw)), 'signed product of the codes');
    } else {
      sp = laneCut(cfg, b, { sp: b.wire('sp', smul(ca, cw), 'signed product of the codes') }).sp;
    }
    const prod = b.wire('sprod', fitSigned(b, sp, P), `signed product, ${P} bits at 2^${cfg.productLsb}`);
    b.stmt(`assign prod = ${align(cfg, b, prod).expr};`);
    return laneModule(cfg, b);
  }
  // Significand product: (sigA · sigW) needs sigWidthA + sigWidthW bits.
  const spw = cfg.a.sigWidth + cfg.w.sigWidth;
  const sp = b.wire('sp', mul(zext(A.sig, spw), zext(W.sig, spw)), 'significand product');

  const signs = [A.sign, W.sign].filter((s): s is Sig => s !== undefined);
  const sign: Sig | null =
    signs.length === 0 ? null : b.wire('psign', signs.length === 1 ? signs[0] : xor(signs[0], signs[1]));

  // Special operands: the product counts as 0 and raises flags.
  const nanA = A.nan ?? null;
  const nanW = W.nan ?? null;
  const infA = A.inf ?? null;
  const infW = W.inf ?? null;
  // What crosses the lane's cut: the (zeroed) significand product, its sign, the exponent sum, the flags.
  const kept: Record<string, Sig> = { sp };
  if (sign) kept.sign = sign;
  if (cfg.hasFlags) {
    const nanTerms: Sig[] = [];
    if (nanA) nanTerms.push(nanA);
    if (nanW) nanTerms.push(nanW);
    if (infA) nanTerms.push(and(infA, W.zero));
    if (infW) nanTerms.push(and(infW, A.zero));
    const isNan = b.wire('is_nan', orAll(nanTerms), 'NaN operand, or inf × 0');
    const anyInf = orAll([infA, infW].filter((s): s is Sig => s !== null));
    const isInf = b.wire('is_inf', and(anyInf, not(isNan)));
    const special = b.wire('special', orAll([nanA, nanW, infA, infW].filter((s): s is Sig => s !== null)));
    const s = sign ?? lit(1, 0);
    kept.nan = isNan;
    kept.pinf = b.wire('is_pinf', and(isInf, not(s)));
    kept.ninf = b.wire('is_ninf', and(isInf, s));
    kept.sp = b.wire('sp_z', mux(special, lit(spw, 0), sp), 'special products count as 0');
  }
  const shifts = [A.shift, W.shift].filter((s): s is Sig => s !== undefined);
  // The exponent sum needs bits for 0..shiftMaxA + shiftMaxW.
  const shw = bitLength(BigInt(cfg.a.shiftMax + cfg.w.shiftMax));
  if (shifts.length > 0) {
    kept.amount = b.wire('shamt', shifts.length === 1 ? zext(shifts[0], shw) : add(zext(shifts[0], shw), zext(shifts[1], shw)), 'exponent sum');
  }
  const cut = laneCut(cfg, b, kept);
  for (const f of ['nan', 'pinf', 'ninf']) if (cut[f]) b.stmt(`assign ${f} = ${cut[f].expr};`);
  // Negate the narrow significand product (spw + 1 bits), not the shifted one (P bits): the
  // shift below then sign-fills, and bits the accumulator grid drops become dead logic.
  const pos = cat(lit(1, 0), cut.sp);
  const ssp = b.wire('ssp', cut.sign ? mux(cut.sign, neg(pos), pos) : pos, 'signed significand product');
  // Every finite product is at most maxA·maxW < 2^(P-1), so P signed bits hold it at any shift.
  const base = b.wire('sprod_base', fitSigned(b, ssp, P));
  const prod = cut.amount ? b.wire('sprod', shl(base, cut.amount), `signed product, ${P} bits at 2^${cfg.productLsb}`) : base;
  b.stmt(`assign prod = ${align(cfg, b, prod).expr};`);
  return laneModule(cfg, b);
}

function laneModule(cfg: MacConfig, b: Body): ModuleDesc {
  return {
    name: submoduleName(cfg.name, 'lane'),
    comment: `one ${cfg.a.spec} × ${cfg.w.spec} product on the accumulator grid (LSB 2^${-cfg.accFrac})`,
    ports: lanePorts(cfg),
    body: b.text(),
  };
}

/** A signed value resized to `width` bits: sign-extended, or its low bits when it is wider (the caller knows the value fits). */
function fitSigned(b: Body, s: Sig, width: number): Sig {
  if (s.width <= width) return sext(s, width);
  b.unused(`${s.name}_top`, slice(s, s.width - 1, width), 'every finite product fits below these bits');
  return slice(s, width - 1, 0);
}

/**
 * Put the P-bit signed product on the accumulator grid: shift right by alignShift (floor:
 * drop bits; rne: round half to even) or left (exact).
 */
function align(cfg: MacConfig, b: Body, prod: Sig): Sig {
  const P = cfg.productWidth;
  const s = cfg.alignShift;
  const AW = cfg.alignedWidth;
  if (s <= 0) return s === 0 ? prod : cat(prod, lit(-s, 0));
  if (cfg.accRound === 'floor') {
    if (s >= P) {
      // Every |product| < 2^(P-1) ≤ 2^(s-1): floor gives -1 for negatives, 0 otherwise.
      b.unused('low', slice(prod, P - 2, 0), 'below the accumulator grid');
      return msb(prod);
    }
    b.unused('low', slice(prod, s - 1, 0), 'below the accumulator grid (floor drops them)');
    return slice(prod, P - 1, s);
  }
  if (s >= P) {
    // |product| < 2^(P-1) ≤ 2^(s-1) is below half an LSB: RNE always gives 0.
    b.unused('low', prod, 'below half an accumulator LSB');
    return lit(1, 0);
  }
  const q = b.wire('q', slice(prod, P - 1, s), 'floor of the product on the grid');
  const guard = bit(prod, s - 1);
  const sticky = s >= 2 ? anyBit(slice(prod, s - 2, 0)) : lit(1, 0);
  const up = b.wire('round_up', and(guard, or(sticky, bit(q, 0))), 'round half to even');
  return add(sext(q, AW), zext(up, AW));
}

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

/** Whether the lane multiplies the codes directly (integers × integers: no decoders needed). */
export function multipliesCodes(cfg: MacConfig): boolean {
  return cfg.a.kind === 'int' && cfg.w.kind === 'int';
}

/** All modules of a unit, top first (Verilator wants the file's first module to match its name). */
export function buildModules(cfg: MacConfig): ModuleDesc[] {
  if (multipliesCodes(cfg)) return [buildTop(cfg), buildLane(cfg, null, null)];
  const da = decoderShape(cfg, 'a');
  const dw = decoderShape(cfg, 'w');
  const decoders = da.module === dw.module ? [buildDecoder(da)] : [buildDecoder(da), buildDecoder(dw)];
  return [buildTop(cfg), buildLane(cfg, da, dw), ...decoders];
}
