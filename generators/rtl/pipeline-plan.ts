/**
 * The pipeline: where a unit's register stages go ({@link stagePlan}, from `pipeline` and
 * `lanes`) and how a stage is registered ({@link registerStage}: a {@link Stage}'s en, clr and
 * data in, the same bundle as regs out). The other builders place the cuts this plan names.
 */
import type { MacConfig } from '../config/mac-config.ts';
import { type Body, type Sig, assignReg, lit } from './signal.ts';

/** A bundle of signals that travels through a pipeline stage together. */
export interface Stage {
  readonly en: Sig;
  readonly clr: Sig;
  /** Data that only matters when en is set (loaded with en as clock enable). */
  readonly data: Sig[];
}

/**
 * Register a stage: en/clr are reset (rst drops beats in flight); data is loaded only when en
 * is set, so don't-care inputs of idle cycles never enter the pipeline.
 */
export function registerStage(b: Body, prefix: string, s: Stage): Stage {
  const en = b.reg(`${prefix}_en`, 1);
  const clr = b.reg(`${prefix}_clr`, 1);
  const data = s.data.map((d) => b.reg(`${prefix}_${d.name}`, d.width));
  const loads = s.data.map((d, i) => `        ${assignReg(data[i], d)}`);
  b.stmt(
    [
      'always @(posedge clk) begin',
      '    if (rst) begin',
      `        ${assignReg(en, lit(1, 0))}`,
      `        ${assignReg(clr, lit(1, 0))}`,
      '    end else begin',
      `        ${assignReg(en, s.en)}`,
      `        ${assignReg(clr, s.clr)}`,
      '    end',
      ...(data.length ? ['    if (!rst && ' + s.en.expr + ') begin', ...loads, '    end'] : []),
      'end',
    ].join('\n'),
  );
  return { en, clr, data };
}

/**
 * Where the pipeline registers go, at cut points measured on xc7: p = 1 registers a beat's
 * contribution before the accumulator; p = 2 also cuts each lane after decode and multiply;
 * p = 3 also registers the aligned products before the lane sum when there are several lanes;
 * every further stage registers the operands at the input.
 */
export function stagePlan(cfg: Pick<MacConfig, 'pipeline' | 'lanes'>): { input: number; inLane: boolean; afterLanes: boolean; afterSum: boolean } {
  const p = cfg.pipeline;
  const afterSum = p >= 1;
  const inLane = p >= 2;
  const afterLanes = p >= 3 && cfg.lanes > 1;
  return { input: p - Number(afterSum) - Number(inLane) - Number(afterLanes), inLane, afterLanes, afterSum };
}
