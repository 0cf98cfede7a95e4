// Recurrent layers over a whole sequence, one call forward and one backward: the CUDA half
// of cpu/recurrent_sequence.cpp, whose header gives the inputs, outputs, attributes and
// workspace layout. The same plan: x copied time-major, its projection for every step as
// one GEMM (gemm.cuh), then per step the recurrent GEMM and one launch of the CPU's own gate
// functors (contracts/recurrent_gates.h); the backward runs the steps in reverse for the
// pre-activation gradients, then takes dW, dU and dx as one GEMM each over all steps.
// Every launch is queued on the device's stream; the host only sequences them.
#include <utility>

#include "contracts/recurrent_gates.h"
#include "contracts/recurrent_sequence.h"
#include "gemm.cuh"
#include "kernels.h"
#include "launch.cuh"
#include "recurrent_loops.cuh"
#include "scratch.h"

namespace tessera::cuda {

namespace {

using contracts::CellShape;
using contracts::SequenceShape;
using recurrent::CudaMath;
using recurrent::for_each_cell;
using recurrent::GruBackwardReset;
using recurrent::GruBackwardState;

CellShape step_shape(const SequenceShape& s) { return CellShape{s.batch, s.units}; }

template <typename T>
void copy_async(T* dst, const T* src, int64_t n, cudaStream_t stream) {
  if (n > 0) TK_CUDA_CHECK(cudaMemcpyAsync(dst, src, n * sizeof(T), cudaMemcpyDeviceToDevice, stream));
}

// Between batch-major [B, T, w] and time-major [T, B, w]; time-major step k is time T-1-k
// when reversed.
template <typename T>
__global__ void copy_steps_kernel(const T* src, T* dst, int64_t batch, int64_t time, int64_t width, bool reverse,
                                  bool into_time_major) {
  const int64_t total = time * batch * width;
  for (int64_t i = grid_start(); i < total; i += grid_stride()) {
    const int64_t k = i / (batch * width), b = (i / width) % batch, c = i % width;
    const int64_t t = reverse ? time - 1 - k : k;
    const int64_t batch_major = (b * time + t) * width + c;
    if (into_time_major) dst[i] = src[batch_major];
    else dst[batch_major] = src[i];
  }
}

template <typename T>
void copy_steps(const T* src, T* dst, const SequenceShape& s, int64_t width, bool reverse, bool into_time_major,
                cudaStream_t stream, const char* name) {
  const int64_t total = s.rows() * width;
  if (total == 0) return;
  copy_steps_kernel<<<grid_for(total), kBlockSize, 0, stream>>>(src, dst, s.batch, s.time, width, reverse,
                                                                into_time_major);
  TK_CUDA_CHECK_LAUNCH(name);
}

// dst[i] += src[i], or dst[i] += src[i % period] (a bias on every row) when period > 0.
template <typename T>
__global__ void add_kernel(T* dst, const T* src, int64_t n, int64_t period) {
  for (int64_t i = grid_start(); i < n; i += grid_stride()) dst[i] += src[period > 0 ? i % period : i];
}

template <typename T>
void add_into(T* dst, const T* src, int64_t n, int64_t period, cudaStream_t stream, const char* name) {
  if (n == 0) return;
  add_kernel<<<grid_for(n), kBlockSize, 0, stream>>>(dst, src, n, period);
  TK_CUDA_CHECK_LAUNCH(name);
}

// out[j] = the sum of column j of a [rows, ld] block (columns [0, cols)).
template <typename T>
__global__ void column_sums_kernel(const T* data, int64_t rows, int64_t cols, int64_t ld, T* out) {
  for (int64_t j = grid_start(); j < cols; j += grid_stride()) {
    T sum = T(0);
    for (int64_t r = 0; r < rows; ++r) sum += data[r * ld + j];
    out[j] = sum;
  }
}

template <typename T>
void column_sums(const T* data, int64_t rows, int64_t cols, int64_t ld, T* out, cudaStream_t stream, const char* name) {
  if (cols == 0) return;
  column_sums_kernel<<<grid_for(cols), kBlockSize, 0, stream>>>(data, rows, cols, ld, out);
  TK_CUDA_CHECK_LAUNCH(name);
}

// x time-major and x W + bias for every step, [T*B, width]: scratch the caller keeps.
template <typename T>
void project(const KernelArgs& args, const SequenceShape& s, int64_t width, bool reverse, T* x_tm, T* xw,
             cudaStream_t stream, const char* name) {
  copy_steps(args.in(0).data<T>(), x_tm, s, s.features, reverse, true, stream, name);
  gemm_matrices<T>(stream, false, false, s.rows(), width, s.features, x_tm, s.features, args.in(1).data<T>(), width, xw,
                   width, false, name);
  add_into(xw, args.in(3).data<T>(), s.rows() * width, width, stream, name);
}

// y in step order and h_T, from the states hs [T+1, B, u].
template <typename T>
void write_outputs(const KernelArgs& args, const SequenceShape& s, const T* hs, cudaStream_t stream, const char* name) {
  const int64_t state = s.batch * s.units;
  copy_steps(hs + state, args.out(0).data<T>(), s, s.units, false, false, stream, name);
  copy_async(args.out(1).data<T>(), hs + s.time * state, state, stream);
}

// dkernel = x^T dgates, dx = dgates W^T (back to batch order), dbias = dgates' column sums.
template <typename T>
void input_grads(const KernelArgs& args, const SequenceShape& s, int64_t width, const T* dgates, bool reverse,
                 cudaStream_t stream, const char* name) {
  Scratch scratch(2 * s.rows() * s.features * sizeof(T));
  T *x_tm = scratch.as<T>(), *dx_tm = scratch.as<T>() + s.rows() * s.features;
  copy_steps(args.in(0).data<T>(), x_tm, s, s.features, reverse, true, stream, name);
  gemm_matrices<T>(stream, true, false, s.features, width, s.rows(), x_tm, s.features, dgates, width,
                   args.out(1).data<T>(), width, false, name);
  gemm_matrices<T>(stream, false, true, s.rows(), s.features, width, dgates, width, args.in(1).data<T>(), width, dx_tm,
                   s.features, false, name);
  copy_steps(dx_tm, args.out(0).data<T>(), s, s.features, reverse, false, stream, name);
  column_sums(dgates, s.rows(), width, width, args.out(3).data<T>(), stream, name);
}

// ---- SimpleRNN ----

template <typename T>
struct SimpleRnnStep {
  const T* xw;
  T* h;
  bool relu;
  __device__ void operator()(int64_t, int64_t, int64_t k) const {
    const T z = h[k] + xw[k];
    h[k] = relu ? (z > T(0) ? z : T(0)) : CudaMath::tanh(z);
  }
};

template <typename T>
struct SimpleRnnStepBackward {
  const T *h, *dh;
  T* d;
  bool relu;
  __device__ void operator()(int64_t, int64_t, int64_t k) const {
    d[k] = relu ? (h[k] > T(0) ? dh[k] : T(0)) : dh[k] * (T(1) - h[k] * h[k]);
  }
};

template <typename T>
void simple_rnn_forward(const KernelArgs& args, const SequenceShape& s, bool relu, bool reverse, cudaStream_t stream) {
  const char* name = "simpleRnnSequence";
  const int64_t n = s.units, state = s.batch * n;
  Scratch scratch((s.rows() * s.features + s.rows() * n) * sizeof(T));
  T *x_tm = scratch.as<T>(), *xw = x_tm + s.rows() * s.features;
  project(args, s, n, reverse, x_tm, xw, stream, name);
  const T* u = args.in(2).data<T>();
  T* hs = args.out(2).data<T>();
  copy_async(hs, args.in(4).data<T>(), state, stream);
  for (int64_t k = 0; k < s.time; ++k) {
    T* h = hs + (k + 1) * state;
    gemm_matrices<T>(stream, false, false, s.batch, n, n, hs + k * state, n, u, n, h, n, false, name);
    for_each_cell(step_shape(s), stream, name, SimpleRnnStep<T>{xw + k * state, h, relu});
  }
  write_outputs(args, s, hs, stream, name);
}

template <typename T>
void simple_rnn_backward(const KernelArgs& args, const SequenceShape& s, bool relu, bool reverse, cudaStream_t stream) {
  const char* name = "simpleRnnSequenceBackward";
  const int64_t n = s.units, state = s.batch * n;
  const T *u = args.in(2).data<T>(), *hs = args.in(3).data<T>();
  Scratch scratch((2 * s.rows() * n + state) * sizeof(T));
  T *dys = scratch.as<T>(), *dpre = dys + s.rows() * n, *dh = dpre + s.rows() * n;
  copy_steps(args.in(4).data<T>(), dys, s, n, false, true, stream, name);
  copy_async(dh, args.in(5).data<T>(), state, stream);
  for (int64_t k = s.time - 1; k >= 0; --k) {
    add_into(dh, dys + k * state, state, 0, stream, name);
    T* d = dpre + k * state;
    for_each_cell(step_shape(s), stream, name, SimpleRnnStepBackward<T>{hs + (k + 1) * state, dh, d, relu});
    gemm_matrices<T>(stream, false, true, s.batch, n, n, d, n, u, n, dh, n, false, name);
  }
  copy_async(args.out(4).data<T>(), dh, state, stream);
  gemm_matrices<T>(stream, true, false, n, n, s.rows(), hs, n, dpre, n, args.out(2).data<T>(), n, false, name);
  input_grads(args, s, n, dpre, reverse, stream, name);
}

// ---- LSTM ----

template <typename T>
void lstm_forward(const KernelArgs& args, const SequenceShape& s, bool reverse, cudaStream_t stream) {
  const char* name = "lstmSequence";
  const int64_t n = s.units, width = 4 * n, state = s.batch * n;
  Scratch scratch((s.rows() * s.features + s.rows() * width) * sizeof(T));
  T *x_tm = scratch.as<T>(), *xw = x_tm + s.rows() * s.features;
  project(args, s, width, reverse, x_tm, xw, stream, name);
  const T* u = args.in(2).data<T>();
  T* gates = args.out(3).data<T>();
  T* hs = gates + s.rows() * width;
  T* cs = hs + (s.time + 1) * state;
  copy_async(hs, args.in(4).data<T>(), state, stream);
  copy_async(cs, args.in(5).data<T>(), state, stream);
  for (int64_t k = 0; k < s.time; ++k) {
    T* g = gates + k * s.batch * width;
    gemm_matrices<T>(stream, false, false, s.batch, width, n, hs + k * state, n, u, width, g, width, false, name);
    for_each_cell(step_shape(s), stream, name,
                  contracts::LstmGate<CudaMath, T>{xw + k * s.batch * width, cs + k * state, g, cs + (k + 1) * state,
                                                   hs + (k + 1) * state, n});
  }
  write_outputs(args, s, hs, stream, name);
  copy_async(args.out(2).data<T>(), cs + s.time * state, state, stream);
}

template <typename T>
void lstm_backward(const KernelArgs& args, const SequenceShape& s, bool reverse, cudaStream_t stream) {
  const char* name = "lstmSequenceBackward";
  const int64_t n = s.units, width = 4 * n, state = s.batch * n;
  const T *u = args.in(2).data<T>(), *gates = args.in(3).data<T>();
  const T* hs = gates + s.rows() * width;
  const T* cs = hs + (s.time + 1) * state;
  Scratch scratch((s.rows() * n + s.rows() * width + 3 * state) * sizeof(T));
  T *dys = scratch.as<T>(), *dgates = dys + s.rows() * n, *dh = dgates + s.rows() * width;
  T *dc = dh + state, *dc_prev = dc + state;
  copy_steps(args.in(4).data<T>(), dys, s, n, false, true, stream, name);
  copy_async(dh, args.in(5).data<T>(), state, stream);
  copy_async(dc, args.in(6).data<T>(), state, stream);
  for (int64_t k = s.time - 1; k >= 0; --k) {
    add_into(dh, dys + k * state, state, 0, stream, name);
    T* d = dgates + k * s.batch * width;
    for_each_cell(step_shape(s), stream, name,
                  contracts::LstmBackwardGate<CudaMath, T>{cs + k * state, gates + k * s.batch * width,
                                                           cs + (k + 1) * state, dh, dc, d, dc_prev, n});
    std::swap(dc, dc_prev);
    gemm_matrices<T>(stream, false, true, s.batch, n, width, d, width, u, width, dh, n, false, name);
  }
  copy_async(args.out(4).data<T>(), dh, state, stream);
  copy_async(args.out(5).data<T>(), dc, state, stream);
  gemm_matrices<T>(stream, true, false, n, width, s.rows(), hs, n, dgates, width, args.out(2).data<T>(), width, false,
                   name);
  input_grads(args, s, width, dgates, reverse, stream, name);
}

// ---- GRU ----

template <typename T>
void gru_forward(const KernelArgs& args, const SequenceShape& s, bool reset_after, bool reverse, cudaStream_t stream) {
  const char* name = "gruSequence";
  const int64_t n = s.units, width = 3 * n, saved = 4 * n, state = s.batch * n;
  Scratch scratch((s.rows() * s.features + s.rows() * width + state) * sizeof(T));
  T *x_tm = scratch.as<T>(), *xw = x_tm + s.rows() * s.features, *reset_h = xw + s.rows() * width;
  project(args, s, width, reverse, x_tm, xw, stream, name);
  const T *u = args.in(2).data<T>(), *rb = args.in(4).data<T>();
  T* gates = args.out(2).data<T>();
  T* hs = gates + s.rows() * saved;
  copy_async(hs, args.in(5).data<T>(), state, stream);
  for (int64_t k = 0; k < s.time; ++k) {
    const T *h = hs + k * state, *x = xw + k * s.batch * width;
    T* g = gates + k * s.batch * saved;
    gemm_matrices<T>(stream, false, false, s.batch, reset_after ? width : 2 * n, n, h, n, u, width, g, saved, false,
                     name);
    for_each_cell(step_shape(s), stream, name, contracts::GruGateZR<CudaMath, T>{x, h, rb, g, reset_h, n, reset_after});
    if (!reset_after)
      gemm_matrices<T>(stream, false, false, s.batch, n, n, reset_h, n, u + 2 * n, width, g + 3 * n, saved, false,
                       name);
    for_each_cell(step_shape(s), stream, name,
                  contracts::GruGateH<CudaMath, T>{x, h, rb, g, hs + (k + 1) * state, n, reset_after});
  }
  write_outputs(args, s, hs, stream, name);
}

template <typename T>
void gru_backward(const KernelArgs& args, const SequenceShape& s, bool reset_after, bool reverse, cudaStream_t stream) {
  const char* name = "gruSequenceBackward";
  const int64_t n = s.units, width = 3 * n, saved = 4 * n, state = s.batch * n;
  const T *u = args.in(2).data<T>(), *gates = args.in(3).data<T>();
  const T* hs = gates + s.rows() * saved;
  // per_step: dm_h = dpre_h * r (reset_after) or r * h, [T, B, u] (cpu/recurrent_sequence.cpp).
  Scratch scratch((2 * s.rows() * n + s.rows() * width + 3 * state) * sizeof(T));
  T *dys = scratch.as<T>(), *per_step = dys + s.rows() * n, *dgates = per_step + s.rows() * n;
  T *dh = dgates + s.rows() * width, *dh_prev = dh + state, *dh_part = dh_prev + state;
  copy_steps(args.in(4).data<T>(), dys, s, n, false, true, stream, name);
  copy_async(dh, args.in(5).data<T>(), state, stream);
  for (int64_t k = s.time - 1; k >= 0; --k) {
    add_into(dh, dys + k * state, state, 0, stream, name);
    const T *h = hs + k * state, *g = gates + k * s.batch * saved;
    T *d = dgates + k * s.batch * width, *m = per_step + k * state;
    for_each_cell(step_shape(s), stream, name, contracts::GruBackwardGate<T>{h, g, dh, d, m, m, n, reset_after});
    if (reset_after) {
      gemm_matrices<T>(stream, false, true, s.batch, n, n, m, n, u + 2 * n, width, dh_part, n, false, name);
    } else {
      gemm_matrices<T>(stream, false, true, s.batch, n, n, d + 2 * n, width, u + 2 * n, width, dh_part, n, false, name);
      for_each_cell(step_shape(s), stream, name, GruBackwardReset<T>{h, g, d, dh_part, n});
    }
    gemm_matrices<T>(stream, false, true, s.batch, n, 2 * n, d, width, u, width, dh_prev, n, false, name);
    for_each_cell(step_shape(s), stream, name, GruBackwardState<T>{g, dh, dh_part, dh_prev, n});
    std::swap(dh, dh_prev);
  }
  copy_async(args.out(5).data<T>(), dh, state, stream);
  T* du = args.out(2).data<T>();
  gemm_matrices<T>(stream, true, false, n, 2 * n, s.rows(), hs, n, dgates, width, du, width, false, name);
  if (reset_after)
    gemm_matrices<T>(stream, true, false, n, n, s.rows(), hs, n, per_step, n, du + 2 * n, width, false, name);
  else
    gemm_matrices<T>(stream, true, false, n, n, s.rows(), per_step, n, dgates + 2 * n, width, du + 2 * n, width, false,
                     name);
  input_grads(args, s, width, dgates, reverse, stream, name);
  // The recurrent bias's z and r gradients are the input bias's; the candidate's is dm_h's
  // sum (reset_after) or again the input bias's.
  T* drb = args.out(4).data<T>();
  copy_async(drb, args.out(3).data<T>(), width, stream);
  if (reset_after) column_sums(per_step, s.rows(), n, n, drb + 2 * n, stream, name);
}

// A batch of no rows: nothing to run, however many steps (as on the CPU); every output
// is zero, the weight gradients of no rows included.
bool empty_batch(const KernelArgs& args, const SequenceShape& s, cudaStream_t stream) {
  if (s.batch != 0) return false;
  for (int i = 0; i < args.num_outputs(); ++i) {
    const View out = args.out(i);
    const size_t bytes = static_cast<size_t>(out.size()) * dtype_size(out.dtype());
    if (bytes > 0) TK_CUDA_CHECK(cudaMemsetAsync(out.data<uint8_t>(), 0, bytes, stream));
  }
  return true;
}

}  // namespace

void simple_rnn_sequence(const KernelArgs& args, cudaStream_t stream) {
  const SequenceShape s = contracts::simple_rnn_sequence_shape(args);
  if (empty_batch(args, s, stream)) return;
  const auto a = attrs::SimpleRnnSequenceAttrs::read(args);
  const bool relu = a.activation == attrs::SimpleRnnSequenceAttrs::Activation::kRelu;
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "simpleRnnSequence",
                    simple_rnn_forward<scalar_t>(args, s, relu, a.go_backwards, stream));
}

void simple_rnn_sequence_backward(const KernelArgs& args, cudaStream_t stream) {
  const SequenceShape s = contracts::simple_rnn_sequence_backward_shape(args);
  if (empty_batch(args, s, stream)) return;
  const auto a = attrs::SimpleRnnSequenceBackwardAttrs::read(args);
  const bool relu = a.activation == attrs::SimpleRnnSequenceAttrs::Activation::kRelu;
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "simpleRnnSequenceBackward",
                    simple_rnn_backward<scalar_t>(args, s, relu, a.go_backwards, stream));
}

void lstm_sequence(const KernelArgs& args, cudaStream_t stream) {
  const SequenceShape s = contracts::lstm_sequence_shape(args);
  if (empty_batch(args, s, stream)) return;
  const bool reverse = attrs::LstmSequenceAttrs::read(args).go_backwards;
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "lstmSequence", lstm_forward<scalar_t>(args, s, reverse, stream));
}

void lstm_sequence_backward(const KernelArgs& args, cudaStream_t stream) {
  const SequenceShape s = contracts::lstm_sequence_backward_shape(args);
  if (empty_batch(args, s, stream)) return;
  const bool reverse = attrs::LstmSequenceBackwardAttrs::read(args).go_backwards;
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "lstmSequenceBackward", lstm_backward<scalar_t>(args, s, reverse, stream));
}

void gru_sequence(const KernelArgs& args, cudaStream_t stream) {
  const SequenceShape s = contracts::gru_sequence_shape(args);
  if (empty_batch(args, s, stream)) return;
  const auto a = attrs::GruSequenceAttrs::read(args);
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "gruSequence",
                    gru_forward<scalar_t>(args, s, a.reset_after, a.go_backwards, stream));
}

void gru_sequence_backward(const KernelArgs& args, cudaStream_t stream) {
  const SequenceShape s = contracts::gru_sequence_backward_shape(args);
  if (empty_batch(args, s, stream)) return;
  const auto a = attrs::GruSequenceBackwardAttrs::read(args);
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "gruSequenceBackward",
                    gru_backward<scalar_t>(args, s, a.reset_after, a.go_backwards, stream));
}

}  // namespace tessera::cuda
