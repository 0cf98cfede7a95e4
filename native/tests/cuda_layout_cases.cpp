// CPU-vs-CUDA cases of the layout kernels, for every element size (bool, 4-byte, 8-byte):
// every permutation of rank 2, 3 and 4 shapes (tiled and row paths, size-1 axes), slices,
// concat along each axis, gather with valid indices, pad, tile, unsorted_segment_sum
// (ids out of range dropped). Plus CUDA-only tests: an index out of range is an error
// that names it, and the device keeps working.
#include <algorithm>
#include <numeric>

#include "cuda_case_makers.h"
#include "tessera/cuda_loader.h"
#include "tessera/errors.h"

namespace tessera::testing {
namespace {

const DType kAll[] = {DType::Float32, DType::Int32, DType::Float64, DType::Bool};

std::vector<std::vector<int64_t>> permutations(int rank) {
  std::vector<int64_t> p(rank);
  std::iota(p.begin(), p.end(), 0);
  std::vector<std::vector<int64_t>> all;
  do all.push_back(p);
  while (std::next_permutation(p.begin(), p.end()));
  return all;
}

CudaCase transpose_case(DType dtype, const std::vector<int64_t>& shape, const std::vector<int64_t>& perm) {
  std::vector<int64_t> out(shape.size());
  for (size_t d = 0; d < shape.size(); ++d) out[d] = shape[perm[d]];
  return simple_case(OpId::transpose, dtype, {shape}, out, std::vector<double>(perm.begin(), perm.end()));
}

const CudaCaseRegistrar kTransposeCases([] {
  std::vector<CudaCase> all;
  for (DType dtype : kAll) {
    for (const auto& shape : {std::vector<int64_t>{1, 1}, std::vector<int64_t>{7, 1}, std::vector<int64_t>{129, 257},
                              std::vector<int64_t>{1031, 1027}, std::vector<int64_t>{3, 3000}})
      for (const auto& p : permutations(2)) all.push_back(transpose_case(dtype, shape, p));
    for (const auto& shape :
         {std::vector<int64_t>{7, 33, 65}, std::vector<int64_t>{1, 17, 129}, std::vector<int64_t>{2, 3, 4}})
      for (const auto& p : permutations(3)) all.push_back(transpose_case(dtype, shape, p));
    for (const auto& shape : {std::vector<int64_t>{3, 5, 7, 9}, std::vector<int64_t>{1, 7, 1, 9}})
      for (const auto& p : permutations(4)) all.push_back(transpose_case(dtype, shape, p));
    all.push_back(transpose_case(dtype, {}, {}));
    all.push_back(transpose_case(dtype, {0, 5}, {1, 0}));
  }
  return all;
});

const CudaCaseRegistrar kSliceCases([] {
  std::vector<CudaCase> all;
  // in, begin, out
  const std::vector<std::vector<std::vector<int64_t>>> slices = {
      {{7}, {2}, {4}},
      {{17, 129}, {3, 5}, {10, 100}},
      {{17, 129}, {0, 0}, {17, 129}},
      {{3, 5, 7, 9}, {1, 0, 2, 3}, {2, 5, 3, 6}},
      {{1031, 1027}, {5, 1}, {1000, 1020}},
      {{17, 129}, {4, 7}, {0, 3}},
  };
  for (DType dtype : kAll) {
    for (const auto& s : slices)
      all.push_back(simple_case(OpId::slice, dtype, {s[0]}, s[2], std::vector<double>(s[1].begin(), s[1].end())));
  }
  return all;
});

const CudaCaseRegistrar kConcatCases([] {
  std::vector<CudaCase> all;
  // inputs..., out, axis
  struct Concat {
    std::vector<std::vector<int64_t>> inputs;
    std::vector<int64_t> out;
    int axis;
  };
  const std::vector<Concat> concats = {
      {{{7}, {3}}, {10}, 0},
      {{{17, 129}, {5, 129}, {1, 129}}, {23, 129}, 0},
      {{{17, 129}, {17, 3}, {17, 1}, {17, 64}}, {17, 197}, 1},
      {{{3, 5, 7}, {3, 2, 7}}, {3, 7, 7}, 1},
      {{{3, 5, 7}, {3, 5, 1}, {3, 5, 8}}, {3, 5, 16}, 2},
      {{{2, 0, 4}, {2, 3, 4}}, {2, 3, 4}, 1},
      {{{1000, 1000}, {1000, 24}}, {1000, 1024}, 1},
  };
  for (DType dtype : kAll) {
    for (const auto& c : concats) {
      CudaCase k;
      k.op = OpId::concat;
      k.input_dtypes.assign(c.inputs.size(), dtype);
      k.inputs = c.inputs;
      k.outs = {{dtype, c.out}};
      k.attrs = {static_cast<double>(c.axis)};
      all.push_back(k);
    }
  }
  return all;
});

const CudaCaseRegistrar kGatherCases([] {
  std::vector<CudaCase> all;
  // x, indices, axis, out
  struct Gather {
    std::vector<int64_t> x, ids;
    int axis;
    std::vector<int64_t> out;
  };
  const std::vector<Gather> gathers = {
      {{7}, {5}, 0, {5}},
      {{17, 129}, {40}, 0, {40, 129}},
      {{17, 129}, {3, 4}, 1, {17, 3, 4}},
      {{3, 5, 7}, {9}, 2, {3, 5, 9}},
      {{50000, 64}, {4096}, 0, {4096, 64}},
      {{17, 129}, {0}, 0, {0, 129}},
      {{17, 129}, {}, 1, {17}},
  };
  for (DType dtype : kAll) {
    for (const auto& g : gathers) {
      CudaCase c;
      c.op = OpId::gather;
      c.input_dtypes = {dtype, DType::Int32};
      c.inputs = {g.x, g.ids};
      c.outs = {{dtype, g.out}};
      c.attrs = {static_cast<double>(g.axis)};
      c.make_input = with_indices(1, 0, static_cast<int32_t>(g.x[g.axis]));
      all.push_back(c);
    }
  }
  return all;
});

const CudaCaseRegistrar kPadTileCases([] {
  std::vector<CudaCase> all;
  for (DType dtype : kAll) {
    all.push_back(simple_case(OpId::pad, dtype, {{7}}, {12}, {2, 3, 1.0}));
    // A bool pads with 1: a negative value has no defined bool conversion.
    all.push_back(
        simple_case(OpId::pad, dtype, {{17, 129}}, {20, 131}, {1, 2, 0, 2, dtype == DType::Bool ? 1.0 : -2.5}));
    all.push_back(simple_case(OpId::pad, dtype, {{3, 5, 7}}, {3, 9, 8}, {0, 0, 4, 0, 0, 1, 0.0}));
    all.push_back(simple_case(OpId::pad, dtype, {{0, 3}}, {2, 5}, {1, 1, 1, 1, 7.0}));
    all.push_back(simple_case(OpId::pad, dtype, {{1000, 1000}}, {1002, 1024}, {1, 1, 0, 24, 3.0}));
    all.push_back(simple_case(OpId::tile, dtype, {{7}}, {21}));
    all.push_back(simple_case(OpId::tile, dtype, {{3, 5}}, {6, 15}));
    all.push_back(simple_case(OpId::tile, dtype, {{2, 1, 3}}, {4, 5, 3}));
    all.push_back(simple_case(OpId::tile, dtype, {{17, 129}}, {34, 258}));
    all.push_back(simple_case(OpId::tile, dtype, {{1000}}, {3000000}));
  }
  return all;
});

const CudaCaseRegistrar kSegmentSumCases([] {
  std::vector<CudaCase> all;
  // data, ids, out
  const std::vector<std::vector<std::vector<int64_t>>> sums = {
      {{100, 17}, {100}, {10, 17}},     {{7}, {7}, {3}},       {{20, 5, 3}, {20, 5}, {4, 3}},
      {{100000, 8}, {100000}, {50, 8}}, {{0, 4}, {0}, {3, 4}},
  };
  for (DType dtype : {DType::Float32, DType::Int32, DType::Float64}) {
    for (const auto& s : sums) {
      CudaCase c;
      c.op = OpId::unsorted_segment_sum;
      c.input_dtypes = {dtype, DType::Int32};
      c.inputs = {s[0], s[1]};
      c.outs = {{dtype, s[2]}};
      // Some ids out of range on both sides: dropped.
      c.make_input = with_indices(1, -2, static_cast<int32_t>(s[2][0] + 2));
      // atomicAdd sums in any order; the CPU sums float32 in float32, so the two orders
      // differ by many ulp on long segments.
      set_tolerance(c, dtype, 1e-4, 0.1, 1e-12, 1e-8);
      all.push_back(c);
    }
  }
  return all;
});

// ---- CUDA only ------------------------------------------------------------------------

const Device kCuda{DeviceType::CUDA, 0};

class CudaIndexErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!cuda_api()) GTEST_SKIP() << "CUDA not available: " << cuda_status().reason;
  }
};

void expect_error_containing(const std::function<void()>& fn, const std::string& text) {
  try {
    fn();
    FAIL() << "no error; expected one containing: " << text;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
  }
}

TEST_F(CudaIndexErrors, GatherOutOfRangeNamesTheIndexAndTheDeviceStillWorks) {
  const auto x = from_vector<float>({1, 2, 3, 4, 5, 6}, {3, 2}, kCuda);
  for (int32_t bad : {3, -1, 1 << 30}) {
    const auto ids = from_vector<int32_t>({0, 2, bad, 1, bad}, {5}, kCuda);
    expect_error_containing(
        [&] {
          run_op(OpId::gather, {x, ids}, {{DType::Float32, {5, 2}}}, {0});
        },
        "gather: index " + std::to_string(bad) + " at position 2 is out of range [0, 3)");
  }
  const auto ids = from_vector<int32_t>({2, 0}, {2}, kCuda);
  const auto out = run_op(OpId::gather, {x, ids}, {{DType::Float32, {2, 2}}}, {0});
  EXPECT_EQ(to_vector<float>(*out[0]), (std::vector<float>{5, 6, 1, 2}));
  backend_for(kCuda).synchronize();
}

TEST_F(CudaIndexErrors, SparseLabelOutOfRangeNamesTheLabelAndTheDeviceStillWorks) {
  const auto logits = from_vector<float>({1, 2, 3, 4, 5, 6}, {2, 3}, kCuda);
  const auto bad = from_vector<int32_t>({1, 3}, {2}, kCuda);
  expect_error_containing(
      [&] {
        run_op(OpId::softmax_cross_entropy_sparse, {logits, bad}, {{DType::Float32, {2}}, {DType::Float32, {2, 3}}});
      },
      "expected labels in [0, 3), got 3 at position 1");
  const auto dloss = from_vector<float>({1, 1}, {2}, kCuda);
  expect_error_containing(
      [&] {
        run_op(OpId::softmax_cross_entropy_sparse_backward, {logits, bad, dloss}, {{DType::Float32, {2, 3}}});
      },
      "got 3 at position 1");
  const auto good = from_vector<int32_t>({0, 2}, {2}, kCuda);
  const auto outs =
      run_op(OpId::softmax_cross_entropy_sparse, {logits, good}, {{DType::Float32, {2}}, {DType::Float32, {2, 3}}});
  const auto loss = to_vector<float>(*outs[0]);
  EXPECT_NEAR(loss[0], 2.4076059f, 1e-5);
  EXPECT_NEAR(loss[1], 0.4076059f, 1e-5);
}

}  // namespace
}  // namespace tessera::testing
