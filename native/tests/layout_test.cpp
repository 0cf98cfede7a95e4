// transpose, slice, concat, gather, pad, tile and unsorted_segment_sum against naive loops,
// for every dtype (they move 1-, 4- and 8-byte elements).
#include <algorithm>
#include <numeric>

#include "kernel_reference.h"

namespace tessera::testing {
namespace {

const char* op_name(OpId op) { return kOpInfo[static_cast<int>(op)].name; }

// out[i] = x[source(index of i)], or `fill` where source gives -1.
template <typename T, typename Source>
std::vector<T> layout_reference(const std::vector<T>& x, const Shape& out_shape, Source source, T fill) {
  std::vector<T> y(numel(out_shape));
  for (int64_t i = 0; i < numel(out_shape); ++i) {
    const int64_t s = source(unravel(i, out_shape));
    y[i] = s < 0 ? fill : x[s];
  }
  return y;
}

// Runs a one-input layout op on random values of every dtype and compares to the bit.
template <typename Source>
void expect_layout_matches(OpId op, const Shape& in_shape, const Shape& out_shape, const std::vector<double>& attrs,
                           Source source, double fill = 0) {
  SCOPED_TRACE(::testing::Message() << op_name(op) << " " << ::testing::PrintToString(in_shape) << " -> "
                                    << ::testing::PrintToString(out_shape) << " attrs "
                                    << ::testing::PrintToString(attrs));
  for_each_type<float, double, int32_t, bool_t>([&](auto zero) {
    using T = decltype(zero);
    const auto x = sample<T>(numel(in_shape), static_cast<uint32_t>(numel(in_shape)), -100, 100);
    expect_bitwise_equal(run1<T>(op, {from_vector(x, in_shape)}, out_shape, attrs),
                         layout_reference(x, out_shape, source, static_cast<T>(fill)));
  });
}

std::vector<double> as_attrs(const Shape& v) { return std::vector<double>(v.begin(), v.end()); }

// ---- transpose ------------------------------------------------------------------------

void expect_every_permutation(const Shape& shape) {
  Shape perm(shape.size());
  std::iota(perm.begin(), perm.end(), 0);
  do {
    Shape out_shape(shape.size());
    for (size_t d = 0; d < shape.size(); ++d) out_shape[d] = shape[perm[d]];
    expect_layout_matches(OpId::transpose, shape, out_shape, as_attrs(perm), [&](const Shape& idx) {
      Shape in(shape.size());
      for (size_t d = 0; d < shape.size(); ++d) in[perm[d]] = idx[d];
      return ravel(in, shape);
    });
  } while (std::next_permutation(perm.begin(), perm.end()));
}

TEST(Transpose, EveryPermutationOfRank3And4) {
  expect_every_permutation({3, 5, 7});
  expect_every_permutation({17, 1, 7});
  expect_every_permutation({2, 3, 1, 5});
}

TEST(Transpose, Rank0And1AndEmpty) {
  expect_every_permutation({});
  expect_every_permutation({129});
  expect_every_permutation({3, 0, 5});
}

TEST(Transpose, LargeIsThreadCountIndependent) {
  const auto x = from_vector(sample<float>(1 << 20, 1), {1024, 1024});
  expect_thread_count_independent([&] { return run1<float>(OpId::transpose, {x}, {1024, 1024}, {1, 0}); });
}

// ---- slice ----------------------------------------------------------------------------

void expect_slice_matches(const Shape& shape, const Shape& begin, const Shape& size) {
  expect_layout_matches(OpId::slice, shape, size, as_attrs(begin), [&](const Shape& idx) {
    Shape in(idx);
    for (size_t d = 0; d < in.size(); ++d) in[d] += begin[d];
    return ravel(in, shape);
  });
}

TEST(Slice, WithBeginsAtOddShapes) {
  expect_slice_matches({7, 17, 5}, {2, 3, 1}, {4, 13, 3});
  expect_slice_matches({7, 17, 5}, {0, 0, 0}, {7, 17, 5});
  expect_slice_matches({7, 17, 5}, {6, 16, 4}, {1, 1, 1});
  expect_slice_matches({7, 17, 5}, {1, 0, 2}, {5, 17, 1});
  expect_slice_matches({7, 17, 5}, {1, 2, 0}, {5, 0, 5});
  expect_slice_matches({129}, {5}, {100});
  expect_slice_matches({2, 3, 4, 5}, {1, 1, 1, 1}, {1, 2, 3, 4});
  // Trailing dimensions taken whole merge into the copied rows.
  expect_slice_matches({7, 17, 5}, {2, 0, 0}, {3, 17, 5});
  expect_slice_matches({7, 17, 5}, {1, 3, 0}, {5, 10, 5});
  expect_slice_matches({9, 4, 3, 1}, {4, 0, 0, 0}, {5, 4, 3, 1});
  expect_slice_matches({}, {}, {});
}

// ---- concat ---------------------------------------------------------------------------

TEST(Concat, ThreeInputsOnEachAxis) {
  const Shape base = {3, 5, 7};
  for (int axis = 0; axis < 3; ++axis) {
    for (const Shape& extents : {Shape{2, 1, 3}, Shape{1, 0, 17}}) {
      SCOPED_TRACE(::testing::Message() << "axis " << axis << " extents " << ::testing::PrintToString(extents));
      std::vector<Shape> shapes(3, base);
      Shape out_shape = base;
      out_shape[axis] = 0;
      for (int k = 0; k < 3; ++k) {
        shapes[k][axis] = extents[k];
        out_shape[axis] += extents[k];
      }
      for_each_type<float, double, int32_t, bool_t>([&](auto zero) {
        using T = decltype(zero);
        std::vector<std::vector<T>> parts;
        std::vector<std::shared_ptr<TensorImpl>> inputs;
        for (int k = 0; k < 3; ++k) {
          parts.push_back(sample<T>(numel(shapes[k]), 10 + k, -100, 100));
          inputs.push_back(from_vector(parts.back(), shapes[k]));
        }
        std::vector<T> want(numel(out_shape));
        for (int64_t i = 0; i < numel(out_shape); ++i) {
          Shape idx = unravel(i, out_shape);
          int k = 0;
          while (idx[axis] >= shapes[k][axis]) idx[axis] -= shapes[k++][axis];
          want[i] = parts[k][ravel(idx, shapes[k])];
        }
        expect_bitwise_equal(run1<T>(OpId::concat, inputs, out_shape, {double(axis)}), want);
      });
    }
  }
}

// ---- gather ---------------------------------------------------------------------------

// out = x.shape[:axis] + ids.shape + x.shape[axis+1:]
template <typename T>
std::vector<T> gather_reference(const std::vector<T>& x, const Shape& shape, const std::vector<int32_t>& ids,
                                const Shape& ids_shape, int axis, Shape* out_shape) {
  *out_shape = Shape(shape.begin(), shape.begin() + axis);
  out_shape->insert(out_shape->end(), ids_shape.begin(), ids_shape.end());
  out_shape->insert(out_shape->end(), shape.begin() + axis + 1, shape.end());
  const int id_rank = static_cast<int>(ids_shape.size());
  return layout_reference(
      x, *out_shape,
      [&](const Shape& idx) {
        Shape in(idx.begin(), idx.begin() + axis);
        in.push_back(ids[ravel(Shape(idx.begin() + axis, idx.begin() + axis + id_rank), ids_shape)]);
        in.insert(in.end(), idx.begin() + axis + id_rank, idx.end());
        return ravel(in, shape);
      },
      T{});
}

TEST(Gather, EveryAxisWithRepeatedIndices) {
  const Shape shape = {5, 7, 3};
  for (int axis = 0; axis < 3; ++axis)
    for (const Shape& ids_shape : {Shape{2, 3}, Shape{17}, Shape{}, Shape{0}}) {
      SCOPED_TRACE(::testing::Message() << "axis " << axis << " ids " << ::testing::PrintToString(ids_shape));
      const auto ids = sample<int32_t>(numel(ids_shape), 4, 0, static_cast<double>(shape[axis] - 1));
      for_each_type<float, double, int32_t, bool_t>([&](auto zero) {
        using T = decltype(zero);
        const auto x = sample<T>(numel(shape), 2, -100, 100);
        Shape out_shape;
        const auto want = gather_reference(x, shape, ids, ids_shape, axis, &out_shape);
        expect_bitwise_equal(
            run1<T>(OpId::gather, {from_vector(x, shape), from_vector(ids, ids_shape)}, out_shape, {double(axis)}),
            want);
      });
    }
}

TEST(Gather, OutOfRangeIndexThrowsAndWritesNothing) {
  const std::vector<float> x = {1, 2, 3, 4, 5, 6};
  for (int32_t bad : {3, -1, 1000}) {
    SCOPED_TRACE(bad);
    const auto input = from_vector(x, {3, 2});
    const auto ids = from_vector(std::vector<int32_t>{0, bad, 1}, {3});
    auto out = make_tensor(Device{}, DType::Float32, {3, 2});
    std::fill_n(static_cast<float*>(out->storage->data()), 6, -7.0f);
    TkTensor in_views[2] = {input->view(), ids->view()};
    TkTensor out_view = out->view();
    const double axis = 0;
    const TkKernelArgs args{in_views, 2, &out_view, 1, &axis, 1};
    EXPECT_THROW(backend_for(Device{}).run(OpId::gather, args), Error);
    expect_bitwise_equal(to_vector<float>(*out), std::vector<float>(6, -7.0f));
  }
}

TEST(Gather, LargeIsThreadCountIndependent) {
  const auto x = from_vector(sample<float>(1 << 20, 1), {1024, 1024});
  const auto ids = from_vector(sample<int32_t>(2048, 2, 0, 1023), {2048});
  expect_thread_count_independent([&] { return run1<float>(OpId::gather, {x, ids}, {2048, 1024}, {0}); });
  expect_thread_count_independent([&] { return run1<float>(OpId::gather, {x, ids}, {1024, 2048}, {1}); });
}

// ---- pad ------------------------------------------------------------------------------

// paddings: [before_0, after_0, before_1, after_1, ...]
void expect_pad_matches(const Shape& shape, const Shape& paddings, double value) {
  Shape out_shape(shape);
  for (size_t d = 0; d < shape.size(); ++d) out_shape[d] += paddings[2 * d] + paddings[2 * d + 1];
  std::vector<double> attrs = as_attrs(paddings);
  attrs.push_back(value);
  expect_layout_matches(
      OpId::pad, shape, out_shape, attrs,
      [&](const Shape& idx) -> int64_t {
        Shape in(idx);
        for (size_t d = 0; d < in.size(); ++d) {
          in[d] -= paddings[2 * d];
          if (in[d] < 0 || in[d] >= shape[d]) return -1;
        }
        return ravel(in, shape);
      },
      value);
}

TEST(Pad, OddShapesAndPaddings) {
  expect_pad_matches({3, 1, 5}, {1, 2, 0, 3, 2, 0}, 1);
  expect_pad_matches({3, 1, 5}, {0, 0, 0, 0, 0, 0}, 1);
  expect_pad_matches({129}, {7, 17}, 0);
  expect_pad_matches({7, 17}, {1, 1, 1, 1}, 1);
  expect_pad_matches({0, 3}, {1, 1, 2, 0}, 1);
  expect_pad_matches({}, {}, 1);
}

TEST(Pad, LargeIsThreadCountIndependent) {
  const auto x = from_vector(sample<float>(1 << 20, 1), {1024, 1024});
  expect_thread_count_independent([&] { return run1<float>(OpId::pad, {x}, {1027, 1026}, {1, 2, 0, 2, 0.5}); });
}

// ---- tile -----------------------------------------------------------------------------

void expect_tile_matches(const Shape& shape, const Shape& reps) {
  Shape out_shape(shape);
  for (size_t d = 0; d < shape.size(); ++d) out_shape[d] *= reps[d];
  expect_layout_matches(OpId::tile, shape, out_shape, {}, [&](const Shape& idx) {
    Shape in(idx);
    for (size_t d = 0; d < in.size(); ++d) in[d] %= shape[d];
    return ravel(in, shape);
  });
}

TEST(Tile, OddShapesAndRepeats) {
  expect_tile_matches({3, 1, 5}, {2, 3, 1});
  expect_tile_matches({3, 1, 5}, {1, 1, 1});
  expect_tile_matches({3, 1, 5}, {1, 7, 3});
  expect_tile_matches({7}, {17});
  expect_tile_matches({2, 3, 1, 2}, {2, 1, 3, 2});
  expect_tile_matches({3, 5}, {0, 2});
  expect_tile_matches({}, {});
}

// ---- unsorted_segment_sum -------------------------------------------------------------

// out[s, j] = sum of data[i, j] over i with ids[i] == s; ids out of [0, segments) are dropped.
template <typename T>
std::vector<double> segment_sum_reference(const std::vector<T>& data, const std::vector<int32_t>& ids,
                                          const Shape& out_shape) {
  const int64_t segments = out_shape[0], inner = numel(out_shape) / segments;
  std::vector<double> out(segments * inner, 0.0);
  for (size_t i = 0; i < ids.size(); ++i)
    if (ids[i] >= 0 && ids[i] < segments)
      for (int64_t j = 0; j < inner; ++j) out[ids[i] * inner + j] += static_cast<double>(data[i * inner + j]);
  return out;
}

TEST(UnsortedSegmentSum, RepeatedAndOutOfRangeIds) {
  struct Case {
    Shape data_shape, ids_shape;
    int64_t segments;
  };
  // The last case is large enough for the threads to split the segments between them.
  for (const Case& c : {Case{{7, 5}, {7}, 4}, Case{{3, 4, 5}, {3, 4}, 6}, Case{{129}, {129}, 17},
                        Case{{9, 300}, {9}, 3}, Case{{0, 3}, {0}, 2}, Case{{3000, 40}, {3000}, 500}}) {
    SCOPED_TRACE(::testing::PrintToString(c.data_shape));
    // Ids from -2 to segments + 1: repeats, and some out of range at both ends.
    const auto ids = sample<int32_t>(numel(c.ids_shape), 3, -2, static_cast<double>(c.segments + 1));
    Shape out_shape(c.data_shape.begin() + c.ids_shape.size(), c.data_shape.end());
    out_shape.insert(out_shape.begin(), c.segments);
    for_each_type<float, double, int32_t>([&](auto zero) {
      using T = decltype(zero);
      const auto data = sample<T>(numel(c.data_shape), 5, -50, 50);
      const auto got = run1<T>(OpId::unsorted_segment_sum,
                               {from_vector(data, c.data_shape), from_vector(ids, c.ids_shape)}, out_shape);
      // Float sums of values up to 50 that cancel: an absolute error of a few ulps of 50.
      const double atol = std::is_integral_v<T> ? 0.0 : std::is_same_v<T, float> ? 1e-4 : 1e-12;
      expect_close(got, segment_sum_reference(data, ids, out_shape), rtol_of<T>() * 4, atol);
    });
  }
}

TEST(UnsortedSegmentSum, LargeIsThreadCountIndependent) {
  const auto data = from_vector(sample<float>(1 << 20, 1), {1024, 1024});
  const auto ids = from_vector(sample<int32_t>(1024, 2, 0, 99), {1024});
  expect_thread_count_independent([&] { return run1<float>(OpId::unsorted_segment_sum, {data, ids}, {100, 1024}); });
}

}  // namespace
}  // namespace tessera::testing
