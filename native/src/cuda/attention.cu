// Fused scaled-dot-product attention on CUDA (the CUDA half of cpu/attention.cpp, which
// documents inputs, outputs, attributes and semantics: the same masks, the same -1e9 bias
// and the same Philox dropout mask, so both devices drop the same entries).
//
// A straightforward tiled version with shared memory, one thread per row:
//   forward    a block per (row of N, tile of B queries); thread r keeps its query's running
//              max and sum (online softmax) and accumulates its output row in shared memory
//              while tiles of B keys and values pass through shared memory.
//   backward   two kernels that never race: per (row of N, tile of B keys) each thread owns
//              one key and sums its dk and dv over every query (tiles of q, do, lse and
//              delta = do . o pass through shared memory); per (row of N, tile of B queries)
//              each thread owns one query and sums its dq over every key. Both recompute
//              p = exp(logit - lse) from the forward's log-sum-exp.
// B is the largest of 32, 16, ..., 1 whose tiles fit 48 KiB of shared memory. heads_last
// changes only where a row of q, k, v, o (and the gradients) sits: Call's *_at. The
// probabilities are never kept here (the third output and the backward's input 7 are [0]).
#include <algorithm>
#include <cstdint>

#include "check.h"
#include "contracts/attention.h"
#include "kernels.h"
#include "tessera/philox.h"

namespace tessera::cuda {

namespace {

using contracts::AttentionShape;

constexpr size_t kSharedBytes = 48 * 1024;

// What every thread needs of the call (by value, in the kernel's parameters).
template <typename T>
struct Call {
  const T *q, *k, *v, *mask, *query_mask;
  int64_t tq, tk, d, dv, heads;
  T scale, keep_scale;
  float rate;
  bool causal, heads_last;
  uint64_t seed, offset;

  // Where row i of N-row b starts in a tensor of `len` rows of `width`: [N, len, width], or
  // heads_last [N / heads, len, heads, width] (contracts/attention.h's row_offset).
  __device__ int64_t at(int64_t b, int64_t i, int64_t len, int64_t width) const {
    return heads_last ? (((b / heads) * len + i) * heads + b % heads) * width : (b * len + i) * width;
  }
  __device__ int64_t q_at(int64_t b, int64_t i) const { return at(b, i, tq, d); }   // q, dq
  __device__ int64_t k_at(int64_t b, int64_t j) const { return at(b, j, tk, d); }   // k, dk
  __device__ int64_t v_at(int64_t b, int64_t j) const { return at(b, j, tk, dv); }  // v, dv
  __device__ int64_t o_at(int64_t b, int64_t i) const { return at(b, i, tq, dv); }  // o, do

  // The first attended key of N-row b's key mask (tk: none; 0 without a key mask).
  __device__ int64_t first_live(int64_t b) const {
    if (mask == nullptr) return 0;
    int64_t j = 0;
    while (j < tk && mask[(b / heads) * tk + j] == T(0)) ++j;
    return j;
  }
  // A row whose mask is false for every key (a masked query; every visible key masked)
  // attends every key, each logit plus -1e9 (cpu/attention.cpp).
  __device__ bool dead(int64_t b, int64_t first, int64_t i) const {
    if (tk == 0) return false;
    if (query_mask != nullptr && query_mask[(b / heads) * tq + i] == T(0)) return true;
    const int64_t last = causal && i < tk - 1 ? i : tk - 1;
    return mask != nullptr && first > last;
  }
  __device__ int64_t limit(int64_t b, int64_t first, int64_t i) const {
    return causal && !dead(b, first, i) ? (i + 1 < tk ? i + 1 : tk) : tk;
  }
  // The scaled, masked logit of query row i of N-row b (its q row given) and key j.
  __device__ T logit(const T* qi, int64_t b, int64_t j, bool dead_row) const {
    const T* kj = k + k_at(b, j);
    T s = 0;
    for (int64_t x = 0; x < d; ++x) s += qi[x] * kj[x];
    s *= scale;
    if (dead_row) return (s + T(-1e9)) - T(-1e9);  // cpu/attention.cpp: a dead row's logits
    if (mask != nullptr && mask[(b / heads) * tk + j] == T(0)) s += T(-1e9);
    return s;
  }
  // Dropout's factor for probability (b, i, j): keep / (1 - rate), or 1 without dropout.
  __device__ T drop(int64_t b, int64_t i, int64_t j) const {
    if (rate <= 0.f) return T(1);
    const uint64_t index = static_cast<uint64_t>((b * tq + i) * tk + j);
    return philox_uniform01(philox_word(seed, offset, index)) > rate ? keep_scale : T(0);
  }
};

template <typename T>
__global__ void forward_kernel(Call<T> c, int tile, int64_t tiles, T* o, T* lse) {
  extern __shared__ unsigned char shared_bytes[];
  T* qs = reinterpret_cast<T*>(shared_bytes);  // [tile][d]
  T* acc = qs + tile * c.d;                    // [tile][dv]
  const int64_t b = blockIdx.x / tiles, r = threadIdx.x, i = (blockIdx.x % tiles) * int64_t(tile) + r;
  const bool live = i < c.tq;
  T* qi = qs + r * c.d;
  T* ai = acc + r * c.dv;
  if (live) {
    for (int64_t x = 0; x < c.d; ++x) qi[x] = c.q[c.q_at(b, i) + x];
    for (int64_t x = 0; x < c.dv; ++x) ai[x] = 0;
  }
  if (!live) return;
  T m = -INFINITY, l = 0;
  const int64_t first = c.first_live(b), end = c.limit(b, first, i);
  const bool dead = c.dead(b, first, i);
  for (int64_t j = 0; j < end; ++j) {
    const T s = c.logit(qi, b, j, dead);
    const T top = s > m ? s : m;
    const T correction = ::exp(m - top), p = ::exp(s - top);
    l = l * correction + p;
    m = top;
    const T pd = p * c.drop(b, i, j);
    const T* vj = c.v + c.v_at(b, j);
    for (int64_t x = 0; x < c.dv; ++x) ai[x] = ai[x] * correction + pd * vj[x];
  }
  const T inv = l > 0 ? T(1) / l : T(0);
  for (int64_t x = 0; x < c.dv; ++x) o[c.o_at(b, i) + x] = ai[x] * inv;
  lse[b * c.tq + i] = l > 0 ? m + ::log(l) : T(-INFINITY);
}

// dk and dv of one key per thread, summed over every query that attends it.
template <typename T>
__global__ void key_grads_kernel(Call<T> c, int tile, int64_t tiles, const T* o, const T* lse, const T* g, T* dk,
                                 T* dv) {
  extern __shared__ unsigned char shared_bytes[];
  T* qs = reinterpret_cast<T*>(shared_bytes);  // [tile][d]: a tile of query rows
  T* gs = qs + tile * c.d;                     // [tile][dv]: their output gradients
  T* ls = gs + tile * c.dv;                    // [tile]: their log-sum-exps
  T* deltas = ls + tile;                       // [tile]: their do . o
  T* dks = deltas + tile;                      // [tile][d]: this block's keys' dk
  T* dvs = dks + tile * c.d;                   // [tile][dv]
  const int64_t b = blockIdx.x / tiles, t = threadIdx.x, j = (blockIdx.x % tiles) * int64_t(tile) + t;
  const bool live = j < c.tk;
  for (int64_t x = 0; x < c.d; ++x) dks[t * c.d + x] = 0;
  for (int64_t x = 0; x < c.dv; ++x) dvs[t * c.dv + x] = 0;
  const T* vj = c.v + c.v_at(b, j);
  const int64_t first = c.first_live(b);
  for (int64_t r0 = 0; r0 < c.tq; r0 += tile) {
    __syncthreads();
    const int64_t row = r0 + t;
    if (row < c.tq) {
      T delta = 0;
      for (int64_t x = 0; x < c.d; ++x) qs[t * c.d + x] = c.q[c.q_at(b, row) + x];
      for (int64_t x = 0; x < c.dv; ++x) {
        const T gx = g[c.o_at(b, row) + x];
        gs[t * c.dv + x] = gx;
        delta += gx * o[c.o_at(b, row) + x];
      }
      ls[t] = lse[b * c.tq + row];
      deltas[t] = delta;
    }
    __syncthreads();
    if (!live) continue;
    const int64_t rows = c.tq - r0 < tile ? c.tq - r0 : tile;
    for (int64_t r = 0; r < rows; ++r) {
      const int64_t i = r0 + r;
      if (j >= c.limit(b, first, i)) continue;
      const T* qi = qs + r * c.d;
      const T* gi = gs + r * c.dv;
      const T p = ::exp(c.logit(qi, b, j, c.dead(b, first, i)) - ls[r]);
      const T keep = c.drop(b, i, j);
      T dp = 0;
      for (int64_t x = 0; x < c.dv; ++x) {
        dvs[t * c.dv + x] += p * keep * gi[x];
        dp += gi[x] * vj[x];
      }
      const T ds = p * (dp * keep - deltas[r]) * c.scale;
      for (int64_t x = 0; x < c.d; ++x) dks[t * c.d + x] += ds * qi[x];
    }
  }
  if (!live) return;
  for (int64_t x = 0; x < c.d; ++x) dk[c.k_at(b, j) + x] = dks[t * c.d + x];
  for (int64_t x = 0; x < c.dv; ++x) dv[c.v_at(b, j) + x] = dvs[t * c.dv + x];
}

// dq of one query per thread, summed over the keys it attends.
template <typename T>
__global__ void query_grads_kernel(Call<T> c, int tile, int64_t tiles, const T* o, const T* lse, const T* g, T* dq) {
  extern __shared__ unsigned char shared_bytes[];
  T* qs = reinterpret_cast<T*>(shared_bytes);  // [tile][d]
  T* gs = qs + tile * c.d;                     // [tile][dv]
  T* dqs = gs + tile * c.dv;                   // [tile][d]
  const int64_t b = blockIdx.x / tiles, t = threadIdx.x, i = (blockIdx.x % tiles) * int64_t(tile) + t;
  if (i >= c.tq) return;
  T* qi = qs + t * c.d;
  T* gi = gs + t * c.dv;
  T* dqi = dqs + t * c.d;
  T delta = 0;
  for (int64_t x = 0; x < c.d; ++x) qi[x] = c.q[c.q_at(b, i) + x], dqi[x] = 0;
  for (int64_t x = 0; x < c.dv; ++x) {
    gi[x] = g[c.o_at(b, i) + x];
    delta += gi[x] * o[c.o_at(b, i) + x];
  }
  const T l = lse[b * c.tq + i];
  const int64_t first = c.first_live(b), end = c.limit(b, first, i);
  const bool dead = c.dead(b, first, i);
  for (int64_t j = 0; j < end; ++j) {
    const T p = ::exp(c.logit(qi, b, j, dead) - l);
    const T* vj = c.v + c.v_at(b, j);
    T dp = 0;
    for (int64_t x = 0; x < c.dv; ++x) dp += gi[x] * vj[x];
    const T ds = p * (dp * c.drop(b, i, j) - delta) * c.scale;
    const T* kj = c.k + c.k_at(b, j);
    for (int64_t x = 0; x < c.d; ++x) dqi[x] += ds * kj[x];
  }
  for (int64_t x = 0; x < c.d; ++x) dq[c.q_at(b, i) + x] = dqi[x];
}

template <typename T>
Call<T> make_call(const AttentionShape& s, const KernelArgs& args) {
  return Call<T>{args.in(0).data<T>(),
                 args.in(1).data<T>(),
                 args.in(2).data<T>(),
                 s.mask_rows ? args.in(3).data<T>() : nullptr,
                 s.query_mask_rows ? args.in(4).data<T>() : nullptr,
                 s.tq,
                 s.tk,
                 s.d,
                 s.dv,
                 s.heads,
                 static_cast<T>(s.scale),
                 static_cast<T>(1.0 / (1.0 - s.rate)),
                 static_cast<float>(s.rate),
                 s.causal,
                 s.heads_last,
                 s.seed,
                 s.offset};
}

// The largest tile (32, 16, ..., 1 rows) whose shared memory, `per_row` elements a row and
// `fixed` more, fits; throws naming op when not even one row fits.
int tile_for(const char* op, int64_t per_row, int64_t fixed, size_t elem) {
  for (int tile = 32; tile >= 1; tile /= 2)
    if (static_cast<size_t>(tile * per_row + fixed) * elem <= kSharedBytes) return tile;
  TK_CHECK(false, op << ": the rows of q, k, v are too wide for the CUDA kernel's shared memory (" << per_row * elem
                     << " bytes a row, at most " << kSharedBytes << ")");
  return 1;
}

int64_t tiles_of(int64_t rows, int tile) { return (rows + tile - 1) / tile; }

// The CUDA kernels recompute the probabilities: kept ones ([N, Tq, Tk], the CPU's option) are refused.
void check_recomputes(const char* op, const AttentionShape& s) {
  TK_CHECK(!s.keep_probabilities, op << ": expected probabilities [0] on CUDA (the CUDA kernel recomputes them; only "
                                        "the CPU kernel keeps them), got ["
                                     << s.n << ", " << s.tq << ", " << s.tk << "]");
}

// One block per (row of N, tile); checked against the grid's limit.
unsigned grid(const char* op, int64_t n, int64_t tiles) {
  TK_CHECK(n * tiles < (int64_t(1) << 31), op << ": " << n << " x " << tiles << " tiles exceed the CUDA grid");
  return static_cast<unsigned>(n * tiles);
}

}  // namespace

void attention_fused(const KernelArgs& args, cudaStream_t stream) {
  const AttentionShape s = contracts::attention_shape("attentionFused", args, false);
  check_recomputes("attentionFused", s);
  if (s.n == 0 || s.tq == 0) return;
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "attentionFused", {
    const int tile = tile_for("attentionFused", s.d + s.dv, 0, sizeof(scalar_t));
    const size_t shared = static_cast<size_t>(tile * (s.d + s.dv)) * sizeof(scalar_t);
    const int64_t tiles = tiles_of(s.tq, tile);
    forward_kernel<scalar_t><<<grid("attentionFused", s.n, tiles), tile, shared, stream>>>(
        make_call<scalar_t>(s, args), tile, tiles, args.out(0).data<scalar_t>(), args.out(1).data<scalar_t>());
  });
  TK_CUDA_CHECK_LAUNCH("attentionFused");
}

void attention_fused_backward(const KernelArgs& args, cudaStream_t stream) {
  const AttentionShape s = contracts::attention_shape("attentionFusedBackward", args, true);
  check_recomputes("attentionFusedBackward", s);
  if (s.n == 0) return;
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "attentionFusedBackward", {
    const Call<scalar_t> call = make_call<scalar_t>(s, args);
    const scalar_t *o = args.in(5).data<scalar_t>(), *lse = args.in(6).data<scalar_t>(),
                   *g = args.in(8).data<scalar_t>();
    if (s.tk > 0) {
      const int tile = tile_for("attentionFusedBackward", 2 * (s.d + s.dv) + 2, 0, sizeof(scalar_t));
      const size_t shared = static_cast<size_t>(tile * (2 * (s.d + s.dv) + 2)) * sizeof(scalar_t);
      const int64_t tiles = tiles_of(s.tk, tile);
      key_grads_kernel<scalar_t><<<grid("attentionFusedBackward", s.n, tiles), tile, shared, stream>>>(
          call, tile, tiles, o, lse, g, args.out(1).data<scalar_t>(), args.out(2).data<scalar_t>());
      TK_CUDA_CHECK_LAUNCH("attentionFusedBackward");
    }
    if (s.tq > 0) {
      const int tile = tile_for("attentionFusedBackward", 2 * s.d + s.dv, 0, sizeof(scalar_t));
      const size_t shared = static_cast<size_t>(tile * (2 * s.d + s.dv)) * sizeof(scalar_t);
      const int64_t tiles = tiles_of(s.tq, tile);
      query_grads_kernel<scalar_t><<<grid("attentionFusedBackward", s.n, tiles), tile, shared, stream>>>(
          call, tile, tiles, o, lse, g, args.out(0).data<scalar_t>());
      TK_CUDA_CHECK_LAUNCH("attentionFusedBackward");
    }
  });
}

}  // namespace tessera::cuda
