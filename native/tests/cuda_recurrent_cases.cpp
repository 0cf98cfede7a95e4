// CPU-vs-CUDA cases of the recurrent cells, forward and backward (cuda_consistency.h):
// one unit, odd batches and units, sizes past one GEMM tile, both GRU variants.
#include <vector>

#include "cuda_case_makers.h"
#include "cuda_gemm_tolerance.h"

namespace tessera::testing {
namespace {

using Shape = std::vector<int64_t>;

CudaCase cell_case(OpId op, DType dtype, std::vector<Shape> ins, std::vector<Shape> outs, int64_t k,
                   std::vector<double> attrs = {}) {
  CudaCase c;
  c.op = op;
  c.input_dtypes.assign(ins.size(), dtype);
  c.inputs = std::move(ins);
  for (auto& s : outs) c.outs.push_back({dtype, s});
  c.attrs = std::move(attrs);
  // Saved gates and states are activations: in (0, 1) serves every one of them.
  c.make_input = reals_in(-1, 1);
  set_gemm_tolerance(c, dtype, k);
  return c;
}

const CudaCaseRegistrar kRecurrentCases([] {
  std::vector<CudaCase> all;
  const std::vector<std::pair<int64_t, int64_t>> sizes = {{1, 1}, {3, 7}, {17, 33}, {64, 129}, {128, 256}};
  for (DType dtype : {DType::Float32, DType::Float64}) {
    for (const auto& [b, u] : sizes) {
      if (dtype == DType::Float64 && b > 64) continue;
      const Shape bu = {b, u}, uu = {u, u}, b4 = {b, 4 * u}, u4 = {u, 4 * u}, b3 = {b, 3 * u}, u3 = {u, 3 * u},
                  r3 = {3 * u};
      // k: the longest sum of products among the outputs (the recurrent GEMMs' K).
      const int64_t k = std::max(4 * u, b);
      all.push_back(cell_case(OpId::simple_rnn_cell, dtype, {bu, bu, uu}, {bu}, k));
      all.push_back(cell_case(OpId::simple_rnn_cell_backward, dtype, {bu, uu, bu, bu}, {bu, bu, uu}, k));
      all.push_back(cell_case(OpId::lstm_cell, dtype, {b4, bu, bu, u4}, {bu, bu, b4}, k));
      all.push_back(cell_case(OpId::lstm_cell_backward, dtype, {bu, bu, u4, b4, bu, bu, bu}, {b4, bu, bu, u4}, k));
      for (double reset_after : {0.0, 1.0}) {
        all.push_back(cell_case(OpId::gru_cell, dtype, {b3, bu, u3, r3}, {bu, b4}, k, {reset_after}));
        all.push_back(cell_case(OpId::gru_cell_backward, dtype, {bu, u3, b4, bu}, {b3, bu, u3, r3}, k, {reset_after}));
      }
    }
  }
  return all;
});

}  // namespace
}  // namespace tessera::testing
