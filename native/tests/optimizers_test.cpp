// Fused optimizer updates against step-by-step transcriptions of Keras 3's formulas,
// over several steps, in place.
#include <cstring>

#include "kernel_reference.h"
#include "nn_test_util.h"

namespace tessera::testing {
namespace {

constexpr int64_t kSize = 37;
constexpr int kSteps = 4;

// Runs `op` kSteps times on (param, grad_t, slots...) in place and returns the tensors'
// final values; `reference` transcribes the same step on doubles, element by element.
template <typename T, typename Reference>
void expect_updates(OpId op, int slots, std::vector<double> initial_slot,
                    const std::function<std::vector<double>(int)> &attrs_at, Reference reference, double tol) {
  std::vector<std::vector<double>> want(slots + 1);
  want[0] = random_vector<double>(kSize, 91);
  for (int s = 1; s <= slots; ++s) want[s].assign(kSize, initial_slot[s - 1]);
  std::vector<std::shared_ptr<TensorImpl>> tensors;
  for (int s = 0; s <= slots; ++s) tensors.push_back(from_vector(cast_all<T>(want[s]), {kSize}));
  for (int step = 1; step <= kSteps; ++step) {
    const auto grad = random_vector<double>(kSize, 100 + step);
    std::vector<std::shared_ptr<TensorImpl>> inputs = {tensors[0], from_vector(cast_all<T>(grad), {kSize})};
    for (int s = 1; s <= slots; ++s) inputs.push_back(tensors[s]);
    EXPECT_TRUE(run_op(op, inputs, {}, attrs_at(step)).empty());
    for (int64_t i = 0; i < kSize; ++i) {
      std::vector<double *> v;
      for (int s = 0; s <= slots; ++s) v.push_back(&want[s][i]);
      reference(step, grad[i], v);
    }
  }
  for (int s = 0; s <= slots; ++s) expect_near_all(to_vector<T>(*tensors[s]), want[s], tol, tol);
}

TEST(Optimizers, SgdPlainMomentumNesterovAndWeightDecay) {
  const double lr = 0.1, mu = 0.9, wd = 0.01;
  expect_updates<double>(
      OpId::sgd_update, 0, {},
      [&](int) {
        return std::vector<double>{lr, 0, 0, 0};
      },
      [&](int, double g, std::vector<double *> v) { *v[0] -= lr * g; }, 1e-14);
  for (bool nesterov : {false, true})
    expect_updates<float>(
        OpId::sgd_update, 1, {0.0},
        [&](int) {
          return std::vector<double>{lr, mu, double(nesterov), wd};
        },
        [&](int, double g, std::vector<double *> v) {
          double &p = *v[0], &m = *v[1];
          p -= p * wd * lr;
          m = mu * m - lr * g;
          p += nesterov ? mu * m - lr * g : m;
        },
        1e-6);
}

TEST(Optimizers, AdamAdamWAndAmsgrad) {
  const double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-7;
  for (double wd : {0.0, 0.004})
    for (bool amsgrad : {false, true}) {
      const auto step_fn = [&](int step, double g, std::vector<double *> v) {
        double &p = *v[0], &m = *v[1], &s = *v[2];
        p -= p * wd * lr;
        const double alpha = lr * std::sqrt(1 - std::pow(b2, step)) / (1 - std::pow(b1, step));
        m += (g - m) * (1 - b1);
        s += (g * g - s) * (1 - b2);
        double second = s;
        if (amsgrad) second = *v[3] = std::max(*v[3], s);
        p -= m * alpha / (std::sqrt(second) + eps);
      };
      const auto attrs = [&](int step) {
        return std::vector<double>{lr, b1, b2, eps, double(step), wd, double(amsgrad)};
      };
      expect_updates<double>(OpId::adam_update, amsgrad ? 3 : 2, {0, 0, 0}, attrs, step_fn, 1e-13);
      expect_updates<float>(OpId::adam_update, amsgrad ? 3 : 2, {0, 0, 0}, attrs, step_fn, 1e-5);
    }
}

TEST(Optimizers, RmspropCenteredAndMomentum) {
  const double lr = 0.01, rho = 0.9, eps = 1e-7;
  for (double mu : {0.0, 0.5})
    for (bool centered : {false, true}) {
      const int slots = 1 + (mu > 0) + centered;
      expect_updates<double>(
          OpId::rmsprop_update, slots, {0, 0, 0},
          [&](int) { return std::vector<double>{lr, rho, mu, eps, double(centered), 0}; },
          [&](int, double g, std::vector<double *> v) {
            double &p = *v[0], &vel = *v[1];
            vel = rho * vel + (1 - rho) * g * g;
            double denominator = vel + eps;
            if (centered) {
              double &avg = *v[mu > 0 ? 3 : 2];
              avg = rho * avg + (1 - rho) * g;
              denominator = vel - avg * avg + eps;
            }
            const double increment = lr * g / std::sqrt(denominator);
            if (mu > 0) {
              *v[2] = mu * *v[2] + increment;
              p -= *v[2];
            } else {
              p -= increment;
            }
          },
          1e-12);
    }
}

TEST(Optimizers, Adagrad) {
  const double lr = 0.05, eps = 1e-7;
  expect_updates<float>(
      OpId::adagrad_update, 1, {0.1},
      [&](int) {
        return std::vector<double>{lr, eps, 0};
      },
      [&](int, double g, std::vector<double *> v) {
        *v[1] += g * g;
        *v[0] -= lr * g / std::sqrt(*v[1] + eps);
      },
      1e-6);
}

TEST(Optimizers, RejectMissingSlots) {
  auto p = from_vector(std::vector<float>(4), {4}), g = from_vector(std::vector<float>(4), {4});
  EXPECT_THROW(run_op(OpId::sgd_update, {p, g}, {}, {0.1, 0.9, 0, 0}), Error);
  EXPECT_THROW(run_op(OpId::adam_update, {p, g, p}, {}, {0.1, 0.9, 0.999, 1e-7, 1, 0, 0}), Error);
}

template <typename T>
void expect_multi_matches_single_on(int threads, OpId single, OpId multi, int slots, double initial_slot,
                                    std::vector<double> attrs) {
  const std::vector<int64_t> sizes = {1, 7, 0, 40001, 3, 16385};
  std::vector<std::vector<std::shared_ptr<TensorImpl>>> each, many;  // [tensor][param, slots...]
  for (size_t k = 0; k < sizes.size(); ++k) {
    const auto param = cast_all<T>(random_vector<double>(sizes[k], 7 + k));
    for (auto *side : {&each, &many}) {
      side->push_back({from_vector(param, {sizes[k]})});
      for (int s = 0; s < slots; ++s)
        side->back().push_back(from_vector(std::vector<T>(sizes[k], static_cast<T>(initial_slot)), {sizes[k]}));
    }
  }
  for (int step = 1; step <= 3; ++step) {
    if (single == OpId::adam_update) attrs[4] = step;
    std::vector<std::shared_ptr<TensorImpl>> all;
    for (size_t k = 0; k < sizes.size(); ++k) {
      const auto grad = from_vector(cast_all<T>(random_vector<double>(sizes[k], 100 * step + k)), {sizes[k]});
      std::vector<std::shared_ptr<TensorImpl>> one = {each[k][0], grad};
      all.push_back(many[k][0]);
      all.push_back(grad);
      for (int s = 1; s <= slots; ++s) {
        one.push_back(each[k][s]);
        all.push_back(many[k][s]);
      }
      ScopedThreads serial(1);
      run_op(single, one, {}, attrs);
    }
    ScopedThreads scoped(threads);
    run_op(multi, all, {}, attrs);
  }
  for (size_t k = 0; k < sizes.size(); ++k)
    for (int s = 0; s <= slots; ++s) {
      const auto want = to_vector<T>(*each[k][s]), got = to_vector<T>(*many[k][s]);
      ASSERT_EQ(got.size(), want.size());
      // memcmp, not ==: bitwise (a -0 against a 0 differs); an empty tensor's data() may be null.
      if (!got.empty())
        EXPECT_EQ(std::memcmp(got.data(), want.data(), got.size() * sizeof(T)), 0) << "tensor " << k << " input " << s;
    }
}

// The multi-tensor kernel over sizes whose chunks span tensors (and an empty one) leaves
// the bits of the single-tensor kernel run on each tensor on one thread: both run one loop
// body. On 2 and 3 threads each thread updates its piece of every tensor (parallel_parts):
// pieces of 40001 elements end mid-tensor, off a multiple of the thread count.
template <typename T>
void expect_multi_matches_single(OpId single, OpId multi, int slots, double initial_slot, std::vector<double> attrs) {
  for (int threads : {1, 2, 3}) {
    SCOPED_TRACE("threads=" + std::to_string(threads));
    expect_multi_matches_single_on<T>(threads, single, multi, slots, initial_slot, attrs);
  }
}

TEST(Optimizers, MultiTensorMatchesSingleBitwise) {
  for (double wd : {0.0, 0.01}) {
    expect_multi_matches_single<float>(OpId::sgd_update, OpId::multi_sgd_update, 0, 0, {0.1, 0, 0, wd});
    expect_multi_matches_single<float>(OpId::sgd_update, OpId::multi_sgd_update, 1, 0, {0.1, 0.9, 1, wd});
    expect_multi_matches_single<double>(OpId::sgd_update, OpId::multi_sgd_update, 1, 0, {0.1, 0.9, 0, wd});
    for (bool amsgrad : {false, true}) {
      const std::vector<double> adam = {0.01, 0.9, 0.999, 1e-7, 1, wd, double(amsgrad)};
      expect_multi_matches_single<float>(OpId::adam_update, OpId::multi_adam_update, amsgrad ? 3 : 2, 0, adam);
      expect_multi_matches_single<double>(OpId::adam_update, OpId::multi_adam_update, amsgrad ? 3 : 2, 0, adam);
    }
    for (double mu : {0.0, 0.5})
      for (bool centered : {false, true})
        expect_multi_matches_single<float>(OpId::rmsprop_update, OpId::multi_rmsprop_update, 1 + (mu > 0) + centered, 0,
                                           {0.01, 0.9, mu, 1e-7, double(centered), wd});
    expect_multi_matches_single<float>(OpId::adagrad_update, OpId::multi_adagrad_update, 1, 0.1, {0.05, 1e-7, wd});
    expect_multi_matches_single<double>(OpId::adagrad_update, OpId::multi_adagrad_update, 1, 0.1, {0.05, 1e-7, wd});
  }
}

TEST(Optimizers, MultiTensorRejectsMalformedGroups) {
  auto f = [](int64_t n) { return from_vector(std::vector<float>(n), {n}); };
  auto d = [](int64_t n) { return from_vector(std::vector<double>(n), {n}); };
  const std::vector<double> adagrad = {0.1, 1e-7, 0};
  EXPECT_THROW(run_op(OpId::multi_adagrad_update, {f(4), f(4), f(4), f(2)}, {}, adagrad), Error);
  EXPECT_THROW(run_op(OpId::multi_adagrad_update, {f(4), f(4), f(4), f(2), f(3), f(2)}, {}, adagrad), Error);
  EXPECT_THROW(run_op(OpId::multi_adagrad_update, {f(4), f(4), f(4), d(2), d(2), d(2)}, {}, adagrad), Error);
  EXPECT_THROW(run_op(OpId::multi_sgd_update, {f(4), f(4), f(2)}, {}, {0.1, 0.9, 0, 0}), Error);
  EXPECT_NO_THROW(run_op(OpId::multi_sgd_update, {f(4), f(4), f(2), f(2)}, {}, {0.1, 0, 0, 0}));
}

}  // namespace
}  // namespace tessera::testing
