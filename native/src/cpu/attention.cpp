// Fused scaled-dot-product attention, tiled with an online softmax so no [T, T] matrix
// is ever materialized: the forward keeps only each row's log-sum-exp, the backward
// recomputes the probabilities block by block (flash-attention's algorithm on the CPU).
//
//   attention_fused           inputs  q [N, Tq, D], k [N, Tk, D], v [N, Tk, Dv]
//                             outputs o [N, Tq, Dv], lse [N, Tq] (log-sum-exp of each row's scaled logits)
//                             attrs   ops.def's row (scale, causal)
//   attention_fused_backward  inputs  q, k, v, o, lse, do
//                             outputs dq, dk, dv
//                             attrs   ops.def's row (scale, causal)
//
// N is batch x heads. causal: query i attends keys j <= i (Keras's mask, top-left
// aligned). A row with no key to attend (Tk = 0) gives zeros. float32 and float64;
// accumulation in the input's type. A clean blocked loop (query blocks of kBq rows
// against key blocks of kBk keys); the packed GEMM micro-kernels are not used yet.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "tessera/kernel.h"
#include "tessera/op_attrs.h"
#include "tessera/thread_pool.h"

namespace tessera::cpu {
namespace {

constexpr int64_t kBq = 32;  // query rows per block
constexpr int64_t kBk = 64;  // keys per block

struct Attrs {
  double scale;
  bool causal;
};

// The attributes (ops.def's row; the addon checked them).
Attrs read_attrs(const KernelArgs& args) {
  const auto a = attrs::AttentionFusedAttrs::read(args);
  return Attrs{a.scale, a.causal};
}

void check_shapes(const char* op, const View& q, const View& k, const View& v) {
  TK_CHECK(q.rank() == 3 && k.rank() == 3 && v.rank() == 3, op << ": expected q, k, v of rank 3 [N, T, D]");
  TK_CHECK(k.dim(0) == q.dim(0) && v.dim(0) == q.dim(0), op << ": expected q, k, v of one leading size N");
  TK_CHECK(k.dim(2) == q.dim(2), op << ": expected q and k of one depth, got " << q.dim(2) << " and " << k.dim(2));
  TK_CHECK(v.dim(1) == k.dim(1), op << ": expected k and v of one length, got " << k.dim(1) << " and " << v.dim(1));
  TK_CHECK(q.dtype() == k.dtype() && q.dtype() == v.dtype(), op << ": expected q, k, v of one dtype");
}

// The keys query row i may attend: [0, limit).
inline int64_t key_limit(bool causal, int64_t i, int64_t tk) { return causal ? std::min(tk, i + 1) : tk; }

// s[r][c] = scale * q_r . k_c for a block of rows and keys.
template <typename T>
void block_logits(const T* q, const T* k, int64_t d, int64_t rows, int64_t cols, T scale, T* s) {
  for (int64_t r = 0; r < rows; ++r) {
    const T* qr = q + r * d;
    for (int64_t c = 0; c < cols; ++c) {
      const T* kc = k + c * d;
      T acc = 0;
      for (int64_t x = 0; x < d; ++x) acc += qr[x] * kc[x];
      s[r * kBk + c] = acc * scale;
    }
  }
}

template <typename T>
void forward(const View& qv, const View& kv, const View& vv, const View& ov, const View& lv, const Attrs& a) {
  const int64_t n = qv.dim(0), tq = qv.dim(1), tk = kv.dim(1), d = qv.dim(2), dv = vv.dim(2);
  const T* Q = qv.data<T>();
  const T* K = kv.data<T>();
  const T* V = vv.data<T>();
  T* O = ov.data<T>();
  T* L = lv.data<T>();
  const T scale = static_cast<T>(a.scale);
  const int64_t qblocks = (tq + kBq - 1) / kBq;
  parallel_for(0, n * qblocks, 1, [&](int64_t lo, int64_t hi) {
    std::vector<T> s(kBq * kBk), acc(kBq * dv), m(kBq), l(kBq);
    for (int64_t task = lo; task < hi; ++task) {
      const int64_t b = task / qblocks, r0 = (task % qblocks) * kBq, rows = std::min(kBq, tq - r0);
      const T* q = Q + (b * tq + r0) * d;
      std::fill(acc.begin(), acc.end(), T(0));
      std::fill(m.begin(), m.end(), -std::numeric_limits<T>::infinity());
      std::fill(l.begin(), l.end(), T(0));
      const int64_t kend = key_limit(a.causal, r0 + rows - 1, tk);
      for (int64_t c0 = 0; c0 < kend; c0 += kBk) {
        const int64_t cols = std::min(kBk, kend - c0);
        block_logits(q, K + (b * tk + c0) * d, d, rows, cols, scale, s.data());
        for (int64_t r = 0; r < rows; ++r) {
          const int64_t valid = std::min(cols, key_limit(a.causal, r0 + r, tk) - c0);
          if (valid <= 0) continue;
          T* sr = &s[r * kBk];
          T block_max = sr[0];
          for (int64_t c = 1; c < valid; ++c) block_max = std::max(block_max, sr[c]);
          const T new_max = std::max(m[r], block_max);
          const T correction = std::exp(m[r] - new_max);
          T sum = 0;
          for (int64_t c = 0; c < valid; ++c) sum += (sr[c] = std::exp(sr[c] - new_max));
          l[r] = l[r] * correction + sum;
          m[r] = new_max;
          T* ar = &acc[r * dv];
          for (int64_t x = 0; x < dv; ++x) ar[x] *= correction;
          for (int64_t c = 0; c < valid; ++c) {
            const T p = sr[c];
            const T* vc = V + (b * tk + c0 + c) * dv;
            for (int64_t x = 0; x < dv; ++x) ar[x] += p * vc[x];
          }
        }
      }
      for (int64_t r = 0; r < rows; ++r) {
        T* o = O + (b * tq + r0 + r) * dv;
        const T inv = l[r] > 0 ? T(1) / l[r] : T(0);
        for (int64_t x = 0; x < dv; ++x) o[x] = acc[r * dv + x] * inv;
        L[b * tq + r0 + r] = l[r] > 0 ? m[r] + std::log(l[r]) : -std::numeric_limits<T>::infinity();
      }
    }
  });
}

template <typename T>
void backward(const KernelArgs& args, const Attrs& a) {
  const View qv = args.in(0), kv = args.in(1), vv = args.in(2), ov = args.in(3), lv = args.in(4), gv = args.in(5);
  const int64_t n = qv.dim(0), tq = qv.dim(1), tk = kv.dim(1), d = qv.dim(2), dv = vv.dim(2);
  const T *Q = qv.data<T>(), *K = kv.data<T>(), *V = vv.data<T>(), *O = ov.data<T>(), *L = lv.data<T>(),
          *G = gv.data<T>();
  T *dQ = args.out(0).data<T>(), *dK = args.out(1).data<T>(), *dV = args.out(2).data<T>();
  const T scale = static_cast<T>(a.scale);
  // One task per (batch x head): dk and dv gather over every query, so tasks never share rows.
  parallel_for(0, n, 1, [&](int64_t lo, int64_t hi) {
    std::vector<T> p(kBq * kBk), delta(kBq);
    for (int64_t b = lo; b < hi; ++b) {
      std::fill(dQ + b * tq * d, dQ + (b + 1) * tq * d, T(0));
      std::fill(dK + b * tk * d, dK + (b + 1) * tk * d, T(0));
      std::fill(dV + b * tk * dv, dV + (b + 1) * tk * dv, T(0));
      for (int64_t r0 = 0; r0 < tq; r0 += kBq) {
        const int64_t rows = std::min(kBq, tq - r0);
        const T* q = Q + (b * tq + r0) * d;
        // delta_r = do_r . o_r (the softmax backward's row term).
        for (int64_t r = 0; r < rows; ++r) {
          const T *g = G + (b * tq + r0 + r) * dv, *o = O + (b * tq + r0 + r) * dv;
          T acc = 0;
          for (int64_t x = 0; x < dv; ++x) acc += g[x] * o[x];
          delta[r] = acc;
        }
        const int64_t kend = key_limit(a.causal, r0 + rows - 1, tk);
        for (int64_t c0 = 0; c0 < kend; c0 += kBk) {
          const int64_t cols = std::min(kBk, kend - c0);
          block_logits(q, K + (b * tk + c0) * d, d, rows, cols, scale, p.data());
          for (int64_t r = 0; r < rows; ++r) {
            const int64_t valid = std::max<int64_t>(0, std::min(cols, key_limit(a.causal, r0 + r, tk) - c0));
            const T lse = L[b * tq + r0 + r];
            const T* g = G + (b * tq + r0 + r) * dv;
            T* dq = dQ + (b * tq + r0 + r) * d;
            const T* qr = q + r * d;
            for (int64_t c = 0; c < valid; ++c) {
              const int64_t key = c0 + c;
              const T prob = std::exp(p[r * kBk + c] - lse);
              const T* vc = V + (b * tk + key) * dv;
              T* dvc = dV + (b * tk + key) * dv;
              T dp = 0;
              for (int64_t x = 0; x < dv; ++x) {
                dvc[x] += prob * g[x];
                dp += g[x] * vc[x];
              }
              const T ds = prob * (dp - delta[r]) * scale;
              const T* kc = K + (b * tk + key) * d;
              T* dkc = dK + (b * tk + key) * d;
              for (int64_t x = 0; x < d; ++x) {
                dq[x] += ds * kc[x];
                dkc[x] += ds * qr[x];
              }
            }
          }
        }
      }
    }
  });
}

}  // namespace

void attention_fused(const KernelArgs& args) {
  const Attrs a = read_attrs(args);
  const View q = args.in(0), k = args.in(1), v = args.in(2);
  check_shapes("attentionFused", q, k, v);
  TK_DISPATCH_FLOAT(q.dtype(), "attentionFused", { forward<scalar_t>(q, k, v, args.out(0), args.out(1), a); });
}

void attention_fused_backward(const KernelArgs& args) {
  const Attrs a = read_attrs(args);
  check_shapes("attentionFusedBackward", args.in(0), args.in(1), args.in(2));
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "attentionFusedBackward", { backward<scalar_t>(args, a); });
}

}  // namespace tessera::cpu
