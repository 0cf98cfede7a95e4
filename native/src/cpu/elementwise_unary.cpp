// Unary elementwise kernels. Each is one line: a functor over one value, applied by a
// shared, threaded loop compiled for the CPU's widest vectors (vectorize.h); integer
// inputs are accepted where the math is exact for them. float32 transcendentals come
// from vec_math.h (within 1-3 ulps of the exact value, see there; sqrt correctly rounded);
// float64 ones are libm's.
#include <cmath>
#include <cstdint>

#include "../contracts/elementwise_unary.h"
#include "tessera/kernel.h"
#include "tessera/op_attrs.h"
#include "tessera/thread_pool.h"
#include "vec_math.h"
#include "vectorize.h"

namespace tessera::cpu {

namespace {

template <typename In, typename Out, typename Op>
void unary_loop(const KernelArgs& args, const char* name, Op op) {
  contracts::check_unary_output(name, args.in(0), args.out(0), DTypeOf<Out>::value);
  const In* x = args.in(0).data<In>();
  Out* y = args.out(0).data<Out>();
  parallel_for(0, args.in(0).size(), 16384, [&](int64_t lo, int64_t hi) {
    vectorized([&] {
      for (int64_t i = lo; i < hi; ++i) y[i] = op(x[i]);
    });
  });
}

// Real-valued math: float32 and float64.
template <typename Op>
void float_unary(const KernelArgs& args, const char* name, Op op) {
  TK_DISPATCH_FLOAT(args.in(0).dtype(), name, unary_loop<scalar_t, scalar_t>(args, name, op));
}

// Math that is exact on integers too.
template <typename Op>
void numeric_unary(const KernelArgs& args, const char* name, Op op) {
  TK_DISPATCH_NUMERIC(args.in(0).dtype(), name, unary_loop<scalar_t, scalar_t>(args, name, op));
}

template <typename Op>
void float_predicate(const KernelArgs& args, const char* name, Op op) {
  TK_DISPATCH_FLOAT(args.in(0).dtype(), name,
                    unary_loop<scalar_t, uint8_t>(args, name, [op](scalar_t v) -> uint8_t { return op(v) ? 1 : 0; }));
}

template <typename T>
T stable_softplus(T v) {
  // log(1 + e^v) = max(v, 0) + log1p(e^-|v|); v != v keeps NaN.
  return vm::select((v > T(0)) | (v != v), v, T(0)) + vm::log1p(vm::exp(-std::abs(v)));
}

}  // namespace

void neg(const KernelArgs& a) {
  numeric_unary(a, "neg", [](auto v) { return -v; });
}
void abs(const KernelArgs& a) {
  numeric_unary(a, "abs", [](auto v) { return v < 0 ? -v : v; });
}
void exp(const KernelArgs& a) {
  float_unary(a, "exp", [](auto v) { return vm::exp(v); });
}
void log(const KernelArgs& a) {
  float_unary(a, "log", [](auto v) { return vm::log(v); });
}
void sqrt(const KernelArgs& a) {
  float_unary(a, "sqrt", [](auto v) { return vm::sqrt(v); });
}
void rsqrt(const KernelArgs& a) {
  float_unary(a, "rsqrt", [](auto v) { return decltype(v)(1) / vm::sqrt(v); });
}
void square(const KernelArgs& a) {
  numeric_unary(a, "square", [](auto v) { return v * v; });
}
void reciprocal(const KernelArgs& a) {
  float_unary(a, "reciprocal", [](auto v) { return decltype(v)(1) / v; });
}
// NaN stays NaN in sign and relu (v != v is false for integers), as in TensorFlow.
// Conditions in these loops combine with | and &, not || and &&: a short circuit is a
// branch, and a branch keeps the loop from vectorizing.
void sign(const KernelArgs& a) {
  numeric_unary(a, "sign", [](auto v) { return v != v ? v : decltype(v)((v > 0) - (v < 0)); });
}
void floor(const KernelArgs& a) {
  float_unary(a, "floor", [](auto v) { return std::floor(v); });
}
void ceil(const KernelArgs& a) {
  float_unary(a, "ceil", [](auto v) { return std::ceil(v); });
}
// Half to even, as TensorFlow's round and NumPy's rint.
void round(const KernelArgs& a) {
  float_unary(a, "round", [](auto v) { return std::nearbyint(v); });
}
void relu(const KernelArgs& a) {
  numeric_unary(a, "relu", [](auto v) { return (v > 0) | (v != v) ? v : decltype(v)(0); });
}
void sigmoid(const KernelArgs& a) {
  float_unary(a, "sigmoid", [](auto v) { return vm::sigmoid(v); });
}
void tanh(const KernelArgs& a) {
  float_unary(a, "tanh", [](auto v) { return vm::tanh(v); });
}
void log1p(const KernelArgs& a) {
  float_unary(a, "log1p", [](auto v) { return vm::log1p(v); });
}
void expm1(const KernelArgs& a) {
  float_unary(a, "expm1", [](auto v) { return vm::expm1(v); });
}
void sin(const KernelArgs& a) {
  float_unary(a, "sin", [](auto v) { return std::sin(v); });
}
void cos(const KernelArgs& a) {
  float_unary(a, "cos", [](auto v) { return std::cos(v); });
}
// The rest of TensorFlow.js's trigonometry, through libm (NaN outside each domain, as there).
void tan(const KernelArgs& a) {
  float_unary(a, "tan", [](auto v) { return std::tan(v); });
}
void asin(const KernelArgs& a) {
  float_unary(a, "asin", [](auto v) { return std::asin(v); });
}
void acos(const KernelArgs& a) {
  float_unary(a, "acos", [](auto v) { return std::acos(v); });
}
void atan(const KernelArgs& a) {
  float_unary(a, "atan", [](auto v) { return std::atan(v); });
}
void sinh(const KernelArgs& a) {
  float_unary(a, "sinh", [](auto v) { return std::sinh(v); });
}
void cosh(const KernelArgs& a) {
  float_unary(a, "cosh", [](auto v) { return std::cosh(v); });
}
void asinh(const KernelArgs& a) {
  float_unary(a, "asinh", [](auto v) { return std::asinh(v); });
}
void acosh(const KernelArgs& a) {
  float_unary(a, "acosh", [](auto v) { return std::acosh(v); });
}
void atanh(const KernelArgs& a) {
  float_unary(a, "atanh", [](auto v) { return std::atanh(v); });
}
void erf(const KernelArgs& a) {
  float_unary(a, "erf", [](auto v) { return vm::erf(v); });
}
void softplus(const KernelArgs& a) {
  float_unary(a, "softplus", [](auto v) { return stable_softplus(v); });
}
void logical_not(const KernelArgs& a) {
  const DType dtype = a.in(0).dtype();
  if (dtype != DType::Bool) throw_dtype_error("logicalNot", dtype, "bool");
  unary_loop<uint8_t, uint8_t>(a, "logicalNot", [](uint8_t v) -> uint8_t { return v ? 0 : 1; });
}
void is_nan(const KernelArgs& a) {
  float_predicate(a, "isNaN", [](auto v) { return std::isnan(v); });
}
void is_finite(const KernelArgs& a) {
  float_predicate(a, "isFinite", [](auto v) { return std::isfinite(v); });
}

// ---- activations ----------------------------------------------------------------------
// Constants as Keras defines them (SELU from Klambauer et al.; hard_sigmoid is Keras 3's
// relu6(x + 3) / 6).
constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluScale = 1.0507009873554804934193349852946;

void elu(const KernelArgs& a) {
  const double alpha = attrs::EluAttrs::read(a).alpha;
  float_unary(a, "elu", [alpha](auto v) {
    using T = decltype(v);
    return vm::select(v > 0, v, static_cast<T>(alpha) * vm::expm1(v));
  });
}
void selu(const KernelArgs& a) {
  float_unary(a, "selu", [](auto v) {
    using T = decltype(v);
    return static_cast<T>(kSeluScale) * vm::select(v > 0, v, static_cast<T>(kSeluAlpha) * vm::expm1(v));
  });
}
void leaky_relu(const KernelArgs& a) {
  const double alpha = attrs::LeakyReluAttrs::read(a).alpha;
  float_unary(a, "leakyRelu", [alpha](auto v) {
    using T = decltype(v);
    return vm::select(v > 0, v, static_cast<T>(alpha) * v);
  });
}
void relu6(const KernelArgs& a) {
  numeric_unary(a, "relu6", [](auto v) {
    using T = decltype(v);
    return v < T(0) ? T(0) : (v > T(6) ? T(6) : v);
  });
}
void gelu(const KernelArgs& a) {
  float_unary(a, "gelu", [](auto v) { return vm::gelu(v); });
}
void gelu_tanh(const KernelArgs& a) {
  float_unary(a, "geluTanh", [](auto v) {
    using T = decltype(v);
    const T inner = static_cast<T>(0.79788456080286535588) * (v + T(0.044715) * v * v * v);
    return T(0.5) * v * (T(1) + vm::tanh(inner));
  });
}
void silu(const KernelArgs& a) {
  float_unary(a, "silu", [](auto v) { return v * vm::sigmoid(v); });
}
void mish(const KernelArgs& a) {
  float_unary(a, "mish", [](auto v) { return v * vm::tanh(stable_softplus(v)); });
}
void hard_sigmoid(const KernelArgs& a) {
  float_unary(a, "hardSigmoid", [](auto v) {
    using T = decltype(v);
    const T y = (v + T(3)) / T(6);
    return y < T(0) ? T(0) : (y > T(1) ? T(1) : y);
  });
}
void softsign(const KernelArgs& a) {
  float_unary(a, "softsign", [](auto v) { return v / (decltype(v)(1) + std::abs(v)); });
}

}  // namespace tessera::cpu
