// The loops the recurrent kernels share (recurrent.cpp: one step; recurrent_sequence.cpp:
// whole sequences): passes over the batch rows and units of one step, and the sigmoid and
// tanh the gate functors of contracts/recurrent_gates.h call.
#pragma once
#include <cstdint>
#include <type_traits>

#include "../contracts/recurrent.h"
#include "tessera/thread_pool.h"
#include "vec_math.h"
#include "vectorize.h"

namespace tessera::cpu::recurrent {

using contracts::CellShape;

// fn(b) over the batch rows [lo, hi) on this thread, compiled for the CPU's widest
// vectors: the gate passes vectorize over units (float32 sigmoid and tanh from
// vec_math.h). Their loops carry TESSERA_IVDEP: a row's gate blocks are disjoint, and so
// are the tensors, but the compiler cannot prove it and would keep the loops scalar.
template <typename F>
void for_rows(int64_t lo, int64_t hi, F fn) {
  vectorized([&] {
    for (int64_t b = lo; b < hi; ++b) fn(b);
  });
}

// for_rows over all the batch rows, in parallel.
template <typename F>
void for_each_row(const CellShape& s, F fn) {
  parallel_for(0, s.batch, grain_for(4096, s.units), [&](int64_t lo, int64_t hi) { for_rows(lo, hi, fn); });
}

// The gate functors' sigmoid and tanh (contracts/recurrent_gates.h): vec_math.h's.
struct VecMath {
  template <typename T>
  static T sigmoid(T x) {
    return vm::sigmoid(x);
  }
  template <typename T>
  static T tanh(T x) {
    return vm::tanh(x);
  }
};

// gate(b, j, b * units + j) for every unit of the batch rows [lo, hi), on this thread.
template <typename Gate>
void for_each_unit_in(int64_t lo, int64_t hi, int64_t units, const Gate& gate) {
  for_rows(lo, hi, [&](int64_t b) {
    TESSERA_IVDEP
    for (int64_t j = 0; j < units; ++j) gate(b, j, b * units + j);
  });
}

// for_each_unit_in for a gate with two halves (contracts::LstmGate): each row runs the
// first half over all its units, then the second. One loop body held five transcendentals
// in one dependency chain (the cell's tanh waits on the four gates), about 200 vector
// instructions an iteration, too long for the out-of-order window to overlap iterations.
template <typename Gate>
void for_each_unit_in_halves(int64_t lo, int64_t hi, int64_t units, const Gate& gate) {
  for_rows(lo, hi, [&](int64_t b) {
    TESSERA_IVDEP
    for (int64_t j = 0; j < units; ++j) gate.activations(b, j);
    TESSERA_IVDEP
    for (int64_t j = 0; j < units; ++j) gate.state(b, j, b * units + j);
  });
}

// for_each_unit_in for the GRU gates, which take reset_after at run time (one definition
// serves the CUDA kernels too): a branch per unit would keep the loop scalar, so each
// row runs a local copy whose flag is a compile-time constant the compiler folds away.
template <typename Gate>
void for_each_gru_unit_in(int64_t lo, int64_t hi, int64_t units, const Gate& gate) {
  const auto run = [&](auto reset_after) {
    for_rows(lo, hi, [&](int64_t b) {
      Gate fixed = gate;
      fixed.reset_after = reset_after;
      TESSERA_IVDEP
      for (int64_t j = 0; j < units; ++j) fixed(b, j, b * units + j);
    });
  };
  if (gate.reset_after) run(std::true_type{});
  else run(std::false_type{});
}

// The two above over every batch row, in parallel.
template <typename Gate>
void for_each_unit(const CellShape& s, const Gate& gate) {
  parallel_for(0, s.batch, grain_for(4096, s.units),
               [&](int64_t lo, int64_t hi) { for_each_unit_in(lo, hi, s.units, gate); });
}

template <typename Gate>
void for_each_gru_unit(const CellShape& s, const Gate& gate) {
  parallel_for(0, s.batch, grain_for(4096, s.units),
               [&](int64_t lo, int64_t hi) { for_each_gru_unit_in(lo, hi, s.units, gate); });
}

// One batch row of the GRU's (reset_after false) backward through r * h: dh_part holds
// d(r * h) for the row's units; the reset gate's pre-activation gradient goes to d_r and
// dh_part becomes h's share (times r).
template <typename T>
void gru_reset_backward_row(int64_t units, const T* r, const T* h, T* dh_part, T* d_r) {
  TESSERA_IVDEP
  for (int64_t j = 0; j < units; ++j) {
    d_r[j] = dh_part[j] * h[j] * r[j] * (T(1) - r[j]);
    dh_part[j] *= r[j];
  }
}

}  // namespace tessera::cpu::recurrent
