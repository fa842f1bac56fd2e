/**
 * Icarus Verilog, the second opinion: a generated Verilog-2001 testbench replays the same
 * vectors from a `$readmemh` file, drives `a`/`w` with X whenever en = 0, and compares with
 * `!==`, so an X or Z on any output after the first reset edge is a mismatch.
 */
import { runTool } from '../generators/util/deadline.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MacConfig } from '../generators/config/mac-config.ts';
import { requireSimulator } from './tools.ts';
import { CheckFailure } from '../generators/util/errors.ts';
import { hexDigits, layoutOf } from './vectors.ts';
import { parseRun, type RawRun } from './verilator.ts';
import { primitiveModelsOf, hasGlbl, preparedLibrary, type CellModels, type Netlist } from './netlist.ts';

/** The testbench module: widths and field offsets from the record layout of `vectors.ts`. */
export function testbench(cfg: MacConfig, maxErrors = 20, inject = true): string {
  const L = layoutOf(cfg);
  // Fields are padded to whole hex digits: ctrl 1 digit, then a, w, acc, then flags 1 digit, then res.
  const offA = 4;
  const offW = offA + 4 * hexDigits(L.aBits);
  const offAcc = offW + 4 * hexDigits(L.wBits);
  const offF = offAcc + 4 * hexDigits(L.accBits);
  const offRes = offF + 4;
  const offInj = offRes + 4 * hexDigits(L.resBits);
  const offInjF = offInj + 4 * hexDigits(L.accBits);
  const rb = offInjF + 4;
  const R = L.resBits;
  // State injection: force the unit's registers between edges (a hierarchical assignment).
  const injectBlock = !inject
    ? ''
    : [
        '            if (r[3]) begin',
        `                dut.acc = r[${offInj} +: ${L.accBits}];`,
        `                dut.ovf = r[${offInjF}];`,
        ...(cfg.hasFlags ? [`                dut.nan = r[${offInjF + 1}];`, `                dut.pinf = r[${offInjF + 2}];`, `                dut.ninf = r[${offInjF + 3}];`] : []),
        '            end',
        '',
      ].join('\n');
  const flags = cfg.hasFlags ? '{ninf, pinf, nan, ovf}' : "{3'b000, ovf}";
  return `\`timescale 1ns / 1ps
\`default_nettype none
module ${cfg.name}_tb;
    parameter N = 1;
    parameter STIM = "stim.hex";
    reg [${rb - 1}:0] mem [0:N-1];
    reg clk, rst, en, clr;
    reg [${L.aBits - 1}:0] a;
    reg [${L.wBits - 1}:0] w;
    wire [${L.accBits - 1}:0] acc;
    wire ovf;
${cfg.hasFlags ? '    wire nan, pinf, ninf;\n' : ''}${R ? `    wire [${R - 1}:0] res;\n` : ''}    ${cfg.name} dut (.clk(clk), .rst(rst), .en(en), .clr(clr), .a(a), .w(w), .acc(acc), .ovf(ovf)${cfg.hasFlags ? ', .nan(nan), .pinf(pinf), .ninf(ninf)' : ''}${R ? ', .res(res)' : ''});
    reg [${rb - 1}:0] r;
    wire [3:0] flags = ${flags};
    integer c, errors;
    initial begin
        $readmemh(STIM, mem);
        errors = 0;
        clk = 1'b0;
        for (c = 0; c < N && errors < ${maxErrors}; c = c + 1) begin
            r = mem[c];
            rst = r[0];
            en = r[1];
            clr = r[2];
            // Idle cycles: the operands are don't-care, so drive X.
            a = r[1] ? r[${offA} +: ${L.aBits}] : {${L.aBits}{1'bx}};
            w = r[1] ? r[${offW} +: ${L.wBits}] : {${L.wBits}{1'bx}};
${injectBlock}            #5 clk = 1'b1;
            #1;
            if (acc !== r[${offAcc} +: ${L.accBits}] || flags !== r[${offF} +: 4]${R ? ` || res !== r[${offRes} +: ${R}]` : ''}) begin
                $display(${R ? '"M %0d %h %h %h", c, acc, flags, res' : '"M %0d %h %h", c, acc, flags'});
                errors = errors + 1;
            end
            #4 clk = 1'b0;
        end
        $display("DONE %0d %0d", c, errors);
        $finish;
    end
endmodule
\`default_nettype wire
`;
}

/**
 * Compile and run the testbench on a hex vector file of `cycles` records. With `netlist`,
 * `verilog` is that netlist, its cell models are compiled after it (only the cells it uses, see
 * `preparedLibrary`) and there is no state injection. Icarus cannot silence a warning by file, so
 * a warning about the netlist fails the run while the models' own are let be (as in Verilator).
 */
export async function runIverilog(cfg: MacConfig, verilog: string, hex: string, cycles: number, inject = true, netlist?: Netlist): Promise<RawRun & { ms: number }> {
  await requireSimulator('iverilog');
  const t0 = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'minimac-iverilog-'));
  try {
    const unit = netlist ? 'netlist.v' : 'unit.v';
    writeFileSync(join(dir, unit), verilog);
    writeFileSync(join(dir, 'tb.v'), testbench(cfg, 20, inject && !netlist));
    writeFileSync(join(dir, 'stim.hex'), hex);
    const tb = `${cfg.name}_tb`;
    const files = ['tb.v', unit];
    const roots = ['-s', tb];
    // A netlist's cell models, or the device primitives an --arch unit's RTL instantiates.
    const models: CellModels | null = netlist ?? (await primitiveModelsOf(verilog));
    if (models?.libs.length) {
      const cells = await preparedLibrary('iverilog', models, dir);
      writeFileSync(join(dir, 'cells.v'), cells);
      files.push('cells.v');
      // UNISIM's models (a Vivado netlist) read glbl.GSR: glbl is a second root, never instantiated.
      if (hasGlbl(cells) || hasGlbl(verilog)) roots.push('-s', 'glbl');
    }
    const c = await runTool('iverilog', ['-g2001', '-o', 'sim.vvp', ...roots, `-P${tb}.N=${cycles}`, ...files], dir);
    const about = netlist ? (c.all ?? '').split('\n').filter((l) => l.includes(unit)) : [];
    if (c.exitCode !== 0 || about.length) {
      const message = `iverilog failed on ${netlist ? `the netlist ${netlist.file}` : cfg.name}:\n${(c.all ?? '').slice(-4000)}`;
      throw netlist ? new CheckFailure(message) : new Error(message); // a netlist's own compile is its lint
    }
    const r = await runTool('vvp', ['-n', 'sim.vvp'], dir);
    if (r.exitCode !== 0) throw new Error(`vvp failed on ${cfg.name} (exit ${r.exitCode}):\n${(r.all ?? '').slice(-2000)}`);
    return { ...parseRun(r.stdout), ms: performance.now() - t0 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
