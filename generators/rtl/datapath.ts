/**
 * The MAC datapath, built in TypeScript from a {@link MacConfig}: the modules of a unit, one
 * operator per file in this folder. These builders decide what the hardware computes; the
 * signal helper formats it and the templates lay out modules and instances around it.
 *
 * Structure of a unit `<name>`:
 * - `<name>__dec` (or `<name>__dec_a` and `<name>__dec_w` when A and W differ): code → sign, significand, shift, special flags (`decoder.ts`);
 * - `<name>__lane`: one product, sig·sig << (shiftA + shiftW), signed, put on the accumulator grid (`product.ts`, `alignment.ts`);
 * - `<name>` (top): input stages, L lanes, the lane sum, pipeline registers, the accumulator (`top.ts`, `lane-sum.ts`,
 *   `compressor.ts`, `pipeline-plan.ts`, `accumulator.ts`);
 * - `<name>__res` (with `--result`): the accumulator and flags converted to a float (`result.ts`).
 * Submodule names are formed only by `submoduleName` (config/mac-config.ts), which keeps them collision-free.
 */
import type { MacConfig } from '../config/mac-config.ts';
import type { ModuleDesc } from './module.ts';
import { buildDecoder, decoderShape } from './decoder.ts';
import { buildLane, multipliesCodes } from './product.ts';
import { buildTop } from './top.ts';
import { buildResult } from './result.ts';

/** All modules of a unit, top first (Verilator wants the file's first module to match its name). */
export function buildModules(cfg: MacConfig): ModuleDesc[] {
  const result = cfg.result ? [buildResult(cfg)] : [];
  if (multipliesCodes(cfg)) return [buildTop(cfg), buildLane(cfg, null, null), ...result];
  const da = decoderShape(cfg, 'a');
  const dw = decoderShape(cfg, 'w');
  const decoders = da.module === dw.module ? [buildDecoder(da)] : [buildDecoder(da), buildDecoder(dw)];
  return [buildTop(cfg), buildLane(cfg, da, dw), ...decoders, ...result];
}
