#include "batch_norm.h"

namespace tessera::contracts {

ChannelLayout channel_layout(const char* op, const KernelArgs& args, const View& x) {
  TK_CHECK(args.num_attrs() >= 1, op << ": expected the channel axis as attribute 0");
  int64_t axis = args.attr_int(0);
  if (axis < 0) axis += x.rank();
  TK_CHECK(axis >= 0 && axis < x.rank(), op << ": expected an axis in [" << -x.rank() << ", " << x.rank()
                                            << ") for a tensor of rank " << x.rank() << ", got " << args.attr_int(0));
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

}  // namespace tessera::contracts
