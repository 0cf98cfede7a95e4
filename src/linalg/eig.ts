// keras.ops.linalg.eig: eigenvalues and right eigenvectors of general real square matrices,
// on the host in float64, in the steps of LAPACK's dgeev (what numpy and JAX call): balance
// (dgebal), Householder Hessenberg reduction (dgehd2), Francis double-shift QR to the real
// Schur form (dlahqr, dlanv2), back substitution (dtrevc), undo the balancing (dgebak), then
// dgeev's normalization. Following LAPACK's steps is what gives its order of eigenvalues.
import { tooManyArguments } from '../options/arity';
import { type TensorLike } from '../tensor/creation';
import { Tensor } from '../tensor/tensor';
import { cast } from '../ops/cast';
import { checkInputDType, NUMERIC_DTYPES, toTensor } from '../ops/convert';
import { checkFinite, fromBatch, hostOp, matrices, matrixAt, noGradient } from './batch';

const EPS = 2 ** -52; // dlamch('P')
const SAFMIN = 2 ** -1022; // dlamch('S')
const KEXSH = 10; // dlahqr: iterations without a deflation before an exceptional shift

// Fortran's SIGN(1, x): the sign bit, so -0 counts as negative.
const sgn = (x: number): number => (x < 0 || Object.is(x, -0) ? -1 : 1);

// dlarfg on v[0..len-1]: a reflector I - tau u u^T (u[0] = 1, u[1..] left in v) taking v to
// (beta, 0, ...); v[0] becomes beta. Returns tau.
function reflector(v: Float64Array | number[], len: number): number {
  let xnorm = 0;
  for (let i = 1; i < len; i++) xnorm += v[i] * v[i];
  xnorm = Math.sqrt(xnorm);
  if (xnorm === 0) return 0;
  const alpha = v[0];
  const beta = -sgn(alpha) * Math.hypot(alpha, xnorm);
  const scale = 1 / (alpha - beta);
  for (let i = 1; i < len; i++) v[i] *= scale;
  v[0] = beta;
  return (beta - alpha) / beta;
}

// dgebal('B'): permutes rows and columns to isolate eigenvalues (left out of the QR
// iteration) and scales rows and columns by powers of 2, in place. ilo..ihi: the rest.
function balance(a: Float64Array, n: number): { ilo: number; ihi: number; scale: Float64Array } {
  const scale = new Float64Array(n).fill(1);
  let k = 0;
  let l = n - 1;
  const exchange = (j: number, m: number) => {
    scale[m] = j;
    if (j === m) return;
    for (let i = 0; i <= l; i++) [a[i * n + j], a[i * n + m]] = [a[i * n + m], a[i * n + j]];
    for (let c = k; c < n; c++) [a[j * n + c], a[m * n + c]] = [a[m * n + c], a[j * n + c]];
  };
  // Rows with no off-diagonal entry in columns 0..l: their eigenvalues go to the bottom.
  for (let found = true; found;) {
    found = false;
    for (let j = l; j >= 0; j--) {
      let zero = true;
      for (let i = 0; i <= l && zero; i++) zero = i === j || a[j * n + i] === 0;
      if (!zero) continue;
      exchange(j, l);
      if (l === 0) return { ilo: 0, ihi: 0, scale };
      l--;
      found = true;
      break;
    }
  }
  // Columns with no off-diagonal entry in rows k..l: to the left.
  for (let found = true; found;) {
    found = false;
    for (let j = k; j <= l; j++) {
      let zero = true;
      for (let i = k; i <= l && zero; i++) zero = i === j || a[i * n + j] === 0;
      if (!zero) continue;
      exchange(j, k);
      k++;
      found = true;
      break;
    }
  }
  for (let i = k; i <= l; i++) scale[i] = 1;
  const sfmin1 = SAFMIN / EPS;
  const sfmax1 = 1 / sfmin1;
  const sfmin2 = sfmin1 * 2;
  const sfmax2 = 1 / sfmin2;
  for (let noconv = true; noconv;) {
    noconv = false;
    for (let i = k; i <= l; i++) {
      let c = 0;
      let r = 0;
      for (let t = k; t <= l; t++) {
        c += a[t * n + i] ** 2;
        r += a[i * n + t] ** 2;
      }
      c = Math.sqrt(c);
      r = Math.sqrt(r);
      let ca = 0;
      for (let t = 0; t <= l; t++) ca = Math.max(ca, Math.abs(a[t * n + i]));
      let ra = 0;
      for (let t = k; t < n; t++) ra = Math.max(ra, Math.abs(a[i * n + t]));
      if (c === 0 || r === 0) continue;
      let g = r / 2;
      let f = 1;
      const s = c + r;
      while (c < g && Math.max(f, c, ca) < sfmax2 && Math.min(r, g, ra) > sfmin2) [f, c, ca, r, g, ra] = [f * 2, c * 2, ca * 2, r / 2, g / 2, ra / 2];
      g = c / 2;
      while (g >= r && Math.max(r, ra) < sfmax2 && Math.min(f, c, g, ca) > sfmin2) [f, c, g, ca, r, ra] = [f / 2, c / 2, g / 2, ca / 2, r * 2, ra * 2];
      if (c + r >= 0.95 * s) continue;
      if (f < 1 && scale[i] < 1 && f * scale[i] <= sfmin1) continue;
      if (f > 1 && scale[i] > 1 && scale[i] >= sfmax1 / f) continue;
      scale[i] *= f;
      noconv = true;
      for (let t = k; t < n; t++) a[i * n + t] *= 1 / f;
      for (let t = 0; t <= l; t++) a[t * n + i] *= f;
    }
  }
  return { ilo: k, ihi: l, scale };
}

// dgehd2 and dorghr: a (in place) to upper Hessenberg form h = q^T a q; returns q.
function hessenberg(a: Float64Array, n: number, ilo: number, ihi: number): Float64Array {
  const vs: Float64Array[] = [];
  const taus: number[] = [];
  for (let i = ilo; i < ihi; i++) {
    const v = new Float64Array(ihi - i);
    for (let r = i + 1; r <= ihi; r++) v[r - i - 1] = a[r * n + i];
    const tau = reflector(v, v.length);
    a[(i + 1) * n + i] = v[0];
    for (let r = i + 2; r <= ihi; r++) a[r * n + i] = 0;
    v[0] = 1;
    vs.push(v);
    taus.push(tau);
    if (tau === 0) continue;
    // From the right to rows 0..ihi, then from the left to columns i+1..n-1.
    for (let row = 0; row <= ihi; row++) {
      let d = 0;
      for (let c = i + 1; c <= ihi; c++) d += a[row * n + c] * v[c - i - 1];
      d *= tau;
      for (let c = i + 1; c <= ihi; c++) a[row * n + c] -= d * v[c - i - 1];
    }
    for (let col = i + 1; col < n; col++) {
      let d = 0;
      for (let r = i + 1; r <= ihi; r++) d += v[r - i - 1] * a[r * n + col];
      d *= tau;
      for (let r = i + 1; r <= ihi; r++) a[r * n + col] -= d * v[r - i - 1];
    }
  }
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  // The reflectors applied to the identity, last first (dorg2r's order).
  for (let j = vs.length - 1; j >= 0; j--) {
    const i = ilo + j;
    const [v, tau] = [vs[j], taus[j]];
    if (tau === 0) continue;
    for (let col = i + 1; col <= ihi; col++) {
      let d = 0;
      for (let r = i + 1; r <= ihi; r++) d += v[r - i - 1] * q[r * n + col];
      d *= tau;
      for (let r = i + 1; r <= ihi; r++) q[r * n + col] -= d * v[r - i - 1];
    }
  }
  return q;
}

// dlanv2: the Schur factorization of the real 2 x 2 [[a, b], [c, d]]: either upper
// triangular (real eigenvalues) or with equal diagonal and b c < 0 (a complex pair).
function standardize2x2(a: number, b: number, c: number, d: number) {
  let cs = 1;
  let sn = 0;
  if (c === 0) {
    // Already triangular.
  } else if (b === 0) {
    [cs, sn, a, d, b, c] = [0, 1, d, a, -c, 0];
  } else if (a - d === 0 && sgn(b) !== sgn(c)) {
    // Already standard.
  } else {
    const temp = a - d;
    let p = 0.5 * temp;
    const bcmax = Math.max(Math.abs(b), Math.abs(c));
    const bcmis = Math.min(Math.abs(b), Math.abs(c)) * sgn(b) * sgn(c);
    const scale = Math.max(Math.abs(p), bcmax);
    let z = (p / scale) * p + (bcmax / scale) * bcmis;
    if (z >= 4 * EPS) {
      // Real eigenvalues.
      z = p + sgn(p) * Math.sqrt(scale) * Math.sqrt(z);
      a = d + z;
      d -= (bcmax / z) * bcmis;
      const tau = Math.hypot(c, z);
      [cs, sn, b, c] = [z / tau, c / tau, b - c, 0];
    } else {
      // Complex or nearly equal real eigenvalues: make the diagonal equal.
      const sigma = b + c;
      const tau = Math.hypot(sigma, temp);
      cs = Math.sqrt(0.5 * (1 + Math.abs(sigma) / tau));
      sn = -(p / (tau * cs)) * sgn(sigma);
      const [aa, bb, cc, dd] = [a * cs + b * sn, -a * sn + b * cs, c * cs + d * sn, -c * sn + d * cs];
      [a, b, c, d] = [aa * cs + cc * sn, bb * cs + dd * sn, -aa * sn + cc * cs, -bb * sn + dd * cs];
      const mid = 0.5 * (a + d);
      [a, d] = [mid, mid];
      if (c !== 0 && b === 0) {
        [b, c, cs, sn] = [-c, 0, -sn, cs];
      } else if (c !== 0 && sgn(b) === sgn(c)) {
        // Real after all: to upper triangular.
        const sab = Math.sqrt(Math.abs(b));
        const sac = Math.sqrt(Math.abs(c));
        p = sgn(c) * sab * sac;
        const t = 1 / Math.sqrt(Math.abs(b + c));
        [a, d, b, c] = [mid + p, mid - p, b - c, 0];
        const [cs1, sn1] = [sab * t, sac * t];
        [cs, sn] = [cs * cs1 - sn * sn1, cs * sn1 + sn * cs1];
      }
    }
  }
  const im = c === 0 ? 0 : Math.sqrt(Math.abs(b)) * Math.sqrt(Math.abs(c));
  return { a, b, c, d, rt1r: a, rt1i: im, rt2r: d, rt2i: -im, cs, sn };
}

// Rows (or columns) p and q of the n x n x, over the index range from..to, become
// c x_p + s x_q and c x_q - s x_p (BLAS drot).
function rot(x: Float64Array, n: number, p: number, q: number, from: number, to: number, c: number, s: number, rows: boolean): void {
  for (let k = from; k <= to; k++) {
    const ip = rows ? p * n + k : k * n + p;
    const iq = rows ? q * n + k : k * n + q;
    const [xp, xq] = [x[ip], x[iq]];
    x[ip] = c * xp + s * xq;
    x[iq] = c * xq - s * xp;
  }
}

// dlahqr (dhseqr's path for n < 75): the Hessenberg h to real Schur form in place, the
// transformations accumulated into z; the eigenvalues in wr, wi. False if it did not converge.
function schur(h: Float64Array, z: Float64Array, n: number, ilo: number, ihi: number, wr: Float64Array, wi: Float64Array): boolean {
  const H = (r: number, c: number) => h[r * n + c];
  for (let i = 0; i < n; i++) if (i < ilo || i > ihi) wr[i] = H(i, i);
  if (ilo === ihi) {
    wr[ilo] = H(ilo, ilo);
    return true;
  }
  for (let j = ilo; j <= ihi - 3; j++) h[(j + 2) * n + j] = h[(j + 3) * n + j] = 0;
  if (ilo <= ihi - 2) h[ihi * n + ihi - 2] = 0;
  const nh = ihi - ilo + 1;
  const smlnum = SAFMIN * (nh / EPS);
  const itmax = 30 * Math.max(10, nh);
  const v = [0, 0, 0];
  let kdefl = 0;
  for (let i = ihi; i >= ilo;) {
    let l = ilo;
    let split = false;
    for (let its = 0; its <= itmax && !split; its++) {
      // A negligible subdiagonal entry (Ahues & Tisseur's criterion).
      let k = i;
      for (; k > l; k--) {
        const sub = Math.abs(H(k, k - 1));
        if (sub <= smlnum) break;
        let tst = Math.abs(H(k - 1, k - 1)) + Math.abs(H(k, k));
        if (tst === 0) {
          if (k - 2 >= ilo) tst += Math.abs(H(k - 1, k - 2));
          if (k + 1 <= ihi) tst += Math.abs(H(k + 1, k));
        }
        if (sub <= EPS * tst) {
          const ab = Math.max(sub, Math.abs(H(k - 1, k)));
          const ba = Math.min(sub, Math.abs(H(k - 1, k)));
          const aa = Math.max(Math.abs(H(k, k)), Math.abs(H(k - 1, k - 1) - H(k, k)));
          const bb = Math.min(Math.abs(H(k, k)), Math.abs(H(k - 1, k - 1) - H(k, k)));
          const s = aa + ab;
          if (ba * (ab / s) <= Math.max(smlnum, EPS * (bb * (aa / s)))) break;
        }
      }
      l = k;
      if (l > ilo) h[l * n + l - 1] = 0;
      if (l >= i - 1) {
        split = true;
        break;
      }
      kdefl++;
      let h11: number, h12: number, h21: number, h22: number;
      if (kdefl % (2 * KEXSH) === 0) {
        const s = Math.abs(H(i, i - 1)) + Math.abs(H(i - 1, i - 2));
        h11 = 0.75 * s + H(i, i);
        [h12, h21, h22] = [-0.4375 * s, s, h11];
      } else if (kdefl % KEXSH === 0) {
        const s = Math.abs(H(l + 1, l)) + Math.abs(H(l + 2, l + 1));
        h11 = 0.75 * s + H(l, l);
        [h12, h21, h22] = [-0.4375 * s, s, h11];
      } else {
        [h11, h21, h12, h22] = [H(i - 1, i - 1), H(i, i - 1), H(i - 1, i), H(i, i)];
      }
      // The shifts: the eigenvalues of the trailing 2 x 2 (one of them twice when real).
      let [rt1r, rt1i, rt2r, rt2i] = [0, 0, 0, 0];
      const s = Math.abs(h11) + Math.abs(h12) + Math.abs(h21) + Math.abs(h22);
      if (s !== 0) {
        [h11, h21, h12, h22] = [h11 / s, h21 / s, h12 / s, h22 / s];
        const tr = (h11 + h22) / 2;
        const det = (h11 - tr) * (h22 - tr) - h12 * h21;
        const rtdisc = Math.sqrt(Math.abs(det));
        if (det >= 0) {
          [rt1r, rt1i] = [tr * s, rtdisc * s];
          [rt2r, rt2i] = [rt1r, -rt1i];
        } else {
          const [r1, r2] = [tr + rtdisc, tr - rtdisc];
          rt1r = rt2r = (Math.abs(r1 - h22) <= Math.abs(r2 - h22) ? r1 : r2) * s;
        }
      }
      // Two consecutive small subdiagonal entries: where the double-shift step starts.
      let m = i - 2;
      for (; m >= l; m--) {
        let h21s = H(m + 1, m);
        let sc = Math.abs(H(m, m) - rt2r) + Math.abs(rt2i) + Math.abs(h21s);
        h21s = H(m + 1, m) / sc;
        v[0] = h21s * H(m, m + 1) + (H(m, m) - rt1r) * ((H(m, m) - rt2r) / sc) - rt1i * (rt2i / sc);
        v[1] = h21s * (H(m, m) + H(m + 1, m + 1) - rt1r - rt2r);
        v[2] = h21s * H(m + 2, m + 1);
        sc = Math.abs(v[0]) + Math.abs(v[1]) + Math.abs(v[2]);
        [v[0], v[1], v[2]] = [v[0] / sc, v[1] / sc, v[2] / sc];
        if (m === l) break;
        const lhs = Math.abs(H(m, m - 1)) * (Math.abs(v[1]) + Math.abs(v[2]));
        if (lhs <= EPS * Math.abs(v[0]) * (Math.abs(H(m - 1, m - 1)) + Math.abs(H(m, m)) + Math.abs(H(m + 1, m + 1)))) break;
      }
      // The double-shift step: a bulge made at m and chased down to i.
      for (let kk = m; kk <= i - 1; kk++) {
        const nr = Math.min(3, i - kk + 1);
        if (kk > m) for (let t = 0; t < nr; t++) v[t] = H(kk + t, kk - 1);
        const t1 = reflector(v, nr);
        if (kk > m) {
          h[kk * n + kk - 1] = v[0];
          h[(kk + 1) * n + kk - 1] = 0;
          if (kk < i - 1) h[(kk + 2) * n + kk - 1] = 0;
        } else if (m > l) {
          h[kk * n + kk - 1] *= 1 - t1;
        }
        const v2 = v[1];
        const t2 = t1 * v2;
        const v3 = nr === 3 ? v[2] : 0;
        const t3 = t1 * v3;
        const cols = nr === 3 ? [kk, kk + 1, kk + 2] : [kk, kk + 1];
        for (let j = kk; j < n; j++) {
          const sum = H(kk, j) + v2 * H(kk + 1, j) + (nr === 3 ? v3 * H(kk + 2, j) : 0);
          h[kk * n + j] -= sum * t1;
          h[(kk + 1) * n + j] -= sum * t2;
          if (nr === 3) h[(kk + 2) * n + j] -= sum * t3;
        }
        const last = nr === 3 ? Math.min(kk + 3, i) : i;
        for (const [x, from, to] of [
          [h, 0, last],
          [z, ilo, ihi],
        ] as const) {
          for (let j = from; j <= to; j++) {
            const sum = x[j * n + cols[0]] + v2 * x[j * n + cols[1]] + (nr === 3 ? v3 * x[j * n + cols[2]] : 0);
            x[j * n + kk] -= sum * t1;
            x[j * n + kk + 1] -= sum * t2;
            if (nr === 3) x[j * n + kk + 2] -= sum * t3;
          }
        }
      }
    }
    if (!split) return false;
    if (l === i) {
      wr[i] = H(i, i);
      wi[i] = 0;
    } else {
      // A 2 x 2 block split off: to standard form, the rotation applied to the rest of h and to z.
      const f = standardize2x2(H(i - 1, i - 1), H(i - 1, i), H(i, i - 1), H(i, i));
      [h[(i - 1) * n + i - 1], h[(i - 1) * n + i], h[i * n + i - 1], h[i * n + i]] = [f.a, f.b, f.c, f.d];
      [wr[i - 1], wi[i - 1], wr[i], wi[i]] = [f.rt1r, f.rt1i, f.rt2r, f.rt2i];
      if (i < n - 1) rot(h, n, i - 1, i, i + 1, n - 1, f.cs, f.sn, true);
      rot(h, n, i - 1, i, 0, i - 2, f.cs, f.sn, false);
      rot(z, n, i - 1, i, ilo, ihi, f.cs, f.sn, false);
    }
    kdefl = 0;
    i = l - 1;
  }
  return true;
}

// Complex division (Smith's), as [re, im].
function cdiv(ar: number, ai: number, br: number, bi: number): [number, number] {
  if (Math.abs(bi) <= Math.abs(br)) {
    const r = bi / br;
    const d = br + bi * r;
    return [(ar + ai * r) / d, (ai - ar * r) / d];
  }
  const r = br / bi;
  const d = bi + br * r;
  return [(ar * r + ai) / d, (ai * r - ar) / d];
}

// Solves (T(j0..j1, j0..j1) - lambda) x = rhs in place for a 1 x 1 or 2 x 2 diagonal block
// of the quasi-triangular t, by complete pivoting; a pivot under smin is replaced by smin,
// as LAPACK's dlaln2 does (which is what gives defective matrices numpy's eigenvectors).
function solveBlock(t: Float64Array, n: number, j0: number, j1: number, lr: number, li: number, xr: Float64Array, xi: Float64Array, smin: number): void {
  const cabs = (r: number, i: number) => Math.abs(r) + Math.abs(i);
  if (j0 === j1) {
    let [cr, ci] = [t[j0 * n + j0] - lr, -li];
    if (cabs(cr, ci) < smin) [cr, ci] = [smin, 0];
    [xr[j0], xi[j0]] = cdiv(xr[j0], xi[j0], cr, ci);
    return;
  }
  const idx = [j0, j1];
  const c = [0, 1].map((r) => [0, 1].map((k) => [t[idx[r] * n + idx[k]] - (r === k ? lr : 0), r === k ? -li : 0]));
  let [pr, pc, best] = [0, 0, -1];
  for (let r = 0; r < 2; r++) for (let k = 0; k < 2; k++) if (cabs(c[r][k][0], c[r][k][1]) > best) [pr, pc, best] = [r, k, cabs(c[r][k][0], c[r][k][1])];
  if (best < smin) {
    for (const j of idx) [xr[j], xi[j]] = [xr[j] / smin, xi[j] / smin];
    return;
  }
  const [qr, qc] = [1 - pr, 1 - pc];
  const [b1r, b1i] = [xr[idx[pr]], xi[idx[pr]]];
  const [b2r, b2i] = [xr[idx[qr]], xi[idx[qr]]];
  const [lr21, li21] = cdiv(c[qr][pc][0], c[qr][pc][1], c[pr][pc][0], c[pr][pc][1]);
  let ur = c[qr][qc][0] - (lr21 * c[pr][qc][0] - li21 * c[pr][qc][1]);
  let ui = c[qr][qc][1] - (lr21 * c[pr][qc][1] + li21 * c[pr][qc][0]);
  if (cabs(ur, ui) < smin) [ur, ui] = [smin, 0];
  const [y2r, y2i] = cdiv(b2r - (lr21 * b1r - li21 * b1i), b2i - (lr21 * b1i + li21 * b1r), ur, ui);
  const [y1r, y1i] = cdiv(b1r - (c[pr][qc][0] * y2r - c[pr][qc][1] * y2i), b1i - (c[pr][qc][0] * y2i + c[pr][qc][1] * y2r), c[pr][pc][0], c[pr][pc][1]);
  [xr[idx[pc]], xi[idx[pc]]] = [y1r, y1i];
  [xr[idx[qc]], xi[idx[qc]]] = [y2r, y2i];
}

// dtrevc's back substitution: x (real, imag) for the eigenvalue lr + i li of the
// quasi-triangular t, x zero below row ki, with the start given in x and the right side set.
// Where a solution or the update of the right side would overflow (near-singular blocks of
// defective matrices), the whole vector is scaled down first, as dtrevc's scale does.
function backSubstitute(t: Float64Array, n: number, top: number, lr: number, li: number, xr: Float64Array, xi: Float64Array): void {
  const smlnum = SAFMIN * (n / EPS);
  const bignum = (1 - EPS) / smlnum;
  const smin = Math.max(EPS * (Math.abs(lr) + Math.abs(li)), smlnum);
  const scaleAll = (f: number) => {
    for (let k = 0; k < n; k++) [xr[k], xi[k]] = [xr[k] * f, xi[k] * f];
  };
  const size = (from: number, to: number) => {
    let m = 0;
    for (let c = from; c <= to; c++) m = Math.max(m, Math.abs(xr[c]) + Math.abs(xi[c]));
    return m;
  };
  for (let j = top; j >= 0;) {
    const j0 = j > 0 && t[j * n + j - 1] !== 0 ? j - 1 : j;
    const [br, bi] = [xr.slice(j0, j + 1), xi.slice(j0, j + 1)];
    solveBlock(t, n, j0, j, lr, li, xr, xi, smin);
    if (!(size(j0, j) <= bignum)) {
      xr.set(br, j0);
      xi.set(bi, j0);
      scaleAll(1 / size(j0, j));
      solveBlock(t, n, j0, j, lr, li, xr, xi, smin);
    }
    const xnorm = size(j0, j);
    let column = 0;
    for (let c = j0; c <= j; c++) {
      let s = 0;
      for (let k = 0; k < j0; k++) s += Math.abs(t[k * n + c]);
      column = Math.max(column, s);
    }
    if (xnorm > 1 && column > bignum / xnorm) scaleAll(1 / xnorm);
    for (let k = 0; k < j0; k++) {
      for (let c = j0; c <= j; c++) {
        xr[k] -= t[k * n + c] * xr[c];
        xi[k] -= t[k * n + c] * xi[c];
      }
    }
    j = j0 - 1;
  }
}

/** Eigenvalues (wr + i wi) and right eigenvectors (columns of vr + i vi) of the real n x n a, as numpy.linalg.eig gives them; null if the QR algorithm did not converge. */
export function eigHost(a: Float64Array, n: number): { wr: Float64Array; wi: Float64Array; vr: Float64Array; vi: Float64Array } | null {
  const h = a.slice();
  // dgeev: a matrix whose entries are all tiny or huge is scaled into range first.
  const anrm = h.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  const smlnum = Math.sqrt(SAFMIN) / EPS;
  const cscale = anrm > 0 && anrm < smlnum ? smlnum : anrm > 1 / smlnum ? 1 / smlnum : 0;
  if (cscale !== 0) for (let i = 0; i < h.length; i++) h[i] *= cscale / anrm;
  const { ilo, ihi, scale } = balance(h, n);
  const z = hessenberg(h, n, ilo, ihi);
  const wr = new Float64Array(n);
  const wi = new Float64Array(n);
  if (!schur(h, z, n, ilo, ihi, wr, wi)) return null;
  // The eigenvectors of the Schur form t = h, taken back by z (dtrevc).
  const v = new Float64Array(n * n);
  const xr = new Float64Array(n);
  const xi = new Float64Array(n);
  // v = z x, then (dtrevc) scaled to a largest entry of 1, which keeps the norms below finite.
  const back = (cols: number[], xs: Float64Array[], top: number) => {
    let emax = 0;
    for (let r = 0; r < n; r++) {
      let e = 0;
      cols.forEach((col, q) => {
        let s = 0;
        for (let c = 0; c <= top; c++) s += z[r * n + c] * xs[q][c];
        v[r * n + col] = s;
        e += Math.abs(s);
      });
      emax = Math.max(emax, e);
    }
    for (let r = 0; r < n; r++) for (const col of cols) v[r * n + col] /= emax;
  };
  for (let ki = n - 1; ki >= 0; ki--) {
    xr.fill(0);
    xi.fill(0);
    if (ki > 0 && h[ki * n + ki - 1] !== 0) {
      // A complex pair (ki - 1, ki): the vector of wr + i wi, wi > 0, with dtrevc's start.
      const [b, c] = [h[(ki - 1) * n + ki], h[ki * n + ki - 1]];
      const w = Math.sqrt(Math.abs(b)) * Math.sqrt(Math.abs(c));
      if (Math.abs(b) >= Math.abs(c)) [xr[ki - 1], xi[ki]] = [1, w / b];
      else [xr[ki - 1], xi[ki]] = [-w / c, 1];
      for (let k = 0; k < ki - 1; k++) [xr[k], xi[k]] = [-xr[ki - 1] * h[k * n + ki - 1], -xi[ki] * h[k * n + ki]];
      backSubstitute(h, n, ki - 2, h[ki * n + ki], w, xr, xi);
      back([ki - 1, ki], [xr, xi], ki);
      ki--;
    } else {
      xr[ki] = 1;
      for (let k = 0; k < ki; k++) xr[k] = -h[k * n + ki];
      backSubstitute(h, n, ki - 1, h[ki * n + ki], 0, xr, xi);
      back([ki], [xr], ki);
    }
  }
  // Undo the balancing (dgebak): the scaling, then the permutations.
  // (With ilo = ihi, scale[ilo] is a permutation index, not a factor.)
  if (ilo !== ihi) for (let i = ilo; i <= ihi; i++) for (let c = 0; c < n; c++) v[i * n + c] *= scale[i];
  for (let ii = 0; ii < n; ii++) {
    if (ii >= ilo && ii <= ihi) continue;
    const i = ii < ilo ? ilo - 1 - ii : ii;
    const k = scale[i];
    if (k !== i) for (let c = 0; c < n; c++) [v[i * n + c], v[k * n + c]] = [v[k * n + c], v[i * n + c]];
  }
  if (cscale !== 0) for (let i = 0; i < n; i++) [wr[i], wi[i]] = [wr[i] * (anrm / cscale), wi[i] * (anrm / cscale)];
  // dgeev's normalization: unit 2-norm; a complex vector turned so that its largest entry is real.
  const vr = new Float64Array(n * n);
  const vi = new Float64Array(n * n);
  const col = (c: number) => Float64Array.from({ length: n }, (_, r) => v[r * n + c]);
  const norm = (x: Float64Array) => {
    const m = x.reduce((p, e) => Math.max(p, Math.abs(e)), 0);
    return m === 0 ? 0 : m * Math.sqrt(x.reduce((p, e) => p + (e / m) ** 2, 0));
  };
  for (let j = 0; j < n; j++) {
    if (wi[j] === 0) {
      const re = col(j);
      const s = norm(re);
      for (let r = 0; r < n; r++) vr[r * n + j] = re[r] / s;
      continue;
    }
    const [re, im] = [col(j), col(j + 1)];
    const s = Math.hypot(norm(re), norm(im));
    let k = 0;
    for (let r = 0; r < n; r++) {
      [re[r], im[r]] = [re[r] / s, im[r] / s];
      if (re[r] ** 2 + im[r] ** 2 > re[k] ** 2 + im[k] ** 2) k = r;
    }
    // dlartg(re_k, im_k) (LAPACK >= 3.10) and drot: entry k becomes real, of its real part's sign.
    const [f, g] = [re[k], im[k]];
    const r = sgn(f) * Math.hypot(f, g);
    const [cs, sn] = g === 0 ? [1, 0] : f === 0 ? [0, sgn(g)] : [Math.abs(f) / Math.abs(r), g / r];
    for (let r = 0; r < n; r++) {
      const [x, y] = [cs * re[r] + sn * im[r], cs * im[r] - sn * re[r]];
      [vr[r * n + j], vi[r * n + j], vr[r * n + j + 1], vi[r * n + j + 1]] = [x, y, x, -y];
    }
    vi[k * n + j] = vi[k * n + j + 1] = 0;
    j++;
  }
  return { wr, wi, vr, vi };
}

/**
 * keras.ops.linalg.eig (also keras.ops.eig): the eigenvalues and right eigenvectors of each
 * real square matrix of x, x v = w v, as numpy.linalg.eig and Keras on JAX give them.
 *
 * Tessera has no complex dtype: as fft's, complex results are [real, imag] pairs of tensors
 * of the input's dtype, so this returns [[wRe, wIm], [vRe, vIm]] with w of shape [..., n] and
 * v [..., n, n], column j of v the eigenvector of w[j] (imaginary parts zero where real).
 * int32 and bool matrices are computed in float32, as Keras's. The order is LAPACK dgeev's
 * (numpy's and JAX's; for n >= 75 LAPACK switches to another QR variant, whose order can
 * differ); a complex pair comes as (a + bi, a - bi), b > 0. Each eigenvector has unit 2-norm;
 * a complex one is turned so that its largest entry is real, of the sign dgeev gives it.
 * Eigenvectors are only defined up to a complex factor, and that sign (as a real vector's)
 * follows the Schur form, which rounding can tip: against numpy on 1000 random matrices every
 * eigenvalue came in numpy's order, and about 5% of the complex eigenvectors of Gaussian
 * matrices (more of skew-symmetric ones) with the opposite sign. Where two entries are equally
 * large, or an eigenvalue repeats, another library may also give another multiple or basis.
 * NaN or Infinity is an error (as numpy's LinAlgError). There is no gradient.
 * @example const [[wRe, wIm], [vRe, vIm]] = ts.linalg.eig(ts.tensor([[0, -1], [1, 0]])); // w = +-i
 */
export function eig(x: TensorLike): [[Tensor, Tensor], [Tensor, Tensor]] {
  if (arguments.length > 1) throw tooManyArguments('linalg.eig', 1, arguments.length);
  const op = 'linalg.eig';
  let input = toTensor(op, 'x', x);
  checkInputDType(op, 'x', input, [...NUMERIC_DTYPES, 'bool']);
  if (input.dtype === 'int32' || input.dtype === 'bool') input = cast(input, 'float32');
  const { t, batch, n } = matrices(op, 'x', input, true);
  const lead = t.shape.slice(0, -2);
  const [wr, wi, vr, vi] = hostOp(
    op,
    [t],
    () => {
      const data = t.dataSync() as ArrayLike<number>;
      // 0 x 0 matrices: nothing to factor, however many (a loop over 2**31 of them would hang).
      const fs = Array.from({ length: n === 0 ? 0 : batch }, (_, b) => {
        const a = matrixAt(data, b, n * n);
        checkFinite(op, a, b, batch);
        const f = eigHost(a, n);
        if (f === null)
          throw new Error(
            `${op}: the QR algorithm did not converge for the matrix${batch > 1 ? ` at batch index ${b}` : ''} (numpy: "Eigenvalues did not converge")`,
          );
        return f;
      });
      const out = (key: 'wr' | 'wi' | 'vr' | 'vi', shape: number[]) =>
        fromBatch(
          fs.map((f) => f[key]),
          shape,
          t.dtype,
          t.device,
        );
      return [out('wr', [...lead, n]), out('wi', [...lead, n]), out('vr', t.shape), out('vi', t.shape)];
    },
    () => ({ grad: noGradient(op, "eig is not differentiable here (Keras's eig defines no gradient on most backends)") }),
  );
  return [
    [wr, wi],
    [vr, vi],
  ];
}
