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

/** Prints a Markdown table. */
export function printTable(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): void {
  const fmt = (v: string | number) => (typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3)) : v);
  console.log(`| ${headers.join(' | ')} |`);
  console.log(`|${headers.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${r.map(fmt).join(' | ')} |`);
}
