/**
 * The float-result converter `<name>__res` (contract §2, Float result): the registered
 * accumulator and sticky flags in, `res` out, the code of R that conv(S) gives.
 *
 * Datapath, with every width from {@link ResultShape} (generators/config/result-shape.ts):
 * 1. magnitude: sign = acc's MSB, |acc| in W bits (|−2^(W−1)| = 2^(W−1) still fits unsigned);
 * 2. normalize: X = {padTop zeros, |acc|, padBottom zeros} shifted left by s = min(leading zeros,
 *    sMax) in log2 stages, each taking 2^k when the top 2^k bits are zero and s stays ≤ sMax; the
 *    clamp at sMax (the position of R's emin) leaves subnormals unnormalized, so they need no path
 *    of their own;
 * 3. round: the code magnitude T = (C − 1 − s) · 2^M + {hidden, mantissa}, plus the round bit
 *    guard & (sticky | T[0]) (ties to the even code; for M = 0 T[0] is the exponent's LSB, as R's
 *    encode has it). A mantissa carry runs into the exponent by itself;
 * 4. overflow after rounding: T > R's largest finite code gives ±max (sat) or ±inf / NaN (inf);
 * 5. the flags override: NaN (or both infinities) gives R's NaN with sign 0 (or +0 where R has
 *    none), one infinity the encode of ±inf; −0 stays −0 except in fnuz.
 * Registers: `res` always; `--result-pipeline q` adds q: the first after the normalizer's first
 * shift stage, the second after the magnitude, the rest at the output. `rst` clears every stage
 * to what a zero accumulator holds there, which converts to +0, so `res` is +0 for q + 1 edges
 * after a reset.
 */
import { submoduleName, type MacConfig } from '../config/mac-config.ts';
import type { ResultShape } from '../config/result-shape.ts';
import type { Format } from '../formats/format.ts';
import {
  Body,
  type Sig,
  add,
  and,
  anyBit,
  assignReg,
  bit,
  cat,
  lit,
  msb,
  mux,
  named,
  neg,
  not,
  or,
  slice,
  sub,
  zext,
} from './signal.ts';
import { renderInstance, type Connection } from './verilog.ts';
import type { ModuleDesc, PortDesc } from './module.ts';

/** The converter's module name. */
export function resultModuleName(cfg: MacConfig): string {
  return submoduleName(cfg.name, 'res');
}

/** The converter's ports: clk, rst, the accumulator and flags in, `res` out. */
function resultPorts(cfg: MacConfig, r: Format): PortDesc[] {
  const p: PortDesc[] = [
    { name: 'clk', dir: 'input', width: 1 },
    { name: 'rst', dir: 'input', width: 1 },
    { name: 'acc', dir: 'input', width: cfg.accWidth },
  ];
  if (cfg.hasFlags) for (const n of ['nan', 'pinf', 'ninf']) p.push({ name: n, dir: 'input', width: 1 });
  p.push({ name: 'res', dir: 'output', width: r.bits, reg: true });
  return p;
}

/** A `x <= y` comparison with a constant (1 bit); the constant is sized to x. */
function leqConst(x: Sig, c: number): Sig {
  return { expr: `${x.expr} <= ${lit(x.width, c).expr}`, width: 1 };
}

/** A `x > y` comparison with a constant (1 bit). */
function gtConst(x: Sig, c: bigint): Sig {
  return { expr: `${x.expr} > ${lit(x.width, c).expr}`, width: 1 };
}

/**
 * A register stage of the converter: every signal loaded each cycle, cleared by rst to the values
 * of +0 with no flags (zeros, unless `resets` says otherwise), so a cleared stage converts to +0.
 */
function stage(b: Body, label: string, sigs: Sig[], resets?: readonly bigint[]): Sig[] {
  b.comment(`result pipeline stage: ${label}`);
  const regs = sigs.map((s) => b.reg(`${label}_${s.name}`, s.width));
  b.stmt(
    [
      'always @(posedge clk) begin',
      '    if (rst) begin',
      ...regs.map((r, i) => `        ${assignReg(r, lit(r.width, resets?.[i] ?? 0n))}`),
      '    end else begin',
      ...regs.map((r, i) => `        ${assignReg(r, sigs[i])}`),
      '    end',
      'end',
    ].join('\n'),
  );
  return regs;
}

/** What the normalizer hands on: Y (at least M + 2 bits: significand and guard), s, and the OR of the bits it dropped. */
interface Normalized {
  readonly y: Sig;
  readonly s: Sig | null;
  readonly dropped: Sig | null;
  /** The signals that travelled with it (sign, flags), registered where it was cut. */
  readonly extra: Sig[];
}

/**
 * The normalizer: X shifted left by s = min(leading zeros, sMax), in stages of 2^k, largest first.
 * After the stage of 2^k at most 2^k − 1 more shift can follow, so every bit below the top
 * M + 2 + 2^k − 1 can only ever land below the guard bit: it is OR-ed into `dropped` (part of the
 * sticky bit) and the vector narrows, which spares most of the wide multiplexers.
 * With `cutAt` ≥ 0 a register stage follows that many shift stages; its reset values are those a
 * zero X has there (the shift bits of zero are the bits of min(2^K − 1, sMax)), so a cleared
 * stage still converts to +0.
 */
function normalize(b: Body, x: Sig, sh: ResultShape, M: number, cutAt: number, extra: Sig[]): Normalized {
  const K = sh.shiftBits;
  const keepBits = (k: number): number => M + 2 + 2 ** k - 1; // width needed after the stage of 2^k
  let cur = x;
  let dropped: Sig | null = null;
  let carried = extra;
  const sBits: Sig[] = [];
  const sZero = Math.min(2 ** K - 1, sh.shiftMax); // the shift a zero X gets
  for (let k = K - 1; k >= 0; k--) {
    const N = cur.width;
    const amt = 2 ** k;
    const topZero = not(anyBit(slice(cur, N - 1, N - amt)));
    // Taking 2^k keeps s ≤ sMax: s so far (its decided high bits, this bit 1, lower bits 0) ≤ sMax.
    const sIf = cat(...sBits, lit(1, 1), ...(k > 0 ? [lit(k, 0)] : []));
    const clamped = 2 ** K - 1 > sh.shiftMax; // else no s of K bits can pass sMax
    const take = b.wire(`take${k}`, clamped ? and(topZero, leqConst(sIf, sh.shiftMax)) : topZero, `shift by ${amt}: the top ${amt} bits are zero${clamped ? ' and s stays within sMax' : ''}`);
    sBits.push(take);
    cur = b.wire(`x${k}`, mux(take, cat(slice(cur, N - 1 - amt, 0), lit(amt, 0)), cur));
    const keep = keepBits(k);
    if (cur.width > keep) {
      const low = anyBit(slice(cur, cur.width - keep - 1, 0));
      dropped = b.wire(`dropped${k}`, dropped ? or(dropped, low) : low, `bits that can only end below the guard bit: sticky`);
      cur = b.wire(`xn${k}`, slice(cur, cur.width - 1, cur.width - keep));
    }
    if (K - k === cutAt) {
      const sigs = [cur, ...sBits, ...(dropped ? [dropped] : []), ...carried];
      const resets = [0n, ...sBits.map((_, i) => BigInt((sZero >> (K - 1 - i)) & 1)), ...(dropped ? [0n] : []), ...carried.map(() => 0n)];
      const regs = stage(b, 'rn', sigs, resets);
      let i = 0;
      cur = regs[i++];
      for (let j = 0; j < sBits.length; j++) sBits[j] = regs[i++];
      if (dropped) dropped = regs[i++];
      carried = regs.slice(i);
    }
  }
  return { y: cur, s: K ? b.wire('s', cat(...sBits), 'the normalizing shift') : null, dropped, extra: carried };
}

/** The converter module `<name>__res`. */
export function buildResult(cfg: MacConfig): ModuleDesc {
  const r = cfg.result!;
  const sh = cfg.resultShape!;
  const b = new Body();
  const W = cfg.accWidth;
  const M = r.mantissaBits;
  const EM = r.exponentBits + M; // bits of a code's magnitude
  const q = cfg.resultPipeline;
  const acc = named('acc', W);
  const sat = cfg.resultOverflow === 'sat';

  // 1. sign and magnitude, and the flags' verdict
  let sign: Sig = sh.allZero && r.specials === 'fnuz' ? lit(1, 0) : b.wire('sign', msb(acc), 'the value is negative');
  let fnan: Sig | null = null;
  let fpinf: Sig | null = null;
  let fninf: Sig | null = null;
  if (cfg.hasFlags) {
    const [nan, pinf, ninf] = ['nan', 'pinf', 'ninf'].map((n) => named(n, 1));
    fnan = b.wire('f_nan', or(nan, and(pinf, ninf)), 'NaN, or both infinities: the true result is NaN');
    fpinf = b.wire('f_pinf', pinf);
    fninf = b.wire('f_ninf', ninf);
  }
  const flagSigs = (): Sig[] => (fnan ? [fnan, fpinf!, fninf!] : []);
  const setFlags = (regs: Sig[]): void => {
    if (fnan) [fnan, fpinf, fninf] = regs;
  };

  let magCode: Sig; // the code without its sign, EM bits, before overflow and flags
  let ovf: Sig | null = null; // the rounded magnitude is past R's max
  let stagesLeft = q;
  if (sh.allZero) {
    // every value rounds to ±0: only the sign matters, and not even that in fnuz (no −0)
    if (r.specials === 'fnuz') b.unused('acc', acc, `every value of this accumulator rounds to +0 in ${r.spec}`);
    else b.unused('acc_low', slice(acc, W - 2, 0), `every value of this accumulator rounds to ±0 in ${r.spec}`);
    magCode = lit(EM, 0);
  } else {
    let mag: Sig = b.wire('mag', mux(sign, neg(acc), acc), `|acc| in ${W} bits`);
    if (stagesLeft >= 2) {
      const regs = stage(b, 'r2', [sign, mag, ...flagSigs()]);
      [sign, mag] = regs;
      setFlags(regs.slice(2));
      stagesLeft--;
    }
    // 2. normalize; with a result stage left, it is cut after the normalizer's first (widest)
    // shift stage: on xc7 that beat every other cut point on depth and LUTs for bf16, fp32,
    // e4m3fn, e2m3 and fp16 (q = 1 depth 49–62% of q = 0; bench:qor --result)
    const parts: Sig[] = [];
    if (sh.padTop) parts.push(lit(sh.padTop, 0));
    parts.push(mag);
    if (sh.padBottom) parts.push(lit(sh.padBottom, 0));
    const x = b.wire('x', cat(...parts), `X: |acc| padded to ${sh.width} bits (bit i is 2^(i - ${cfg.accFrac + sh.padBottom}))`);
    // with nothing to normalize (no shift stages) the stage goes after the normalizer instead
    const cutInside = stagesLeft >= 1 && sh.shiftBits > 0;
    const norm = normalize(b, x, sh, M, cutInside ? 1 : -1, [sign, ...flagSigs()]);
    [sign] = norm.extra;
    setFlags(norm.extra.slice(1));
    if (cutInside) stagesLeft--;
    const { y, s } = norm;
    const N = y.width;
    const hidden = bit(y, N - 1);
    let sig: Sig = b.wire('sig', slice(y, N - 1, N - 1 - M), 'hidden bit and mantissa');
    let guard: Sig = b.wire('guard', bit(y, N - 2 - M));
    const below = N - 3 - M >= 0 ? anyBit(slice(y, N - 3 - M, 0)) : null;
    const stickyExpr = below && norm.dropped ? or(below, norm.dropped) : (below ?? norm.dropped);
    let sticky: Sig = stickyExpr ? b.wire('sticky', stickyExpr) : lit(1, 0);
    // exponent part C − 1 − s: the field minus the hidden bit, so {exp, 0…} + sig is the code
    const EW = sh.expBits;
    const c1 = lit(EW, sh.topField - 1);
    let expPart: Sig = s ? sub(c1, zext(s, EW)) : c1;
    if (!sh.zeroByClamp) expPart = mux(hidden, expPart, lit(EW, 0)); // every non-zero X is normal: hidden = 0 means zero
    expPart = b.wire('exp_part', expPart, `exponent field minus the hidden bit (${EW} bits)`);
    if (stagesLeft >= 1) {
      const sigs = [sign, expPart, sig, guard, ...(sticky.name ? [sticky] : []), ...flagSigs()];
      const regs = stage(b, 'r1', sigs);
      let i = 0;
      sign = regs[i++];
      expPart = regs[i++];
      sig = regs[i++];
      guard = regs[i++];
      if (sticky.name) sticky = regs[i++];
      setFlags(regs.slice(i));
      stagesLeft--;
    }
    // 3. round to nearest, ties to the even code
    const CB = sh.codeBits;
    const t = b.wire('t', add(zext(M > 0 ? cat(expPart, lit(M, 0)) : expPart, CB), zext(sig, CB)), 'the code magnitude, truncated');
    const up = b.wire('round_up', and(guard, or(sticky, bit(t, 0))), 'round half to even');
    const t2 = b.wire('t_rounded', add(t, zext(up, CB)));
    if (sh.canOverflow) ovf = b.wire('over', gtConst(t2, BigInt(r.maxCode)), `past ${r.spec}'s largest finite code`);
    if (CB >= EM) {
      magCode = slice(t2, EM - 1, 0);
      if (CB > EM && !sh.canOverflow) b.unused('t_top', slice(t2, CB - 1, EM), 'cannot be set: the accumulator stays within R');
    } else magCode = zext(t2, EM);
  }

  // 4. overflow by mode, the sign (fnuz has no −0), 5. the flags override. Past max the encode is
  // that of ±inf in the mode, so both come from R's own encode of ±inf (Format.encodeInfinity).
  const codeOf = (c: number): Sig => lit(r.bits, c);
  const posInf = r.encodeInfinity(false, { saturate: sat });
  const negInf = r.encodeInfinity(true, { saturate: sat });
  let finite: Sig;
  const plainSign = r.specials === 'fnuz' && !sh.allZero ? and(sign, anyBit(magCode)) : sign; // fnuz: −0 is +0
  const normalCode = cat(plainSign, magCode);
  if (!ovf) finite = normalCode;
  else {
    // one code for both signs (fnuz's NaN), or the value's sign on the +inf code's magnitude
    const ovfCode = posInf === negInf ? codeOf(posInf) : cat(sign, lit(EM, posInf));
    finite = mux(ovf, ovfCode, normalCode);
  }
  let code = b.wire('finite_code', finite, `the encode of acc · 2^${-cfg.accFrac} into ${r.spec} (${sat ? 'saturating' : 'non-saturating'})`);
  if (fnan) {
    const nanCode = codeOf(r.nanCode ? r.nanCode[0] : 0);
    code = b.wire('code', mux(fnan, nanCode, mux(fpinf!, codeOf(posInf), mux(fninf!, codeOf(negInf), code))), 'the flags override the accumulator');
  }
  // the register `res` always has, then the rest of q at the output
  const res = named('res', r.bits);
  let last = code;
  for (let i = 0; i < stagesLeft; i++) last = stage(b, `r_out${i}`, [last])[0];
  b.stmt(['always @(posedge clk) begin', '    if (rst)', `        ${assignReg(res, lit(r.bits, 0))}`, '    else', `        ${assignReg(res, last)}`, 'end'].join('\n'));
  return {
    name: resultModuleName(cfg),
    comment: `accumulator (${W} bits, LSB 2^${-cfg.accFrac}) to ${r.spec}, RNE, ${cfg.resultOverflow} on overflow, ${q + 1} register stage(s)`,
    ports: resultPorts(cfg, r),
    body: b.text(),
  };
}

/** The converter's instance in the top module: it reads the registered acc and flags and drives `res`. */
export function resultInstance(cfg: MacConfig): string {
  const conns: Connection[] = [
    { port: 'clk', signal: 'clk' },
    { port: 'rst', signal: 'rst' },
    { port: 'acc', signal: 'acc' },
  ];
  if (cfg.hasFlags) for (const n of ['nan', 'pinf', 'ninf']) conns.push({ port: n, signal: n });
  conns.push({ port: 'res', signal: 'res' });
  return renderInstance(resultModuleName(cfg), 'u_res', conns);
}
