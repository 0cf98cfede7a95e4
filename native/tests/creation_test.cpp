// copy, fill, cast and the Philox random kernels against naive loops and statistics.
#include <cmath>
#include <limits>

#include "kernel_reference.h"
#include "tessera/philox.h"

namespace tessera::testing {
namespace {

TEST(Copy, EveryDtypeAtOddSizesEmptyAndLarge) {
  for_each_type<float, double, int32_t, bool_t>([](auto zero) {
    using T = decltype(zero);
    for (int64_t n : {int64_t{0}, int64_t{1}, int64_t{7}, int64_t{17}, int64_t{129}, int64_t{1} << 20}) {
      const auto x = sample<T>(n, static_cast<uint32_t>(n), -100, 100);
      expect_bitwise_equal(run1<T>(OpId::copy, {from_vector(x, {n})}, {n}), x);
    }
  });
}

TEST(Fill, EveryDtypeAtOddSizesEmptyAndLarge) {
  for_each_type<float, double, int32_t>([](auto zero) {
    using T = decltype(zero);
    for (int64_t n : {int64_t{0}, int64_t{1}, int64_t{7}, int64_t{17}, int64_t{129}, int64_t{1} << 20}) {
      const double value = std::is_integral_v<T> ? -3.0 : 2.5;
      expect_bitwise_equal(run1<T>(OpId::fill, {}, {n}, {value}), std::vector<T>(n, static_cast<T>(value)));
    }
  });
}

TEST(Fill, BoolIsZeroOrOne) {
  // Any non-zero value is true, stored as 1 so that equal() on bools compares truth.
  for (double value : {1.0, 2.0, 0.5, -1.0})
    expect_bitwise_equal(run1<bool_t>(OpId::fill, {}, {17}, {value}), std::vector<bool_t>(17, 1));
  expect_bitwise_equal(run1<bool_t>(OpId::fill, {}, {17}, {0.0}), std::vector<bool_t>(17, 0));
}

TEST(Fill, NanFloat) {
  const auto y = run1<float>(OpId::fill, {}, {7}, {std::numeric_limits<double>::quiet_NaN()});
  for (float v : y) EXPECT_TRUE(std::isnan(v));
}

// Values of In that every Out can hold: zeros of both signs, fractions, negatives.
template <typename In>
std::vector<In> cast_inputs(int64_t n) {
  auto x = sample<In>(n, 11, -50, 50);
  x[0] = In(0);
  if constexpr (std::is_floating_point_v<In>) {
    if (n > 1) x[1] = -In(0);
    if (n > 2) x[2] = In(-0.75);  // truncates to 0 but is true
  }
  return x;
}

TEST(Cast, EveryDtypePairAtOddSizes) {
  for_each_type<float, double, int32_t, bool_t>([](auto in_zero) {
    using In = decltype(in_zero);
    for_each_type<float, double, int32_t, bool_t>([](auto out_zero) {
      using Out = decltype(out_zero);
      for (int64_t n : kOddSizes) {
        const auto x = cast_inputs<In>(n);
        std::vector<Out> want(n);
        for (int64_t i = 0; i < n; ++i)
          want[i] = std::is_same_v<Out, bool_t> ? Out(x[i] != In(0)) : static_cast<Out>(x[i]);
        expect_bitwise_equal(run1<Out>(OpId::cast, {from_vector(x, {n})}, {n}), want);
      }
    });
  });
}

TEST(Cast, NanAndInfinityToBoolAreTrue) {
  const std::vector<float> x = {std::nanf(""), INFINITY, -INFINITY, -0.0f, 0.0f};
  expect_bitwise_equal(run1<bool_t>(OpId::cast, {from_vector(x, {5})}, {5}), std::vector<bool_t>{1, 1, 1, 0, 0});
}

TEST(Cast, LargeFloatToIntIsThreadCountIndependent) {
  const int64_t n = int64_t{1} << 20;
  const auto x = from_vector(sample<float>(n, 5, -1e6, 1e6), {n});
  expect_thread_count_independent([&] { return run1<int32_t>(OpId::cast, {x}, {n}); });
}

// ---- random ---------------------------------------------------------------------------

const OpId kRandomOps[] = {OpId::random_uniform, OpId::random_normal, OpId::truncated_normal};

// Attributes [seed, offset, a, b]: (min, max) for uniform, (mean, stddev) for the normals.
template <typename T>
std::vector<T> random_values(OpId op, int64_t n, double seed, double offset, double a = 0.0, double b = 1.0) {
  return run1<T>(op, {}, {n}, {seed, offset, a, b});
}

template <typename T>
int64_t count_equal(const std::vector<T>& a, const std::vector<T>& b) {
  int64_t same = 0;
  for (size_t i = 0; i < a.size(); ++i) same += a[i] == b[i];
  return same;
}

TEST(Random, SameSeedAndOffsetGiveSameNumbersOthersDiffer) {
  for (OpId op : kRandomOps) {
    SCOPED_TRACE(kOpInfo[static_cast<int>(op)].name);
    for_each_type<float, double>([op](auto zero) {
      using T = decltype(zero);
      const auto base = random_values<T>(op, 129, 42, 3);
      expect_bitwise_equal(random_values<T>(op, 129, 42, 3), base);
      EXPECT_LE(count_equal(random_values<T>(op, 129, 42, 4), base), 1);
      EXPECT_LE(count_equal(random_values<T>(op, 129, 43, 3), base), 1);
    });
  }
}

TEST(Random, ElementDependsOnlyOnItsIndex) {
  // A tensor of 7 is the first 7 numbers of a tensor of 129 with the same seed and offset.
  for (OpId op : kRandomOps) {
    SCOPED_TRACE(kOpInfo[static_cast<int>(op)].name);
    for (int64_t n : kOddSizes) {
      auto longer = random_values<float>(op, 129, 9, 1);
      longer.resize(n);
      expect_bitwise_equal(random_values<float>(op, n, 9, 1), longer);
    }
  }
}

TEST(Random, NumbersArePhiloxWordsOfTheElementIndex) {
  // The definition the CUDA kernels share (philox.h): element i of uniform reads word i,
  // element i of normal reads words 2i and 2i+1 (Box-Muller). Seeds and offsets above 2^32
  // use both halves of the key and of the counter.
  for (const double seed : {0.0, 7.0, 1099511627781.0})
    for (const double offset : {0.0, 3.0, 4294967301.0}) {
      SCOPED_TRACE(::testing::Message() << "seed " << seed << " offset " << offset);
      const auto word = [&](uint64_t i) {
        return philox_uniform01(philox_word(static_cast<uint64_t>(seed), static_cast<uint64_t>(offset), i));
      };
      std::vector<double> uniform(129), normal(129);
      for (uint64_t i = 0; i < 129; ++i) {
        uniform[i] = -1.0 + 4.0 * (1.0 - word(i));
        const float z = std::sqrt(-2.0f * std::log(word(2 * i))) * std::cos(6.283185307179586f * word(2 * i + 1));
        normal[i] = 0.5 + 2.0 * z;
      }
      expect_bitwise_equal(random_values<double>(OpId::random_uniform, 129, seed, offset, -1.0, 3.0), uniform);
      expect_bitwise_equal(random_values<double>(OpId::random_normal, 129, seed, offset, 0.5, 2.0), normal);
    }
}

TEST(Random, Float32IsFloat64Rounded) {
  // One seed gives the same numbers whatever the dtype (and device).
  for (OpId op : kRandomOps) {
    SCOPED_TRACE(kOpInfo[static_cast<int>(op)].name);
    const auto f64 = random_values<double>(op, 129, 5, 0, -1.0, 3.0);
    std::vector<float> rounded(f64.begin(), f64.end());
    expect_bitwise_equal(random_values<float>(op, 129, 5, 0, -1.0, 3.0), rounded);
  }
}

TEST(Random, LargeTensorsAreThreadCountIndependent) {
  const int64_t n = int64_t{1} << 20;
  for (OpId op : kRandomOps) {
    SCOPED_TRACE(kOpInfo[static_cast<int>(op)].name);
    expect_thread_count_independent([&] { return random_values<float>(op, n, 1234, 77, 0.5, 2.0); });
  }
}

struct Moments {
  double mean = 0, stddev = 0, min = INFINITY, max = -INFINITY;
};

template <typename T>
Moments moments_of(const std::vector<T>& v) {
  Moments m;
  for (T x : v) {
    m.mean += x;
    m.min = std::min<double>(m.min, x);
    m.max = std::max<double>(m.max, x);
  }
  m.mean /= v.size();
  for (T x : v) m.stddev += (x - m.mean) * (x - m.mean);
  m.stddev = std::sqrt(m.stddev / v.size());
  return m;
}

constexpr int64_t kSamples = 100000;

TEST(RandomUniform, RangeMeanAndStddev) {
  for_each_type<float, double>([](auto zero) {
    using T = decltype(zero);
    const double lo = -2.0, hi = 3.0;
    const Moments m = moments_of(random_values<T>(OpId::random_uniform, kSamples, 2024, 0, lo, hi));
    EXPECT_GE(m.min, lo);
    EXPECT_LT(m.max, hi);
    EXPECT_NEAR(m.mean, 0.5, 0.03);
    EXPECT_NEAR(m.stddev, (hi - lo) / std::sqrt(12.0), 0.03);
  });
}

TEST(RandomUniform, Float32NeverReachesMax) {
  // Seed 7 at offset 13619867 draws the smallest uniform word at element 0: 1 + (1 - 2^-24)
  // rounds to 2 in float32, which [min, max) excludes.
  EXPECT_LT(random_values<float>(OpId::random_uniform, 1, 7, 13619867, 1.0, 2.0)[0], 2.0f);
  EXPECT_LT(random_values<double>(OpId::random_uniform, 1, 7, 13619867, 1.0, 2.0)[0], 2.0);
}

TEST(RandomNormal, MeanAndStddev) {
  for_each_type<float, double>([](auto zero) {
    using T = decltype(zero);
    const Moments m = moments_of(random_values<T>(OpId::random_normal, kSamples, 99, 5, 1.0, 2.0));
    EXPECT_NEAR(m.mean, 1.0, 0.03);
    EXPECT_NEAR(m.stddev, 2.0, 0.03);
    EXPECT_LT(m.min, 1.0 - 2 * 3.5);  // the tails are there
    EXPECT_GT(m.max, 1.0 + 2 * 3.5);
  });
}

TEST(TruncatedNormal, WithinTwoStddevsWithTheTruncatedMoments) {
  for_each_type<float, double>([](auto zero) {
    using T = decltype(zero);
    const double mean = -1.0, stddev = 0.5;
    const Moments m = moments_of(random_values<T>(OpId::truncated_normal, kSamples, 31, 2, mean, stddev));
    EXPECT_GE(m.min, mean - 2 * stddev);
    EXPECT_LE(m.max, mean + 2 * stddev);
    EXPECT_NEAR(m.mean, mean, 0.01);
    // A standard normal cut at +-2 has standard deviation 0.8796.
    EXPECT_NEAR(m.stddev, 0.8796 * stddev, 0.01);
  });
}

}  // namespace
}  // namespace tessera::testing
