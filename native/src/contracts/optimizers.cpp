#include "optimizers.h"

#include <cmath>

#include "shape_text.h"
#include "tessera/op_attrs.h"

namespace tessera::contracts {

namespace {

void check_slots(const char* op, const KernelArgs& args, int expected, const char* which) {
  TK_CHECK(args.num_inputs() == expected,
           op << ": expected " << expected << " inputs (" << which << "), got " << args.num_inputs());
  const View param = args.in(0);
  for (int i = 1; i < expected; ++i)
    TK_CHECK(args.in(i).size() == param.size() && args.in(i).dtype() == param.dtype(),
             op << ": expected input " << i << " to match the parameter (" << param.size() << " "
                << dtype_name(param.dtype()) << " values), got " << args.in(i).size() << " "
                << dtype_name(args.in(i).dtype()) << " values");
}

bool same_shape(const View& a, const View& b) {
  if (a.rank() != b.rank()) return false;
  for (int d = 0; d < a.rank(); ++d)
    if (a.dim(d) != b.dim(d)) return false;
  return true;
}

// The multi-tensor layout: at least one whole group of `group_size` inputs; in each group
// the gradient and slots have the parameter's shape, and every input the first dtype.
void check_groups(const char* op, const KernelArgs& args, int group_size, const char* which) {
  const int n = args.num_inputs();
  TK_CHECK(n >= group_size && n % group_size == 0,
           op << ": expected groups of " << group_size << " inputs (" << which << "), got " << n << " inputs");
  const DType dtype = args.in(0).dtype();
  for (int g = 0; g < n / group_size; ++g) {
    const int base = g * group_size;
    const View param = args.in(base);
    for (int j = 0; j < group_size; ++j) {
      const View t = args.in(base + j);
      TK_CHECK(t.dtype() == dtype, op << ": group " << g << ": expected input " << base + j << " to be "
                                      << dtype_name(dtype) << " like input 0, got " << dtype_name(t.dtype()));
      TK_CHECK(same_shape(t, param), op << ": group " << g << ": expected input " << base + j
                                        << " to have its parameter's shape " << shape_text(param) << ", got "
                                        << shape_text(t));
    }
  }
}

// The attributes of the single- and multi-tensor kernels alike (In: the generated reader).
template <typename In>
SgdAttrs sgd_from(const In& in) {
  SgdAttrs a;
  a.lr = in.learning_rate;
  a.momentum = in.momentum;
  a.nesterov = in.nesterov;
  a.weight_decay = in.weight_decay;
  a.group_size = a.momentum != 0.0 ? 3 : 2;
  return a;
}
constexpr const char* kSgdInputs = "param, grad and a momentum slot when momentum != 0";

template <typename In>
AdamAttrs adam_from(const char* op, const In& in) {
  AdamAttrs a;
  a.amsgrad = in.amsgrad;
  a.lr = in.learning_rate;
  a.beta_1 = in.beta1;
  a.beta_2 = in.beta2;
  a.epsilon = in.epsilon;
  const double step = in.step;
  TK_CHECK(step >= 1, op << ": expected a 1-based step, got " << step);
  a.weight_decay = in.weight_decay;
  a.alpha = a.lr * std::sqrt(1.0 - std::pow(a.beta_2, step)) / (1.0 - std::pow(a.beta_1, step));
  a.group_size = a.amsgrad ? 5 : 4;
  return a;
}
constexpr const char* kAdamInputs = "param, grad, m, v and v_hat when amsgrad";

template <typename In>
RmspropAttrs rmsprop_from(const In& in) {
  RmspropAttrs a;
  a.momentum = in.momentum;
  a.centered = in.centered;
  a.lr = in.learning_rate;
  a.rho = in.rho;
  a.epsilon = in.epsilon;
  a.weight_decay = in.weight_decay;
  a.group_size = 3 + (a.momentum > 0.0) + a.centered;
  return a;
}
constexpr const char* kRmspropInputs =
    "param, grad, velocity, then momentum when momentum > 0, then average_grad when centered";

template <typename In>
AdagradAttrs adagrad_from(const In& in) {
  AdagradAttrs a;
  a.lr = in.learning_rate;
  a.epsilon = in.epsilon;
  a.weight_decay = in.weight_decay;
  return a;
}
constexpr const char* kAdagradInputs = "param, grad and accumulator";

}  // namespace

SgdAttrs sgd_attrs(const KernelArgs& args) {
  const SgdAttrs a = sgd_from(attrs::SgdUpdateAttrs::read(args));
  check_slots("sgdUpdate", args, a.group_size, kSgdInputs);
  return a;
}

AdamAttrs adam_attrs(const KernelArgs& args) {
  const auto in = attrs::AdamUpdateAttrs::read(args);
  check_slots("adamUpdate", args, in.amsgrad ? 5 : 4, kAdamInputs);
  return adam_from("adamUpdate", in);
}

RmspropAttrs rmsprop_attrs(const KernelArgs& args) {
  const RmspropAttrs a = rmsprop_from(attrs::RmspropUpdateAttrs::read(args));
  check_slots("rmspropUpdate", args, a.group_size, kRmspropInputs);
  return a;
}

AdagradAttrs adagrad_attrs(const KernelArgs& args) {
  check_slots("adagradUpdate", args, 3, kAdagradInputs);
  return adagrad_from(attrs::AdagradUpdateAttrs::read(args));
}

SgdAttrs multi_sgd_attrs(const KernelArgs& args) {
  const SgdAttrs a = sgd_from(attrs::MultiSgdUpdateAttrs::read(args));
  check_groups("multiSgdUpdate", args, a.group_size, kSgdInputs);
  return a;
}

AdamAttrs multi_adam_attrs(const KernelArgs& args) {
  const auto in = attrs::MultiAdamUpdateAttrs::read(args);
  check_groups("multiAdamUpdate", args, in.amsgrad ? 5 : 4, kAdamInputs);
  return adam_from("multiAdamUpdate", in);
}

RmspropAttrs multi_rmsprop_attrs(const KernelArgs& args) {
  const RmspropAttrs a = rmsprop_from(attrs::MultiRmspropUpdateAttrs::read(args));
  check_groups("multiRmspropUpdate", args, a.group_size, kRmspropInputs);
  return a;
}

AdagradAttrs multi_adagrad_attrs(const KernelArgs& args) {
  check_groups("multiAdagradUpdate", args, 3, kAdagradInputs);
  return adagrad_from(attrs::MultiAdagradUpdateAttrs::read(args));
}

}  // namespace tessera::contracts
