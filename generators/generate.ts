/**
 * generate(): a MacConfig in, the unit's files out (Verilog, manifest, Vivado Tcl and XDC,
 * FuseSoC core, instantiation template). Pure: the same configuration always gives byte-identical files.
 */
import { primitiveCells } from './rtl/primitives.ts';
import type { MacConfig } from './config/mac-config.ts';
import type { Format } from './formats/format.ts';
import { buildModules } from './rtl/datapath.ts';
import { topPorts } from './rtl/top.ts';
import { renderInstance, renderModule, template } from './rtl/verilog.ts';
import { GENERATOR } from './util/about.ts';

/** The generator's name and version, as the manifest records them (one source: util/about.ts). */
export { GENERATOR };

/**
 * Input and output delays of the XDC, as a fraction of the clock period: the enclosing design's
 * register (clock-to-out, or setup) and routing take 20% of the cycle on each side of the unit.
 */
export const IO_DELAY_FRACTION = 0.2;

/** A format as the manifest describes it (contract §3). */
export function formatJson(f: Format): Record<string, unknown> {
  if (f.kind === 'int') {
    return { spec: f.spec, kind: 'int', bits: f.bits, signed: f.signed, max: f.max, maxExact: f.exact.max, lsbExponent: 0 };
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
    // The exact text of the three numbers above: JSON writes a double of 2^53 or more as the
    // shortest decimal that reads back as it, which an exact-integer reader takes for another value.
    maxExact: f.exact.max,
    minNormalExact: f.exact.minNormal,
    minSubnormalExact: f.exact.minSubnormal,
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
  /** The arithmetic layer: `generic` RTL, or `xc7`/`xcup` with the Xilinx primitives it instantiates. */
  arch: { name: string; primitives: string[] };
  /** The out-of-context timing the XDC sets, in ns. */
  clock: { port: 'clk'; period: number; inputDelay: number; outputDelay: number };
  /** The flags that regenerate exactly this unit. */
  request: Record<string, string | number>;
  ports: { name: string; dir: 'in' | 'out'; width: number }[];
  /** With `--result`: R's format fields, the mode, q and the latency p + 2 + q (contract §2). */
  result?: Record<string, unknown>;
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
    clockPeriod: cfg.clockPeriodNs,
  };
  if (cfg.arch !== 'generic') r.arch = cfg.arch;
  if (cfg.result) {
    r.result = cfg.result.spec;
    r.resultOverflow = cfg.resultOverflow;
    r.resultPipeline = cfg.resultPipeline;
  }
  if (!cfg.defaultName) r.name = cfg.name;
  return r;
}

/** File names of a unit, in the order they are listed in the manifest (the Verilog first). */
export function unitFileNames(name: string) {
  return {
    verilog: `${name}.v`,
    manifest: `${name}.json`,
    tcl: `${name}.tcl`,
    readTcl: `${name}_read.tcl`,
    xdc: `${name}_ooc.xdc`,
    oocTcl: `${name}_ooc.tcl`,
    core: `${name}.core`,
    inst: `${name}_inst.vh`,
  } as const;
}

/** The XDC's input and output delay in whole picoseconds. */
export function ioDelayPs(cfg: MacConfig): number {
  return Math.round(cfg.clockPeriodPs * IO_DELAY_FRACTION);
}

/** What each top port means, one line each (the `.v` header and the instantiation template). */
export function portMeaning(cfg: MacConfig, port: string): string {
  const lanes = (side: 'a' | 'w') => {
    const f = cfg[side];
    return cfg.lanes > 1 ? `, lane i at [i*${f.bits} +: ${f.bits}]` : '';
  };
  const meanings: Record<string, string> = {
    clk: 'clock, positive edge',
    rst: 'synchronous reset, active high, with priority: clears acc, the flags and every beat in flight',
    en: 'a beat: a and w are taken at this edge',
    clr: 'starts a new sum, travelling with the beat (with en: acc <- the beat; without: acc <- 0)',
    a: `activation code${cfg.lanes > 1 ? 's' : ''}, ${cfg.a.spec}${lanes('a')}`,
    w: `weight code${cfg.lanes > 1 ? 's' : ''}, ${cfg.w.spec}${lanes('w')}`,
    acc: `accumulator, registered, two's complement, value acc * 2^${-cfg.accFrac}`,
    ovf: 'sticky: an overflow since the last clear',
    nan: 'sticky: a NaN operand or inf * 0 since the last clear',
    pinf: 'sticky: a +inf product since the last clear',
    ninf: 'sticky: a -inf product since the last clear',
    res: cfg.result
      ? `acc and the flags as ${cfg.result.spec}, registered, RNE, ${cfg.resultOverflow === 'sat' ? 'saturating' : 'inf/NaN'} on overflow: conv of the state ${cfg.resultPipeline + 1} edge(s) earlier`
      : '',
  };
  return meanings[port];
}

/**
 * The unit's interface as comment lines: latency, lanes and a port table (name, dir, width,
 * meaning). The `.v` header and the instantiation template both print it.
 */
export function interfaceComment(cfg: MacConfig): string[] {
  const ports = topPorts(cfg);
  const rows = [['port', 'dir', 'width', 'meaning'], ...ports.map((p) => [p.name, p.dir === 'input' ? 'in' : 'out', String(p.width), portMeaning(cfg, p.name)])];
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
  const lat = cfg.latency;
  const lines = [
    // Contract §2: a beat sampled at edge k is in acc after edge k + p; the manifest's latency p + 1
    // counts from the cycle the beat is presented in to the first cycle acc shows it.
    `Latency: ${lat} cycle${lat > 1 ? 's' : ''} (pipeline ${cfg.pipeline} + the accumulator register): a beat sampled at` +
      ` edge k is in acc and the flags after edge k + ${cfg.pipeline}, seen ${lat} cycle${lat > 1 ? 's' : ''} after it was presented.`,
    `Lanes: ${cfg.lanes} per beat; lane i of a is a[i*${cfg.a.bits} +: ${cfg.a.bits}], of w is w[i*${cfg.w.bits} +: ${cfg.w.bits}].`,
    'Ports:',
    ...rows.map((r) => `  ${r[0].padEnd(w[0])}  ${r[1].padEnd(w[1])}  ${r[2].padStart(w[2])}  ${r[3]}`),
  ];
  if (cfg.result) {
    lines.splice(
      1,
      0,
      `Result: res = conv(state after edge t - 1 - ${cfg.resultPipeline}) after edge t; a beat sampled at edge k shows in res after edge` +
        ` k + ${cfg.pipeline + 1 + cfg.resultPipeline} (latency ${cfg.resultLatency}); rst clears res to +0 for ${cfg.resultPipeline + 1} edge(s).`,
    );
  }
  return lines.map((l) => `// ${l}`);
}

/** A one-line description of a configuration. */
export function summaryLine(cfg: MacConfig): string {
  return (
    `a=${cfg.a.spec} w=${cfg.w.spec} lanes=${cfg.lanes} product=${cfg.productWidth}b@2^${cfg.productLsb} ` +
    `acc=${cfg.accWidth}b@2^${-cfg.accFrac} ${cfg.accRound} ${cfg.overflow} pipeline=${cfg.pipeline}` +
    (cfg.result ? ` result=${cfg.result.spec} ${cfg.resultOverflow} q=${cfg.resultPipeline}` : '')
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
    arch: { name: cfg.arch, primitives: [...primitiveCells(cfg.arch)] },
    clock: { port: 'clk', period: cfg.clockPeriodNs, inputDelay: ioDelayPs(cfg) / 1000, outputDelay: ioDelayPs(cfg) / 1000 },
    request: canonicalRequest(cfg),
    ports: topPorts(cfg).map((p) => ({ name: p.name, dir: p.dir === 'input' ? 'in' : 'out', width: p.width })),
    ...(cfg.result
      ? { result: { ...formatJson(cfg.result), overflow: cfg.resultOverflow, pipeline: cfg.resultPipeline, latency: cfg.resultLatency } }
      : {}),
    files: Object.values(names),
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
    interface: interfaceComment(cfg),
    top: renderModule(top),
    submodules: subs.map(renderModule),
  });
}

/** The instantiation template `<name>_inst.vh`: the top's instance, every port on a same-named wire. */
export function generateInstance(cfg: MacConfig): string {
  const ports = topPorts(cfg);
  return template('inst.vh.hbs')({
    name: cfg.name,
    version: GENERATOR.version,
    interface: interfaceComment(cfg),
    wires: ports.map((p) => `wire ${p.width > 1 ? `[${p.width - 1}:0] ` : ''}${p.name};`),
    instance: renderInstance(cfg.name, 'your_instance_name', ports.map((p) => ({ port: p.name, signal: p.name }))),
  });
}

/** Every file of a unit, by file name, plus the manifest object. */
export function generateUnit(cfg: MacConfig): { files: Map<string, string>; manifest: Manifest } {
  const n = unitFileNames(cfg.name);
  const manifest = buildManifest(cfg);
  const ports = topPorts(cfg);
  const busPattern = (p: { name: string; width: number }) => (p.width > 1 ? `${p.name}[*]` : p.name);
  const ctx = {
    ...n,
    name: cfg.name,
    vlnv: `minimac:mac:${cfg.name}:${GENERATOR.version}`,
    version: GENERATOR.version,
    summary: summaryLine(cfg),
    period: (cfg.clockPeriodPs / 1000).toFixed(3),
    mhz: String(Math.round(1e9 / cfg.clockPeriodPs) / 1000),
    ioDelay: (ioDelayPs(cfg) / 1000).toFixed(3),
    ioDelayPercent: Math.round(IO_DELAY_FRACTION * 100),
    inputs: ports.filter((p) => p.dir === 'input' && p.name !== 'clk').map(busPattern),
    outputs: ports.filter((p) => p.dir === 'output').map(busPattern),
    // An xcup unit instantiates CARRY8, which 7-series parts lack; a generic or xc7 unit suits the Artix-7 default.
    part: cfg.arch === 'xcup' ? 'xczu3eg-sbva484-1-e' : 'xc7a35ticsg324-1L',
    // Verilator alone cannot lint a unit that instantiates UNISIM primitives (no models in a FuseSoC run).
    lint: cfg.arch === 'generic',
  };
  const files = new Map<string, string>([
    [n.verilog, generateVerilog(cfg)],
    [n.manifest, JSON.stringify(manifest, null, 2) + '\n'],
    [n.tcl, template('vivado.tcl.hbs')(ctx)],
    [n.readTcl, template('vivado_read.tcl.hbs')(ctx)],
    [n.xdc, template('ooc.xdc.hbs')(ctx)],
    [n.oocTcl, template('ooc.tcl.hbs')(ctx)],
    [n.core, template('unit.core.hbs')(ctx)],
    [n.inst, generateInstance(cfg)],
  ]);
  return { files, manifest };
}
