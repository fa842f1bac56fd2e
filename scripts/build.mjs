// `npm run build` (and `prepare`, which `npm ci` runs): compile the TypeScript into dist/ with
// tsconfig.build.json, then stamp dist/.built with the time the build *started*, so bin/minimac.js
// can tell a fresh build from sources edited since (and a source saved during the build counts as
// newer). Without TypeScript (an install with --omit=dev) it builds nothing: bin/minimac.js then
// runs the sources through tsx.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const root = new URL('../', import.meta.url);
const started = new Date();
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  process.stderr.write('minimac build: typescript is not installed; minimac will run the sources through tsx\n');
  process.exit(0);
}
const stamp = new URL('dist/.built', root);
rmSync(stamp, { force: true });
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
mkdirSync(new URL('dist/', root), { recursive: true });
writeFileSync(stamp, `built ${started.toISOString()}\n`);
utimesSync(stamp, started, started);
