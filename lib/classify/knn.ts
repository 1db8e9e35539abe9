/**
 * k-nearest-neighbour classifier with ml-knn's API (`new KNN(X, y, {k})`, `predict`),
 * exact, fast enough for the lecture's spot task: train on 2048 × 1000 pixels with two
 * features (the raw count f and |f − median(f)|), predict 2048 × 1048 pixels.
 *
 * Why the search is ours and not ml-knn's: ml-knn 3 keeps one JS array per point in a
 * k-d tree of objects and, for these data, scans almost every point per query
 * (3.3 ms per query at 20 000 points: days for 2 million queries). The lecture's
 * features are integer counts, so the 2 million training pixels hold only a few
 * thousand distinct points. Here:
 *   - training points are deduplicated into distinct points with per-class counts;
 *   - a k-d tree over the distinct points lives in flat typed arrays (median splits,
 *     incremental box distances for pruning);
 *   - queries are deduplicated too: each distinct query is searched once.
 * ml-knn still runs where it does the job: a custom `distance` function.
 *
 * Tie rules (documented, deterministic, independent of the training order):
 *   - distance ties: the vote uses exactly k training samples. When the samples at the
 *     k-th smallest distance outnumber the places left, those places are shared among
 *     all of them in proportion to their class counts (the expected vote over every way
 *     of breaking the tie). For 1-NN on a duplicated point this is the majority label of
 *     its duplicates; scikit-learn instead takes whichever duplicate its tree visits.
 *   - vote ties: the smallest class value wins (as scikit-learn's `mode`).
 * Without equidistant neighbours the prediction equals scikit-learn's
 * `KNeighborsClassifier(k)`.
 *
 * @example
 *   import { KNN } from 'neutron-seg';
 *   const knn = new KNN(trainX, trainMask, { k: 1 });   // trainX: {data, shape: [n, 2]}
 *   const pred = knn.predict(testX);                      // Int32Array of class values
 */
import { createRequire } from 'node:module';
import type { Matrix, NumericArray } from '../core/types.js';

/** Options of {@link KNN}. */
export interface KNNOptions {
  /** Neighbours that vote; default ml-knn's: number of classes + 1. */
  k?: number;
  /**
   * A distance other than Euclidean: ml-knn itself does the search (slow, general). As in
   * ml-knn, it receives index-addressable points (read `a[j]` for j < d, not `a.length`).
   */
  distance?: (a: number[], b: number[]) => number;
}

/** Progress of a prediction, reported about every 65 536 distinct queries. */
export interface KNNProgress {
  done: number;
  total: number;
}

/** Options of {@link KNN.predict}. */
export interface KNNPredictOptions {
  onProgress?: (p: KNNProgress) => void;
}

/** Labels: a plain array, a typed array or an NDArray-like `{data}`. */
export type KNNLabels = readonly number[] | NumericArray | { readonly data: NumericArray };

interface MlKnnInstance {
  predict(x: number[][]): number[];
}
type MlKnnCtor = new (X: number[][], y: number[], o: { k: number; distance: (a: number[], b: number[]) => number }) => MlKnnInstance;

let requireCjs: NodeRequire | undefined;
function loadMlKnn(): MlKnnCtor {
  requireCjs ??= createRequire(import.meta.url);
  return requireCjs('ml-knn') as MlKnnCtor;
}

/** Rows of a typed matrix or nested array as one flat Float64Array. */
function flatRows(X: Matrix | readonly (readonly number[])[], where: string): { data: Float64Array; n: number; d: number } {
  if (Array.isArray(X)) {
    const rows = X as readonly (readonly number[])[];
    const n = rows.length;
    const d = n > 0 ? rows[0]!.length : 0;
    const data = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      if (!Array.isArray(r) || r.length !== d) throw new Error(`${where}: row ${i} must be an array of ${d} numbers`);
      for (let j = 0; j < d; j++) data[i * d + j] = r[j]!;
    }
    return { data, n, d };
  }
  const M = X as Matrix;
  if (!M || !M.data || !M.shape || M.shape.length !== 2) {
    throw new Error(`${where}: X must be a typed matrix {data, shape: [n, d]} or number[][]`);
  }
  const n = M.shape[0]!;
  const d = M.shape[1]!;
  if (M.data.length !== n * d) throw new Error(`${where}: X.data has ${M.data.length} values, shape needs ${n * d}`);
  return { data: Float64Array.from(M.data), n, d }; // a copy: deduplication normalises -0
}

/**
 * Groups equal rows: `first[u]` is the first row of distinct row u, `which[i]` the
 * distinct row of row i. Open addressing on the rows' float64 bit patterns.
 */
function dedupeRows(data: Float64Array, n: number, d: number): { first: Int32Array; which: Int32Array; count: number } {
  let size = 1;
  while (size < 2 * n) size <<= 1;
  const mask = size - 1;
  const table = new Int32Array(size).fill(-1); // distinct index
  const first = new Int32Array(n);
  const which = new Int32Array(n);
  const bits = new Uint32Array(data.buffer, data.byteOffset, data.length * 2);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let h = 0x811c9dc5;
    for (let j = 0; j < d; j++) {
      const v = data[o + j]!;
      if (v !== v) throw new Error(`KNN: row ${i} holds NaN`);
      if (v === 0) data[o + j] = 0; // -0 and 0 are the same point
      h = Math.imul(h ^ bits[2 * (o + j)]!, 0x01000193);
      h = Math.imul(h ^ bits[2 * (o + j) + 1]!, 0x01000193);
    }
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    let s = h & mask;
    for (;;) {
      const u = table[s]!;
      if (u === -1) {
        table[s] = count;
        first[count] = i;
        which[i] = count++;
        break;
      }
      const p = first[u]! * d;
      let same = true;
      for (let j = 0; j < d; j++) {
        if (data[p + j] !== data[o + j]) {
          same = false;
          break;
        }
      }
      if (same) {
        which[i] = u;
        break;
      }
      s = (s + 1) & mask;
    }
  }
  return { first, which, count };
}

const LEAF = 8;

/**
 * The k-nearest-neighbour classifier (ml-knn's API; scikit-learn's
 * `KNeighborsClassifier(n_neighbors=k)` with Euclidean distance).
 */
/** A copy of a growable buffer in a new array of the same type with room for `n` elements. */
function grown<T extends Int32Array | Float64Array>(a: T, n: number): T {
  const b = new (a.constructor as new (len: number) => T)(n);
  b.set(a);
  return b;
}

export class KNN {
  /** Neighbours that vote. */
  readonly k: number;
  /** Distinct class values, ascending. */
  readonly classes: number[];
  /** Training samples and distinct training points. */
  readonly nSamples: number;
  readonly nDistinct: number;
  /** Features per point. */
  readonly nFeatures: number;
  private readonly pts: Float64Array; // distinct points in tree order
  private readonly counts: Float64Array; // nDistinct × classes
  private readonly total: Float64Array; // samples per distinct point
  private readonly nodeLo: Int32Array;
  private readonly nodeHi: Int32Array;
  private readonly nodeDim: Int32Array;
  private readonly nodeSplit: Float64Array;
  private readonly nodeLeft: Int32Array;
  private readonly nodeRight: Int32Array;
  private readonly boxMin: Float64Array;
  private readonly boxMax: Float64Array;
  private readonly intLabels: boolean;
  private readonly ml: MlKnnInstance | undefined;

  /**
   * Fits the classifier: deduplicates the training points and builds the k-d tree.
   * @param X training points: typed matrix `{data, shape: [n, d]}` (NDArray) or `number[][]`
   * @param y class of each point (number[], typed array or NDArray, e.g. a uint8 mask)
   * @param options k (default: number of classes + 1, as ml-knn), distance (→ ml-knn)
   * @example
   *   const knn = new KNN([[0, 0], [1, 1], [9, 9]], [0, 0, 1], { k: 1 });
   *   knn.predict([[8, 8]]);   // [1]
   */
  constructor(X: Matrix | readonly (readonly number[])[], y: KNNLabels, options: KNNOptions = {}) {
    const { data, n, d } = flatRows(X, 'KNN');
    const yv: ArrayLike<number> = Array.isArray(y) ? (y as readonly number[]) : 'data' in (y as object) && !ArrayBuffer.isView(y) ? (y as { data: NumericArray }).data : (y as NumericArray);
    if (yv.length !== n) throw new Error(`KNN: y has ${yv.length} labels for ${n} points`);
    if (n === 0 || d === 0) throw new Error(`KNN: no training points (shape [${n}, ${d}])`);
    const classSet = new Set<number>();
    for (let i = 0; i < n; i++) {
      const v = yv[i]!;
      if (typeof v !== 'number' || Number.isNaN(v)) throw new Error(`KNN: label ${i} is not a number`);
      classSet.add(v);
    }
    this.classes = [...classSet].sort((a, b) => a - b);
    const C = this.classes.length;
    const k = options.k ?? C + 1;
    if (!Number.isInteger(k) || k < 1) throw new Error(`KNN: k must be a positive integer, got ${k}`);
    if (k > n) throw new Error(`KNN: k = ${k} is larger than the ${n} training points`);
    this.k = k;
    this.nSamples = n;
    this.nFeatures = d;
    this.intLabels = this.classes.every((c) => Number.isInteger(c) && c >= -0x80000000 && c <= 0x7fffffff);

    if (options.distance) {
      const rows: number[][] = [];
      for (let i = 0; i < n; i++) rows.push(Array.from(data.subarray(i * d, (i + 1) * d)));
      this.ml = new (loadMlKnn())(rows, Array.from(yv), { k, distance: options.distance });
    }

    const classIndex = new Map<number, number>(this.classes.map((c, i) => [c, i]));
    const { first, which, count: U } = dedupeRows(data, n, d);
    this.nDistinct = U;
    const counts0 = new Float64Array(U * C);
    for (let i = 0; i < n; i++) counts0[which[i]! * C + classIndex.get(yv[i]!)!]!++;

    // k-d tree over the distinct points: median split on the widest dimension
    const perm = new Int32Array(U);
    for (let u = 0; u < U; u++) perm[u] = u;
    const coord = (u: number, j: number) => data[first[u]! * d + j]!;
    const maxNodes = 4 * Math.ceil(U / LEAF) + 1; // leaves hold ≥ LEAF/2 points
    const nodeLo = new Int32Array(maxNodes);
    const nodeHi = new Int32Array(maxNodes);
    const nodeDim = new Int32Array(maxNodes).fill(-1);
    const nodeSplit = new Float64Array(maxNodes);
    const nodeLeft = new Int32Array(maxNodes).fill(-1);
    const nodeRight = new Int32Array(maxNodes).fill(-1);
    const boxMin = new Float64Array(maxNodes * d); // tight bounding box of each node
    const boxMax = new Float64Array(maxNodes * d);
    let nodes = 0;
    const stack: number[] = [];
    const root = nodes++;
    nodeLo[root] = 0;
    nodeHi[root] = U;
    stack.push(root);
    while (stack.length > 0) {
      const node = stack.pop()!;
      const lo = nodeLo[node]!;
      const hi = nodeHi[node]!;
      let dim = 0;
      let spread = -1;
      for (let j = 0; j < d; j++) {
        let mn = Infinity;
        let mx = -Infinity;
        for (let q = lo; q < hi; q++) {
          const v = coord(perm[q]!, j);
          if (v < mn) mn = v;
          if (v > mx) mx = v;
        }
        boxMin[node * d + j] = mn;
        boxMax[node * d + j] = mx;
        if (mx - mn > spread) {
          spread = mx - mn;
          dim = j;
        }
      }
      if (hi - lo <= LEAF || spread <= 0) continue; // a leaf
      const mid = (lo + hi) >>> 1;
      quickselect(perm, lo, hi - 1, mid, (u) => coord(u, dim));
      if (nodes + 2 > maxNodes) throw new Error('KNN: k-d tree node count exceeded (internal error)');
      const left = nodes++;
      const right = nodes++;
      nodeDim[node] = dim;
      nodeSplit[node] = coord(perm[mid]!, dim);
      nodeLeft[node] = left;
      nodeRight[node] = right;
      nodeLo[left] = lo;
      nodeHi[left] = mid;
      nodeLo[right] = mid;
      nodeHi[right] = hi;
      stack.push(left, right);
    }
    this.nodeLo = nodeLo.slice(0, nodes);
    this.nodeHi = nodeHi.slice(0, nodes);
    this.nodeDim = nodeDim.slice(0, nodes);
    this.nodeSplit = nodeSplit.slice(0, nodes);
    this.nodeLeft = nodeLeft.slice(0, nodes);
    this.nodeRight = nodeRight.slice(0, nodes);
    this.boxMin = boxMin.slice(0, nodes * d);
    this.boxMax = boxMax.slice(0, nodes * d);
    // points and counts in tree order (memory locality in leaves)
    this.pts = new Float64Array(U * d);
    this.counts = new Float64Array(U * C);
    this.total = new Float64Array(U);
    for (let q = 0; q < U; q++) {
      const u = perm[q]!;
      for (let j = 0; j < d; j++) this.pts[q * d + j] = data[first[u]! * d + j]!;
      let t = 0;
      for (let c = 0; c < C; c++) {
        const v = counts0[u * C + c]!;
        this.counts[q * C + c] = v;
        t += v;
      }
      this.total[q] = t;
    }
  }

  /**
   * Predicts the class of each point.
   * @param X typed matrix `[m, d]` (returns Int32Array), `number[][]` (returns number[])
   *   or one point `number[]` (returns its class)
   * @param options onProgress({done, total}) over the distinct queries
   * @returns class values, in the order of the points
   * @example
   *   const knn = new KNN(train, mask, { k: 1 });
   *   const pred = knn.predict(test, { onProgress: ({ done, total }) => console.log(done / total) });
   */
  predict(X: Matrix, options?: KNNPredictOptions): Int32Array;
  predict(X: readonly (readonly number[])[], options?: KNNPredictOptions): number[];
  predict(X: readonly number[], options?: KNNPredictOptions): number;
  predict(X: Matrix | readonly (readonly number[])[] | readonly number[], options: KNNPredictOptions = {}): Int32Array | number[] | number {
    if (Array.isArray(X) && (X.length === 0 || typeof X[0] === 'number')) {
      const one = this.predict([X as readonly number[]], options);
      return one[0]!;
    }
    const nested = Array.isArray(X);
    if (!nested && !this.intLabels) {
      throw new Error('KNN.predict: classes are not 32-bit integers, so they do not fit an Int32Array; pass number[][] to get number[]');
    }
    const { data, n, d } = flatRows(X as Matrix | readonly (readonly number[])[], 'KNN.predict');
    if (d !== this.nFeatures) throw new Error(`KNN.predict: points have ${d} features, the training points ${this.nFeatures}`);
    if (this.ml) {
      const rows: number[][] = [];
      for (let i = 0; i < n; i++) rows.push(Array.from(data.subarray(i * d, (i + 1) * d)));
      const p = this.ml.predict(rows);
      options.onProgress?.({ done: n, total: n });
      return nested ? p : Int32Array.from(p);
    }
    const { first, which, count } = dedupeRows(data, n, d);
    const classOf = this.searchMany(data, first, count, d, options.onProgress);
    if (nested) {
      const out = new Array<number>(n);
      for (let i = 0; i < n; i++) out[i] = this.classes[classOf[which[i]!]!]!;
      return out;
    }
    const out = new Int32Array(n);
    const cls = Int32Array.from(this.classes);
    for (let i = 0; i < n; i++) out[i] = cls[classOf[which[i]!]!]!;
    return out;
  }

  /** Class index of each distinct query (rows first[0..count) of data). */
  private searchMany(
    data: Float64Array,
    first: Int32Array,
    count: number,
    d: number,
    onProgress: ((p: KNNProgress) => void) | undefined,
  ): Int32Array {
    const C = this.classes.length;
    const k = this.k;
    const pts = this.pts;
    const total = this.total;
    const nodeLo = this.nodeLo;
    const nodeHi = this.nodeHi;
    const nodeDim = this.nodeDim;
    const nodeSplit = this.nodeSplit;
    const nodeLeft = this.nodeLeft;
    const nodeRight = this.nodeRight;
    const out = new Int32Array(count);
    const q = new Float64Array(d);
    // candidate list sorted by distance; grows if many points tie at the radius
    let cap = Math.max(16, 2 * k);
    let cd = new Float64Array(cap);
    let ci = new Int32Array(cap);
    let m = 0;
    let radius = Infinity;
    const weights = new Float64Array(C);
    const boxMin = this.boxMin;
    const boxMax = this.boxMax;
    const boxDistance = (node: number): number => {
      let s2 = 0;
      for (let j = 0, o = node * d; j < d; j++) {
        const v = q[j]!;
        const lo = boxMin[o + j]!;
        const hi = boxMax[o + j]!;
        const e = v < lo ? lo - v : v > hi ? v - hi : 0;
        s2 += e * e;
      }
      return s2;
    };
    // explicit stack of nodes and their squared box distances
    let stackCap = 64;
    let stackNode = new Int32Array(stackCap);
    let stackDist = new Float64Array(stackCap);

    const insert = (dist: number, idx: number) => {
      let p = m;
      if (m === cap) {
        cap *= 2;
        cd = grown(cd, cap);
        ci = grown(ci, cap);
      }
      while (p > 0 && cd[p - 1]! > dist) {
        cd[p] = cd[p - 1]!;
        ci[p] = ci[p - 1]!;
        p--;
      }
      cd[p] = dist;
      ci[p] = idx;
      m++;
      // radius: distance at which the cumulative sample count reaches k
      let acc = 0;
      radius = Infinity;
      for (let t = 0; t < m; t++) {
        acc += total[ci[t]!]!;
        if (acc >= k) {
          radius = cd[t]!;
          let e = t + 1;
          while (e < m && cd[e] === radius) e++;
          m = e; // drop candidates beyond the radius
          break;
        }
      }
    };

    const step = 65536;
    for (let s = 0; s < count; s++) {
      const qo = first[s]! * d;
      for (let j = 0; j < d; j++) q[j] = data[qo + j]!;
      m = 0;
      radius = Infinity;
      stackNode[0] = 0;
      stackDist[0] = boxDistance(0);
      let sp = 1;
      while (sp > 0) {
        sp--;
        const node = stackNode[sp]!;
        if (stackDist[sp]! > radius) continue;
        const dim = nodeDim[node]!;
        if (dim < 0) {
          for (let p = nodeLo[node]!, hi = nodeHi[node]!; p < hi; p++) {
            let dist = 0;
            for (let j = 0, po = p * d; j < d; j++) {
              const e = pts[po + j]! - q[j]!;
              dist += e * e;
            }
            if (dist <= radius) insert(dist, p);
          }
          // distinct points: nothing else can be at distance 0
          if (radius === 0) break;
          continue;
        }
        const left = nodeLeft[node]!;
        const right = nodeRight[node]!;
        const dl = boxDistance(left);
        const dr = boxDistance(right);
        if (sp + 2 > stackCap) {
          stackCap *= 2;
          stackNode = grown(stackNode, stackCap);
          stackDist = grown(stackDist, stackCap);
        }
        // the nearer child goes on top of the stack: searched first
        const leftFirst = dl <= dr;
        const farNode = leftFirst ? right : left;
        const farDist = leftFirst ? dr : dl;
        const nearDist = leftFirst ? dl : dr;
        if (farDist <= radius) {
          stackNode[sp] = farNode;
          stackDist[sp] = farDist;
          sp++;
        }
        if (nearDist <= radius) {
          stackNode[sp] = leftFirst ? left : right;
          stackDist[sp] = nearDist;
          sp++;
        }
      }
      // vote: exactly k samples; the group at the radius shares the places left
      weights.fill(0);
      let left = k;
      let t = 0;
      let groupScale = 1;
      // first find the size of the boundary group to keep weights integral
      {
        let acc = 0;
        let e = 0;
        while (e < m) {
          let g = 0;
          const dist = cd[e]!;
          let f = e;
          while (f < m && cd[f] === dist) g += total[ci[f++]!]!;
          if (acc + g >= k) {
            groupScale = g;
            break;
          }
          acc += g;
          e = f;
        }
      }
      while (t < m && left > 0) {
        const dist = cd[t]!;
        let g = 0;
        let f = t;
        while (f < m && cd[f] === dist) g += total[ci[f++]!]!;
        const share = g <= left ? groupScale : left; // weight per sample, ×groupScale
        for (let u = t; u < f; u++) {
          const co = ci[u]! * C;
          for (let c = 0; c < C; c++) weights[c]! += this.counts[co + c]! * share;
        }
        left -= Math.min(g, left);
        t = f;
      }
      let best = 0;
      for (let c = 1; c < C; c++) if (weights[c]! > weights[best]!) best = c;
      out[s] = best;
      if (onProgress && (s + 1) % step === 0) onProgress({ done: s + 1, total: count });
    }
    onProgress?.({ done: count, total: count });
    return out;
  }
}

/** Reorders perm[lo..hi] so that perm[kth] holds the element of rank kth by key. */
function quickselect(perm: Int32Array, lo: number, hi: number, kth: number, key: (u: number) => number): void {
  while (hi > lo) {
    const pivot = key(perm[(lo + hi) >>> 1]!);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (key(perm[i]!) < pivot) i++;
      while (key(perm[j]!) > pivot) j--;
      if (i <= j) {
        const t = perm[i]!;
        perm[i] = perm[j]!;
        perm[j] = t;
        i++;
        j--;
      }
    }
    if (kth <= j) hi = j;
    else if (kth >= i) lo = i;
    else return;
  }
}
