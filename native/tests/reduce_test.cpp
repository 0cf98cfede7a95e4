// Reductions over every subset of axes, argmax / argmin and cumsum against naive loops.
#include <climits>
#include <cmath>
#include <limits>

#include "kernel_reference.h"

namespace tessera::testing {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const OpId kReductions[] = {OpId::reduce_sum, OpId::reduce_mean, OpId::reduce_max, OpId::reduce_min, OpId::reduce_prod};

const char* op_name(OpId op) { return kOpInfo[static_cast<int>(op)].name; }

// The result of a reduction as doubles: exact for int32 (sums stay far below 2^53).
template <typename T>
double reduction_reference(OpId op, const std::vector<double>& values) {
  const double n = static_cast<double>(values.size());
  double acc = op == OpId::reduce_prod ? 1.0 : 0.0;
  constexpr double kInf = std::numeric_limits<double>::infinity();
  if (op == OpId::reduce_max) acc = std::is_integral_v<T> ? double(INT_MIN) : -kInf;
  if (op == OpId::reduce_min) acc = std::is_integral_v<T> ? double(INT_MAX) : kInf;
  for (double v : values) {
    switch (op) {
      case OpId::reduce_sum:
      case OpId::reduce_mean: acc += v; break;
      case OpId::reduce_prod: acc *= v; break;
      case OpId::reduce_max: acc = std::isnan(acc) || std::isnan(v) ? kNaN : std::max(acc, v); break;
      case OpId::reduce_min: acc = std::isnan(acc) || std::isnan(v) ? kNaN : std::min(acc, v); break;
      default: ADD_FAILURE() << "no reference for " << op_name(op);
    }
  }
  if (op != OpId::reduce_mean) return acc;
  if constexpr (std::is_integral_v<T>) return n == 0 ? 0 : std::trunc(acc / n);
  return n == 0 ? kNaN : acc / n;
}

struct Reduction {
  Shape out_shape;                          // the kept dims (keepDims=false)
  std::vector<std::vector<double>> groups;  // the reduced values of each output element
};

Reduction group_by_kept_dims(const std::vector<double>& x, const Shape& shape, const std::vector<int64_t>& axes) {
  std::vector<bool> reduced(shape.size(), false);
  for (int64_t a : axes) reduced[a] = true;
  Reduction r;
  for (size_t d = 0; d < shape.size(); ++d)
    if (!reduced[d]) r.out_shape.push_back(shape[d]);
  r.groups.resize(numel(r.out_shape));
  for (int64_t i = 0; i < numel(shape); ++i) {
    const Shape idx = unravel(i, shape);
    Shape kept;
    for (size_t d = 0; d < shape.size(); ++d)
      if (!reduced[d]) kept.push_back(idx[d]);
    r.groups[ravel(kept, r.out_shape)].push_back(x[i]);
  }
  return r;
}

// Runs op over `axes` and compares with the naive reduction of each output element.
template <typename T>
void expect_reduction_matches(OpId op, const std::vector<T>& x, const Shape& shape, const std::vector<int64_t>& axes) {
  SCOPED_TRACE(::testing::Message() << op_name(op) << " of " << ::testing::PrintToString(shape) << " over axes "
                                    << ::testing::PrintToString(axes));
  const Reduction r = group_by_kept_dims(std::vector<double>(x.begin(), x.end()), shape, axes);
  std::vector<double> want;
  for (const auto& group : r.groups)
    want.push_back(static_cast<double>(static_cast<T>(reduction_reference<T>(op, group))));
  const auto got = run1<T>(op, {from_vector(x, shape)}, r.out_shape, std::vector<double>(axes.begin(), axes.end()));
  expect_close(got, want, rtol_of<T>() * 4, std::is_integral_v<T> ? 0.0 : 1e-12);
}

// Values whose products stay representable: near 1 for reals; -1, 1 and a few 2s for ints.
template <typename T>
std::vector<T> reduction_inputs(OpId op, int64_t n, uint32_t seed) {
  if (op != OpId::reduce_prod) return sample<T>(n, seed, -50, 50);
  auto x = sample<T>(n, seed, std::is_integral_v<T> ? -1 : 0.5, std::is_integral_v<T> ? 1 : 1.5);
  for (int64_t i = 0; i < n; ++i)
    if (x[i] == 0) x[i] = i % 16 == 0 ? 2 : 1;
  return x;
}

// Every subset of the axes of `shape`, adjacent or not, the empty set included.
std::vector<std::vector<int64_t>> all_axis_subsets(const Shape& shape) {
  std::vector<std::vector<int64_t>> subsets;
  for (int mask = 0; mask < (1 << shape.size()); ++mask) {
    std::vector<int64_t> axes;
    for (size_t d = 0; d < shape.size(); ++d)
      if (mask & (1 << d)) axes.push_back(static_cast<int64_t>(d));
    subsets.push_back(axes);
  }
  return subsets;
}

const Shape kReduceShapes[] = {{7, 1, 17}, {3, 4, 5, 7}, {129}};

TEST(Reduce, EveryOpOverEverySubsetOfAxes) {
  for_each_type<float, double, int32_t>([](auto zero) {
    using T = decltype(zero);
    uint32_t seed = 1;
    for (OpId op : kReductions)
      for (const Shape& shape : kReduceShapes) {
        const auto x = reduction_inputs<T>(op, numel(shape), seed++);
        for (const auto& axes : all_axis_subsets(shape)) expect_reduction_matches(op, x, shape, axes);
      }
  });
}

TEST(Reduce, EmptyReductionsGiveTheIdentity) {
  // sum 0, prod 1, mean NaN (0 for ints), max -inf (INT_MIN), min +inf (INT_MAX).
  for_each_type<float, double, int32_t>([](auto zero) {
    using T = decltype(zero);
    for (OpId op : kReductions) {
      expect_reduction_matches<T>(op, {}, {3, 0, 5}, {1});
      expect_reduction_matches<T>(op, {}, {3, 0, 5}, {0, 1, 2});
      expect_reduction_matches<T>(op, {}, {3, 0, 5}, {0, 2});
      expect_reduction_matches<T>(op, {}, {0, 3}, {0});
      expect_reduction_matches<T>(op, {}, {0}, {0});
    }
  });
}

TEST(Reduce, MaxAndMinPropagateNaN) {
  for_each_type<float, double>([](auto zero) {
    using T = decltype(zero);
    const Shape shape = {5, 7, 3};
    auto x = sample<T>(numel(shape), 4, -5, 5);
    // First, middle and last elements, so both the row and the column paths meet a NaN first and last.
    for (int64_t i : {int64_t{0}, int64_t{52}, numel(shape) - 1}) x[i] = T(kNaN);
    for (OpId op : {OpId::reduce_max, OpId::reduce_min, OpId::reduce_sum})
      for (const auto& axes : all_axis_subsets(shape)) expect_reduction_matches(op, x, shape, axes);
  });
}

TEST(Reduce, LargeSumIsAccurateAndThreadCountIndependent) {
  // Rows of 2^20 (one output), columns of 1024 (the tiled path), and non-adjacent axes.
  const auto x = sample<float>(1 << 20, 6, 0, 1);
  struct Case {
    Shape shape;
    std::vector<int64_t> axes;
  };
  for (const Case& c :
       {Case{{1 << 20}, {0}}, Case{{1024, 1024}, {0}}, Case{{1024, 1024}, {1}}, Case{{64, 128, 128}, {0, 2}}}) {
    expect_reduction_matches(OpId::reduce_sum, x, c.shape, c.axes);
    const auto input = from_vector(x, c.shape);
    const Shape kept = group_by_kept_dims(std::vector<double>(x.begin(), x.end()), c.shape, c.axes).out_shape;
    for (OpId op : {OpId::reduce_sum, OpId::reduce_max}) {
      expect_thread_count_independent(
          [&] { return run1<float>(op, {input}, kept, std::vector<double>(c.axes.begin(), c.axes.end())); });
    }
  }
}

// ---- argmax / argmin ------------------------------------------------------------------

// The index along `axis` of the first maximum (or minimum); a NaN wins at its first place.
template <typename T>
std::vector<int32_t> arg_reference(bool is_max, const std::vector<T>& x, const Shape& shape, int axis) {
  Shape out_shape = shape;
  out_shape.erase(out_shape.begin() + axis);
  std::vector<int32_t> want(numel(out_shape));
  for (int64_t j = 0; j < numel(out_shape); ++j) {
    Shape idx = unravel(j, out_shape);
    idx.insert(idx.begin() + axis, 0);
    int32_t best = -1;
    T best_v{};
    for (int64_t k = 0; k < shape[axis]; ++k) {
      idx[axis] = k;
      const T v = x[ravel(idx, shape)];
      if (std::isnan(static_cast<double>(v))) {
        best = static_cast<int32_t>(k);
        break;
      }
      if (best < 0 || (is_max ? v > best_v : v < best_v)) {
        best = static_cast<int32_t>(k);
        best_v = v;
      }
    }
    want[j] = best;
  }
  return want;
}

template <typename T>
void expect_arg_reductions_match(const std::vector<T>& x, const Shape& shape) {
  for (int axis = 0; axis < static_cast<int>(shape.size()); ++axis) {
    SCOPED_TRACE(::testing::Message() << "axis " << axis << " of " << ::testing::PrintToString(shape));
    Shape out_shape = shape;
    out_shape.erase(out_shape.begin() + axis);
    for (bool is_max : {true, false}) {
      const auto got =
          run1<int32_t>(is_max ? OpId::argmax : OpId::argmin, {from_vector(x, shape)}, out_shape, {double(axis)});
      expect_bitwise_equal(got, arg_reference(is_max, x, shape, axis));
    }
  }
}

TEST(ArgReduce, EveryAxisWithTiesTakingTheFirstIndex) {
  // Few distinct values, so most rows hold ties.
  for_each_type<float, double, int32_t>([](auto zero) {
    using T = decltype(zero);
    for (const Shape& shape : {Shape{7, 17, 5}, Shape{129}, Shape{1, 7, 1}, Shape{3, 129}}) {
      auto x = sample<T>(numel(shape), 8, 0, 3);
      for (T& v : x) v = static_cast<T>(std::floor(static_cast<double>(v)));
      expect_arg_reductions_match(x, shape);
    }
  });
}

TEST(ArgReduce, NaNWinsAtItsFirstPlace) {
  for_each_type<float, double>([](auto zero) {
    using T = decltype(zero);
    const Shape shape = {5, 7, 3};
    auto x = sample<T>(numel(shape), 2, -5, 5);
    for (int64_t i : {int64_t{0}, int64_t{10}, int64_t{52}, int64_t{53}, numel(shape) - 1}) x[i] = T(kNaN);
    expect_arg_reductions_match(x, shape);
  });
}

TEST(ArgReduce, EmptyAxisThrows) {
  EXPECT_THROW(run1<int32_t>(OpId::argmax, {from_vector(std::vector<float>{}, {3, 0})}, {3}, {1}), Error);
  EXPECT_THROW(run1<int32_t>(OpId::argmin, {from_vector(std::vector<float>{}, {0})}, {}, {0}), Error);
}

TEST(ArgReduce, LargeIsThreadCountIndependent) {
  const auto x = from_vector(sample<float>(1 << 20, 3), {1024, 1024});
  for (double axis : {0.0, 1.0})
    expect_thread_count_independent([&] { return run1<int32_t>(OpId::argmax, {x}, {1024}, {axis}); });
}

// ---- cumsum ---------------------------------------------------------------------------

template <typename T>
std::vector<double> cumsum_reference(const std::vector<T>& x, const Shape& shape, int axis, bool exclusive,
                                     bool reverse) {
  std::vector<double> want(x.size());
  for (int64_t i = 0; i < numel(shape); ++i) {
    Shape idx = unravel(i, shape);
    const int64_t k = idx[axis];
    double acc = 0;
    for (int64_t s = 0; s < shape[axis]; ++s) {
      const bool before = reverse ? s > k : s < k;
      if (before || (!exclusive && s == k)) {
        idx[axis] = s;
        acc += static_cast<double>(x[ravel(idx, shape)]);
      }
    }
    want[i] = acc;
  }
  return want;
}

TEST(Cumsum, EveryAxisExclusiveAndReverse) {
  for_each_type<float, double, int32_t>([](auto zero) {
    using T = decltype(zero);
    for (const Shape& shape : {Shape{3, 7, 5}, Shape{129}, Shape{17, 1, 7}, Shape{2, 0, 3}, Shape{2, 300}}) {
      const auto x = sample<T>(numel(shape), 5, -9, 9);
      for (int axis = 0; axis < static_cast<int>(shape.size()); ++axis)
        for (bool exclusive : {false, true})
          for (bool reverse : {false, true}) {
            SCOPED_TRACE(::testing::Message() << ::testing::PrintToString(shape) << " axis " << axis
                                              << (exclusive ? " exclusive" : "") << (reverse ? " reverse" : ""));
            const auto got = run1<T>(OpId::cumsum, {from_vector(x, shape)}, shape,
                                     {double(axis), double(exclusive), double(reverse)});
            expect_close(got, cumsum_reference(x, shape, axis, exclusive, reverse), rtol_of<T>() * 10,
                         std::is_integral_v<T> ? 0.0 : 1e-5);
          }
    }
  });
}

TEST(Cumsum, LargeIsThreadCountIndependent) {
  const auto x = from_vector(sample<float>(1 << 20, 3), {1024, 1024});
  for (double axis : {0.0, 1.0})
    expect_thread_count_independent([&] { return run1<float>(OpId::cumsum, {x}, {1024, 1024}, {axis, 0, 1}); });
}

}  // namespace
}  // namespace tessera::testing
