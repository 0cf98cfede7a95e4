// What a kernel sees: typed views of its inputs and outputs, and its attributes.
// Outputs are allocated by the caller with the shapes and dtypes the TypeScript op
// inferred; a kernel only fills them.
#pragma once
#include <cstdint>
#include <vector>

#include "abi.h"
#include "dtype.h"
#include "errors.h"

namespace tessera {

struct View {
  const TkTensor* t;
  DType dtype() const { return static_cast<DType>(t->dtype); }
  int rank() const { return t->rank; }
  int64_t dim(int i) const { return t->shape[i < 0 ? i + t->rank : i]; }
  int64_t size() const { return t->size; }
  template <typename T>
  T* data() const {
    return static_cast<T*>(t->data);
  }
  std::vector<int64_t> shape() const { return std::vector<int64_t>(t->shape, t->shape + t->rank); }
};

class KernelArgs {
 public:
  explicit KernelArgs(const TkKernelArgs& a) : a_(a) {}
  int num_inputs() const { return a_.num_inputs; }
  int num_outputs() const { return a_.num_outputs; }
  View in(int i) const { return View{&a_.inputs[i]}; }
  View out(int i) const { return View{&a_.outputs[i]}; }
  int num_attrs() const { return a_.num_attrs; }
  double attr(int i) const { return a_.attrs[i]; }
  int64_t attr_int(int i) const { return static_cast<int64_t>(a_.attrs[i]); }
  // Attributes [from, from + count) as integers: axes, permutations, paddings.
  std::vector<int64_t> attr_ints(int from, int count) const {
    std::vector<int64_t> v(count);
    for (int i = 0; i < count; ++i) v[i] = attr_int(from + i);
    return v;
  }
  const TkKernelArgs& raw() const { return a_; }

 private:
  const TkKernelArgs& a_;
};

using KernelFn = void (*)(const KernelArgs&);

// Every CPU kernel of ops.def, declared once; each family's file defines its own.
namespace cpu {
#define TK_OP(name, inputs, outputs, devices, ...) void name(const KernelArgs& args);
#include "../../ops.def"
#undef TK_OP
}  // namespace cpu

}  // namespace tessera
