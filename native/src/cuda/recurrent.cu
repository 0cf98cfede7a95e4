// Recurrent cells, one time step each, forward and backward (the CUDA half of
// cpu/recurrent.cpp, whose header gives the inputs, outputs, attributes, Keras's gate
// orders and the formulas). Each cell is the recurrent GEMM through gemm.cuh and one
// fused kernel of gate nonlinearities (one thread per batch row and unit); the simple
// RNN fuses its tanh into the GEMM's store. The GRU needs one more GEMM and gate pass
// where reset_after is 0 (the reset gate scales h before the product), and scratch for
// products the CPU keeps in vectors. float32 and float64.
#include "gemm.cuh"
#include "kernels.h"
#include "launch.cuh"
#include "scratch.h"

namespace tessera::cuda {

namespace {

__device__ inline float tanh_of(float x) { return ::tanhf(x); }
__device__ inline double tanh_of(double x) { return ::tanh(x); }
__device__ inline float sigmoid_of(float x) { return 1.0f / (1.0f + ::expf(-x)); }
__device__ inline double sigmoid_of(double x) { return 1.0 / (1.0 + ::exp(-x)); }

struct CellShape {
  int64_t batch = 0, units = 0;
};

struct Expect {
  bool output;
  int index;
  int64_t rows_factor;  // elements = rows_factor * (batch or units) * units
  bool per_batch;       // rows are the batch (else units: a recurrent kernel)
};

CellShape cell_shape(const char* op, const KernelArgs& args, int h_input, std::initializer_list<Expect> expects) {
  const View h = args.in(h_input);
  TK_CHECK(h.rank() == 2, op << ": expected the state h as [batch, units], got rank " << h.rank());
  CellShape s{h.dim(0), h.dim(1)};
  for (const Expect& e : expects) {
    const View v = e.output ? args.out(e.index) : args.in(e.index);
    const int64_t want = e.rows_factor * (e.per_batch ? s.batch : s.units) * s.units;
    TK_CHECK(v.size() == want && v.dtype() == h.dtype(),
             op << ": expected " << (e.output ? "output " : "input ") << e.index << " to hold " << want << " "
                << dtype_name(h.dtype()) << " values for batch " << s.batch << " and " << s.units << " units, got "
                << v.size() << " " << dtype_name(v.dtype()) << " values");
  }
  return s;
}

bool reset_after_of(const char* op, const KernelArgs& args) {
  TK_CHECK(args.num_attrs() >= 1, op << ": expected attributes [reset_after]");
  return args.attr(0) != 0.0;
}

// f(b, j, k = b * units + j) for every batch row and unit.
template <typename F>
__global__ void cell_kernel(int64_t batch, int64_t units, F f) {
  const int64_t n = batch * units;
  for (int64_t k = grid_start(); k < n; k += grid_stride()) f(k / units, k % units, k);
}

template <typename F>
void for_each_cell(const CellShape& s, cudaStream_t stream, const char* name, F f) {
  const int64_t n = s.batch * s.units;
  if (n == 0) return;
  cell_kernel<<<grid_for(n), kBlockSize, 0, stream>>>(s.batch, s.units, f);
  TK_CUDA_CHECK_LAUNCH(name);
}

// The simple RNN's store: h_new = tanh(h @ U + xw), applied as each product leaves the tile.
template <typename T>
struct TanhAddStore {
  T* out;
  const T* xw;
  int64_t ld;
  __device__ TanhAddStore bind(int64_t, int) const { return *this; }
  __device__ void operator()(int64_t m, int64_t n, T v) const { out[m * ld + n] = tanh_of(v + xw[m * ld + n]); }
};

// ---------------------------------------------------------------- functors of the gate kernels

template <typename T>
struct SimpleRnnBackwardGate {
  const T *h_new, *dh_new;
  T* dxw;
  __device__ void operator()(int64_t, int64_t, int64_t k) const { dxw[k] = dh_new[k] * (T(1) - h_new[k] * h_new[k]); }
};

template <typename T>
struct LstmGate {
  const T *xw, *c;
  T *gates, *c_new, *h_new;
  int64_t n;
  __device__ void operator()(int64_t b, int64_t j, int64_t k) const {
    T* z = gates + b * 4 * n;
    const T* x = xw + b * 4 * n;
    const T i = sigmoid_of(z[j] + x[j]), f = sigmoid_of(z[n + j] + x[n + j]);
    const T g = tanh_of(z[2 * n + j] + x[2 * n + j]), o = sigmoid_of(z[3 * n + j] + x[3 * n + j]);
    const T cell = f * c[k] + i * g;
    z[j] = i;
    z[n + j] = f;
    z[2 * n + j] = g;
    z[3 * n + j] = o;
    c_new[k] = cell;
    h_new[k] = o * tanh_of(cell);
  }
};

template <typename T>
struct LstmBackwardGate {
  const T *c, *gates, *c_new, *dh_new, *dc_new;
  T *dxw, *dc;
  int64_t n;
  __device__ void operator()(int64_t b, int64_t j, int64_t k) const {
    const T* a = gates + b * 4 * n;
    T* d = dxw + b * 4 * n;
    const T i = a[j], f = a[n + j], g = a[2 * n + j], o = a[3 * n + j];
    const T tc = tanh_of(c_new[k]);
    const T dcell = dc_new[k] + dh_new[k] * o * (T(1) - tc * tc);
    d[j] = dcell * g * i * (T(1) - i);
    d[n + j] = dcell * c[k] * f * (T(1) - f);
    d[2 * n + j] = dcell * i * (T(1) - g * g);
    d[3 * n + j] = dh_new[k] * tc * o * (T(1) - o);
    dc[k] = dcell * f;
  }
};

// GRU forward, first pass: the z and r gates; m_h (reset_after) or r * h (into reset_h).
template <typename T>
struct GruGateZR {
  const T *xw, *h, *rb;
  T *gates, *reset_h;
  int64_t n;
  bool reset_after;
  __device__ void operator()(int64_t b, int64_t j, int64_t k) const {
    T* g = gates + b * 4 * n;
    const T* x = xw + b * 3 * n;
    g[j] = sigmoid_of(x[j] + g[j] + rb[j]);
    g[n + j] = sigmoid_of(x[n + j] + g[n + j] + rb[n + j]);
    if (reset_after) g[3 * n + j] = g[2 * n + j] + rb[2 * n + j];
    else reset_h[k] = g[n + j] * h[k];
  }
};

// GRU forward, second pass: the candidate and the new state.
template <typename T>
struct GruGateH {
  const T *xw, *h, *rb;
  T *gates, *h_new;
  int64_t n;
  bool reset_after;
  __device__ void operator()(int64_t b, int64_t j, int64_t k) const {
    T* g = gates + b * 4 * n;
    const T* x = xw + b * 3 * n;
    if (!reset_after) g[3 * n + j] += rb[2 * n + j];
    const T z = g[j], r = g[n + j];
    const T hh = tanh_of(x[2 * n + j] + (reset_after ? r * g[3 * n + j] : g[3 * n + j]));
    g[2 * n + j] = hh;
    h_new[k] = z * h[k] + (T(1) - z) * hh;
  }
};

template <typename T>
struct GruBackwardGate {
  const T *h, *gates, *dh_new;
  T *dxw, *dm_h, *reset_h;
  int64_t n;
  bool reset_after;
  __device__ void operator()(int64_t b, int64_t j, int64_t k) const {
    const T* g = gates + b * 4 * n;
    T* d = dxw + b * 3 * n;
    const T z = g[j], r = g[n + j], hh = g[2 * n + j], m_h = g[3 * n + j];
    const T dpre_h = dh_new[k] * (T(1) - z) * (T(1) - hh * hh);
    d[j] = dh_new[k] * (h[k] - hh) * z * (T(1) - z);
    d[2 * n + j] = dpre_h;
    if (reset_after) {
      d[n + j] = dpre_h * m_h * r * (T(1) - r);
      dm_h[k] = dpre_h * r;
    } else {
      reset_h[k] = r * h[k];
    }
  }
};

// reset_after = 0: the reset gate's gradient from d(r * h), and dh_part scaled by r.
template <typename T>
struct GruBackwardReset {
  const T *h, *gates;
  T *dxw, *dh_part;
  int64_t n;
  __device__ void operator()(int64_t b, int64_t j, int64_t k) const {
    const T r = gates[b * 4 * n + n + j];
    dxw[b * 3 * n + n + j] = dh_part[k] * h[k] * r * (T(1) - r);
    dh_part[k] *= r;
  }
};

template <typename T>
struct GruBackwardState {
  const T *gates, *dh_new, *dh_part;
  T* dh;
  int64_t n;
  __device__ void operator()(int64_t b, int64_t j, int64_t k) const {
    dh[k] += dh_part[k] + dh_new[k] * gates[b * 4 * n + j];
  }
};

// drb[j] = sum over the batch of dm[b, j]: dxw's column, or dm_h's for the h block when reset_after.
template <typename T>
__global__ void gru_bias_grad_kernel(const T* dxw, const T* dm_h, T* drb, int64_t batch, int64_t n, bool reset_after) {
  for (int64_t j = grid_start(); j < 3 * n; j += grid_stride()) {
    T sum = T(0);
    for (int64_t b = 0; b < batch; ++b) sum += (reset_after && j >= 2 * n) ? dm_h[b * n + j - 2 * n] : dxw[b * 3 * n + j];
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
  const T *xw = args.in(0).data<T>(), *h = args.in(1).data<T>(), *c = args.in(2).data<T>(),
          *u = args.in(3).data<T>();
  T *h_new = args.out(0).data<T>(), *c_new = args.out(1).data<T>(), *gates = args.out(2).data<T>();
  const int64_t n = s.units, width = 4 * n;
  gemm_matrices<T>(stream, false, false, s.batch, width, n, h, n, u, width, gates, width, false, name);
  for_each_cell(s, stream, name, LstmGate<T>{xw, c, gates, c_new, h_new, n});
}

template <typename T>
void lstm_backward(const KernelArgs& args, const CellShape& s, cudaStream_t stream) {
  const char* name = "lstmCellBackward";
  const T *h = args.in(0).data<T>(), *c = args.in(1).data<T>(), *u = args.in(2).data<T>();
  const T *gates = args.in(3).data<T>(), *c_new = args.in(4).data<T>();
  const T *dh_new = args.in(5).data<T>(), *dc_new = args.in(6).data<T>();
  T *dxw = args.out(0).data<T>(), *dh = args.out(1).data<T>(), *dc = args.out(2).data<T>(),
    *du = args.out(3).data<T>();
  const int64_t n = s.units, width = 4 * n;
  for_each_cell(s, stream, name, LstmBackwardGate<T>{c, gates, c_new, dh_new, dc_new, dxw, dc, n});
  recurrent_backward_gemms(s, dxw, width, h, u, width, width, dh, du, stream, name);
}

template <typename T>
void gru_forward(const KernelArgs& args, const CellShape& s, bool reset_after, cudaStream_t stream) {
  const char* name = "gruCell";
  const T *xw = args.in(0).data<T>(), *h = args.in(1).data<T>(), *u = args.in(2).data<T>(),
          *rb = args.in(3).data<T>();
  T *h_new = args.out(0).data<T>(), *gates = args.out(1).data<T>();
  const int64_t n = s.units, width = 3 * n, saved = 4 * n;
  // gates' columns [0, 3n) first receive h @ U (only z and r when !reset_after).
  gemm_matrices<T>(stream, false, false, s.batch, reset_after ? width : 2 * n, n, h, n, u, width, gates, saved, false,
                   name);
  // r * h goes through h_new, which the last pass overwrites without reading.
  for_each_cell(s, stream, name, GruGateZR<T>{xw, h, rb, gates, h_new, n, reset_after});
  if (!reset_after)
    gemm_matrices<T>(stream, false, false, s.batch, n, n, h_new, n, u + 2 * n, width, gates + 3 * n, saved, false, name);
  for_each_cell(s, stream, name, GruGateH<T>{xw, h, rb, gates, h_new, n, reset_after});
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
  for_each_cell(s, stream, name, GruBackwardGate<T>{h, gates, dh_new, dxw, dm_h, reset_h, n, reset_after});
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
  const CellShape s = cell_shape("simpleRnnCell", args, 1, {{false, 0, 1, true}, {false, 2, 1, false}, {true, 0, 1, true}});
  TK_DISPATCH_FLOAT(args.in(1).dtype(), "simpleRnnCell", simple_rnn_forward<scalar_t>(args, s, stream));
}

void simple_rnn_cell_backward(const KernelArgs& args, cudaStream_t stream) {
  const CellShape s = cell_shape("simpleRnnCellBackward", args, 0,
                                 {{false, 1, 1, false}, {false, 2, 1, true}, {false, 3, 1, true}, {true, 0, 1, true},
                                  {true, 1, 1, true}, {true, 2, 1, false}});
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "simpleRnnCellBackward", simple_rnn_backward<scalar_t>(args, s, stream));
}

void lstm_cell(const KernelArgs& args, cudaStream_t stream) {
  const CellShape s = cell_shape("lstmCell", args, 1,
                                 {{false, 0, 4, true}, {false, 2, 1, true}, {false, 3, 4, false}, {true, 0, 1, true},
                                  {true, 1, 1, true}, {true, 2, 4, true}});
  TK_DISPATCH_FLOAT(args.in(1).dtype(), "lstmCell", lstm_forward<scalar_t>(args, s, stream));
}

void lstm_cell_backward(const KernelArgs& args, cudaStream_t stream) {
  const CellShape s = cell_shape("lstmCellBackward", args, 0,
                                 {{false, 1, 1, true}, {false, 2, 4, false}, {false, 3, 4, true}, {false, 4, 1, true},
                                  {false, 5, 1, true}, {false, 6, 1, true}, {true, 0, 4, true}, {true, 1, 1, true},
                                  {true, 2, 1, true}, {true, 3, 4, false}});
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "lstmCellBackward", lstm_backward<scalar_t>(args, s, stream));
}

void gru_cell(const KernelArgs& args, cudaStream_t stream) {
  const bool reset_after = reset_after_of("gruCell", args);
  const CellShape s = cell_shape("gruCell", args, 1, {{false, 0, 3, true}, {false, 2, 3, false}, {true, 0, 1, true},
                                                      {true, 1, 4, true}});
  TK_CHECK(args.in(3).size() == 3 * s.units && args.in(3).dtype() == args.in(1).dtype(),
           "gruCell: expected a recurrent bias of " << 3 * s.units << " values, got " << args.in(3).size());
  TK_DISPATCH_FLOAT(args.in(1).dtype(), "gruCell", gru_forward<scalar_t>(args, s, reset_after, stream));
}

void gru_cell_backward(const KernelArgs& args, cudaStream_t stream) {
  const bool reset_after = reset_after_of("gruCellBackward", args);
  const CellShape s = cell_shape("gruCellBackward", args, 0,
                                 {{false, 1, 3, false}, {false, 2, 4, true}, {false, 3, 1, true}, {true, 0, 3, true},
                                  {true, 1, 1, true}, {true, 2, 3, false}});
  TK_CHECK(args.out(3).size() == 3 * s.units && args.out(3).dtype() == args.in(0).dtype(),
           "gruCellBackward: expected a recurrent bias gradient of " << 3 * s.units << " values, got " << args.out(3).size());
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "gruCellBackward", gru_backward<scalar_t>(args, s, reset_after, stream));
}

}  // namespace tessera::cuda
