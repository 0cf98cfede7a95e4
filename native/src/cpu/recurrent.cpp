// Recurrent cells, one time step each, forward and backward: SimpleRNN, LSTM and GRU with
// Keras's gate orders and default activations (tanh, and sigmoid for the gates).
//
// The input projection xw = x_t @ kernel + bias does not depend on the state, so the
// caller computes it with matmul for every timestep at once ([T*B, in] @ [in, G*u], one
// large GEMM) and passes each step's [B, G*u] slice; the gradients of kernel, bias and x
// then come from matmul's and add's rules, once per sequence. The cell kernels run the
// recurrent GEMM (gemm.h) and fuse the gate nonlinearities into one pass.
//
//   simple_rnn_cell           inputs  xw [B, u], h [B, u], recurrent_kernel [u, u]
//                             outputs h_new [B, u] = tanh(xw + h @ recurrent_kernel)
//   simple_rnn_cell_backward  inputs  h, recurrent_kernel, h_new, dh_new
//                             outputs dxw [B, u], dh [B, u], drecurrent_kernel [u, u]
//
//   lstm_cell                 inputs  xw [B, 4u], h [B, u], c [B, u], recurrent_kernel [u, 4u]
//                             outputs h_new [B, u], c_new [B, u], gates [B, 4u]
//     z = xw + h @ recurrent_kernel, in Keras's column order i, f, c, o (PyTorch's i, f, g, o):
//     i = sigmoid(z_i), f = sigmoid(z_f), g = tanh(z_c), o = sigmoid(z_o)
//     c_new = f * c + i * g,  h_new = o * tanh(c_new),  gates = [i, f, g, o]
//   lstm_cell_backward        inputs  h, c, recurrent_kernel, gates, c_new, dh_new, dc_new
//                             outputs dxw [B, 4u], dh [B, u], dc [B, u], drecurrent_kernel [u, 4u]
//
//   gru_cell                  inputs  xw [B, 3u], h [B, u], recurrent_kernel [u, 3u],
//                                     recurrent_bias [3u]
//                             outputs h_new [B, u], gates [B, 4u]
//   gru_cell_backward         inputs  h, recurrent_kernel, gates, dh_new
//                             outputs dxw [B, 3u], dh [B, u], drecurrent_kernel [u, 3u],
//                                     drecurrent_bias [3u]
//     Keras's column order z, r, h; U = recurrent_kernel, rb = recurrent_bias.
//     reset_after = 1 (Keras's default; its bias is [2, 3u]: row 0 goes into xw, row 1 is rb):
//       m = h @ U + rb
//       z = sigmoid(xw_z + m_z), r = sigmoid(xw_r + m_r), hh = tanh(xw_h + r * m_h)
//     reset_after = 0 (Keras's bias is [3u] and goes into xw; pass rb = zeros):
//       z = sigmoid(xw_z + h @ U_z + rb_z), r = sigmoid(xw_r + h @ U_r + rb_r)
//       m_h = (r * h) @ U_h + rb_h,  hh = tanh(xw_h + m_h)
//     h_new = z * h + (1 - z) * hh,  gates = [z, r, hh, m_h]
//
// float32 and float64; all tensors of a call share one dtype. The per-step weight
// gradients are the step's own; the caller sums them over time.
#include <algorithm>
#include <cmath>
#include <vector>

#include "../contracts/recurrent.h"
#include "../contracts/recurrent_gates.h"
#include "gemm.h"
#include "recurrent_loops.h"
#include "tessera/kernel.h"

namespace tessera::cpu {

namespace {

using contracts::CellShape;
using recurrent::for_each_gru_unit;
using recurrent::for_each_row;
using recurrent::for_each_unit;
using recurrent::gru_reset_backward_row;
using recurrent::VecMath;

// dh = dz @ U^T and dU = h^T @ dz for a block of gate columns: dz is [B, n] with row
// stride ld_dz, U's columns [first, first + n) of its `ld_u` (gate count * units).
template <typename T>
void recurrent_backward_gemms(const CellShape& s, const T* dz, int64_t ld_dz, const T* h, const T* u_block, int64_t n,
                              int64_t ld_u, T* dh, T* du_block) {
  gemm<T>(false, true, s.batch, s.units, n, dz, ld_dz, u_block, ld_u, dh, s.units);
  gemm<T>(true, false, s.units, n, s.batch, h, s.units, dz, ld_dz, du_block, ld_u);
}

template <typename T>
void simple_rnn_forward(const KernelArgs& args, const CellShape& s) {
  const T *xw = args.in(0).data<T>(), *h = args.in(1).data<T>(), *u = args.in(2).data<T>();
  T* h_new = args.out(0).data<T>();
  gemm<T>(false, false, s.batch, s.units, s.units, h, s.units, u, s.units, h_new, s.units);
  for_each_row(s, [&](int64_t b) {
    TESSERA_IVDEP
    for (int64_t j = b * s.units; j < (b + 1) * s.units; ++j) h_new[j] = vm::tanh(h_new[j] + xw[j]);
  });
}

template <typename T>
void simple_rnn_backward(const KernelArgs& args, const CellShape& s) {
  const T *h = args.in(0).data<T>(), *u = args.in(1).data<T>(), *h_new = args.in(2).data<T>(),
          *dh_new = args.in(3).data<T>();
  T *dxw = args.out(0).data<T>(), *dh = args.out(1).data<T>(), *du = args.out(2).data<T>();
  for_each_row(s, [&](int64_t b) {
    TESSERA_IVDEP
    for (int64_t j = b * s.units; j < (b + 1) * s.units; ++j) dxw[j] = dh_new[j] * (T(1) - h_new[j] * h_new[j]);
  });
  recurrent_backward_gemms(s, dxw, s.units, h, u, s.units, s.units, dh, du);
}

template <typename T>
void lstm_forward(const KernelArgs& args, const CellShape& s) {
  const T *xw = args.in(0).data<T>(), *h = args.in(1).data<T>(), *c = args.in(2).data<T>(), *u = args.in(3).data<T>();
  T *h_new = args.out(0).data<T>(), *c_new = args.out(1).data<T>(), *gates = args.out(2).data<T>();
  const int64_t n = s.units, width = 4 * n;
  gemm<T>(false, false, s.batch, width, n, h, n, u, width, gates, width);
  for_each_unit(s, contracts::LstmGate<VecMath, T>{xw, c, gates, c_new, h_new, n});
}

template <typename T>
void lstm_backward(const KernelArgs& args, const CellShape& s) {
  const T *h = args.in(0).data<T>(), *c = args.in(1).data<T>(), *u = args.in(2).data<T>();
  const T *gates = args.in(3).data<T>(), *c_new = args.in(4).data<T>();
  const T *dh_new = args.in(5).data<T>(), *dc_new = args.in(6).data<T>();
  T *dxw = args.out(0).data<T>(), *dh = args.out(1).data<T>(), *dc = args.out(2).data<T>(), *du = args.out(3).data<T>();
  const int64_t n = s.units, width = 4 * n;
  for_each_unit(s, contracts::LstmBackwardGate<VecMath, T>{c, gates, c_new, dh_new, dc_new, dxw, dc, n});
  recurrent_backward_gemms(s, dxw, width, h, u, width, width, dh, du);
}

template <typename T>
void gru_forward(const KernelArgs& args, const CellShape& s, bool reset_after) {
  const T *xw = args.in(0).data<T>(), *h = args.in(1).data<T>(), *u = args.in(2).data<T>(), *rb = args.in(3).data<T>();
  T *h_new = args.out(0).data<T>(), *gates = args.out(1).data<T>();
  const int64_t n = s.units, width = 3 * n, saved = 4 * n;
  // gates' columns [0, 3n) first receive h @ U (only z and r when !reset_after).
  gemm<T>(false, false, s.batch, reset_after ? width : 2 * n, n, h, n, u, width, gates, saved);
  std::vector<T> reset_h(reset_after ? 0 : s.batch * n);
  for_each_gru_unit(s, contracts::GruGateZR<VecMath, T>{xw, h, rb, gates, reset_h.data(), n, reset_after});
  if (!reset_after) gemm<T>(false, false, s.batch, n, n, reset_h.data(), n, u + 2 * n, width, gates + 3 * n, saved);
  for_each_gru_unit(s, contracts::GruGateH<VecMath, T>{xw, h, rb, gates, h_new, n, reset_after});
}

template <typename T>
void gru_backward(const KernelArgs& args, const CellShape& s, bool reset_after) {
  const T *h = args.in(0).data<T>(), *u = args.in(1).data<T>(), *gates = args.in(2).data<T>(),
          *dh_new = args.in(3).data<T>();
  T *dxw = args.out(0).data<T>(), *dh = args.out(1).data<T>(), *du = args.out(2).data<T>(),
    *drb = args.out(3).data<T>();
  const int64_t n = s.units, width = 3 * n, saved = 4 * n;
  // dm: the gradient of the recurrent pre-activations h @ U + rb. It equals dxw except
  // in the h block when reset_after, where r scales m_h.
  std::vector<T> dm_h(reset_after ? s.batch * n : 0), reset_h(reset_after ? 0 : s.batch * n);
  for_each_gru_unit(s,
                    contracts::GruBackwardGate<T>{h, gates, dh_new, dxw, dm_h.data(), reset_h.data(), n, reset_after});
  std::vector<T> dh_part(s.batch * n);
  if (reset_after) {
    // z and r blocks of dm are dxw's; the h block is dm_h.
    recurrent_backward_gemms(s, dxw, width, h, u, 2 * n, width, dh, du);
    recurrent_backward_gemms(s, dm_h.data(), n, h, u + 2 * n, n, width, dh_part.data(), du + 2 * n);
  } else {
    // d(r * h) = dpre_h @ U_h^T feeds r's gate and h directly; U_h's gradient sees r * h.
    recurrent_backward_gemms(s, dxw + 2 * n, width, reset_h.data(), u + 2 * n, n, width, dh_part.data(), du + 2 * n);
    for_each_row(s, [&](int64_t b) {
      gru_reset_backward_row(n, gates + b * saved + n, h + b * n, dh_part.data() + b * n, dxw + b * width + n);
    });
    recurrent_backward_gemms(s, dxw, width, h, u, 2 * n, width, dh, du);
  }
  for_each_row(s, [&](int64_t b) {
    TESSERA_IVDEP
    for (int64_t j = 0; j < n; ++j) {
      const int64_t k = b * n + j;
      dh[k] += dh_part[k] + dh_new[k] * gates[b * saved + j];
    }
  });
  // Rows outer, columns inner (vectorized); each column still sums in batch order.
  const int64_t from_dxw = reset_after ? 2 * n : width;
  std::fill(drb, drb + width, T(0));
  vectorized([&] {
    for (int64_t b = 0; b < s.batch; ++b) {
      for (int64_t j = 0; j < from_dxw; ++j) drb[j] += dxw[b * width + j];
      for (int64_t j = from_dxw; j < width; ++j) drb[j] += dm_h[b * n + j - 2 * n];
    }
  });
}

}  // namespace

void simple_rnn_cell(const KernelArgs& args) {
  const CellShape s = contracts::simple_rnn_cell_shape(args);
  TK_DISPATCH_FLOAT(args.in(1).dtype(), "simpleRnnCell", simple_rnn_forward<scalar_t>(args, s));
}

void simple_rnn_cell_backward(const KernelArgs& args) {
  const CellShape s = contracts::simple_rnn_cell_backward_shape(args);
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "simpleRnnCellBackward", simple_rnn_backward<scalar_t>(args, s));
}

void lstm_cell(const KernelArgs& args) {
  const CellShape s = contracts::lstm_cell_shape(args);
  TK_DISPATCH_FLOAT(args.in(1).dtype(), "lstmCell", lstm_forward<scalar_t>(args, s));
}

void lstm_cell_backward(const KernelArgs& args) {
  const CellShape s = contracts::lstm_cell_backward_shape(args);
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "lstmCellBackward", lstm_backward<scalar_t>(args, s));
}

void gru_cell(const KernelArgs& args) {
  const contracts::GruCall call = contracts::gru_cell_call(args);
  const CellShape& s = call.shape;
  TK_CHECK(args.in(3).size() == 3 * s.units,
           "gruCell: expected a recurrent bias of " << 3 * s.units << " values, got " << args.in(3).size());
  TK_DISPATCH_FLOAT(args.in(1).dtype(), "gruCell", gru_forward<scalar_t>(args, s, call.reset_after));
}

void gru_cell_backward(const KernelArgs& args) {
  const contracts::GruCall call = contracts::gru_cell_backward_call(args);
  const CellShape& s = call.shape;
  TK_CHECK(args.out(3).size() == 3 * s.units, "gruCellBackward: expected a recurrent bias gradient of "
                                                  << 3 * s.units << " values, got " << args.out(3).size());
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "gruCellBackward", gru_backward<scalar_t>(args, s, call.reset_after));
}

}  // namespace tessera::cpu
