// CPU-vs-CUDA cases of the whole-sequence recurrent kernels, forward and backward
// (cuda_consistency.h): one step and one unit, odd sizes, the benchmark's width, every
// attribute (activation, go_backwards, reset_after). The backwards read random workspaces:
// both devices compute from the same one, so any values serve.
#include <algorithm>
#include <vector>

#include "cuda_case_makers.h"
#include "cuda_gemm_tolerance.h"

namespace tessera::testing {
namespace {

using Shape = std::vector<int64_t>;

struct Sizes {
  int64_t b, t, f, u;
};

CudaCase sequence_case(OpId op, DType dtype, const Sizes& s, std::vector<Shape> ins, std::vector<Shape> outs,
                       std::vector<double> attrs) {
  CudaCase c;
  c.op = op;
  c.input_dtypes.assign(ins.size(), dtype);
  c.inputs = std::move(ins);
  for (auto& o : outs) c.outs.push_back({dtype, o});
  c.attrs = std::move(attrs);
  // Small values keep the gradients through T steps of random recurrent kernels in range.
  c.make_input = reals_in(-0.3, 0.3);
  // The longest sums: a step's recurrent GEMM, repeated through the steps, and the weight
  // gradients over every (step, row).
  set_gemm_tolerance(c, dtype, s.t * std::max({4 * s.u, s.f, int64_t(1)}) + s.b * s.t);
  return c;
}

const CudaCaseRegistrar kRecurrentSequenceCases([] {
  std::vector<CudaCase> all;
  const std::vector<Sizes> sizes = {{1, 1, 1, 1}, {3, 5, 7, 13}, {4, 17, 9, 33}, {32, 3, 28, 128}};
  for (DType dtype : {DType::Float32, DType::Float64}) {
    for (const Sizes& s : sizes) {
      if (dtype == DType::Float64 && s.u > 64) continue;
      const int64_t b = s.b, t = s.t, f = s.f, u = s.u, rows = b * t;
      const Shape x = {b, t, f}, y = {b, t, u}, bu = {b, u};
      for (double back : {0.0, 1.0}) {
        for (double relu : {0.0, 1.0}) {
          const Shape ws = {(rows + b) * u};
          all.push_back(sequence_case(OpId::simple_rnn_sequence, dtype, s, {x, {f, u}, {u, u}, {u}, bu}, {y, bu, ws},
                                      {relu, back}));
          all.push_back(sequence_case(OpId::simple_rnn_sequence_backward, dtype, s, {x, {f, u}, {u, u}, ws, y, bu},
                                      {x, {f, u}, {u, u}, {u}, bu}, {relu, back}));
        }
        const Shape lstm_ws = {rows * 4 * u + 2 * (rows + b) * u};
        all.push_back(sequence_case(OpId::lstm_sequence, dtype, s, {x, {f, 4 * u}, {u, 4 * u}, {4 * u}, bu, bu},
                                    {y, bu, bu, lstm_ws}, {back}));
        all.push_back(sequence_case(OpId::lstm_sequence_backward, dtype, s,
                                    {x, {f, 4 * u}, {u, 4 * u}, lstm_ws, y, bu, bu},
                                    {x, {f, 4 * u}, {u, 4 * u}, {4 * u}, bu, bu}, {back}));
        const Shape gru_ws = {rows * 4 * u + (rows + b) * u};
        for (double reset_after : {0.0, 1.0}) {
          all.push_back(sequence_case(OpId::gru_sequence, dtype, s, {x, {f, 3 * u}, {u, 3 * u}, {3 * u}, {3 * u}, bu},
                                      {y, bu, gru_ws}, {reset_after, back}));
          all.push_back(sequence_case(OpId::gru_sequence_backward, dtype, s, {x, {f, 3 * u}, {u, 3 * u}, gru_ws, y, bu},
                                      {x, {f, 3 * u}, {u, 3 * u}, {3 * u}, {3 * u}, bu}, {reset_after, back}));
        }
      }
    }
  }
  return all;
});

}  // namespace
}  // namespace tessera::testing
