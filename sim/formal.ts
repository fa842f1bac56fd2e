/**
 * `verify --formal`: with the SAT solver of the project's own (wasm) Yosys, prove
 * (a) that a unit equals the independent behavioural reference (bench/reference/mac_ref.v and
 *     conv_ref.v) for every state and every input (proveReference), and
 * (b) that an xc7 netlist of it (synth --write-netlist) equals its RTL (proveNetlist).
 * See the "Formal" sections of sim/README.md for what is proven and what is not.
 */
import { referenceVerilog } from '../bench/reference/reference.ts';
import type { MacConfig } from '../generators/config/mac-config.ts';
import { YosysPool } from '../synth/pool.ts';
import { logTail, NETLIST_OUTPUT, synthScript } from '../synth/synth.ts';
import { target } from '../synth/targets.ts';
import type { YosysResult } from '../generators/util/yosys.ts';

/** The verdict of a formal check: PROVEN only when the solver finished and every point was proven. */
export type FormalVerdict = 'PROVEN' | 'FAILED' | 'UNKNOWN';

/** What a formal check gives back: the verdict, the solver seconds (both runs) and the log tail. */
export interface FormalResult {
  readonly result: FormalVerdict;
  readonly seconds: number;
  /** Why, in one line: proven points, the counterexample step, or why it is unknown. */
  readonly detail: string;
  readonly logTail: string;
}

/** Options of {@link proveNetlist}: time limit (whole check) and counterexample depth from reset. */
export interface FormalOptions {
  readonly timeoutS?: number;
  readonly bmcSteps?: number;
}

/** Gold side: the RTL, flattened, every name hidden but ports and register outputs. */
function goldCommands(top: string): string[] {
  return [
    // An --arch unit instantiates LUT6_2 and CARRY4/CARRY8: their models are read as real modules.
    'read_verilog +/xilinx/cells_sim.v',
    'read_verilog -noautowire rtl.v',
    `prep -top ${top}`,
    'flatten',
    'splitnets -ports',
    'select -set keep t:$*dff* %co:+[Q] w:* %i',
    'rename -hide w:* @keep %d i:* %d o:* %d',
    'opt_clean',
  ];
}

/** Gate side: the netlist with Yosys's xc7 cell models as real modules, flattened; names as for gold. */
function gateCommands(top: string): string[] {
  return [
    'read_verilog +/xilinx/cells_sim.v',
    'read_verilog netlist.v',
    `hierarchy -check -top ${top}`,
    // Before flattening: the netlist's names of the flip-flops' Q nets (acc[3], s1_contrib[0], …).
    `select -set keep ${top}/t:*FD?E* %co:+[Q] ${top}/w:* %i`,
    `rename -hide ${top}/w:* @keep %d ${top}/i:* %d ${top}/o:* %d`,
    'proc',
    'flatten',
    'rename -hide w:*.*',
    'splitnets -ports',
    'opt_clean',
  ];
}

/** Both designs, stashed as modules `gold` and `gate` of one design. */
function loadBoth(top: string): string[] {
  return [
    ...goldCommands(top),
    `rename ${top} gold`,
    'design -stash gold',
    ...gateCommands(top),
    `rename ${top} gate`,
    'design -stash gate',
    'design -copy-from gold -as gold gold',
    'design -copy-from gate -as gate gate',
  ];
}

/**
 * The proof script: $equiv cells on the ports and on every register (matched by name), every
 * output and every register of both sides covered (asserted), then one-step induction
 * (equiv_induct -seq 2: equal registers at step 1 give equal registers and outputs at step 2).
 */
export function proofScript(top: string): string {
  return [
    ...loadBoth(top),
    'equiv_make gold gate equiv',
    'hierarchy -top equiv',
    // Every output is an $equiv point.
    'select -set eqd equiv/t:$equiv %co1:+$equiv[Y] equiv/o:* %i',
    'select -assert-none equiv/o:* @eqd %d',
    // Every register of either side feeds an $equiv point: none is left out of the correspondence.
    'select -set ffq equiv/t:$*dff* %co1:+[Q] equiv/w:* %i',
    'select -set eqin equiv/t:$equiv %ci1:+$equiv[A,B] equiv/w:* %i',
    'select -assert-none @ffq @eqin %d',
    'equiv_induct -seq 2',
    'equiv_status -assert',
    '',
  ].join('\n');
}

/**
 * The counterexample search: both designs from all-zero registers, reset in the first step,
 * then `steps` steps of free inputs; a trace where any output differs fails it.
 */
export function bmcScript(top: string, steps: number): string {
  return [
    ...loadBoth(top),
    'miter -equiv -flatten -make_outputs gold gate miter',
    'hierarchy -top miter',
    `sat -verify -prove trigger 0 -set-at 1 in_rst 1 -seq ${steps} -set-init-zero -show-inputs -show-outputs miter`,
    '',
  ].join('\n');
}

/**
 * A runner of Yosys scripts on `inputs` (or other files) within one time limit for all of them
 * (seconds). The runs share one child process (a Yosys start costs about 3 s), or the caller's
 * `pool`; the limit aborts the pool it made, which kills the solver safely (see synth/pool.ts). An
 * Error stands for a run that did not finish. `close` when done.
 */
type Solver = ReturnType<typeof solver>;

function solver(inputs: Record<string, string>, timeoutS: number, shared?: YosysPool) {
  const limitMs = timeoutS * 1000;
  const started = Date.now();
  let own: YosysPool | null = null;
  const pool = () => shared ?? (own ??= new YosysPool(1, 'wasm', Math.max(1, limitMs), AbortSignal.timeout(Math.max(1, limitMs)), 'process'));
  const run = async (script: string, outputs: readonly string[] = [], files: Record<string, string> = inputs): Promise<YosysResult | Error> => {
    if (limitMs - (Date.now() - started) <= 0) return new Error('time limit reached');
    try {
      return await pool().run(files, script, outputs);
    } catch (e) {
      const err = e as Error;
      return err.name === 'TimeoutError' ? new Error(`timed out after ${timeoutS} s`) : err;
    }
  };
  const secs = () => Math.round((Date.now() - started) / 10) / 100;
  const close = async () => {
    if (own) await own.close();
  };
  return { run, secs, close };
}

/** The step where the miter's trigger is 1 in a sat trace, or null. */
function failStep(log: string): number | null {
  const m = /^\s*(\d+)\s+\\trigger\s+1\s/m.exec(log);
  return m ? Number(m[1]) : null;
}

/**
 * Prove that `netlist` (an xc7 netlist of `top`) equals `rtl`. PROVEN: the induction finished and
 * every point holds. FAILED: a concrete trace from reset where an output differs. UNKNOWN: neither
 * (induction failed without a counterexample within `bmcSteps`, a Yosys error, or the time limit).
 */
export async function proveNetlist(top: string, rtl: string, netlist: string, opts: FormalOptions = {}): Promise<FormalResult> {
  const steps = opts.bmcSteps ?? 12;
  const s = solver({ 'rtl.v': rtl, 'netlist.v': netlist }, opts.timeoutS ?? 300);
  try {
    return await netlistVerdict(top, steps, s.run, s.secs);
  } finally {
    await s.close();
  }
}

async function netlistVerdict(top: string, steps: number, run: Solver['run'], secs: () => number): Promise<FormalResult> {
  const proof = await run(proofScript(top));
  if (proof instanceof Error) return { result: 'UNKNOWN', seconds: secs(), detail: `proof did not finish: ${proof.message}`, logTail: '' };
  if (proof.code === 0 && /Equivalence successfully proven!/.test(proof.log)) {
    const n = /Of those cells (\d+) are proven and 0 are unproven/.exec(proof.log)?.[1] ?? '?';
    return { result: 'PROVEN', seconds: secs(), detail: `${n} points (outputs and registers) proven by one-step induction`, logTail: logTail(proof.log) };
  }
  const why = /ERROR: (.*)/.exec(proof.log)?.[1] ?? `yosys exited with code ${proof.code}`;
  const bmc = await run(bmcScript(top, steps));
  if (bmc instanceof Error) return { result: 'UNKNOWN', seconds: secs(), detail: `not proven (${why}); counterexample search did not finish: ${bmc.message}`, logTail: logTail(proof.log) };
  const step = failStep(bmc.log);
  if (bmc.code !== 0 && /proof did fail/.test(bmc.log) && step !== null) {
    return { result: 'FAILED', seconds: secs(), detail: `an output differs at step ${step} after reset at step 1 (counterexample below)`, logTail: logTail(bmc.log, 60) };
  }
  const bmcWhy = bmc.code === 0 ? `no output differs within ${steps} steps after reset` : (/ERROR: (.*)/.exec(bmc.log)?.[1] ?? `yosys exited with code ${bmc.code}`);
  return { result: 'UNKNOWN', seconds: secs(), detail: `not proven (${why}); ${bmcWhy}`, logTail: logTail(proof.log) };
}

// ---------------------------------------------------------------------------------------------
// (a) The unit against the independent reference.

/**
 * How many steps the outputs must agree before the step that is proven (the induction's length k):
 * the accumulator and the flags are outputs, so one step covers a unit without pipeline; each of the
 * p stages adds one, so that every beat in flight at the first step has entered at a step whose
 * inputs are shared, and with a float result 1 + q more, for that state to reach `res`. From there on, what is in flight is a function of the
 * inputs of the agreed steps, so a correct unit and reference cannot disagree; a shorter induction
 * can fail on pipeline contents that no input sequence produces.
 */
export function inductionLength(cfg: MacConfig): number {
  return cfg.pipeline + (cfg.result ? cfg.resultPipeline + 1 : 0) + 1;
}

/**
 * Step 1 of the reference proof: the miter of `ref.v` (gold) and `unit.v` (gate), both with top
 * `top`, flattened, with every flip-flop turned inside out (`expose -evert-dff`): its Q becomes an
 * input `X.q` and its D an output `X.d`. What is left, module `miter`, is one clock step as a
 * combinational function: (state, inputs) → (next state, trigger), where trigger = some output of
 * the two designs differs in this state. Nothing sequential may be left in it.
 */
export function miterScript(top: string): string {
  const side = (file: string, as: string) => [
    // The unit may be an --arch one (LUT6_2, CARRY4/CARRY8): the models become logic on flattening.
    ...(as === 'gate' ? ['read_verilog +/xilinx/cells_sim.v'] : []),
    `read_verilog -noautowire ${file}`,
    `prep -top ${top}`,
    // mac_ref keeps its pipeline in an array; memory_map makes it flip-flops.
    'memory_map',
    'flatten',
    `rename ${top} ${as}`,
    `design -stash ${as}`,
  ];
  return [
    ...side('ref.v', 'gold'),
    ...side('unit.v', 'gate'),
    'design -copy-from gold -as gold gold',
    'design -copy-from gate -as gate gate',
    'miter -equiv -flatten -make_outputs gold gate miter',
    'hierarchy -top miter',
    'async2sync',
    // enables and synchronous resets become logic in front of plain $dff cells
    'dffunmap',
    // one name per net, so that each flip-flop is exposed once
    'opt_clean -purge',
    'expose -evert-dff t:$dff',
    'opt_clean',
    'select -assert-none t:$*ff* t:$*latch* t:$mem*',
    'write_verilog -noattr miter.v',
    'write_json ports.json',
    '',
  ].join('\n');
}

/** The exposed register names (`X` of `X.q`/`X.d`) and the inputs of the miter module (write_json). */
export function miterPorts(json: string): { state: string[]; inputs: { name: string; width: number }[]; widths: Map<string, number> } {
  const ports = (JSON.parse(json) as { modules: Record<string, { ports: Record<string, { direction: string; bits: unknown[] }> }> }).modules.miter.ports;
  const widths = new Map(Object.entries(ports).map(([n, p]) => [n, p.bits.length]));
  const state = Object.keys(ports).filter((n) => n.endsWith('.q') && ports[n].direction === 'input').map((n) => n.slice(0, -2)).sort();
  for (const x of state) if (ports[`${x}.d`]?.direction !== 'output') throw new Error(`register ${x} has no exposed D`);
  const inputs = Object.keys(ports).filter((n) => n.startsWith('in_') && n !== 'in_clk' && ports[n].direction === 'input').sort().map((name) => ({ name, width: widths.get(name)! }));
  return { state, inputs, widths };
}

const esc = (name: string) => (/^[A-Za-z_][A-Za-z0-9_$]*$/.test(name) ? name : `\\${name} `);

/**
 * Step 2: module `frames`, the k-induction unrolled into one combinational circuit of copies of
 * `miter`, each copy's next state wired into the next copy's state. Two chains of k + 1 steps:
 * - base: any state, `rst` at step 1; `bad_base` = an output differs at any of steps 2 … k+1;
 * - step: any state, any inputs; `bad_step` = the outputs agree at steps 1 … k but not at k+1.
 * Both 0 for every input and start state is the proof (k-induction: the base case covers the first
 * k+1 steps from reset, the step every later one).
 */
export function framesVerilog(ports: ReturnType<typeof miterPorts>, k: number): string {
  // The free values (start states and every step's inputs) are ports of `frames`, never undriven
  // wires: a pass may read an undriven wire as x and then choose its value.
  const free: string[] = [];
  const body: string[] = [];
  const width = (n: string) => ports.widths.get(n)!;
  const chain = (c: string, rstFirst: boolean) => {
    for (const x of ports.state) free.push(`input [${width(`${x}.q`) - 1}:0] ${esc(`${c}0.${x}`)}`);
    for (let f = 1; f <= k + 1; f++) {
      for (const p of ports.inputs) if (!(p.name === 'in_rst' && rstFirst && f === 1)) free.push(`input [${p.width - 1}:0] ${esc(`${c}${f}.${p.name}`)}`);
      for (const x of ports.state) body.push(`  wire [${width(`${x}.d`) - 1}:0] ${esc(`${c}${f}.${x}`)};`);
      body.push(`  wire ${c}_trig${f};`);
      const conns = [
        ...ports.inputs.map((p) => `.${esc(p.name)}(${p.name === 'in_rst' && rstFirst && f === 1 ? "1'b1" : esc(`${c}${f}.${p.name}`)})`),
        ".in_clk(1'b0)",
        ...ports.state.map((x) => `.${esc(`${x}.q`)}(${esc(`${c}${f - 1}.${x}`)})`),
        ...ports.state.map((x) => `.${esc(`${x}.d`)}(${esc(`${c}${f}.${x}`)})`),
        `.trigger(${c}_trig${f})`,
      ];
      body.push(`  miter ${c}_m${f} (${conns.join(', ')});`);
    }
  };
  chain('b', true);
  chain('s', false);
  const trig = (c: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${c}_trig${from + i}`).join(' | ');
  return [
    `module frames(${[...free, 'output bad_base', 'output bad_step'].join(',\n  ')});`,
    ...body,
    `  assign bad_base = ${trig('b', 2, k + 1)};`,
    `  assign bad_step = !(${trig('s', 1, k)}) && s_trig${k + 1};`,
    'endmodule',
    '',
  ].join('\n');
}

/**
 * Step 3: the proof over `frames`: flattened to gates, its logic swept by ABC's SAT sweeping
 * (`&fraig`: nodes equal for every input are merged, across the two designs and the steps, which
 * is what makes equal datapaths built differently, and pipelined differently, cheap to prove),
 * then Yosys's SAT solver proves both bad outputs 0 (the base case first).
 */
export function framesProofScript(): string {
  return [
    'read_verilog -noautowire miter.v',
    'read_verilog frames.v',
    'hierarchy -top frames',
    // write_verilog writes some cells ($pmux…) as functions: their processes must become logic,
    // or their results would be undriven, that is free, and a proof could fail where nothing differs
    'proc',
    'flatten',
    // nothing undriven, nothing combinational looping: every value is a function of the free ports
    'check -assert',
    'opt -fast',
    'techmap',
    'opt -fast',
    'abc -g AND -script +strash;&get,-n;&fraig;&put;map',
    'opt_clean',
    'sat -verify -prove bad_base 0 -show-inputs frames',
    'sat -verify -prove bad_step 0 -show-inputs frames',
    '',
  ].join('\n');
}

/** Options of {@link proveReference}: the time limit (seconds) and the reference Verilog (default: bench/reference for the config). */
export interface ReferenceProofOptions {
  readonly timeoutS?: number;
  readonly reference?: string;
  /** Run in this pool (its own time limit per run) instead of a child process of the proof's own. */
  readonly pool?: YosysPool;
}

/**
 * Prove the unit `verilog` of `cfg` equal to the independent reference. PROVEN: for every register
 * state of both designs in which their outputs agreed for the induction length, and every input,
 * the outputs agree on the next step too; and from reset they agree on every step. FAILED: a trace
 * where an output differs, from reset (base case) or from a state where the outputs agreed for the
 * full induction length (a state the property covers; whether it is reachable from reset is not
 * shown). UNKNOWN: Yosys failed or the time limit passed.
 */
export async function proveReference(cfg: MacConfig, verilog: string, opts: ReferenceProofOptions = {}): Promise<FormalResult> {
  const s = solver({ 'ref.v': opts.reference ?? referenceVerilog(cfg), 'unit.v': verilog }, opts.timeoutS ?? 600, opts.pool);
  try {
    return await referenceVerdict(cfg, s.run, s.secs);
  } finally {
    await s.close();
  }
}

async function referenceVerdict(cfg: MacConfig, run: Solver['run'], secs: () => number): Promise<FormalResult> {
  const k = inductionLength(cfg);
  const m = await run(miterScript(cfg.name), ['miter.v', 'ports.json']);
  if (m instanceof Error) return { result: 'UNKNOWN', seconds: secs(), detail: `proof did not finish: ${m.message}`, logTail: '' };
  if (m.code !== 0 || !m.outputs['miter.v'] || !m.outputs['ports.json']) {
    const why = /ERROR: (.*)/.exec(m.log)?.[1] ?? `yosys exited with code ${m.code}`;
    return { result: 'UNKNOWN', seconds: secs(), detail: `the miter could not be built: ${why}`, logTail: logTail(m.log) };
  }
  const ports = miterPorts(m.outputs['ports.json']);
  const r = await run(framesProofScript(), [], { 'miter.v': m.outputs['miter.v'], 'frames.v': framesVerilog(ports, k) });
  if (r instanceof Error) return { result: 'UNKNOWN', seconds: secs(), detail: `proof did not finish: ${r.message}`, logTail: '' };
  const proofs = [...r.log.matchAll(/SAT proof finished - (no model found: SUCCESS|model found: FAIL)!/g)].map((x) => x[1].startsWith('no'));
  if (r.code === 0 && proofs.length === 2 && proofs.every(Boolean)) {
    return {
      result: 'PROVEN',
      seconds: secs(),
      detail: `equal to the reference for every state and input: ${k}-induction over all outputs (${ports.state.length} registers), base case from reset`,
      logTail: logTail(r.log),
    };
  }
  if (proofs[0] === false) {
    return { result: 'FAILED', seconds: secs(), detail: `an output differs from the reference within ${k} steps after reset (trace below: inputs b<step>.in_*)`, logTail: logTail(r.log, 80) };
  }
  if (proofs[0] === true && proofs[1] === false) {
    return {
      result: 'FAILED',
      seconds: secs(),
      detail: `an output differs from the reference one step after a state where every output agreed for ${k} steps (trace below: the state is s0.*, the inputs s<step>.in_*); from reset no output differs within ${k} steps, so reaching that state may take longer`,
      logTail: logTail(r.log, 80),
    };
  }
  const why = /ERROR: (.*)/.exec(r.log)?.[1] ?? `yosys exited with code ${r.code}`;
  return { result: 'UNKNOWN', seconds: secs(), detail: `not proven: ${why}`, logTail: logTail(r.log) };
}

// ---------------------------------------------------------------------------------------------
// `verify --formal`: both proofs.

/** One proof of `verify --formal`: which property, on what, and its result. */
export interface FormalProof extends FormalResult {
  /** `reference`: the unit equals bench/reference; `netlist`: the xc7 netlist equals the unit's RTL. */
  readonly property: 'reference' | 'netlist';
  /** For `netlist`: the file given, or `synthesized (xc7)`. */
  readonly netlist?: string;
}

/** What `verify --formal` reports: PROVEN only when every proof is, FAILED when any failed, else UNKNOWN. */
export interface FormalReport {
  readonly unit: string;
  readonly result: FormalVerdict;
  readonly seconds: number;
  readonly proofs: readonly FormalProof[];
}

/** The xc7 netlist of a unit, synthesized now by synth's own script (`synth --target xc7 --write-netlist`). */
async function synthesizeNetlist(top: string, verilog: string, timeoutS: number): Promise<string | Error> {
  const s = solver({ 'unit.v': verilog }, timeoutS);
  const r = await s.run(synthScript('unit.v', top, target('xc7'), false, true), [NETLIST_OUTPUT]).finally(s.close);
  if (r instanceof Error) return r;
  const text = r.outputs[NETLIST_OUTPUT];
  if (r.code !== 0 || !text) return new Error(/ERROR: (.*)/.exec(r.log)?.[1] ?? `yosys exited with code ${r.code}`);
  return text;
}

/**
 * `verify --formal`: prove the unit equal to the reference, then its xc7 netlist equal to its RTL:
 * the netlist given (`netlist`), or else one synthesized now. One time limit for all of it.
 */
export async function proveUnit(
  cfg: MacConfig,
  verilog: string,
  netlist: { file: string; verilog: string } | null,
  opts: { timeoutS?: number } = {},
): Promise<FormalReport> {
  const started = Date.now();
  const limit = opts.timeoutS ?? 900;
  const left = () => Math.max(0, limit - (Date.now() - started) / 1000);
  const proofs: FormalProof[] = [{ property: 'reference', ...(await proveReference(cfg, verilog, { timeoutS: left() })) }];
  const file = netlist?.file ?? 'synthesized (xc7)';
  const t = Date.now();
  const text = netlist ? netlist.verilog : await synthesizeNetlist(cfg.name, verilog, left());
  if (text instanceof Error) {
    const seconds = Math.round((Date.now() - t) / 10) / 100;
    proofs.push({ property: 'netlist', netlist: file, result: 'UNKNOWN', seconds, detail: `the xc7 netlist could not be synthesized: ${text.message}`, logTail: '' });
  } else {
    proofs.push({ property: 'netlist', netlist: file, ...(await proveNetlist(cfg.name, verilog, text, { timeoutS: left() })) });
  }
  const result: FormalVerdict = proofs.every((p) => p.result === 'PROVEN') ? 'PROVEN' : proofs.some((p) => p.result === 'FAILED') ? 'FAILED' : 'UNKNOWN';
  return { unit: cfg.name, result, seconds: Math.round((Date.now() - started) / 10) / 100, proofs };
}

/** The text of a formal report: the verdict line, one line per proof, and the log tail of each proof not PROVEN. */
export function formatFormalReport(r: FormalReport): string {
  const what = (p: FormalProof) => (p.property === 'reference' ? 'unit = reference (bench/reference)' : `netlist ${p.netlist} = RTL`);
  const lines = [`${r.result} ${r.unit} (formal, ${r.proofs.length} proofs, ${r.seconds} s)`];
  for (const p of r.proofs) lines.push(`  ${what(p)}: ${p.result}, ${p.detail} (${p.seconds} s)`);
  for (const p of r.proofs) if (p.result !== 'PROVEN' && p.logTail) lines.push(`--- ${what(p)}: log tail ---`, p.logTail);
  return lines.join('\n') + '\n';
}
