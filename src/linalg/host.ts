// Dense factorizations of one small matrix on the host in float64 (row-major Float64Arrays):
// the matrices of linear algebra in models are small, so a plain O(n^3) loop is enough.

/** The lower Cholesky factor of the n x n matrix a (only its lower triangle read), or null when a is not positive definite. */
export function choleskyHost(a: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= l[j * n + k] * l[j * n + k];
    // Not d <= 0 alone: a NaN pivot is not positive either.
    if (!(d > 0)) return null;
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

/** An LU factorization with partial pivoting. */
export interface LuResult {
  /** L below the diagonal (its unit diagonal implied), U on and above. */
  lu: Float64Array;
  /** Row i was swapped with row pivots[i] at step i (LAPACK's order, 0-based). */
  pivots: Int32Array;
  /** (-1)^swaps. */
  sign: number;
  /** An exactly zero pivot: a is singular. */
  singular: boolean;
}

/** LU with partial pivoting of the n x n matrix a (a copy; a is not changed). */
export function luHost(a: Float64Array, n: number): LuResult {
  const lu = a.slice();
  const pivots = new Int32Array(n);
  let sign = 1;
  let singular = false;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(lu[i * n + k]) > Math.abs(lu[p * n + k])) p = i;
    pivots[k] = p;
    if (p !== k) {
      sign = -sign;
      for (let j = 0; j < n; j++) [lu[k * n + j], lu[p * n + j]] = [lu[p * n + j], lu[k * n + j]];
    }
    const pivot = lu[k * n + k];
    if (pivot === 0) {
      singular = true;
      continue;
    }
    for (let i = k + 1; i < n; i++) {
      const f = (lu[i * n + k] /= pivot);
      for (let j = k + 1; j < n; j++) lu[i * n + j] -= f * lu[k * n + j];
    }
  }
  return { lu, pivots, sign, singular };
}

/** Solves a x = b for the n x n matrix a given by its LU and the n x k right-hand side b (row-major). */
export function luSolveHost(f: LuResult, n: number, b: Float64Array, k: number): Float64Array {
  const x = b.slice();
  for (let i = 0; i < n; i++) {
    const p = f.pivots[i];
    if (p !== i) for (let j = 0; j < k; j++) [x[i * k + j], x[p * k + j]] = [x[p * k + j], x[i * k + j]];
  }
  triSolveInPlace(f.lu, n, x, k, true, true);
  triSolveInPlace(f.lu, n, x, k, false, false);
  return x;
}

/** Solves t x = b in place of b (n x k) with the lower or upper triangle of the n x n t; `unit`: a unit diagonal. */
export function triSolveInPlace(t: Float64Array, n: number, b: Float64Array, k: number, lower: boolean, unit = false): void {
  for (let s = 0; s < n; s++) {
    const i = lower ? s : n - 1 - s;
    const from = lower ? 0 : i + 1;
    const to = lower ? i : n;
    for (let c = from; c < to; c++) {
      const tic = t[i * n + c];
      if (tic !== 0) for (let j = 0; j < k; j++) b[i * k + j] -= tic * b[c * k + j];
    }
    if (!unit) for (let j = 0; j < k; j++) b[i * k + j] /= t[i * n + i];
  }
}

/**
 * Householder QR of the m x n matrix a: q (m x r) and r (r x n), r = m when `complete`,
 * else min(m, n). LAPACK's reflectors (geqrf): a diagonal of r is -sign(a_kk) times the
 * column's norm, and a column already zero below the diagonal is left as it is.
 */
export function qrHost(a: Float64Array, m: number, n: number, complete: boolean): { q: Float64Array; r: Float64Array; k: number } {
  const w = a.slice();
  const steps = Math.min(m - 1, n);
  const vs: Float64Array[] = [];
  const taus: number[] = [];
  for (let j = 0; j < Math.max(steps, 0); j++) {
    const alpha = w[j * n + j];
    let tail = 0;
    for (let i = j + 1; i < m; i++) tail = Math.hypot(tail, w[i * n + j]);
    const v = new Float64Array(m);
    if (tail === 0) {
      vs.push(v);
      taus.push(0);
      continue;
    }
    const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, tail);
    // H = I - tau v v^T with v_j = 1, as dlarfg.
    const tau = (beta - alpha) / beta;
    v[j] = 1;
    for (let i = j + 1; i < m; i++) v[i] = w[i * n + j] / (alpha - beta);
    applyReflector(w, m, n, v, tau, j);
    vs.push(v);
    taus.push(tau);
  }
  const k = complete ? m : Math.min(m, n);
  // Q's first k columns: the reflectors applied, last first, to those of the identity.
  const q = new Float64Array(m * k);
  for (let i = 0; i < Math.min(m, k); i++) q[i * k + i] = 1;
  for (let j = vs.length - 1; j >= 0; j--) applyReflector(q, m, k, vs[j], taus[j], j);
  const r = new Float64Array(k * n);
  for (let i = 0; i < Math.min(k, m); i++) for (let c = i; c < n; c++) r[i * n + c] = w[i * n + c];
  return { q, r, k };
}

// x := (I - tau v v^T) x for the m x cols matrix x, where v is zero above row `from`.
function applyReflector(x: Float64Array, m: number, cols: number, v: Float64Array, tau: number, from: number): void {
  if (tau === 0) return;
  for (let c = 0; c < cols; c++) {
    let d = 0;
    for (let i = from; i < m; i++) d += v[i] * x[i * cols + c];
    d *= tau;
    for (let i = from; i < m; i++) x[i * cols + c] -= d * v[i];
  }
}

/** Eigenvalues (ascending) and eigenvectors (columns of v) of the symmetric n x n a, by cyclic Jacobi rotations. */
export function eighHost(a: Float64Array, n: number): { w: Float64Array; v: Float64Array } {
  const s = a.slice();
  // Symmetrize from the lower triangle, the part LAPACK's syevd (and torch's default) reads.
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s[i * n + j] = s[j * n + i];
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const e = s[i * n + j] * s[i * n + j];
        total += e;
        if (i !== j) off += e;
      }
    }
    if (!(off > 1e-30 * total)) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = s[p * n + q];
        if (apq === 0) continue;
        const theta = (s[q * n + q] - s[p * n + p]) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.hypot(theta, 1));
        const c = 1 / Math.hypot(t, 1);
        rotate(s, n, n, p, q, c, t * c, true);
        rotate(s, n, n, p, q, c, t * c, false);
        rotate(v, n, n, p, q, c, t * c, true);
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => s[i * n + i] - s[j * n + j]);
  const w = Float64Array.from(order, (i) => s[i * n + i]);
  return { w, v: permuteColumns(v, n, n, order) };
}

// Columns (or rows) p and q of the rows x cols x become c x_p - s x_q and s x_p + c x_q.
function rotate(x: Float64Array, rows: number, cols: number, p: number, q: number, c: number, s: number, columns: boolean): void {
  const count = columns ? rows : cols;
  for (let k = 0; k < count; k++) {
    const ip = columns ? k * cols + p : p * cols + k;
    const iq = columns ? k * cols + q : q * cols + k;
    const xp = x[ip];
    const xq = x[iq];
    x[ip] = c * xp - s * xq;
    x[iq] = s * xp + c * xq;
  }
}

function permuteColumns(x: Float64Array, rows: number, cols: number, order: number[]): Float64Array {
  const y = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < order.length; j++) y[i * cols + j] = x[i * cols + order[j]];
  return y;
}

/**
 * The SVD a = u diag(s) v^T of the m x n a by one-sided Jacobi (Hestenes): s descending
 * (min(m, n) of them), u m x ku and v n x kv, with ku = m and kv = n when `full`, else both min(m, n).
 */
export function svdHost(a: Float64Array, m: number, n: number, full: boolean): { u: Float64Array; s: Float64Array; v: Float64Array; ku: number; kv: number } {
  if (m < n) {
    // a^T = v s u^T: the wide case from the tall one.
    const t = transposeHost(a, m, n);
    const r = svdHost(t, n, m, full);
    return { u: r.v, s: r.s, v: r.u, ku: r.kv, kv: r.ku };
  }
  const w = a.slice();
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < m; i++) {
          alpha += w[i * n + p] * w[i * n + p];
          beta += w[i * n + q] * w[i * n + q];
          gamma += w[i * n + p] * w[i * n + q];
        }
        if (!(Math.abs(gamma) > 1e-15 * Math.sqrt(alpha * beta))) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.hypot(zeta, 1));
        const c = 1 / Math.hypot(t, 1);
        rotate(w, m, n, p, q, c, c * t, true);
        rotate(v, n, n, p, q, c, c * t, true);
      }
    }
    if (!rotated) break;
  }
  const norms = Array.from({ length: n }, (_, j) => {
    let s = 0;
    for (let i = 0; i < m; i++) s = Math.hypot(s, w[i * n + j]);
    return s;
  });
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => norms[j] - norms[i]);
  const s = Float64Array.from(order, (j) => norms[j]);
  const ku = full ? m : n;
  const u = new Float64Array(m * ku);
  const basis: number[] = [];
  // A column of a singular value at rounding level is noise, not a direction: completed below.
  const tiny = s.length > 0 ? s[0] * Math.max(m, n) * 2 ** -52 : 0;
  order.forEach((j, c) => {
    if (!(s[c] > tiny)) return;
    for (let i = 0; i < m; i++) u[i * ku + c] = w[i * n + j] / s[c];
    basis.push(c);
  });
  // Columns of (numerically) zero singular values, and the rest of a full u: completed to an orthonormal basis.
  completeBasis(u, m, ku, basis);
  return { u, s, v: permuteColumns(v, n, n, order), ku, kv: n };
}

// Fills the columns of the m x k x not in `done` (orthonormal columns) with unit vectors
// orthogonal to all others: standard basis vectors, twice Gram-Schmidt'ed, the largest remainder first.
function completeBasis(x: Float64Array, m: number, k: number, done: number[]): void {
  const have = new Set(done);
  const cols = [...done];
  for (let c = 0; c < k; c++) {
    if (have.has(c)) continue;
    let best: Float64Array | null = null;
    let bestNorm = -1;
    for (let e = 0; e < m; e++) {
      const y = new Float64Array(m);
      y[e] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (const d of cols) {
          let dot = 0;
          for (let i = 0; i < m; i++) dot += x[i * k + d] * y[i];
          for (let i = 0; i < m; i++) y[i] -= dot * x[i * k + d];
        }
      }
      let nrm = 0;
      for (let i = 0; i < m; i++) nrm = Math.hypot(nrm, y[i]);
      if (nrm > bestNorm + 1e-12) [best, bestNorm] = [y, nrm];
    }
    for (let i = 0; i < m; i++) x[i * k + c] = best![i] / bestNorm;
    cols.push(c);
  }
}

/** The n x m transpose of the m x n a. */
export function transposeHost(a: Float64Array, m: number, n: number): Float64Array {
  // An empty side: nothing to move (a loop over 2**32 empty rows would spin for seconds).
  if (m === 0 || n === 0) return new Float64Array(0);
  const t = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[j * m + i] = a[i * n + j];
  return t;
}
