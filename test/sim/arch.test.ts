/**
 * `--arch xc7|xcup` (issue 10): units whose adders are instantiated Xilinx primitives (LUT6_2 with
 * CARRY4 or CARRY8) pass the lint gate (the unit's own warnings; the vendor models are read with
 * it) and verify bit-exactly in Verilator and Icarus with Yosys's cells_sim.v models, over the
 * issue's CI list: e4m3 × 16 lanes, e2m1 × 64, int4 × 64, a 16-lane mixed pair, each arch, plus
 * the accumulator paths (two rows into the accumulator's ternary adder, a pipeline cut before it,
 * saturation with RNE, a float result). Planted primitive-level bugs are caught.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { execa } from 'execa';
import { MacConfig, type MacRequest } from '../../generators/config/mac-config.ts';
import { generateUnit, generateVerilog } from '../../generators/generate.ts';
import { MATRIX_ICARUS, MATRIX_VERILATOR } from '../../sim/presets.ts';
import { formatReport, verifyUnit } from '../../sim/verify.ts';
import { matrix, title } from './support.ts';
import { plant } from '../support/plant.ts';

const reqs: MacRequest[] = [
  { fmt: 'e4m3', arch: 'xc7' },
  { fmt: 'e4m3', arch: 'xcup' },
  { fmt: 'e4m3', lanes: 16, arch: 'xc7' },
  { fmt: 'e2m1', lanes: 64, arch: 'xcup' },
  { fmt: 'int4', lanes: 64, arch: 'xc7' },
  { afmt: 'e4m3', wfmt: 'int4', lanes: 16, arch: 'xcup' },
  { fmt: 'e2m1', lanes: 2, arch: 'xc7' },
  { fmt: 'e3m2', lanes: 5, pipeline: 1, arch: 'xc7' },
  { fmt: 'e5m2', acc: 24, overflow: 'sat', accRound: 'rne', lanes: 3, arch: 'xc7' },
  { fmt: 'int8', pipeline: 2, lanes: 4, arch: 'xcup' },
  { fmt: 'e4m3fn', lanes: 2, acc: 12, result: 'bf16', arch: 'xc7' },
  { fmt: 'e5m2fnuz', pipeline: 2, arch: 'xc7' },
  { afmt: 'e4m3', wfmt: 'uint4', pipeline: 3, arch: 'xcup' },
  // The significand product's bound (3 + 2 bits) is wider than the magnitude (4 bits) here.
  { afmt: 'e1m1', wfmt: 'int3', arch: 'xc7' },
  { afmt: 'uint8', wfmt: 'uint8', lanes: 2, accFrac: 2, overflow: 'sat', acc: 20, arch: 'xcup' },
  { afmt: 'uint3', wfmt: 'int5', lanes: 4, pipeline: 1, arch: 'xc7' },
];
/**
 * Icarus is slow on the primitives' models (int4 × 64 on xc7, 1443 LUT6_2 each a 6-level mux model:
 * about 20 cycles a second on the loaded 2-core machine; e4m3 × int4 × 16, every pair on every lane,
 * took 7 minutes), so units of 16 lanes or more get a short Icarus run (random pairs and edges, no
 * every-pair-on-every-lane); Verilator runs the full matrix, every pair on every lane, on every unit.
 */
const ICARUS_WIDE = { ...MATRIX_ICARUS, beats: 400, pairs: 400, sequences: 2, exhaustiveBits: 4 };
const check = matrix(reqs, (cfg) => (cfg.lanes >= 16 ? ICARUS_WIDE : MATRIX_ICARUS));

describe('--arch units verify in Verilator and Icarus with the primitives\' models', () => {
  // The 64-lane units take minutes in Icarus on a loaded machine.
  for (const req of reqs) it.concurrent(title(req), async () => void (await check(req)), 900_000);

  it('instantiates the arch\'s own cells, by UNISIM name with INIT, and says so in the manifest', () => {
    for (const [arch, chain, other] of [['xc7', 'CARRY4', 'CARRY8'], ['xcup', 'CARRY8', 'CARRY4']] as const) {
      const cfg = new MacConfig({ fmt: 'e4m3', lanes: 4, arch });
      const v = generateVerilog(cfg);
      expect(v).toMatch(/LUT6_2 #\(\.INIT\(64'h[0-9a-f]{16}\)\) total_l0 \(/);
      expect(v).toContain(`${chain} `);
      expect(v).not.toContain(other);
      expect(cfg.name.endsWith(`_${arch}`)).toBe(true);
      expect(generateUnit(cfg).manifest.arch).toEqual({ name: arch, primitives: [chain, 'LUT6_2'] });
    }
    const generic = new MacConfig({ fmt: 'e4m3', lanes: 4 });
    expect(generateVerilog(generic)).not.toMatch(/LUT6_2|CARRY/);
    expect(generateUnit(generic).manifest.arch).toEqual({ name: 'generic', primitives: [] });
  });
});

/** The unit's Verilog with one bit of one LUT6_2's INIT flipped. */
function flipInit(v: string, instance: string, bitIndex: number): string {
  return plant(v, new RegExp(`LUT6_2 #\\(\\.INIT\\(64'h([0-9a-f]{16})\\)\\) ${instance} \\(`), (_m, hex) => {
    const flipped = (BigInt(`0x${hex}`) ^ (1n << BigInt(bitIndex))).toString(16).padStart(16, '0');
    return `LUT6_2 #(.INIT(64'h${flipped})) ${instance} (`;
  });
}

describe('planted primitive-level bugs are caught', () => {
  const bugs: { what: string; req: MacRequest; mutate: (v: string) => string }[] = [
    {
      // total_l5: I0 = acc[5], I1 = clr, I2 = the magnitude's bit, I3 = its sign; O6 row (acc 1, clr 0, m 0, neg 0) is entry 32 + 1.
      what: 'accumulator adder bit 5: propagate wrong for acc=1, c=0',
      req: { fmt: 'e4m3', arch: 'xc7' },
      mutate: (v) => flipInit(v, 'total_l5', 33),
    },
    {
      // The same LUT's O5 (the chain operand DI, taken only where the propagate is 0) for acc=1, clr=0, m=1, neg=0: entry 5 of the low half.
      what: 'accumulator adder bit 3: chain operand (O5) wrong for c=1',
      req: { fmt: 'e4m3', arch: 'xcup' },
      mutate: (v) => flipInit(v, 'total_l3', 5),
    },
    {
      // ls0_l4: I0..I2 the three rows' bits, I3 the previous majority; entry 32 + 1 is (1, 0, 0, 0).
      what: 'ternary lane-sum adder bit 4: sum wrong for one row set',
      req: { fmt: 'e2m1', lanes: 16, arch: 'xc7' },
      mutate: (v) => flipInit(v, 'ls0_l4', 33),
    },
    {
      // The majority (O5) of ls1_l2 for rows (1, 1, 0): entry 3.
      what: 'ternary lane-sum adder bit 2: carry-save carry (majority) dropped',
      req: { fmt: 'int4', lanes: 16, arch: 'xcup' },
      mutate: (v) => flipInit(v, 'ls1_l2', 3),
    },
    {
      // pp0_sum_l1 in the lane: I0 = a[1], I1 = w[0], I2 = a[0], I3 = w[1] (a1·w0 + a0·w1); entry 32 + 3 is a1 = w0 = 1.
      what: 'partial-product adder in the lane: a1·w0 lost',
      req: { fmt: 'int4', lanes: 16, arch: 'xc7' },
      mutate: (v) => flipInit(v, 'pp0_sum_l1', 35),
    },
    {
      // The scalar unit's negative products enter as ~m with the sign as the chain's carry in.
      what: 'sign absorbed in the accumulator adder: carry in of a negative product lost',
      req: { fmt: 'e4m3', arch: 'xc7' },
      mutate: (v) => plant(v, /\.CYINIT\(neg0\)/, ".CYINIT(1'b0)"),
    },
    {
      what: 'carry chain: the second cell does not take the first cell\'s carry',
      req: { fmt: 'e4m3', arch: 'xc7' },
      mutate: (v) => plant(v, /\.CI\(total_co0\[3\]\)/, ".CI(1'b0)"),
    },
  ];
  for (const bug of bugs) {
    it.concurrent(`${bug.what} (${title(bug.req)})`, async () => {
      const cfg = new MacConfig(bug.req);
      const verilog = bug.mutate(generateVerilog(cfg));
      const r = await verifyUnit(cfg, { ...MATRIX_VERILATOR, verilog, sims: ['verilator'] });
      expect(r.pass, 'the planted bug was missed').toBe(false);
      const text = formatReport(r);
      expect(text).toMatch(/expected acc=0b[01]+ \(-?[\d.]+\)/);
      expect(text).toMatch(/got +acc=0b[01]+ \(-?[\d.]+\)/);
      expect(text).toContain('--arch ');
    }, 600_000);
  }
});

describe('--arch on the command line', () => {
  const bin = 'bin/minimac.js';
  const bad: [string[], string][] = [
    [['gen', '--fmt', 'e4m3', '--arch', 'xc8'], "error: arch must be generic or xc7 or xcup, not 'xc8' (--arch)"],
    [['gen', '--fmt', 'e4m3', '--arch', ''], "error: arch must be generic or xc7 or xcup, not '' (--arch)"],
    [['gen', '--fmt', 'e4m3', '--arch', 'constructor'], "error: arch must be generic or xc7 or xcup, not 'constructor' (--arch)"],
    [['synth', '--fmt', 'e4m3', '--arch', 'xcup'], 'error: arch xcup instantiates UltraScale+ primitives, so it needs --target xcup, not xc7 (--arch)'],
    [['synth', '--fmt', 'e4m3', '--arch', 'xc7', '--target', 'ecp5'], 'error: arch xc7 instantiates 7-series primitives, so it needs --target xc7, not ecp5 (--arch)'],
  ];
  for (const [args, message] of bad) {
    it(`${args.join(' ')} is bad input`, async () => {
      const r = await execa('node', [bin, ...args, '--out', `/nonexistent-minimac-${args.length}/x`], { reject: false });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toBe(message);
    });
  }

  it('the LUT count is of LUT sites: it equals the LUT1-6, LUT6_2 and SRL instances of the mapped netlist, counted apart', async () => {
    const out = 'test-artifacts/arch-netlist';
    const r = await execa('node', [bin, 'synth', '--fmt', 'e2m1', '--lanes', '4', '--arch', 'xc7', '--write-netlist', '--json', '--out', out], { reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    const rec = JSON.parse(r.stdout) as { netlist: string; counts: { lut: number } };
    // The netlist Yosys wrote, read as text: every instance of a cell that takes a LUT site.
    const sites = readFileSync(rec.netlist, 'utf8').match(/^\s*(LUT[1-6]|LUT6_2|SRL16E|SRLC32E)\b/gm) ?? [];
    expect(sites.some((l) => l.trim() === 'LUT6_2')).toBe(true);
    expect(rec.counts.lut).toBe(sites.length);
  }, 120_000);

  it('sweep --arch target builds every pair with the target\'s primitives and says so', async () => {
    const out = 'test-artifacts/arch-sweep';
    const r = await execa('node', [bin, 'sweep', '--bits', '3', '--arch', 'target', '--run', 'a', '--out', out, '--baseline', 'none', '--json'], { reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { configurations: number; failed: number; rows: { ok: boolean }[] };
    expect([j.configurations, j.failed, j.rows.every((row) => row.ok)]).toEqual([9, 0, true]);
    const md = readFileSync(`${out}/a/index.md`, 'utf8');
    expect(md).toContain('arch xc7 (adders of LUT6_2 and CARRY4)');
    const bad = await execa('node', [bin, 'sweep', '--bits', '3', '--arch', 'xc7', '--out', `${out}-bad`], { reject: false });
    expect([bad.exitCode, bad.stderr]).toEqual([2, "error: arch must be generic or target, not 'xc7' (--arch)"]);
    expect(existsSync(`${out}-bad`)).toBe(false);
  }, 300_000);

  it('synth --arch xc7 --target xc7 counts each LUT6_2 as one LUT and names the arch', async () => {
    const r = await execa('node', [bin, 'synth', '--fmt', 'e2m1', '--arch', 'xc7', '--json', '--out', 'test-artifacts/arch-synth'], { reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    const rec = JSON.parse(r.stdout) as { arch: string; counts: { lut: number; lutBySize: Record<string, number>; cells: Record<string, number> } };
    expect(rec.arch).toBe('xc7');
    expect(rec.counts.lutBySize.LUT6_2).toBeGreaterThan(0);
    expect(rec.counts.lut).toBe(Object.values(rec.counts.lutBySize).reduce((a, b) => a + b, 0));
    expect(rec.counts.cells.LUT6_2).toBe(rec.counts.lutBySize.LUT6_2);
  });
});
