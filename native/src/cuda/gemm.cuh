// The one GEMM of the CUDA library: matmul, the implicit-GEMM convolutions and the
// recurrent cells all run C[M, N] = A[M, K] @ B[K, N] through launch_gemm, each with its
// own loaders. A loader is not a matrix in memory but a rule for element (i, k) (i is
// the row of A, or the column of B), so a convolution reads its image through the
// window arithmetic instead of materializing im2col, and transposes cost nothing.
//
// The block tile loop (gemm_mainloop) stages BK-deep slices of A and B through shared
// memory, double buffered: while the block computes on one slice, each thread holds its
// part of the next in registers and stores it to the other buffer afterwards, so one
// barrier per slice suffices. The math policy decides the tile and what runs on it:
//   SimtMath  128x128x8 tiles of float, 256 threads, an 8x8 register block each (64x64x8
//             with 4x4 for double): outer products from shared memory, FFMA/DFMA.
//   Tf32Math  128x128x16 tiles, 8 warps of 64x32, mma.sync m16n8k8 TF32 tensor-core
//             instructions (sm_80+), operands rounded to TF32 on their way into shared
//             memory, accumulation in float. Opt-in: TESSERA_ALLOW_TF32=1 (read once),
//             like PyTorch's allow_tf32; TF32 keeps 10 mantissa bits, so products carry a
//             relative error near 1e-3 that float32 GEMMs otherwise do not have.
//
// A loader type provides:
//   static constexpr bool kKFast;   // consecutive k are adjacent in memory (else i are):
//                                   // decides how threads map onto the tile for coalescing
//   using Row = ...;                // what the loader precomputes for one i
//   Loader bind(int64_t batch) const;
//   Row row(int64_t i) const;
//   T load(const Row&, int64_t k) const;   // element (i, k); zero where it is padding
// A store provides bind(batch, split) and operator()(m, n, value), called only in range.
// Each thread's rows of the tile never change as the tile moves along k, so Row is
// computed once per thread (conv keeps its pixel's coordinates there, not divisions).
#pragma once
#include <cuda_runtime_api.h>

#include <algorithm>
#include <cstdint>
#include <type_traits>

#include "check.h"
#include "tessera/abi.h"

namespace tessera::cuda {

// gemm_policy.cpp. True when TESSERA_ALLOW_TF32=1 and the current device is sm_80 or newer.
bool tf32_allowed();
// Multiprocessors of the current device (to size split-K and direct-kernel grids).
int multiprocessor_count();

struct GemmDims {
  int64_t M = 0, N = 0, K = 0;
  int splits = 1;           // split-K: slices of K computed by separate blocks
  int64_t k_per_split = 0;  // each split's share of K
};

// A split of K into `splits` slices of a multiple of 64 (no slice empty).
inline GemmDims gemm_dims(int64_t M, int64_t N, int64_t K, int splits = 1) {
  GemmDims d;
  d.M = M;
  d.N = N;
  d.K = K;
  int64_t per = K;
  if (splits > 1) {
    per = (K + splits - 1) / splits;
    per = (per + 63) / 64 * 64;
    splits = static_cast<int>((K + per - 1) / per);
  }
  d.splits = std::max(1, splits);
  d.k_per_split = std::max<int64_t>(per, 1);
  return d;
}

// ---------------------------------------------------------------- math policies

template <typename T, int kBM, int kBN, int kBK, int kTM, int kTN>
struct SimtMath {
  using Elem = T;
  static constexpr int BM = kBM, BN = kBN, BK = kBK, TM = kTM, TN = kTN;
  static constexpr int kThreadsN = BN / TN;
  static constexpr int kThreads = (BM / TM) * kThreadsN;
  // Rows padded to keep 16-byte alignment; the compute reads whole 16-byte runs.
  static constexpr int kPad = 16 / sizeof(T);
  // A thread's TM rows are two runs of TM/2 at ty * TM/2 and BM/2 + ty * TM/2 (likewise
  // columns): each run is one 16-byte shared load, and a warp's loads spread over banks.
  static constexpr int HM = TM / 2, HN = TN / 2;
  static_assert(HM * sizeof(T) == 16 && HN * sizeof(T) == 16, "runs of 16 bytes");

  struct Acc {
    T v[TM][TN];
  };
  struct alignas(16) RunM {
    T v[HM];
  };
  struct alignas(16) RunN {
    T v[HN];
  };

  __device__ static T stage(T x) { return x; }
  __device__ static void zero(Acc& acc) {
#pragma unroll
    for (int i = 0; i < TM; ++i)
#pragma unroll
      for (int j = 0; j < TN; ++j) acc.v[i][j] = T(0);
  }
  __device__ static int row_of(int i) { return (i / HM) * (BM / 2) + (threadIdx.x / kThreadsN) * HM + i % HM; }
  __device__ static int col_of(int j) { return (j / HN) * (BN / 2) + (threadIdx.x % kThreadsN) * HN + j % HN; }

  __device__ static void compute(const T* As, const T* Bs, Acc& acc) {
    constexpr int lda = BM + kPad, ldb = BN + kPad;
    const int ty = threadIdx.x / kThreadsN, tx = threadIdx.x % kThreadsN;
#pragma unroll
    for (int k = 0; k < BK; ++k) {
      T a[TM], b[TN];
#pragma unroll
      for (int h = 0; h < 2; ++h) {
        const RunM ra = *reinterpret_cast<const RunM*>(As + k * lda + h * (BM / 2) + ty * HM);
        const RunN rb = *reinterpret_cast<const RunN*>(Bs + k * ldb + h * (BN / 2) + tx * HN);
#pragma unroll
        for (int i = 0; i < HM; ++i) a[h * HM + i] = ra.v[i];
#pragma unroll
        for (int j = 0; j < HN; ++j) b[h * HN + j] = rb.v[j];
      }
#pragma unroll
      for (int i = 0; i < TM; ++i)
#pragma unroll
        for (int j = 0; j < TN; ++j) acc.v[i][j] += a[i] * b[j];
    }
  }

  template <class Store>
  __device__ static void store(const Acc& acc, Store& st, int64_t m0, int64_t n0, int64_t M, int64_t N) {
#pragma unroll
    for (int i = 0; i < TM; ++i) {
      const int64_t m = m0 + row_of(i);
      if (m >= M) continue;
#pragma unroll
      for (int j = 0; j < TN; ++j) {
        const int64_t n = n0 + col_of(j);
        if (n < N) st(m, n, acc.v[i][j]);
      }
    }
  }
};

using SimtF32 = SimtMath<float, 128, 128, 8, 8, 8>;
using SimtF64 = SimtMath<double, 64, 64, 8, 4, 4>;

struct Tf32Math {
  using Elem = float;
  static constexpr int BM = 128, BN = 128, BK = 16, kThreads = 256;
  // 8 words of padding: fragment loads (k = lane % 4, i = lane / 4) hit 32 distinct banks.
  static constexpr int kPad = 8;
  static constexpr int kWarpM = 64, kWarpN = 32;  // 2 x 4 warps
  static constexpr int MI = kWarpM / 16, NI = kWarpN / 8;

  struct Acc {
    float c[MI][NI][4];
  };

  __device__ static float stage(float x) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
    uint32_t r;
    asm("cvt.rna.tf32.f32 %0, %1;" : "=r"(r) : "f"(x));
    return __uint_as_float(r);
#else
    return x;
#endif
  }
  __device__ static void zero(Acc& acc) {
#pragma unroll
    for (int i = 0; i < MI; ++i)
#pragma unroll
      for (int j = 0; j < NI; ++j)
#pragma unroll
        for (int r = 0; r < 4; ++r) acc.c[i][j][r] = 0.0f;
  }

  __device__ static void compute(const float* As, const float* Bs, Acc& acc) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
    constexpr int lda = BM + kPad, ldb = BN + kPad;
    const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    const int g = lane / 4, t = lane % 4;
    const int wm = (warp / 4) * kWarpM, wn = (warp % 4) * kWarpN;
#pragma unroll
    for (int ks = 0; ks < BK; ks += 8) {
      uint32_t a[MI][4], b[NI][2];
      // PTX m16n8k8 .tf32 fragments: a0 (g, t), a1 (g+8, t), a2 (g, t+4), a3 (g+8, t+4)
      // as (row, k); b0 (k t, col g), b1 (k t+4, col g); c_r (g + 8*(r/2), 2t + r%2).
#pragma unroll
      for (int i = 0; i < MI; ++i) {
        const float* p = As + (ks + t) * lda + wm + i * 16 + g;
        a[i][0] = __float_as_uint(p[0]);
        a[i][1] = __float_as_uint(p[8]);
        a[i][2] = __float_as_uint(p[4 * lda]);
        a[i][3] = __float_as_uint(p[4 * lda + 8]);
      }
#pragma unroll
      for (int j = 0; j < NI; ++j) {
        const float* p = Bs + (ks + t) * ldb + wn + j * 8 + g;
        b[j][0] = __float_as_uint(p[0]);
        b[j][1] = __float_as_uint(p[4 * ldb]);
      }
#pragma unroll
      for (int i = 0; i < MI; ++i)
#pragma unroll
        for (int j = 0; j < NI; ++j) {
          float* c = acc.c[i][j];
          asm volatile(
              "mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
              "{%0,%1,%2,%3};\n"
              : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
              : "r"(a[i][0]), "r"(a[i][1]), "r"(a[i][2]), "r"(a[i][3]), "r"(b[j][0]), "r"(b[j][1]));
        }
    }
#else
    __trap();  // the host launches this policy only on sm_80+
#endif
  }

  template <class Store>
  __device__ static void store(const Acc& acc, Store& st, int64_t m0, int64_t n0, int64_t M, int64_t N) {
    const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    const int g = lane / 4, t = lane % 4;
    const int wm = (warp / 4) * kWarpM, wn = (warp % 4) * kWarpN;
#pragma unroll
    for (int i = 0; i < MI; ++i)
#pragma unroll
      for (int j = 0; j < NI; ++j)
#pragma unroll
        for (int r = 0; r < 4; ++r) {
          const int64_t m = m0 + wm + i * 16 + g + 8 * (r / 2), n = n0 + wn + j * 8 + 2 * t + r % 2;
          if (m < M && n < N) st(m, n, acc.c[i][j][r]);
        }
  }
};

// ---------------------------------------------------------------- the tile loop

// Accumulates A[m0 : m0+BM, k0 : k1] @ B[k0 : k1, n0 : n0+BN] into acc. Every thread of the
// block must call it (it synchronizes); rows past M and columns past N read as zero.
template <class Math, class LA, class LB>
__device__ void gemm_mainloop(const LA& la, const LB& lb, int64_t m0, int64_t n0, int64_t M, int64_t N, int64_t k0,
                              int64_t k1, typename Math::Acc& acc) {
  using T = typename Math::Elem;
  constexpr int BM = Math::BM, BN = Math::BN, BK = Math::BK, kThreads = Math::kThreads;
  constexpr int lda = BM + Math::kPad, ldb = BN + Math::kPad;
  constexpr int kAPer = BM * BK / kThreads, kBPer = BN * BK / kThreads;
  static_assert(kAPer * kThreads == BM * BK && kBPer * kThreads == BN * BK, "tile not divisible by the block");
  __shared__ __align__(16) T As[2][BK * lda];
  __shared__ __align__(16) T Bs[2][BK * ldb];
  if (k0 >= k1) return;  // block-uniform

  const int tid = threadIdx.x;
  // Thread-to-tile maps: consecutive threads walk the operand's contiguous direction.
  int ai[kAPer], ak[kAPer], bi[kBPer], bk[kBPer];
  bool aok[kAPer], bok[kBPer];
  typename LA::Row arow[kAPer];
  typename LB::Row brow[kBPer];
#pragma unroll
  for (int e = 0; e < kAPer; ++e) {
    const int idx = tid + e * kThreads;
    ai[e] = LA::kKFast ? idx / BK : idx % BM;
    ak[e] = LA::kKFast ? idx % BK : idx / BM;
    aok[e] = m0 + ai[e] < M;
    arow[e] = la.row(aok[e] ? m0 + ai[e] : m0);
  }
#pragma unroll
  for (int e = 0; e < kBPer; ++e) {
    const int idx = tid + e * kThreads;
    bi[e] = LB::kKFast ? idx / BK : idx % BN;
    bk[e] = LB::kKFast ? idx % BK : idx / BN;
    bok[e] = n0 + bi[e] < N;
    brow[e] = lb.row(bok[e] ? n0 + bi[e] : n0);
  }

  T ra[kAPer], rb[kBPer];
  auto fetch = [&](int64_t kt) {
#pragma unroll
    for (int e = 0; e < kAPer; ++e) {
      const int64_t k = kt + ak[e];
      ra[e] = aok[e] && k < k1 ? la.load(arow[e], k) : T(0);
    }
#pragma unroll
    for (int e = 0; e < kBPer; ++e) {
      const int64_t k = kt + bk[e];
      rb[e] = bok[e] && k < k1 ? lb.load(brow[e], k) : T(0);
    }
  };
  auto stash = [&](int buf) {
#pragma unroll
    for (int e = 0; e < kAPer; ++e) As[buf][ak[e] * lda + ai[e]] = Math::stage(ra[e]);
#pragma unroll
    for (int e = 0; e < kBPer; ++e) Bs[buf][bk[e] * ldb + bi[e]] = Math::stage(rb[e]);
  };

  fetch(k0);
  stash(0);
  __syncthreads();
  int buf = 0;
  for (int64_t kt = k0; kt < k1; kt += BK) {
    const bool more = kt + BK < k1;
    if (more) fetch(kt + BK);  // global loads in flight during the math below
    Math::compute(As[buf], Bs[buf], acc);
    if (more) stash(buf ^ 1);
    __syncthreads();
    buf ^= 1;
  }
}

// blockIdx: x over M tiles, y over N tiles, z over (batch, split) pairs from z0.
template <class Math, class LA, class LB, class St>
__global__ void __launch_bounds__(Math::kThreads) gemm_kernel(GemmDims d, int64_t z0, LA la, LB lb, St st) {
  const int64_t z = z0 + blockIdx.z;
  const int64_t batch = z / d.splits;
  const int split = static_cast<int>(z % d.splits);
  const int64_t m0 = static_cast<int64_t>(blockIdx.x) * Math::BM, n0 = static_cast<int64_t>(blockIdx.y) * Math::BN;
  const int64_t k0 = split * d.k_per_split, k1 = min(d.K, k0 + d.k_per_split);
  typename Math::Acc acc;
  Math::zero(acc);
  gemm_mainloop<Math>(la.bind(batch), lb.bind(batch), m0, n0, d.M, d.N, k0, k1, acc);
  St s = st.bind(batch, split);
  Math::store(acc, s, m0, n0, d.M, d.N);
}

template <class Math, class LA, class LB, class St>
void launch_gemm_with(const GemmDims& d, int64_t batches, const LA& la, const LB& lb, const St& st, cudaStream_t stream,
                      const char* name) {
  if (d.M == 0 || d.N == 0 || batches == 0) return;
  const int64_t tiles_m = (d.M + Math::BM - 1) / Math::BM, tiles_n = (d.N + Math::BN - 1) / Math::BN;
  TK_CHECK(tiles_m < (int64_t{1} << 31) && tiles_n <= 65535,
           name << ": a product of " << d.M << "x" << d.N << " is larger than one launch covers");
  const int64_t total = batches * d.splits;
  for (int64_t z0 = 0; z0 < total; z0 += 65535) {
    const dim3 grid(static_cast<unsigned>(tiles_m), static_cast<unsigned>(tiles_n),
                    static_cast<unsigned>(std::min<int64_t>(65535, total - z0)));
    gemm_kernel<Math><<<grid, Math::kThreads, 0, stream>>>(d, z0, la, lb, st);
    TK_CUDA_CHECK_LAUNCH(name);
  }
}

// The policy for T: SIMT, or TF32 tensor cores for float when allowed.
template <typename T, class LA, class LB, class St>
void launch_gemm(const GemmDims& d, int64_t batches, const LA& la, const LB& lb, const St& st, cudaStream_t stream,
                 const char* name) {
  if constexpr (std::is_same_v<T, float>) {
    if (tf32_allowed()) return launch_gemm_with<Tf32Math>(d, batches, la, lb, st, stream, name);
    launch_gemm_with<SimtF32>(d, batches, la, lb, st, stream, name);
  } else {
    launch_gemm_with<SimtF64>(d, batches, la, lb, st, stream, name);
  }
}

// Enough K slices that a product with few output tiles still fills the GPU: about two
// blocks per multiprocessor, each slice at least 512 deep.
inline int split_k_for(int64_t M, int64_t N, int64_t K, int64_t batches) {
  const int64_t tiles = ((M + 127) / 128) * ((N + 127) / 128) * std::max<int64_t>(batches, 1);
  const int64_t target = 2 * static_cast<int64_t>(multiprocessor_count());
  if (tiles >= target) return 1;
  return static_cast<int>(std::max<int64_t>(1, std::min((target + tiles - 1) / tiles, K / 512)));
}

// ---------------------------------------------------------------- matrices in memory

// The offset of batch b in a tensor whose batch dimensions broadcast to `dims`: b is
// split into indices over dims (row-major), each times the tensor's stride (0 where the
// tensor's dimension is 1 or missing).
struct BatchIndex {
  int rank = 0;
  int64_t dims[TK_MAX_RANK] = {};
  int64_t strides[TK_MAX_RANK] = {};

  static BatchIndex contiguous(int64_t stride) {
    BatchIndex b;
    b.rank = 1;
    b.dims[0] = INT64_MAX;
    b.strides[0] = stride;
    return b;
  }
  __host__ __device__ int64_t offset(int64_t b) const {
    int64_t off = 0;
    for (int d = rank - 1; d >= 0; --d) {
      const int64_t q = rank == 1 ? 0 : b / dims[d];
      off += (b - q * dims[d]) * strides[d];
      b = q;
    }
    return off;
  }
};

// Element (i, k) at p[i * ld + k] (kKFast) or p[k * ld + i].
template <typename T, bool KFast>
struct MatrixLoad {
  static constexpr bool kKFast = KFast;
  using Row = const T*;
  const T* p;
  int64_t ld;
  BatchIndex batch;

  __host__ __device__ MatrixLoad bind(int64_t b) const {
    MatrixLoad c = *this;
    c.p += batch.offset(b);
    return c;
  }
  __host__ __device__ Row row(int64_t i) const { return KFast ? p + i * ld : p + i; }
  __host__ __device__ T load(Row r, int64_t k) const { return KFast ? r[k] : r[k * ld]; }
};

// C[m, n] at p[m * ld + n], overwritten or, when accumulate, added to.
template <typename T>
struct MatrixStore {
  T* p;
  int64_t ld;
  BatchIndex batch;
  bool accumulate;

  __host__ __device__ MatrixStore bind(int64_t b, int) const {
    MatrixStore c = *this;
    c.p += batch.offset(b);
    return c;
  }
  __host__ __device__ void operator()(int64_t m, int64_t n, T v) const {
    T* q = p + m * ld + n;
    *q = accumulate ? *q + v : v;
  }
};

// C = op(A) @ op(B) (+ C when accumulate), row-major with row strides lda, ldb, ldc: the
// BLAS-shaped entry for the recurrent cells. A is M x K (K x M when trans_a), B is K x N
// (N x K when trans_b).
template <typename T>
void gemm_matrices(cudaStream_t stream, bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const T* A,
                   int64_t lda, const T* B, int64_t ldb, T* C, int64_t ldc, bool accumulate, const char* name) {
  const BatchIndex one = BatchIndex::contiguous(0);
  const GemmDims d = gemm_dims(M, N, K);
  const MatrixStore<T> st{C, ldc, one, accumulate};
  // A's k is contiguous unless transposed; B's only when transposed.
  if (!trans_a && !trans_b)
    launch_gemm<T>(d, 1, MatrixLoad<T, true>{A, lda, one}, MatrixLoad<T, false>{B, ldb, one}, st, stream, name);
  else if (!trans_a && trans_b)
    launch_gemm<T>(d, 1, MatrixLoad<T, true>{A, lda, one}, MatrixLoad<T, true>{B, ldb, one}, st, stream, name);
  else if (trans_a && !trans_b)
    launch_gemm<T>(d, 1, MatrixLoad<T, false>{A, lda, one}, MatrixLoad<T, false>{B, ldb, one}, st, stream, name);
  else launch_gemm<T>(d, 1, MatrixLoad<T, false>{A, lda, one}, MatrixLoad<T, true>{B, ldb, one}, st, stream, name);
}

}  // namespace tessera::cuda
