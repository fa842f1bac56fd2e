/**
 * The product lane, `<name>__lane`: one a × w product on the accumulator grid. Inputs `a` and
 * `w` (one code each; `clk` and `ce` too when the plan cuts the lane); outputs `prod`
 * (alignedWidth bits, signed, LSB 2^-accFrac) and, when the formats have specials, the flags
 * `nan`, `pinf`, `ninf` (a special product counts as 0). Floats go through the decoders and
 * multiply significands, then shift by the exponent sum; integers × integers multiply the codes.
 */
import { submoduleName, type MacConfig } from '../config/mac-config.ts';
import type { Format } from '../formats/format.ts';
import { bitLength } from '../util/bigint.ts';
import { Body, type Sig, add, and, assignReg, cat, lit, mul, mux, named, neg, not, orAll, sext, shl, slice, smul, xor, zext } from './signal.ts';
import { renderInstance, type Connection } from './verilog.ts';
import type { ModuleDesc, PortDesc } from './module.ts';
import { type DecoderShape, decoderPorts } from './decoder.ts';
import { align, fitSigned } from './alignment.ts';
import { stagePlan } from './pipeline-plan.ts';
import { buildRows, rowShapes, usesPartialProducts } from './partial-products.ts';

/**
 * Whether the lane hands the accumulator the product's magnitude and sign apart (`prod` unsigned,
 * alignedWidth - 1 bits, and `neg`), for the accumulator's primitive adder to negate in its own
 * LUTs (B = m ^ neg, carry in = neg: -m = ~m + 1) instead of the lane negating before the shift.
 * Only a scalar float unit with a sign on an exact grid (no bits dropped, so floor and RNE are
 * both the identity, and -m is just ~m + 1), on a primitive arch.
 */
export function signAbsorbed(cfg: MacConfig): boolean {
  return cfg.arch !== 'generic' && cfg.lanes === 1 && cfg.alignShift <= 0 && !multipliesCodes(cfg) && (cfg.a.signed || cfg.w.signed);
}

/** Width of the lane's `prod` port: the signed aligned product, or its magnitude (one bit fewer) when the sign is absorbed. */
export function laneProdWidth(cfg: MacConfig): number {
  return signAbsorbed(cfg) ? cfg.alignedWidth - 1 : cfg.alignedWidth;
}

/** The lane's ports: codes in, the aligned product and (where formats have specials) its flags out; clk/ce when it holds a pipeline stage. */
function lanePorts(cfg: MacConfig): PortDesc[] {
  const p: PortDesc[] = [];
  if (stagePlan(cfg).inLane) p.push({ name: 'clk', dir: 'input', width: 1 }, { name: 'ce', dir: 'input', width: 1 });
  p.push({ name: 'a', dir: 'input', width: cfg.a.bits }, { name: 'w', dir: 'input', width: cfg.w.bits });
  if (usesPartialProducts(cfg)) rowShapes(cfg).forEach((r, k) => p.push({ name: `pp${k}`, dir: 'output', width: r.width }));
  else p.push({ name: 'prod', dir: 'output', width: laneProdWidth(cfg) });
  if (signAbsorbed(cfg)) p.push({ name: 'neg', dir: 'output', width: 1 });
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
export function buildLane(cfg: MacConfig, da: DecoderShape | null, dw: DecoderShape | null): ModuleDesc {
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
  if (usesPartialProducts(cfg)) {
    // Integer dot product on a primitive arch: the partial-product rows, summed by the lane sum.
    buildRows(cfg, b);
    return laneModule(cfg, b);
  }
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
  if (signAbsorbed(cfg)) {
    // The magnitude (P - 1 bits hold maxA·maxW) shifted and put on the exact grid; the sign goes
    // out as `neg`, and the accumulator's adder negates (accumulator.ts).
    b.stmt(`assign neg = ${cut.sign.expr};`);
    // sigWidthA + sigWidthW bits bound the product; maxA·maxW < 2^(P-1) is tighter (e1m1 × int3: 5 and 4).
    const sp = cut.sp.width > P - 1 ? fitSigned(b, b.wire('mag_wide', cat(lit(1, 0), cut.sp)), P - 1) : zext(cut.sp, P - 1);
    const mag = b.wire('mag_base', sp);
    const m = cut.amount ? b.wire('mag', shl(mag, cut.amount), `product magnitude, ${P - 1} bits at 2^${cfg.productLsb}`) : mag;
    b.stmt(`assign prod = ${align(cfg, b, m).expr};`);
    return laneModule(cfg, b);
  }
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

/** The lane's module: its name, comment and ports around the body built by {@link buildLane}. */
function laneModule(cfg: MacConfig, b: Body): ModuleDesc {
  return {
    name: submoduleName(cfg.name, 'lane'),
    comment: `one ${cfg.a.spec} × ${cfg.w.spec} product on the accumulator grid (LSB 2^${-cfg.accFrac})`,
    ports: lanePorts(cfg),
    body: b.text(),
  };
}

/** Whether the lane multiplies the codes directly (integers × integers: no decoders needed). */
export function multipliesCodes(cfg: MacConfig): boolean {
  return cfg.a.kind === 'int' && cfg.w.kind === 'int';
}
