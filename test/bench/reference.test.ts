/**
 * The behavioural reference of bench:qor must itself meet the contract: it passes verify
 * (Verilator and Icarus, every pair where there are at most 2^16) on configurations that
 * cover floor/rne, wrap/sat, specials, integers, lanes and pipelining, and with conv_ref on a
 * float result: bf16, an fn result, inf mode with flags, a result narrower than the sum, q = 2.
 */
import { describe, expect, it } from 'vitest';
import { MacConfig, type MacRequest } from '../../generators/config/mac-config.ts';
import { verifyUnit, formatReport } from '../../sim/verify.ts';
import { referenceVerilog } from '../../bench/reference/reference.ts';
import { requireTool } from '../support/tools.ts';

const CONFIGS: MacRequest[] = [
  { fmt: 'e4m3', acc: 16 },
  { fmt: 'float8_e5m2', acc: 24, accRound: 'rne', overflow: 'sat' },
  { afmt: 'e2m1', wfmt: 'int4', lanes: 3, pipeline: 2, acc: 8, overflow: 'sat' },
  { afmt: 'uint3', wfmt: 'e4m3fnuz', acc: 10, accRound: 'rne', pipeline: 1 },
];

const RESULT_CONFIGS: MacRequest[] = [
  { fmt: 'e4m3', acc: 16, result: 'bf16' },
  { fmt: 'int8', acc: 24, result: 'e4m3fn' },
  { fmt: 'e5m2ieee', result: 'fp16', resultOverflow: 'inf' },
  { fmt: 'e2m1', lanes: 3, result: 'e2m3' },
  { fmt: 'e4m3fnuz', acc: 12, result: 'e4m3fnuz', resultOverflow: 'inf', resultPipeline: 2 },
];

async function expectPass(req: MacRequest): Promise<void> {
  requireTool('verilator');
  requireTool('iverilog');
  const cfg = new MacConfig(req);
  // the reference keeps acc in an instance of mac_ref, so its registers cannot be forced from the top
  const r = await verifyUnit(cfg, { verilog: referenceVerilog(cfg), sims: ['verilator', 'iverilog'], seed: 11, beats: 20_000, injectStates: false });
  const report = formatReport(r);
  expect(report.startsWith('PASS'), report).toBe(true);
}

describe('bench/reference/mac_ref.v passes verify', () => {
  it.each(CONFIGS)('%j', expectPass);
});

describe('bench/reference/mac_ref.v with conv_ref.v passes verify on res', () => {
  it.each(RESULT_CONFIGS)('%j', expectPass);
});


