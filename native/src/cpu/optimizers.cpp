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
// The multi_* kernels run the same step over N groups of exactly those inputs laid end to
// end (contracts/optimizers.h checks the layout), with one weight decay for all.
//
// Arithmetic runs in the parameter's dtype, as Keras runs it in the variable's dtype; the
// loops run under vectorized() (vectorize.h) with TESSERA_IVDEP (the slots are separate
// tensors; without it GCC 12 gives up on four streams that might overlap), and take their
// square roots from vec_math.h (correctly rounded, so the same bits as std::sqrt, which
// would keep a loop scalar: it may set errno, a branch in the loop).
// Reading every input before writing (update()) changes no arithmetic: the bits are those
// of the formulas above.
// A single-tensor kernel is its multi kernel with one group: one loop, so one result.
// Gradient clipping, EMA and loss scaling stay on the TypeScript side.
#include <algorithm>
#include <cmath>
#include <type_traits>
#include <vector>

#include "../contracts/optimizers.h"
#include "tessera/kernel.h"
#include "tessera/thread_pool.h"
#include "vec_math.h"
#include "vectorize.h"

namespace tessera::cpu {

namespace {

// One parameter's tensors: the parameter, its gradient and up to three slots, in input order.
template <typename T>
struct Group {
  T* param;
  const T* grad;
  T* slot[3];
};

// Where piece `part` of `parts` of a tensor of `size` elements starts: near-equal pieces
// cut on 64-byte lines, so that no line is written by two threads.
template <typename T>
int64_t piece_start(int64_t size, int part, int parts) {
  constexpr int64_t line = 64 / sizeof(T);
  return part == parts ? size : std::min(size, size * part / parts / line * line);
}

// fn(s, i, p) for every element i of every group s, where p is the parameter after weight
// decay, a local that fn updates and that is stored after it. ONE fork/join for all the
// groups, so that many small tensors share it instead of one each; each thread updates the
// same piece of every tensor (parallel_parts), the first half of a weight's rows on the
// caller with two threads: the half the next forward's deep product reads on that thread
// (k_segments, native/src/cpu/gemm), not lines the other core must hand over (issue #22).
// fn reads all of element i (gradient, slots) before it writes any of it, and p is read
// here before fn runs: large tensors come from mmap, so they are alike modulo 4 KB, and
// a load issued after a store to another tensor's element i matches that store in the
// low 12 address bits and waits until it has executed (4K aliasing). With loads after
// stores, Adam's update over the MLP (235k parameters, one thread, Zen 2) took 290 us
// instead of 110, and perf blamed the vsqrtps and vdivps the stalled loads waited
// behind; in this order it is bound by the divider and memory, not by stalls. A divider-
// free reciprocal (a bit-trick guess and FMA steps) measured 1.65x slower than vdivps here.
template <typename T, typename F>
void update(const KernelArgs& args, int group_size, double lr, double weight_decay, F fn) {
  const int groups = args.num_inputs() / group_size;
  std::vector<Group<T>> group(groups);
  std::vector<int64_t> start(groups + 1, 0);  // group k holds elements [start[k], start[k + 1])
  for (int k = 0; k < groups; ++k) {
    const int base = k * group_size;
    Group<T>& s = group[k];
    s.param = args.in(base).data<T>();
    s.grad = args.in(base + 1).data<T>();
    for (int j = 0; j < 3; ++j)
      s.slot[j] = base + 2 + j < base + group_size ? args.in(base + 2 + j).data<T>() : nullptr;
    start[k + 1] = start[k] + args.in(base).size();
  }
  const T decay = static_cast<T>(weight_decay * lr);
  // Conditions are hoisted out of the loops by hand (here and in the callers'
  // std::integral_constant flags): a branch left inside keeps a loop from vectorizing, and
  // the compiler does not unswitch loop bodies this large.
  const bool decays = weight_decay != 0.0;
  parallel_parts(start[groups], 16384, [&](int part, int parts) {
    for (int k = 0; k < groups; ++k) {
      const Group<T> s = group[k];  // a local copy: its pointers stay in registers
      T* param = s.param;
      const int64_t size = start[k + 1] - start[k];
      const int64_t first = piece_start<T>(size, part, parts), last = piece_start<T>(size, part + 1, parts);
      vectorized([&] {
        if (decays) {
          TESSERA_IVDEP
          for (int64_t i = first; i < last; ++i) {
            T p = param[i];
            p -= p * decay;
            fn(s, i, p);
            param[i] = p;
          }
        } else {
          TESSERA_IVDEP
          for (int64_t i = first; i < last; ++i) {
            T p = param[i];
            fn(s, i, p);
            param[i] = p;
          }
        }
      });
    }
  });
}

// Calls body(std::bool_constant<flag>{}), so that `flag` is a compile-time constant inside.
template <typename Body>
void with_flag(bool flag, Body body) {
  if (flag) body(std::true_type{});
  else body(std::false_type{});
}

// The steps, each shared by its single- and multi-tensor kernel. Each reads its element's
// gradient and slots into locals before it writes any slot (see update()).

void sgd(const KernelArgs& args, const contracts::SgdAttrs& a, const char* op) {
  TK_DISPATCH_FLOAT(args.in(0).dtype(), op, {
    using T = scalar_t;
    const T rate = static_cast<T>(a.lr), mu = static_cast<T>(a.momentum);
    if (a.momentum == 0.0) {
      update<T>(args, a.group_size, a.lr, a.weight_decay,
                [&](const Group<T>& s, int64_t i, T& p) { p -= s.grad[i] * rate; });
    } else {
      with_flag(a.nesterov, [&](auto use_nesterov) {
        update<T>(args, a.group_size, a.lr, a.weight_decay, [&](const Group<T>& s, int64_t i, T& p) {
          const T g = s.grad[i];
          const T m = -g * rate + s.slot[0][i] * mu;
          s.slot[0][i] = m;
          if constexpr (use_nesterov) p += -g * rate + m * mu;
          else p += m;
        });
      });
    }
  });
}

void adam(const KernelArgs& args, const contracts::AdamAttrs& k, const char* op) {
  TK_DISPATCH_FLOAT(args.in(0).dtype(), op, {
    using T = scalar_t;
    const T one_minus_b1 = static_cast<T>(1.0 - k.beta_1), one_minus_b2 = static_cast<T>(1.0 - k.beta_2);
    const T a = static_cast<T>(k.alpha), eps = static_cast<T>(k.epsilon);
    with_flag(k.amsgrad, [&](auto use_v_hat) {
      update<T>(args, k.group_size, k.lr, k.weight_decay, [&](const Group<T>& s, int64_t i, T& p) {
        T *m = s.slot[0], *v = s.slot[1], *v_hat = s.slot[2];
        const T g = s.grad[i];
        T m_i = m[i], v_i = v[i], second;
        if constexpr (use_v_hat) second = v_hat[i];
        m_i += (g - m_i) * one_minus_b1;
        v_i += (g * g - v_i) * one_minus_b2;
        m[i] = m_i;
        v[i] = v_i;
        if constexpr (use_v_hat) v_hat[i] = second = std::max(second, v_i);
        else second = v_i;
        p -= m_i * a / (vm::sqrt(second) + eps);
      });
    });
  });
}

void rmsprop(const KernelArgs& args, const contracts::RmspropAttrs& a, const char* op) {
  TK_DISPATCH_FLOAT(args.in(0).dtype(), op, {
    using T = scalar_t;
    const T r = static_cast<T>(a.rho), one_minus_r = static_cast<T>(1.0 - a.rho), rate = static_cast<T>(a.lr);
    const T eps = static_cast<T>(a.epsilon), mu = static_cast<T>(a.momentum);
    with_flag(a.centered, [&](auto use_average) {
      with_flag(a.momentum > 0.0, [&](auto use_momentum) {
        update<T>(args, a.group_size, a.lr, a.weight_decay, [&](const Group<T>& s, int64_t i, T& p) {
          // Slots: velocity, then momentum when momentum > 0, then average_grad when centered.
          T *velocity = s.slot[0], *m = s.slot[1], *average = s.slot[use_momentum ? 2 : 1];
          const T g = s.grad[i];
          T velocity_i = velocity[i], m_i = T(0), average_i = T(0);
          if constexpr (use_momentum) m_i = m[i];
          if constexpr (use_average) average_i = average[i];
          velocity_i = r * velocity_i + one_minus_r * g * g;
          velocity[i] = velocity_i;
          T denominator = velocity_i + eps;
          if constexpr (use_average) {
            average_i = r * average_i + one_minus_r * g;
            average[i] = average_i;
            denominator = velocity_i - average_i * average_i + eps;
          }
          const T increment = rate * g / vm::sqrt(denominator);
          if constexpr (use_momentum) {
            m_i = mu * m_i + increment;
            m[i] = m_i;
            p -= m_i;
          } else {
            p -= increment;
          }
        });
      });
    });
  });
}

void adagrad(const KernelArgs& args, const contracts::AdagradAttrs& a, const char* op) {
  TK_DISPATCH_FLOAT(args.in(0).dtype(), op, {
    using T = scalar_t;
    const T rate = static_cast<T>(a.lr), eps = static_cast<T>(a.epsilon);
    update<T>(args, a.group_size, a.lr, a.weight_decay, [&](const Group<T>& s, int64_t i, T& p) {
      const T g = s.grad[i];
      const T accumulator = s.slot[0][i] + g * g;
      s.slot[0][i] = accumulator;
      p -= rate * g / vm::sqrt(accumulator + eps);
    });
  });
}

}  // namespace

void sgd_update(const KernelArgs& args) { sgd(args, contracts::sgd_attrs(args), "sgdUpdate"); }
void adam_update(const KernelArgs& args) { adam(args, contracts::adam_attrs(args), "adamUpdate"); }
void rmsprop_update(const KernelArgs& args) { rmsprop(args, contracts::rmsprop_attrs(args), "rmspropUpdate"); }
void adagrad_update(const KernelArgs& args) { adagrad(args, contracts::adagrad_attrs(args), "adagradUpdate"); }

void multi_sgd_update(const KernelArgs& args) { sgd(args, contracts::multi_sgd_attrs(args), "multiSgdUpdate"); }
void multi_adam_update(const KernelArgs& args) { adam(args, contracts::multi_adam_attrs(args), "multiAdamUpdate"); }
void multi_rmsprop_update(const KernelArgs& args) {
  rmsprop(args, contracts::multi_rmsprop_attrs(args), "multiRmspropUpdate");
}
void multi_adagrad_update(const KernelArgs& args) {
  adagrad(args, contracts::multi_adagrad_attrs(args), "multiAdagradUpdate");
}

}  // namespace tessera::cpu
