// What the fused optimizer updates accept, on every device (cpu/optimizers.cpp documents
// the slots, attributes and formulas): each parser checks the attribute count and that
// the inputs are the parameter, its gradient and exactly the slots the attributes call
// for, all of the parameter's size and dtype, and returns the attributes.
#pragma once

#include "tessera/kernel.h"

namespace tessera::contracts {

struct SgdAttrs {
  double lr = 0.0, momentum = 0.0, weight_decay = 0.0;
  bool nesterov = false;
};
SgdAttrs sgd_attrs(const KernelArgs& args);

struct AdamAttrs {
  double lr = 0.0, beta_1 = 0.0, beta_2 = 0.0, epsilon = 0.0, weight_decay = 0.0;
  bool amsgrad = false;
  // lr * sqrt(1 - beta_2^step) / (1 - beta_1^step), on the host with the CPU's libm on
  // every device: the one place the bias correction is computed.
  double alpha = 0.0;
};
AdamAttrs adam_attrs(const KernelArgs& args);

struct RmspropAttrs {
  double lr = 0.0, rho = 0.0, momentum = 0.0, epsilon = 0.0, weight_decay = 0.0;
  bool centered = false;
};
RmspropAttrs rmsprop_attrs(const KernelArgs& args);

struct AdagradAttrs {
  double lr = 0.0, epsilon = 0.0, weight_decay = 0.0;
};
AdagradAttrs adagrad_attrs(const KernelArgs& args);

}  // namespace tessera::contracts
