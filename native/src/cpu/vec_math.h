// Elementwise float32 math that compilers vectorize: exp, expm1, log, log1p, sqrt,
// tanh, sigmoid, erf, written branch-free (selects, bit manipulation, no calls, no tables) so
// a loop over them becomes SIMD code; run the loop under vectorized() (vectorize.h) to
// get AVX-512 or AVX2 on CPUs that have them. libm's expf and friends are scalar calls,
// which keep a loop from vectorizing at all.
//
// Accuracy (float32; worst error found in units of the result's last place, against
// double libm over every 31st float in the domain, with and without FMA contraction;
// native/tests/vec_math_test.cpp checks the bounds in brackets on a sparser sweep):
//   exp 1.01 [2], expm1 1.55 [2], log 0.75 [1], log1p 2.35 [3], tanh 1.29 [2],
//   sigmoid 2.31 [3], erf 2.02 [3]; sqrt is correctly rounded (checked bitwise).
// Infinities, NaN, signed zeros and subnormal results follow libm: exp(-inf) = 0,
// exp(x > 88.72) = inf, log(0) = -inf, log(x < 0) = NaN, tanh(+-inf) = +-1, and sigmoid
// never overflows. The range reductions are Cephes's (Cody-Waite
// with ln 2 split in two); the polynomials are Cephes's where noted.
// The double overloads call std:: (double math is rare in the hot paths: gradcheck).
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>

#if defined(__GNUC__) || defined(__clang__)
#define TESSERA_VM_INLINE inline __attribute__((always_inline))
#else
#define TESSERA_VM_INLINE inline
#endif

namespace tessera::cpu::vm {

namespace detail {

TESSERA_VM_INLINE int32_t bits(float x) {
  int32_t i;
  std::memcpy(&i, &x, sizeof i);
  return i;
}
TESSERA_VM_INLINE float from_bits(int32_t i) {
  float x;
  std::memcpy(&x, &i, sizeof x);
  return x;
}

// 2^n for integer-valued n in [-126, 127], from the exponent field. In unsigned
// arithmetic: a NaN input reaches here as a garbage n, and a signed shift or add that
// overflows is undefined behavior (UBSan); the result is NaN either way.
TESSERA_VM_INLINE float pow2(int32_t n) {
  return from_bits(static_cast<int32_t>((static_cast<uint32_t>(n) + 127u) << 23));
}

// round(x) for |x| < 2^22 without a float-to-int conversion (undefined for NaN): adding
// 1.5 * 2^23 pushes the fraction out of the mantissa; the low bits then hold the integer.
constexpr float kRoundMagic = 12582912.0f;

// c0 * x^n + c1 * x^(n-1) + ... + cn, by Horner's rule (coefficients highest first).
TESSERA_VM_INLINE float horner(float, float c) { return c; }
template <typename... Rest>
TESSERA_VM_INLINE float horner(float x, float c, float next, Rest... rest) {
  return horner(x, c * x + next, rest...);
}

// e^r - 1 - r for |r| <= ln2 / 2, divided by r^2 (Cephes expf's polynomial).
TESSERA_VM_INLINE float exp_poly(float r) {
  return horner(r, 1.9875691500e-4f, 1.3981999507e-3f, 8.3334519073e-3f, 4.1665795894e-2f, 1.6666665459e-1f,
                5.0000001201e-1f);
}

// x = n * ln2 + r with n integral and |r| <= ln2 / 2; x must lie in [-150, 150].
struct Reduced {
  float r;
  int32_t n;
};
TESSERA_VM_INLINE Reduced reduce_ln2(float x) {
  const float shifted = x * 1.44269504088896341f + kRoundMagic;
  const float n = shifted - kRoundMagic;
  // Cody-Waite: ln2 = 0.693359375 - 2.12194440e-4 (the first exact in 9 bits).
  const float r = (x - n * 0.693359375f) + n * 2.12194440e-4f;
  // Unsigned: a NaN's bits (negative as int32) would overflow a signed subtraction.
  return {r, static_cast<int32_t>(static_cast<uint32_t>(bits(shifted)) - static_cast<uint32_t>(bits(kRoundMagic)))};
}

}  // namespace detail

// c ? a : b through bit masks, with both arms computed. A plain ?: on floats may reach the
// vectorizer as a branch: the compiler moves an arm's arithmetic under it (floating-point
// ops may trap, so they are not executed speculatively), or threads jumps through
// correlated conditions of two inlined functions; a branch keeps the whole loop scalar.
// Kernels use it wherever one arm computes something (leaky_relu's alpha * x).
TESSERA_VM_INLINE float select(bool c, float a, float b) {
  const int32_t m = -static_cast<int32_t>(c);
  return detail::from_bits((detail::bits(a) & m) | (detail::bits(b) & ~m));
}
TESSERA_VM_INLINE double select(bool c, double a, double b) {
  const int64_t m = -static_cast<int64_t>(c);
  int64_t ia, ib;
  std::memcpy(&ia, &a, sizeof ia);
  std::memcpy(&ib, &b, sizeof ib);
  const int64_t r = (ia & m) | (ib & ~m);
  double out;
  std::memcpy(&out, &r, sizeof out);
  return out;
}

// e^x.
TESSERA_VM_INLINE float exp(float x) {
  // Clamped so n stays within [-150, 129]; below -104 the result is 0, above 88.73 inf,
  // and 2^n splits into two factors so that subnormal results and 2^128 come out right.
  const float c = select(x < -104.0f, -104.0f, select(x > 89.0f, 89.0f, x));  // NaN passes through
  const detail::Reduced red = detail::reduce_ln2(c);
  const float p = red.r * red.r * detail::exp_poly(red.r) + red.r + 1.0f;
  const int32_t half = red.n >> 1;
  return p * detail::pow2(half) * detail::pow2(red.n - half);
}
TESSERA_VM_INLINE double exp(double x) { return std::exp(x); }

// e^x - 1, accurate near 0.
TESSERA_VM_INLINE float expm1(float x) {
  const float c = select(x < -104.0f, -104.0f, select(x > 89.0f, 89.0f, x));
  const detail::Reduced red = detail::reduce_ln2(c);
  const float em1 = red.r * red.r * detail::exp_poly(red.r) + red.r;  // e^r - 1
  // e^x - 1 = 2^n * (e^r - 1) + (2^n - 1): exact cancellation-free form while 2^n is a
  // normal float; for large n (no cancellation left) the two-factor scaling of exp.
  const int32_t n = red.n;
  const int32_t n_small = n < -126 ? -126 : (n > 127 ? 127 : n);
  const float s = detail::pow2(n_small);
  const float small = s * em1 + (s - 1.0f);
  const int32_t half = n >> 1;
  const float large = (em1 + 1.0f) * detail::pow2(half) * detail::pow2(n - half) - 1.0f;
  return select(x == 0.0f, x, select(n > 100, large, small));  // x == 0 keeps -0's sign
}
TESSERA_VM_INLINE double expm1(double x) { return std::expm1(x); }

// Natural logarithm.
TESSERA_VM_INLINE float log(float x) {
  // Subnormals scale up by 2^23 first, so the exponent field holds all of the magnitude.
  const bool tiny = x < 1.17549435e-38f;
  const float xs = x * select(tiny, 8388608.0f, 1.0f);
  const int32_t i = detail::bits(xs);
  // m in [sqrt(1/2), sqrt(2)), x = m * 2^e.
  // bits of sqrt(1/2); unsigned, as a negative x's bits would overflow a signed subtraction
  const int32_t shifted = static_cast<int32_t>(static_cast<uint32_t>(i) - 0x3f3504f3u);
  const int32_t e = (shifted >> 23) - 23 * static_cast<int32_t>(tiny);
  const float m = detail::from_bits((shifted & 0x007fffff) + 0x3f3504f3);
  const float f = m - 1.0f;
  const float ef = static_cast<float>(e);
  // Cephes logf's polynomial for log(1 + f) - f + f^2 / 2 over f^3.
  const float p =
      detail::horner(f, 7.0376836292e-2f, -1.1514610310e-1f, 1.1676998740e-1f, -1.2420140846e-1f, 1.4249322787e-1f,
                     -1.6668057665e-1f, 2.0000714765e-1f, -2.4999993993e-1f, 3.3333331174e-1f);
  const float f2 = f * f;
  float y = f * f2 * p + ef * -2.12194440e-4f - 0.5f * f2;
  y = (f + y) + ef * 0.693359375f;
  // Special values last: inf stays inf, 0 gives -inf, negatives and NaN give NaN.
  y = select(x == INFINITY, x, y);
  y = select(x == 0.0f, -INFINITY, y);
  return select((x < 0.0f) | (x != x), NAN, y);
}
TESSERA_VM_INLINE double log(double x) { return std::log(x); }

// log(1 + x), accurate near 0: log(w) * x / (w - 1) with w = 1 + x corrects the rounding
// of w (Goldberg's trick).
TESSERA_VM_INLINE float log1p(float x) {
  const float w = 1.0f + x;
  const float d = w - 1.0f;
  const float y = log(w) * (x / select(d == 0.0f, 1.0f, d));
  return select((d == 0.0f) | (x == INFINITY), x, y);
}
TESSERA_VM_INLINE double log1p(double x) { return std::log1p(x); }

// Square root, correctly rounded like std::sqrt, in a form that vectorizes with errno on:
// there the compiler guards each std::sqrt with a scalar branch to libm for negative
// inputs, which keeps a loop scalar. Newton's iteration for 1/sqrt in
// double from a bit-trick guess (3 steps take 3.4% to 1e-11), one step on sqrt itself
// (error below 2^-52), then one rounding to float, which is then the correctly rounded
// root (a float's root never lies within 2^-48 of a float midpoint unless exact).
TESSERA_VM_INLINE float sqrt_newton(float x) {
  const double d = x;
  int64_t i;
  std::memcpy(&i, &d, sizeof i);
  // Unsigned: for a negative x the subtraction overflows (undefined behavior when signed;
  // the result is NaN either way).
  i = static_cast<int64_t>(0x5fe6eb50c7b537a9ULL - static_cast<uint64_t>(i >> 1));
  double r;
  std::memcpy(&r, &i, sizeof r);
  const double half = 0.5 * d;
  r = r * (1.5 - half * r * r);
  r = r * (1.5 - half * r * r);
  r = r * (1.5 - half * r * r);
  double y = d * r;
  y = y + 0.5 * r * (d - y * y);
  const float root = static_cast<float>(y);
  // 0 and inf are their own roots (the iteration would give NaN); negatives give NaN.
  return select((x == 0.0f) | (x == INFINITY), x, select(x < 0.0f, NAN, root));
}

// Square root, correctly rounded. Built with -fno-math-errno (binding.gyp and
// CMakeLists.txt pass it; GCC and Clang then define __NO_MATH_ERRNO__), std::sqrt is the
// vector instruction itself (vsqrtps: IEEE's correctly rounded root, so the same bits as
// sqrt_newton), 3-4x faster in Adam's update; elsewhere (MSVC) sqrt_newton.
#if defined(__NO_MATH_ERRNO__)
TESSERA_VM_INLINE float sqrt(float x) { return std::sqrt(x); }
#else
TESSERA_VM_INLINE float sqrt(float x) { return sqrt_newton(x); }
#endif
TESSERA_VM_INLINE double sqrt(double x) { return std::sqrt(x); }

// Hyperbolic tangent.
TESSERA_VM_INLINE float tanh(float x) {
  const float a = std::fabs(x);
  // |x| < 0.625: Cephes tanhf's odd polynomial.
  const float z = x * x;
  const float p = detail::horner(z, -5.70498872745e-3f, 2.06390887954e-2f, -5.37397155531e-2f, 1.33314422036e-1f,
                                 -3.33332819422e-1f);
  const float small = p * z * a + a;
  // Otherwise 1 - 2 / (e^2|x| + 1), which is 1 once e^2|x| overflows.
  const float large = 1.0f - 2.0f / (exp(2.0f * a) + 1.0f);
  return std::copysign(select(a < 0.625f, small, large), x);
}
TESSERA_VM_INLINE double tanh(double x) { return std::tanh(x); }

// 1 / (1 + e^-x), without overflow: e = e^-|x| <= 1, then 1 / (1 + e) or e / (1 + e).
template <typename T>
TESSERA_VM_INLINE T sigmoid(T x) {
  const T e = exp(-std::fabs(x));
  return select(x >= T(0), T(1), e) / (T(1) + e);
}

// The error function: an odd polynomial near 0, 1 - e^-x^2 * (rational in 1/x) beyond.
TESSERA_VM_INLINE float erf(float x) {
  const float a = std::fabs(x);
  const float z = x * x;
  // |x| < 0.84375: x + x * P(x^2), P a degree-5 minimax fit of erf(x) / x - 1 (error
  // 6e-9, far below float's resolution).
  const float p =
      detail::horner(z, -6.3599925e-4f, 5.0586783e-3f, -2.6807021e-2f, 1.1282825e-1f, -3.7612581e-1f, 1.2837917e-1f);
  const float small = x + x * p;
  // |x| >= 0.84375: 1 - erfc(|x|), erfc = t * e^(q(t) - x^2) with t = 1 / (1 + |x| / 2),
  // Numerical Recipes' erfcc (relative error < 1.2e-7 of erfc, which is <= 0.23 here).
  const float t = 1.0f / (1.0f + 0.5f * a);
  const float q = detail::horner(t, 1.70872770e-1f, -8.22152230e-1f, 1.48851587e+0f, -1.13520398e+0f, 2.78868070e-1f,
                                 -1.86288060e-1f, 9.67841800e-2f, 3.74091960e-1f, 1.00002368e+0f, -1.26551223e+0f);
  const float erfc = t * exp(q - z);
  const float large = 1.0f - erfc;
  return select(a < 0.84375f, small, std::copysign(select(a > 9.0f, 1.0f, large), x));
}
TESSERA_VM_INLINE double erf(double x) { return std::erf(x); }

// x Phi(x) = x (1 + erf(x / sqrt 2)) / 2: Keras's exact gelu (the `gelu` kernel and the
// GEMM's gelu epilogue, so both give the same values).
template <typename T>
TESSERA_VM_INLINE T gelu(T x) {
  return T(0.5) * x * (T(1) + erf(x * static_cast<T>(0.70710678118654752440)));
}

// ---- reductions that vectorize ------------------------------------------------------
// A plain `sum += f(j)` loop cannot vectorize without reassociating (compilers keep the
// order); these keep `Lanes` independent accumulators instead, which the compiler maps
// onto vector registers, and combine them at the end.

// sum over j in [0, n) of f(j), accumulated in Lanes partial sums of type Acc, added up
// in double.
template <typename Acc, int Lanes = 16, typename F>
TESSERA_VM_INLINE double lane_sum(int64_t n, F f) {
  Acc lanes[Lanes] = {};
  int64_t j = 0;
  for (; j + Lanes <= n; j += Lanes)
    for (int l = 0; l < Lanes; ++l) lanes[l] += static_cast<Acc>(f(j + l));
  double sum = 0.0;
  for (; j < n; ++j) sum += static_cast<double>(f(j));
  for (int l = 0; l < Lanes; ++l) sum += static_cast<double>(lanes[l]);
  return sum;
}

// sum over j in [0, n) of f(j) in T: two sets of Lanes partial sums (two vector add
// chains in flight), then a halving tree of vector adds (not Lanes scalar adds in a chain:
// at 32 terms that chain cost more than the sum).
template <typename T, int Lanes = 16, typename F>
TESSERA_VM_INLINE T lane_sum_t(int64_t n, F f) {
  T even[Lanes] = {}, odd[Lanes] = {};
  int64_t j = 0;
  for (; j + 2 * Lanes <= n; j += 2 * Lanes) {
    for (int l = 0; l < Lanes; ++l) even[l] += f(j + l);
    for (int l = 0; l < Lanes; ++l) odd[l] += f(j + Lanes + l);
  }
  if (j + Lanes <= n) {
    for (int l = 0; l < Lanes; ++l) even[l] += f(j + l);
    j += Lanes;
  }
  T tail = T(0);  // a separate scalar: indexing the lanes by a variable would keep them in memory
  for (; j < n; ++j) tail += f(j);
  for (int l = 0; l < Lanes; ++l) even[l] += odd[l];
#pragma GCC unroll 8
  for (int width = Lanes / 2; width > 0; width /= 2)
#pragma GCC unroll 16
    for (int l = 0; l < width; ++l) even[l] += even[l + width];
  return even[0] + tail;
}

// max over j in [0, n) of f(j) (-inf when n == 0; NaNs are skipped, as std::max_element's
// comparisons skip them, unless all are NaN).
template <typename T, int Lanes = 16, typename F>
TESSERA_VM_INLINE T lane_max(int64_t n, F f) {
  T lanes[Lanes];
  for (int l = 0; l < Lanes; ++l) lanes[l] = -INFINITY;
  int64_t j = 0;
  for (; j + Lanes <= n; j += Lanes)
    for (int l = 0; l < Lanes; ++l) {
      const T v = f(j + l);
      lanes[l] = v > lanes[l] ? v : lanes[l];
    }
  T top = -INFINITY;
  for (; j < n; ++j) top = f(j) > top ? f(j) : top;
  for (int l = 0; l < Lanes; ++l) top = lanes[l] > top ? lanes[l] : top;
  return top;
}

}  // namespace tessera::cpu::vm
