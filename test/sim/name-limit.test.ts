/**
 * The unit-name length limit (issue 9): a name of exactly MAX_NAME_LENGTH characters goes through
 * the lint gate (Verilator --lint-only -Wall, Icarus, Yosys) and a Verilator and Icarus run, with
 * every kind of submodule present (two decoders, lanes). Longer names are refused by gen.
 */
import { describe, expect, it } from 'vitest';
import { MacConfig, MAX_NAME_LENGTH } from '../../generators/config/mac-config.ts';
import { generateVerilog } from '../../generators/generate.ts';
import { lintUnit } from '../../sim/lint.ts';
import { formatReport, verifyUnit } from '../../sim/verify.ts';

describe('unit name at the length limit', () => {
  const cfg = new MacConfig({ afmt: 'e2m1fn', wfmt: 'int4', lanes: 2, pipeline: 1, name: 'n'.repeat(MAX_NAME_LENGTH) });

  it(`a ${MAX_NAME_LENGTH}-character name passes the lint gate and simulates bit-exactly`, async () => {
    const verilog = generateVerilog(cfg);
    expect(verilog).toContain(`module ${cfg.name}__dec_a (`);
    const lint = await lintUnit(cfg.name, verilog);
    expect(lint.problems.join('\n')).toBe('');
    const v = await verifyUnit(cfg, { seed: 1, beats: 2000, pairs: 1000, sims: ['verilator', 'iverilog'], verilog });
    expect(v.pass, formatReport(v)).toBe(true);
  });
});
