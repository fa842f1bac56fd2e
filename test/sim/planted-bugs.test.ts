/**
 * Proof that verify can fail: realistic bugs planted into generated RTL text, each of which
 * verify must catch (FAIL, with operands, expected and got in bits and values). Every
 * substitution is asserted to change the text, so no case passes vacuously.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MacConfig, type MacRequest } from '../../generators/config/mac-config.ts';
import { generateVerilog } from '../../generators/generate.ts';
import { formatReport, verifyUnit } from '../../sim/verify.ts';
import { plant } from '../support/plant.ts';

interface Bug {
  readonly what: string;
  readonly req: MacRequest;
  readonly mutate: (v: string, cfg: MacConfig) => string;
}

const bugs: Bug[] = [
  {
    what: 'truncate toward zero instead of floor',
    req: { fmt: 'e4m3', acc: 16 },
    // Floor keeps sprod[top:s]; toward zero adds 1 to negative products that dropped ones.
    mutate: (v) =>
      plant(v, /assign prod = sprod\[(\d+):(\d+)\];/, (_m, hi, lo) =>
        `assign prod = sprod[${hi}:${lo}] + {${Number(hi) - Number(lo)}'d0, sprod[${hi}] & (|sprod[${Number(lo) - 1}:0])};`),
  },
  {
    what: 'exponent bias off by one (shift = e instead of e - 1)',
    req: { fmt: 'e3m2' },
    mutate: (v) => plant(v, /assign shift = nz \? \(e - (\d+)'d1\)/, (_m, w) => `assign shift = nz ? (e + ${w}'d0)`),
  },
  {
    what: 'missed subnormal (hidden bit always 1)',
    req: { fmt: 'e2m3' },
    mutate: (v) => plant(v, /assign sig = \{nz, m\};/, "assign sig = {1'b1, m};"),
  },
  {
    what: 'wrap instead of sat',
    req: { fmt: 'e4m3', acc: 16, overflow: 'sat' },
    mutate: (v) => plant(v, /wire \[(\d+):0\] acc_next = [^;]+;/, (_m, hi) => `wire [${hi}:0] acc_next = total[${hi}:0];`),
  },
  {
    what: 'rne ties away from zero instead of to even',
    req: { fmt: 'e4m3', acc: 16, accRound: 'rne' },
    mutate: (v) => plant(v, /wire round_up = \(([^)]+)\) & [^;]+;/, (_m, guard) => `wire round_up = ${guard};`),
  },
  {
    what: 'dropped NaN flag',
    req: { fmt: 'e4m3fn' },
    mutate: (v) => plant(v, /assign nan = is_nan;/, "assign nan = 1'b0;"),
  },
  {
    what: 'latency off by one (a pipeline-1 unit where latency 1 is promised)',
    req: { fmt: 'e2m1', acc: 8 },
    // The RTL of the same unit with one more stage, renamed to the promised unit's name.
    mutate: (_v, cfg) => {
      const deeper = new MacConfig({ fmt: 'e2m1', acc: 8, pipeline: 1 });
      return generateVerilog(deeper).split(deeper.name).join(cfg.name);
    },
  },
];

// issue 12: a bug on one lane for one pair only. Sampled pairs (5000 beats of 3 lanes) would meet that
// pair on lane 1 about once; every pair on every lane meets it for sure.
bugs.push({
  what: 'lane 1 gets one (a, w) pair wrong (every pair on every lane)',
  req: { fmt: 'e3m2', lanes: 3 },
  mutate: (v) => plant(v, /\.w\(w\[11:6\]\),/, ".w(w[11:6] ^ {5'd0, a[11:6] == 6'd37 && w[11:6] == 6'd22}),"),
});

// issue 12: saturation bounds swapped on an accumulator whose overflow needs ~16,000 beats of the
// largest products, which the overflow runs skip; state injection starts next to the bounds.
const swappedSat: Bug = {
  what: 'saturation bounds swapped on a wide accumulator (state injection)',
  req: { fmt: 'e3m2', lanes: 3, acc: 29, accFrac: 3, accRound: 'rne', overflow: 'sat', pipeline: 3 },
  mutate: (v) => plant(v, /\(\(total\[29\]\) \? \{1'd1, 28'd0\} : \{1'd0, \{28\{1'd1\}\}\}\)/, "((total[29]) ? {1'd0, {28{1'd1}}} : {1'd1, 28'd0})"),
};
bugs.push(swappedSat);

describe('verify catches planted bugs (Verilator)', () => {
  for (const [i, bug] of bugs.entries()) {
    it.concurrent(bug.what, async () => {
      const cfg = new MacConfig(bug.req);
      const verilog = bug.mutate(generateVerilog(cfg), cfg);
      // The first bug also goes through shrinking and the VCD of the minimal failing sequence.
      const withVcd = i === 0;
      const r = await verifyUnit(cfg, { seed: 3, beats: 5000, pairs: 5000, sims: ['verilator'], verilog, vcd: withVcd });
      const report = formatReport(r);
      expect(r.pass, `planted bug '${bug.what}' went unnoticed:\n${report}`).toBe(false);
      expect(report).toMatch(/^FAIL /);
      expect(report).toMatch(/cycle \d+ \(verilator\): rst=\d en=\d clr=\d/);
      expect(report).toMatch(/expected acc=0b[01]+ \(/);
      expect(report).toMatch(/got {6}acc=0b[01]+ \(/);
      expect(report).toContain('--seed 3');
      if (withVcd) {
        expect(r.vcd && existsSync(r.vcd), report).toBe(true);
        expect(r.shrunkCycles!).toBeLessThanOrEqual(8);
      }
    });
  }

  it('Icarus catches the swapped saturation bounds too, through its hierarchical state injection', async () => {
    const cfg = new MacConfig(swappedSat.req);
    const verilog = swappedSat.mutate(generateVerilog(cfg), cfg);
    const r = await verifyUnit(cfg, { seed: 3, beats: 500, pairs: 500, exhaustiveBits: 10, sims: ['iverilog'], verilog });
    expect(r.pass, formatReport(r)).toBe(false);
    expect(r.counts.injected).toBeGreaterThanOrEqual(14);
    // and without injection the same short run passes it: the overflow is out of reach
    const blind = await verifyUnit(cfg, { seed: 3, beats: 500, pairs: 500, exhaustiveBits: 10, sims: ['iverilog'], verilog, injectStates: false });
    expect(blind.pass, formatReport(blind)).toBe(true);
  });

  it('Icarus catches a bug too (bias off by one), and reports X-free values', async () => {
    const cfg = new MacConfig(bugs[1].req);
    const verilog = bugs[1].mutate(generateVerilog(cfg), cfg);
    const r = await verifyUnit(cfg, { seed: 3, beats: 500, pairs: 500, exhaustiveBits: 12, sims: ['iverilog'], verilog });
    expect(r.pass).toBe(false);
    expect(formatReport(r)).toMatch(/cycle \d+ \(iverilog\)/);
  });
});
