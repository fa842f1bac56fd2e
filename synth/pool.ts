/**
 * Run many Yosys scripts in parallel: a pool of runners for the wasm build (a run blocks its
 * runner's event loop), or concurrent processes for a native Yosys. A run that passes its time
 * limit has its runner stopped and replaced.
 *
 * A runner is a worker thread (the sweep: cheap, the compiled module stays cached per thread) or
 * a child process (`isolate: 'process'`, for `synth --timeout`). Terminating a worker thread in
 * the middle of a wasm run can bring the whole Node process down with SIGSEGV (seen once in CI as
 * exit 139; nodejs/node#33377 is the same class of bug), while SIGKILL on a child process cannot
 * touch the parent. So whenever stopping a run early is the expected outcome, the run is a process.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { CODE_EXT } from '../generators/util/paths.ts';
import { runYosysScript, type YosysEngine, type YosysResult } from '../generators/util/yosys.ts';

/**
 * The worker's entry: compiled, the worker module itself; from the sources, a shim that registers
 * tsx first (workers do not inherit the parent's loader).
 */
const WORKER = new URL(CODE_EXT === '.js' ? './worker.js' : './worker-entry.mjs', import.meta.url);

/** One script to run, as posted to a worker. */
export interface PoolTask {
  readonly id: number;
  readonly inputs: Record<string, string>;
  readonly script: string;
  readonly outputs: readonly string[];
}

interface Pending {
  task: PoolTask;
  /** Called when a runner takes the task (not when it is queued). */
  onStart: (() => void) | undefined;
  resolve: (r: YosysResult) => void;
  reject: (e: Error) => void;
}

/** Where a wasm run happens: a worker thread, or a child process that can be killed safely. */
export type PoolIsolation = 'thread' | 'process';

/** What a runner answers for one task. */
interface RunnerMessage {
  id: number;
  result?: YosysResult;
  error?: string;
}

/** One runner (thread or process) behind one interface. */
interface Runner {
  post(task: PoolTask): void;
  /** Stop it now; resolves once it is gone. */
  stop(): Promise<void>;
  /** Stop listening to it (its later messages and errors are ignored). */
  detach(): void;
}

interface Slot {
  worker: Runner | null;
  busy: Pending | null;
  timer: NodeJS.Timeout | null;
}

/** A fixed number of Yosys runs at a time; `run` queues, `close` stops the workers. */
export class YosysPool {
  private readonly queue: Pending[] = [];
  private readonly slots: Slot[];
  private nextId = 0;
  private closed = false;
  /** Runners being stopped: `close` waits for them, so none is torn down by the process's exit. */
  private readonly stopping = new Set<Promise<void>>();

  constructor(
    readonly jobs: number,
    readonly engine: YosysEngine,
    readonly timeoutMs = 15 * 60_000,
    signal?: AbortSignal,
    readonly isolate: PoolIsolation = 'thread',
  ) {
    this.slots = Array.from({ length: Math.max(1, jobs) }, () => ({ worker: null, busy: null, timer: null }));
    // The command's deadline (--timeout): stop every worker at once, fail every run.
    signal?.addEventListener('abort', () => this.abort(signal.reason as Error), { once: true });
  }

  /** Terminate every worker now; running and queued runs reject with `reason`. */
  abort(reason: Error): void {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(reason);
    for (const slot of this.slots) {
      const p = slot.busy;
      this.retire(slot);
      if (p) this.finish(slot, p, null, reason);
    }
  }

  /**
   * Run one script on the next free slot. Rejects on a worker crash or a timeout. `onStart` is
   * called when a runner takes the script, so a caller that queues many runs at once can time each
   * from there to its end instead of counting the wait in the queue.
   */
  run(inputs: Record<string, string>, script: string, outputs: readonly string[], onStart?: () => void): Promise<YosysResult> {
    if (this.closed) return Promise.reject(new Error('pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ task: { id: this.nextId++, inputs, script, outputs }, onStart, resolve, reject });
      this.pump();
    });
  }

  /** Stop every runner and wait until all are gone (retired ones too); queued runs are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new Error('pool closed'));
    for (const slot of this.slots) this.retire(slot);
    await Promise.all([...this.stopping]);
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.busy || this.queue.length === 0) continue;
      const p = this.queue.shift() as Pending;
      slot.busy = p;
      // A fresh runner's start-up (tsx, compiling the wasm module) counts towards its first run: it
      // is time that slot spends on the sweep, once per runner.
      p.onStart?.();
      if (this.engine === 'native') {
        runYosysScript(p.task.inputs, p.task.script, p.task.outputs, 'native').then(
          (r) => this.finish(slot, p, r, null),
          (e: Error) => this.finish(slot, p, null, e),
        );
        continue;
      }
      const w = slot.worker ?? this.spawn(slot);
      slot.timer = setTimeout(() => {
        this.retire(slot);
        this.finish(slot, p, null, new Error(`timed out after ${Math.round(this.timeoutMs / 1000)} s`));
      }, this.timeoutMs);
      w.post(p.task);
    }
  }

  private spawn(slot: Slot): Runner {
    const onMessage = (m: RunnerMessage): void => {
      const p = slot.busy;
      if (!p || p.task.id !== m.id) return;
      this.finish(slot, p, m.result ?? null, m.error !== undefined ? new Error(m.error) : null);
    };
    const onError = (e: Error): void => {
      const p = slot.busy;
      this.retire(slot);
      if (p) this.finish(slot, p, null, e);
    };
    const w = this.isolate === 'process' ? processRunner(onMessage, onError) : threadRunner(onMessage, onError);
    slot.worker = w;
    return w;
  }

  /** Drop a slot's runner (crashed, timed out or closing); the next task spawns a fresh one. */
  private retire(slot: Slot): void {
    const w = slot.worker;
    slot.worker = null;
    if (!w) return;
    w.detach();
    const gone = w.stop().finally(() => this.stopping.delete(gone));
    this.stopping.add(gone);
  }

  private finish(slot: Slot, p: Pending, r: YosysResult | null, e: Error | null): void {
    if (slot.busy !== p) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.busy = null;
    if (r) p.resolve(r);
    else p.reject(e ?? new Error('no result'));
    if (!this.closed) this.pump();
  }
}

/** A worker-thread runner. */
function threadRunner(onMessage: (m: RunnerMessage) => void, onError: (e: Error) => void): Runner {
  const w = new Worker(WORKER);
  w.on('message', onMessage);
  w.on('error', onError);
  return {
    post: (task) => w.postMessage(task),
    stop: () => w.terminate().then(() => undefined),
    detach: () => {
      w.removeAllListeners('message');
      w.removeAllListeners('error');
      w.on('error', () => {});
    },
  };
}

/** A child-process runner: the same worker module, spoken to over IPC, stopped with SIGKILL. */
function processRunner(onMessage: (m: RunnerMessage) => void, onError: (e: Error) => void): Runner {
  const c: ChildProcess = fork(WORKER, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) resolve();
    else c.once('exit', () => resolve());
  });
  const onExit = (code: number | null, sig: NodeJS.Signals | null): void => onError(new Error(`Yosys runner process ended (${sig ?? `exit ${code}`})`));
  c.on('message', onMessage);
  c.on('error', onError);
  c.on('exit', onExit);
  return {
    post: (task) => c.send(task),
    stop: () => {
      c.kill('SIGKILL');
      return exited;
    },
    detach: () => {
      c.removeListener('message', onMessage);
      c.removeListener('error', onError);
      c.removeListener('exit', onExit);
      c.on('error', () => {});
    },
  };
}
