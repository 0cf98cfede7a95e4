// What the fused optimizer updates accept, on every device (cpu/optimizers.cpp documents
// the slots, attributes and formulas): each parser checks the attribute count and that
// the inputs are the parameter, its gradient and exactly the slots the attributes call
// for, all of the parameter's size and dtype, and returns the attributes.
// The multi_* parsers read the same attributes for N groups of those inputs laid end to
// end (group_size inputs each): every group's gradient and slots have its parameter's
// shape, and every tensor the first parameter's dtype. Errors name the kernel and the
// group. (That all inputs share one device the addon checks before any kernel runs.)
#pragma once

#include "tessera/kernel.h"

namespace tessera::contracts {

struct SgdAttrs {
  double lr = 0.0, momentum = 0.0, weight_decay = 0.0;
  bool nesterov = false;
  int group_size = 0;  // inputs per parameter: param, grad and the slots
};
SgdAttrs sgd_attrs(const KernelArgs& args);
SgdAttrs multi_sgd_attrs(const KernelArgs& args);

struct AdamAttrs {
  double lr = 0.0, beta_1 = 0.0, beta_2 = 0.0, epsilon = 0.0, weight_decay = 0.0;
  bool amsgrad = false;
  // lr * sqrt(1 - beta_2^step) / (1 - beta_1^step), on the host with the CPU's libm on
  // every device: the one place the bias correction is computed.
  double alpha = 0.0;
  int group_size = 0;  // inputs per parameter: param, grad and the slots
};
AdamAttrs adam_attrs(const KernelArgs& args);
AdamAttrs multi_adam_attrs(const KernelArgs& args);

struct RmspropAttrs {
  double lr = 0.0, rho = 0.0, momentum = 0.0, epsilon = 0.0, weight_decay = 0.0;
  bool centered = false;
  int group_size = 0;  // inputs per parameter: param, grad and the slots
};
RmspropAttrs rmsprop_attrs(const KernelArgs& args);
RmspropAttrs multi_rmsprop_attrs(const KernelArgs& args);

struct AdagradAttrs {
  double lr = 0.0, epsilon = 0.0, weight_decay = 0.0;
  int group_size = 3;  // param, grad, accumulator
};
AdagradAttrs adagrad_attrs(const KernelArgs& args);
AdagradAttrs multi_adagrad_attrs(const KernelArgs& args);

}  // namespace tessera::contracts
