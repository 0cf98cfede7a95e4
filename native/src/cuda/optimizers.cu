// Fused optimizer updates, in place (the CUDA half of cpu/optimizers.cpp, which documents
// the inputs, slots, attributes and formulas). A thread per element runs the CPU's
// expression in the CPU's order, every product and sum rounded on its own (exact.cuh:
// no FMA), with IEEE division and square root: the bits of the CPU's plain x86-64 loop,
// and within an ulp of its AVX2 / AVX-512 loops, where GCC may fuse a * b + c.
// Each step is one __device__ function of an element, shared by the single-tensor kernel
// (a grid-stride loop over one tensor) and the multi-tensor one (multi_tensor.cuh: a block
// per chunk of a list of tensors), so that both compute the same bits.
#include <cmath>

#include "check.h"
#include "contracts/optimizers.h"
#include "exact.cuh"
#include "kernels.h"
#include "launch.cuh"
#include "math.cuh"
#include "multi_tensor.cuh"

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

struct SgdStep {
  template <typename T>
  __device__ static void apply(const Slots<T>& s, int64_t i, const SgdConsts<T>& k) {
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
};

template <typename T>
struct AdamConsts {
  T one_minus_b1, one_minus_b2, alpha, eps;
};

// Slots: a = m, b = v, c = v_hat (amsgrad).
struct AdamStep {
  template <typename T>
  __device__ static void apply(const Slots<T>& s, int64_t i, const AdamConsts<T>& k) {
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
};

template <typename T>
struct RmspropConsts {
  T rho, one_minus_rho, rate, eps, mu;
};

// Slots: a = velocity, b = momentum (or nullptr), c = average_grad (or nullptr).
struct RmspropStep {
  template <typename T>
  __device__ static void apply(const Slots<T>& s, int64_t i, const RmspropConsts<T>& k) {
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
};

template <typename T>
struct AdagradConsts {
  T rate, eps;
};

// Slots: a = accumulator.
struct AdagradStep {
  template <typename T>
  __device__ static void apply(const Slots<T>& s, int64_t i, const AdagradConsts<T>& k) {
    const T p = decayed_param(s, i);
    const T g = s.grad[i];
    const T accumulator = add_rn(s.a[i], mul_rn(g, g));
    s.a[i] = accumulator;
    s.param[i] = sub_rn(p, mul_rn(k.rate, g) / math::sqrt(add_rn(accumulator, k.eps)));
  }
};

// Step::apply over every element of one tensor, grid-stride.
template <typename Step, typename T, typename Consts>
__global__ void each_element(Slots<T> s, int64_t n, Consts k) {
  for (int64_t i = grid_start(); i < n; i += grid_stride()) Step::apply(s, i, k);
}

template <typename Step, typename T, typename Consts>
void launch_single(const KernelArgs& args, const Slots<T>& s, const Consts& k, cudaStream_t stream) {
  const int64_t n = args.in(0).size();
  if (n == 0) return;
  each_element<Step><<<grid_for(n), kBlockSize, 0, stream>>>(s, n, k);
}

// Step::apply over every element of the tensors of one list, a block per chunk.
template <typename Step, typename T, typename Consts>
__global__ void each_chunk(TensorList<T> list, T decay, bool decayed, Consts k) {
  const int t = list.tensor_of_chunk[blockIdx.x];
  const int64_t begin = static_cast<int64_t>(list.chunk_of_chunk[blockIdx.x]) * kChunkSize;
  const int64_t end = begin + kChunkSize < list.size[t] ? begin + kChunkSize : list.size[t];
  const Slots<T> s{list.param[t], list.grad[t], list.a[t], list.b[t], list.c[t], decay, decayed};
  for (int64_t i = begin + threadIdx.x; i < end; i += blockDim.x) Step::apply(s, i, k);
}

// The multi-tensor kernel over every group; `slots_of_group(base)` gives a group's Slots
// from its first input (decay fields unused: the one decay comes separately).
template <typename Step, typename T, typename Consts, typename SlotsOfGroup>
void launch_multi(const KernelArgs& args, int group_size, double lr, double weight_decay, const Consts& k,
                  SlotsOfGroup slots_of_group, cudaStream_t stream) {
  const T decay = static_cast<T>(weight_decay * lr);
  const bool decayed = weight_decay != 0.0;
  for_each_list<T>(
      args.num_inputs() / group_size, [&](int g) { return args.in(g * group_size).size(); },
      [&](TensorList<T>& list, int t, int g) {
        const Slots<T> s = slots_of_group(g * group_size);
        list.param[t] = s.param;
        list.grad[t] = s.grad;
        list.a[t] = s.a;
        list.b[t] = s.b;
        list.c[t] = s.c;
      },
      [&](const TensorList<T>& list, int chunks) {
        each_chunk<Step><<<chunks, kBlockSize, 0, stream>>>(list, decay, decayed, k);
      });
}

// The pointers of the group whose parameter is input `base`, in the single-tensor layout.
template <typename T>
Slots<T> group_at(const KernelArgs& args, int base, int group_size) {
  auto at = [&](int j) { return j < group_size ? args.in(base + j).data<T>() : nullptr; };
  return {at(0), at(1), at(2), at(3), at(4), T(0), false};
}

// RMSprop's inputs 3 and 4 are momentum then average_grad, either one absent.
template <typename T>
Slots<T> rmsprop_slots(Slots<T> s, const contracts::RmspropAttrs& a) {
  T* momentum_slot = a.momentum > 0.0 ? s.b : nullptr;
  T* average_slot = a.centered ? (a.momentum > 0.0 ? s.c : s.b) : nullptr;
  s.b = momentum_slot;
  s.c = average_slot;
  return s;
}

template <typename T>
SgdConsts<T> sgd_consts(const contracts::SgdAttrs& a) {
  return {static_cast<T>(a.lr), static_cast<T>(a.momentum), a.momentum != 0.0, a.nesterov};
}

template <typename T>
AdamConsts<T> adam_consts(const contracts::AdamAttrs& a) {
  return {static_cast<T>(1.0 - a.beta_1), static_cast<T>(1.0 - a.beta_2), static_cast<T>(a.alpha),
          static_cast<T>(a.epsilon)};
}

template <typename T>
RmspropConsts<T> rmsprop_consts(const contracts::RmspropAttrs& a) {
  return {static_cast<T>(a.rho), static_cast<T>(1.0 - a.rho), static_cast<T>(a.lr), static_cast<T>(a.epsilon),
          static_cast<T>(a.momentum)};
}

template <typename T>
AdagradConsts<T> adagrad_consts(const contracts::AdagradAttrs& a) {
  return {static_cast<T>(a.lr), static_cast<T>(a.epsilon)};
}

}  // namespace

void sgd_update(const KernelArgs& args, cudaStream_t stream) {
  const contracts::SgdAttrs a = contracts::sgd_attrs(args);
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "sgdUpdate", {
    using T = scalar_t;
    launch_single<SgdStep>(args, slots_of<T>(args, a.lr, a.weight_decay), sgd_consts<T>(a), stream);
  });
  TK_CUDA_CHECK_LAUNCH("sgdUpdate");
}

void adam_update(const KernelArgs& args, cudaStream_t stream) {
  const contracts::AdamAttrs a = contracts::adam_attrs(args);
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "adamUpdate", {
    using T = scalar_t;
    Slots<T> s = slots_of<T>(args, a.lr, a.weight_decay);
    if (!a.amsgrad) s.c = nullptr;
    launch_single<AdamStep>(args, s, adam_consts<T>(a), stream);
  });
  TK_CUDA_CHECK_LAUNCH("adamUpdate");
}

void rmsprop_update(const KernelArgs& args, cudaStream_t stream) {
  const contracts::RmspropAttrs a = contracts::rmsprop_attrs(args);
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "rmspropUpdate", {
    using T = scalar_t;
    launch_single<RmspropStep>(args, rmsprop_slots(slots_of<T>(args, a.lr, a.weight_decay), a), rmsprop_consts<T>(a),
                               stream);
  });
  TK_CUDA_CHECK_LAUNCH("rmspropUpdate");
}

void adagrad_update(const KernelArgs& args, cudaStream_t stream) {
  const contracts::AdagradAttrs a = contracts::adagrad_attrs(args);
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "adagradUpdate", {
    using T = scalar_t;
    launch_single<AdagradStep>(args, slots_of<T>(args, a.lr, a.weight_decay), adagrad_consts<T>(a), stream);
  });
  TK_CUDA_CHECK_LAUNCH("adagradUpdate");
}

void multi_sgd_update(const KernelArgs& args, cudaStream_t stream) {
  const contracts::SgdAttrs a = contracts::multi_sgd_attrs(args);
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "multiSgdUpdate", {
    using T = scalar_t;
    launch_multi<SgdStep, T>(
        args, a.group_size, a.lr, a.weight_decay, sgd_consts<T>(a),
        [&](int base) { return group_at<T>(args, base, a.group_size); }, stream);
  });
  TK_CUDA_CHECK_LAUNCH("multiSgdUpdate");
}

void multi_adam_update(const KernelArgs& args, cudaStream_t stream) {
  const contracts::AdamAttrs a = contracts::multi_adam_attrs(args);
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "multiAdamUpdate", {
    using T = scalar_t;
    launch_multi<AdamStep, T>(
        args, a.group_size, a.lr, a.weight_decay, adam_consts<T>(a),
        [&](int base) { return group_at<T>(args, base, a.group_size); }, stream);
  });
  TK_CUDA_CHECK_LAUNCH("multiAdamUpdate");
}

void multi_rmsprop_update(const KernelArgs& args, cudaStream_t stream) {
  const contracts::RmspropAttrs a = contracts::multi_rmsprop_attrs(args);
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "multiRmspropUpdate", {
    using T = scalar_t;
    launch_multi<RmspropStep, T>(
        args, a.group_size, a.lr, a.weight_decay, rmsprop_consts<T>(a),
        [&](int base) { return rmsprop_slots(group_at<T>(args, base, a.group_size), a); }, stream);
  });
  TK_CUDA_CHECK_LAUNCH("multiRmspropUpdate");
}

void multi_adagrad_update(const KernelArgs& args, cudaStream_t stream) {
  const contracts::AdagradAttrs a = contracts::multi_adagrad_attrs(args);
  TK_DISPATCH_FLOAT(args.in(0).dtype(), "multiAdagradUpdate", {
    using T = scalar_t;
    launch_multi<AdagradStep, T>(
        args, a.group_size, a.lr, a.weight_decay, adagrad_consts<T>(a),
        [&](int base) { return group_at<T>(args, base, a.group_size); }, stream);
  });
  TK_CUDA_CHECK_LAUNCH("multiAdagradUpdate");
}

}  // namespace tessera::cuda
