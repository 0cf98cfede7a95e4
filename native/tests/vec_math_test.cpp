// The vectorized float32 math of vec_math.h against double libm, in units in the last
// place of the float result, over dense sweeps and special values, for every ISA this
// CPU runs (each is a separate compilation of the same loop, with or without FMA).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "cpu/vec_math.h"
#include "cpu/vectorize.h"

namespace tessera {
namespace {

using cpu::vectorized;
namespace vm = cpu::vm;

struct ScopedVectorIsa {
  explicit ScopedVectorIsa(const std::string& isa) { cpu::set_vector_isa_for_testing(isa); }
  ~ScopedVectorIsa() { cpu::set_vector_isa_for_testing(""); }
};

std::vector<std::string> isas() {
  std::vector<std::string> out = {"portable"};
  const std::string best = kernel_isa();
  if (TESSERA_VECTORIZE_X86 && (best == "avx2" || best == "avx512")) out.push_back("avx2");
  if (TESSERA_VECTORIZE_X86 && best == "avx512") out.push_back("avx512");
  return out;
}

// Distance from got to the exact value in ulps of float at the exact value.
double ulp_error(float got, double want) {
  if (std::isnan(want)) return std::isnan(got) ? 0 : 1e9;
  // Beyond the float range: the exact value rounds to an infinity.
  if (std::isinf(static_cast<float>(want))) return got == static_cast<float>(want) ? 0 : 1e9;
  const double a = std::fabs(want);
  // ulp of the float binade holding want (subnormal spacing below FLT_MIN).
  const double ulp =
      a < std::numeric_limits<float>::min() ? std::ldexp(1.0, -149) : std::ldexp(1.0, std::ilogb(a) - 23);
  return std::fabs(static_cast<double>(got) - want) / ulp;
}

// Every step-th float bit pattern in [lo, hi] (both signs when lo < 0), plus the endpoints.
std::vector<float> sweep(float lo, float hi, int step) {
  std::vector<float> xs;
  auto add_range = [&](float a, float b) {  // 0 <= a < b
    uint32_t ia, ib;
    std::memcpy(&ia, &a, 4);
    std::memcpy(&ib, &b, 4);
    for (uint32_t i = ia; i <= ib; i += step) {
      float f;
      std::memcpy(&f, &i, 4);
      xs.push_back(f);
    }
    xs.push_back(b);
  };
  if (lo < 0) {
    add_range(0.0f, -lo);
    for (size_t i = 0, n = xs.size(); i < n; ++i) xs.push_back(-xs[i]);
  }
  if (hi > 0) add_range(lo > 0 ? lo : 0.0f, hi);
  return xs;
}

// Runs f over xs in one vectorized loop, as the kernels do.
template <typename F>
std::vector<float> map_vectorized(const std::vector<float>& xs, F f) {
  std::vector<float> ys(xs.size());
  const float* x = xs.data();
  float* y = ys.data();
  const int64_t n = static_cast<int64_t>(xs.size());
  vectorized([&] {
    for (int64_t i = 0; i < n; ++i) y[i] = f(x[i]);
  });
  return ys;
}

template <typename F>
void expect_ulps(const char* name, const std::vector<float>& xs, F f, double (*ref)(double), double max_ulps) {
  for (const std::string& isa : isas()) {
    ScopedVectorIsa scoped(isa);
    const std::vector<float> ys = map_vectorized(xs, f);
    double worst = 0;
    float worst_x = 0;
    for (size_t i = 0; i < xs.size(); ++i) {
      const double e = ulp_error(ys[i], ref(xs[i]));
      if (e > worst || std::isnan(e)) worst = e, worst_x = xs[i];
    }
    EXPECT_LE(worst, max_ulps) << name << " on " << isa << ": worst at x = " << worst_x;
  }
}

double sigmoid_ref(double x) { return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x)); }

TEST(VecMath, ExpWithinTwoUlps) {
  expect_ulps(
      "exp", sweep(-104.0f, 89.0f, 1021), [](float x) { return vm::exp(x); }, [](double x) { return std::exp(x); }, 2);
}

TEST(VecMath, Expm1WithinTwoUlps) {
  expect_ulps(
      "expm1", sweep(-100.0f, 88.7f, 1021), [](float x) { return vm::expm1(x); },
      [](double x) { return std::expm1(x); }, 2);
}

TEST(VecMath, LogWithinOneUlp) {
  expect_ulps(
      "log", sweep(0.0f, std::numeric_limits<float>::max(), 4099), [](float x) { return vm::log(x); },
      [](double x) { return std::log(x); }, 1);
}

TEST(VecMath, Log1pWithinThreeUlps) {
  std::vector<float> xs = sweep(0.0f, 1e30f, 2053);
  for (float x : sweep(0.0f, 0.999999f, 257)) xs.push_back(-x);
  expect_ulps(
      "log1p", xs, [](float x) { return vm::log1p(x); }, [](double x) { return std::log1p(x); }, 3);
}

TEST(VecMath, TanhWithinTwoUlps) {
  expect_ulps(
      "tanh", sweep(-20.0f, 20.0f, 1021), [](float x) { return vm::tanh(x); }, [](double x) { return std::tanh(x); },
      2);
}

TEST(VecMath, SigmoidWithinThreeUlps) {
  expect_ulps(
      "sigmoid", sweep(-110.0f, 110.0f, 1021), [](float x) { return vm::sigmoid(x); }, sigmoid_ref, 3);
}

TEST(VecMath, ErfWithinThreeUlps) {
  expect_ulps(
      "erf", sweep(-12.0f, 12.0f, 1021), [](float x) { return vm::erf(x); }, [](double x) { return std::erf(x); }, 3);
}

TEST(VecMath, SqrtIsCorrectlyRounded) {
  std::vector<float> xs = sweep(0.0f, std::numeric_limits<float>::max(), 1021);
  for (float x : {0.0f, -0.0f, 1.0f, 4.0f, 2.0f, 1e-45f, -1.0f, std::numeric_limits<float>::infinity(),
                  -std::numeric_limits<float>::infinity(), std::numeric_limits<float>::quiet_NaN()})
    xs.push_back(x);
  for (const std::string& isa : isas()) {
    ScopedVectorIsa scoped(isa);
    // vm::sqrt, and the emulation it uses where errno is on (this build may not use it).
    const std::vector<float> ys = map_vectorized(xs, [](float x) { return vm::sqrt(x); });
    const std::vector<float> newton = map_vectorized(xs, [](float x) { return vm::sqrt_newton(x); });
    for (size_t i = 0; i < xs.size(); ++i) {
      const float want = std::sqrt(xs[i]);
      ASSERT_TRUE(std::memcmp(&ys[i], &want, 4) == 0 || (std::isnan(want) && std::isnan(ys[i])))
          << "sqrt(" << xs[i] << ") on " << isa << ": got " << ys[i] << ", want " << want;
      ASSERT_TRUE(std::memcmp(&newton[i], &want, 4) == 0 || (std::isnan(want) && std::isnan(newton[i])))
          << "sqrt_newton(" << xs[i] << ") on " << isa << ": got " << newton[i] << ", want " << want;
    }
  }
}

// Special values must match the float rounding of the exact value exactly (NaN for NaN,
// signed zeros, infinities); the rest within 2 ulps.
template <typename F>
void expect_special_values(const char* name, F f, double (*ref)(double)) {
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<float> xs = {inf, -inf, nan, 0.0f, -0.0f, 1e-45f, -1e-45f, 1e-30f, 100.0f, -100.0f};
  for (const std::string& isa : isas()) {
    ScopedVectorIsa scoped(isa);
    const std::vector<float> ys = map_vectorized(xs, f);
    for (size_t i = 0; i < xs.size(); ++i) {
      const double want = ref(xs[i]);
      const float want_f = static_cast<float>(want);
      if (std::isnan(want_f) || std::isinf(want_f) || want_f == 0)
        EXPECT_TRUE((std::isnan(want_f) && std::isnan(ys[i])) ||
                    (ys[i] == want_f && std::signbit(ys[i]) == std::signbit(want_f)))
            << name << "(" << xs[i] << ") on " << isa << ": got " << ys[i] << ", want " << want_f;
      else EXPECT_LE(ulp_error(ys[i], want), 2) << name << "(" << xs[i] << ") on " << isa << ": got " << ys[i];
    }
  }
}

TEST(VecMath, SpecialValues) {
  expect_special_values(
      "exp", [](float x) { return vm::exp(x); }, [](double x) { return std::exp(x); });
  expect_special_values(
      "expm1", [](float x) { return vm::expm1(x); }, [](double x) { return std::expm1(x); });
  expect_special_values(
      "log", [](float x) { return vm::log(x); }, [](double x) { return std::log(x); });
  expect_special_values(
      "log1p", [](float x) { return vm::log1p(x); }, [](double x) { return std::log1p(x); });
  expect_special_values(
      "tanh", [](float x) { return vm::tanh(x); }, [](double x) { return std::tanh(x); });
  expect_special_values(
      "sigmoid", [](float x) { return vm::sigmoid(x); }, sigmoid_ref);
  expect_special_values(
      "erf", [](float x) { return vm::erf(x); }, [](double x) { return std::erf(x); });
}

TEST(VecMath, IsaOverrideRejectsUnknownNames) {
  EXPECT_THROW(cpu::set_vector_isa_for_testing("sse9"), std::exception);
  cpu::set_vector_isa_for_testing("");
}

}  // namespace
}  // namespace tessera
