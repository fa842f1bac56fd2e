/**
 * `verify --netlist FILE --unit DIR [--lib FILE…]`: a post-synthesis netlist and the cell models
 * it needs. The netlist is read and checked here (its top must be the manifest's top); the cell
 * libraries are Yosys's own (`+/xilinx/cells_sim.v`, `+/ecp5/cells_sim.v`, `+/ice40/cells_sim.v`,
 * picked by the netlist's cells when `--lib` is not given) or the user's files. Each simulator
 * preprocesses a library itself and compiles only the netlist's cells and the models those
 * instantiate ({@link preparedLibrary}).
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runTool } from '../generators/util/deadline.ts';
import { shown, UsageError } from '../generators/util/errors.ts';
import { userPath } from '../generators/util/paths.ts';
import type { Simulator } from './tools.ts';

/** A cell library: what the reports call it, its text (includes resolved) and the defines it is read with. */
export interface CellLib {
  /** `+/xilinx/cells_sim.v` for Yosys's own, else the path as given to `--lib`. */
  readonly name: string;
  readonly text: string;
  /** Preprocessor defines (`NAME` or `NAME=VALUE`) this library needs in a Verilog-2001 flow. */
  readonly defines: readonly string[];
}

/** A netlist to simulate in place of a unit's RTL, with its cell models. */
export interface Netlist {
  /** The path as the user gave it (reports and the reproduce line show it). */
  readonly file: string;
  readonly verilog: string;
  /** Cell types the netlist instantiates but does not define (`LUT6`, `FDRE`, `CCU2C`, …), sorted. */
  readonly cells: readonly string[];
  /** Libraries in the order given (the first one that defines a module wins); empty when no cell needs one. */
  readonly libs: readonly CellLib[];
  /** Whether the libraries were picked from the cells (no `--lib`). */
  readonly picked: boolean;
}

/** Cells to compile models of, and the libraries that hold them (a netlist's, or an `--arch` unit's primitives). */
export type CellModels = Pick<Netlist, 'cells' | 'libs'>;

/** The given cells with Yosys's `xilinx/cells_sim.v` as their library. */
async function xilinxModels(cells: readonly string[]): Promise<CellModels> {
  const name = '+/xilinx/cells_sim.v';
  const text = await yosysLibText(name);
  if (text === null) throw new Error(`Yosys's share folder has no ${name}`);
  return { cells: [...cells].sort(), libs: [{ name, text, defines: [] }] };
}

/** The Xilinx primitives an `--arch` unit may instantiate. */
const ARCH_CELLS: ReadonlySet<string> = new Set(['LUT6_2', 'CARRY4', 'CARRY8']);

/**
 * The models of the Xilinx primitives that a Verilog text instantiates without defining (an
 * `--arch` unit's), from Yosys's `xilinx/cells_sim.v`; null when it instantiates none.
 */
export async function primitiveModelsOf(verilog: string): Promise<CellModels | null> {
  const modules = modulesOf(stripVerilog(verilog));
  const defined = new Set(modules.map((m) => m.name));
  const cells = new Set<string>();
  for (const m of modules) for (const t of instanceTypes(m.text)) if (!defined.has(t) && ARCH_CELLS.has(t)) cells.add(t);
  return cells.size === 0 ? null : xilinxModels([...cells]);
}

/** Yosys's cell libraries that `verify --netlist` picks from, in order, with the defines each needs. */
export const YOSYS_LIBS: readonly { readonly name: string; readonly defines: readonly string[] }[] = Object.freeze([
  { name: '+/xilinx/cells_sim.v', defines: [] },
  { name: '+/ecp5/cells_sim.v', defines: [] },
  // Verilog-2001 has no default values on input ports, which iCE40's models give (`input I0 = 1'b0`)
  // unless this is defined. A port a netlist leaves unconnected then floats (X in Icarus), so it shows
  // as a mismatch rather than passing silently; Yosys's netlists connect the ports they use.
  { name: '+/ice40/cells_sim.v', defines: ['NO_ICE40_DEFAULT_ASSIGNMENTS'] },
]);

// ---------------------------------------------------------------------------------------------
// Reading Verilog text: comments and attributes out, modules and the cells they instantiate.

/**
 * Verilog with comments and `(* attributes *)` blanked (newlines kept, so line numbers stay) and
 * strings kept, so that a `module` or `endmodule` inside them cannot be taken for one.
 */
export function stripVerilog(text: string): string {
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  let out = '';
  let i = 0;
  while (i < text.length) {
    const two = text.slice(i, i + 2);
    if (text[i] === '"') {
      // A string, escapes included, up to its closing quote (or the end of the line).
      let j = i + 1;
      while (j < text.length && text[j] !== '"' && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    // Where a comment or attribute ends (unterminated: at the end of the text); -1 when none starts here.
    // `(*` opens an attribute, except in `@(*)` (a sensitivity list), whose `*` is followed by `)`.
    const closer = two === '//' ? '\n' : two === '/*' ? '*/' : two === '(*' && text[i + 2] !== ')' ? '*)' : null;
    if (closer === null) {
      out += text[i];
      i++;
      continue;
    }
    const at = text.indexOf(closer, i + 2);
    const end = at < 0 ? text.length : closer === '\n' ? at : at + 2;
    out += blank(text.slice(i, end));
    i = end;
  }
  return out;
}

const IDENT = String.raw`(?:\\\S+|[A-Za-z_][A-Za-z0-9_$]*)`;

/** An identifier as a name: an escaped one (`\LUT6`, `\$__ABC9_LUT5`) without its backslash, which means the same. */
function plainName(id: string): string {
  return id.startsWith('\\') ? id.slice(1) : id;
}

/** One module of a file: its name, its body (header included), where it starts, and the `timescale` in force there. */
export interface ModuleText {
  readonly name: string;
  readonly text: string;
  readonly timescale: string | null;
}

/** The modules of stripped Verilog text, in file order. */
export function modulesOf(stripped: string): ModuleText[] {
  const out: ModuleText[] = [];
  const re = new RegExp(String.raw`(^|[\s;])(?:macro)?module\s+(${IDENT})|\x60timescale[^\n]*`, 'g');
  let timescale: string | null = null;
  let m: RegExpExecArray | null;
  while ((m = re.exec(stripped))) {
    if (m[0].startsWith('`')) {
      timescale = m[0].trim();
      continue;
    }
    const start = m.index + m[1].length;
    const end = /\bendmodule\b/g;
    end.lastIndex = re.lastIndex;
    const e = end.exec(stripped);
    const stop = e ? e.index + e[0].length : stripped.length;
    out.push({ name: plainName(m[2]), text: stripped.slice(start, stop), timescale });
    re.lastIndex = stop;
  }
  return out;
}

const KEYWORDS = new Set(
  ('always and assign begin buf bufif0 bufif1 case casex casez cmos deassign default defparam disable edge else end endcase ' +
    'endfunction endgenerate endmodule endprimitive endspecify endtable endtask event for force forever fork function generate genvar ' +
    'highz0 highz1 if ifnone initial inout input integer join large localparam macromodule medium module nand negedge nmos nor not ' +
    'notif0 notif1 or output parameter pmos posedge primitive pull0 pull1 pulldown pullup rcmos real realtime reg release repeat ' +
    'rnmos rpmos rtran rtranif0 rtranif1 scalared signed small specify specparam strong0 strong1 supply0 supply1 table task time ' +
    'tran tranif0 tranif1 tri tri0 tri1 triand trior trireg unsigned vectored wait wand weak0 weak1 while wire wor xnor xor automatic')
    .split(' '),
);

/**
 * The module types a module instantiates: `TYPE #(…) name (` or `TYPE name (` (an instance array's
 * `name [3:0] (` too), with Verilog's keywords and gate primitives left out.
 */
export function instanceTypes(moduleText: string): Set<string> {
  // Past the header: from the first `;` on (the port list ends with one).
  const body = moduleText.slice(moduleText.indexOf(';') + 1);
  // Whitespace must part the type from the name (or `#`), so `_34_ (` is never read as type `_34`, name `_`.
  const re = new RegExp(String.raw`(?:^|[\s;])(${IDENT})(?:\s*#\s*\(|\s+(${IDENT})\s*(?:\[[^\]]*\]\s*)?\()`, 'g');
  const out = new Set<string>();
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) {
    const type = plainName(m[1]);
    if (KEYWORDS.has(type) || (m[2] !== undefined && KEYWORDS.has(plainName(m[2])))) {
      re.lastIndex = m.index + m[0].length - 1; // go on from the `(`: `else if (` is not an instance
      continue;
    }
    out.add(type);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Yosys's share folder (inside @yowasp/yosys: small files are bundled in its resources module).

let share: Promise<Record<string, unknown>> | null = null;

/** The share folder of the wasm Yosys as its resources module holds it: folders as objects, files as text or file URLs. */
function yosysShare(): Promise<Record<string, unknown>> {
  share ??= (async () => {
    // Not in the package's exports: loaded by its path, beside the bundle that the exports name.
    const bundle = createRequire(import.meta.url).resolve('@yowasp/yosys');
    const mod = (await import(pathToFileURL(join(dirname(bundle), 'resources-yosys.js')).href)) as { filesystem: { share: Record<string, unknown> } };
    return mod.filesystem.share;
  })();
  return share;
}

/** A file of Yosys's share folder (`xilinx/cells_sim.v`), or null when there is none. */
async function shareFile(path: string): Promise<string | null> {
  let node: unknown = await yosysShare();
  for (const part of path.split('/')) {
    if (typeof node !== 'object' || node === null || node instanceof URL || !Object.hasOwn(node, part)) return null;
    node = (node as Record<string, unknown>)[part];
  }
  if (typeof node === 'string') return node;
  if (node instanceof URL) return readFileSync(node, 'utf8');
  if (node instanceof Uint8Array) return Buffer.from(node).toString('utf8');
  return null;
}

/**
 * A `+/…` library (Yosys's notation for its share folder) with its `include`s pasted in from the
 * same folder (ecp5/cells_sim.v includes cells_ff.vh and cells_io.vh), so it is one file on disk.
 */
async function yosysLibText(name: string, depth = 0): Promise<string | null> {
  const path = name.slice(2);
  const text = await shareFile(path);
  if (text === null || depth > 8) return text;
  const parts = text.split(/^([ \t]*`include[ \t]+"[^"]+"[^\n]*)$/m);
  for (let i = 1; i < parts.length; i += 2) {
    const inc = /"([^"]+)"/.exec(parts[i])![1];
    const sub = await yosysLibText(`+/${posix.join(posix.dirname(path), inc)}`, depth + 1);
    if (sub !== null) parts[i] = sub;
  }
  return parts.join('');
}

// ---------------------------------------------------------------------------------------------
// The command-line inputs.

/** A file named by a flag: read, or bad input naming the flag (missing, a folder, unreadable). */
function readFlagFile(path: string, what: string, flag: string): string {
  const abs = userPath(path);
  let isFile = false;
  try {
    isFile = path !== '' && statSync(abs).isFile();
  } catch {
    isFile = false;
  }
  if (!isFile) throw new UsageError(`${what} ${shown(path)} does not exist or is not a file`, flag);
  try {
    return readFileSync(abs, 'utf8');
  } catch (e) {
    throw new UsageError(`${what} ${shown(path)} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, flag);
  }
}

/** One `--lib` value: a file, or `+/DIR/FILE` in Yosys's share folder. */
async function readLib(given: string): Promise<CellLib> {
  if (given.startsWith('+/')) {
    const text = await yosysLibText(given);
    if (text === null) throw new UsageError(`cell library ${shown(given)} is not in Yosys's share folder (such as +/xilinx/cells_sim.v)`, '--lib');
    return { name: given, text, defines: YOSYS_LIBS.find((l) => l.name === given)?.defines ?? [] };
  }
  const text = readFlagFile(given, 'cell library', '--lib');
  if (text.trim() === '') throw new UsageError(`cell library ${shown(given)} is empty`, '--lib');
  return { name: given, text, defines: [] };
}

/** Names of the modules a library defines (read as written: every `ifdef` branch counts). */
function definedModules(lib: CellLib): Set<string> {
  return new Set(modulesOf(stripVerilog(lib.text)).map((m) => m.name));
}

/** A list of names for an error: the first six, then how many more. */
function nameList(names: readonly string[]): string {
  return names.length > 6 ? `${names.slice(0, 6).join(', ')} and ${names.length - 6} more` : names.join(', ');
}

/**
 * Read `--netlist FILE` for the unit whose top is `top`, with `--lib` files (none: Yosys's library
 * that defines every cell of the netlist). Every problem is bad input naming its flag.
 */
export async function readNetlist(file: string, top: string, libFlags: readonly string[]): Promise<Netlist> {
  const verilog = readFlagFile(file, 'netlist file', '--netlist');
  if (verilog.trim() === '') throw new UsageError(`netlist file ${shown(file)} is empty`, '--netlist');
  return netlistOf(file, verilog, top, libFlags);
}

/** A netlist's text (`file` names it in reports) for the unit whose top is `top`: cells found, libraries read or picked. */
export async function netlistOf(file: string, verilog: string, top: string, libFlags: readonly string[]): Promise<Netlist> {
  const modules = modulesOf(stripVerilog(verilog));
  const own = modules.find((m) => m.name === top);
  if (!own) {
    const has = modules.length ? `its modules are ${nameList(modules.map((m) => m.name))}` : 'it has no module at all';
    throw new UsageError(`netlist ${shown(file)} has no module ${top} (the manifest's top): ${has}`, '--netlist');
  }
  // The cells: every type instantiated below the top that the netlist does not define itself.
  const defined = new Map(modules.map((m) => [m.name, m]));
  const cells = new Set<string>();
  const seen = new Set<string>([top]);
  const todo = [own];
  while (todo.length) {
    for (const t of instanceTypes(todo.pop()!.text)) {
      if (seen.has(t)) continue;
      seen.add(t);
      const m = defined.get(t);
      if (m) todo.push(m);
      else cells.add(t);
    }
  }
  const sorted = [...cells].sort();
  if (libFlags.length) {
    const libs: CellLib[] = [];
    for (const l of libFlags) libs.push(await readLib(l));
    const all = new Set(libs.flatMap((l) => [...definedModules(l)]));
    const missing = sorted.filter((c) => !all.has(c));
    if (missing.length) throw new UsageError(`the netlist's cells ${nameList(missing)} have no model in the --lib files`, '--lib');
    return { file, verilog, cells: sorted, libs, picked: false };
  }
  if (sorted.length === 0) return { file, verilog, cells: sorted, libs: [], picked: true };
  const fits: CellLib[] = [];
  for (const y of YOSYS_LIBS) {
    const lib: CellLib = { name: y.name, text: (await yosysLibText(y.name))!, defines: y.defines };
    const has = definedModules(lib);
    if (sorted.every((c) => has.has(c))) fits.push(lib);
  }
  const known = YOSYS_LIBS.map((l) => l.name).join(', ');
  if (fits.length === 0) {
    throw new UsageError(
      `no Yosys cell library (${known}) models every cell of the netlist (${nameList(sorted)}): give the models with --lib FILE (for a Vivado netlist, the UNISIM library)`,
      '--lib',
    );
  }
  if (fits.length > 1) throw new UsageError(`the netlist's cells (${nameList(sorted)}) are in more than one Yosys library (${fits.map((l) => l.name).join(', ')}): choose one with --lib`, '--lib');
  return { file, verilog, cells: sorted, libs: fits, picked: true };
}

// ---------------------------------------------------------------------------------------------
// What a simulator compiles.

/**
 * The cell models a simulator compiles for a netlist, as one Verilog text. Each library is run
 * through that simulator's own preprocessor (with the library's defines), then only the netlist's
 * cells and, transitively, every library module their bodies name are kept, each after the
 * `timescale` in force where it was. A library holds hundreds of models a MAC's netlist never
 * instantiates (DSPs, RAMs, I/O, vendor aliases), some in constructs one simulator does not take:
 * ecp5's TRELLIS_COMB calls `$error` in a generate branch, which Icarus 11 rejects as a syntax
 * error. Names are an over-approximation (any identifier that names a library module keeps it),
 * so a model's helper is never lost. The first library defining a module wins.
 */
export async function preparedLibrary(sim: Simulator, netlist: CellModels, dir: string): Promise<string> {
  const mods = new Map<string, { text: string; timescale: string | null }>();
  for (const [i, lib] of netlist.libs.entries()) {
    const src = join(dir, `lib${i}.v`);
    writeFileSync(src, lib.text);
    const d = lib.defines.map((x) => `-D${x}`); // both preprocessors spell it so
    const out = join(dir, `lib${i}.pp.v`);
    const r =
      sim === 'verilator'
        ? await runTool('verilator', ['-E', '-P', ...d, src], dir)
        : await runTool('iverilog', ['-E', ...d, '-o', out, src], dir);
    if (r.exitCode !== 0) throw new Error(`${sim} could not preprocess the cell library ${lib.name}:\n${(r.all ?? '').slice(-2000)}`);
    const text = sim === 'verilator' ? r.stdout : readFileSync(out, 'utf8');
    for (const m of modulesOf(stripVerilog(text))) if (!mods.has(m.name)) mods.set(m.name, m);
  }
  const keep: string[] = [];
  const seen = new Set<string>();
  const todo = [...netlist.cells];
  while (todo.length) {
    const name = todo.shift()!;
    if (seen.has(name) || !mods.has(name)) continue;
    seen.add(name);
    keep.push(name);
    for (const id of mods.get(name)!.text.match(new RegExp(IDENT, 'g')) ?? []) if (mods.has(plainName(id)) && !seen.has(plainName(id))) todo.push(plainName(id));
  }
  return keep.map((n) => `${mods.get(n)!.timescale ?? ''}\n${mods.get(n)!.text}\n`).join('\n');
}

/** Whether the prepared library (or the netlist) defines Xilinx's `glbl`, which UNISIM models reference as a second root. */
export function hasGlbl(verilog: string): boolean {
  return modulesOf(stripVerilog(verilog)).some((m) => m.name === 'glbl');
}
