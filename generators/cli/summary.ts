/** The short human summary a command prints for a configuration. */
import type { MacConfig } from '../config/mac-config.ts';
import type { Format } from '../formats/format.ts';
import { ioDelayPs } from '../generate.ts';

function fmtLine(f: Format): string {
  if (f.kind === 'int') return `${f.spec} (${f.signed ? 'signed' : 'unsigned'}, max magnitude ${f.max})`;
  return `${f.spec} (bias ${f.bias}, max ${f.max}, min subnormal 2^${f.lsbExponent}, specials ${f.specials})`;
}

/** Multi-line summary: formats, product and accumulator widths, what narrowing drops, latency. */
export function describeConfig(cfg: MacConfig): string {
  const lines = [
    `unit         ${cfg.name}`,
    `activation   ${fmtLine(cfg.a)}`,
    `weight       ${fmtLine(cfg.w)}`,
    `product      ${cfg.productWidth} bits, frac ${cfg.productFrac} (exact)`,
  ];
  const s = cfg.alignShift;
  let acc = `${cfg.accWidth} bits, frac ${cfg.accFrac}, ${cfg.accRound}, ${cfg.overflow}`;
  if (s > 0) acc += `; drops the low ${s} product bit(s) (${cfg.accRound})`;
  else if (s < 0) acc += `; ${-s} zero bit(s) below the product LSB`;
  else acc += '; exact';
  const head = cfg.accWidth - cfg.contributionWidth;
  acc += head >= 0 ? `, ${head} bit(s) of headroom over one beat` : `, ${-head} bit(s) short of one beat`;
  lines.push(`accumulator  ${acc}`);
  if (cfg.arch !== 'generic') lines.push(`arch         ${cfg.arch}: adders of LUT6_2 and ${cfg.arch === 'xc7' ? 'CARRY4' : 'CARRY8'} (UNISIM names; simulate with UNISIM or Yosys's xilinx/cells_sim.v)`);
  lines.push(`timing       latency ${cfg.latency} (pipeline ${cfg.pipeline}), ${cfg.lanes} lane(s)${cfg.hasFlags ? ', flags nan/pinf/ninf' : ''}`);
  if (cfg.result) {
    const r = cfg.result;
    const specials = r.specials === 'ieee' ? '±inf and NaN' : r.specials === 'fn' || r.specials === 'fnuz' ? `NaN only (${r.specials})` : 'none';
    lines.push(
      `result       ${r.spec} (bias ${r.bias}, max ${r.max}, min subnormal 2^${r.lsbExponent}, specials ${specials}), ` +
        `${cfg.resultOverflow === 'sat' ? 'saturating' : 'inf/NaN on overflow'}, latency ${cfg.resultLatency} (q ${cfg.resultPipeline})`,
    );
  }
  const ns = (ps: number) => String(ps / 1000);
  lines.push(
    `clock        ${ns(cfg.clockPeriodPs)} ns (${Math.round(1e9 / cfg.clockPeriodPs) / 1000} MHz) out of context, ` +
      `I/O delays ${ns(ioDelayPs(cfg))} ns (the XDC)`,
  );
  return lines.join('\n') + '\n';
}
