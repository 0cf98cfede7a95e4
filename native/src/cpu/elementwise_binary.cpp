// Binary elementwise kernels with NumPy broadcasting, and `where`.
// Arithmetic keeps the input dtype; comparisons and logical ops write bool.
#include <cmath>
#include <cstdint>
#include <type_traits>

#include "broadcast.h"
#include "vectorize.h"

namespace tessera::cpu {

namespace {

template <typename In, typename Out, typename Op>
void binary_loop(const KernelArgs& args, Op op) {
  const View a = args.in(0), b = args.in(1), out = args.out(0);
  const In* pa = a.data<In>();
  const In* pb = b.data<In>();
  Out* po = out.data<Out>();
  const auto plan = make_broadcast_plan<2>(out, {a, b});
  for_each_broadcast_row<2>(plan, [&](int64_t o, const std::array<int64_t, 2>& off, int64_t n,
                                      const std::array<int64_t, 2>& st) {
    const In* x = pa + off[0];
    const In* y = pb + off[1];
    Out* z = po + o;
    // Specialized strides let the compiler vectorize the common cases, for the CPU's
    // widest vectors (vectorize.h).
    vectorized([&] {
      if (st[0] == 1 && st[1] == 1) {
        for (int64_t i = 0; i < n; ++i) z[i] = op(x[i], y[i]);
      } else if (st[0] == 1 && st[1] == 0) {
        const In yv = *y;
        for (int64_t i = 0; i < n; ++i) z[i] = op(x[i], yv);
      } else if (st[0] == 0 && st[1] == 1) {
        const In xv = *x;
        for (int64_t i = 0; i < n; ++i) z[i] = op(xv, y[i]);
      } else {
        for (int64_t i = 0; i < n; ++i) z[i] = op(x[i * st[0]], y[i * st[1]]);
      }
    });
  });
}

template <typename Op>
void arithmetic(const KernelArgs& args, const char* name, Op op) {
  TK_DISPATCH_NUMERIC(args.in(0).dtype(), name, binary_loop<scalar_t, scalar_t>(args, op));
}

template <typename Op>
void comparison(const KernelArgs& args, const char* name, Op op) {
  TK_DISPATCH_ALL(args.in(0).dtype(), name,
                  binary_loop<scalar_t, uint8_t>(args, [op](scalar_t x, scalar_t y) -> uint8_t { return op(x, y) ? 1 : 0; }));
}

template <typename T>
T int_pow(T base, T exp) {
  if (exp < 0) return base == 1 ? 1 : (base == -1 ? ((exp & 1) ? -1 : 1) : 0);
  // Unsigned, so that overflow wraps instead of being undefined behaviour.
  using U = std::make_unsigned_t<T>;
  U result = 1, b = static_cast<U>(base);
  for (U e = static_cast<U>(exp); e; e >>= 1) {
    if (e & 1) result *= b;
    b *= b;
  }
  return static_cast<T>(result);
}

// Integer division and modulo floor like Python and TensorFlow's floorDiv; x/0 gives 0
// and INT_MIN/-1 wraps to INT_MIN rather than a crash (both raise SIGFPE on x86, which
// would kill the process).
template <typename T>
T divide(T x, T y) {
  if constexpr (std::is_integral_v<T>) {
    if (y == 0) return 0;
    if (y == -1) return static_cast<T>(0u - static_cast<std::make_unsigned_t<T>>(x));
    T q = x / y;
    if ((x % y != 0) && ((x < 0) != (y < 0))) --q;
    return q;
  } else {
    return x / y;
  }
}

}  // namespace

void add(const KernelArgs& args) { arithmetic(args, "add", [](auto x, auto y) { return x + y; }); }
void sub(const KernelArgs& args) { arithmetic(args, "sub", [](auto x, auto y) { return x - y; }); }
void mul(const KernelArgs& args) { arithmetic(args, "mul", [](auto x, auto y) { return x * y; }); }
void div(const KernelArgs& args) { arithmetic(args, "div", [](auto x, auto y) { return divide(x, y); }); }
void pow(const KernelArgs& args) {
  arithmetic(args, "pow", [](auto x, auto y) {
    using T = decltype(x);
    if constexpr (std::is_integral_v<T>) return int_pow<T>(x, y);
    else return static_cast<T>(std::pow(x, y));
  });
}
// NaN propagates through maximum and minimum, as in TensorFlow.
void maximum(const KernelArgs& args) {
  arithmetic(args, "maximum", [](auto x, auto y) { return ((x != x) | (x > y)) ? x : y; });
}
void minimum(const KernelArgs& args) {
  arithmetic(args, "minimum", [](auto x, auto y) { return ((x != x) | (x < y)) ? x : y; });
}

void equal(const KernelArgs& args) { comparison(args, "equal", [](auto x, auto y) { return x == y; }); }
void not_equal(const KernelArgs& args) { comparison(args, "notEqual", [](auto x, auto y) { return x != y; }); }
void less(const KernelArgs& args) { comparison(args, "less", [](auto x, auto y) { return x < y; }); }
void less_equal(const KernelArgs& args) { comparison(args, "lessEqual", [](auto x, auto y) { return x <= y; }); }
void greater(const KernelArgs& args) { comparison(args, "greater", [](auto x, auto y) { return x > y; }); }
void greater_equal(const KernelArgs& args) { comparison(args, "greaterEqual", [](auto x, auto y) { return x >= y; }); }
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
    for_each_broadcast_row<3>(plan, [&](int64_t o, const std::array<int64_t, 3>& off, int64_t n,
                                        const std::array<int64_t, 3>& st) {
      const uint8_t* c_row = pc + off[0];
      const scalar_t *a_row = pa + off[1], *b_row = pb + off[2];
      scalar_t* out = po + o;
      vectorized([&] {
        if (st[0] == 1 && st[1] == 1 && st[2] == 1) {
          for (int64_t i = 0; i < n; ++i) out[i] = c_row[i] ? a_row[i] : b_row[i];
        } else {
          for (int64_t i = 0; i < n; ++i) out[i] = c_row[i * st[0]] ? a_row[i * st[1]] : b_row[i * st[2]];
        }
      });
    });
  });
}

}  // namespace tessera::cpu
