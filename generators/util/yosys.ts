/**
 * One entry point to Yosys: the `@yowasp/yosys` WebAssembly build (default) or a native
 * `yosys` on PATH. Each call is a fresh Yosys process with its own virtual file system, so
 * designs never share state (several designs in one session give order-dependent counts).
 */
import { runYosys as runWasm, version as wasmVersion } from '@yowasp/yosys';
import { execa } from 'execa';
import { runTool } from './deadline.ts';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Which Yosys build runs a script. */
export type YosysEngine = 'wasm' | 'native';

/** The outcome of one Yosys run: exit code, the full log, and requested output files. */
export interface YosysResult {
  readonly code: number;
  readonly log: string;
  readonly outputs: Record<string, string>;
}

/** The version string of an engine (`0.55.944` for wasm; `yosys -V` for native). */
export async function yosysVersion(engine: YosysEngine = 'wasm'): Promise<string> {
  if (engine === 'wasm') return `yowasp-yosys ${wasmVersion}`;
  const r = await execa('yosys', ['-V'], { reject: false });
  if (r.exitCode !== 0) throw new Error('native yosys not found on PATH (install it, or use --yosys wasm)');
  return r.stdout.trim();
}

/**
 * Run a Yosys script on input files. `outputs` names files the script writes (e.g. with
 * `tee -o stat.txt`) to read back. Never throws on a Yosys error: check `code`.
 */
export async function runYosysScript(
  inputs: Record<string, string>,
  script: string,
  outputs: readonly string[] = [],
  engine: YosysEngine = 'wasm',
): Promise<YosysResult> {
  return engine === 'wasm' ? runInWasm(inputs, script, outputs) : runNative(inputs, script, outputs);
}

async function runInWasm(inputs: Record<string, string>, script: string, outputs: readonly string[]): Promise<YosysResult> {
  let log = '';
  const sink = (b: Uint8Array | null) => {
    if (b) log += Buffer.from(b).toString('utf8');
  };
  const files = { ...inputs, 'script.ys': script };
  let tree: Record<string, unknown>;
  let code = 0;
  try {
    tree = ((await runWasm(['-s', 'script.ys'], files, { stdout: sink, stderr: sink })) ?? {}) as Record<string, unknown>;
  } catch (e) {
    const ex = e as { code?: number; files?: Record<string, unknown> };
    if (typeof ex.code !== 'number') throw e;
    code = ex.code;
    tree = ex.files ?? {};
  }
  const out: Record<string, string> = {};
  for (const o of outputs) {
    const v = tree[o];
    if (typeof v === 'string') out[o] = v;
    else if (v instanceof Uint8Array) out[o] = Buffer.from(v).toString('utf8');
  }
  return { code, log, outputs: out };
}

async function runNative(inputs: Record<string, string>, script: string, outputs: readonly string[]): Promise<YosysResult> {
  const dir = mkdtempSync(join(tmpdir(), 'minimac-yosys-'));
  try {
    for (const [n, c] of Object.entries(inputs)) writeFileSync(join(dir, n), c);
    writeFileSync(join(dir, 'script.ys'), script);
    const r = await runTool('yosys', ['-s', 'script.ys'], dir);
    const out: Record<string, string> = {};
    for (const o of outputs) if (existsSync(join(dir, o))) out[o] = readFileSync(join(dir, o), 'utf8');
    return { code: r.exitCode ?? 1, log: r.all ?? '', outputs: out };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
