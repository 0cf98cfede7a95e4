// Recurrent cells, one time step each, forward and backward (the CUDA half of
// cpu/recurrent.cpp, whose header gives the inputs, outputs, attributes, Keras's gate
// orders and the formulas). Each cell is the recurrent GEMM through gemm.cuh and one
// fused kernel of gate nonlinearities (one thread per batch row and unit, running the
// CPU's own gate functors: contracts/recurrent_gates.h); the simple RNN fuses its tanh
// into the GEMM's store. The GRU needs one more GEMM and gate pass
// where reset_after is 0 (the reset gate scales h before the product), and scratch for
// products the CPU keeps in vectors. float32 and float64.
#include "contracts/recurrent.h"
#include "contracts/recurrent_gates.h"
#include "gemm.cuh"
#include "kernels.h"
#include "launch.cuh"
#include "recurrent_loops.cuh"
#include "scratch.h"

namespace tessera::cuda {

namespace {

using contracts::CellShape;
using recurrent::CudaMath;
using recurrent::for_each_cell;
using recurrent::GruBackwardReset;
using recurrent::GruBackwardState;

// The simple RNN's store: h_new = tanh(h @ U + xw), applied as each product leaves the tile.
template <typename T>
struct TanhAddStore {
  T* out;
  const T* xw;
  int64_t ld;
  __device__ TanhAddStore bind(int64_t, int) const { return *this; }
  __device__ void operator()(int64_t m, int64_t n, T v) const { out[m * ld + n] = CudaMath::tanh(v + xw[m * ld + n]); }
};

// ---------------------------------------------------------------- functors of the gate kernels

template <typename T>
struct SimpleRnnBackwardGate {
  const T *h_new, *dh_new;
  T* dxw;
  __device__ void operator()(int64_t, int64_t, int64_t k) const { dxw[k] = dh_new[k] * (T(1) - h_new[k] * h_new[k]); }
};

// drb[j] = sum over the batch of dm[b, j]: dxw's column, or dm_h's for the h block when reset_after.
template <typename T>
__global__ void gru_bias_grad_kernel(const T* dxw, const T* dm_h, T* drb, int64_t batch, int64_t n, bool reset_after) {
  for (int64_t j = grid_start(); j < 3 * n; j += grid_stride()) {
    T sum = T(0);
    for (int64_t b = 0; b < batch; ++b)
      sum += (reset_after && j >= 2 * n) ? dm_h[b * n + j - 2 * n] : dxw[b * 3 * n + j];
    drb[j] = sum;
  }
}

// dh = dz @ U_block^T and dU_block = h^T @ dz for a block of `cols` gate columns.
template <typename T>
void recurrent_backward_gemms(const CellShape& s, const T* dz, int64_t ld_dz, const T* h, const T* u_block,
                              int64_t cols, int64_t ld_u, T* dh, T* du_block, cudaStream_t stream, const char* name) {
  gemm_matrices<T>(stream, false, true, s.batch, s.units, cols, dz, ld_dz, u_block, ld_u, dh, s.units, false, name);
  gemm_matrices<T>(stream, true, false, s.units, cols, s.batch, h, s.units, dz, ld_dz, du_block, ld_u, false, name);
}

// ---------------------------------------------------------------- the cells

template <typename T>
void simple_rnn_forward(const KernelArgs& args, const CellShape& s, cudaStream_t stream) {
  const T *xw = args.in(0).data<T>(), *h = args.in(1).data<T>(), *u = args.in(2).data<T>();
  T* h_new = args.out(0).data<T>();
  const BatchIndex one = BatchIndex::contiguous(0);
  launch_gemm<T>(gemm_dims(s.batch, s.units, s.units), 1, MatrixLoad<T, true>{h, s.units, one},
                 MatrixLoad<T, false>{u, s.units, one}, TanhAddStore<T>{h_new, xw, s.units}, stream, "simpleRnnCell");
}

template <typename T>
void simple_rnn_backward(const KernelArgs& args, const CellShape& s, cudaStream_t stream) {
  const char* name = "simpleRnnCellBackward";
  const T *h = args.in(0).data<T>(), *u = args.in(1).data<T>(), *h_new = args.in(2).data<T>(),
          *dh_new = args.in(3).data<T>();
  T *dxw = args.out(0).data<T>(), *dh = args.out(1).data<T>(), *du = args.out(2).data<T>();
  for_each_cell(s, stream, name, SimpleRnnBackwardGate<T>{h_new, dh_new, dxw});
  recurrent_backward_gemms(s, dxw, s.units, h, u, s.units, s.units, dh, du, stream, name);
}

template <typename T>
void lstm_forward(const KernelArgs& args, const CellShape& s, cudaStream_t stream) {
  const char* name = "lstmCell";
  const T *xw = args.in(0).data<T>(), *h = args.in(1).data<T>(), *c = args.in(2).data<T>(), *u = args.in(3).data<T>();
  T *h_new = args.out(0).data<T>(), *c_new = args.out(1).data<T>(), *gates = args.out(2).data<T>();
  const int64_t n = s.units, width = 4 * n;
  gemm_matrices<T>(stream, false, false, s.batch, width, n, h, n, u, width, gates, width, false, name);
  for_each_cell(s, stream, name, contracts::LstmGate<CudaMath, T>{xw, c, gates, c_new, h_new, n});
}

template <typename T>
void lstm_backward(const KernelArgs& args, const CellShape& s, cudaStream_t stream) {
  const char* name = "lstmCellBackward";
  const T *h = args.in(0).data<T>(), *c = args.in(1).data<T>(), *u = args.in(2).data<T>();
  const T *gates = args.in(3).data<T>(), *c_new = args.in(4).data<T>();
  const T *dh_new = args.in(5).data<T>(), *dc_new = args.in(6).data<T>();
  T *dxw = args.out(0).data<T>(), *dh = args.out(1).data<T>(), *dc = args.out(2).data<T>(), *du = args.out(3).data<T>();
  const int64_t n = s.units, width = 4 * n;
  for_each_cell(s, stream, name, contracts::LstmBackwardGate<CudaMath, T>{c, gates, c_new, dh_new, dc_new, dxw, dc, n});
  recurrent_backward_gemms(s, dxw, width, h, u, width, width, dh, du, stream, name);
}

template <typename T>
void gru_forward(const KernelArgs& args, const CellShape& s, bool reset_after, cudaStream_t stream) {
  const char* name = "gruCell";
  const T *xw = args.in(0).data<T>(), *h = args.in(1).data<T>(), *u = args.in(2).data<T>(), *rb = args.in(3).data<T>();
  T *h_new = args.out(0).data<T>(), *gates = args.out(1).data<T>();
  const int64_t n = s.units, width = 3 * n, saved = 4 * n;
  // gates' columns [0, 3n) first receive h @ U (only z and r when !reset_after).
  gemm_matrices<T>(stream, false, false, s.batch, reset_after ? width : 2 * n, n, h, n, u, width, gates, saved, false,
                   name);
  // r * h goes through h_new, which the last pass overwrites without reading.
  for_each_cell(s, stream, name, contracts::GruGateZR<CudaMath, T>{xw, h, rb, gates, h_new, n, reset_after});
  if (!reset_after)
    gemm_matrices<T>(stream, false, false, s.batch, n, n, h_new, n, u + 2 * n, width, gates + 3 * n, saved, false,
                     name);
  for_each_cell(s, stream, name, contracts::GruGateH<CudaMath, T>{xw, h, rb, gates, h_new, n, reset_after});
}

template <typename T>
void gru_backward(const KernelArgs& args, const CellShape& s, bool reset_after, cudaStream_t stream) {
  const char* name = "gruCellBackward";
  const T *h = args.in(0).data<T>(), *u = args.in(1).data<T>(), *gates = args.in(2).data<T>(),
          *dh_new = args.in(3).data<T>();
  T *dxw = args.out(0).data<T>(), *dh = args.out(1).data<T>(), *du = args.out(2).data<T>(),
    *drb = args.out(3).data<T>();
  const int64_t n = s.units, width = 3 * n, cells = s.batch * n;
  // dm_h (reset_after) or r * h (otherwise), then dh_part: the state's gradient through m_h.
  Scratch scratch(2 * cells * sizeof(T));
  T *dm_h = scratch.as<T>(), *reset_h = scratch.as<T>(), *dh_part = scratch.as<T>() + cells;
  for_each_cell(s, stream, name, contracts::GruBackwardGate<T>{h, gates, dh_new, dxw, dm_h, reset_h, n, reset_after});
  if (reset_after) {
    // z and r blocks of dm are dxw's; the h block is dm_h.
    recurrent_backward_gemms(s, dxw, width, h, u, 2 * n, width, dh, du, stream, name);
    recurrent_backward_gemms(s, dm_h, n, h, u + 2 * n, n, width, dh_part, du + 2 * n, stream, name);
  } else {
    // d(r * h) = dpre_h @ U_h^T feeds r's gate and h directly; U_h's gradient sees r * h.
    recurrent_backward_gemms(s, dxw + 2 * n, width, reset_h, u + 2 * n, n, width, dh_part, du + 2 * n, stream, name);
    for_each_cell(s, stream, name, GruBackwardReset<T>{h, gates, dxw, dh_part, n});
    recurrent_backward_gemms(s, dxw, width, h, u, 2 * n, width, dh, du, stream, name);
  }
  for_each_cell(s, stream, name, GruBackwardState<T>{gates, dh_new, dh_part, dh, n});
  if (width == 0) return;
  gru_bias_grad_kernel<<<grid_for(width), kBlockSize, 0, stream>>>(dxw, dm_h, drb, s.batch, n, reset_after);
  TK_CUDA_CHECK_LAUNCH(name);
}

}  // namespace

void simple_rnn_cell(const KernelArgs& args, cudaStream_t stream) {
  const CellShape s = contracts::simple_rnn_cell_shape(args);
  TK_DISPATCH_FLOAT(args.in(1).dtype(), "simpleRnnCell", simple_rnn_forward<scalar_t>(args, s, stream));
}

void simple_rnn_cell_backward(const KernelArgs& args, cudaStream_t stream) {
  const CellShape s = contracts::simple_rnn_cell_backward_shape(args);
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "simpleRnnCellBackward", simple_rnn_backward<scalar_t>(args, s, stream));
}

void lstm_cell(const KernelArgs& args, cudaStream_t stream) {
  const CellShape s = contracts::lstm_cell_shape(args);
  TK_DISPATCH_FLOAT(args.in(1).dtype(), "lstmCell", lstm_forward<scalar_t>(args, s, stream));
}

void lstm_cell_backward(const KernelArgs& args, cudaStream_t stream) {
  const CellShape s = contracts::lstm_cell_backward_shape(args);
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "lstmCellBackward", lstm_backward<scalar_t>(args, s, stream));
}

void gru_cell(const KernelArgs& args, cudaStream_t stream) {
  const contracts::GruCall call = contracts::gru_cell_call(args);
  const CellShape& s = call.shape;
  TK_CHECK(args.in(3).size() == 3 * s.units && args.in(3).dtype() == args.in(1).dtype(),
           "gruCell: expected a recurrent bias of " << 3 * s.units << " values, got " << args.in(3).size());
  TK_DISPATCH_FLOAT(args.in(1).dtype(), "gruCell", gru_forward<scalar_t>(args, s, call.reset_after, stream));
}

void gru_cell_backward(const KernelArgs& args, cudaStream_t stream) {
  const contracts::GruCall call = contracts::gru_cell_backward_call(args);
  const CellShape& s = call.shape;
  TK_CHECK(args.out(3).size() == 3 * s.units && args.out(3).dtype() == args.in(0).dtype(),
           "gruCellBackward: expected a recurrent bias gradient of " << 3 * s.units << " values, got "
                                                                     << args.out(3).size());
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "gruCellBackward", gru_backward<scalar_t>(args, s, call.reset_after, stream));
}

}  // namespace tessera::cuda
