/**
 * Run many Yosys scripts in parallel: a worker_threads pool for the wasm build (a run blocks its
 * thread's event loop), or concurrent processes for a native Yosys. A run that passes its time
 * limit has its worker terminated and replaced.
 */
import { Worker } from 'node:worker_threads';
import { CODE_EXT } from '../generators/util/paths.ts';
import { runYosysScript, type YosysEngine, type YosysResult } from './yosys.ts';

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
  resolve: (r: YosysResult) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker | null;
  busy: Pending | null;
  timer: NodeJS.Timeout | null;
}

/** A fixed number of Yosys runs at a time; `run` queues, `close` stops the workers. */
export class YosysPool {
  private readonly queue: Pending[] = [];
  private readonly slots: Slot[];
  private nextId = 0;
  private closed = false;

  constructor(
    readonly jobs: number,
    readonly engine: YosysEngine,
    readonly timeoutMs = 15 * 60_000,
    signal?: AbortSignal,
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

  /** Run one script on the next free slot. Rejects on a worker crash or a timeout. */
  run(inputs: Record<string, string>, script: string, outputs: readonly string[]): Promise<YosysResult> {
    if (this.closed) return Promise.reject(new Error('pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ task: { id: this.nextId++, inputs, script, outputs }, resolve, reject });
      this.pump();
    });
  }

  /** Terminate every worker; queued runs are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new Error('pool closed'));
    await Promise.all(this.slots.map((s) => s.worker?.terminate()));
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.busy || this.queue.length === 0) continue;
      const p = this.queue.shift() as Pending;
      slot.busy = p;
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
      w.postMessage(p.task);
    }
  }

  private spawn(slot: Slot): Worker {
    const w = new Worker(WORKER);
    w.on('message', (m: { id: number; result?: YosysResult; error?: string }) => {
      const p = slot.busy;
      if (!p || p.task.id !== m.id) return;
      this.finish(slot, p, m.result ?? null, m.error !== undefined ? new Error(m.error) : null);
    });
    w.on('error', (e) => {
      const p = slot.busy;
      this.retire(slot);
      if (p) this.finish(slot, p, null, e);
    });
    slot.worker = w;
    return w;
  }

  /** Drop a slot's worker (crashed or timed out); the next task spawns a fresh one. */
  private retire(slot: Slot): void {
    const w = slot.worker;
    slot.worker = null;
    if (w) {
      w.removeAllListeners('message');
      w.removeAllListeners('error');
      w.on('error', () => {});
      void w.terminate();
    }
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
