// Fused scaled-dot-product attention, tiled with an online softmax so no [T, T] matrix
// is ever materialized: the forward keeps only each row's log-sum-exp, the backward
// recomputes the probabilities tile by tile (flash-attention's algorithm on the CPU), unless
// the caller gives room to keep them (probabilities, below).
//
//   attention_fused           inputs  q [N, Tq, D], k [N, Tk, D], v [N, Tk, Dv],
//                                     key_mask [B, Tk] (N = B x heads; nonzero = attend) or [0] for none,
//                                     query_mask [B, Tq] (the same B; nonzero = a live row) or [0] for none
//                             outputs o [N, Tq, Dv], lse [N, Tq] (log-sum-exp of each row's scaled logits),
//                                     probabilities [N, Tq, Tk] or [0] (see below)
//                             attrs   ops.def's row (scale, causal, dropout_rate, seed, offset, heads_last)
//   attention_fused_backward  inputs  q, k, v, key_mask, query_mask, o, lse, probabilities, do
//                             outputs dq, dk, dv
//                             attrs   the forward's
//   heads_last                q [B, Tq, H, D], k [B, Tk, H, D], v [B, Tk, H, Dv] and o, do, dq, dk,
//                             dv alike: the projections' layout, no head transposes around the
//                             call (lse stays [N, Tq]); row n of N is (n / H, n % H), rows of a
//                             head are strided by H x D, which every GEMM takes as its leading
//                             dimension. The same results and the same dropout mask as [N, T, D].
//   probabilities             [0]: the backward recomputes the probabilities from lse (memory
//                             linear in T). [N, Tq, Tk] (the caller's choice when N Tq Tk is
//                             small): the forward writes them (before dropout; a dropped entry
//                             negated) and the backward reads them in place of recomputing
//                             Q Kᵀ, the exponentials and the dropout mask's Philox words (at the
//                             encoder block's T = 128, 37% of the backward).
//
// Semantics are the composite's (dotProductAttention) with Keras's and-ed mask
// query_mask[i] & key_mask[j] & (causal: j <= i, top-left aligned): logits = scale q.k,
// plus -1e9 where the mask is false (so a fully masked row attends uniformly, as in
// Keras). Dropout multiplies probability (n, i, j) by 1 / (1 - rate) when
// philox_uniform01(philox_word(seed, offset, (n Tq + i) Tk + j)) > rate and by 0
// otherwise: dropout.cpp's mask of the [N, Tq, Tk] probabilities, so the same seed drops
// the same entries as the composite, forward and backward. Tk = 0 gives zeros.
// A row whose mask is false for every key is "dead": a masked query (padding after
// Embedding maskZero), a row whose keys are all masked, or a causal row whose every
// visible key (j <= i) is masked (left padding's first rows). As in the composite, where
// the and-ed mask puts -1e9 on every logit of the row, it attends all Tk keys, future
// ones included, with logits (scale q.k - 1e9) + 1e9: the composite's rounding near -1e9
// (float32: uniform) without a log-sum-exp near -1e9, which float32 could not hold to the
// backward. Dead rows may sit anywhere (right padding: at the end).
//
// Speed: every product is the packed GEMM (gemm.h; called inside a pool task it runs on
// that thread): the forward runs one task per (row of N, query tile) and per key tile does
// S = Q Kᵀ, the online-softmax update in vector code, and O += P V; the backward runs one
// task per row of N (dk and dv gather over every query; key-tile groups with private dq
// copies when N has fewer rows than threads), key tiles outer so each tile's dk
// and dv stay in cache, and per (key tile, query tile) does S = Q Kᵀ, P = exp(S - lse),
// dV += Pᵀ dO, dP = dO Vᵀ, dS = P (dP - delta), dQ += dS K, dK += dSᵀ Q.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "../contracts/attention.h"
#include "gemm.h"
#include "philox_lanes.h"
#include "tessera/philox.h"
#include "tessera/thread_pool.h"
#include "vec_math.h"
#include "vectorize.h"

namespace tessera::cpu {
namespace {

using contracts::AttentionShape;

constexpr int64_t kBq = 128;  // query rows per tile (64 and 256-key tiles measured no better)
constexpr int64_t kBk = 128;  // keys per tile

// The keys query row i may attend: [0, limit).
inline int64_t key_limit(bool causal, int64_t i, int64_t tk) { return causal ? std::min(tk, i + 1) : tk; }

// One call's tensors and the per-tile work shared by forward and backward.
template <typename T>
struct Tiles {
  const AttentionShape& s;
  const T *q, *k, *v, *mask, *query_mask;
  std::vector<int64_t> first_live;  // per key-mask row: its first attended key (tk: none)
  std::vector<T> all_masked;        // kBk biases of a dead row
  bool lanes;                       // philox_8_blocks runs here (AVX2)

  Tiles(const AttentionShape& shape, const KernelArgs& args)
      : s(shape),
        q(args.in(0).data<T>()),
        k(args.in(1).data<T>()),
        v(args.in(2).data<T>()),
        mask(shape.mask_rows ? args.in(3).data<T>() : nullptr),
        query_mask(shape.query_mask_rows ? args.in(4).data<T>() : nullptr),
        first_live(shape.mask_rows, 0),
        all_masked(kBk, AttentionShape::masked_bias<T>()),
        lanes(philox_lanes_available()) {
    for (int64_t r = 0; r < s.mask_rows; ++r) {
      int64_t j = 0;
      while (j < s.tk && mask[r * s.tk + j] == T(0)) ++j;
      first_live[r] = j;
    }
  }

  // Whether row i of N-row b has no key its mask lets it attend (see the top of the file).
  bool dead(int64_t b, int64_t i) const {
    if (s.tk == 0) return false;
    const int64_t row = b / s.heads;
    if (query_mask != nullptr && query_mask[row * s.tq + i] == T(0)) return true;
    return mask != nullptr && first_live[row] > (s.causal ? std::min(i, s.tk - 1) : s.tk - 1);
  }
  // The keys row i attends: [0, limit).
  int64_t limit(int64_t b, int64_t i) const { return dead(b, i) ? s.tk : key_limit(s.causal, i, s.tk); }
  // The keys some row of [r0, r0 + rows) attends: [0, limit).
  int64_t tile_limit(int64_t b, int64_t r0, int64_t rows) const {
    if (!s.causal) return s.tk;
    int64_t end = 0;
    for (int64_t i = r0; i < r0 + rows && end < s.tk; ++i) end = std::max(end, limit(b, i));
    return end;
  }
  // The biases row i adds to keys c0.. of a tile whose key biases are `bias`.
  const T* row_bias(int64_t b, int64_t i, const T* bias) const { return dead(b, i) ? all_masked.data() : bias; }
  // What row i takes back off after adding its biases (a dead row's -1e9, see the top).
  T unbias(int64_t b, int64_t i) const { return dead(b, i) ? AttentionShape::masked_bias<T>() : T(0); }

  // The additive mask bias of keys [c0, c0 + cols) for row b of N.
  void key_bias(int64_t b, int64_t c0, int64_t cols, T* bias) const {
    if (mask == nullptr) return std::fill(bias, bias + cols, T(0));
    const T* m = mask + (b / s.heads) * s.tk + c0;
    for (int64_t c = 0; c < cols; ++c) bias[c] = m[c] != T(0) ? T(0) : AttentionShape::masked_bias<T>();
  }

  // Where row i of N-row b of q (and dq) / k (dk) / v (dv) / o (do) starts (see the top of the file).
  int64_t q_at(int64_t b, int64_t i) const { return s.row_offset(b, i, s.tq, s.d); }
  int64_t k_at(int64_t b, int64_t j) const { return s.row_offset(b, j, s.tk, s.d); }
  int64_t v_at(int64_t b, int64_t j) const { return s.row_offset(b, j, s.tk, s.dv); }
  int64_t o_at(int64_t b, int64_t i) const { return s.row_offset(b, i, s.tq, s.dv); }

  // logits[r][c] = q_{r0+r} . k_{c0+c} (unscaled), row stride kBk.
  void logits(int64_t b, int64_t r0, int64_t rows, int64_t c0, int64_t cols, T* out) const {
    gemm<T>(false, true, rows, cols, s.d, q + q_at(b, r0), s.row_stride(s.d), k + k_at(b, c0), s.row_stride(s.d), out,
            kBk);
  }

  // The number of keys of the tile that query row i of N-row b attends.
  int64_t valid(int64_t b, int64_t i, int64_t c0, int64_t cols) const {
    return std::max<int64_t>(0, std::min(cols, limit(b, i) - c0));
  }

  // Multiplies p[c] (keys c0.., query row i of N-row b) by dropout's keep / (1 - rate).
  // Whole Philox blocks go 8 at a time through philox_8_blocks in AVX2 registers where it
  // runs (dropout.cpp's words; 16 blocks side by side in the compiler's lanes widened and
  // narrowed every product: forward + backward at T = 2048, one thread, 329 -> 277 ms),
  // else those 16; the row's ends and its last few blocks go one by one.
  void drop(int64_t b, int64_t i, int64_t c0, int64_t cols, T* p) const {
    const uint64_t base = static_cast<uint64_t>((b * s.tq + i) * s.tk + c0);
    const uint64_t seed = s.seed, offset = s.offset;
    const float threshold = static_cast<float>(s.rate);
    const T keep_scale = static_cast<T>(1.0 / (1.0 - s.rate));
    const auto one = [&](int64_t c) {
      const bool kept = philox_uniform01(philox_word(seed, offset, base + static_cast<uint64_t>(c))) > threshold;
      p[c] = kept ? p[c] * keep_scale : T(0);
    };
    int64_t c = 0;
    for (; c < cols && (base + static_cast<uint64_t>(c)) % 4 != 0; ++c) one(c);
    const int64_t blocks = (cols - c) / 4;
    const uint64_t first = (base + static_cast<uint64_t>(c)) / 4;
    T* row = p + c;
    vectorized([&] {
      // The words of blocks k.. multiply row[4k..] (count words), in one contiguous loop.
      const auto apply = [&](int64_t k, const uint32_t* word, int64_t count) {
        T* q = row + 4 * k;
        for (int64_t e = 0; e < count; ++e)
          q[e] = vm::select(philox_uniform01(word[e]) > threshold, q[e] * keep_scale, T(0));
      };
      int64_t k = 0;
      if (lanes) {
        for (; k + kPhiloxLaneBlocks <= blocks; k += kPhiloxLaneBlocks) {
          uint32_t word[kPhiloxLaneWords];
          philox_8_blocks(seed, offset, first + static_cast<uint64_t>(k), word);
          apply(k, word, kPhiloxLaneWords);
        }
      } else {
        // kLanes blocks side by side: the compiler puts them in vector lanes.
        constexpr int64_t kLanes = 16;
        for (; k + kLanes <= blocks; k += kLanes) {
          uint32_t word[4 * kLanes];
          for (int64_t l = 0; l < kLanes; ++l) {
            const Philox4 r = philox_block(seed, offset, first + static_cast<uint64_t>(k + l));
            for (int j = 0; j < 4; ++j) word[4 * l + j] = r.v[j];
          }
          apply(k, word, 4 * kLanes);
        }
      }
      for (; k < blocks; ++k) {
        const Philox4 r = philox_block(seed, offset, first + static_cast<uint64_t>(k));
        for (int j = 0; j < 4; ++j)
          row[4 * k + j] = philox_uniform01(r.v[j]) > threshold ? row[4 * k + j] * keep_scale : T(0);
      }
    });
    for (c += 4 * blocks; c < cols; ++c) one(c);
  }
};

template <typename T>
void forward(const AttentionShape& s, const KernelArgs& args) {
  const Tiles<T> t(s, args);
  T* O = args.out(0).data<T>();
  T* L = args.out(1).data<T>();
  T* P = s.keep_probabilities ? args.out(2).data<T>() : nullptr;
  const T scale = static_cast<T>(s.scale);
  const int64_t qtiles = (s.tq + kBq - 1) / kBq, ktiles = (s.tk + kBk - 1) / kBk, dv = s.dv, tk = s.tk;
  parallel_for(0, s.n * qtiles, 1, [&](int64_t lo, int64_t hi) {
    std::vector<T> p(kBq * kBk), acc(kBq * dv), m(kBq), l(kBq), bias(kBk);
    // Kept probabilities: each row's running max when its tile was written [kBq][ktiles],
    // to bring the tile to the final max and sum at the end.
    std::vector<T> tile_max(P ? kBq * ktiles : 0);
    std::vector<T> raw(P && s.rate > 0 ? kBq * kBk : 0);  // a tile's probabilities before dropout
    for (int64_t task = lo; task < hi; ++task) {
      const int64_t b = task / qtiles, r0 = (task % qtiles) * kBq, rows = std::min(kBq, s.tq - r0);
      std::fill(acc.begin(), acc.end(), T(0));
      std::fill(m.begin(), m.end(), -std::numeric_limits<T>::infinity());
      std::fill(l.begin(), l.end(), T(0));
      const int64_t kend = t.tile_limit(b, r0, rows);
      for (int64_t c0 = 0; c0 < kend; c0 += kBk) {
        const int64_t cols = std::min(kBk, kend - c0);
        t.logits(b, r0, rows, c0, cols, p.data());
        t.key_bias(b, c0, cols, bias.data());
        vectorized([&] {
          for (int64_t r = 0; r < rows; ++r) {
            T* pr = &p[r * kBk];
            T* ar = &acc[r * dv];
            const int64_t valid = t.valid(b, r0 + r, c0, cols);
            const T* rb = t.row_bias(b, r0 + r, bias.data());
            const T unbias = t.unbias(b, r0 + r);
            for (int64_t c = 0; c < valid; ++c) pr[c] = pr[c] * scale + rb[c] - unbias;
            for (int64_t c = valid; c < cols; ++c) pr[c] = T(0);
            if (valid == 0) continue;
            const T top = std::max(m[r], vm::lane_max<T>(valid, [&](int64_t c) { return pr[c]; }));
            const T correction = vm::exp(m[r] - top);
            for (int64_t c = 0; c < valid; ++c) pr[c] = vm::exp(pr[c] - top);
            l[r] = l[r] * correction + vm::lane_sum_t<T, 8>(valid, [&](int64_t c) { return pr[c]; });
            m[r] = top;
            for (int64_t x = 0; x < dv; ++x) ar[x] *= correction;
          }
        });
        if (P && s.rate > 0) std::copy(p.begin(), p.begin() + rows * kBk, raw.begin());
        if (s.rate > 0)
          for (int64_t r = 0; r < rows; ++r) t.drop(b, r0 + r, c0, t.valid(b, r0 + r, c0, cols), &p[r * kBk]);
        if (P) {
          // One pass writes the tile, negating the dropped entries. The last tile's rows have
          // their final max and sum: it is written normalized; earlier ones are brought to
          // them at the end.
          const bool last = c0 + cols >= kend;
          const T* undropped = s.rate > 0 ? raw.data() : p.data();
          vectorized([&] {
            for (int64_t r = 0; r < rows; ++r) {
              tile_max[r * ktiles + c0 / kBk] = m[r];
              const T factor = !last ? T(1) : l[r] > 0 ? T(1) / l[r] : T(0);
              const T *u = undropped + r * kBk, *dropped = &p[r * kBk];
              T* kept = P + (b * s.tq + r0 + r) * tk + c0;
              for (int64_t c = 0; c < cols; ++c) kept[c] = (dropped[c] == T(0) ? -u[c] : u[c]) * factor;
            }
          });
        }
        gemm_ex<T>(false, false, rows, dv, cols, p.data(), kBk, t.v + t.v_at(b, c0), s.row_stride(dv), T(1), acc.data(),
                   dv);
      }
      // Kept probabilities: the tiles before the last, exp(s - running max), times
      // exp(that max - final max) / sum; zeros past the keys the rows attend.
      if (P)
        for (int64_t r = 0; r < rows; ++r) {
          T* row = P + (b * s.tq + r0 + r) * tk;
          for (int64_t c0 = 0; c0 + kBk < kend; c0 += kBk) {
            const T factor = l[r] > 0 ? std::exp(tile_max[r * ktiles + c0 / kBk] - m[r]) / l[r] : T(0);
            vectorized([&] {
              for (int64_t c = c0; c < c0 + kBk; ++c) row[c] *= factor;
            });
          }
          std::fill(row + kend, row + tk, T(0));
        }
      for (int64_t r = 0; r < rows; ++r) {
        T* o = O + t.o_at(b, r0 + r);
        const T inv = l[r] > 0 ? T(1) / l[r] : T(0);
        for (int64_t x = 0; x < dv; ++x) o[x] = acc[r * dv + x] * inv;
        L[b * s.tq + r0 + r] = l[r] > 0 ? m[r] + std::log(l[r]) : -std::numeric_limits<T>::infinity();
      }
    }
  });
}

template <typename T>
void backward(const AttentionShape& s, const KernelArgs& args) {
  const Tiles<T> t(s, args);
  const T *O = args.in(5).data<T>(), *L = args.in(6).data<T>(), *G = args.in(8).data<T>();
  const T* P = s.keep_probabilities ? args.in(7).data<T>() : nullptr;
  const T keep_scale = static_cast<T>(1.0 / (1.0 - s.rate));
  T *dQ = args.out(0).data<T>(), *dK = args.out(1).data<T>(), *dV = args.out(2).data<T>();
  const T scale = static_cast<T>(s.scale);
  const int64_t tq = s.tq, tk = s.tk, d = s.d, dv = s.dv;
  if (s.n == 0) return;
  // Leading dimensions of q, dq, k, dk (ldd) and of v, dv, o, do (ldv).
  const int64_t ldd = s.row_stride(d), ldv = s.row_stride(dv);
  // Tasks: (row of N, group of key tiles). A key's dk and dv belong to one task; dq sums
  // over every key tile, so with several groups (only when N has fewer rows than there are
  // threads) each group sums into its own copy, added up at the end.
  const int64_t ktiles = (tk + kBk - 1) / kBk;
  const int64_t groups = std::max<int64_t>(1, std::min<int64_t>(ktiles, (num_threads() + s.n - 1) / s.n));
  // Laid out as dQ, so that adding them up is elementwise.
  const int64_t size = s.n * tq * d;
  std::vector<T> dq_parts(groups > 1 ? groups * size : 0);
  const int64_t qtiles = (tq + kBq - 1) / kBq;
  parallel_for(0, s.n * groups, 1, [&](int64_t lo, int64_t hi) {
    std::vector<T> p(kBq * kBk), pd(kBq * kBk), dp(kBq * kBk), keep(kBq * kBk), delta(tq), bias(kBk);
    std::vector<int64_t> tile_end(qtiles);
    std::vector<char> dq_started(qtiles);  // whether a product wrote the query tile's dq yet
    for (int64_t task = lo; task < hi; ++task) {
      const int64_t b = task / groups, group = task % groups;
      // Row 0 of this N-row in each tensor: row i is at + i x ld.
      T* dQb = (groups > 1 ? dq_parts.data() + group * size : dQ) + t.q_at(b, 0);
      T *dKb = dK + t.k_at(b, 0), *dVb = dV + t.v_at(b, 0);
      const T *Gb = G + t.o_at(b, 0), *Ob = O + t.o_at(b, 0), *Qb = t.q + t.q_at(b, 0), *Kb = t.k + t.k_at(b, 0),
              *Vb = t.v + t.v_at(b, 0);
      // Each gradient tile's first product overwrites it (beta 0), the later ones add; tiles
      // no product reaches (causal, Tq or Tk 0) are zeroed at the end. No zero fill pass first.
      std::fill(dq_started.begin(), dq_started.end(), char(0));
      const auto zero_rows = [](T* x, int64_t ld, int64_t rows, int64_t width) {
        for (int64_t r = 0; r < rows; ++r) std::fill(x + r * ld, x + r * ld + width, T(0));
      };
      for (int64_t r = 0; r < qtiles; ++r) tile_end[r] = t.tile_limit(b, r * kBq, std::min(kBq, tq - r * kBq));
      // delta_i = do_i . o_i, the softmax backward's row term (dropout included: o sums the dropped p).
      vectorized([&] {
        for (int64_t i = 0; i < tq; ++i) {
          const T *g = Gb + i * ldv, *o = Ob + i * ldv;
          delta[i] = vm::lane_sum_t<T, 8>(dv, [&](int64_t x) { return g[x] * o[x]; });
        }
      });
      for (int64_t c0 = group * kBk; c0 < tk; c0 += groups * kBk) {
        const int64_t cols = std::min(kBk, tk - c0);
        t.key_bias(b, c0, cols, bias.data());
        bool dkv_started = false;
        for (int64_t r0 = 0; r0 < tq; r0 += kBq) {
          // Causal: a query tile whose rows all stop before c0 has nothing here.
          if (tile_end[r0 / kBq] <= c0) continue;
          const int64_t rows = std::min(kBq, tq - r0);
          // The kept probabilities (a dropped one negated) of this tile's row r.
          const auto kept = [&](int64_t r) { return P + (b * tq + r0 + r) * tk + c0; };
          if (P) {
            vectorized([&] {
              for (int64_t r = 0; r < rows; ++r)
                for (int64_t c = 0; c < cols; ++c) p[r * kBk + c] = std::abs(kept(r)[c]);
            });
          } else {
            t.logits(b, r0, rows, c0, cols, p.data());
            vectorized([&] {
              for (int64_t r = 0; r < rows; ++r) {
                T* pr = &p[r * kBk];
                const T lse = L[b * tq + r0 + r];
                const int64_t valid = t.valid(b, r0 + r, c0, cols);
                const T* rb = t.row_bias(b, r0 + r, bias.data());
                const T unbias = t.unbias(b, r0 + r);
                for (int64_t c = 0; c < valid; ++c) pr[c] = vm::exp(pr[c] * scale + rb[c] - unbias - lse);
                for (int64_t c = valid; c < cols; ++c) pr[c] = T(0);
              }
            });
          }
          const T* dropped = p.data();
          if (s.rate > 0) {
            // The mask's factors once (keep / (1 - rate) or 0), for p here and dP below.
            if (P) {
              for (int64_t r = 0; r < rows; ++r)
                for (int64_t c = 0; c < cols; ++c) keep[r * kBk + c] = std::signbit(kept(r)[c]) ? T(0) : keep_scale;
            } else {
              std::fill(keep.begin(), keep.begin() + rows * kBk, T(1));
              for (int64_t r = 0; r < rows; ++r) t.drop(b, r0 + r, c0, cols, &keep[r * kBk]);
            }
            vectorized([&] {
              for (int64_t e = 0; e < rows * kBk; ++e) pd[e] = p[e] * keep[e];
            });
            dropped = pd.data();
          }
          const T dkv_beta = dkv_started ? T(1) : T(0), dq_beta = dq_started[r0 / kBq] ? T(1) : T(0);
          dkv_started = true, dq_started[r0 / kBq] = 1;
          gemm_ex<T>(true, false, cols, dv, rows, dropped, kBk, Gb + r0 * ldv, ldv, dkv_beta, dVb + c0 * ldv, ldv);
          gemm<T>(false, true, rows, cols, dv, Gb + r0 * ldv, ldv, Vb + c0 * ldv, ldv, dp.data(), kBk);
          // dP of the undropped p is dP of the dropped one times the mask's keep / (1 - rate).
          if (s.rate > 0)
            vectorized([&] {
              for (int64_t e = 0; e < rows * kBk; ++e) dp[e] *= keep[e];
            });
          vectorized([&] {
            for (int64_t r = 0; r < rows; ++r) {
              T *pr = &p[r * kBk], *dr = &dp[r * kBk];
              const T dl = delta[r0 + r];
              for (int64_t c = 0; c < cols; ++c) dr[c] = pr[c] * (dr[c] - dl) * scale;
            }
          });
          gemm_ex<T>(false, false, rows, d, cols, dp.data(), kBk, Kb + c0 * ldd, ldd, dq_beta, dQb + r0 * ldd, ldd);
          gemm_ex<T>(true, false, cols, d, rows, dp.data(), kBk, Qb + r0 * ldd, ldd, dkv_beta, dKb + c0 * ldd, ldd);
        }
        if (!dkv_started) zero_rows(dKb + c0 * ldd, ldd, cols, d), zero_rows(dVb + c0 * ldv, ldv, cols, dv);
      }
      for (int64_t r = 0; r < qtiles; ++r)
        if (!dq_started[r]) zero_rows(dQb + r * kBq * ldd, ldd, std::min(kBq, tq - r * kBq), d);
    }
  });
  if (groups == 1) return;
  parallel_for(0, size, grain_for(1 << 14, groups), [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; ++i) {
      T sum = 0;
      for (int64_t g = 0; g < groups; ++g) sum += dq_parts[g * size + i];
      dQ[i] = sum;
    }
  });
}

}  // namespace

void attention_fused(const KernelArgs& args) {
  const AttentionShape s = contracts::attention_shape("attentionFused", args, false);
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "attentionFused", { forward<scalar_t>(s, args); });
}

void attention_fused_backward(const KernelArgs& args) {
  const AttentionShape s = contracts::attention_shape("attentionFusedBackward", args, true);
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "attentionFusedBackward", { backward<scalar_t>(s, args); });
}

}  // namespace tessera::cpu
