// CPU-vs-CUDA cases of dropout: the same Philox mask and the same values, bit for bit.
#include "cuda_case_makers.h"

namespace tessera::testing {
namespace {

const CudaCaseRegistrar kDropoutCases([] {
  std::vector<CudaCase> all;
  const std::vector<std::vector<int64_t>> shapes = {{0}, {1}, {7}, {17, 129}, {3000017}};
  for (DType dtype : {DType::Float32, DType::Float64}) {
    for (const auto& shape : shapes) {
      for (double rate : {0.0, 0.3, 0.9}) {
        CudaCase c = simple_case(OpId::dropout, dtype, {shape}, shape, {1234567890123.0, 77, rate});
        c.outs.push_back({DType::Bool, shape});
        all.push_back(c);
        CudaCase back;
        back.op = OpId::dropout_backward;
        back.input_dtypes = {dtype, DType::Bool};
        back.inputs = {shape, shape};
        back.outs = {{dtype, shape}};
        back.attrs = {rate};
        all.push_back(back);
      }
    }
  }
  return all;
});

}  // namespace
}  // namespace tessera::testing
