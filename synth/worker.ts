/**
 * A pool runner: runs Yosys scripts one at a time on the wasm build. The compiled module stays
 * cached in this runner; every run instantiates a fresh Yosys (fresh memory and file system).
 * It runs as a worker thread (messages on parentPort) or as a forked child process (messages
 * over IPC), whichever the pool started it as.
 */
import { parentPort } from 'node:worker_threads';
import { runYosysScript } from '../generators/util/yosys.ts';
import type { PoolTask } from './pool.ts';

/** Where answers go: the thread's port, or the process's IPC channel. */
const reply: (m: unknown) => void = parentPort
  ? (m) => parentPort!.postMessage(m)
  : process.send
    ? (m) => void process.send!(m)
    : (() => {
        throw new Error('synth/worker.ts must run in a worker thread or a forked process');
      })();

const onTask = (t: PoolTask): void => {
  runYosysScript(t.inputs, t.script, t.outputs, 'wasm').then(
    (result) => reply({ id: t.id, result }),
    (e: unknown) => reply({ id: t.id, error: (e as Error).stack ?? String(e) }),
  );
};
if (parentPort) parentPort.on('message', onTask);
else {
  process.on('message', onTask as (m: unknown) => void);
  // The parent gone (killed, crashed): go too, instead of living on as an orphan.
  process.on('disconnect', () => process.exit(0));
}
