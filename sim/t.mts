import { readFileSync } from 'node:fs';
import { runYosysScript } from '../synth/yosys.ts';
const [f, top] = process.argv.slice(2);
const t = performance.now();
const y = await runYosysScript({ 'unit.v': readFileSync(f, 'utf8') }, `read_verilog unit.v\nhierarchy -check -top ${top}\nproc\ncheck -assert\n`);
console.log('yosys', y.code, performance.now() - t);
