/**
 * Shared steps of the verify matrix: lint a file's units in one batch (one Yosys start), then
 * check each in Verilator and Icarus. A missing simulator throws MissingToolError (install
 * hint), so the test fails, never skips.
 */
import { expect } from 'vitest';
import { MacConfig, type MacRequest } from '../../generators/config/mac-config.ts';
import { generateVerilog } from '../../generators/generate.ts';
import { lintUnits, type LintResult } from '../../sim/lint.ts';
import { MATRIX_ICARUS, MATRIX_VERILATOR } from '../../sim/presets.ts';
import { formatReport, verifyUnit, type VerifyOptions } from '../../sim/verify.ts';

/** A readable test title for a request. */
export function title(req: MacRequest): string {
  return Object.entries(req)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

/** The checker of one matrix file: lints all its units together on first use; `icarus` may size a unit's Icarus run. */
export function matrix(reqs: readonly MacRequest[], icarus: (cfg: MacConfig) => VerifyOptions = () => MATRIX_ICARUS): (req: MacRequest) => Promise<MacConfig> {
  const units = reqs.map((r) => {
    const cfg = new MacConfig(r);
    return { cfg, verilog: generateVerilog(cfg) };
  });
  let lint: Promise<LintResult[]> | null = null;
  return async (req) => {
    lint ??= lintUnits(units.map((u) => ({ top: u.cfg.name, verilog: u.verilog })));
    const i = reqs.indexOf(req);
    const { cfg, verilog } = units[i];
    expect((await lint)[i].problems.join('\n'), `lint gate of ${cfg.name}`).toBe('');
    const v = await verifyUnit(cfg, { ...MATRIX_VERILATOR, verilog, sims: ['verilator'] });
    expect(v.pass, formatReport(v)).toBe(true);
    const ic = await verifyUnit(cfg, { ...icarus(cfg), verilog, sims: ['iverilog'] });
    expect(ic.pass, formatReport(ic)).toBe(true);
    return cfg;
  };
}
