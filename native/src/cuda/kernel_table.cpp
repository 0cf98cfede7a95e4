// The CUDA column of ops.def, and the checks every kernel call gets before it launches:
// a wrong pointer on the GPU is not a wrong answer but a lost context, so counts, dtypes
// and ranks are checked here rather than trusted.
#include <string>

#include "device.h"
#include "kernels.h"
#include "tessera/attr_check.h"
#include "tessera/ops.h"

namespace tessera::cuda {

namespace {

struct CudaOp {
  const char* name;
  int inputs;  // -1: variadic
  int outputs;
  CudaKernelFn kernel;  // nullptr: CPU only
};

#define TK_CUDA_KERNEL_CPU_ONLY(name) nullptr
#define TK_CUDA_KERNEL_CPU_CUDA(name) &name
const CudaOp kCudaOps[kNumOps] = {
#define TK_OP(name, inputs, outputs, devices, ...) {#name, inputs, outputs, TK_CUDA_KERNEL_##devices(name)},
#include "../../ops.def"
#undef TK_OP
};

void check_tensor(const CudaOp& op, const char* role, int index, const TkTensor& t) {
  TK_CHECK(dtype_valid(t.dtype), op.name << ": " << role << " " << index << " has unknown dtype code " << t.dtype);
  TK_CHECK(t.rank >= 0 && t.rank <= TK_MAX_RANK,
           op.name << ": " << role << " " << index << " has rank " << t.rank << ", expected at most " << TK_MAX_RANK);
  int64_t size = 1;
  for (int d = 0; d < t.rank; ++d) size *= t.shape[d];
  TK_CHECK(size == t.size, op.name << ": " << role << " " << index << " has size " << t.size << " but its shape holds "
                                   << size << " elements");
}

}  // namespace

bool has_kernel(int op) { return op >= 0 && op < kNumOps && kCudaOps[op].kernel != nullptr; }

bool run_kernel(int device, int op_id, const TkKernelArgs& args) {
  TK_CHECK(op_id >= 0 && op_id < kNumOps, "unknown op id " << op_id << " (ops.def has " << kNumOps << " rows)");
  const CudaOp& op = kCudaOps[op_id];
  if (!op.kernel) return false;
  TK_CHECK(op.inputs < 0 || args.num_inputs == op.inputs,
           op.name << ": expected " << op.inputs << " input(s), got " << args.num_inputs);
  TK_CHECK(args.num_outputs == op.outputs,
           op.name << ": expected " << op.outputs << " output(s), got " << args.num_outputs);
  for (int i = 0; i < args.num_inputs; ++i) check_tensor(op, "input", i, args.inputs[i]);
  for (int i = 0; i < args.num_outputs; ++i) check_tensor(op, "output", i, args.outputs[i]);
  attrs::check_attrs(op_id, args);  // the CPU backend runs the same check: one error text on both devices
  op.kernel(KernelArgs(args), activate(device));
  return true;
}

}  // namespace tessera::cuda
