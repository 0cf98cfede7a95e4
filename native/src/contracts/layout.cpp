#include "layout.h"

#include "shape_text.h"

namespace tessera::contracts {

namespace {

void check_same_rank(const char* name, const View& x, const View& out) {
  TK_CHECK(out.rank() == x.rank() && out.dtype() == x.dtype(),
           name << ": expected an output of rank " << x.rank() << " and dtype " << dtype_name(x.dtype())
                << ", got rank " << out.rank() << " and " << dtype_name(out.dtype()));
}

}  // namespace

void check_transpose(const View& x, const View& out, const std::vector<int64_t>& perm) {
  check_same_rank("transpose", x, out);
  std::vector<bool> seen(x.rank(), false);
  for (int d = 0; d < x.rank(); ++d) {
    TK_CHECK(perm[d] >= 0 && perm[d] < x.rank() && !seen[perm[d]],
             "transpose: expected a permutation of [0, " << x.rank() << "), got " << perm[d] << " at " << d);
    seen[perm[d]] = true;
    TK_CHECK(out.dim(d) == x.dim(static_cast<int>(perm[d])), "transpose: expected output axis "
                                                                 << d << " of " << x.dim(static_cast<int>(perm[d]))
                                                                 << ", got " << out.dim(d));
  }
}

void check_slice(const View& x, const View& out, const std::vector<int64_t>& begin) {
  check_same_rank("slice", x, out);
  for (int d = 0; d < x.rank(); ++d)
    TK_CHECK(begin[d] >= 0 && out.dim(d) >= 0 && begin[d] <= x.dim(d) && out.dim(d) <= x.dim(d) - begin[d],
             "slice: axis " << d << " of size " << x.dim(d) << " has no [" << begin[d] << ", " << begin[d] + out.dim(d)
                            << ")");
}

void check_concat(const KernelArgs& args, int64_t axis) {
  const View out = args.out(0);
  TK_CHECK(axis >= 0 && axis < out.rank(), "concat: expected an axis in [0, " << out.rank() << "), got " << axis);
  int64_t total = 0;
  for (int k = 0; k < args.num_inputs(); ++k) {
    const View x = args.in(k);
    bool fits = x.rank() == out.rank() && x.dtype() == out.dtype();
    for (int d = 0; fits && d < out.rank(); ++d) fits = d == axis || x.dim(d) == out.dim(d);
    TK_CHECK(fits, "concat: input " << k << " of shape " << shape_text(x) << " and dtype " << dtype_name(x.dtype())
                                    << " does not fit the output " << shape_text(out) << " along axis " << axis);
    total += x.dim(static_cast<int>(axis));
  }
  TK_CHECK(total == out.dim(static_cast<int>(axis)), "concat: the inputs add up to "
                                                         << total << " along axis " << axis << ", the output has "
                                                         << out.dim(static_cast<int>(axis)));
}

void check_gather(const View& x, const View& indices, const View& out, int64_t axis) {
  TK_CHECK(axis >= 0 && axis < x.rank(), "gather: expected an axis in [0, " << x.rank() << "), got " << axis);
  TK_CHECK(indices.dtype() == DType::Int32, "gather: expected int32 indices, got " << dtype_name(indices.dtype()));
  int64_t outer = 1, inner = 1;
  for (int d = 0; d < axis; ++d) outer *= x.dim(d);
  for (int d = static_cast<int>(axis) + 1; d < x.rank(); ++d) inner *= x.dim(d);
  const int64_t want = outer * indices.size() * inner;
  TK_CHECK(out.dtype() == x.dtype() && out.size() == want,
           "gather: expected an output of " << want << " " << dtype_name(x.dtype()) << " values, got " << out.size()
                                            << " " << dtype_name(out.dtype()));
}

void check_pad(const View& x, const View& out, const std::vector<int64_t>& paddings) {
  check_same_rank("pad", x, out);
  for (int d = 0; d < x.rank(); ++d) {
    const int64_t before = paddings[2 * d], after = paddings[2 * d + 1];
    TK_CHECK(before >= 0 && after >= 0 && out.dim(d) - x.dim(d) - before == after,
             "pad: axis " << d << " of size " << x.dim(d) << " padded by [" << before << ", " << after
                          << "] is not the output's " << out.dim(d));
  }
}

void check_tile(const View& x, const View& out) {
  check_same_rank("tile", x, out);
  for (int d = 0; d < x.rank(); ++d)
    TK_CHECK(
        x.dim(d) > 0 ? out.dim(d) % x.dim(d) == 0 : out.dim(d) == 0,
        "tile: output axis " << d << " of size " << out.dim(d) << " is not a multiple of the input's " << x.dim(d));
}

void check_unsorted_segment_sum(const View& data, const View& ids, const View& out) {
  TK_CHECK(ids.dtype() == DType::Int32,
           "unsortedSegmentSum: expected int32 segment ids, got " << dtype_name(ids.dtype()));
  TK_CHECK(out.rank() >= 1 && out.dtype() == data.dtype(),
           "unsortedSegmentSum: expected an output of dtype " << dtype_name(data.dtype()) << " and rank >= 1");
  const int64_t n = ids.size(), segments = out.dim(0);
  const int64_t inner = n == 0 ? 0 : data.size() / n;
  TK_CHECK(n == 0 || inner * n == data.size(),
           "unsortedSegmentSum: " << n << " segment ids do not divide the " << data.size() << " data values");
  TK_CHECK(n == 0 || out.size() == segments * inner,
           "unsortedSegmentSum: expected an output of " << segments * inner << " elements, got " << out.size());
}

}  // namespace tessera::contracts
