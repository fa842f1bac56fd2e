/**
 * Verify matrix, part 3: mixed pairs (int × minifloat, different widths, uint), accumulators
 * narrower than exact with floor and rne, saturation, pipelines 1–3 and 2–8 lanes.
 */
import { describe, it } from 'vitest';
import type { MacRequest } from '../../generators/config/mac-config.ts';
import { matrix, title } from './support.ts';

const mixed: MacRequest[] = [
  { afmt: 'int8', wfmt: 'e4m3' },
  { afmt: 'e4m3', wfmt: 'int4' },
  { afmt: 'uint4', wfmt: 'e2m1' },
  { afmt: 'uint8', wfmt: 'int8' },
  { afmt: 'e5m2', wfmt: 'e4m3' },
  { afmt: 'e2m1', wfmt: 'e4m3fn' },
  { afmt: 'e3m2', wfmt: 'int8' },
  { afmt: 'uint1', wfmt: 'int2' },
  { afmt: 'e4m3ieee', wfmt: 'int8' },
  { afmt: 'e5m2fnuz', wfmt: 'uint3' },
  { afmt: 'int3', wfmt: 'e6m1' },
  { afmt: 'e2m3', wfmt: 'e3m2' },
  { afmt: 'e4m3b11fnuz', wfmt: 'e4m3fn' },
  { afmt: 'uint8', wfmt: 'uint8' },
  { afmt: 'e5m2ieee', wfmt: 'e2m1fn' },
  { afmt: 'int4', wfmt: 'e3m4ieee' },
  { afmt: 'e1m1', wfmt: 'e7m0' },
  { afmt: 'int5', wfmt: 'uint7' },
  { afmt: 'e4m3fnuz', wfmt: 'e5m2fnuz' },
  { afmt: 'e2m0ieee', wfmt: 'e3m0fn' },
  { afmt: 'e8m7', wfmt: 'e4m3' },
  { afmt: 'int6', wfmt: 'e2m1fnuz' },
];
const knobs: MacRequest[] = [
  // Narrower than exact: floor and rne, one lane and several.
  { fmt: 'e4m3', acc: 16 },
  { fmt: 'e4m3', acc: 16, accRound: 'rne' },
  { fmt: 'int8', acc: 10, accRound: 'rne' },
  { fmt: 'e5m2', acc: 24, accRound: 'rne', lanes: 4 },
  { afmt: 'int8', wfmt: 'e2m1', acc: 8, accRound: 'floor', lanes: 2 },
  { fmt: 'e3m2', accFrac: -1, acc: 8, accRound: 'rne' },
  { fmt: 'e4m3', acc: 60, accFrac: 30 },
  // Saturation (narrow, so the overflow runs hit both ends).
  { fmt: 'e4m3', acc: 16, overflow: 'sat' },
  { fmt: 'int8', acc: 12, overflow: 'sat', accRound: 'rne' },
  { fmt: 'e2m1', acc: 6, overflow: 'sat' },
  { fmt: 'e4m3fn', acc: 14, overflow: 'sat', lanes: 4, pipeline: 2 },
  // Pipelines 1–3.
  { fmt: 'e4m3fn', pipeline: 1 },
  { fmt: 'e5m2ieee', pipeline: 2, lanes: 2, acc: 20 },
  { fmt: 'int8', pipeline: 3, acc: 14, overflow: 'sat' },
  { afmt: 'e3m4ieee', wfmt: 'int4', pipeline: 3, lanes: 3 },
  // Lanes 2–8.
  { fmt: 'e2m1', lanes: 2 },
  { fmt: 'int4', lanes: 2, acc: 8 },
  { fmt: 'e4m3', lanes: 4 },
  { fmt: 'e3m2', lanes: 8, pipeline: 2, acc: 12 },
  { fmt: 'e4m3ieee', lanes: 3, acc: 18, overflow: 'sat' },
  { fmt: 'e2m1fn', lanes: 5, pipeline: 1 },
];
const reqs = [...mixed, ...knobs];
const check = matrix(reqs);

describe('verify: mixed formats, narrow accumulators, sat, pipelines, lanes (Verilator and Icarus)', () => {
  for (const req of reqs) it.concurrent(title(req), async () => void (await check(req)));
});
