/** Pieces shared by the synth, sweep and merge commands: the engine flag and the printed table. */
import { shown, UsageError } from '../generators/util/errors.ts';
import type { SynthRecord } from './synth.ts';
import { yosysVersion, type YosysEngine } from '../generators/util/yosys.ts';

/** The `--yosys` flag: wasm (default) or native; anything else is bad input. */
export function engineFlag(v: string | true | undefined): YosysEngine {
  if (v === undefined) return 'wasm';
  if (v === 'wasm' || v === 'native') return v;
  throw new UsageError(`Yosys build must be wasm or native, not '${String(v)}'`, '--yosys');
}

/** The engine's version string; a missing native Yosys is bad input on --yosys. */
export async function resolveEngine(engine: YosysEngine): Promise<string> {
  try {
    return await yosysVersion(engine);
  } catch (e) {
    throw new UsageError((e as Error).message, '--yosys');
  }
}

function byName(m: Readonly<Record<string, number>>): string {
  const parts = Object.entries(m).map(([k, n]) => `${k} ${n}`);
  return parts.length ? parts.join(', ') : 'none';
}

/** The human-readable table `npm run synth` prints for a record. */
export function formatRecord(r: SynthRecord): string {
  const head =
    `unit     ${r.name}\n` +
    `formats  a=${r.activation.spec} w=${r.weight.spec}, product ${r.productWidth} bits, accumulator ${r.accWidth} bits (frac ${r.accFrac})\n` +
    `target   ${r.target}${r.dsp ? ' (DSPs allowed)' : ' (LUT-only)'}, ${r.yosysVersion} [${r.engine}]\n` +
    `arch     ${r.arch === 'generic' || r.arch === undefined ? 'generic (portable RTL; Yosys maps the arithmetic)' : `${r.arch} (adders of LUT6_2 and ${r.arch === 'xc7' ? 'CARRY4' : 'CARRY8'} instantiated)`}\n`;
  if (!r.ok) return head + `FAILED   ${r.error}\n`;
  const c = r.counts;
  const carry = Object.entries(c.cells).filter(([k]) => /CARRY|CCU2/.test(k));
  const lines = [
    r.target === 'gates' ? `gates    ${c.gates}` : `LUT      ${c.lut}  (${byName(c.lutBySize)})`,
    `FF       ${c.ff}`,
    `carry    ${c.carry}${carry.length ? `  (${byName(Object.fromEntries(carry))})` : ''}`,
    `mux      ${byName(c.mux)}`,
    `DSP      ${c.dsp}`,
  ];
  if (c.srl) lines.push(`SRL      ${c.srl}`);
  lines.push(`depth    ${c.depth} logic levels (mapped cells on the longest register/port to register/port path)`);
  return head + lines.join('\n') + '\n';
}

/** Longest run name: the folder name plus its temporary-sibling suffix must fit in 255 bytes. */
export const MAX_RUN_NAME = 200;

/**
 * Check a report folder name: one plain path component, so the folder it names is always a child
 * of --out (never `.`, `..`, empty, with a separator, or hidden like `.cache` and temporary folders).
 */
export function checkRunName(name: string, flag = '--run'): string {
  if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(name)) {
    throw new UsageError(`run name must be letters, digits, '.', '_' or '-' (not starting with '.'), not ${shown(name)}`, flag);
  }
  if (name.length > MAX_RUN_NAME) throw new UsageError(`run name must be at most ${MAX_RUN_NAME} characters, not ${name.length}`, flag);
  return name;
}

/** The report folder name: --run when given (checked), else `<local date>-<target>[-shard-i-of-n]`. */
export function runName(given: string | undefined, target: string, shard: { index: number; count: number } | null): string {
  if (given !== undefined) return checkRunName(given);
  const d = new Date();
  const date = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  return `${date}-${target}${shard ? `-shard-${shard.index}-of-${shard.count}` : ''}`;
}
