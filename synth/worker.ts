/**
 * A pool worker: runs Yosys scripts one at a time on the wasm build. The compiled module stays
 * cached in this thread; every run instantiates a fresh Yosys (fresh memory and file system).
 */
import { parentPort } from 'node:worker_threads';
import { runYosysScript } from './yosys.ts';
import type { PoolTask } from './pool.ts';

const port = parentPort;
if (!port) throw new Error('synth/worker.ts must run in a worker thread');
port.on('message', (t: PoolTask) => {
  runYosysScript(t.inputs, t.script, t.outputs, 'wasm').then(
    (result) => port.postMessage({ id: t.id, result }),
    (e: unknown) => port.postMessage({ id: t.id, error: (e as Error).stack ?? String(e) }),
  );
});
