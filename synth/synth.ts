/**
 * One design through Yosys: the script, the cache key, and the record of what it costs
 * (LUTs by size, FFs, carry cells, wide muxes, DSPs, gates, logic depth).
 */
import { createHash } from 'node:crypto';
import type { Arch, MacConfig } from '../generators/config/mac-config.ts';
import { generateUnit, type Manifest } from '../generators/generate.ts';
import { archFits, type Target, type TargetName } from './targets.ts';
import type { YosysEngine, YosysResult } from '../generators/util/yosys.ts';

/** Bump when the record layout or the way counts are read changes: old cache entries then miss. */
export const RECORD_SCHEMA = 1;

/** Output files every script writes for the parser. */
export const SCRIPT_OUTPUTS: readonly string[] = Object.freeze(['stat.json', 'ltp.txt']);

/** The formats of one side, as the records and reports name them (read from the manifest). */
export interface SideInfo {
  readonly spec: string;
  readonly kind: 'float' | 'int';
  readonly bits: number;
}

/** What a synthesized design costs. */
export interface Counts {
  /** LUT sites: LUT1..LUT6, LUT6_2 and shift-register LUTs count one each (`srl` says how many are SRLs). 0 on the gates target. */
  readonly lut: number;
  /** LUTs by primitive name (`LUT1`..`LUT6` on Xilinx, `LUT4` on ECP5/iCE40). */
  readonly lutBySize: Readonly<Record<string, number>>;
  /** Flip-flops (FDRE/FDSE/…, TRELLIS_FF, SB_DFF*, or $_*DFF*_). */
  readonly ff: number;
  /** Carry cells (CARRY4, CARRY8, CCU2C, SB_CARRY). */
  readonly carry: number;
  /** Wide-function muxes by name (MUXF7/MUXF8/MUXF9 on Xilinx, PFUMX/L6MUX21 on ECP5). */
  readonly mux: Readonly<Record<string, number>>;
  /** DSP blocks (0 unless --dsp). */
  readonly dsp: number;
  /** Shift-register LUTs (SRL16E/SRLC32E), also counted in `lut`: each takes a LUT site. */
  readonly srl: number;
  /** Yosys internal gates ($_AND_, $_XOR_, $_MUX_, …): the gates target only. */
  readonly gates: number;
  /** Logic levels: mapped cells on the longest register/port-to-register/port path (see synth/README.md). */
  readonly depth: number;
  /** Every mapped cell type and its count, as `stat` gives it. */
  readonly cells: Readonly<Record<string, number>>;
}

/** The identity of a synthesis run: which unit, which target, which Yosys, which script. */
export interface SynthJob {
  readonly name: string;
  readonly top: string;
  readonly target: TargetName;
  readonly dsp: boolean;
  readonly engine: YosysEngine;
  readonly yosysVersion: string;
  readonly weight: SideInfo;
  readonly activation: SideInfo;
  readonly productWidth: number;
  readonly accWidth: number;
  readonly accFrac: number;
  readonly lanes: number;
  readonly pipeline: number;
  /** The unit's arithmetic layer (`--arch`): generic RTL, or xc7/xcup primitives. */
  readonly arch: Arch;
  /** The Verilog file name inside Yosys's file system. */
  readonly file: string;
  /** The full Yosys script. */
  readonly script: string;
  /** sha256 of RTL, Yosys version and script: the cache key. */
  readonly key: string;
}

/** A finished design: its job (minus the RTL) and its counts, or the error that stopped it. */
export type SynthRecord = SynthJob & {
  readonly schema: number;
} & ({ readonly ok: true; readonly counts: Counts } | { readonly ok: false; readonly error: string; readonly logTail: string });

/**
 * For depth only (after the counts): an instantiated LUT6_2 is a black box to `ltp`, every input
 * a path to both outputs, so a ternary adder's O5 (the majority of three bits, which does not
 * read I3) would look like a ripple through every LUT of the row. Each LUT6_2 becomes two $lut
 * cells of its own INIT halves and `opt_lut` drops the inputs a function does not read, so the
 * path count follows the logic, as for LUTs that Yosys mapped itself.
 */
const LUT6_2_DEPTH: readonly string[] = [
  'write_file lut6_2_depth_map.v <<EOT',
  'module LUT6_2 (output O6, output O5, input I0, input I1, input I2, input I3, input I4, input I5);',
  '  parameter [63:0] INIT = 0;',
  // Whether the n-entry table t changes with input k: if not, the input is tied off (no path).
  '  function reads; input [63:0] t; input integer n; input integer k; integer x;',
  '    begin reads = 0; for (x = 0; x < n; x = x + 1) if (t[x] != t[x ^ (1 << k)]) reads = 1; end',
  '  endfunction',
  '  wire [5:0] i = {I5, I4, I3, I2, I1, I0};',
  '  wire [5:0] a6; wire [4:0] a5;',
  '  genvar k;',
  "  generate for (k = 0; k < 6; k = k + 1) begin : g6 assign a6[k] = reads(INIT, 64, k) ? i[k] : 1'b0; end endgenerate",
  "  generate for (k = 0; k < 5; k = k + 1) begin : g5 assign a5[k] = reads({32'b0, INIT[31:0]}, 32, k) ? i[k] : 1'b0; end endgenerate",
  '  \\$lut #(.WIDTH(6), .LUT(INIT)) o6 (.A(a6), .Y(O6));',
  '  \\$lut #(.WIDTH(5), .LUT(INIT[31:0])) o5 (.A(a5), .Y(O5));',
  'endmodule',
  'EOT',
  'techmap -map lut6_2_depth_map.v t:LUT6_2',
];

/** The file `synth --write-netlist` has Yosys write, next to stat.json and ltp.txt. */
export const NETLIST_OUTPUT = 'netlist.v';

/**
 * The Yosys script for `top` on a target: read, map, count, then depth with the FFs removed.
 * With `netlist`, the mapped design (flip-flops included) is saved before they are deleted for
 * `ltp`, and written as Verilog at the end, so the counting part runs on the very same design in
 * the same order. `-noattr`: no `(* src = … *)` on every cell. Without `-noexpr`, so the gates
 * target's internal cells (and any a device flow leaves) come out as plain Verilog expressions
 * rather than instances of Yosys's `$_AND_`… models (simcells.v), which no simulator has; the
 * device cells (LUT6, FDRE, CCU2C, …) are instances either way. `splitnets` first turns each
 * internal vector net into single bits (ports keep their widths, no cell changes): a vector net
 * whose bits feed one another through cells (a CARRY4 chain's CO, `_14_[7] = _14_[8]`) is one
 * block to Verilator (UNOPTFLAT), which verify refuses since Verilator 5.006 simulated such a
 * block wrongly (in CARRY4's model, see sim/verilator.ts).
 */
export function synthScript(file: string, top: string, t: Target, dsp: boolean, netlist = false, primitives = false): string {
  return [
    `read_verilog ${file}`,
    ...t.synthCommands(top, dsp),
    'tee -q -o stat.json stat -json',
    ...(netlist ? ['design -save mapped'] : []),
    `delete ${t.ffSelection}`,
    ...(primitives ? LUT6_2_DEPTH : []),
    'tee -q -o ltp.txt ltp -noff',
    ...(netlist ? ['design -load mapped', 'splitnets', `write_verilog -noattr ${NETLIST_OUTPUT}`] : []),
    '',
  ].join('\n');
}

function side(m: Record<string, unknown>): SideInfo {
  return { spec: String(m.spec), kind: m.kind === 'int' ? 'int' : 'float', bits: Number(m.bits) };
}

/**
 * Everything needed to synthesize one configuration, with its RTL; the key hashes RTL, version and
 * script. `netlist`: the script also writes the mapped netlist (a different script, so a different key).
 */
export function makeJob(
  cfg: MacConfig,
  t: Target,
  dsp: boolean,
  engine: YosysEngine,
  yosysVersion: string,
  netlist = false,
): { job: SynthJob; verilog: string; manifest: Manifest } {
  archFits(cfg.arch, t);
  const { files, manifest } = generateUnit(cfg);
  const file = manifest.files[0];
  const verilog = files.get(file);
  if (verilog === undefined) throw new Error(`generator gave no ${file}`);
  const script = synthScript(file, manifest.top, t, dsp, netlist, cfg.arch !== 'generic');
  const key = createHash('sha256')
    .update(JSON.stringify({ schema: RECORD_SCHEMA, rtl: verilog, file, yosysVersion, script }))
    .digest('hex');
  const job: SynthJob = {
    name: manifest.name,
    top: manifest.top,
    target: t.name,
    dsp,
    engine,
    yosysVersion,
    weight: side(manifest.weight),
    activation: side(manifest.activation),
    productWidth: manifest.product.width,
    accWidth: manifest.accumulator.width,
    accFrac: manifest.accumulator.frac,
    lanes: manifest.lanes,
    pipeline: manifest.pipeline,
    arch: cfg.arch,
    file,
    script,
    key,
  };
  return { job, verilog, manifest };
}

/** The last `n` lines of a log. */
export function logTail(log: string, n = 25): string {
  return log.trimEnd().split('\n').slice(-n).join('\n');
}

/** Read the counts out of a finished Yosys run; throws when the outputs are missing or malformed. */
export function parseCounts(res: YosysResult, job: SynthJob, t: Target): Counts {
  const statText = res.outputs['stat.json'];
  const ltpText = res.outputs['ltp.txt'];
  if (statText === undefined || ltpText === undefined) throw new Error('Yosys wrote no stat.json/ltp.txt');
  const stat = JSON.parse(statText) as { modules?: Record<string, { num_cells_by_type?: Record<string, number> }> };
  const mod = stat.modules?.[`\\${job.top}`];
  if (!mod) throw new Error(`stat -json has no module ${job.top}`);
  const cells: Record<string, number> = {};
  const lutBySize: Record<string, number> = {};
  const mux: Record<string, number> = {};
  const tally = { lut: 0, ff: 0, carry: 0, dsp: 0, srl: 0, gate: 0 };
  for (const [type, n] of Object.entries(mod.num_cells_by_type ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (type === '$scopeinfo') continue; // hierarchy bookkeeping, not hardware
    cells[type] = n;
    const c = t.classify(type);
    if (c.kind === 'lut') {
      tally.lut += n;
      lutBySize[type] = n;
    } else if (c.kind === 'mux') mux[type] = n;
    else if (c.kind !== 'other') tally[c.kind] += n;
  }
  if (/Detected loop/.test(ltpText)) throw new Error('ltp found a combinational loop after removing the flip-flops');
  const m = /Longest topological path in .* \(length=(\d+)\)/.exec(ltpText);
  // A design with no combinational cell at all has no path: depth 0.
  const depth = m ? Number(m[1]) : 0;
  return {
    // A LUT site is a LUT site, whatever it holds: a shift register takes one as a logic LUT does.
    lut: tally.lut + tally.srl,
    lutBySize,
    ff: tally.ff,
    carry: tally.carry,
    mux,
    dsp: tally.dsp,
    srl: tally.srl,
    gates: tally.gate,
    depth,
    cells,
  };
}

/** Turn a Yosys run into a record: counts when it succeeded, the error and log tail when not. */
export function toRecord(job: SynthJob, res: YosysResult, t: Target): SynthRecord {
  if (res.code !== 0) {
    return { ...job, schema: RECORD_SCHEMA, ok: false, error: `yosys exited with code ${res.code}`, logTail: logTail(res.log) };
  }
  try {
    return { ...job, schema: RECORD_SCHEMA, ok: true, counts: parseCounts(res, job, t) };
  } catch (e) {
    return { ...job, schema: RECORD_SCHEMA, ok: false, error: (e as Error).message, logTail: logTail(res.log) };
  }
}

/** An error record for a job that never produced a Yosys result (a crash, a timeout). */
export function errorRecord(job: SynthJob, error: string, log = ''): SynthRecord {
  return { ...job, schema: RECORD_SCHEMA, ok: false, error, logTail: logTail(log) };
}
