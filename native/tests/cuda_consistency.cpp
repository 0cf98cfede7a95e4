// The shared parts of the CPU-vs-CUDA harness (cuda_consistency.h), and the cases of
// the foundation kernels: copy, fill, add.
#include "cuda_consistency.h"

#include <cstring>

namespace tessera::testing {

namespace {

template <typename T>
std::vector<uint8_t> bytes_of(const std::vector<T>& values) {
  std::vector<uint8_t> bytes(values.size() * sizeof(T));
  if (!bytes.empty()) std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

std::string shape_name(const std::vector<int64_t>& shape) {
  if (shape.empty()) return "scalar";
  std::string s;
  for (int64_t d : shape) s += (s.empty() ? "" : "x") + std::to_string(d);
  return s;
}

}  // namespace

// Reals in [lo, hi), integers in [-1000, 1000], bools 0 or 1.
std::vector<uint8_t> random_bytes(DType dtype, int64_t n, uint32_t seed, double lo, double hi) {
  const size_t count = static_cast<size_t>(n);
  switch (dtype) {
    case DType::Float32: return bytes_of(random_vector<float>(count, seed, lo, hi));
    case DType::Float64: return bytes_of(random_vector<double>(count, seed, lo, hi));
    case DType::Int32: return bytes_of(random_vector<int32_t>(count, seed, -1000, 1000));
    case DType::Bool: {
      const auto bits = random_vector<int32_t>(count, seed, 0, 2);
      return std::vector<uint8_t>(bits.begin(), bits.end());
    }
  }
  return {};
}

std::string CudaCase::name() const {
  std::string s = std::string(kOpInfo[static_cast<int>(op)].name) + "_" +
                  dtype_name(input_dtypes.empty() ? outs[0].dtype : input_dtypes[0]);
  for (const auto& shape : inputs) s += "_" + shape_name(shape);
  s += "_to_" + shape_name(outs.empty() ? std::vector<int64_t>{} : outs[0].shape);
  for (size_t i = 0; i < attrs.size(); ++i) s += "_a" + std::to_string(static_cast<int64_t>(attrs[i] * 100));
  if (!label.empty()) s += "_" + label;
  for (char& c : s) c = (c == '-' || c == '.' || c == ' ') ? 'm' : c;
  return s;
}

CudaCase simple_case(OpId op, DType dtype, std::vector<std::vector<int64_t>> inputs, std::vector<int64_t> out,
                     std::vector<double> attrs, double rtol, double atol) {
  CudaCase c;
  c.op = op;
  c.input_dtypes.assign(inputs.size(), dtype);
  c.inputs = std::move(inputs);
  c.outs = {{dtype, std::move(out)}};
  c.attrs = std::move(attrs);
  c.rtol = rtol;
  c.atol = atol;
  return c;
}

std::vector<CudaCase>& cuda_cases() {
  static std::vector<CudaCase> all;
  return all;
}

CudaCaseRegistrar::CudaCaseRegistrar(const std::function<std::vector<CudaCase>()>& make) {
  for (auto& c : make()) cuda_cases().push_back(std::move(c));
}

namespace {

const DType kAllDtypes[] = {DType::Float32, DType::Int32, DType::Float64, DType::Bool};
const DType kNumericDtypes[] = {DType::Float32, DType::Int32, DType::Float64};
// Odd sizes catch tail handling; the large one spans many grid-stride iterations.
const std::vector<std::vector<int64_t>> kFlatShapes = {{}, {0}, {1}, {7}, {17, 129}, {3, 5, 7, 9}, {3000017}};

const CudaCaseRegistrar kFoundationCases([] {
  std::vector<CudaCase> all;
  for (DType dtype : kAllDtypes) {
    for (const auto& shape : kFlatShapes) all.push_back(simple_case(OpId::copy, dtype, {shape}, shape));
    for (double value : {0.0, 1.0, 2.5, -3.25}) {
      if (dtype == DType::Bool && value < 0) continue;  // a bool from a negative is not defined
      for (const auto& shape : {std::vector<int64_t>{0}, std::vector<int64_t>{7}, std::vector<int64_t>{1031, 1027}})
        all.push_back(simple_case(OpId::fill, dtype, {}, shape, {value}));
    }
  }
  // (a, b) -> out for NumPy broadcasting: equal shapes, scalars, bias rows, outer
  // products, leading ones, interleaved stretches that do not coalesce, and large ones.
  const std::vector<std::vector<std::vector<int64_t>>> broadcasts = {
      {{7}, {7}, {7}},
      {{3000017}, {3000017}, {3000017}},
      {{}, {}, {}},
      {{17, 129}, {}, {17, 129}},
      {{}, {17, 129}, {17, 129}},
      {{129, 257}, {257}, {129, 257}},
      {{7, 1, 5}, {1, 3, 1}, {7, 3, 5}},
      {{17, 1}, {1, 129}, {17, 129}},
      {{1, 1, 7}, {7}, {1, 1, 7}},
      {{2, 3, 4, 5, 6}, {3, 1, 5, 1}, {2, 3, 4, 5, 6}},
      {{2, 1, 3, 1, 5, 1, 7, 1}, {1, 4, 1, 6, 1, 2, 1, 3}, {2, 4, 3, 6, 5, 2, 7, 3}},
      {{1031, 1}, {1, 1027}, {1031, 1027}},
      {{1031, 1027}, {1027}, {1031, 1027}},
      {{0, 5}, {5}, {0, 5}},
  };
  for (DType dtype : kNumericDtypes) {
    for (const auto& b : broadcasts) all.push_back(simple_case(OpId::add, dtype, {b[0], b[1]}, b[2]));
  }
  return all;
});

}  // namespace

}  // namespace tessera::testing
