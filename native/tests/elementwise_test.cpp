// Unary, activation and broadcasting binary kernels, and where, against naive loops.
#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <limits>

#include "kernel_reference.h"

namespace tessera::testing {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kEluAlpha = 0.7, kLeakyAlpha = 0.15;
constexpr double kSeluAlpha = 1.6732632423543772848, kSeluScale = 1.0507009873554804934;

double sigmoid_ref(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double softplus_ref(double x) { return x > 30 ? x : std::log1p(std::exp(x)); }

struct UnaryCase {
  OpId op;
  double (*ref)(double);
  double lo, hi;              // where the inputs are drawn from
  bool integer = false;       // also defined on int32
  std::vector<double> attrs;  // the alpha of elu and leaky_relu
};

const UnaryCase kUnaryCases[] = {
    {OpId::neg, [](double x) { return -x; }, -5, 5, true},
    {OpId::abs, [](double x) { return std::fabs(x); }, -5, 5, true},
    {OpId::exp, [](double x) { return std::exp(x); }, -5, 5},
    {OpId::log, [](double x) { return std::log(x); }, 0.01, 10},
    {OpId::sqrt, [](double x) { return std::sqrt(x); }, 0, 10},
    {OpId::rsqrt, [](double x) { return 1 / std::sqrt(x); }, 0.01, 10},
    {OpId::square, [](double x) { return x * x; }, -5, 5, true},
    {OpId::reciprocal, [](double x) { return 1 / x; }, 0.1, 5},
    {OpId::sign, [](double x) { return std::isnan(x) ? x : double((x > 0) - (x < 0)); }, -5, 5, true},
    {OpId::floor, [](double x) { return std::floor(x); }, -5, 5},
    {OpId::ceil, [](double x) { return std::ceil(x); }, -5, 5},
    {OpId::round, [](double x) { return std::nearbyint(x); }, -5, 5},
    {OpId::relu, [](double x) { return std::isnan(x) || x > 0 ? x : 0.0; }, -5, 5, true},
    {OpId::sigmoid, sigmoid_ref, -20, 20},
    {OpId::tanh, [](double x) { return std::tanh(x); }, -5, 5},
    {OpId::log1p, [](double x) { return std::log1p(x); }, -0.9, 5},
    {OpId::expm1, [](double x) { return std::expm1(x); }, -3, 3},
    {OpId::sin, [](double x) { return std::sin(x); }, -10, 10},
    {OpId::cos, [](double x) { return std::cos(x); }, -10, 10},
    {OpId::tan, [](double x) { return std::tan(x); }, -1.4, 1.4},
    {OpId::asin, [](double x) { return std::asin(x); }, -0.99, 0.99},
    {OpId::acos, [](double x) { return std::acos(x); }, -0.99, 0.99},
    {OpId::atan, [](double x) { return std::atan(x); }, -10, 10},
    {OpId::sinh, [](double x) { return std::sinh(x); }, -5, 5},
    {OpId::cosh, [](double x) { return std::cosh(x); }, -5, 5},
    {OpId::asinh, [](double x) { return std::asinh(x); }, -10, 10},
    {OpId::acosh, [](double x) { return std::acosh(x); }, 1.01, 10},
    {OpId::atanh, [](double x) { return std::atanh(x); }, -0.99, 0.99},
    {OpId::erf, [](double x) { return std::erf(x); }, -3, 3},
    {OpId::softplus, softplus_ref, -30, 30},
    {OpId::elu, [](double x) { return x > 0 ? x : kEluAlpha * std::expm1(x); }, -5, 5, false, {kEluAlpha}},
    {OpId::selu, [](double x) { return kSeluScale * (x > 0 ? x : kSeluAlpha * std::expm1(x)); }, -5, 5},
    {OpId::leaky_relu, [](double x) { return x > 0 ? x : kLeakyAlpha * x; }, -5, 5, false, {kLeakyAlpha}},
    {OpId::relu6, [](double x) { return std::min(std::max(x, 0.0), 6.0); }, -3, 9, true},
    {OpId::gelu, [](double x) { return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0))); }, -5, 5},
    {OpId::gelu_tanh,
     [](double x) { return 0.5 * x * (1 + std::tanh(0.7978845608028654 * (x + 0.044715 * x * x * x))); }, -5, 5},
    {OpId::silu, [](double x) { return x * sigmoid_ref(x); }, -10, 10},
    {OpId::mish, [](double x) { return x * std::tanh(softplus_ref(x)); }, -10, 10},
    {OpId::hard_sigmoid, [](double x) { return std::min(std::max((x + 3) / 6, 0.0), 1.0); }, -5, 5},
    {OpId::softsign, [](double x) { return x / (1 + std::fabs(x)); }, -5, 5},
};

const char* op_name(OpId op) { return kOpInfo[static_cast<int>(op)].name; }

// float32 math is a few ulps off the double reference.
template <typename T>
constexpr double unary_rtol() {
  return std::is_same_v<T, float> ? 1e-5 : 1e-12;
}

template <typename T>
void expect_unary_matches(const UnaryCase& c, const std::vector<T>& x) {
  const int64_t n = static_cast<int64_t>(x.size());
  std::vector<double> want(n);
  for (int64_t i = 0; i < n; ++i) want[i] = c.ref(static_cast<double>(x[i]));
  expect_close(run1<T>(c.op, {from_vector(x, {n})}, {n}, c.attrs), want, unary_rtol<T>());
}

TEST(Unary, FloatOpsMatchReferenceAtOddSizes) {
  for (const UnaryCase& c : kUnaryCases) {
    SCOPED_TRACE(op_name(c.op));
    for_each_type<float, double>([&](auto zero) {
      using T = decltype(zero);
      for (int64_t n : kOddSizes) expect_unary_matches(c, sample<T>(n, static_cast<uint32_t>(n), c.lo, c.hi));
    });
  }
}

TEST(Unary, IntegerOpsMatchReference) {
  for (const UnaryCase& c : kUnaryCases) {
    if (!c.integer) continue;
    SCOPED_TRACE(op_name(c.op));
    for (int64_t n : kOddSizes) expect_unary_matches(c, sample<int32_t>(n, static_cast<uint32_t>(n), -50, 50));
  }
}

TEST(Unary, RealOnlyOpsRejectInt32) {
  for (const UnaryCase& c : kUnaryCases) {
    if (c.integer) continue;
    SCOPED_TRACE(op_name(c.op));
    EXPECT_THROW(run1<int32_t>(c.op, {from_vector(std::vector<int32_t>{1, 2}, {2})}, {2}, c.attrs), Error);
  }
}

TEST(Unary, NanPropagatesThroughEveryFloatOp) {
  for (const UnaryCase& c : kUnaryCases) {
    SCOPED_TRACE(op_name(c.op));
    for_each_type<float, double>([&](auto zero) {
      using T = decltype(zero);
      expect_unary_matches(c, std::vector<T>{T(kNaN), T(1), T(kNaN)});
    });
  }
}

TEST(Unary, RoundsHalfToEven) {
  const std::vector<double> x = {-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5};
  expect_bitwise_equal(run1<double>(OpId::round, {from_vector(x, {7})}, {7}),
                       std::vector<double>{-2.0, -2.0, -0.0, 0.0, 2.0, 2.0, 4.0});
}

TEST(Unary, StableAtExtremes) {
  // exp would overflow in a naive sigmoid / softplus / mish: no NaN, no infinity.
  for_each_type<float, double>([](auto zero) {
    using T = decltype(zero);
    const std::vector<T> x = {T(-1000), T(-100), T(100), T(1000)};
    const auto run = [&](OpId op) { return run1<T>(op, {from_vector(x, {4})}, {4}); };
    expect_close(run(OpId::sigmoid), std::vector<double>{0, 0, 1, 1}, 0, 1e-30);
    expect_close(run(OpId::softplus), std::vector<double>{0, 0, 100, 1000}, 1e-7, 1e-30);
    expect_close(run(OpId::silu), std::vector<double>{0, 0, 100, 1000}, 1e-7, 1e-30);
    expect_close(run(OpId::mish), std::vector<double>{0, 0, 100, 1000}, 1e-7, 1e-30);
    expect_close(run(OpId::tanh), std::vector<double>{-1, -1, 1, 1}, 0, 0);
  });
}

TEST(Unary, PredicatesAndLogicalNot) {
  for_each_type<float, double>([](auto zero) {
    using T = decltype(zero);
    const std::vector<T> x = {T(kNaN), T(INFINITY), T(-INFINITY), T(0), T(-1.5), T(1e30)};
    const auto input = from_vector(x, {6});
    expect_bitwise_equal(run1<bool_t>(OpId::is_nan, {input}, {6}), std::vector<bool_t>{1, 0, 0, 0, 0, 0});
    expect_bitwise_equal(run1<bool_t>(OpId::is_finite, {input}, {6}), std::vector<bool_t>{0, 0, 0, 1, 1, 1});
  });
  for (int64_t n : kOddSizes) {
    const auto x = sample<bool_t>(n, 3);
    std::vector<bool_t> want(n);
    for (int64_t i = 0; i < n; ++i) want[i] = !x[i];
    expect_bitwise_equal(run1<bool_t>(OpId::logical_not, {from_vector(x, {n})}, {n}), want);
  }
}

TEST(Unary, LargeMatchesReferenceAndIsThreadCountIndependent) {
  const int64_t n = int64_t{1} << 20;
  const auto x = sample<float>(n, 8, -5, 5);
  for (OpId op : {OpId::gelu, OpId::sigmoid}) {
    const UnaryCase& c =
        *std::find_if(std::begin(kUnaryCases), std::end(kUnaryCases), [op](const UnaryCase& u) { return u.op == op; });
    expect_unary_matches(c, x);
    expect_thread_count_independent([&] { return run1<float>(op, {from_vector(x, {n})}, {n}); });
  }
}

// ---- binary ---------------------------------------------------------------------------

template <size_t N>
Shape broadcast_all(const std::array<Shape, N>& shapes) {
  Shape out;
  for (const Shape& s : shapes) out = broadcast_shape(out, s);
  return out;
}

// out[i] = f(the flat index each operand reads for output element i).
template <typename Out, size_t N, typename F>
std::vector<Out> broadcast_reference(const std::array<Shape, N>& shapes, F f) {
  const Shape out = broadcast_all(shapes);
  std::vector<Out> y(numel(out));
  for (int64_t i = 0; i < numel(out); ++i) {
    const Shape idx = unravel(i, out);
    std::array<int64_t, N> offsets;
    for (size_t k = 0; k < N; ++k) offsets[k] = broadcast_offset(idx, shapes[k]);
    y[i] = f(offsets);
  }
  return y;
}

// Same shapes, scalars, bias rows, outer products, rank mismatch, size-1 dims in the middle.
const std::array<Shape, 2> kBroadcastPairs[] = {
    {Shape{7}, Shape{7}},
    {Shape{129}, Shape{129}},
    {Shape{17}, Shape{}},
    {Shape{}, Shape{17}},
    {Shape{}, Shape{}},
    {Shape{1}, Shape{129}},
    {Shape{17, 7}, Shape{7}},
    {Shape{7}, Shape{17, 7}},
    {Shape{17, 1}, Shape{1, 7}},
    {Shape{3, 1, 5, 7}, Shape{5, 1}},
    {Shape{4, 1, 6}, Shape{4, 5, 6}},
    {Shape{2, 3, 1, 5}, Shape{1, 3, 7, 1}},
    {Shape{7, 1, 1, 17}, Shape{7, 17}},
    {Shape{1, 1, 1}, Shape{1}},
    {Shape{3, 7}, Shape{3, 1}},
};

template <typename T>
T floor_divide(T x, T y) {
  if constexpr (std::is_integral_v<T>) {
    if (y == 0) return 0;
    return static_cast<T>(std::floor(static_cast<double>(x) / static_cast<double>(y)));
  } else {
    return x / y;
  }
}

template <typename T>
T power(T x, T y) {
  if constexpr (std::is_integral_v<T>) {
    if (y < 0) return x == 1 ? 1 : (x == -1 ? (y % 2 ? -1 : 1) : 0);
    T r = 1;
    for (T k = 0; k < y; ++k) r *= x;
    return r;
  } else {
    return std::pow(x, y);
  }
}

template <typename T>
T arithmetic_reference(OpId op, T x, T y) {
  const bool nan = std::isnan(static_cast<double>(x)) || std::isnan(static_cast<double>(y));
  switch (op) {
    case OpId::add: return x + y;
    case OpId::sub: return x - y;
    case OpId::mul: return x * y;
    case OpId::div: return floor_divide(x, y);
    case OpId::pow: return power(x, y);
    case OpId::maximum: return nan ? T(kNaN) : std::max(x, y);
    case OpId::minimum: return nan ? T(kNaN) : std::min(x, y);
    case OpId::relu_backward: return y > T(0) ? x : T(0);
    default: ADD_FAILURE() << "no reference for " << op_name(op); return 0;
  }
}

template <typename T>
bool comparison_reference(OpId op, T x, T y) {
  switch (op) {
    case OpId::equal: return x == y;
    case OpId::not_equal: return x != y;
    case OpId::less: return x < y;
    case OpId::less_equal: return x <= y;
    case OpId::greater: return x > y;
    case OpId::greater_equal: return x >= y;
    case OpId::logical_and: return x && y;
    case OpId::logical_or: return x || y;
    default: ADD_FAILURE() << "no reference for " << op_name(op); return false;
  }
}

// Operands for op: positive bases for real pow; small integers (zero divisors included);
// reals on a half-integer grid so that comparisons see ties.
template <typename T>
std::array<std::vector<T>, 2> binary_operands(OpId op, const std::array<Shape, 2>& shapes, uint32_t seed) {
  const int64_t na = numel(shapes[0]), nb = numel(shapes[1]);
  if (op == OpId::pow)
    return {sample<T>(na, seed, std::is_integral_v<T> ? -4 : 0.1, 4), sample<T>(nb, seed + 1, -2, 5)};
  auto a = sample<T>(na, seed, -20, 20), b = sample<T>(nb, seed + 1, -20, 20);
  if constexpr (std::is_floating_point_v<T>)
    for (auto* v : {&a, &b})
      for (T& x : *v) x = std::round(x * 2) / 2;
  return {a, b};
}

template <typename T, typename Out, typename Ref>
void expect_binary_matches(OpId op, Ref ref) {
  uint32_t seed = 1;
  for (const auto& shapes : kBroadcastPairs) {
    SCOPED_TRACE(::testing::Message() << op_name(op) << " on " << ::testing::PrintToString(shapes[0]) << " and "
                                      << ::testing::PrintToString(shapes[1]));
    const auto operands = binary_operands<T>(op, shapes, seed++);
    const std::vector<T>& a = operands[0];
    const std::vector<T>& b = operands[1];
    const auto want = broadcast_reference<Out>(
        shapes, [&](const std::array<int64_t, 2>& at) { return static_cast<Out>(ref(op, a[at[0]], b[at[1]])); });
    const auto got = run1<Out>(op, {from_vector(a, shapes[0]), from_vector(b, shapes[1])}, broadcast_all(shapes));
    expect_close(got, want, rtol_of<Out>(), std::is_integral_v<Out> ? 0.0 : 1e-12);
  }
}

const OpId kArithmeticOps[] = {OpId::add, OpId::sub,     OpId::mul,     OpId::div,
                               OpId::pow, OpId::maximum, OpId::minimum, OpId::relu_backward};
const OpId kComparisonOps[] = {OpId::equal,      OpId::not_equal, OpId::less,
                               OpId::less_equal, OpId::greater,   OpId::greater_equal};

TEST(Binary, ArithmeticBroadcastsLikeNumPy) {
  for_each_type<float, double, int32_t>([](auto zero) {
    using T = decltype(zero);
    for (OpId op : kArithmeticOps) expect_binary_matches<T, T>(op, arithmetic_reference<T>);
  });
}

TEST(Binary, Atan2BroadcastsOnFloats) {
  for_each_type<float, double>([](auto zero) {
    using T = decltype(zero);
    // The operands sit on a half-integer grid with zeros, so the axes and the origin are hit.
    expect_binary_matches<T, T>(OpId::atan2, [](OpId, T y, T x) { return static_cast<T>(std::atan2(y, x)); });
  });
}

TEST(Binary, ComparisonsBroadcastAndWriteBool) {
  for_each_type<float, double, int32_t, bool_t>([](auto zero) {
    using T = decltype(zero);
    for (OpId op : kComparisonOps) expect_binary_matches<T, bool_t>(op, comparison_reference<T>);
  });
}

TEST(Binary, LogicalOpsBroadcast) {
  for (OpId op : {OpId::logical_and, OpId::logical_or})
    expect_binary_matches<bool_t, bool_t>(op, comparison_reference<bool_t>);
}

template <typename T>
std::vector<T> elementwise(OpId op, const std::vector<T>& a, const std::vector<T>& b) {
  const int64_t n = static_cast<int64_t>(a.size());
  return run1<T>(op, {from_vector(a, {n}), from_vector(b, {n})}, {n});
}

TEST(Binary, IntegerDivisionFloorsAndDivisionByZeroIsZero) {
  const std::vector<int32_t> a = {7, -7, 7, -7, 6, -6, 0, 5, -5, 0, INT_MIN, INT_MIN, INT_MAX};
  const std::vector<int32_t> b = {2, 2, -2, -2, -3, 3, 3, 0, 0, 0, -1, 1, -1};
  expect_bitwise_equal(elementwise(OpId::div, a, b),
                       std::vector<int32_t>{3, -4, -4, 3, -2, -2, 0, 0, 0, 0, INT_MIN, INT_MIN, -INT_MAX});
}

TEST(Binary, FloatDivisionByZeroIsInfinityOrNaN) {
  const auto y = elementwise<double>(OpId::div, {1, -1, 0}, {0, 0, 0});
  EXPECT_EQ(y[0], INFINITY);
  EXPECT_EQ(y[1], -INFINITY);
  EXPECT_TRUE(std::isnan(y[2]));
}

TEST(Binary, IntegerPow) {
  const std::vector<int32_t> base = {2, -2, 3, 0, 0, 2, 1, -1, -1, 5, 7};
  const std::vector<int32_t> exp = {10, 3, 0, 0, 5, -1, -5, -3, -4, 1, 2};
  expect_bitwise_equal(elementwise(OpId::pow, base, exp), std::vector<int32_t>{1024, -8, 1, 1, 0, 0, 1, -1, 1, 5, 49});
}

TEST(Binary, MaximumAndMinimumPropagateNaNFromEitherSide) {
  for_each_type<float, double>([](auto zero) {
    using T = decltype(zero);
    const std::vector<T> a = {T(kNaN), T(1), T(kNaN), T(-INFINITY), T(2)};
    const std::vector<T> b = {T(1), T(kNaN), T(kNaN), T(3), T(-1)};
    expect_close(elementwise(OpId::maximum, a, b), std::vector<double>{kNaN, kNaN, kNaN, 3, 2}, 0, 0);
    expect_close(elementwise(OpId::minimum, a, b), std::vector<double>{kNaN, kNaN, kNaN, -INFINITY, -1}, 0, 0);
  });
}

TEST(Binary, LargeBroadcastsAreThreadCountIndependent) {
  // [1024, 1024] + [1024] (rows over the pool) and [2^20] * scalar (one row split up).
  const auto big = from_vector(sample<float>(1 << 20, 1), {1024, 1024});
  const auto row = from_vector(sample<float>(1024, 2), {1024});
  const auto scalar = from_vector(std::vector<float>{3.0f}, {});
  for (const auto& operation : {std::pair{OpId::add, row}, std::pair{OpId::mul, scalar}}) {
    const OpId op = operation.first;
    const auto& other = operation.second;
    const auto a = to_vector<float>(*big), b = to_vector<float>(*other);
    const std::array<Shape, 2> shapes = {big->shape, other->shape};
    const auto want = broadcast_reference<float>(
        shapes, [&](const std::array<int64_t, 2>& at) { return arithmetic_reference<float>(op, a[at[0]], b[at[1]]); });
    const auto produce = [&] { return run1<float>(op, {big, other}, {1024, 1024}); };
    expect_bitwise_equal(produce(), want);
    expect_thread_count_independent(produce);
  }
}

// ---- where ----------------------------------------------------------------------------

const std::array<Shape, 3> kWhereShapes[] = {
    {Shape{17, 1, 1}, Shape{1, 7, 1}, Shape{1, 1, 5}},  // each operand broadcasts along two dims
    {Shape{}, Shape{7}, Shape{7}},
    {Shape{7}, Shape{}, Shape{}},
    {Shape{3, 1, 5}, Shape{5}, Shape{3, 4, 1}},
    {Shape{129}, Shape{129}, Shape{129}},
    {Shape{1}, Shape{17, 7}, Shape{7}},
    {Shape{2, 1, 3, 1}, Shape{5, 1, 7}, Shape{2, 1, 1, 1}},
};

TEST(Where, BroadcastsAllThreeOperands) {
  for_each_type<float, double, int32_t, bool_t>([](auto zero) {
    using T = decltype(zero);
    uint32_t seed = 1;
    for (const auto& shapes : kWhereShapes) {
      SCOPED_TRACE(::testing::PrintToString(shapes));
      const auto c = sample<bool_t>(numel(shapes[0]), seed++);
      const auto a = sample<T>(numel(shapes[1]), seed++, -9, 9), b = sample<T>(numel(shapes[2]), seed++, -9, 9);
      const auto want = broadcast_reference<T>(
          shapes, [&](const std::array<int64_t, 3>& at) { return c[at[0]] ? a[at[1]] : b[at[2]]; });
      const auto got =
          run1<T>(OpId::where, {from_vector(c, shapes[0]), from_vector(a, shapes[1]), from_vector(b, shapes[2])},
                  broadcast_all(shapes));
      expect_bitwise_equal(got, want);
    }
  });
}

TEST(Where, LargeIsThreadCountIndependent) {
  const int64_t n = int64_t{1} << 20;
  const auto c = from_vector(sample<bool_t>(n, 1), {1024, 1024});
  const auto a = from_vector(sample<double>(1024, 2), {1024, 1});
  const auto b = from_vector(sample<double>(n, 3), {1024, 1024});
  expect_thread_count_independent([&] { return run1<double>(OpId::where, {c, a, b}, {1024, 1024}); });
}

}  // namespace
}  // namespace tessera::testing
