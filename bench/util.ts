/** Small timing helpers shared by the benches. */

/** Median wall time in seconds of `reps` runs of `fn` after `warmup` runs. */
export async function timeIt(fn: () => unknown | Promise<unknown>, reps = 3, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** The median of a non-empty list (the upper one of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median: no values');
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

/** Prints a Markdown table. */
export function printTable(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): void {
  const fmt = (v: string | number) => (typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3)) : v);
  console.log(`| ${headers.join(' | ')} |`);
  console.log(`|${headers.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${r.map(fmt).join(' | ')} |`);
}

/**
 * Median wall and CPU seconds (this process, all threads) of `reps` runs after one warm-up.
 * CPU time is steadier than wall time on a shared machine.
 */
export function timeBoth(fn: () => unknown, reps: number): { wall: number; cpu: number } {
  fn();
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    walls.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1e6);
  }
  const mid = (a: number[]) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
  return { wall: mid(walls), cpu: mid(cpus) };
}
