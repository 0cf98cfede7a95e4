// Binary elementwise kernels with NumPy broadcasting, and `where`.
// Arithmetic keeps the input dtype; comparisons and logical ops write bool.
#include <cmath>
#include <cstdint>
#include <type_traits>

#include "../contracts/broadcast.h"
#include "../contracts/elementwise_binary.h"
#include "vec_math.h"
#include "vectorize.h"

namespace tessera::cpu {

using contracts::for_each_broadcast_row;
using contracts::make_broadcast_plan;

namespace {

// z[i] = op(x[i * sx], y[i * sy]) for i < len, with the common strides specialized so
// that the compiler vectorizes them. Everything the loops read is a local: a bool output
// may alias anything, so through captured references the compiler would reload the length
// and pointers after every store and never vectorize.
template <typename In, typename Out, typename Op>
inline void binary_row(const In* __restrict x, int64_t sx, const In* __restrict y, int64_t sy, Out* __restrict z,
                       int64_t len, Op op) {
  if (sx == 1 && sy == 1) {
    for (int64_t i = 0; i < len; ++i) z[i] = op(x[i], y[i]);
  } else if (sx == 1 && sy == 0) {
    const In yv = *y;
    for (int64_t i = 0; i < len; ++i) z[i] = op(x[i], yv);
  } else if (sx == 0 && sy == 1) {
    const In xv = *x;
    for (int64_t i = 0; i < len; ++i) z[i] = op(xv, y[i]);
  } else {
    for (int64_t i = 0; i < len; ++i) z[i] = op(x[i * sx], y[i * sy]);
  }
}

template <typename In, typename Out, typename Op>
void binary_loop(const KernelArgs& args, Op op) {
  const View a = args.in(0), b = args.in(1), out = args.out(0);
  const In* pa = a.data<In>();
  const In* pb = b.data<In>();
  Out* po = out.data<Out>();
  if (a.size() == out.size() && b.size() == out.size()) {
    // Same shapes (the output broadcasts both, so equal sizes mean equal shapes): the walk
    // the plan would coalesce into, one long row, without building the plan. Its vectors
    // cost a 1x1 op more than everything else in its kernel.
    parallel_for(0, out.size(), 32768, [&](int64_t lo, int64_t hi) {
      vectorized([&] { binary_row(pa + lo, 1, pb + lo, 1, po + lo, hi - lo, op); });
    });
    return;
  }
  const auto plan = make_broadcast_plan<2>(out, {a, b});
  if (plan.shape.size() == 2) {
    // A matrix and a row or a column (a bias): blocks of rows per vectorized call. Row by
    // row through for_each_broadcast_row, a bias add on 32-wide rows ran at a quarter of
    // a same-shape add's speed.
    const int64_t rows = plan.shape[0], len = plan.shape[1];
    const int64_t ra = plan.strides[0][0], rb = plan.strides[1][0], sx = plan.strides[0][1], sy = plan.strides[1][1];
    parallel_for(0, rows, grain_for(32768, len), [&](int64_t lo, int64_t hi) {
      vectorized([&] {
        for (int64_t r = lo; r < hi; ++r) binary_row(pa + r * ra, sx, pb + r * rb, sy, po + r * len, len, op);
      });
    });
    return;
  }
  for_each_broadcast_row<2>(
      plan, [&](int64_t o, const std::array<int64_t, 2>& off, int64_t n, const std::array<int64_t, 2>& st) {
        vectorized([&] { binary_row(pa + off[0], st[0], pb + off[1], st[1], po + o, n, op); });
      });
}

template <typename Op>
void arithmetic(const KernelArgs& args, const char* name, Op op) {
  TK_DISPATCH_NUMERIC(args.in(0).dtype(), name, binary_loop<scalar_t, scalar_t>(args, op));
}

template <typename Op>
void comparison(const KernelArgs& args, const char* name, Op op) {
  TK_DISPATCH_ALL(
      args.in(0).dtype(), name,
      binary_loop<scalar_t, uint8_t>(args, [op](scalar_t x, scalar_t y) -> uint8_t { return op(x, y) ? 1 : 0; }));
}

}  // namespace

void add(const KernelArgs& args) {
  arithmetic(args, "add", [](auto x, auto y) { return x + y; });
}
void sub(const KernelArgs& args) {
  arithmetic(args, "sub", [](auto x, auto y) { return x - y; });
}
void mul(const KernelArgs& args) {
  arithmetic(args, "mul", [](auto x, auto y) { return x * y; });
}
void div(const KernelArgs& args) {
  arithmetic(args, "div", [](auto x, auto y) { return contracts::divide(x, y); });
}
void pow(const KernelArgs& args) {
  arithmetic(args, "pow", [](auto x, auto y) {
    using T = decltype(x);
    if constexpr (std::is_integral_v<T>) return contracts::int_pow<T>(x, y);
    else return static_cast<T>(std::pow(x, y));
  });
}
void atan2(const KernelArgs& args) {
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "atan2",
                    binary_loop<scalar_t, scalar_t>(args, [](scalar_t y, scalar_t x) { return std::atan2(y, x); }));
}
// NaN propagates through maximum and minimum, as in TensorFlow.
void maximum(const KernelArgs& args) {
  arithmetic(args, "maximum", [](auto x, auto y) { return ((x != x) | (x > y)) ? x : y; });
}
void minimum(const KernelArgs& args) {
  arithmetic(args, "minimum", [](auto x, auto y) { return ((x != x) | (x < y)) ? x : y; });
}
// One pass where a mask (greater) and a masked copy took two; x NaN gives 0.
void relu_backward(const KernelArgs& args) {
  arithmetic(args, "reluBackward", [](auto dy, auto x) { return x > 0 ? dy : decltype(dy)(0); });
}

// One pass where the composite (erf, exp, three muls, two adds) took seven over [N, 1024].
template <typename T>
static T gelu_grad(T dy, T x) {
  const T cdf = T(0.5) * (T(1) + vm::erf(x * static_cast<T>(0.70710678118654752440)));
  const T pdf = vm::exp(T(-0.5) * x * x) * static_cast<T>(0.39894228040143267794);
  return dy * (cdf + x * pdf);
}
void gelu_backward(const KernelArgs& args) {
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "geluBackward",
                    binary_loop<scalar_t, scalar_t>(args, [](scalar_t dy, scalar_t x) { return gelu_grad(dy, x); }));
}

void equal(const KernelArgs& args) {
  comparison(args, "equal", [](auto x, auto y) { return x == y; });
}
void not_equal(const KernelArgs& args) {
  comparison(args, "notEqual", [](auto x, auto y) { return x != y; });
}
void less(const KernelArgs& args) {
  comparison(args, "less", [](auto x, auto y) { return x < y; });
}
void less_equal(const KernelArgs& args) {
  comparison(args, "lessEqual", [](auto x, auto y) { return x <= y; });
}
void greater(const KernelArgs& args) {
  comparison(args, "greater", [](auto x, auto y) { return x > y; });
}
void greater_equal(const KernelArgs& args) {
  comparison(args, "greaterEqual", [](auto x, auto y) { return x >= y; });
}
void logical_and(const KernelArgs& args) {
  binary_loop<uint8_t, uint8_t>(args, [](uint8_t x, uint8_t y) -> uint8_t { return (x != 0) & (y != 0); });
}
void logical_or(const KernelArgs& args) {
  binary_loop<uint8_t, uint8_t>(args, [](uint8_t x, uint8_t y) -> uint8_t { return (x != 0) | (y != 0); });
}

void where(const KernelArgs& args) {
  const View c = args.in(0), a = args.in(1), b = args.in(2), out = args.out(0);
  const auto plan = make_broadcast_plan<3>(out, {c, a, b});
  TK_DISPATCH_ALL(out.dtype(), "where", {
    const uint8_t* pc = c.data<uint8_t>();
    const scalar_t* pa = a.data<scalar_t>();
    const scalar_t* pb = b.data<scalar_t>();
    scalar_t* po = out.data<scalar_t>();
    for_each_broadcast_row<3>(
        plan, [&](int64_t o, const std::array<int64_t, 3>& off, int64_t n, const std::array<int64_t, 3>& st) {
          // Locals and a select the compiler turns into masked blends (a branch on random
          // conditions mispredicts half the time); a scalar branch is the common broadcast.
          vectorized([&] {
            const uint8_t* __restrict cond = pc + off[0];
            const scalar_t* __restrict x = pa + off[1];
            const scalar_t* __restrict y = pb + off[2];
            scalar_t* __restrict z = po + o;
            const int64_t sc = st[0], sx = st[1], sy = st[2], len = n;
            if (sc == 1 && sx == 1 && sy == 1) {
              for (int64_t i = 0; i < len; ++i) z[i] = cond[i] ? x[i] : y[i];
            } else if (sc == 1 && sx == 1 && sy == 0) {
              const scalar_t yv = *y;
              for (int64_t i = 0; i < len; ++i) z[i] = cond[i] ? x[i] : yv;
            } else if (sc == 1 && sx == 0 && sy == 1) {
              const scalar_t xv = *x;
              for (int64_t i = 0; i < len; ++i) z[i] = cond[i] ? xv : y[i];
            } else {
              for (int64_t i = 0; i < len; ++i) z[i] = cond[i * sc] ? x[i * sx] : y[i * sy];
            }
          });
        });
  });
}

}  // namespace tessera::cpu
