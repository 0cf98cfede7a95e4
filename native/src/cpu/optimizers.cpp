// Fused optimizer updates, Keras 3's formulas. These kernels have NO outputs: they write
// the parameter and its slot variables IN PLACE (inputs 0 and 2..), and read the gradient
// (input 1). All inputs share one size and dtype (float32 or float64).
//
// Every kernel first applies Keras 3's decoupled weight decay (BaseOptimizer's
// _apply_weight_decay, run before the update with the same learning rate):
//   param -= param * weight_decay * lr          (skipped when weight_decay == 0)
// which makes adam_update with weight_decay > 0 AdamW.
//
//   sgd_update      inputs  param, grad [, momentum]      (momentum slot iff momentum != 0)
//                   attrs   [lr, momentum, nesterov (0/1), weight_decay]
//     m = momentum * m - lr * g
//     param += nesterov ? momentum * m - lr * g : m     (no momentum: param -= lr * g)
//
//   adam_update     inputs  param, grad, m, v [, v_hat]   (v_hat slot iff amsgrad)
//                   attrs   [lr, beta_1, beta_2, epsilon, step, weight_decay, amsgrad (0/1)]
//     step is 1-based (Keras's iterations + 1)
//     alpha = lr * sqrt(1 - beta_2^step) / (1 - beta_1^step)
//     m += (g - m) * (1 - beta_1);  v += (g^2 - v) * (1 - beta_2)
//     amsgrad: v_hat = max(v_hat, v), and v_hat replaces v below
//     param -= m * alpha / (sqrt(v) + epsilon)
//     (epsilon is added to sqrt(v) without bias correction: Kingma & Ba's "epsilon hat")
//
//   rmsprop_update  inputs  param, grad, velocity [, momentum] [, average_grad]
//                   (momentum slot iff momentum > 0, then average_grad slot iff centered)
//                   attrs   [lr, rho, momentum, epsilon, centered (0/1), weight_decay]
//     velocity = rho * velocity + (1 - rho) * g^2
//     centered: average_grad = rho * average_grad + (1 - rho) * g,
//               denominator = velocity - average_grad^2 + epsilon
//     otherwise denominator = velocity + epsilon          (epsilon inside the root)
//     increment = lr * g / sqrt(denominator)
//     momentum > 0: m = momentum * m + increment; param -= m;  else param -= increment
//
//   adagrad_update  inputs  param, grad, accumulator
//                   attrs   [lr, epsilon, weight_decay]
//     accumulator += g^2;  param -= lr * g / sqrt(accumulator + epsilon)
//
// Arithmetic runs in the parameter's dtype, as Keras runs it in the variable's dtype; the
// loops run under vectorized() (vectorize.h). Adagrad's sqrt is vec_math.h's (correctly
// rounded, vectorizes); Adam's and RMSprop's stay std::sqrt for now: with vm::sqrt GCC 12
// gives up on those loops (four streams and a float/double mix) and the scalar vm::sqrt
// is slower than sqrtss.
// Gradient clipping, EMA and loss scaling stay on the TypeScript side.
#include <algorithm>
#include <cmath>
#include <type_traits>

#include "tessera/kernel.h"
#include "tessera/thread_pool.h"
#include "vec_math.h"
#include "vectorize.h"

namespace tessera::cpu {

namespace {

void check_slots(const char* op, const KernelArgs& args, int expected, int attrs, const char* which) {
  TK_CHECK(args.num_attrs() >= attrs, op << ": expected " << attrs << " attributes, got " << args.num_attrs());
  TK_CHECK(args.num_inputs() == expected,
           op << ": expected " << expected << " inputs (" << which << "), got " << args.num_inputs());
  const View param = args.in(0);
  for (int i = 1; i < expected; ++i)
    TK_CHECK(args.in(i).size() == param.size() && args.in(i).dtype() == param.dtype(),
             op << ": expected input " << i << " to match the parameter (" << param.size() << " "
                << dtype_name(param.dtype()) << " values), got " << args.in(i).size() << " "
                << dtype_name(args.in(i).dtype()) << " values");
}

template <typename T>
T* slot(const KernelArgs& args, int i) {
  return args.in(i).data<T>();
}

// fn(i, p) for every element, where p is the parameter after weight decay.
template <typename T, typename F>
void update(const KernelArgs& args, double lr, double weight_decay, F fn) {
  T* param = slot<T>(args, 0);
  const T decay = static_cast<T>(weight_decay * lr);
  // Conditions are hoisted out of the loops by hand (here and in the callers'
  // std::integral_constant flags): a branch left inside keeps a loop from vectorizing, and
  // the compiler does not unswitch loop bodies this large.
  const bool decays = weight_decay != 0.0;
  parallel_for(0, args.in(0).size(), 16384, [&](int64_t lo, int64_t hi) {
    vectorized([&] {
      if (decays) {
        for (int64_t i = lo; i < hi; ++i) {
          param[i] -= param[i] * decay;
          fn(i, param[i]);
        }
      } else {
        for (int64_t i = lo; i < hi; ++i) fn(i, param[i]);
      }
    });
  });
}

// Calls body(std::bool_constant<flag>{}), so that `flag` is a compile-time constant inside.
template <typename Body>
void with_flag(bool flag, Body body) {
  if (flag) body(std::true_type{});
  else body(std::false_type{});
}

}  // namespace

void sgd_update(const KernelArgs& args) {
  const double lr = args.num_attrs() > 0 ? args.attr(0) : 0.0;
  const double momentum = args.num_attrs() > 1 ? args.attr(1) : 0.0;
  check_slots("sgdUpdate", args, momentum != 0.0 ? 3 : 2, 4, "param, grad and a momentum slot when momentum != 0");
  const bool nesterov = args.attr(2) != 0.0;
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "sgdUpdate", {
    using T = scalar_t;
    const T* g = slot<T>(args, 1);
    const T rate = static_cast<T>(lr), mu = static_cast<T>(momentum);
    if (momentum == 0.0) {
      update<T>(args, lr, args.attr(3), [&](int64_t i, T& p) { p -= g[i] * rate; });
    } else {
      T* m = slot<T>(args, 2);
      with_flag(nesterov, [&](auto use_nesterov) {
        update<T>(args, lr, args.attr(3), [&](int64_t i, T& p) {
          m[i] = -g[i] * rate + m[i] * mu;
          if constexpr (use_nesterov) p += -g[i] * rate + m[i] * mu;
          else p += m[i];
        });
      });
    }
  });
}

void adam_update(const KernelArgs& args) {
  const bool amsgrad = args.num_attrs() > 6 && args.attr(6) != 0.0;
  check_slots("adamUpdate", args, amsgrad ? 5 : 4, 7, "param, grad, m, v and v_hat when amsgrad");
  const double lr = args.attr(0), beta_1 = args.attr(1), beta_2 = args.attr(2), epsilon = args.attr(3);
  const double step = args.attr(4);
  TK_CHECK(step >= 1, "adamUpdate: expected a 1-based step, got " << step);
  const double alpha = lr * std::sqrt(1.0 - std::pow(beta_2, step)) / (1.0 - std::pow(beta_1, step));
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "adamUpdate", {
    using T = scalar_t;
    const T* g = slot<T>(args, 1);
    T *m = slot<T>(args, 2), *v = slot<T>(args, 3), *v_hat = amsgrad ? slot<T>(args, 4) : nullptr;
    const T one_minus_b1 = static_cast<T>(1.0 - beta_1), one_minus_b2 = static_cast<T>(1.0 - beta_2);
    const T a = static_cast<T>(alpha), eps = static_cast<T>(epsilon);
    with_flag(amsgrad, [&](auto use_v_hat) {
      update<T>(args, lr, args.attr(5), [&](int64_t i, T& p) {
        m[i] += (g[i] - m[i]) * one_minus_b1;
        v[i] += (g[i] * g[i] - v[i]) * one_minus_b2;
        T second = v[i];
        if constexpr (use_v_hat) second = v_hat[i] = std::max(v_hat[i], v[i]);
        p -= m[i] * a / (std::sqrt(second) + eps);
      });
    });
  });
}

void rmsprop_update(const KernelArgs& args) {
  const double momentum = args.num_attrs() > 2 ? args.attr(2) : 0.0;
  const bool centered = args.num_attrs() > 4 && args.attr(4) != 0.0;
  check_slots("rmspropUpdate", args, 3 + (momentum > 0.0) + centered, 6,
              "param, grad, velocity, then momentum when momentum > 0, then average_grad when centered");
  const double lr = args.attr(0), rho = args.attr(1), epsilon = args.attr(3);
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "rmspropUpdate", {
    using T = scalar_t;
    const T* g = slot<T>(args, 1);
    T* velocity = slot<T>(args, 2);
    T* m = momentum > 0.0 ? slot<T>(args, 3) : nullptr;
    T* average = centered ? slot<T>(args, momentum > 0.0 ? 4 : 3) : nullptr;
    const T r = static_cast<T>(rho), one_minus_r = static_cast<T>(1.0 - rho), rate = static_cast<T>(lr);
    const T eps = static_cast<T>(epsilon), mu = static_cast<T>(momentum);
    with_flag(average != nullptr, [&](auto use_average) {
      with_flag(m != nullptr, [&](auto use_momentum) {
        update<T>(args, lr, args.attr(5), [&](int64_t i, T& p) {
          velocity[i] = r * velocity[i] + one_minus_r * g[i] * g[i];
          T denominator = velocity[i] + eps;
          if constexpr (use_average) {
            average[i] = r * average[i] + one_minus_r * g[i];
            denominator = velocity[i] - average[i] * average[i] + eps;
          }
          const T increment = rate * g[i] / std::sqrt(denominator);
          if constexpr (use_momentum) {
            m[i] = mu * m[i] + increment;
            p -= m[i];
          } else {
            p -= increment;
          }
        });
      });
    });
  });
}

void adagrad_update(const KernelArgs& args) {
  check_slots("adagradUpdate", args, 3, 3, "param, grad and accumulator");
  const double lr = args.attr(0), epsilon = args.attr(1);
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "adagradUpdate", {
    using T = scalar_t;
    const T* g = slot<T>(args, 1);
    T* accumulator = slot<T>(args, 2);
    const T rate = static_cast<T>(lr), eps = static_cast<T>(epsilon);
    update<T>(args, lr, args.attr(2), [&](int64_t i, T& p) {
      accumulator[i] += g[i] * g[i];
      p -= rate * g[i] / vm::sqrt(accumulator[i] + eps);
    });
  });
}

}  // namespace tessera::cpu
