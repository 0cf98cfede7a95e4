// Recurrent layers over a whole sequence, one call forward and one backward (as cuDNN's
// RNN calls): SimpleRNN (tanh or relu), LSTM and GRU with Keras's gate orders and default
// gate activations (cpu/recurrent.cpp gives the cell formulas; the gate passes are its
// functors, contracts/recurrent_gates.h).
//
// x [B, T, F] is first copied time-major ([T, B, F], steps reversed when go_backwards), so
// that the input projection of every step is one GEMM (B*T x F by F x G*u, bias fused) and
// each step's rows are one contiguous block (the LSTM's lands in its gates' workspace,
// where each step's recurrent GEMM adds onto it). The steps then run the recurrent GEMM and
// the fused gate pass. The backward runs the steps in reverse for the pre-activation
// gradients (dgates), then takes dW, dU, dx and the biases' gradients over all steps at
// once (the LSTM takes dx step by step, while the step's dgates are in cache).
//
// The steps' loop: row b of every step's state depends only on row b of the step before,
// so the batch is cut into slices (two per thread), and a thread runs the whole sequence
// on a slice without waiting for the others (for_each_batch_slice: one fork/join per
// sequence, where a fork/join per step op cost 11-14% of a training step). The recurrent
// kernel is packed for the GEMM once per call (pack_gemm_b), not at every step; each
// slice's gate pass follows its GEMM while the gates are still in cache. A row's results
// do not depend on the slicing (gemm_packed, RowGroupSums), so nothing varies with the
// thread count.
//
//   simple_rnn_sequence   inputs  x, kernel [F, u], recurrent_kernel [u, u], bias [u], h0 [B, u]
//                         outputs y [B, T, u], h_T [B, u], workspace
//                         attrs   activation (tanh, relu), go_backwards
//   simple_rnn_sequence_backward
//                         inputs  x, kernel, recurrent_kernel, workspace, dy, dh_T
//                         outputs dx, dkernel, drecurrent_kernel, dbias, dh0
//   lstm_sequence         inputs  x, kernel [F, 4u], recurrent_kernel [u, 4u], bias [4u], h0, c0
//                         outputs y, h_T, c_T, workspace
//   lstm_sequence_backward
//                         inputs  x, kernel, recurrent_kernel, workspace, dy, dh_T, dc_T
//                         outputs dx, dkernel, drecurrent_kernel, dbias, dh0, dc0
//   gru_sequence          inputs  x, kernel [F, 3u], recurrent_kernel [u, 3u], bias [3u] (added
//                                 to x W), recurrent_bias [3u] (reset_after: Keras's bias row 1;
//                                 else zeros), h0
//                         outputs y, h_T, workspace;  attrs reset_after, go_backwards
//   gru_sequence_backward inputs  x, kernel, recurrent_kernel, workspace, dy, dh_T
//                         outputs dx, dkernel, drecurrent_kernel, dbias, drecurrent_bias, dh0
//
// y holds every step's h in the order the steps ran (go_backwards: y[:, 0] saw x[:, T-1]),
// as Keras's returnSequences. The workspaces (sizes in contracts/recurrent_sequence.cpp),
// time-major: SimpleRNN hs [T+1, B, u] (h0 then each step's h); LSTM gates [T, B, 4u]
// (i, f, g, o), hs and cs [T+1, B, u]; GRU gates [T, B, 4u] (z, r, hh, m_h), hs.
// float32 and float64; all tensors of a call share one dtype.
#include <algorithm>
#include <cstring>
#include <utility>
#include <vector>

#include "../contracts/recurrent_gates.h"
#include "../contracts/recurrent_sequence.h"
#include "gemm.h"
#include "recurrent_loops.h"
#include "tessera/device.h"
#include "tessera/kernel.h"
#include "tessera/op_attrs.h"

namespace tessera::cpu {

namespace {

using contracts::CellShape;
using contracts::SequenceShape;
using recurrent::for_each_gru_unit_in;
using recurrent::for_each_unit_in;
using recurrent::for_each_unit_in_halves;
using recurrent::for_rows;
using recurrent::gru_reset_backward_row;
using recurrent::VecMath;

// Batch rows per group of the bias gradients' sums (RowGroupSums); slices start at group
// boundaries. 6, the AVX2 GEMM micro-kernel's rows, so that only the last slice's step
// GEMMs end in a short row tail (with 8, batch 128 on 2 threads was 4 slices of 32 =
// 5 x 6 + 2 rows, a 2-row tail in each slice at every step).
constexpr int64_t kSumRows = 6;

// Runs fn(b0, b1) on slices of the batch rows covering [0, B), each on one thread for the
// whole sequence (see the top), cut at multiples of kSumRows. flops_per_row: one row's
// work over one step; a slice has about kGemmMinFlopsPerThread of work over the sequence
// at least.
template <typename F>
void for_each_batch_slice(const SequenceShape& s, double flops_per_row, F fn) {
  const double work = flops_per_row * double(s.batch) * double(s.time);
  const int64_t groups = (s.batch + kSumRows - 1) / kSumRows;
  // Two slices per thread, claimed as threads come free, so that a thread that starts
  // late takes less. (On the shared, oversubscribed machine a forward pass still waited
  // 30-50 ms per call on a descheduled thread, with 1 to 8 slices per thread alike; the
  // per-step fork/joins it replaced waited less there. With the machine to itself
  // (SCHED_FIFO) bench:train went from 5.2k to 6.3k samples/s (LSTM), 6.2k to 8.2k (GRU).)
  const int64_t parts = std::min<int64_t>(
      {2 * int64_t(num_threads()), groups, std::max<int64_t>(1, int64_t(work / kGemmMinFlopsPerThread))});
  if (parts <= 1) return fn(int64_t(0), s.batch);
  // Cuts rounded up: the slices claimed first are the larger ones, and the short last
  // group lands in a smaller slice (batch 128: 22 groups, the last of 2 rows, in slices of
  // 6, 5, 6 and 5 groups).
  const auto cut = [&](int64_t t) { return std::min(s.batch, (groups * t + parts - 1) / parts * kSumRows); };
  parallel_for(0, parts, 1, [&](int64_t lo, int64_t hi) {
    for (int64_t t = lo; t < hi; ++t) {
      const int64_t b0 = cut(t), b1 = cut(t + 1);
      if (b0 < b1) fn(b0, b1);
    }
  });
}

// Column sums of every step's [B, cols] block (a bias gradient), taken in the steps' loop
// while each step's rows are still in cache (a separate pass over [T*B, 4u] after the loop
// read it back from memory: 8% of an LSTM training step). In double, one row of sums per
// group of kSumRows batch rows: a slice owns whole groups, so threads never share a row
// of sums, and the groups add in order at the end: the same bits at any thread count.
template <typename T>
class RowGroupSums {
 public:
  RowGroupSums(int64_t batch, int64_t cols) : cols_(cols), sums_(((batch + kSumRows - 1) / kSumRows) * cols, 0.0) {}

  // Adds rows [b0, b1) of a step's block, row b at data + b * ld.
  void add(const T* data, int64_t ld, int64_t b0, int64_t b1) {
    for_rows(b0, b1, [&](int64_t b) {
      double* sum = sums_.data() + (b / kSumRows) * cols_;
      const T* row = data + b * ld;
      TESSERA_IVDEP
      for (int64_t j = 0; j < cols_; ++j) sum[j] += double(row[j]);
    });
  }

  void write(T* out) const {
    for (int64_t j = 0; j < cols_; ++j) {
      double total = 0.0;
      for (size_t g = 0; g < sums_.size(); g += cols_) total += sums_[g + j];
      out[j] = T(total);
    }
  }

 private:
  int64_t cols_;
  std::vector<double> sums_;
};

// The flops of a step's recurrent products, per batch row, over `cols` output columns.
double step_flops(const SequenceShape& s, int64_t cols) { return 2.0 * double(s.units) * double(cols); }

// Scratch the kernels write in full before reading: left uninitialized (zeroing the
// sequence-sized blocks cost a few percent of an LSTM's training step). From the CPU
// backend's block cache, as tensors are: a layer's buffers have the same sizes every step,
// and `new` maps those above glibc's mmap threshold (32 MB: the LSTM's gate gradients at
// 256 steps of batch 64) afresh on every call, 8,000 page faults a step (bench:scaling's
// LSTM trained 5x slower at 256 steps than at 128).
template <typename T>
class Buffer {
 public:
  explicit Buffer(int64_t n) : data_(static_cast<T*>(host().allocate(static_cast<size_t>(n) * sizeof(T)))) {}
  Buffer(Buffer&& other) noexcept : data_(std::exchange(other.data_, nullptr)) {}
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  Buffer& operator=(Buffer&&) = delete;
  ~Buffer() {
    if (data_ != nullptr) host().release(data_);
  }
  T* data() const { return data_; }

 private:
  static Backend& host() { return backend_for(Device{}); }
  T* data_;
};

// Copies between batch-major [B, T, w] and time-major [T, B, w] rows; time-major step k is
// time T-1-k when reversed.
template <typename T>
void copy_steps(const T* src, T* dst, const SequenceShape& s, int64_t width, bool reverse, bool into_time_major) {
  parallel_for(0, s.time, grain_for(1 << 16, s.batch * width), [&](int64_t lo, int64_t hi) {
    for (int64_t k = lo; k < hi; ++k) {
      const int64_t t = reverse ? s.time - 1 - k : k;
      for (int64_t b = 0; b < s.batch; ++b) {
        const int64_t time_major = (k * s.batch + b) * width, batch_major = (b * s.time + t) * width;
        if (into_time_major) std::memcpy(dst + time_major, src + batch_major, width * sizeof(T));
        else std::memcpy(dst + batch_major, src + time_major, width * sizeof(T));
      }
    }
  });
}

// The projection x W + bias of every step, time-major [T*B, G], in one GEMM into xw.
template <typename T>
void project_into(const KernelArgs& args, const SequenceShape& s, int64_t width, bool reverse, T* xw) {
  const Buffer<T> x(s.rows() * s.features);
  copy_steps(args.in(0).data<T>(), x.data(), s, s.features, reverse, true);
  gemm_ex<T>(false, false, s.rows(), width, s.features, x.data(), s.features, args.in(1).data<T>(), width, T(0), xw,
             width, args.in(3).data<T>());
}

template <typename T>
Buffer<T> project(const KernelArgs& args, const SequenceShape& s, int64_t width, bool reverse) {
  Buffer<T> xw(s.rows() * width);
  project_into(args, s, width, reverse, xw.data());
  return xw;
}

// The forward's outputs from the states hs [T+1, B, u]: y in step order, and h_T.
template <typename T>
void write_outputs(const KernelArgs& args, const SequenceShape& s, const T* hs) {
  const int64_t state = s.batch * s.units;
  copy_steps(hs + state, args.out(0).data<T>(), s, s.units, false, false);
  std::copy(hs + s.time * state, hs + (s.time + 1) * state, args.out(1).data<T>());
}

// The gradient flowing into each step's h from y: dy time-major [T, B, u].
template <typename T>
Buffer<T> step_output_grads(const T* dy, const SequenceShape& s) {
  Buffer<T> out(s.rows() * s.units);
  copy_steps(dy, out.data(), s, s.units, false, true);
  return out;
}

template <typename T>
void add_into(T* dst, const T* src, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dst[i] += src[i];
}

// A slice's rows [b0, b1) of the [B, width] block at data.
template <typename T>
T* rows_of(T* data, int64_t b0, int64_t width) {
  return data + b0 * width;
}

// Asks for rows [b0, b1) of a [B, width] block of a later step to be brought into L2 now
// (write: to be written), so that the step finds them there: the whole-sequence blocks
// (7.3 MB at bench:train's size) are otherwise read back from memory in the gate passes.
// Issued before a step's recurrent GEMM, which runs from L1 and L2 meanwhile.
template <typename T>
void prefetch_rows(const T* block, int64_t b0, int64_t b1, int64_t width, bool write = false) {
  const char* line = reinterpret_cast<const char*>(block + b0 * width);
  const char* end = reinterpret_cast<const char*>(block + b1 * width);
  for (; line < end; line += 64) {
    if (write) __builtin_prefetch(line, 1, 2);
    else __builtin_prefetch(line, 0, 2);
  }
}

// The weight gradients shared by every cell, from dgates [T*B, G] (the pre-activation
// gradients of x W + b): dkernel = x^T dgates, dx = dgates W^T (back to batch order).
// (dbias, their column sums, is taken in the steps' loop: RowGroupSums.)
template <typename T>
void kernel_grad(const KernelArgs& args, const SequenceShape& s, int64_t width, const T* dgates, bool reverse) {
  const Buffer<T> x(s.rows() * s.features);
  copy_steps(args.in(0).data<T>(), x.data(), s, s.features, reverse, true);
  gemm<T>(true, false, s.features, width, s.rows(), x.data(), s.features, dgates, width, args.out(1).data<T>(), width);
}

template <typename T>
void input_grads(const KernelArgs& args, const SequenceShape& s, int64_t width, const T* dgates, bool reverse) {
  kernel_grad(args, s, width, dgates, reverse);
  const Buffer<T> dx(s.rows() * s.features);
  gemm<T>(false, true, s.rows(), s.features, width, dgates, width, args.in(1).data<T>(), width, dx.data(), s.features);
  copy_steps(dx.data(), args.out(0).data<T>(), s, s.features, reverse, false);
}

// dx of one step's slice, dgates rows [b0, b1) times W^T (packed), straight into the
// batch-major dx [B, T, F] at time t (rows T * F apart).
template <typename T>
void step_input_grad(const KernelArgs& args, const SequenceShape& s, int64_t width, const PackedB<T>& w_t,
                     const T* dgates, int64_t t, int64_t b0, int64_t b1) {
  gemm_packed<T>(b1 - b0, rows_of(dgates, b0, width), width, w_t, T(0),
                 args.out(0).data<T>() + (b0 * s.time + t) * s.features, s.time * s.features);
}

// ---- SimpleRNN ----

template <typename T, bool kRelu>
void simple_rnn_forward(const KernelArgs& args, const SequenceShape& s, bool reverse) {
  const int64_t n = s.units, state = s.batch * n;
  const Buffer<T> xws = project<T>(args, s, n, reverse);
  const PackedB<T> u = pack_gemm_b<T>(false, n, n, args.in(2).data<T>(), n);
  T* hs = args.out(2).data<T>();
  std::copy(args.in(4).data<T>(), args.in(4).data<T>() + state, hs);
  for_each_batch_slice(s, step_flops(s, n), [&](int64_t b0, int64_t b1) {
    for (int64_t k = 0; k < s.time; ++k) {
      T* h = hs + (k + 1) * state;
      const T* xw = xws.data() + k * state;
      gemm_packed<T>(b1 - b0, rows_of(hs + k * state, b0, n), n, u, T(0), rows_of(h, b0, n), n);
      for_rows(b0, b1, [&](int64_t b) {
        TESSERA_IVDEP
        for (int64_t j = b * n; j < (b + 1) * n; ++j) {
          const T z = h[j] + xw[j];
          h[j] = kRelu ? (z > T(0) ? z : T(0)) : vm::tanh(z);
        }
      });
    }
  });
  write_outputs(args, s, hs);
}

template <typename T, bool kRelu>
void simple_rnn_backward(const KernelArgs& args, const SequenceShape& s, bool reverse) {
  const int64_t n = s.units, state = s.batch * n;
  const T* hs = args.in(3).data<T>();
  const PackedB<T> u_t = pack_gemm_b<T>(true, n, n, args.in(2).data<T>(), n);
  const Buffer<T> dys = step_output_grads(args.in(4).data<T>(), s);
  Buffer<T> dpre(s.rows() * n);
  RowGroupSums<T> dbias(s.batch, n);
  T* dh = args.out(4).data<T>();  // dh_T, then each step's dh in turn: dh0 at the end
  std::copy(args.in(5).data<T>(), args.in(5).data<T>() + state, dh);
  for_each_batch_slice(s, step_flops(s, n), [&](int64_t b0, int64_t b1) {
    for (int64_t k = s.time - 1; k >= 0; --k) {
      add_into(rows_of(dh, b0, n), rows_of(dys.data() + k * state, b0, n), (b1 - b0) * n);
      const T* h = hs + (k + 1) * state;
      T* d = dpre.data() + k * state;
      for_rows(b0, b1, [&](int64_t b) {
        TESSERA_IVDEP
        for (int64_t j = b * n; j < (b + 1) * n; ++j)
          d[j] = kRelu ? (h[j] > T(0) ? dh[j] : T(0)) : dh[j] * (T(1) - h[j] * h[j]);
      });
      dbias.add(d, n, b0, b1);
      gemm_packed<T>(b1 - b0, rows_of(d, b0, n), n, u_t, T(0), rows_of(dh, b0, n), n);
    }
  });
  gemm<T>(true, false, n, n, s.rows(), hs, n, dpre.data(), n, args.out(2).data<T>(), n);
  input_grads(args, s, n, dpre.data(), reverse);
  dbias.write(args.out(3).data<T>());
}

// ---- LSTM ----

template <typename T>
void lstm_forward(const KernelArgs& args, const SequenceShape& s, bool reverse) {
  const int64_t n = s.units, width = 4 * n, state = s.batch * n;
  // The steps' projections go straight into the gates' workspace and each step's h @ U is
  // added onto them: the gate pass then reads one block the GEMM just wrote, where it read
  // a separate projection back from memory (7.3 MB a call at bench:train's size).
  T* gates = args.out(3).data<T>();
  project_into<T>(args, s, width, reverse, gates);
  const PackedB<T> u = pack_gemm_b<T>(false, n, width, args.in(2).data<T>(), width);
  T* hs = gates + s.rows() * width;
  T* cs = hs + (s.time + 1) * state;
  std::copy(args.in(4).data<T>(), args.in(4).data<T>() + state, hs);
  std::copy(args.in(5).data<T>(), args.in(5).data<T>() + state, cs);
  for_each_batch_slice(s, step_flops(s, width), [&](int64_t b0, int64_t b1) {
    for (int64_t k = 0; k < s.time; ++k) {
      T* g = gates + k * s.batch * width;
      if (k + 1 < s.time) prefetch_rows(g + s.batch * width, b0, b1, width, true);
      gemm_packed<T>(b1 - b0, rows_of(hs + k * state, b0, n), n, u, T(1), rows_of(g, b0, width), width);
      for_each_unit_in_halves(b0, b1, n,
                              contracts::LstmGate<VecMath, T, true>{nullptr, cs + k * state, g, cs + (k + 1) * state,
                                                                    hs + (k + 1) * state, n});
    }
  });
  write_outputs(args, s, hs);
  std::copy(cs + s.time * state, cs + (s.time + 1) * state, args.out(2).data<T>());
}

template <typename T>
void lstm_backward(const KernelArgs& args, const SequenceShape& s, bool reverse) {
  const int64_t n = s.units, width = 4 * n, state = s.batch * n;
  const T* gates = args.in(3).data<T>();
  const T* hs = gates + s.rows() * width;
  const T* cs = hs + (s.time + 1) * state;
  const PackedB<T> u_t = pack_gemm_b<T>(true, width, n, args.in(2).data<T>(), width);
  // dx is taken step by step while the step's dgates are in cache (after the loop, its
  // GEMM read all of dgates back from memory and dx went through a time-major copy).
  const PackedB<T> w_t = pack_gemm_b<T>(true, width, s.features, args.in(1).data<T>(), width);
  const Buffer<T> dys = step_output_grads(args.in(4).data<T>(), s);
  Buffer<T> dgates(s.rows() * width);
  RowGroupSums<T> dbias(s.batch, width);
  // dh and dc: dh_T and dc_T, then each step's in turn; dh0 and dc0 at the end.
  T* dh = args.out(4).data<T>();
  std::copy(args.in(5).data<T>(), args.in(5).data<T>() + state, dh);
  std::vector<T> dc_in(args.in(6).data<T>(), args.in(6).data<T>() + state);
  T* dc_out = args.out(5).data<T>();
  for_each_batch_slice(s, step_flops(s, width), [&](int64_t b0, int64_t b1) {
    // dc alternates between the two buffers; the last step (k = 0) writes dc0 into dc_out.
    T* dc = s.time % 2 == 0 ? dc_out : dc_in.data();
    T* dc_prev = s.time % 2 == 0 ? dc_in.data() : dc_out;
    if (s.time % 2 == 0) std::copy(rows_of(dc_in.data(), b0, n), rows_of(dc_in.data(), b1, n), rows_of(dc, b0, n));
    for (int64_t k = s.time - 1; k >= 0; --k) {
      add_into(rows_of(dh, b0, n), rows_of(dys.data() + k * state, b0, n), (b1 - b0) * n);
      T* d = dgates.data() + k * s.batch * width;
      for_each_unit_in(b0, b1, n,
                       contracts::LstmBackwardGate<VecMath, T>{cs + k * state, gates + k * s.batch * width,
                                                               cs + (k + 1) * state, dh, dc, d, dc_prev, n});
      dbias.add(d, width, b0, b1);
      std::swap(dc, dc_prev);
      if (k > 0) {
        prefetch_rows(gates + (k - 1) * s.batch * width, b0, b1, width);
        prefetch_rows(d - s.batch * width, b0, b1, width, true);
        prefetch_rows(cs + (k - 1) * state, b0, b1, n);
        prefetch_rows(dys.data() + (k - 1) * state, b0, b1, n);
      }
      gemm_packed<T>(b1 - b0, rows_of(d, b0, width), width, u_t, T(0), rows_of(dh, b0, n), n);
      step_input_grad(args, s, width, w_t, d, reverse ? s.time - 1 - k : k, b0, b1);
    }
  });
  gemm<T>(true, false, n, width, s.rows(), hs, n, dgates.data(), width, args.out(2).data<T>(), width);
  kernel_grad(args, s, width, dgates.data(), reverse);
  dbias.write(args.out(3).data<T>());
}

// ---- GRU ----

template <typename T>
void gru_forward(const KernelArgs& args, const SequenceShape& s, bool reset_after, bool reverse) {
  const int64_t n = s.units, width = 3 * n, saved = 4 * n, state = s.batch * n;
  const Buffer<T> xws = project<T>(args, s, width, reverse);
  const T* rb = args.in(4).data<T>();
  const T* u = args.in(2).data<T>();
  // h @ U for z, r and (reset_after) the candidate; else the candidate's (r * h) @ U_h.
  const PackedB<T> u_first = pack_gemm_b<T>(false, n, reset_after ? width : 2 * n, u, width);
  const PackedB<T> u_h = reset_after ? PackedB<T>{} : pack_gemm_b<T>(false, n, n, u + 2 * n, width);
  T* gates = args.out(2).data<T>();
  T* hs = gates + s.rows() * saved;
  std::copy(args.in(5).data<T>(), args.in(5).data<T>() + state, hs);
  std::vector<T> reset_h(reset_after ? 0 : state);
  for_each_batch_slice(s, step_flops(s, width), [&](int64_t b0, int64_t b1) {
    for (int64_t k = 0; k < s.time; ++k) {
      const T *h = hs + k * state, *xw = xws.data() + k * s.batch * width;
      T* g = gates + k * s.batch * saved;
      // g's columns [0, 3n) first receive h @ U (only z and r when !reset_after).
      gemm_packed<T>(b1 - b0, rows_of(h, b0, n), n, u_first, T(0), rows_of(g, b0, saved), saved);
      for_each_gru_unit_in(b0, b1, n, contracts::GruGateZR<VecMath, T>{xw, h, rb, g, reset_h.data(), n, reset_after});
      if (!reset_after)
        gemm_packed<T>(b1 - b0, rows_of(reset_h.data(), b0, n), n, u_h, T(0), rows_of(g, b0, saved) + 3 * n, saved);
      for_each_gru_unit_in(b0, b1, n,
                           contracts::GruGateH<VecMath, T>{xw, h, rb, g, hs + (k + 1) * state, n, reset_after});
    }
  });
  write_outputs(args, s, hs);
}

template <typename T>
void gru_backward(const KernelArgs& args, const SequenceShape& s, bool reset_after, bool reverse) {
  const int64_t n = s.units, width = 3 * n, saved = 4 * n, state = s.batch * n;
  const T *u = args.in(2).data<T>(), *gates = args.in(3).data<T>();
  const T* hs = gates + s.rows() * saved;
  // dh_prev = dpre_zr @ U_zr^T + (the candidate's term: m @ U_h^T, or r * (dpre_h @ U_h^T)).
  const PackedB<T> u_zr_t = pack_gemm_b<T>(true, 2 * n, n, u, width);
  const PackedB<T> u_h_t = pack_gemm_b<T>(true, n, n, u + 2 * n, width);
  const Buffer<T> dys = step_output_grads(args.in(4).data<T>(), s);
  // dgates: the gradient of x W + b per step. The candidate's recurrent product takes
  // `m_grad` (reset_after: dm_h = dpre_h * r, [T, B, u]; else dgates' h block) against
  // `m_left` (reset_after: the previous h; else r * h, [T, B, u]).
  Buffer<T> dgates(s.rows() * width), per_step(s.rows() * n);
  // dbias from dgates; the recurrent bias's candidate block from dm_h (reset_after).
  RowGroupSums<T> dbias(s.batch, width), drb_h(s.batch, reset_after ? n : 0);
  std::vector<T> dh_in(args.in(5).data<T>(), args.in(5).data<T>() + state), dh_other(state), dh_part(state);
  for_each_batch_slice(s, step_flops(s, width), [&](int64_t b0, int64_t b1) {
    const int64_t rows = b1 - b0;
    T *dh = dh_in.data(), *dh_prev = dh_other.data();
    for (int64_t k = s.time - 1; k >= 0; --k) {
      add_into(rows_of(dh, b0, n), rows_of(dys.data() + k * state, b0, n), rows * n);
      const T *h = hs + k * state, *g = gates + k * s.batch * saved;
      T *d = dgates.data() + k * s.batch * width, *m = per_step.data() + k * state;
      for_each_gru_unit_in(b0, b1, n, contracts::GruBackwardGate<T>{h, g, dh, d, m, m, n, reset_after});
      if (reset_after) {
        gemm_packed<T>(rows, rows_of(d, b0, width), width, u_zr_t, T(0), rows_of(dh_prev, b0, n), n);
        gemm_packed<T>(rows, rows_of(m, b0, n), n, u_h_t, T(1), rows_of(dh_prev, b0, n), n);
      } else {
        // d(r * h) = dpre_h @ U_h^T feeds r's gate and h directly.
        gemm_packed<T>(rows, rows_of(d, b0, width) + 2 * n, width, u_h_t, T(0), rows_of(dh_part.data(), b0, n), n);
        for_rows(b0, b1, [&](int64_t b) {
          gru_reset_backward_row(n, g + b * saved + n, h + b * n, dh_part.data() + b * n, d + b * width + n);
        });
        gemm_packed<T>(rows, rows_of(d, b0, width), width, u_zr_t, T(0), rows_of(dh_prev, b0, n), n);
      }
      for_rows(b0, b1, [&](int64_t b) {
        const T* part = dh_part.data();
        TESSERA_IVDEP
        for (int64_t j = 0; j < n; ++j) {
          const int64_t i = b * n + j;
          dh_prev[i] += (reset_after ? T(0) : part[i]) + dh[i] * g[b * saved + j];
        }
      });
      dbias.add(d, width, b0, b1);
      if (reset_after) drb_h.add(m, n, b0, b1);
      std::swap(dh, dh_prev);
    }
    std::copy(rows_of(dh, b0, n), rows_of(dh, b1, n), rows_of(args.out(5).data<T>(), b0, n));
  });
  // dU: z and r blocks from the previous h; the candidate's block from m_left and m_grad.
  T* du = args.out(2).data<T>();
  gemm<T>(true, false, n, 2 * n, s.rows(), hs, n, dgates.data(), width, du, width);
  if (reset_after) gemm<T>(true, false, n, n, s.rows(), hs, n, per_step.data(), n, du + 2 * n, width);
  else gemm<T>(true, false, n, n, s.rows(), per_step.data(), n, dgates.data() + 2 * n, width, du + 2 * n, width);
  input_grads(args, s, width, dgates.data(), reverse);
  // The recurrent bias sits beside h @ U: its z and r gradients are the input bias's; the
  // candidate's is dm_h's sum (reset_after) or again the input bias's.
  T* db = args.out(3).data<T>();
  T* drb = args.out(4).data<T>();
  dbias.write(db);
  std::copy(db, db + width, drb);
  if (reset_after) drb_h.write(drb + 2 * n);
}

// A batch of no rows: nothing to run, however many steps (a [0, 2^31, F] input looped over
// empty steps for 20 s). Every output is zero: the weight gradients of no rows are zero.
bool empty_batch(const KernelArgs& args, const SequenceShape& s) {
  if (s.batch != 0) return false;
  for (int i = 0; i < args.num_outputs(); ++i) {
    const View out = args.out(i);
    std::memset(out.data<uint8_t>(), 0, static_cast<size_t>(out.size()) * dtype_size(out.dtype()));
  }
  return true;
}

}  // namespace

void simple_rnn_sequence(const KernelArgs& args) {
  const SequenceShape s = contracts::simple_rnn_sequence_shape(args);
  if (empty_batch(args, s)) return;
  const auto a = attrs::SimpleRnnSequenceAttrs::read(args);
  const bool relu = a.activation == attrs::SimpleRnnSequenceAttrs::Activation::kRelu;
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "simpleRnnSequence",
                    relu ? simple_rnn_forward<scalar_t, true>(args, s, a.go_backwards)
                         : simple_rnn_forward<scalar_t, false>(args, s, a.go_backwards));
}

void simple_rnn_sequence_backward(const KernelArgs& args) {
  const SequenceShape s = contracts::simple_rnn_sequence_backward_shape(args);
  if (empty_batch(args, s)) return;
  const auto a = attrs::SimpleRnnSequenceBackwardAttrs::read(args);
  const bool relu = a.activation == attrs::SimpleRnnSequenceAttrs::Activation::kRelu;
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "simpleRnnSequenceBackward",
                    relu ? simple_rnn_backward<scalar_t, true>(args, s, a.go_backwards)
                         : simple_rnn_backward<scalar_t, false>(args, s, a.go_backwards));
}

void lstm_sequence(const KernelArgs& args) {
  const SequenceShape s = contracts::lstm_sequence_shape(args);
  if (empty_batch(args, s)) return;
  const bool reverse = attrs::LstmSequenceAttrs::read(args).go_backwards;
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "lstmSequence", lstm_forward<scalar_t>(args, s, reverse));
}

void lstm_sequence_backward(const KernelArgs& args) {
  const SequenceShape s = contracts::lstm_sequence_backward_shape(args);
  if (empty_batch(args, s)) return;
  const bool reverse = attrs::LstmSequenceBackwardAttrs::read(args).go_backwards;
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "lstmSequenceBackward", lstm_backward<scalar_t>(args, s, reverse));
}

void gru_sequence(const KernelArgs& args) {
  const SequenceShape s = contracts::gru_sequence_shape(args);
  if (empty_batch(args, s)) return;
  const auto a = attrs::GruSequenceAttrs::read(args);
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "gruSequence", gru_forward<scalar_t>(args, s, a.reset_after, a.go_backwards));
}

void gru_sequence_backward(const KernelArgs& args) {
  const SequenceShape s = contracts::gru_sequence_backward_shape(args);
  if (empty_batch(args, s)) return;
  const auto a = attrs::GruSequenceBackwardAttrs::read(args);
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "gruSequenceBackward",
                    gru_backward<scalar_t>(args, s, a.reset_after, a.go_backwards));
}

}  // namespace tessera::cpu
