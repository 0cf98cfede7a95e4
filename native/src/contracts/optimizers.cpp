#include "optimizers.h"

#include <cmath>

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

}  // namespace

SgdAttrs sgd_attrs(const KernelArgs& args) {
  const auto in = attrs::SgdUpdateAttrs::read(args);
  SgdAttrs a;
  a.lr = in.learning_rate;
  a.momentum = in.momentum;
  check_slots("sgdUpdate", args, a.momentum != 0.0 ? 3 : 2, "param, grad and a momentum slot when momentum != 0");
  a.nesterov = in.nesterov;
  a.weight_decay = in.weight_decay;
  return a;
}

AdamAttrs adam_attrs(const KernelArgs& args) {
  const auto in = attrs::AdamUpdateAttrs::read(args);
  AdamAttrs a;
  a.amsgrad = in.amsgrad;
  check_slots("adamUpdate", args, a.amsgrad ? 5 : 4, "param, grad, m, v and v_hat when amsgrad");
  a.lr = in.learning_rate;
  a.beta_1 = in.beta1;
  a.beta_2 = in.beta2;
  a.epsilon = in.epsilon;
  const double step = in.step;
  TK_CHECK(step >= 1, "adamUpdate: expected a 1-based step, got " << step);
  a.weight_decay = in.weight_decay;
  a.alpha = a.lr * std::sqrt(1.0 - std::pow(a.beta_2, step)) / (1.0 - std::pow(a.beta_1, step));
  return a;
}

RmspropAttrs rmsprop_attrs(const KernelArgs& args) {
  const auto in = attrs::RmspropUpdateAttrs::read(args);
  RmspropAttrs a;
  a.momentum = in.momentum;
  a.centered = in.centered;
  check_slots("rmspropUpdate", args, 3 + (a.momentum > 0.0) + a.centered,
              "param, grad, velocity, then momentum when momentum > 0, then average_grad when centered");
  a.lr = in.learning_rate;
  a.rho = in.rho;
  a.epsilon = in.epsilon;
  a.weight_decay = in.weight_decay;
  return a;
}

AdagradAttrs adagrad_attrs(const KernelArgs& args) {
  check_slots("adagradUpdate", args, 3, "param, grad and accumulator");
  const auto in = attrs::AdagradUpdateAttrs::read(args);
  AdagradAttrs a;
  a.lr = in.learning_rate;
  a.epsilon = in.epsilon;
  a.weight_decay = in.weight_decay;
  return a;
}

}  // namespace tessera::contracts
