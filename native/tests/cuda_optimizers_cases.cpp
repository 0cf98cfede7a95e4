// CPU-vs-CUDA cases of the optimizer updates: the parameter and every slot after one
// in-place step, within an ulp or so, for each slot configuration and with weight decay;
// the multi-tensor kernels likewise over several groups (40 of them: more than one list).
#include <algorithm>
#include <map>

#include "cuda_case_makers.h"

namespace tessera::testing {
namespace {

// Slots that feed a square root stay positive: adam's v and v_hat, adagrad's accumulator,
// rmsprop's velocity, which also stays above average_grad^2 (momentum and average_grad small).
// A multi-tensor kernel's input `index` is input index % group of its single-tensor kernel.
InputMaker optimizer_inputs(OpId op, int group) {
  return [op, group](int at, DType dtype, int64_t n, uint32_t seed) {
    const int index = at % group;
    if (index <= 1) return random_bytes(dtype, n, seed, -1, 1);  // param, grad
    if (op == OpId::adam_update) return random_bytes(dtype, n, seed, index == 2 ? -0.1 : 0.0, index == 2 ? 0.1 : 0.01);
    if (op == OpId::rmsprop_update)
      return random_bytes(dtype, n, seed, index == 2 ? 1.0 : -0.1, index == 2 ? 2.0 : 0.1);
    return random_bytes(dtype, n, seed, 0.0, 1.0);
  };
}

// Labels number the cases: attribute names (x100, truncated) do not tell them apart.
// `groups` > 0: the multi-tensor kernel of `op` over that many groups of `inputs` inputs.
CudaCase update_case(OpId op, DType dtype, const std::vector<int64_t>& shape, int inputs, std::vector<double> attrs,
                     int groups = 0) {
  static int serial = 0;
  static const std::map<OpId, OpId> kMulti = {{OpId::sgd_update, OpId::multi_sgd_update},
                                              {OpId::adam_update, OpId::multi_adam_update},
                                              {OpId::rmsprop_update, OpId::multi_rmsprop_update},
                                              {OpId::adagrad_update, OpId::multi_adagrad_update}};
  CudaCase c;
  c.label = "case" + std::to_string(serial++);
  c.op = groups > 0 ? kMulti.at(op) : op;
  const int total = inputs * std::max(groups, 1);
  c.input_dtypes.assign(total, dtype);
  c.inputs.assign(total, shape);
  c.attrs = std::move(attrs);
  c.make_input = optimizer_inputs(op, inputs);
  for (int i = 0; i < total; ++i)
    if (i % inputs != 1) c.compare_inputs.push_back(i);
  // The CUDA kernels round every product and sum on its own; the CPU's loops run under
  // AVX2 / AVX-512 with FMA (vectorize.h), where GCC may fuse a * b + c: an ulp apart.
  // An ulp of the inputs (|param| < 1), not of the result: Nesterov's step cancels (seen
  // on an H100: 1.2e-7 on a result of -0.0058).
  set_tolerance(c, dtype, 1e-6, 3e-7, 1e-14, 6e-16);
  return c;
}

const CudaCaseRegistrar kOptimizerCases([] {
  std::vector<CudaCase> all;
  for (DType dtype : {DType::Float32, DType::Float64}) {
    for (const auto& shape : {std::vector<int64_t>{0}, std::vector<int64_t>{7}, std::vector<int64_t>{17, 129},
                              std::vector<int64_t>{3000017}}) {
      if (shape[0] == 3000017 && dtype == DType::Float64) continue;  // one large size is enough: time
      // sgd [lr, momentum, nesterov, weight_decay]
      all.push_back(update_case(OpId::sgd_update, dtype, shape, 2, {0.01, 0, 0, 0}));
      all.push_back(update_case(OpId::sgd_update, dtype, shape, 2, {0.01, 0, 0, 0.004}));
      all.push_back(update_case(OpId::sgd_update, dtype, shape, 3, {0.01, 0.9, 0, 0}));
      all.push_back(update_case(OpId::sgd_update, dtype, shape, 3, {0.01, 0.9, 1, 0.004}));
      // adam [lr, beta_1, beta_2, epsilon, step, weight_decay, amsgrad]
      all.push_back(update_case(OpId::adam_update, dtype, shape, 4, {0.001, 0.9, 0.999, 1e-7, 1, 0, 0}));
      all.push_back(update_case(OpId::adam_update, dtype, shape, 4, {0.001, 0.9, 0.999, 1e-7, 17, 0.004, 0}));
      all.push_back(update_case(OpId::adam_update, dtype, shape, 5, {0.001, 0.9, 0.999, 1e-7, 3, 0, 1}));
      // rmsprop [lr, rho, momentum, epsilon, centered, weight_decay]
      all.push_back(update_case(OpId::rmsprop_update, dtype, shape, 3, {0.001, 0.9, 0, 1e-7, 0, 0}));
      all.push_back(update_case(OpId::rmsprop_update, dtype, shape, 4, {0.001, 0.9, 0.5, 1e-7, 0, 0.004}));
      all.push_back(update_case(OpId::rmsprop_update, dtype, shape, 4, {0.001, 0.9, 0, 1e-7, 1, 0}));
      all.push_back(update_case(OpId::rmsprop_update, dtype, shape, 5, {0.001, 0.9, 0.5, 1e-7, 1, 0}));
      // adagrad [lr, epsilon, weight_decay]
      all.push_back(update_case(OpId::adagrad_update, dtype, shape, 3, {0.01, 1e-7, 0}));
      all.push_back(update_case(OpId::adagrad_update, dtype, shape, 3, {0.01, 1e-7, 0.004}));
    }
    // The multi-tensor kernels: 3 groups (chunks of one launch), 40 (more than one list).
    for (int groups : {3, 40}) {
      const std::vector<int64_t> shape = groups == 3 ? std::vector<int64_t>{17, 129} : std::vector<int64_t>{7};
      all.push_back(update_case(OpId::sgd_update, dtype, shape, 3, {0.01, 0.9, 1, 0.004}, groups));
      all.push_back(update_case(OpId::adam_update, dtype, shape, 4, {0.001, 0.9, 0.999, 1e-7, 17, 0.004, 0}, groups));
      all.push_back(update_case(OpId::adam_update, dtype, shape, 5, {0.001, 0.9, 0.999, 1e-7, 3, 0, 1}, groups));
      all.push_back(update_case(OpId::rmsprop_update, dtype, shape, 5, {0.001, 0.9, 0.5, 1e-7, 1, 0.004}, groups));
      all.push_back(update_case(OpId::adagrad_update, dtype, shape, 3, {0.01, 1e-7, 0.004}, groups));
    }
    // A tensor of more chunks than one list holds (kListChunks * kChunkSize = 16.8M).
    if (dtype == DType::Float32)
      all.push_back(update_case(OpId::adam_update, dtype, {17000001}, 4, {0.001, 0.9, 0.999, 1e-7, 2, 0, 0}, 2));
  }
  return all;
});

}  // namespace
}  // namespace tessera::testing
