// Batched matrix multiplication with broadcast batch dimensions, and matmul_bias (the CUDA
// half of cpu/matmul.cpp: here the product, then one pass adding the bias, keeping the
// pre-activation when asked, and applying the activation).
// Attributes: ops.def's (attrs::MatmulAttrs). Inputs are [..., M, K] and [..., K, N] (the
// last two swapped when transposed); the output is [batch..., M, N].
// One launch of gemm.cuh for all batches (grid.z), the transposes folded into which
// direction each loader reads; float32 (SIMT, or TF32 when TESSERA_ALLOW_TF32=1) and
// float64.
#include "broadcast.cuh"
#include "contracts/matmul.h"
#include "contracts/matmul_bias.h"
#include "gemm.cuh"
#include "kernels.h"
#include "launch.cuh"
#include "math.cuh"

namespace tessera::cuda {

namespace {

// Where each output batch index finds its matrix in `v`: strides over the output's batch
// dimensions, 0 where v broadcasts.
BatchIndex batch_index(const View& v, const View& out) {
  BatchIndex b;
  const int out_batch_rank = out.rank() - 2;
  b.rank = std::max(out_batch_rank, 1);
  b.dims[0] = 1;
  int64_t stride = v.dim(-2) * v.dim(-1);
  for (int d = out_batch_rank - 1, vd = v.rank() - 3; d >= 0; --d, --vd) {
    b.dims[d] = out.dim(d);
    b.strides[d] = vd >= 0 && v.dim(vd) != 1 ? stride : 0;
    if (vd >= 0) stride *= v.dim(vd);
  }
  return b;
}

template <typename T>
void run_matmul(const View& a, const View& b, const View& out, bool ta, bool tb, cudaStream_t stream) {
  const int64_t M = out.dim(-2), N = out.dim(-1), K = ta ? a.dim(-2) : a.dim(-1);
  int64_t batches = 1;
  for (int d = 0; d < out.rank() - 2; ++d) batches *= out.dim(d);
  const BatchIndex ia = batch_index(a, out), ib = batch_index(b, out);
  const MatrixStore<T> st{out.data<T>(), N, BatchIndex::contiguous(M * N), false};
  const GemmDims d = gemm_dims(M, N, K);
  const T *pa = a.data<T>(), *pb = b.data<T>();
  const int64_t lda = a.dim(-1), ldb = b.dim(-1);
  if (!ta && !tb)
    launch_gemm<T>(d, batches, MatrixLoad<T, true>{pa, lda, ia}, MatrixLoad<T, false>{pb, ldb, ib}, st, stream,
                   "matMul");
  else if (!ta && tb)
    launch_gemm<T>(d, batches, MatrixLoad<T, true>{pa, lda, ia}, MatrixLoad<T, true>{pb, ldb, ib}, st, stream,
                   "matMul");
  else if (ta && !tb)
    launch_gemm<T>(d, batches, MatrixLoad<T, false>{pa, lda, ia}, MatrixLoad<T, false>{pb, ldb, ib}, st, stream,
                   "matMul");
  else
    launch_gemm<T>(d, batches, MatrixLoad<T, false>{pa, lda, ia}, MatrixLoad<T, true>{pb, ldb, ib}, st, stream,
                   "matMul");
}

using Activation = attrs::MatmulBiasAttrs::Activation;

// y[i, j] += bias[j], copied to pre when not null, then the activation (relu: NaN passes,
// as on the CPU; gelu: math::gelu, the `gelu` kernel's).
template <typename T>
__global__ void add_bias_activate_kernel(T* y, T* pre, const T* bias, int64_t total, int64_t n, Activation activation) {
  for (int64_t i = grid_start(); i < total; i += grid_stride()) {
    const T v = y[i] + bias[i % n];
    if (pre) pre[i] = v;
    y[i] = activation == Activation::kRelu   ? (v < T(0) ? T(0) : v)
           : activation == Activation::kGelu ? math::gelu(v)
                                             : v;
  }
}

template <typename T>
void run_matmul_bias(const View& x, const View& w, const View& bias, const View& y, const View& pre,
                     Activation activation, cudaStream_t stream) {
  run_matmul<T>(x, w, y, false, false, stream);
  const int64_t total = y.size();
  if (total == 0) return;
  add_bias_activate_kernel<T><<<grid_for(total), kBlockSize, 0, stream>>>(
      y.data<T>(), pre.size() > 0 ? pre.data<T>() : nullptr, bias.data<T>(), total, y.dim(1), activation);
  TK_CUDA_CHECK_LAUNCH("matMulBias");
}

}  // namespace

void matmul_bias(const KernelArgs& args, cudaStream_t stream) {
  contracts::check_matmul_bias("matMulBias", args);
  const View x = args.in(0), w = args.in(1), bias = args.in(2), y = args.out(0);
  const Activation activation = attrs::MatmulBiasAttrs::read(args).activation;
  TK_DISPATCH_FLOAT(x.dtype(), "matMulBias", run_matmul_bias<scalar_t>(x, w, bias, y, args.out(1), activation, stream));
}

void matmul(const KernelArgs& args, cudaStream_t stream) {
  const View a = args.in(0), b = args.in(1), out = args.out(0);
  const auto at = attrs::MatmulAttrs::read(args);
  const bool ta = at.transpose_a, tb = at.transpose_b;
  contracts::check_matmul(a, b, out, ta, tb);
  TK_DISPATCH_FLOAT(a.dtype(), "matMul", run_matmul<scalar_t>(a, b, out, ta, tb, stream));
}

}  // namespace tessera::cuda
