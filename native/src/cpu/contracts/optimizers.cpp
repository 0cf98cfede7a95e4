#include "optimizers.h"

#include <cmath>

namespace tessera::contracts {

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

}  // namespace

SgdAttrs sgd_attrs(const KernelArgs& args) {
  SgdAttrs a;
  a.lr = args.num_attrs() > 0 ? args.attr(0) : 0.0;
  a.momentum = args.num_attrs() > 1 ? args.attr(1) : 0.0;
  check_slots("sgdUpdate", args, a.momentum != 0.0 ? 3 : 2, 4, "param, grad and a momentum slot when momentum != 0");
  a.nesterov = args.attr(2) != 0.0;
  a.weight_decay = args.attr(3);
  return a;
}

AdamAttrs adam_attrs(const KernelArgs& args) {
  AdamAttrs a;
  a.amsgrad = args.num_attrs() > 6 && args.attr(6) != 0.0;
  check_slots("adamUpdate", args, a.amsgrad ? 5 : 4, 7, "param, grad, m, v and v_hat when amsgrad");
  a.lr = args.attr(0);
  a.beta_1 = args.attr(1);
  a.beta_2 = args.attr(2);
  a.epsilon = args.attr(3);
  const double step = args.attr(4);
  TK_CHECK(step >= 1, "adamUpdate: expected a 1-based step, got " << step);
  a.weight_decay = args.attr(5);
  a.alpha = a.lr * std::sqrt(1.0 - std::pow(a.beta_2, step)) / (1.0 - std::pow(a.beta_1, step));
  return a;
}

RmspropAttrs rmsprop_attrs(const KernelArgs& args) {
  RmspropAttrs a;
  a.momentum = args.num_attrs() > 2 ? args.attr(2) : 0.0;
  a.centered = args.num_attrs() > 4 && args.attr(4) != 0.0;
  check_slots("rmspropUpdate", args, 3 + (a.momentum > 0.0) + a.centered, 6,
              "param, grad, velocity, then momentum when momentum > 0, then average_grad when centered");
  a.lr = args.attr(0);
  a.rho = args.attr(1);
  a.epsilon = args.attr(3);
  a.weight_decay = args.attr(5);
  return a;
}

AdagradAttrs adagrad_attrs(const KernelArgs& args) {
  check_slots("adagradUpdate", args, 3, 3, "param, grad and accumulator");
  AdagradAttrs a;
  a.lr = args.attr(0);
  a.epsilon = args.attr(1);
  a.weight_decay = args.attr(2);
  return a;
}

}  // namespace tessera::contracts
