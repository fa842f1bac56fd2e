/** The simulation fast path equals the golden model (generators/golden stays the reference). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MacConfig, type MacRequest } from '../../generators/config/mac-config.ts';
import { run } from '../../generators/golden/mac-model.ts';
import { fastRun } from '../../sim/fast-model.ts';
import { sequenceArbitrary, withReset } from '../../sim/stimulus.ts';

const configs: MacRequest[] = [
  { fmt: 'e4m3', acc: 16 },
  { fmt: 'e4m3fn', acc: 12, overflow: 'sat', pipeline: 2, lanes: 3 },
  { afmt: 'e5m2ieee', wfmt: 'int4', accRound: 'rne', acc: 10, pipeline: 1 },
  { afmt: 'e8m7', wfmt: 'e5m10ieee', pipeline: 3, lanes: 2, acc: 40 },
  { fmt: 'int3', acc: 4, overflow: 'sat', pipeline: 4 },
  // issue 11: res, with its own pipeline
  { fmt: 'e4m3fn', acc: 14, result: 'e3m2fn', resultOverflow: 'inf', resultPipeline: 2, pipeline: 1 },
  { fmt: 'e2m1', lanes: 2, result: 'bf16' },
  { afmt: 'e5m2ieee', wfmt: 'int4', acc: 12, result: 'e2m1', resultPipeline: 3 },
];

describe('fastRun', () => {
  for (const req of configs) {
    it(`equals golden run: ${JSON.stringify(req)}`, () => {
      const cfg = new MacConfig(req);
      fc.assert(
        fc.property(sequenceArbitrary(cfg, 80), (seq) => {
          const edges = withReset(seq);
          const gold = run(cfg, edges).map(({ pipe: _pipe, resStages: _r, ...s }) => s);
          const fast = fastRun(cfg, edges).map(({ pipe: _pipe, resStages: _r, ...s }) => s);
          expect(fast).toEqual(gold);
        }),
        { seed: 11, numRuns: 150 },
      );
    });
  }
});
