/**
 * The behavioural reference of bench:qor for a configuration: `mac_ref.v` (hand-written,
 * parameterized) and, for a unit with a float result, `conv_ref.v` on its acc and flags, wrapped
 * in a module with the unit's name and ports, so the same harness and the same synthesis script
 * can take either design.
 */
import { readFileSync } from 'node:fs';
import { projectFile } from '../../generators/util/paths.ts';
import type { MacConfig } from '../../generators/config/mac-config.ts';
import type { Format } from '../../generators/formats/format.ts';
import { topPorts } from '../../generators/rtl/top.ts';
import { renderInstance, renderModule } from '../../generators/rtl/verilog.ts';
import type { PortDesc } from '../../generators/rtl/module.ts';

const MAC_REF = readFileSync(projectFile('bench/reference/mac_ref.v'), 'utf8');
const CONV_REF = readFileSync(projectFile('bench/reference/conv_ref.v'), 'utf8');

const SPEC_CODE = { none: 0, fn: 1, ieee: 2, fnuz: 3 } as const;

function formatParams(side: 'A' | 'W', f: Format): [string, number][] {
  const kind = f.kind === 'float' ? 0 : f.signed ? 1 : 2;
  return [
    [`${side}_KIND`, kind],
    [`${side}_BITS`, f.bits],
    [`${side}_E`, f.exponentBits],
    [`${side}_M`, f.mantissaBits],
    [`${side}_SPEC`, SPEC_CODE[f.specials]],
  ];
}

/** The parameters that make mac_ref implement a configuration (all read from MacConfig). */
export function referenceParams(cfg: MacConfig): [string, number][] {
  return [
    ...formatParams('A', cfg.a),
    ...formatParams('W', cfg.w),
    ['P', cfg.productWidth],
    ['SHIFT', cfg.alignShift],
    ['RNE', cfg.accRound === 'rne' ? 1 : 0],
    ['SAT', cfg.overflow === 'sat' ? 1 : 0],
    ['ACC_W', cfg.accWidth],
    ['LANES', cfg.lanes],
    ['PIPE', cfg.pipeline],
  ];
}

/** The parameters that make conv_ref convert this unit's accumulator into its result format (none without a result). */
export function referenceResultParams(cfg: MacConfig): [string, number][] {
  const r = cfg.result;
  if (!r) return [];
  return [
    ['ACC_W', cfg.accWidth],
    ['FRAC', cfg.accFrac],
    ['R_E', r.exponentBits],
    ['R_M', r.mantissaBits],
    ['R_BIAS', r.bias],
    ['R_SPEC', SPEC_CODE[r.specials]],
    ['SAT', cfg.resultOverflow === 'sat' ? 1 : 0],
    ['Q', cfg.resultPipeline],
  ];
}

const paramList = (ps: [string, number][]): string => ps.map(([k, v]) => `.${k}(${v})`).join(', ');

/** Verilog of the reference for a configuration: mac_ref (and conv_ref) plus a wrapper named like the unit. */
export function referenceVerilog(cfg: MacConfig): string {
  const ports = topPorts(cfg).map((p) => ({ ...p, reg: false }));
  const names = new Set(ports.map((p) => p.name));
  const conns = ['clk', 'rst', 'en', 'clr', 'a', 'w', 'acc', 'ovf', 'nan', 'pinf', 'ninf'].map((port) => ({
    port,
    signal: names.has(port) ? port : '',
  }));
  const body = renderInstance(`mac_ref #(${paramList(referenceParams(cfg))})`, 'u_ref', conns).split('\n');
  // conv_ref reads the registered acc and flags, as the unit's converter does.
  if (cfg.result) body.push(...convInstance(cfg, names));
  const wrapper = renderModule({ name: cfg.name, comment: `behavioural reference for ${cfg.name}`, ports, body });
  return cfg.result ? `${MAC_REF}\n${CONV_REF}\n${wrapper}` : `${MAC_REF}\n${wrapper}`;
}

/** conv_ref's instance on the signals of `names` (clk, rst, acc, the flags, res); a missing flag is 0. */
function convInstance(cfg: MacConfig, names: ReadonlySet<string>): string[] {
  const conns = ['clk', 'rst', 'acc', 'nan', 'pinf', 'ninf', 'res'].map((port) => ({ port, signal: names.has(port) ? port : "1'b0" }));
  return renderInstance(`conv_ref #(${paramList(referenceResultParams(cfg))})`, 'u_conv', conns).split('\n');
}

/**
 * The reference converter alone, for bench:qor to price against the generated `<name>__res`: conv_ref
 * in a module named `name` with the generated converter's ports (clk, rst, acc, the flags if any, res).
 */
export function referenceConverterVerilog(cfg: MacConfig, name: string): string {
  const r = cfg.result;
  if (!r) throw new Error(`${cfg.name} has no float result to convert`);
  const ports: PortDesc[] = [
    { name: 'clk', dir: 'input', width: 1 },
    { name: 'rst', dir: 'input', width: 1 },
    { name: 'acc', dir: 'input', width: cfg.accWidth },
    ...(cfg.hasFlags ? ['nan', 'pinf', 'ninf'].map((n): PortDesc => ({ name: n, dir: 'input', width: 1 })) : []),
    { name: 'res', dir: 'output', width: r.bits },
  ];
  const body = convInstance(cfg, new Set(ports.map((p) => p.name)));
  return `${CONV_REF}\n${renderModule({ name, comment: `behavioural reference converter for ${cfg.name}`, ports, body })}`;
}
