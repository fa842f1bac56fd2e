/**
 * The lane sum: a beat's L aligned products (alignedWidth bits each, signed, on the accumulator
 * grid) added exactly into the beat's contribution, the wire `contrib` of CW = contributionWidth
 * = alignedWidth + ceil(log2 L) bits. Many narrow products go through the 6:3-counter tree of
 * `compressor.ts` (where {@link useCompressor} measured it smaller), the rest through a `+` chain.
 */
import type { MacConfig } from '../config/mac-config.ts';
import { type Body, type Sig, add, sext } from './signal.ts';
import { compressorSum, useCompressor } from './compressor.ts';

/** The beat's contribution: the sum of the lanes' aligned products `prods`, declared as `contrib` (CW bits). */
export function laneSum(cfg: MacConfig, b: Body, prods: readonly Sig[]): Sig {
  const L = cfg.lanes;
  const CW = cfg.contributionWidth;
  // Lane sum: L aligned products sign-extended to CW = alignedWidth + ceil(log2 L) bits.
  let sum: Sig;
  if (useCompressor(L, cfg.alignedWidth)) sum = compressorSum(b, prods, CW);
  else {
    sum = sext(prods[0], CW);
    for (let i = 1; i < L; i++) sum = add(sum, sext(prods[i], CW));
  }
  return b.wire('contrib', sum, `a beat's contribution: ${L} product(s), ${CW} bits`);
}
