/** Tiny benchmark helpers: timings in milliseconds from performance.now, summarised by median. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function timeRuns(runs: number, fn: () => unknown): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times;
}

/** Runs `fn` repeatedly for about `ms` milliseconds; returns operations per second. */
export async function throughput(
  ms: number,
  fn: () => Promise<void>,
  concurrency = 1,
): Promise<number> {
  let ops = 0;
  const deadline = performance.now() + ms;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await fn();
        ops++;
      }
    }),
  );
  return ops / ((performance.now() - start) / 1000);
}

export function report(name: string, value: string): void {
  process.stdout.write(`${name.padEnd(58)} ${value}\n`);
}

export const fmt = (n: number, digits = 1) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
