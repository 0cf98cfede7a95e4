// The CPU-vs-CUDA consistency harness: each kernel family registers cases (inputs,
// outputs, attributes, tolerance) from its own test file; one parameterized test runs
// every case on both devices and compares. Cases skip where CUDA does not load; the
// coverage test (cuda_consistency_test.cpp) checks every CPU_CUDA row has cases.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "kernel_test_util.h"

namespace tessera::testing {

// Makes the bytes of input `index` (n elements of `dtype`) for a case; the default draws
// reals in [-100, 100), integers in [-1000, 1000] and bools 0/1.
using InputMaker = std::function<std::vector<uint8_t>(int index, DType dtype, int64_t n, uint32_t seed)>;

struct CudaCase {
  OpId op;
  std::vector<DType> input_dtypes;
  std::vector<std::vector<int64_t>> inputs;
  std::vector<OutSpec> outs;
  std::vector<double> attrs;
  // 0 and 0: bitwise equal. Otherwise |got - want| <= atol + rtol * |want| per element.
  double rtol = 0;
  double atol = 0;
  InputMaker make_input = nullptr;
  // For kernels that write their inputs in place (optimizer updates): compare these
  // inputs after the call instead of outputs.
  std::vector<int> compare_inputs;
  std::string label;  // distinguishes cases with equal shapes

  std::string name() const;
};

// A case whose inputs and single output share one dtype.
CudaCase simple_case(OpId op, DType dtype, std::vector<std::vector<int64_t>> inputs, std::vector<int64_t> out,
                     std::vector<double> attrs = {}, double rtol = 0, double atol = 0);

std::vector<uint8_t> random_bytes(DType dtype, int64_t n, uint32_t seed, double lo = -100, double hi = 100);

// Every registered case.
std::vector<CudaCase>& cuda_cases();

// Registers a family's cases at static-initialization time:
//   static CudaCaseRegistrar reg([] { std::vector<CudaCase> v; ...; return v; });
struct CudaCaseRegistrar {
  explicit CudaCaseRegistrar(const std::function<std::vector<CudaCase>()>& make);
};

}  // namespace tessera::testing
