// CPU-vs-CUDA cases of the reductions: every op over adjacent and non-adjacent axes,
// size-1 and empty axes, short rows (a warp each), long rows (a block each, split over
// blocks when few), columns (split over R when few), argmax / argmin with ties and NaN,
// cumsum in both directions and both kinds on both of its paths.
#include "cuda_case_makers.h"

namespace tessera::testing {
namespace {

struct ReduceShape {
  std::vector<int64_t> in;
  std::vector<int64_t> axes;
};

std::vector<int64_t> reduced_shape(const std::vector<int64_t>& in, const std::vector<int64_t>& axes) {
  std::vector<int64_t> out;
  for (size_t d = 0; d < in.size(); ++d) {
    bool reduced = false;
    for (int64_t a : axes) reduced = reduced || a == static_cast<int64_t>(d);
    if (!reduced) out.push_back(in[d]);
  }
  return out;
}

const std::vector<ReduceShape> kReduceShapes = {
    {{7}, {0}},
    {{17, 129}, {0}},
    {{17, 129}, {1}},
    {{17, 129}, {0, 1}},
    {{17, 129}, {}},
    {{3, 5, 7, 9}, {0, 2}},
    {{3, 5, 7, 9}, {1, 3}},
    {{3, 5, 7, 9}, {0, 1, 3}},
    {{3, 5, 7, 9}, {1, 2}},
    {{2, 1, 3}, {1}},
    {{5, 1, 7}, {0, 2}},
    {{3000017}, {0}},
    {{4, 300007}, {1}},
    {{1031, 1027}, {0}},
    {{1031, 1027}, {1}},
    {{100003, 3}, {0}},
    {{3, 1500, 7}, {1}},
    {{0, 5}, {0}},
    {{5, 0}, {1}},
};

const CudaCaseRegistrar kReduceCases([] {
  std::vector<CudaCase> all;
  for (OpId op : {OpId::reduce_sum, OpId::reduce_mean, OpId::reduce_max, OpId::reduce_min, OpId::reduce_prod}) {
    for (DType dtype : {DType::Float32, DType::Int32, DType::Float64}) {
      for (const auto& s : kReduceShapes) {
        CudaCase c = simple_case(op, dtype, {s.in}, reduced_shape(s.in, s.axes),
                                 std::vector<double>(s.axes.begin(), s.axes.end()));
        const bool sums = op == OpId::reduce_sum || op == OpId::reduce_mean || op == OpId::reduce_prod;
        if (sums) set_tolerance(c, dtype, 1e-6, 1e-5, 1e-12, 1e-9);
        if (op == OpId::reduce_prod) c.make_input = dtype == DType::Int32 ? integers_in(-3, 4) : reals_in(0.9, 1.1);
        all.push_back(c);
      }
      CudaCase special = simple_case(op, dtype, {{17, 129}}, {17}, {1});
      special.make_input = special_values();
      if (op == OpId::reduce_sum || op == OpId::reduce_mean || op == OpId::reduce_prod)
        set_tolerance(special, dtype, 1e-6, 1e-5);
      special.label = "special";
      all.push_back(special);
    }
  }
  return all;
});

const CudaCaseRegistrar kArgCases([] {
  std::vector<CudaCase> all;
  const std::vector<std::pair<std::vector<int64_t>, int>> shapes = {
      {{7}, 0},       {{17, 129}, 0}, {{17, 129}, 1}, {{3, 5, 7}, 1}, {{3000017}, 0},
      {{5, 4099}, 1}, {{1031, 3}, 0}, {{1, 1, 9}, 2}, {{4, 1}, 1},
  };
  for (OpId op : {OpId::argmax, OpId::argmin}) {
    for (DType dtype : {DType::Float32, DType::Int32, DType::Float64}) {
      for (const auto& [in, axis] : shapes) {
        std::vector<int64_t> out = in;
        out.erase(out.begin() + axis);
        CudaCase c = simple_case(op, dtype, {in}, out, {static_cast<double>(axis)});
        c.outs[0].dtype = DType::Int32;
        all.push_back(c);
        CudaCase ties = c;
        ties.make_input = integers_in(0, 4);  // many ties: the first index wins
        ties.label = "ties";
        all.push_back(ties);
        CudaCase special = c;
        special.make_input = special_values();  // the first NaN wins
        special.label = "special";
        all.push_back(special);
      }
    }
  }
  return all;
});

const CudaCaseRegistrar kCumsumCases([] {
  std::vector<CudaCase> all;
  const std::vector<std::pair<std::vector<int64_t>, int>> shapes = {
      {{7}, 0}, {{17, 129}, 0}, {{17, 129}, 1}, {{3, 5, 7}, 1}, {{3000017}, 0}, {{5, 40}, 1}, {{1, 1}, 0}, {{0, 3}, 1},
  };
  for (DType dtype : {DType::Float32, DType::Int32, DType::Float64}) {
    for (const auto& [in, axis] : shapes) {
      for (int exclusive = 0; exclusive < 2; ++exclusive) {
        for (int reverse = 0; reverse < 2; ++reverse) {
          if (in[0] == 3000017 && exclusive != reverse) continue;  // time
          CudaCase c =
              simple_case(OpId::cumsum, dtype, {in}, in,
                          {static_cast<double>(axis), static_cast<double>(exclusive), static_cast<double>(reverse)});
          set_tolerance(c, dtype, 1e-6, 1e-4, 1e-12, 1e-8);
          all.push_back(c);
        }
      }
    }
  }
  return all;
});

}  // namespace
}  // namespace tessera::testing
