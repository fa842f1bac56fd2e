/**
 * `verify --unit DIR`: read an existing unit folder (its manifest `<name>.json` and its Verilog
 * `<top>.v`, where `files` lists it or else beside the manifest) into a MacConfig and the RTL to
 * check. Only the contract fields of the manifest (CONTRACT §3) are read, so a hand-written unit
 * whose manifest minimac did not write works too; `ports` and `latency` are checked against what
 * that configuration implies. Every problem is bad input naming `--unit` and the field.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { MacConfig } from '../generators/config/mac-config.ts';
import { topPorts } from '../generators/rtl/top.ts';
import { shown, UsageError } from '../generators/util/errors.ts';

const FLAG = '--unit';

/** A unit folder read for verification: the configuration, the RTL and where they came from. */
export interface UnitDir {
  readonly cfg: MacConfig;
  readonly verilog: string;
  readonly manifestPath: string;
  readonly verilogPath: string;
}

/** Which manifest field each MacConfig flag comes from, to name the field in its errors. */
const FIELD_OF_FLAG: Readonly<Record<string, string>> = {
  '--afmt': 'activation.spec',
  '--wfmt': 'weight.spec',
  '--acc': 'accumulator.width',
  '--acc-frac': 'accumulator.frac',
  '--acc-round': 'accumulator.round',
  '--overflow': 'accumulator.overflow',
  '--pipeline': 'pipeline',
  '--lanes': 'lanes',
  '--name': 'top',
  '--result': 'result.spec',
  '--result-overflow': 'result.overflow',
  '--result-pipeline': 'result.pipeline',
};

function bad(message: string): UsageError {
  return new UsageError(message, FLAG);
}

/** A value as a field error shows it: its JSON text (`"16"`, `16.5`, `null`), kept short. */
function json(v: unknown): string {
  const t = v === undefined ? 'missing' : JSON.stringify(v);
  return t.length > 40 ? `${t.slice(0, 37)}...` : t;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value at a dotted path, checking that each step on the way is an object. */
function field(m: Obj, path: string): unknown {
  const parts = path.split('.');
  let cur: unknown = m;
  for (let i = 0; i < parts.length; i++) {
    if (!isObj(cur)) throw bad(`manifest field ${parts.slice(0, i).join('.')} must be an object, not ${json(cur)}`);
    if (!Object.hasOwn(cur, parts[i])) throw bad(`manifest lacks the contract field ${parts.slice(0, i + 1).join('.')}`);
    cur = cur[parts[i]];
  }
  return cur;
}

function str(m: Obj, path: string): string {
  const v = field(m, path);
  if (typeof v !== 'string') throw bad(`manifest field ${path} must be a string, not ${json(v)}`);
  return v;
}

function int(m: Obj, path: string): number {
  const v = field(m, path);
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw bad(`manifest field ${path} must be an integer, not ${json(v)}`);
  return v;
}

/** The manifest of a folder: `<folder name>.json`, else the folder's only `.json` file. */
function findManifest(dir: string): string {
  const own = join(dir, `${basename(dir)}.json`);
  if (existsSync(own)) return own;
  const jsons = readdirSync(dir).filter((f) => f.endsWith('.json'));
  if (jsons.length === 1) return join(dir, jsons[0]);
  const why = jsons.length ? `${jsons.length} .json files and none named after the folder` : 'no .json file';
  throw bad(`unit folder ${shown(dir)} has no manifest: ${why} (expected <name>.json)`);
}

/** Read a unit folder into its configuration and Verilog (bad input names `--unit`). */
export function readUnitDir(dir: string): UnitDir {
  if (dir === '' || !existsSync(dir) || !statSync(dir).isDirectory()) throw bad(`unit folder ${shown(dir)} does not exist or is not a folder`);
  const manifestPath = findManifest(dir);
  let m: unknown;
  try {
    m = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch {
    throw bad(`manifest ${shown(basename(manifestPath))} is not JSON`);
  }
  if (!isObj(m)) throw bad(`manifest ${shown(basename(manifestPath))} must be a JSON object`);
  const top = Object.hasOwn(m, 'top') || !Object.hasOwn(m, 'name') ? str(m, 'top') : str(m, 'name');
  const request = {
    afmt: str(m, 'activation.spec'),
    wfmt: str(m, 'weight.spec'),
    acc: int(m, 'accumulator.width'),
    accFrac: int(m, 'accumulator.frac'),
    accRound: str(m, 'accumulator.round'),
    overflow: str(m, 'accumulator.overflow'),
    pipeline: int(m, 'pipeline'),
    lanes: int(m, 'lanes'),
    name: top,
    // the float result (contract §2): R's spec, the mode and q; the rest of the object is checked below
    ...(Object.hasOwn(m, 'result')
      ? { result: str(m, 'result.spec'), resultOverflow: str(m, 'result.overflow'), resultPipeline: int(m, 'result.pipeline') }
      : {}),
  };
  let cfg: MacConfig;
  try {
    cfg = new MacConfig(request);
  } catch (e) {
    if (e instanceof UsageError && Object.hasOwn(FIELD_OF_FLAG, e.flag)) throw bad(`manifest field ${FIELD_OF_FLAG[e.flag]}: ${e.message}`);
    throw e;
  }
  const latency = int(m, 'latency');
  if (latency !== cfg.latency) throw bad(`manifest field latency must be ${cfg.latency} (pipeline ${cfg.pipeline} + 1), not ${latency}`);
  if (cfg.result) {
    const resultLatency = int(m, 'result.latency');
    if (resultLatency !== cfg.resultLatency) {
      throw bad(`manifest field result.latency must be ${cfg.resultLatency} (pipeline ${cfg.pipeline} + 2 + result pipeline ${cfg.resultPipeline}), not ${resultLatency}`);
    }
  }
  checkPorts(cfg, field(m, 'ports'));
  const verilogPath = join(dir, verilogFile(m, top));
  if (!existsSync(verilogPath)) throw bad(`unit folder ${shown(dir)} has no Verilog file ${shown(verilogFile(m, top))} (named after top)`);
  return { cfg, verilog: readFileSync(verilogPath, 'utf8'), manifestPath, verilogPath };
}

/** The Verilog file: the `files` entry (optional) that is `<top>.v`, maybe in a subfolder; else `<top>.v`. */
function verilogFile(m: Obj, top: string): string {
  if (!Object.hasOwn(m, 'files')) return `${top}.v`;
  const files = m.files;
  if (!Array.isArray(files) || !files.every((f) => typeof f === 'string')) throw bad(`manifest field files must be an array of strings, not ${json(files)}`);
  return (files as string[]).find((f) => basename(f) === `${top}.v`) ?? `${top}.v`;
}

/** `ports` must list exactly the ports the configuration has (contract §2), in any order. */
function checkPorts(cfg: MacConfig, ports: unknown): void {
  if (!Array.isArray(ports)) throw bad(`manifest field ports must be an array, not ${json(ports)}`);
  const want = new Map(topPorts(cfg).map((p) => [p.name, { dir: p.dir === 'input' ? 'in' : 'out', width: p.width }]));
  const seen = new Set<string>();
  for (const p of ports as unknown[]) {
    if (!isObj(p) || typeof p.name !== 'string' || (p.dir !== 'in' && p.dir !== 'out') || typeof p.width !== 'number') {
      throw bad(`manifest field ports: each port must be {"name", "dir": "in"|"out", "width"}, not ${json(p)}`);
    }
    const w = want.get(p.name);
    if (!w) throw bad(`manifest field ports: ${shown(p.name)} is not a port of this configuration`);
    if (seen.has(p.name)) throw bad(`manifest field ports: ${shown(p.name)} is listed twice`);
    seen.add(p.name);
    if (p.dir !== w.dir || p.width !== w.width) {
      throw bad(`manifest field ports: ${p.name} must be ${w.dir} with width ${w.width}, not ${p.dir} with width ${json(p.width)}`);
    }
  }
  for (const [name, w] of want) if (!seen.has(name)) throw bad(`manifest field ports lacks ${name} (${w.dir}, width ${w.width})`);
}
