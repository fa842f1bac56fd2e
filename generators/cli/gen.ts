/**
 * `minimac gen --fmt e4m3 --acc 16` (`npm run gen -- …`): parse → resolve the configuration →
 * generate → write.
 */
import { relative } from 'node:path';
import { MacConfig } from '../config/mac-config.ts';
import { generateUnit, type Manifest } from '../generate.ts';
import { ensureWritableDir, writeFolderAtomic } from '../util/atomic.ts';
import { RTL_OUT, userCwd, userDir } from '../util/paths.ts';
import { helpText, noPositional, parseArgs, UNIT_FLAGS, unitRequest, type FlagSpec } from './args.ts';
import { isMain, runCommand } from './main.ts';
import { describeConfig } from './summary.ts';

const FLAGS: Record<string, FlagSpec> = {
  ...UNIT_FLAGS,
  out: { value: true, arg: 'DIR', help: 'write DIR/<name>/ instead of rtl-out/<name>/' },
  json: { value: false, help: 'print the manifest on stdout instead of the summary' },
  help: { value: false, help: 'show this help' },
};

/** Generate and write one unit; returns the folder and manifest. */
export function genUnit(argv: readonly string[]): { dir: string; manifest: Manifest; cfg: MacConfig } | null {
  const { flags, positional } = parseArgs(argv, FLAGS);
  if (flags.help) {
    process.stdout.write(
      helpText('minimac gen --fmt FMT [flags]   (or: npm run gen -- --fmt FMT [flags])', 'Generate a Verilog-2001 MAC unit, its manifest, Vivado Tcl/XDC and FuseSoC core.', FLAGS, [
        'minimac gen --fmt e4m3 --acc 16                           # into rtl-out/<name>/',
        'minimac gen --afmt e4m3 --wfmt int4 --lanes 4 --pipeline 2 --out build',
        'minimac gen --fmt int8 --overflow sat --name my_mac --json  # manifest on stdout',
        'minimac gen --fmt e4m3 --acc 16 --result bf16               # plus res: acc as a bfloat16',
      ]),
    );
    return null;
  }
  noPositional(positional);
  const cfg = new MacConfig(unitRequest(flags));
  const out = typeof flags.out === 'string' ? userDir(flags.out, '--out') : RTL_OUT;
  ensureWritableDir(out, '--out');
  const { files, manifest } = generateUnit(cfg);
  const dir = writeFolderAtomic(out, cfg.name, files);
  if (flags.json) process.stdout.write(JSON.stringify(manifest, null, 2) + '\n');
  else {
    const shown = relative(userCwd(), dir) || '.';
    process.stdout.write(describeConfig(cfg) + `files        ${manifest.files.map((f) => `${shown}/${f}`).join('\n             ')}\n`);
  }
  return { dir, manifest, cfg };
}

/** The gen command on argv; returns the exit code (errors are thrown for runCommand). */
export function main(argv: readonly string[]): number {
  genUnit(argv);
  return 0;
}

if (isMain(import.meta.url)) await runCommand(() => main(process.argv.slice(2)));
