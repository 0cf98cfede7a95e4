// The C math library on the device, one name per function for float and double. Within
// tessera::cuda the bare names (exp, log, pow...) are kernels of ops.def, so kernels call
// these instead. float calls the f-suffixed function (no silent promotion to double);
// none is a fast-math intrinsic, so results are within CUDA's documented ulp bounds of
// the CPU's libm, and exact where IEEE requires it (sqrt, floor, ceil, rint, fabs).
#pragma once

namespace tessera::cuda::math {

#define TK_MATH_UNARY(NAME, FLOAT_FN, DOUBLE_FN)                           \
  __device__ __forceinline__ float NAME(float x) { return ::FLOAT_FN(x); } \
  __device__ __forceinline__ double NAME(double x) { return ::DOUBLE_FN(x); }
TK_MATH_UNARY(exp, expf, exp)
TK_MATH_UNARY(log, logf, log)
TK_MATH_UNARY(sqrt, sqrtf, sqrt)
TK_MATH_UNARY(log1p, log1pf, log1p)
TK_MATH_UNARY(expm1, expm1f, expm1)
TK_MATH_UNARY(sin, sinf, sin)
TK_MATH_UNARY(cos, cosf, cos)
TK_MATH_UNARY(tan, tanf, tan)
TK_MATH_UNARY(asin, asinf, asin)
TK_MATH_UNARY(acos, acosf, acos)
TK_MATH_UNARY(atan, atanf, atan)
TK_MATH_UNARY(sinh, sinhf, sinh)
TK_MATH_UNARY(cosh, coshf, cosh)
TK_MATH_UNARY(asinh, asinhf, asinh)
TK_MATH_UNARY(acosh, acoshf, acosh)
TK_MATH_UNARY(atanh, atanhf, atanh)
TK_MATH_UNARY(tanh, tanhf, tanh)
TK_MATH_UNARY(erf, erff, erf)
TK_MATH_UNARY(floor, floorf, floor)
TK_MATH_UNARY(ceil, ceilf, ceil)
TK_MATH_UNARY(rint, rintf, rint)
TK_MATH_UNARY(fabs, fabsf, fabs)
#undef TK_MATH_UNARY

__device__ __forceinline__ float pow(float x, float y) { return ::powf(x, y); }
__device__ __forceinline__ double pow(double x, double y) { return ::pow(x, y); }
__device__ __forceinline__ float atan2(float y, float x) { return ::atan2f(y, x); }
__device__ __forceinline__ double atan2(double y, double x) { return ::atan2(y, x); }
__device__ __forceinline__ float nextafter(float x, float y) { return ::nextafterf(x, y); }
__device__ __forceinline__ double nextafter(double x, double y) { return ::nextafter(x, y); }

// x Phi(x), Keras's exact gelu: the `gelu` kernel and matmul_bias's gelu epilogue.
template <typename T>
__device__ __forceinline__ T gelu(T x) {
  return T(0.5) * x * (T(1) + erf(x * static_cast<T>(0.70710678118654752440)));
}

}  // namespace tessera::cuda::math
