// Binary elementwise kernels with NumPy broadcasting, and `where` (the CUDA half of
// cpu/elementwise_binary.cpp). Arithmetic keeps the input dtype; comparisons and logical
// ops write bool. Each op is one functor with the CPU's expression, so the bits agree:
// +, -, *, / are correctly rounded on both sides; pow goes through powf / pow, which may
// differ from the CPU's libm in the last place.
#include <type_traits>

#include "broadcast.cuh"
#include "contracts/elementwise_binary.h"
#include "kernels.h"
#include "math.cuh"

namespace tessera::cuda {

namespace {

struct AddOp {
  template <typename T>
  __device__ T operator()(T x, T y) const {
    return x + y;
  }
};
struct SubOp {
  template <typename T>
  __device__ T operator()(T x, T y) const {
    return x - y;
  }
};
struct MulOp {
  template <typename T>
  __device__ T operator()(T x, T y) const {
    return x * y;
  }
};

struct DivOp {
  template <typename T>
  __device__ T operator()(T x, T y) const {
    return contracts::divide(x, y);
  }
};

struct PowOp {
  template <typename T>
  __device__ T operator()(T base, T exp) const {
    if constexpr (std::is_integral_v<T>) return contracts::int_pow(base, exp);
    else return math::pow(base, exp);
  }
};

struct Atan2Op {
  template <typename T>
  __device__ T operator()(T y, T x) const {
    return math::atan2(y, x);
  }
};

// NaN propagates, as in TensorFlow.
struct MaximumOp {
  template <typename T>
  __device__ T operator()(T x, T y) const {
    return (x != x || x > y) ? x : y;
  }
};
struct MinimumOp {
  template <typename T>
  __device__ T operator()(T x, T y) const {
    return (x != x || x < y) ? x : y;
  }
};
// relu's gradient: dy where x > 0 (x NaN gives 0).
struct ReluBackwardOp {
  template <typename T>
  __device__ T operator()(T dy, T x) const {
    return x > T(0) ? dy : T(0);
  }
};
// gelu's gradient: dy (Phi(x) + x phi(x)); float types only (dispatched so).
struct GeluBackwardOp {
  template <typename T>
  __device__ T operator()(T dy, T x) const {
    const T cdf = T(0.5) * (T(1) + math::erf(x * static_cast<T>(0.70710678118654752440)));
    const T pdf = math::exp(T(-0.5) * x * x) * static_cast<T>(0.39894228040143267794);
    return dy * (cdf + x * pdf);
  }
};

#define TK_COMPARISON(NAME, EXPR)                   \
  struct NAME {                                     \
    template <typename T>                           \
    __device__ uint8_t operator()(T x, T y) const { \
      return (EXPR) ? 1 : 0;                        \
    }                                               \
  };
TK_COMPARISON(EqualOp, x == y)
TK_COMPARISON(NotEqualOp, x != y)
TK_COMPARISON(LessOp, x < y)
TK_COMPARISON(LessEqualOp, x <= y)
TK_COMPARISON(GreaterOp, x > y)
TK_COMPARISON(GreaterEqualOp, x >= y)
TK_COMPARISON(LogicalAndOp, x&& y)
TK_COMPARISON(LogicalOrOp, x || y)
#undef TK_COMPARISON

template <typename Op>
void arithmetic(const KernelArgs& args, cudaStream_t stream, const char* name, Op op) {
  TK_DISPATCH_NUMERIC(args.in(0).dtype(), name, launch_binary<scalar_t, scalar_t>(args, stream, name, op));
}

template <typename Op>
void comparison(const KernelArgs& args, cudaStream_t stream, const char* name, Op op) {
  TK_DISPATCH_ALL(args.in(0).dtype(), name, launch_binary<scalar_t, uint8_t>(args, stream, name, op));
}

template <typename Op>
void logical(const KernelArgs& args, cudaStream_t stream, const char* name, Op op) {
  const DType dtype = args.in(0).dtype();
  if (dtype != DType::Bool) throw_dtype_error(name, dtype, "bool");
  launch_binary<uint8_t, uint8_t>(args, stream, name, op);
}

}  // namespace

void add(const KernelArgs& args, cudaStream_t stream) { arithmetic(args, stream, "add", AddOp{}); }
void sub(const KernelArgs& args, cudaStream_t stream) { arithmetic(args, stream, "sub", SubOp{}); }
void mul(const KernelArgs& args, cudaStream_t stream) { arithmetic(args, stream, "mul", MulOp{}); }
void div(const KernelArgs& args, cudaStream_t stream) { arithmetic(args, stream, "div", DivOp{}); }
void pow(const KernelArgs& args, cudaStream_t stream) { arithmetic(args, stream, "pow", PowOp{}); }
void atan2(const KernelArgs& args, cudaStream_t stream) {
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "atan2", launch_binary<scalar_t, scalar_t>(args, stream, "atan2", Atan2Op{}));
}
void maximum(const KernelArgs& args, cudaStream_t stream) { arithmetic(args, stream, "maximum", MaximumOp{}); }
void minimum(const KernelArgs& args, cudaStream_t stream) { arithmetic(args, stream, "minimum", MinimumOp{}); }
void relu_backward(const KernelArgs& args, cudaStream_t stream) {
  arithmetic(args, stream, "reluBackward", ReluBackwardOp{});
}
void gelu_backward(const KernelArgs& args, cudaStream_t stream) {
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "geluBackward",
                    launch_binary<scalar_t, scalar_t>(args, stream, "geluBackward", GeluBackwardOp{}));
}

void equal(const KernelArgs& args, cudaStream_t stream) { comparison(args, stream, "equal", EqualOp{}); }
void not_equal(const KernelArgs& args, cudaStream_t stream) { comparison(args, stream, "notEqual", NotEqualOp{}); }
void less(const KernelArgs& args, cudaStream_t stream) { comparison(args, stream, "less", LessOp{}); }
void less_equal(const KernelArgs& args, cudaStream_t stream) { comparison(args, stream, "lessEqual", LessEqualOp{}); }
void greater(const KernelArgs& args, cudaStream_t stream) { comparison(args, stream, "greater", GreaterOp{}); }
void greater_equal(const KernelArgs& args, cudaStream_t stream) {
  comparison(args, stream, "greaterEqual", GreaterEqualOp{});
}
void logical_and(const KernelArgs& args, cudaStream_t stream) { logical(args, stream, "logicalAnd", LogicalAndOp{}); }
void logical_or(const KernelArgs& args, cudaStream_t stream) { logical(args, stream, "logicalOr", LogicalOrOp{}); }

void where(const KernelArgs& args, cudaStream_t stream) {
  TK_DISPATCH_ALL(args.out(0).dtype(), "where", launch_where<scalar_t>(args, stream));
}

}  // namespace tessera::cuda
