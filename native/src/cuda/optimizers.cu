// Fused optimizer updates, in place (the CUDA half of cpu/optimizers.cpp, which documents
// the inputs, slots, attributes and formulas). A thread per element runs the CPU's
// expression in the CPU's order, every product and sum rounded on its own (exact.cuh:
// no FMA), with IEEE division and square root: the bits of the CPU's plain x86-64 loop,
// and within an ulp of its AVX2 / AVX-512 loops, where GCC may fuse a * b + c.
#include <cmath>

#include "check.h"
#include "contracts/optimizers.h"
#include "exact.cuh"
#include "kernels.h"
#include "launch.cuh"
#include "math.cuh"

namespace tessera::cuda {

namespace {

// The slot pointers and constants of one update, in T.
template <typename T>
struct Slots {
  T* param;
  const T* grad;
  T *a, *b, *c;  // the optimizer's slots, in input order (nullptr when absent)
  T decay;       // weight_decay * lr
  bool decayed;  // weight_decay != 0
};

template <typename T>
Slots<T> slots_of(const KernelArgs& args, double lr, double weight_decay) {
  auto at = [&](int i) { return i < args.num_inputs() ? args.in(i).data<T>() : nullptr; };
  return {at(0), at(1), at(2), at(3), at(4), static_cast<T>(weight_decay * lr), weight_decay != 0.0};
}

// Keras 3's decoupled weight decay, before the update: param -= param * weight_decay * lr.
template <typename T>
__device__ T decayed_param(const Slots<T>& s, int64_t i) {
  T p = s.param[i];
  if (s.decayed) p = sub_rn(p, mul_rn(p, s.decay));
  return p;
}

template <typename T>
struct SgdConsts {
  T rate, mu;
  bool momentum, nesterov;
};

template <typename T>
__global__ void sgd_kernel(Slots<T> s, int64_t n, SgdConsts<T> k) {
  for (int64_t i = grid_start(); i < n; i += grid_stride()) {
    T p = decayed_param(s, i);
    const T g = s.grad[i];
    if (!k.momentum) {
      p = sub_rn(p, mul_rn(g, k.rate));
    } else {
      const T m = add_rn(mul_rn(-g, k.rate), mul_rn(s.a[i], k.mu));
      s.a[i] = m;
      p = add_rn(p, k.nesterov ? add_rn(mul_rn(-g, k.rate), mul_rn(m, k.mu)) : m);
    }
    s.param[i] = p;
  }
}

template <typename T>
struct AdamConsts {
  T one_minus_b1, one_minus_b2, alpha, eps;
};

// Slots: a = m, b = v, c = v_hat (amsgrad).
template <typename T>
__global__ void adam_kernel(Slots<T> s, int64_t n, AdamConsts<T> k) {
  for (int64_t i = grid_start(); i < n; i += grid_stride()) {
    T p = decayed_param(s, i);
    const T g = s.grad[i];
    const T m = add_rn(s.a[i], mul_rn(sub_rn(g, s.a[i]), k.one_minus_b1));
    const T v = add_rn(s.b[i], mul_rn(sub_rn(mul_rn(g, g), s.b[i]), k.one_minus_b2));
    s.a[i] = m;
    s.b[i] = v;
    T second = v;
    if (s.c) {
      const T h = s.c[i];
      second = h < v ? v : h;  // std::max(v_hat, v)
      s.c[i] = second;
    }
    s.param[i] = sub_rn(p, mul_rn(m, k.alpha) / add_rn(math::sqrt(second), k.eps));
  }
}

template <typename T>
struct RmspropConsts {
  T rho, one_minus_rho, rate, eps, mu;
};

// Slots: a = velocity, b = momentum (or nullptr), c = average_grad (or nullptr).
template <typename T>
__global__ void rmsprop_kernel(Slots<T> s, int64_t n, RmspropConsts<T> k) {
  for (int64_t i = grid_start(); i < n; i += grid_stride()) {
    T p = decayed_param(s, i);
    const T g = s.grad[i];
    const T velocity = add_rn(mul_rn(k.rho, s.a[i]), mul_rn(mul_rn(k.one_minus_rho, g), g));
    s.a[i] = velocity;
    T denominator = add_rn(velocity, k.eps);
    if (s.c) {
      const T average = add_rn(mul_rn(k.rho, s.c[i]), mul_rn(k.one_minus_rho, g));
      s.c[i] = average;
      denominator = add_rn(sub_rn(velocity, mul_rn(average, average)), k.eps);
    }
    const T increment = mul_rn(k.rate, g) / math::sqrt(denominator);
    if (s.b) {
      const T m = add_rn(mul_rn(k.mu, s.b[i]), increment);
      s.b[i] = m;
      p = sub_rn(p, m);
    } else {
      p = sub_rn(p, increment);
    }
    s.param[i] = p;
  }
}

// Slots: a = accumulator.
template <typename T>
__global__ void adagrad_kernel(Slots<T> s, int64_t n, T rate, T eps) {
  for (int64_t i = grid_start(); i < n; i += grid_stride()) {
    const T p = decayed_param(s, i);
    const T g = s.grad[i];
    const T accumulator = add_rn(s.a[i], mul_rn(g, g));
    s.a[i] = accumulator;
    s.param[i] = sub_rn(p, mul_rn(rate, g) / math::sqrt(add_rn(accumulator, eps)));
  }
}

}  // namespace

void sgd_update(const KernelArgs& args, cudaStream_t stream) {
  const contracts::SgdAttrs a = contracts::sgd_attrs(args);
  const int64_t n = args.in(0).size();
  if (n == 0) return;
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "sgdUpdate", {
    using T = scalar_t;
    const SgdConsts<T> k{static_cast<T>(a.lr), static_cast<T>(a.momentum), a.momentum != 0.0, a.nesterov};
    sgd_kernel<<<grid_for(n), kBlockSize, 0, stream>>>(slots_of<T>(args, a.lr, a.weight_decay), n, k);
  });
  TK_CUDA_CHECK_LAUNCH("sgdUpdate");
}

void adam_update(const KernelArgs& args, cudaStream_t stream) {
  const contracts::AdamAttrs a = contracts::adam_attrs(args);
  const int64_t n = args.in(0).size();
  if (n == 0) return;
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "adamUpdate", {
    using T = scalar_t;
    const AdamConsts<T> k{static_cast<T>(1.0 - a.beta_1), static_cast<T>(1.0 - a.beta_2), static_cast<T>(a.alpha),
                          static_cast<T>(a.epsilon)};
    Slots<T> s = slots_of<T>(args, a.lr, a.weight_decay);
    if (!a.amsgrad) s.c = nullptr;
    adam_kernel<<<grid_for(n), kBlockSize, 0, stream>>>(s, n, k);
  });
  TK_CUDA_CHECK_LAUNCH("adamUpdate");
}

void rmsprop_update(const KernelArgs& args, cudaStream_t stream) {
  const contracts::RmspropAttrs a = contracts::rmsprop_attrs(args);
  const int64_t n = args.in(0).size();
  if (n == 0) return;
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "rmspropUpdate", {
    using T = scalar_t;
    const RmspropConsts<T> k{static_cast<T>(a.rho), static_cast<T>(1.0 - a.rho), static_cast<T>(a.lr),
                             static_cast<T>(a.epsilon), static_cast<T>(a.momentum)};
    Slots<T> s = slots_of<T>(args, a.lr, a.weight_decay);
    // Inputs 3 and 4 are momentum then average_grad, either one absent.
    T* momentum_slot = a.momentum > 0.0 ? args.in(3).data<T>() : nullptr;
    T* average_slot = a.centered ? args.in(a.momentum > 0.0 ? 4 : 3).data<T>() : nullptr;
    s.b = momentum_slot;
    s.c = average_slot;
    rmsprop_kernel<<<grid_for(n), kBlockSize, 0, stream>>>(s, n, k);
  });
  TK_CUDA_CHECK_LAUNCH("rmspropUpdate");
}

void adagrad_update(const KernelArgs& args, cudaStream_t stream) {
  const contracts::AdagradAttrs a = contracts::adagrad_attrs(args);
  const int64_t n = args.in(0).size();
  if (n == 0) return;
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "adagradUpdate", {
    using T = scalar_t;
    adagrad_kernel<<<grid_for(n), kBlockSize, 0, stream>>>(slots_of<T>(args, a.lr, a.weight_decay), n,
                                                           static_cast<T>(a.lr), static_cast<T>(a.epsilon));
  });
  TK_CUDA_CHECK_LAUNCH("adagradUpdate");
}

}  // namespace tessera::cuda
