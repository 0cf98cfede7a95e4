// The gate passes of the recurrent cells, one definition for the CPU loops and the CUDA
// kernels alike (cpu/recurrent.cpp's header gives the formulas and Keras's gate orders).
// Each is a functor called for unit j of batch row b, k = b * n + j, with n the units;
// `Math` supplies the device's sigmoid and tanh as static functions of T.
#pragma once
#include <cstdint>

#include "tessera/host_device.h"

namespace tessera::contracts {

// LSTM forward: gates holds h @ U ([B, 4n]) and receives [i, f, g, o]. kInputAdded:
// gates already holds x W + b + h @ U (the CPU's sequence kernel adds each step's product
// onto its projection, one rounding as z + x here) and xw is not read.
template <class Math, typename T, bool kInputAdded = false>
struct LstmGate {
  const T *xw, *c;
  T *gates, *c_new, *h_new;
  int64_t n;
  TK_HOST_DEVICE static T pre(const T* z, const T* x, int64_t col) { return kInputAdded ? z[col] : z[col] + x[col]; }
  TK_HOST_DEVICE void operator()(int64_t b, int64_t j, int64_t k) const {
    activations(b, j);
    state(b, j, k);
  }
  // The two halves, which a CPU loop runs as two passes over a row (cpu/recurrent_loops.h,
  // for_each_unit_in_halves): the same values, stored and read back.
  TK_HOST_DEVICE void activations(int64_t b, int64_t j) const {
    T* z = gates + b * 4 * n;
    const T* x = kInputAdded ? z : xw + b * 4 * n;
    const T i = Math::sigmoid(pre(z, x, j)), f = Math::sigmoid(pre(z, x, n + j));
    const T g = Math::tanh(pre(z, x, 2 * n + j)), o = Math::sigmoid(pre(z, x, 3 * n + j));
    z[j] = i;
    z[n + j] = f;
    z[2 * n + j] = g;
    z[3 * n + j] = o;
  }
  TK_HOST_DEVICE void state(int64_t b, int64_t j, int64_t k) const {
    const T* z = gates + b * 4 * n;
    const T cell = z[n + j] * c[k] + z[j] * z[2 * n + j];
    c_new[k] = cell;
    h_new[k] = z[3 * n + j] * Math::tanh(cell);
  }
};

template <class Math, typename T>
struct LstmBackwardGate {
  const T *c, *gates, *c_new, *dh_new, *dc_new;
  T *dxw, *dc;
  int64_t n;
  TK_HOST_DEVICE void operator()(int64_t b, int64_t j, int64_t k) const {
    const T* a = gates + b * 4 * n;
    T* d = dxw + b * 4 * n;
    const T i = a[j], f = a[n + j], g = a[2 * n + j], o = a[3 * n + j];
    const T tc = Math::tanh(c_new[k]);
    const T dcell = dc_new[k] + dh_new[k] * o * (T(1) - tc * tc);
    d[j] = dcell * g * i * (T(1) - i);
    d[n + j] = dcell * c[k] * f * (T(1) - f);
    d[2 * n + j] = dcell * i * (T(1) - g * g);
    d[3 * n + j] = dh_new[k] * tc * o * (T(1) - o);
    dc[k] = dcell * f;
  }
};

// GRU forward, first pass: the z and r gates; m_h (reset_after) or r * h (into reset_h).
template <class Math, typename T>
struct GruGateZR {
  const T *xw, *h, *rb;
  T *gates, *reset_h;
  int64_t n;
  bool reset_after;
  TK_HOST_DEVICE void operator()(int64_t b, int64_t j, int64_t k) const {
    T* g = gates + b * 4 * n;
    const T* x = xw + b * 3 * n;
    g[j] = Math::sigmoid(x[j] + g[j] + rb[j]);
    g[n + j] = Math::sigmoid(x[n + j] + g[n + j] + rb[n + j]);
    if (reset_after) g[3 * n + j] = g[2 * n + j] + rb[2 * n + j];
    else reset_h[k] = g[n + j] * h[k];
  }
};

// GRU forward, second pass: the candidate and the new state.
template <class Math, typename T>
struct GruGateH {
  const T *xw, *h, *rb;
  T *gates, *h_new;
  int64_t n;
  bool reset_after;
  TK_HOST_DEVICE void operator()(int64_t b, int64_t j, int64_t k) const {
    T* g = gates + b * 4 * n;
    const T* x = xw + b * 3 * n;
    if (!reset_after) g[3 * n + j] += rb[2 * n + j];
    const T z = g[j], r = g[n + j];
    const T hh = Math::tanh(x[2 * n + j] + (reset_after ? r * g[3 * n + j] : g[3 * n + j]));
    g[2 * n + j] = hh;
    h_new[k] = z * h[k] + (T(1) - z) * hh;
  }
};

// GRU backward: dxw's z and h blocks (and r's when reset_after), with dm_h (reset_after) or
// r * h (into reset_h) for the recurrent GEMMs.
template <typename T>
struct GruBackwardGate {
  const T *h, *gates, *dh_new;
  T *dxw, *dm_h, *reset_h;
  int64_t n;
  bool reset_after;
  TK_HOST_DEVICE void operator()(int64_t b, int64_t j, int64_t k) const {
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

}  // namespace tessera::contracts
