/**
 * Synthesis targets: the Yosys script of each, and how its mapped cell types are counted
 * (LUTs by size, flip-flops, carry cells, wide muxes, DSPs, plain gates).
 */
import { shown, UsageError } from '../generators/util/errors.ts';

/** A target name as `--target` takes it. */
export type TargetName = 'xc7' | 'xcup' | 'ecp5' | 'ice40' | 'gates';

/** Every target, default first. */
export const TARGETS: readonly TargetName[] = Object.freeze(['xc7', 'xcup', 'ecp5', 'ice40', 'gates']);

/** What one mapped cell type counts as. */
export type CellClass =
  | { readonly kind: 'lut'; readonly size: number }
  | { readonly kind: 'ff' | 'carry' | 'mux' | 'dsp' | 'gate' | 'srl' | 'other' };

/** One target: a human description, its script, and its cell classifier. */
export interface Target {
  readonly name: TargetName;
  /** One line for --help and the README. */
  readonly about: string;
  /** Yosys commands that read nothing and leave the mapped, flattened design of `top`. */
  synthCommands(top: string, dsp: boolean): string[];
  /** Selection of the flip-flop cells, deleted before `ltp` so that depth is register to register. */
  readonly ffSelection: string;
  /** What a mapped cell type counts as. */
  classify(type: string): CellClass;
}

const XILINX_FF = /^(FD[RSCP]E(_1)?|FDRSE(_1)?|FDCPE(_1)?|LD[CP]E|LDCPE)$/;

function xilinx(name: 'xc7' | 'xcup', family: string, about: string): Target {
  return {
    name,
    about,
    // Two steps of synth_xilinx are skipped for speed, with identical counts: `begin` also parses
    // cells_xtra.v (1.4 MB of primitives a MAC never instantiates), so only cells_sim.v is read as
    // the library; `map_memory` parses the BRAM/LUTRAM maps (brams_xc6v_map.v alone is ~40% of a
    // small unit's run) and a MAC unit has no memories (any would still be mapped to logic by
    // `memory_map` in map_ffram).
    synthCommands: (top, dsp) => {
      const opts = `-family ${family} -flatten -noiopad -noclkbuf${dsp ? '' : ' -nodsp'}`;
      return [
        'read_verilog -lib +/xilinx/cells_sim.v',
        `hierarchy -check -top ${top}`,
        `synth_xilinx ${opts} -run prepare:map_memory`,
        `synth_xilinx ${opts} -run map_ffram:check`,
      ];
    },
    ffSelection: 't:FD* t:LD*',
    classify(type) {
      const lut = /^LUT([1-6])$/.exec(type);
      if (lut) return { kind: 'lut', size: Number(lut[1]) };
      // A LUT6_2 (an --arch unit's adder bit: two functions of five inputs) is one LUT site.
      if (type === 'LUT6_2') return { kind: 'lut', size: 6 };
      if (XILINX_FF.test(type)) return { kind: 'ff' };
      // Yosys 0.55 maps arithmetic to CARRY4 on xcup too (Vivado packs pairs into CARRY8).
      if (type === 'CARRY4' || type === 'CARRY8') return { kind: 'carry' };
      if (/^MUXF[789]$/.test(type)) return { kind: 'mux' };
      if (/^DSP48/.test(type)) return { kind: 'dsp' };
      if (/^SRL/.test(type)) return { kind: 'srl' };
      return { kind: 'other' };
    },
  };
}

const TARGET_TABLE: Readonly<Record<TargetName, Target>> = Object.freeze({
  xc7: xilinx('xc7', 'xc7', 'AMD/Xilinx 7-series: LUT6, CARRY4, MUXF7/8, DSP48E1 (synth_xilinx -family xc7)'),
  xcup: xilinx('xcup', 'xcup', 'AMD/Xilinx UltraScale+: LUT6, CARRY4 (as Yosys maps it), MUXF7/8/9, DSP48E2 (synth_xilinx -family xcup)'),
  ecp5: {
    name: 'ecp5',
    about: 'Lattice ECP5: LUT4, CCU2C carry, PFUMX/L6MUX21, MULT18X18D (synth_ecp5)',
    synthCommands: (top, dsp) => [`synth_ecp5 -top ${top}${dsp ? '' : ' -nodsp'}`],
    ffSelection: 't:TRELLIS_FF',
    classify(type) {
      if (type === 'LUT4') return { kind: 'lut', size: 4 };
      if (type === 'TRELLIS_FF') return { kind: 'ff' };
      if (type === 'CCU2C') return { kind: 'carry' };
      if (type === 'PFUMX' || type === 'L6MUX21') return { kind: 'mux' };
      if (/^(MULT18X18D|ALU54B)$/.test(type)) return { kind: 'dsp' };
      return { kind: 'other' };
    },
  },
  ice40: {
    name: 'ice40',
    about: 'Lattice iCE40: SB_LUT4, SB_CARRY, SB_MAC16 with --dsp (synth_ice40)',
    synthCommands: (top, dsp) => [`synth_ice40 -top ${top}${dsp ? ' -dsp' : ''}`],
    ffSelection: 't:SB_DFF*',
    classify(type) {
      if (type === 'SB_LUT4') return { kind: 'lut', size: 4 };
      if (/^SB_DFF/.test(type)) return { kind: 'ff' };
      if (type === 'SB_CARRY') return { kind: 'carry' };
      if (type === 'SB_MAC16') return { kind: 'dsp' };
      return { kind: 'other' };
    },
  },
  gates: {
    name: 'gates',
    about: 'technology-independent: Yosys internal 2-input gates and muxes after ABC (synth -flatten)',
    // --dsp has no meaning without a device: the generic flow never infers DSPs.
    synthCommands: (top) => [`synth -top ${top} -flatten`],
    ffSelection: 't:$_*DFF*_ t:$_DLATCH*_',
    classify(type) {
      if (/^\$_.*(DFF|DLATCH).*_$/.test(type)) return { kind: 'ff' };
      if (/^\$_[A-Z0-9_]+_$/.test(type)) return { kind: 'gate' };
      return { kind: 'other' };
    },
  },
});

/** Look a target up by name; an unknown one is bad input naming `flag`. */
export function target(name: string, flag = '--target'): Target {
  // Not trimmed: 'xc7\n' (a stray newline from a script) is bad input, not xc7.
  const key = name.toLowerCase();
  // Own keys only: `constructor` or `__proto__` is an unknown target, not Object's property.
  const t = Object.hasOwn(TARGET_TABLE, key) ? (TARGET_TABLE as Record<string, Target>)[key] : undefined;
  if (!t) throw new UsageError(`unknown target ${shown(name)}: expected one of ${TARGETS.join(', ')}`, flag);
  return t;
}

/**
 * Check that a unit's `--arch` can be synthesized for a target: a primitive arch instantiates that
 * family's cells (CARRY4 is xc7's, CARRY8 UltraScale+'s), so it needs its own target; generic RTL
 * fits every target. A mismatch is bad input naming --arch.
 */
export function archFits(arch: string, t: Target): void {
  if (arch === 'generic' || arch === t.name) return;
  throw new UsageError(`arch ${arch} instantiates ${arch === 'xc7' ? '7-series' : 'UltraScale+'} primitives, so it needs --target ${arch}, not ${t.name}`, '--arch');
}
