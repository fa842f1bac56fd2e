/**
 * The decoder: one operand code → the fields the lane multiplies. Input `code` (the format's
 * bits); outputs `sign` (signed formats), `sig` (sigWidth bits, hidden bit included), `shift`
 * (bits for 0..shiftMax, when the format shifts), and the flags `zero` (when the other side can
 * be inf), `nan` and `inf` (formats that have them). Module `<name>__dec`, or `<name>__dec_a`
 * and `<name>__dec_w` when A and W differ.
 */
import { submoduleName, type MacConfig } from '../config/mac-config.ts';
import type { Format } from '../formats/format.ts';
import { bitLength } from '../util/bigint.ts';
import { Body, type Sig, allBits, and, anyBit, cat, lit, msb, mux, named, neg, not, slice, sub } from './signal.ts';
import type { ModuleDesc, PortDesc } from './module.ts';

/** What a decoder outputs, decided from the format and what the lane needs. */
export interface DecoderShape {
  readonly fmt: Format;
  readonly module: string;
  /** Width of the shift output: bits to hold 0..shiftMax (0 when the format never shifts). */
  readonly shiftWidth: number;
  /** Emit `zero`: only needed when the other operand can be inf (inf × 0 is NaN). */
  readonly zero: boolean;
}

/** The decoder of one side (a or w): its format, module name, shift width and whether it emits `zero`. */
export function decoderShape(cfg: MacConfig, side: 'a' | 'w'): DecoderShape {
  const fmt = side === 'a' ? cfg.a : cfg.w;
  const other = side === 'a' ? cfg.w : cfg.a;
  // When both sides share a format they share one decoder module (instantiated twice).
  const module = submoduleName(cfg.name, cfg.a.spec === cfg.w.spec ? 'dec' : `dec_${side}`);
  return { fmt, module, shiftWidth: bitLength(BigInt(fmt.shiftMax)), zero: other.hasInf };
}

/** The decoder's ports: code in; sign (signed formats), sig, shift, zero, nan, inf out where the shape has them. */
export function decoderPorts(d: DecoderShape): PortDesc[] {
  const p: PortDesc[] = [{ name: 'code', dir: 'input', width: d.fmt.bits }];
  if (d.fmt.signed) p.push({ name: 'sign', dir: 'output', width: 1 });
  p.push({ name: 'sig', dir: 'output', width: d.fmt.sigWidth });
  if (d.shiftWidth > 0) p.push({ name: 'shift', dir: 'output', width: d.shiftWidth });
  if (d.zero) p.push({ name: 'zero', dir: 'output', width: 1 });
  if (d.fmt.hasNan) p.push({ name: 'nan', dir: 'output', width: 1 });
  if (d.fmt.hasInf) p.push({ name: 'inf', dir: 'output', width: 1 });
  return p;
}

/** Decoder: code → sign, significand (hidden bit = exponent != 0, so subnormals need no normalization), shift. */
export function buildDecoder(d: DecoderShape): ModuleDesc {
  const f = d.fmt;
  const b = new Body();
  const code = named('code', f.bits);
  const out = (name: string, s: Sig) => b.stmt(`assign ${name} = ${s.expr};`);
  if (f.kind === 'int') {
    if (f.signed) {
      const sign = b.wire('s', msb(code));
      out('sign', sign);
      // |x| of an N-bit two's-complement code fits N bits unsigned (|-2^(N-1)| = 2^(N-1)).
      out('sig', mux(sign, neg(code), code));
    } else {
      out('sig', code);
    }
    if (d.zero) out('zero', not(anyBit(code)));
  } else {
    const E = f.exponentBits;
    const M = f.mantissaBits;
    out('sign', msb(code));
    const e = b.wire('e', slice(code, f.bits - 2, M));
    const m = M > 0 ? b.wire('m', slice(code, M - 1, 0)) : null;
    const nz = b.wire('nz', anyBit(e), 'hidden bit: 1 for normal codes, 0 for subnormals and zero');
    out('sig', m ? cat(nz, m) : nz);
    // shift = max(e - 1, 0): E bits hold 0..2^E - 2.
    if (d.shiftWidth > 0) out('shift', mux(nz, sub(e, lit(E, 1)), lit(E, 0)));
    const eOnes = allBits(e);
    const mZero = m ? not(anyBit(m)) : lit(1, 1);
    if (d.zero) out('zero', m ? and(not(nz), mZero) : not(nz));
    switch (f.specials) {
      case 'fn':
        out('nan', m ? and(eOnes, allBits(m)) : eOnes);
        break;
      case 'ieee':
        out('inf', m ? and(eOnes, mZero) : eOnes);
        if (m) out('nan', and(eOnes, anyBit(m)));
        break;
      case 'fnuz':
        out('nan', m ? and(msb(code), and(not(nz), mZero)) : and(msb(code), not(nz)));
        break;
      case 'none':
        break;
    }
  }
  return {
    name: d.module,
    comment: `decode ${f.spec} codes into sign, significand${d.shiftWidth > 0 ? ', shift' : ''}${f.hasSpecials ? ' and special flags' : ''}`,
    ports: decoderPorts(d),
    body: b.text(),
  };
}
