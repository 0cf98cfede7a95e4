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
//     m = momentum * m - lr * g
//     param += nesterov ? momentum * m - lr * g : m     (no momentum: param -= lr * g)
//
//   adam_update     inputs  param, grad, m, v [, v_hat]   (v_hat slot iff amsgrad)
//     step is 1-based (Keras's iterations + 1)
//     alpha = lr * sqrt(1 - beta_2^step) / (1 - beta_1^step)
//     m += (g - m) * (1 - beta_1);  v += (g^2 - v) * (1 - beta_2)
//     amsgrad: v_hat = max(v_hat, v), and v_hat replaces v below
//     param -= m * alpha / (sqrt(v) + epsilon)
//     (epsilon is added to sqrt(v) without bias correction: Kingma & Ba's "epsilon hat")
//
//   rmsprop_update  inputs  param, grad, velocity [, momentum] [, average_grad]
//                   (momentum slot iff momentum > 0, then average_grad slot iff centered)
//     velocity = rho * velocity + (1 - rho) * g^2
//     centered: average_grad = rho * average_grad + (1 - rho) * g,
//               denominator = velocity - average_grad^2 + epsilon
//     otherwise denominator = velocity + epsilon          (epsilon inside the root)
//     increment = lr * g / sqrt(denominator)
//     momentum > 0: m = momentum * m + increment; param -= m;  else param -= increment
//
//   adagrad_update  inputs  param, grad, accumulator
//     accumulator += g^2;  param -= lr * g / sqrt(accumulator + epsilon)
//
// Arithmetic runs in the parameter's dtype, as Keras runs it in the variable's dtype; the
// loops run under vectorized() (vectorize.h) with TESSERA_IVDEP (the slots are separate
// tensors; without it GCC 12 gives up on four streams that might overlap), and take their
// square roots from vec_math.h (correctly rounded, so the same bits as std::sqrt, which
// would keep a loop scalar: it may set errno, a branch in the loop).
// Gradient clipping, EMA and loss scaling stay on the TypeScript side.
#include <algorithm>
#include <cmath>
#include <type_traits>

#include "../contracts/optimizers.h"
#include "tessera/kernel.h"
#include "tessera/thread_pool.h"
#include "vec_math.h"
#include "vectorize.h"

namespace tessera::cpu {

namespace {

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
        TESSERA_IVDEP
        for (int64_t i = lo; i < hi; ++i) {
          param[i] -= param[i] * decay;
          fn(i, param[i]);
        }
      } else {
        TESSERA_IVDEP
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
  const contracts::SgdAttrs a = contracts::sgd_attrs(args);
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "sgdUpdate", {
    using T = scalar_t;
    const T* g = slot<T>(args, 1);
    const T rate = static_cast<T>(a.lr), mu = static_cast<T>(a.momentum);
    if (a.momentum == 0.0) {
      update<T>(args, a.lr, a.weight_decay, [&](int64_t i, T& p) { p -= g[i] * rate; });
    } else {
      T* m = slot<T>(args, 2);
      with_flag(a.nesterov, [&](auto use_nesterov) {
        update<T>(args, a.lr, a.weight_decay, [&](int64_t i, T& p) {
          m[i] = -g[i] * rate + m[i] * mu;
          if constexpr (use_nesterov) p += -g[i] * rate + m[i] * mu;
          else p += m[i];
        });
      });
    }
  });
}

void adam_update(const KernelArgs& args) {
  const contracts::AdamAttrs k = contracts::adam_attrs(args);
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "adamUpdate", {
    using T = scalar_t;
    const T* g = slot<T>(args, 1);
    T *m = slot<T>(args, 2), *v = slot<T>(args, 3), *v_hat = k.amsgrad ? slot<T>(args, 4) : nullptr;
    const T one_minus_b1 = static_cast<T>(1.0 - k.beta_1), one_minus_b2 = static_cast<T>(1.0 - k.beta_2);
    const T a = static_cast<T>(k.alpha), eps = static_cast<T>(k.epsilon);
    with_flag(k.amsgrad, [&](auto use_v_hat) {
      update<T>(args, k.lr, k.weight_decay, [&](int64_t i, T& p) {
        m[i] += (g[i] - m[i]) * one_minus_b1;
        v[i] += (g[i] * g[i] - v[i]) * one_minus_b2;
        T second = v[i];
        if constexpr (use_v_hat) second = v_hat[i] = std::max(v_hat[i], v[i]);
        p -= m[i] * a / (vm::sqrt(second) + eps);
      });
    });
  });
}

void rmsprop_update(const KernelArgs& args) {
  const contracts::RmspropAttrs a = contracts::rmsprop_attrs(args);
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "rmspropUpdate", {
    using T = scalar_t;
    const T* g = slot<T>(args, 1);
    T* velocity = slot<T>(args, 2);
    T* m = a.momentum > 0.0 ? slot<T>(args, 3) : nullptr;
    T* average = a.centered ? slot<T>(args, a.momentum > 0.0 ? 4 : 3) : nullptr;
    const T r = static_cast<T>(a.rho), one_minus_r = static_cast<T>(1.0 - a.rho), rate = static_cast<T>(a.lr);
    const T eps = static_cast<T>(a.epsilon), mu = static_cast<T>(a.momentum);
    with_flag(average != nullptr, [&](auto use_average) {
      with_flag(m != nullptr, [&](auto use_momentum) {
        update<T>(args, a.lr, a.weight_decay, [&](int64_t i, T& p) {
          velocity[i] = r * velocity[i] + one_minus_r * g[i] * g[i];
          T denominator = velocity[i] + eps;
          if constexpr (use_average) {
            average[i] = r * average[i] + one_minus_r * g[i];
            denominator = velocity[i] - average[i] * average[i] + eps;
          }
          const T increment = rate * g[i] / vm::sqrt(denominator);
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
  const contracts::AdagradAttrs a = contracts::adagrad_attrs(args);
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "adagradUpdate", {
    using T = scalar_t;
    const T* g = slot<T>(args, 1);
    T* accumulator = slot<T>(args, 2);
    const T rate = static_cast<T>(a.lr), eps = static_cast<T>(a.epsilon);
    update<T>(args, a.lr, a.weight_decay, [&](int64_t i, T& p) {
      accumulator[i] += g[i] * g[i];
      p -= rate * g[i] / vm::sqrt(accumulator[i] + eps);
    });
  });
}

}  // namespace tessera::cpu
