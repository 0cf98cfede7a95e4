// Input makers shared by the CUDA consistency cases (cuda_consistency.h): value ranges
// that keep a kernel's math meaningful, special values, valid indices.
#pragma once
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "cuda_consistency.h"

namespace tessera::testing {

// Reals in [lo, hi) for every input (integers and bools as random_bytes makes them).
inline InputMaker reals_in(double lo, double hi) {
  return [lo, hi](int, DType dtype, int64_t n, uint32_t seed) { return random_bytes(dtype, n, seed, lo, hi); };
}

// Per input, reals in its own range.
inline InputMaker reals_per_input(std::vector<std::pair<double, double>> ranges) {
  return [ranges](int index, DType dtype, int64_t n, uint32_t seed) {
    const auto& r = ranges[static_cast<size_t>(index) < ranges.size() ? index : ranges.size() - 1];
    return random_bytes(dtype, n, seed, r.first, r.second);
  };
}

template <typename T>
std::vector<uint8_t> bytes_of_values(const std::vector<T>& values) {
  std::vector<uint8_t> bytes(values.size() * sizeof(T));
  if (!bytes.empty()) std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

// Integers in [lo, hi) (floats get the same whole numbers: ties for argmax, exact sums).
inline InputMaker integers_in(int32_t lo, int32_t hi) {
  return [lo, hi](int, DType dtype, int64_t n, uint32_t seed) {
    const auto v = random_vector<int32_t>(static_cast<size_t>(n), seed, lo, hi);
    switch (dtype) {
      case DType::Float32: return bytes_of_values(std::vector<float>(v.begin(), v.end()));
      case DType::Float64: return bytes_of_values(std::vector<double>(v.begin(), v.end()));
      case DType::Bool: {
        std::vector<uint8_t> b(v.size());
        for (size_t i = 0; i < v.size(); ++i) b[i] = v[i] != 0;
        return b;
      }
      default: return bytes_of_values(v);
    }
  };
}

// Random reals with every third element one of NaN, +-inf, +-0, halves (ties of round),
// and for integers the edges INT_MIN, INT_MAX, -1, 0.
inline InputMaker special_values() {
  return [](int index, DType dtype, int64_t n, uint32_t seed) {
    auto bytes = random_bytes(dtype, n, seed);
    const double inf = std::numeric_limits<double>::infinity();
    const double reals[] = {std::nan(""), inf, -inf, -0.0, 0.0, 0.5, -2.5, 1.5, 3.0, -1.0};
    const int32_t ints[] = {std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max(), -1, 0, 1, 7, -7};
    for (int64_t i = index; i < n; i += 3) {
      const int64_t k = (i / 3 + index) % 10;
      if (dtype == DType::Float32) {
        const float v = static_cast<float>(reals[k]);
        std::memcpy(&bytes[i * 4], &v, 4);
      } else if (dtype == DType::Float64) {
        std::memcpy(&bytes[i * 8], &reals[k], 8);
      } else if (dtype == DType::Int32) {
        std::memcpy(&bytes[i * 4], &ints[k % 7], 4);
      }
    }
    return bytes;
  };
}

// Input `which` holds int32 values in [lo, hi) (indices, labels, segment ids); the others
// are reals in [-100, 100).
inline InputMaker with_indices(int which, int32_t lo, int32_t hi) {
  return [which, lo, hi](int index, DType dtype, int64_t n, uint32_t seed) {
    if (index == which) return bytes_of_values(random_vector<int32_t>(static_cast<size_t>(n), seed, lo, hi));
    return random_bytes(dtype, n, seed);
  };
}

// Tolerances for kernels whose math goes through the two sides' libm or through sums in
// another order: relative for float32 and float64, and an absolute floor for cancellation.
inline void set_tolerance(CudaCase& c, DType dtype, double rtol32 = 2e-5, double atol32 = 1e-6, double rtol64 = 1e-12,
                          double atol64 = 1e-14) {
  c.rtol = dtype == DType::Float64 ? rtol64 : rtol32;
  c.atol = dtype == DType::Float64 ? atol64 : atol32;
}

}  // namespace tessera::testing
