// `npm run build` (and `prepare`, which `npm ci` runs): compile the TypeScript into dist/ with
// tsconfig.build.json, precompile the Handlebars templates into dist/templates.cjs (so a compiled
// run loads only Handlebars' small runtime, not its parser and compiler: ~40 ms of a ~250 ms
// `minimac gen`), then stamp dist/.built with the time the build *started*, so bin/minimac.js can
// tell a fresh build from sources edited since (and a source saved during the build counts as
// newer). Without TypeScript (an install with --omit=dev) it builds nothing: bin/minimac.js then
// runs the sources through tsx. `--out-dir DIR` builds into DIR instead, without a stamp (tests).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const require = createRequire(import.meta.url);
const started = new Date();
const at = process.argv.indexOf('--out-dir');
const outDir = at > 0 ? resolve(process.argv[at + 1]) : resolve(root, 'dist');
const stamped = at < 0;
let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc');
} catch {
  process.stderr.write('minimac build: typescript is not installed; minimac will run the sources through tsx\n');
  process.exit(0);
}
const stamp = resolve(outDir, '.built');
if (stamped) rmSync(stamp, { force: true });
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
mkdirSync(outDir, { recursive: true });

// The same options generators/rtl/verilog.ts compiles with when it runs from the sources.
const Handlebars = require('handlebars');
const templates = resolve(root, 'templates');
const specs = readdirSync(templates)
  .filter((f) => f.endsWith('.hbs'))
  .sort()
  .map((f) => `  ${JSON.stringify(f)}: ${Handlebars.precompile(readFileSync(resolve(templates, f), 'utf8'), { noEscape: true, strict: true })},\n`);
writeFileSync(resolve(outDir, 'templates.cjs'), `// Precompiled from templates/ by scripts/build.mjs.\nmodule.exports = {\n${specs.join('')}};\n`);

if (stamped) {
  writeFileSync(stamp, `built ${started.toISOString()}\n`);
  utimesSync(stamp, started, started);
}
