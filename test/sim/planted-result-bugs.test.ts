/**
 * Proof that verify checks `res` (issue 11): the float-result bugs the issue names, planted into
 * generated RTL, each caught with the operands, expected and got `res` in bits and values.
 * Every substitution is asserted to change the text, so no case passes vacuously.
 */
import { describe, expect, it } from 'vitest';
import { MacConfig, type MacRequest } from '../../generators/config/mac-config.ts';
import { generateVerilog } from '../../generators/generate.ts';
import { formatReport, verifyUnit } from '../../sim/verify.ts';
import { plant } from '../support/plant.ts';
import type { Simulator } from '../../sim/tools.ts';

interface Bug {
  readonly what: string;
  readonly req: MacRequest;
  readonly sim: Simulator;
  readonly mutate: (v: string, cfg: MacConfig) => string;
}

const bugs: Bug[] = [
  {
    what: 'ties away from zero instead of to even',
    req: { fmt: 'e4m3', acc: 16, result: 'bf16' },
    sim: 'verilator',
    mutate: (v) => plant(v, /wire round_up = (\w+) & \([^;]+\);/, (_m, guard) => `wire round_up = ${guard};`),
  },
  {
    what: 'no saturation (the overflow wraps into the exponent)',
    req: { fmt: 'int8', acc: 24, result: 'e4m3fn' },
    sim: 'verilator',
    mutate: (v) => plant(v, /wire \[7:0\] finite_code = over \? \{sign, 7'd126\} : /, 'wire [7:0] finite_code = '),
  },
  {
    what: 'the wrong NaN code (sign 1)',
    req: { fmt: 'e4m3fn', result: 'e4m3fn', resultOverflow: 'inf' },
    sim: 'iverilog',
    mutate: (v) => plant(v, /code = f_nan \? 8'd127 :/, "code = f_nan ? 8'd255 :"),
  },
  {
    what: '+0 for -0',
    req: { fmt: 'e4m3', acc: 24, result: 'e2m1' },
    sim: 'verilator',
    mutate: (v) => plant(v, /\{sign, t_rounded\[2:0\]\}/, '{sign & (|t_rounded[2:0]), t_rounded[2:0]}'),
  },
  {
    what: 'rst not clearing the result stages',
    req: { fmt: 'e2m1', acc: 8, result: 'e3m2', resultPipeline: 2 },
    sim: 'iverilog',
    // the first result stage keeps loading through a reset
    mutate: (v) => plant(v, /(always @\(posedge clk\) begin\n\s+)if \(rst\) begin\n(\s+r2_sign <= 1'd0;[\s\S]*?)end else begin\n([\s\S]*?)\n(\s+)end\n(\s+)end/, (_m, head, _clear, load, i1, i2) => `${head}begin\n${load}\n${i1}end\n${i2}end`),
  },
  {
    what: 'result latency off by one (q = 1 RTL where q = 0 is promised)',
    req: { fmt: 'e2m1', acc: 8, result: 'e2m3' },
    sim: 'verilator',
    mutate: (_v, cfg) => {
      const deeper = new MacConfig({ fmt: 'e2m1', acc: 8, result: 'e2m3', resultPipeline: 1 });
      return generateVerilog(deeper).split(deeper.name).join(cfg.name);
    },
  },
];

describe('verify catches planted float-result bugs', () => {
  for (const bug of bugs) {
    it.concurrent(`${bug.what} (${bug.sim})`, async () => {
      const cfg = new MacConfig(bug.req);
      const verilog = bug.mutate(generateVerilog(cfg), cfg);
      const r = await verifyUnit(cfg, { seed: 5, beats: 3000, pairs: 3000, sims: [bug.sim], verilog });
      const report = formatReport(r);
      expect(r.pass, `planted bug '${bug.what}' went unnoticed:\n${report}`).toBe(false);
      expect(report).toMatch(/^FAIL /);
      expect(report).toMatch(new RegExp(`cycle \\d+ \\(${bug.sim}\\): rst=\\d en=\\d clr=\\d`));
      expect(report).toMatch(/expected res=0b[01]+ \(/);
      expect(report).toMatch(/got {6}res=0b[01]+ \(/);
    });
  }
});
