// CPU-vs-CUDA cases of softmax, log-softmax, their backward kernels and the fused
// cross-entropy losses: short rows (a warp each), long rows (a block each), one column.
#include "cuda_case_makers.h"

namespace tessera::testing {
namespace {

const std::vector<std::vector<int64_t>> kRowShapes = {{7, 10}, {17, 129}, {3, 5, 7}, {3, 3000},
                                                      {1, 1},  {1000, 3}, {4, 1}};

std::vector<int64_t> leading(const std::vector<int64_t>& shape) { return {shape.begin(), shape.end() - 1}; }

int64_t classes(const std::vector<int64_t>& shape) { return shape.back(); }

const CudaCaseRegistrar kSoftmaxCases([] {
  std::vector<CudaCase> all;
  for (DType dtype : {DType::Float32, DType::Float64}) {
    for (const auto& shape : kRowShapes) {
      for (OpId op : {OpId::softmax, OpId::log_softmax}) {
        CudaCase c = simple_case(op, dtype, {shape}, shape);
        c.make_input = reals_in(-30, 30);
        // log_softmax(x) = x - (max + log(sum)) cancels: its error is an ulp of |x| <= 30,
        // not of the result (seen on an H100: 3.6e-15 on a result of -1.9e-4).
        const bool log = op == OpId::log_softmax;
        set_tolerance(c, dtype, 1e-5, log ? 1e-5 : 1e-7, 1e-12, log ? 2e-14 : 1e-15);
        all.push_back(c);
      }
      for (OpId op : {OpId::softmax_backward, OpId::log_softmax_backward}) {
        CudaCase c = simple_case(op, dtype, {shape, shape}, shape);
        // y like a softmax (or log-softmax) output, dy any gradient.
        c.make_input =
            reals_per_input({op == OpId::softmax_backward ? std::pair{0.0, 1.0} : std::pair{-10.0, 0.0}, {-1, 1}});
        set_tolerance(c, dtype, 1e-5, 1e-5, 1e-11, 1e-12);
        all.push_back(c);
      }
      const std::vector<int64_t> rows = leading(shape);
      CudaCase sparse;
      sparse.op = OpId::softmax_cross_entropy_sparse;
      sparse.input_dtypes = {dtype, DType::Int32};
      sparse.inputs = {shape, rows};
      sparse.outs = {{dtype, rows}, {dtype, shape}};
      sparse.make_input = with_indices(1, 0, static_cast<int32_t>(classes(shape)));
      set_tolerance(sparse, dtype, 1e-5, 1e-5, 1e-12, 1e-12);
      all.push_back(sparse);

      CudaCase sparse_back;
      sparse_back.op = OpId::softmax_cross_entropy_sparse_backward;
      sparse_back.input_dtypes = {dtype, DType::Int32, dtype};
      sparse_back.inputs = {shape, rows, rows};
      sparse_back.outs = {{dtype, shape}};
      sparse_back.make_input = with_indices(1, 0, static_cast<int32_t>(classes(shape)));
      // Two roundings on both sides, unless the CPU's vectorized loop fuses them (FMA).
      set_tolerance(sparse_back, dtype, 1e-6, 1e-7, 1e-14, 1e-16);
      all.push_back(sparse_back);

      CudaCase dense;
      dense.op = OpId::softmax_cross_entropy;
      dense.input_dtypes = {dtype, dtype};
      dense.inputs = {shape, shape};
      dense.outs = {{dtype, rows}, {dtype, shape}};
      dense.make_input = reals_per_input({{-10, 10}, {0, 1}});
      set_tolerance(dense, dtype, 1e-5, 1e-4, 1e-12, 1e-10);
      all.push_back(dense);

      CudaCase dense_back;
      dense_back.op = OpId::softmax_cross_entropy_backward;
      dense_back.input_dtypes = {dtype, dtype, dtype};
      dense_back.inputs = {shape, shape, rows};
      dense_back.outs = {{dtype, shape}};
      dense_back.make_input = reals_per_input({{0, 1}, {0, 1}, {-1, 1}});
      set_tolerance(dense_back, dtype, 1e-5, 1e-6, 1e-12, 1e-14);
      all.push_back(dense_back);
    }
    for (const auto& shape : {std::vector<int64_t>{7}, std::vector<int64_t>{17, 129}, std::vector<int64_t>{3000017}}) {
      CudaCase loss = simple_case(OpId::sigmoid_cross_entropy, dtype, {shape, shape}, shape);
      loss.make_input = reals_per_input({{-30, 30}, {0, 1}});
      set_tolerance(loss, dtype, 1e-5, 1e-6, 1e-12, 1e-14);
      all.push_back(loss);
      CudaCase back = simple_case(OpId::sigmoid_cross_entropy_backward, dtype, {shape, shape, shape}, shape);
      back.make_input = reals_per_input({{-30, 30}, {0, 1}, {-1, 1}});
      set_tolerance(back, dtype, 1e-5, 1e-7, 1e-12, 1e-15);
      all.push_back(back);
    }
  }
  return all;
});

}  // namespace
}  // namespace tessera::testing
