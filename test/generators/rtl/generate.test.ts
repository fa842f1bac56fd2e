/**
 * Generated RTL: snapshots of canonical units for review, every unit of a broad set parses
 * under `iverilog -g2001`, and two units elaborate side by side in one Yosys session.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MacConfig, type MacRequest } from '../../../generators/config/mac-config.ts';
import { formatsOfWidth } from '../../../generators/formats/format.ts';
import { generateUnit } from '../../../generators/generate.ts';
import { runYosysScript } from '../../../generators/util/yosys.ts';
import { removeTempDirs, requireTool, tempDir } from '../../support/tools.ts';

afterAll(removeTempDirs);

const CANONICAL: [string, MacRequest][] = [
  ['e4m3_acc16', { fmt: 'e4m3', acc: 16 }],
  ['e2m1_int4_rne_sat_p2_l2', { afmt: 'e2m1', wfmt: 'int4', acc: 8, accRound: 'rne', overflow: 'sat', pipeline: 2, lanes: 2 }],
  ['e5m2ieee_flags', { fmt: 'float8_e5m2', acc: 24, accRound: 'rne' }],
];

describe('snapshots of canonical units (review these diffs)', () => {
  it.each(CANONICAL)('%s', async (label, req) => {
    const { files } = generateUnit(new MacConfig(req));
    for (const [file, text] of files) await expect(text).toMatchFileSnapshot(`__snapshots__/${label}/${file}`);
  });
});

/** Every same-format unit of 3–8 bits, every variant, and mixed/odd shapes. */
function parseSet(): MacRequest[] {
  const set: MacRequest[] = [];
  for (let bits = 3; bits <= 8; bits++) for (const f of formatsOfWidth(bits)) set.push({ fmt: f });
  for (const f of ['e4m3fn', 'e5m2ieee', 'e4m3fnuz', 'e4m3b11fnuz', 'e3m0fn', 'e2m0ieee', 'e1m1ieee', 'uint1', 'uint8', 'int16', 'e8m7'])
    set.push({ fmt: f, acc: 24 });
  set.push({ afmt: 'uint1', wfmt: 'int2' });
  set.push({ afmt: 'e4m3', wfmt: 'int8', accRound: 'rne', acc: 12, pipeline: 3, lanes: 4, overflow: 'sat' });
  set.push({ fmt: 'e4m3', acc: 4, accFrac: -40 });
  set.push({ fmt: 'e4m3', acc: 4, accFrac: -40, accRound: 'rne' });
  set.push({ fmt: 'e4m3', acc: 64, accFrac: 30 });
  return set;
}

describe('every generated file parses with iverilog -g2001', () => {
  it('the parse set', async () => {
    requireTool('iverilog');
    const dir = tempDir('minimac-iv-');
    const failures: string[] = [];
    for (const req of parseSet()) {
      const cfg = new MacConfig(req);
      const path = join(dir, `${cfg.name}.v`);
      writeFileSync(path, generateUnit(cfg).files.get(`${cfg.name}.v`)!);
      const r = await execa('iverilog', ['-g2001', '-Wall', '-o', join(dir, 'a.out'), path], { reject: false });
      if (r.exitCode !== 0 || r.stderr.trim() !== '') failures.push(`${cfg.name}: ${r.stderr}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('two units in one project', () => {
  it('elaborate side by side in one Yosys session (hierarchy -check), and in one Icarus compile', async () => {
    requireTool('iverilog');
    const u1 = new MacConfig({ fmt: 'e4m3', acc: 16 });
    const u2 = new MacConfig({ afmt: 'e2m1', wfmt: 'int4', lanes: 2, pipeline: 1 });
    const v1 = generateUnit(u1).files.get(`${u1.name}.v`)!;
    const v2 = generateUnit(u2).files.get(`${u2.name}.v`)!;
    // A project top using both units: both must resolve without a name clash.
    const top = `module both(input wire clk, input wire rst, input wire en, input wire clr,
  input wire [7:0] a1, input wire [7:0] w1, input wire [7:0] a2, input wire [7:0] w2,
  output wire [15:0] acc1, output wire [${u2.accWidth - 1}:0] acc2, output wire ovf1, output wire ovf2);
  ${u1.name} m1(.clk(clk), .rst(rst), .en(en), .clr(clr), .a(a1), .w(w1), .acc(acc1), .ovf(ovf1));
  ${u2.name} m2(.clk(clk), .rst(rst), .en(en), .clr(clr), .a(a2), .w(w2), .acc(acc2), .ovf(ovf2));
endmodule
`;
    const r = await runYosysScript(
      { 'u1.v': v1, 'u2.v': v2, 'top.v': top },
      'read_verilog u1.v u2.v top.v\nhierarchy -check -top both\nproc\ncheck -assert\n',
    );
    expect(r.log).not.toMatch(/ERROR/);
    expect(r.code).toBe(0);
    const dir = tempDir('minimac-two-');
    for (const [n, t] of [['u1.v', v1], ['u2.v', v2], ['top.v', top]]) writeFileSync(join(dir, n), t);
    const iv = await execa('iverilog', ['-g2001', '-s', 'both', '-o', join(dir, 'a.out'), ...['u1.v', 'u2.v', 'top.v'].map((n) => join(dir, n))], {
      reject: false,
    });
    expect(iv.stderr).toBe('');
    expect(iv.exitCode).toBe(0);
  });
  it('units named foo and foo_lane share one Yosys session (issue 9: both used to define foo_lane)', async () => {
    const foo = new MacConfig({ fmt: 'e4m3', acc: 16, name: 'foo' });
    const fooLane = new MacConfig({ fmt: 'e2m1', lanes: 2, name: 'foo_lane' });
    const inputs = { 'foo.v': generateUnit(foo).files.get('foo.v')!, 'foo_lane.v': generateUnit(fooLane).files.get('foo_lane.v')! };
    const r = await runYosysScript(inputs, 'read_verilog foo.v foo_lane.v\nhierarchy -check\nproc\ncheck -assert\n');
    expect(r.log).not.toMatch(/Re-definition of module/);
    expect(r.code).toBe(0);
  });
  it('a clash is caught: the same unit twice under one name fails', async () => {
    const u1 = new MacConfig({ fmt: 'e4m3', acc: 16 });
    const v1 = generateUnit(u1).files.get(`${u1.name}.v`)!;
    const r = await runYosysScript({ 'a.v': v1, 'b.v': v1 }, 'read_verilog a.v b.v\nhierarchy -check\n');
    expect(r.code).not.toBe(0);
    expect(r.log).toMatch(/Re-definition of module/);
  });
});
