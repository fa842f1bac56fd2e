/**
 * Verify matrix, part 4 (issue 11): units with a float result, `res` compared on every cycle in
 * Verilator and Icarus, across result formats (fp32, bf16, fp16, 8-bit and narrower minifloats,
 * every variant), both overflow modes, lanes, pipelines and q, and accumulators that reach R's
 * max, that stay far below it, and that only hold values rounding to ±0.
 */
import { describe, it } from 'vitest';
import type { MacRequest } from '../../generators/config/mac-config.ts';
import { matrix, title } from './support.ts';

const reqs: MacRequest[] = [
  { fmt: 'e4m3', acc: 16, result: 'bf16' },
  { fmt: 'e4m3', result: 'fp32', resultPipeline: 1 },
  { fmt: 'e5m2ieee', result: 'fp16', resultOverflow: 'inf', pipeline: 2 },
  { fmt: 'int8', acc: 24, result: 'e4m3fn', resultOverflow: 'inf' },
  { fmt: 'int8', acc: 24, result: 'e4m3fn', resultPipeline: 2 },
  { fmt: 'e2m1', lanes: 4, result: 'e2m3', resultPipeline: 2, pipeline: 3 },
  { fmt: 'e4m3fnuz', acc: 12, result: 'e4m3fnuz', resultOverflow: 'inf', resultPipeline: 3 },
  { fmt: 'e4m3fn', acc: 20, result: 'e3m2fn', resultOverflow: 'inf', lanes: 2 },
  { afmt: 'e3m2', wfmt: 'int4', acc: 14, accRound: 'rne', overflow: 'sat', result: 'e5m2', resultOverflow: 'inf' },
  { fmt: 'e2m1fn', result: 'e3m0ieee', resultOverflow: 'inf' },
  { fmt: 'e3m2', acc: 10, accFrac: -20, overflow: 'sat', result: 'e4m0', resultOverflow: 'inf' },
  { fmt: 'int4', acc: 8, accFrac: 40, result: 'e2m1' },
  { fmt: 'uint3', acc: 9, result: 'e8m20b100fnuz', resultOverflow: 'inf', resultPipeline: 1 },
  { afmt: 'e8m7', wfmt: 'int8', acc: 300, result: 'e5m2ieee', resultOverflow: 'inf' },
];
const check = matrix(reqs);

describe('verify: float results (Verilator and Icarus)', () => {
  for (const req of reqs) it.concurrent(title(req), async () => void (await check(req)));
});
