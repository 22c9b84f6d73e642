/**
 * Timing helpers: interleaved runs of several contenders, median and p95.
 *
 * Each iteration runs every contender once, starting with a different one each time (A B C,
 * B C A, C A B, …), so slow drift of the machine (thermal, other processes, GC pressure) hits
 * all of them alike. Warm-up runs come first and are not counted.
 */
import { performance } from 'node:perf_hooks';

export interface Stats {
  readonly runs: number;
  /** Milliseconds. */
  readonly median: number;
  readonly p95: number;
  readonly mean: number;
  readonly min: number;
  readonly max: number;
}

export type Contender = () => unknown;

export interface MeasureOptions {
  /** Untimed runs of every contender first (at least). */
  readonly warmupRuns?: number;
  /** Wall time to aim at for the timed iterations of the whole group. */
  readonly budgetMs?: number;
  readonly minRuns?: number;
  readonly maxRuns?: number;
}

const DEFAULTS = { warmupRuns: 5, budgetMs: 2500, minRuns: 15, maxRuns: 2000 };

/** The value at quantile q (0..1) of sorted samples, linearly interpolated. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  const a = sorted[low] ?? Number.NaN;
  const b = sorted[high] ?? Number.NaN;
  return a + (b - a) * (at - low);
}

export function summarize(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    runs: sorted.length,
    median: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    mean: sum / sorted.length,
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    'then' in value &&
    typeof value.then === 'function'
  );
}

/** Runs one contender and returns its time in ms (awaiting it when it returns a promise). */
async function timeOnce(run: Contender): Promise<number> {
  const start = performance.now();
  const result = run();
  if (isThenable(result)) await result;
  return performance.now() - start;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Runs the contenders interleaved and returns the statistics of each, by name. */
export async function measure(
  contenders: Readonly<Record<string, Contender>>,
  options: MeasureOptions = {},
): Promise<Record<string, Stats>> {
  const { warmupRuns, budgetMs, minRuns, maxRuns } = { ...DEFAULTS, ...options };
  const names = Object.keys(contenders);
  const runOf = (name: string): Contender => {
    const run = contenders[name];
    if (!run) throw new Error(`no contender ${name}`);
    return run;
  };

  // Warm-up: at least `warmupRuns` rounds and at least a tenth of the budget.
  let warmupTime = 0;
  let warmupRounds = 0;
  while (warmupRounds < warmupRuns || warmupTime < budgetMs / 10) {
    for (const name of names) warmupTime += await timeOnce(runOf(name));
    warmupRounds++;
    if (warmupRounds >= 200) break;
  }
  const perRound = warmupTime / warmupRounds;
  const runs = Math.max(
    minRuns,
    Math.min(maxRuns, Math.floor(budgetMs / Math.max(perRound, 1e-3))),
  );

  gc?.();
  const samples = new Map<string, number[]>(names.map((name) => [name, []]));
  for (let iteration = 0; iteration < runs; iteration++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(iteration + k) % names.length] ?? '';
      samples.get(name)?.push(await timeOnce(runOf(name)));
    }
  }
  const result: Record<string, Stats> = {};
  for (const name of names) result[name] = summarize(samples.get(name) ?? []);
  return result;
}
