/**
 * Tick positions and tick labels.
 *
 * Positions follow matplotlib's default locator (MaxNLocator with steps 1, 2, 2.5, 5, 10
 * and at most ~9 intervals, fewer on short axes): the lecture's figures show 0, 250, …,
 * 2000 on a 2048-pixel image axis, which d3's 1-2-5 `ticks()` cannot produce. The step
 * choice and the label precision are matplotlib's. {@link panelTicks} picks a panel's ticks
 * (the user's, or automatic ones with matplotlib's offset text for large values); layout.ts
 * calls it. Data ↔ pixel mapping uses d3-scale's linear scales (in render.ts).
 */
import type { TickSet, UserTicks } from './artists.js';

const STEPS = [1, 2, 2.5, 5, 10];

/**
 * Tick positions inside [lo, hi] (either order) with at most `nbins` intervals.
 *
 * @param lo one end of the view
 * @param hi the other end
 * @param nbins most intervals wanted (matplotlib: axis length / (3 × font size) on x, / 2× on y, ≤ 9)
 * @returns ascending tick values
 * @example
 *   maxNTicks(-0.5, 2047.5, 9); // [0, 250, 500, …, 2000]
 */
export function maxNTicks(lo: number, hi: number, nbins: number): number[] {
  let a = Math.min(lo, hi);
  let b = Math.max(lo, hi);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return [];
  if (a === b) {
    a -= 1;
    b += 1;
  }
  nbins = Math.max(1, Math.floor(nbins));
  const raw = (b - a) / nbins;
  const decade = 10 ** Math.floor(Math.log10(raw));
  const candidates: number[] = [];
  for (const d of [decade / 10, decade, decade * 10]) for (const s of STEPS) candidates.push(s * d);
  candidates.sort((x, y) => x - y);
  let k = candidates.findIndex((s) => s >= raw * (1 - 1e-9));
  if (k < 0) k = candidates.length - 1;
  for (; k >= 0; k--) {
    const step = candidates[k];
    const eps = step * 1e-9;
    const first = Math.ceil((a - eps) / step);
    const last = Math.floor((b + eps) / step);
    if (last - first + 1 >= 2 || k === 0) {
      const out: number[] = [];
      for (let i = first; i <= last; i++) out.push(cleanFloat(i * step, step));
      return out;
    }
  }
  return [a, b];
}

function cleanFloat(v: number, step: number): number {
  const dec = decimalsFor(step);
  const r = Number(v.toFixed(Math.min(20, dec + 2)));
  return Math.abs(r) < step * 1e-9 ? 0 : r;
}

/** Decimals needed to print multiples of `step` exactly (0.25 → 2, 250 → 0). */
export function decimalsFor(step: number): number {
  if (!(step > 0)) return 0;
  for (let d = 0; d < 12; d++) {
    const s = step * 10 ** d;
    if (Math.abs(s - Math.round(s)) < 1e-6 * Math.max(1, s)) return d;
  }
  return 12;
}

/**
 * Labels for evenly spaced ticks, all with the same number of decimals (matplotlib's
 * ScalarFormatter look: 0.0, 0.5, 1.0), a real minus sign, and scientific notation only
 * for very large or very small magnitudes.
 *
 * @param ticks the tick values
 * @returns one label per tick
 * @example
 *   formatTicks([0, 0.5, 1]); // ['0.0', '0.5', '1.0']
 */
export function formatTicks(ticks: readonly number[]): string[] {
  if (ticks.length === 0) return [];
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : Math.abs(ticks[0]) || 1;
  const maxAbs = Math.max(...ticks.map(Math.abs));
  if (maxAbs >= 1e7 || (maxAbs > 0 && maxAbs < 1e-4)) {
    const dec = Math.min(3, Math.max(0, decimalsFor(step / 10 ** Math.floor(Math.log10(maxAbs)))));
    return ticks.map((t) => (t === 0 ? '0' : t.toExponential(dec).replace('e+', 'e').replace('-', '−')));
  }
  const dec = Math.min(10, decimalsFor(step));
  return ticks.map((t) => {
    const s = t.toFixed(dec);
    return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s.replace(/^-/, '−');
  });
}

/**
 * The ticks of one axis of a panel: the user's (`setXticks`), else at most `nb` intervals
 * over [a, b] (either order). From 1e6 on, labels are scaled and an offset text ('1e6') is
 * returned, as matplotlib's ScalarFormatter does.
 *
 * @param user ticks set by the user, if any
 * @param a one end of the view
 * @param b the other end
 * @param nb most intervals wanted
 * @returns tick values, labels and the offset text
 * @example
 *   panelTicks(undefined, 0, 2e6, 5); // labels 0.0 … 2.0, offset '1e6'
 */
export function panelTicks(user: Pick<UserTicks, 'values' | 'labels'> | undefined, a: number, b: number, nb: number): TickSet {
  if (user) return { values: user.values, labels: user.labels ?? formatTicks(user.values) };
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  const values = maxNTicks(lo, hi, nb).filter((v) => v >= lo - 1e-9 * (hi - lo) && v <= hi + 1e-9 * (hi - lo));
  const maxAbs = Math.max(0, ...values.map(Math.abs));
  // matplotlib's ScalarFormatter: from 1e6 on, labels are scaled and an offset text (1e6) is shown
  if (maxAbs >= 1e6 && maxAbs < 1e15) {
    const k = Math.floor(Math.log10(maxAbs));
    return { values, labels: formatTicks(values.map((v) => v / 10 ** k)), offset: `1e${k}` };
  }
  return { values, labels: formatTicks(values) };
}
