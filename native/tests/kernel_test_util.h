// Helpers for kernel tests: build tensors from vectors, run one ops.def kernel on a
// device, read results back, and compare against a reference with a tolerance.
#pragma once
#include <gtest/gtest.h>

#include <cmath>
#include <initializer_list>
#include <memory>
#include <random>
#include <vector>

#include "tessera/device.h"
#include "tessera/tensor.h"

namespace tessera::testing {

template <typename T>
std::shared_ptr<TensorImpl> from_vector(const std::vector<T>& values, std::vector<int64_t> shape,
                                        Device device = Device{}) {
  auto t = make_tensor(device, DTypeOf<T>::value, std::move(shape));
  backend_for(device).copy_from_host(t->storage->data(), values.data(), t->nbytes());
  return t;
}

template <typename T>
std::vector<T> to_vector(const TensorImpl& t) {
  std::vector<T> v(t.size);
  backend_for(t.device()).copy_to_host(v.data(), t.storage->data(), t.nbytes());
  return v;
}

struct OutSpec {
  DType dtype;
  std::vector<int64_t> shape;
};

// Runs `op` with the inputs' device; outputs are allocated from `outs`.
inline std::vector<std::shared_ptr<TensorImpl>> run_op(OpId op, const std::vector<std::shared_ptr<TensorImpl>>& inputs,
                                                       const std::vector<OutSpec>& outs,
                                                       const std::vector<double>& attrs = {},
                                                       Device device = Device{}) {
  if (!inputs.empty()) device = inputs[0]->device();
  std::vector<TkTensor> in_views, out_views;
  for (const auto& t : inputs) in_views.push_back(t->view());
  std::vector<std::shared_ptr<TensorImpl>> outputs;
  for (const auto& o : outs) {
    outputs.push_back(make_tensor(device, o.dtype, o.shape));
    out_views.push_back(outputs.back()->view());
  }
  TkKernelArgs args{in_views.data(),  static_cast<int32_t>(in_views.size()),
                    out_views.data(), static_cast<int32_t>(out_views.size()),
                    attrs.data(),     static_cast<int32_t>(attrs.size())};
  backend_for(device).run(op, args);
  return outputs;
}

template <typename T>
std::vector<T> random_vector(size_t n, uint32_t seed, double lo = -1.0, double hi = 1.0) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> dist(lo, hi);
  std::vector<T> v(n);
  for (auto& x : v) x = static_cast<T>(dist(rng));
  return v;
}

template <typename T, typename U>
void expect_near_all(const std::vector<T>& got, const std::vector<U>& want, double rtol, double atol = 1e-6) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    const double g = static_cast<double>(got[i]), w = static_cast<double>(want[i]);
    ASSERT_NEAR(g, w, atol + rtol * std::fabs(w)) << "at element " << i;
  }
}

}  // namespace tessera::testing
