// Unary elementwise kernels and activations (the CUDA half of cpu/elementwise_unary.cpp):
// one functor per op with the CPU's expression, applied by the vectorized map of
// elementwise.cuh. Exact ops (neg, abs, square, sign, floor, ceil, round, relu, relu6,
// leaky_relu, hard_sigmoid, softsign, predicates) give the CPU's bits, NaN included;
// transcendental ones are within a few ulp of the CPU's libm.
#include <cstdint>

#include "contracts/elementwise_unary.h"
#include "elementwise.cuh"
#include "kernels.h"
#include "math.cuh"

namespace tessera::cuda {

namespace {

template <typename In, typename Out, typename Op>
void unary(const KernelArgs& args, cudaStream_t stream, const char* name, Op op) {
  const View x = args.in(0), y = args.out(0);
  contracts::check_unary_output(name, x, y, DTypeOf<Out>::value);
  launch_map1(x.data<In>(), y.data<Out>(), x.size(), stream, name, op);
}

// Real-valued math: float32 and float64.
template <typename Op>
void float_unary(const KernelArgs& args, cudaStream_t stream, const char* name, Op op) {
  TK_DISPATCH_FLOAT(args.in(0).dtype(), name, unary<scalar_t, scalar_t>(args, stream, name, op));
}

// Math that is exact on integers too.
template <typename Op>
void numeric_unary(const KernelArgs& args, cudaStream_t stream, const char* name, Op op) {
  TK_DISPATCH_NUMERIC(args.in(0).dtype(), name, unary<scalar_t, scalar_t>(args, stream, name, op));
}

template <typename Op>
void float_predicate(const KernelArgs& args, cudaStream_t stream, const char* name, Op op) {
  TK_DISPATCH_FLOAT(args.in(0).dtype(), name, unary<scalar_t, uint8_t>(args, stream, name, op));
}

template <typename T>
__device__ T stable_sigmoid(T v) {
  // Two branches so exp never overflows.
  if (v >= 0) return T(1) / (T(1) + math::exp(-v));
  const T e = math::exp(v);
  return e / (T(1) + e);
}

template <typename T>
__device__ T stable_softplus(T v) {
  // log(1 + e^v) = max(v, 0) + log1p(e^-|v|); std::max(v, 0) returns v unless v < 0.
  return (v < T(0) ? T(0) : v) + math::log1p(math::exp(-math::fabs(v)));
}

template <typename T>
__device__ T clamp01(T y) {
  return y < T(0) ? T(0) : (y > T(1) ? T(1) : y);
}

// A functor struct NAME whose call operator on `v` (of type T) returns EXPR.
#define TK_UNARY_OP(NAME, EXPR)          \
  struct NAME {                          \
    template <typename T>                \
    __device__ T operator()(T v) const { \
      return EXPR;                       \
    }                                    \
  };

TK_UNARY_OP(NegOp, -v)
TK_UNARY_OP(AbsOp, v < T(0) ? -v : v)
TK_UNARY_OP(ExpOp, math::exp(v))
TK_UNARY_OP(LogOp, math::log(v))
TK_UNARY_OP(SqrtOp, math::sqrt(v))
TK_UNARY_OP(RsqrtOp, T(1) / math::sqrt(v))
TK_UNARY_OP(SquareOp, v* v)
TK_UNARY_OP(ReciprocalOp, T(1) / v)
// NaN stays NaN in sign and relu (v != v is false for integers), as in TensorFlow.
TK_UNARY_OP(SignOp, v != v ? v : T((v > T(0)) - (v < T(0))))
TK_UNARY_OP(FloorOp, math::floor(v))
TK_UNARY_OP(CeilOp, math::ceil(v))
// Half to even, as the CPU's nearbyint in the default rounding mode.
TK_UNARY_OP(RoundOp, math::rint(v))
TK_UNARY_OP(ReluOp, v > T(0) || v != v ? v : T(0))
TK_UNARY_OP(SigmoidOp, stable_sigmoid(v))
TK_UNARY_OP(TanhOp, math::tanh(v))
TK_UNARY_OP(Log1pOp, math::log1p(v))
TK_UNARY_OP(Expm1Op, math::expm1(v))
TK_UNARY_OP(SinOp, math::sin(v))
TK_UNARY_OP(CosOp, math::cos(v))
TK_UNARY_OP(TanOp, math::tan(v))
TK_UNARY_OP(AsinOp, math::asin(v))
TK_UNARY_OP(AcosOp, math::acos(v))
TK_UNARY_OP(AtanOp, math::atan(v))
TK_UNARY_OP(SinhOp, math::sinh(v))
TK_UNARY_OP(CoshOp, math::cosh(v))
TK_UNARY_OP(AsinhOp, math::asinh(v))
TK_UNARY_OP(AcoshOp, math::acosh(v))
TK_UNARY_OP(AtanhOp, math::atanh(v))
TK_UNARY_OP(ErfOp, math::erf(v))
TK_UNARY_OP(SoftplusOp, stable_softplus(v))
// Keras's constants (SELU from Klambauer et al.; hard_sigmoid is Keras 3's relu6(x + 3) / 6).
TK_UNARY_OP(SeluOp, static_cast<T>(1.0507009873554804934193349852946) *
                        (v > T(0) ? v : static_cast<T>(1.6732632423543772848170429916717) * math::expm1(v)))
TK_UNARY_OP(Relu6Op, v < T(0) ? T(0) : (v > T(6) ? T(6) : v))
TK_UNARY_OP(GeluOp, math::gelu(v))
TK_UNARY_OP(GeluTanhOp,
            T(0.5) * v * (T(1) + math::tanh(static_cast<T>(0.79788456080286535588) * (v + T(0.044715) * v * v * v))))
TK_UNARY_OP(SiluOp, v* stable_sigmoid(v))
TK_UNARY_OP(MishOp, v* math::tanh(stable_softplus(v)))
TK_UNARY_OP(HardSigmoidOp, clamp01((v + T(3)) / T(6)))
TK_UNARY_OP(SoftsignOp, v / (T(1) + math::fabs(v)))
#undef TK_UNARY_OP

// elu and leaky_relu carry alpha, converted to T on the host as the CPU converts it.
template <typename T>
struct EluOp {
  T alpha;
  __device__ T operator()(T v) const { return v > T(0) ? v : alpha * math::expm1(v); }
};
template <typename T>
struct LeakyReluOp {
  T alpha;
  __device__ T operator()(T v) const { return v > T(0) ? v : alpha * v; }
};

struct LogicalNotOp {
  __device__ uint8_t operator()(uint8_t v) const { return v ? 0 : 1; }
};
struct IsNanOp {
  template <typename T>
  __device__ uint8_t operator()(T v) const {
    return isnan(v) ? 1 : 0;
  }
};
struct IsFiniteOp {
  template <typename T>
  __device__ uint8_t operator()(T v) const {
    return isfinite(v) ? 1 : 0;
  }
};

}  // namespace

#define TK_FLOAT_UNARY(NAME, OPNAME, OP) \
  void NAME(const KernelArgs& a, cudaStream_t s) { float_unary(a, s, OPNAME, OP{}); }
#define TK_NUMERIC_UNARY(NAME, OPNAME, OP) \
  void NAME(const KernelArgs& a, cudaStream_t s) { numeric_unary(a, s, OPNAME, OP{}); }

TK_NUMERIC_UNARY(neg, "neg", NegOp)
TK_NUMERIC_UNARY(abs, "abs", AbsOp)
TK_FLOAT_UNARY(exp, "exp", ExpOp)
TK_FLOAT_UNARY(log, "log", LogOp)
TK_FLOAT_UNARY(sqrt, "sqrt", SqrtOp)
TK_FLOAT_UNARY(rsqrt, "rsqrt", RsqrtOp)
TK_NUMERIC_UNARY(square, "square", SquareOp)
TK_FLOAT_UNARY(reciprocal, "reciprocal", ReciprocalOp)
TK_NUMERIC_UNARY(sign, "sign", SignOp)
TK_FLOAT_UNARY(floor, "floor", FloorOp)
TK_FLOAT_UNARY(ceil, "ceil", CeilOp)
TK_FLOAT_UNARY(round, "round", RoundOp)
TK_NUMERIC_UNARY(relu, "relu", ReluOp)
TK_FLOAT_UNARY(sigmoid, "sigmoid", SigmoidOp)
TK_FLOAT_UNARY(tanh, "tanh", TanhOp)
TK_FLOAT_UNARY(log1p, "log1p", Log1pOp)
TK_FLOAT_UNARY(expm1, "expm1", Expm1Op)
TK_FLOAT_UNARY(sin, "sin", SinOp)
TK_FLOAT_UNARY(cos, "cos", CosOp)
TK_FLOAT_UNARY(tan, "tan", TanOp)
TK_FLOAT_UNARY(asin, "asin", AsinOp)
TK_FLOAT_UNARY(acos, "acos", AcosOp)
TK_FLOAT_UNARY(atan, "atan", AtanOp)
TK_FLOAT_UNARY(sinh, "sinh", SinhOp)
TK_FLOAT_UNARY(cosh, "cosh", CoshOp)
TK_FLOAT_UNARY(asinh, "asinh", AsinhOp)
TK_FLOAT_UNARY(acosh, "acosh", AcoshOp)
TK_FLOAT_UNARY(atanh, "atanh", AtanhOp)
TK_FLOAT_UNARY(erf, "erf", ErfOp)
TK_FLOAT_UNARY(softplus, "softplus", SoftplusOp)
TK_FLOAT_UNARY(selu, "selu", SeluOp)
TK_NUMERIC_UNARY(relu6, "relu6", Relu6Op)
TK_FLOAT_UNARY(gelu, "gelu", GeluOp)
TK_FLOAT_UNARY(gelu_tanh, "geluTanh", GeluTanhOp)
TK_FLOAT_UNARY(silu, "silu", SiluOp)
TK_FLOAT_UNARY(mish, "mish", MishOp)
TK_FLOAT_UNARY(hard_sigmoid, "hardSigmoid", HardSigmoidOp)
TK_FLOAT_UNARY(softsign, "softsign", SoftsignOp)
#undef TK_FLOAT_UNARY
#undef TK_NUMERIC_UNARY

void elu(const KernelArgs& a, cudaStream_t s) {
  const double alpha = attrs::EluAttrs::read(a).alpha;
  TK_DISPATCH_FLOAT(a.in(0).dtype(), "elu",
                    unary<scalar_t, scalar_t>(a, s, "elu", EluOp<scalar_t>{static_cast<scalar_t>(alpha)}));
}

void leaky_relu(const KernelArgs& a, cudaStream_t s) {
  const double alpha = attrs::LeakyReluAttrs::read(a).alpha;
  TK_DISPATCH_FLOAT(a.in(0).dtype(), "leakyRelu",
                    unary<scalar_t, scalar_t>(a, s, "leakyRelu", LeakyReluOp<scalar_t>{static_cast<scalar_t>(alpha)}));
}

void logical_not(const KernelArgs& a, cudaStream_t s) {
  const DType dtype = a.in(0).dtype();
  if (dtype != DType::Bool) throw_dtype_error("logicalNot", dtype, "bool");
  unary<uint8_t, uint8_t>(a, s, "logicalNot", LogicalNotOp{});
}

void is_nan(const KernelArgs& a, cudaStream_t s) { float_predicate(a, s, "isNaN", IsNanOp{}); }
void is_finite(const KernelArgs& a, cudaStream_t s) { float_predicate(a, s, "isFinite", IsFiniteOp{}); }

}  // namespace tessera::cuda
