// What the CPU kernel tests share besides kernel_test_util.h: shape arithmetic for the
// naive reference loops, sampling per dtype, a one-output run, bitwise comparison, and
// running the same code under different thread counts.
#pragma once
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <type_traits>
#include <vector>

#include "kernel_test_util.h"
#include "tessera/errors.h"
#include "tessera/thread_pool.h"

namespace tessera::testing {

using Shape = std::vector<int64_t>;
using bool_t = uint8_t;  // tessera's bool element

inline int64_t numel(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

inline Shape unravel(int64_t i, const Shape& shape) {
  Shape idx(shape.size());
  for (int d = static_cast<int>(shape.size()) - 1; d >= 0; --d) {
    idx[d] = i % shape[d];
    i /= shape[d];
  }
  return idx;
}

inline int64_t ravel(const Shape& idx, const Shape& shape) {
  int64_t i = 0;
  for (size_t d = 0; d < shape.size(); ++d) i = i * shape[d] + idx[d];
  return i;
}

// NumPy's rule: right-aligned, a dim of 1 stretches to the other.
inline Shape broadcast_shape(const Shape& a, const Shape& b) {
  Shape out(std::max(a.size(), b.size()), 1);
  for (size_t k = 0; k < out.size(); ++k) {
    const int64_t da = k < a.size() ? a[a.size() - 1 - k] : 1;
    const int64_t db = k < b.size() ? b[b.size() - 1 - k] : 1;
    out[out.size() - 1 - k] = da == 1 ? db : da;
  }
  return out;
}

// The flat index in an operand of shape `in` that output index `out_idx` reads.
inline int64_t broadcast_offset(const Shape& out_idx, const Shape& in) {
  int64_t i = 0;
  const size_t lead = out_idx.size() - in.size();
  for (size_t d = 0; d < in.size(); ++d) i = i * in[d] + (in[d] == 1 ? 0 : out_idx[lead + d]);
  return i;
}

// n values of T: uniform reals in [lo, hi), uniform integers in [lo, hi], or bools.
template <typename T>
std::vector<T> sample(size_t n, uint32_t seed, double lo = -1.0, double hi = 1.0) {
  if constexpr (std::is_floating_point_v<T>) {
    return random_vector<T>(n, seed, lo, hi);
  } else {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int64_t> dist(std::is_same_v<T, bool_t> ? 0 : static_cast<int64_t>(lo),
                                                std::is_same_v<T, bool_t> ? 1 : static_cast<int64_t>(hi));
    std::vector<T> v(n);
    for (auto& x : v) x = static_cast<T>(dist(rng));
    return v;
  }
}

// Relative tolerance against a reference computed in double.
template <typename T>
constexpr double rtol_of() {
  return std::is_same_v<T, float> ? 2e-6 : (std::is_same_v<T, double> ? 1e-13 : 0.0);
}

// Like expect_near_all, but NaN matches NaN and an infinity matches itself.
template <typename T, typename U>
void expect_close(const std::vector<T>& got, const std::vector<U>& want, double rtol, double atol = 1e-6) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    const double g = static_cast<double>(got[i]), w = static_cast<double>(want[i]);
    if (std::isnan(w) || std::isinf(w)) {
      ASSERT_TRUE(std::isnan(w) ? std::isnan(g) : g == w) << "at element " << i << ": got " << g << ", want " << w;
    } else {
      ASSERT_NEAR(g, w, atol + rtol * std::fabs(w)) << "at element " << i;
    }
  }
}

// Runs a one-output kernel and reads its output back.
template <typename Out>
std::vector<Out> run1(OpId op, const std::vector<std::shared_ptr<TensorImpl>>& inputs, const Shape& out_shape,
                      const std::vector<double>& attrs = {}) {
  return to_vector<Out>(*run_op(op, inputs, {{DTypeOf<Out>::value, out_shape}}, attrs)[0]);
}

// Equal to the bit (NaN equals NaN): for results that must not depend on how work is split.
template <typename T>
void expect_bitwise_equal(const std::vector<T>& got, const std::vector<T>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i)
    ASSERT_EQ(std::memcmp(&got[i], &want[i], sizeof(T)), 0)
        << "at element " << i << ": " << +got[i] << " vs " << +want[i];
}

// Sets the pool's thread count for a scope, and restores it.
class ScopedThreads {
 public:
  explicit ScopedThreads(int n) : saved_(num_threads()) { set_num_threads(n); }
  ~ScopedThreads() { set_num_threads(saved_); }

 private:
  int saved_;
};

// Runs produce() with one thread and with two; the outputs must be bitwise equal.
template <typename Produce>
void expect_thread_count_independent(Produce produce) {
  decltype(produce()) serial, parallel;
  {
    ScopedThreads one(1);
    serial = produce();
  }
  {
    ScopedThreads two(2);
    parallel = produce();
  }
  expect_bitwise_equal(parallel, serial);
}

// Calls f(T{}) for each listed element type, with the dtype's name in failure messages.
template <typename... Ts, typename F>
void for_each_type(F f) {
  (
      [&] {
        SCOPED_TRACE(dtype_name(DTypeOf<Ts>::value));
        f(Ts{});
      }(),
      ...);
}

inline constexpr int64_t kOddSizes[] = {1, 7, 17, 129};

}  // namespace tessera::testing
