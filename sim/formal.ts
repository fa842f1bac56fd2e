/**
 * `verify --formal --netlist FILE --unit DIR`: prove with the SAT solver of the project's own
 * (wasm) Yosys that an xc7 netlist (synth --write-netlist) equals the unit's RTL. See the
 * "Formal: netlist = RTL" section of sim/README.md for what is proven and what is not.
 */
import { YosysPool } from '../synth/pool.ts';
import { logTail } from '../synth/synth.ts';
import type { YosysResult } from '../synth/yosys.ts';

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
  const limitMs = (opts.timeoutS ?? 300) * 1000;
  const steps = opts.bmcSteps ?? 12;
  const started = Date.now();
  const inputs = { 'rtl.v': rtl, 'netlist.v': netlist };
  const run = async (script: string): Promise<YosysResult | Error> => {
    const left = limitMs - (Date.now() - started);
    if (left <= 0) return new Error('time limit reached');
    // A child process, so that the time limit can kill the solver safely (see synth/pool.ts).
    const pool = new YosysPool(1, 'wasm', left, undefined, 'process');
    try {
      return await pool.run(inputs, script, []);
    } catch (e) {
      return e as Error;
    } finally {
      await pool.close();
    }
  };
  const secs = () => Math.round((Date.now() - started) / 10) / 100;
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
