/**
 * generate(): a MacConfig in, the unit's files out (Verilog, manifest, Vivado Tcl and XDC,
 * FuseSoC core). Pure: the same configuration always gives byte-identical files.
 */
import type { MacConfig } from './config/mac-config.ts';
import type { Format } from './formats/format.ts';
import { buildModules, topPorts } from './rtl/datapath.ts';
import { renderModule, template } from './rtl/verilog.ts';
import { GENERATOR } from './util/about.ts';

/** The generator's name and version, as the manifest records them (one source: util/about.ts). */
export { GENERATOR };

/** The out-of-context clock period written into the XDC, in ns. */
export const OOC_PERIOD_NS = 2.5;

/** A format as the manifest describes it (contract §3). */
export function formatJson(f: Format): Record<string, unknown> {
  if (f.kind === 'int') {
    return { spec: f.spec, kind: 'int', bits: f.bits, signed: f.signed, max: f.max, lsbExponent: 0 };
  }
  return {
    spec: f.spec,
    kind: 'float',
    bits: f.bits,
    exponentBits: f.exponentBits,
    mantissaBits: f.mantissaBits,
    bias: f.bias,
    specials: f.specials,
    max: f.max,
    minNormal: f.minNormal,
    minSubnormal: f.minSubnormal,
    lsbExponent: f.lsbExponent,
  };
}

/** The manifest `<name>.json` (contract §3 fields plus what the harness and synthesis read). */
export interface Manifest {
  name: string;
  top: string;
  generator: { name: string; version: string };
  activation: Record<string, unknown>;
  weight: Record<string, unknown>;
  product: { width: number; frac: number };
  accumulator: { width: number; frac: number; round: string; overflow: string };
  pipeline: number;
  latency: number;
  lanes: number;
  len: number;
  flags: boolean;
  datapath: { alignShift: number; alignedWidth: number; contributionWidth: number };
  /** The flags that regenerate exactly this unit. */
  request: Record<string, string | number>;
  ports: { name: string; dir: 'in' | 'out'; width: number }[];
  files: string[];
}

/** The canonical request: the flags that give back this configuration. */
export function canonicalRequest(cfg: MacConfig): Record<string, string | number> {
  const r: Record<string, string | number> = {
    afmt: cfg.a.spec,
    wfmt: cfg.w.spec,
    acc: cfg.accWidth,
    accFrac: cfg.accFrac,
    accRound: cfg.accRound,
    overflow: cfg.overflow,
    pipeline: cfg.pipeline,
    lanes: cfg.lanes,
  };
  if (!cfg.defaultName) r.name = cfg.name;
  return r;
}

/** File names of a unit, in the order they are listed in the manifest. */
export function unitFileNames(name: string): { verilog: string; manifest: string; tcl: string; xdc: string; core: string } {
  return { verilog: `${name}.v`, manifest: `${name}.json`, tcl: `${name}.tcl`, xdc: `${name}_ooc.xdc`, core: `${name}.core` };
}

/** A one-line description of a configuration. */
export function summaryLine(cfg: MacConfig): string {
  return (
    `a=${cfg.a.spec} w=${cfg.w.spec} lanes=${cfg.lanes} product=${cfg.productWidth}b@2^${cfg.productLsb} ` +
    `acc=${cfg.accWidth}b@2^${-cfg.accFrac} ${cfg.accRound} ${cfg.overflow} pipeline=${cfg.pipeline}`
  );
}

/** Build the manifest of a configuration. */
export function buildManifest(cfg: MacConfig): Manifest {
  const names = unitFileNames(cfg.name);
  return {
    name: cfg.name,
    top: cfg.name,
    generator: { ...GENERATOR },
    activation: formatJson(cfg.a),
    weight: formatJson(cfg.w),
    product: { width: cfg.productWidth, frac: cfg.productFrac },
    accumulator: { width: cfg.accWidth, frac: cfg.accFrac, round: cfg.accRound, overflow: cfg.overflow },
    pipeline: cfg.pipeline,
    latency: cfg.latency,
    lanes: cfg.lanes,
    len: cfg.len,
    flags: cfg.hasFlags,
    datapath: { alignShift: cfg.alignShift, alignedWidth: cfg.alignedWidth, contributionWidth: cfg.contributionWidth },
    request: canonicalRequest(cfg),
    ports: topPorts(cfg).map((p) => ({ name: p.name, dir: p.dir === 'input' ? 'in' : 'out', width: p.width })),
    files: [names.verilog, names.manifest, names.tcl, names.xdc, names.core],
  };
}

/** The Verilog source of a unit: all its modules in one file. */
export function generateVerilog(cfg: MacConfig): string {
  const [top, ...subs] = buildModules(cfg);
  return template('unit.v.hbs')({
    name: cfg.name,
    generator: GENERATOR.name,
    version: GENERATOR.version,
    summary: summaryLine(cfg),
    top: renderModule(top),
    submodules: subs.map(renderModule),
  });
}

/** Every file of a unit, by file name, plus the manifest object. */
export function generateUnit(cfg: MacConfig): { files: Map<string, string>; manifest: Manifest } {
  const n = unitFileNames(cfg.name);
  const manifest = buildManifest(cfg);
  const ctx = {
    name: cfg.name,
    version: GENERATOR.version,
    summary: summaryLine(cfg),
    verilog: n.verilog,
    xdc: n.xdc,
    period: OOC_PERIOD_NS.toFixed(3),
    mhz: (1000 / OOC_PERIOD_NS).toFixed(0),
  };
  const files = new Map<string, string>([
    [n.verilog, generateVerilog(cfg)],
    [n.manifest, JSON.stringify(manifest, null, 2) + '\n'],
    [n.tcl, template('vivado.tcl.hbs')(ctx)],
    [n.xdc, template('ooc.xdc.hbs')(ctx)],
    [n.core, template('unit.core.hbs')(ctx)],
  ]);
  return { files, manifest };
}
