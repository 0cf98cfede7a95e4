// C = op(A) * op(B) for row-major matrices, where op transposes when asked.
// A is M x K (K x M when trans_a), B is K x N (N x K when trans_b), C is M x N.
// lda / ldb / ldc are row strides in elements. The implementation (gemm/) packs both
// operands into cache-sized blocks and runs a per-ISA register-blocked micro-kernel.
#pragma once
#include <cstdint>
#include <memory>

namespace tessera::cpu {

// Below about this many FLOPs per thread, waking another thread costs more than it saves
// (a pool round trip is a few us; 1.5 MFLOP is ~7 us of one core). 128^3 on 2 threads ran
// at 240-360 GFLOP/s against 228 on one.
inline constexpr double kGemmMinFlopsPerThread = 1.5e6;

// C is overwritten (beta = 0).
template <typename T>
void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const T* A, int64_t lda, const T* B, int64_t ldb,
          T* C, int64_t ldc);

// What gemm_ex applies to each element last: relu is max(x, 0) (NaN passes, as in
// TensorFlow); gelu is x Phi(x), the erf form, vm::gelu (the `gelu` kernel's values).
enum class GemmActivation { kNone, kRelu, kGelu };

// C = beta * C + op(A) * op(B), then + bias[j] on every row when bias is not null, then
// the activation. beta == 0 never reads C (so C may hold garbage); beta == 1
// accumulates (conv backward-filter, RNN weight gradients summed over time steps).
// pre_activation, when not null (same layout as C, row stride ldc), receives the values
// before the activation: what gelu's gradient needs. Fusing bias/relu costs nothing: it
// is applied while the C tile is still in registers; gelu (and the pre-activation copy)
// runs over each finished row panel of tiles while it is still in L1.
template <typename T>
void gemm_ex(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const T* A, int64_t lda, const T* B,
             int64_t ldb, T beta, T* C, int64_t ldc, const T* bias = nullptr,
             GemmActivation activation = GemmActivation::kNone, T* pre_activation = nullptr);

// Where gemm_ex cuts the depth of an M x N x K product into two parts summed apart (the
// second part's first k), or K when it does not cut it: it depends on the shape and on
// this CPU's GEMM blocking (vector width, K block), never on the thread count. For tests
// that prove the split's place by bits, on whatever ISA they run.
template <typename T>
int64_t gemm_k_split(int64_t M, int64_t N, int64_t K);

// C = beta * C + op(A) * B (beta == 0 never reads C) where op(A)'s rows come in groups of
// group_rows: row i starts at A + (i / group_rows) * group_stride + (i % group_rows) * lda
// and is read in place. A stride-1 convolution's output pixels (oh, ow), read from a
// padded image: groups of out_w pixels, lda = channels, group_stride = a padded row.
template <typename T>
void gemm_grouped_rows(int64_t M, int64_t N, int64_t K, const T* A, int64_t lda, int64_t group_rows,
                       int64_t group_stride, const T* B, int64_t ldb, T beta, T* C, int64_t ldc);

// C = beta * C + A^T * B (A is K x M) where B's K rows come in groups as A's rows do in
// gemm_grouped_rows, and its columns in groups of group_cols contiguous columns,
// col_stride apart (group_cols = N: one group). A stride-1 convolution's filter gradient:
// dy^T times the padded image's rows of each output pixel, all kernel rows' taps side by
// side.
template <typename T>
void gemm_at_grouped_b(int64_t M, int64_t N, int64_t K, const T* A, int64_t lda, const T* B, int64_t ldb,
                       int64_t group_rows, int64_t group_stride, int64_t group_cols, int64_t col_stride, T beta, T* C,
                       int64_t ldc);

// op(B) packed once for many products with the same right operand: an RNN's recurrent
// kernel, multiplied at every time step (packing it per step took 7-9% of a training
// step). Blocked as gemm() blocks it for the CPU's micro-kernel family at packing time.
template <typename T>
struct PackedB {
  int64_t K = 0, N = 0;
  int64_t kc = 0, nc = 0;  // the K and N blocks the panels were cut into
  const void* arch = nullptr;
  std::shared_ptr<T[]> panels;  // per (K block, N block), in that order: nr-wide panels
};

// Packs op(B) (K x N; B is N x K, row stride ldb, when trans_b) for gemm_packed.
template <typename T>
PackedB<T> pack_gemm_b(bool trans_b, int64_t K, int64_t N, const T* B, int64_t ldb);

// C = beta * C + A * B for A M x K (row stride lda) and a packed B, on the calling thread
// only: for callers that split the work themselves (one batch slice per thread). A row of
// C comes out the same whichever rows are multiplied with it.
template <typename T>
void gemm_packed(int64_t M, const T* A, int64_t lda, const PackedB<T>& B, T beta, T* C, int64_t ldc);

}  // namespace tessera::cpu
