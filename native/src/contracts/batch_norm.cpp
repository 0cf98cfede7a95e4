#include "batch_norm.h"

namespace tessera::contracts {

ChannelLayout channel_layout(const char* op, int64_t attr_axis, const View& x) {
  int64_t axis = attr_axis;
  if (axis < 0) axis += x.rank();
  TK_CHECK(axis >= 0 && axis < x.rank(), op << ": expected an axis in [" << -x.rank() << ", " << x.rank()
                                            << ") for a tensor of rank " << x.rank() << ", got " << attr_axis);
  ChannelLayout l;
  for (int d = 0; d < x.rank(); ++d) {
    if (d < axis) l.outer *= x.dim(d);
    else if (d == axis) l.channels = x.dim(d);
    else l.inner *= x.dim(d);
  }
  return l;
}

void check_channel_vectors(const char* op, const KernelArgs& args, const ChannelLayout& l,
                           std::initializer_list<int> inputs) {
  for (int i : inputs)
    TK_CHECK(args.in(i).size() == l.channels && args.in(i).dtype() == args.in(0).dtype(),
             op << ": expected input " << i << " to hold " << l.channels << " values of dtype "
                << dtype_name(args.in(0).dtype()) << ", got " << args.in(i).size() << " of "
                << dtype_name(args.in(i).dtype()));
}

void check_channel_outputs(const char* op, const KernelArgs& args, const ChannelLayout& l, int64_t size) {
  for (int k = 0; k < args.num_outputs(); ++k) {
    const View o = args.out(k);
    const int64_t want = k == 0 ? size : l.channels;
    TK_CHECK(o.size() == want && o.dtype() == args.in(0).dtype(),
             op << ": expected output " << k << " to hold " << want << " values of dtype "
                << dtype_name(args.in(0).dtype()) << ", got " << o.size() << " of " << dtype_name(o.dtype()));
  }
}

}  // namespace tessera::contracts
