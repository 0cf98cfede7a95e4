// Reductions over any set of axes. Attributes: reduce_* [axis...] (sorted, distinct,
// non-negative); argmax / argmin [axis]. keepDims only changes the output shape, which
// the caller chose, so the kernels never see it.
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "layout.h"
#include "tessera/kernel.h"
#include "tessera/thread_pool.h"

namespace tessera::cpu {

namespace {

// The input viewed as [outer, reduced, inner]. Reduced axes that are not adjacent are
// first moved to the end by a permutation copy held in `scratch`.
template <typename T>
struct ReduceShape {
  const T* data;
  int64_t outer = 1, reduced = 1, inner = 1;
  std::vector<T> scratch;
};

template <typename T>
ReduceShape<T> reduce_shape(const View& x, const std::vector<int64_t>& axes) {
  ReduceShape<T> r;
  r.data = x.data<T>();
  const int rank = x.rank();
  bool adjacent = true;
  for (size_t i = 1; i < axes.size(); ++i) adjacent &= axes[i] == axes[i - 1] + 1;
  if (axes.empty()) {
    r.outer = x.size();
    return r;
  }
  if (adjacent) {
    for (int d = 0; d < rank; ++d) {
      if (d < axes.front()) r.outer *= x.dim(d);
      else if (d <= axes.back()) r.reduced *= x.dim(d);
      else r.inner *= x.dim(d);
    }
    return r;
  }
  std::vector<int64_t> perm;
  std::vector<bool> is_reduced(rank, false);
  for (int64_t a : axes) is_reduced[a] = true;
  for (int d = 0; d < rank; ++d)
    if (!is_reduced[d]) {
      perm.push_back(d);
      r.outer *= x.dim(d);
    }
  for (int64_t a : axes) {
    perm.push_back(a);
    r.reduced *= x.dim(static_cast<int>(a));
  }
  r.scratch.resize(x.size());
  permute_copy(x.data<T>(), r.scratch.data(), x.shape(), perm, sizeof(T));
  r.data = r.scratch.data();
  return r;
}

// Accumulates in Acc (double for float32 sums, so long reductions stay accurate) and
// writes finish(acc) per output element.
template <typename T, typename Acc, typename Combine, typename Finish>
void reduce_loop(const View& x, const View& out, const std::vector<int64_t>& axes, Acc init, Combine combine,
                 Finish finish) {
  const ReduceShape<T> r = reduce_shape<T>(x, axes);
  T* y = out.data<T>();
  const int64_t R = r.reduced, inner = r.inner;
  const T* data = r.data;
  if (inner == 1) {
    parallel_for(0, r.outer, std::max<int64_t>(1, 16384 / std::max<int64_t>(1, R)), [&](int64_t lo, int64_t hi) {
      for (int64_t o = lo; o < hi; ++o) {
        const T* row = data + o * R;
        Acc acc = init;
        for (int64_t k = 0; k < R; ++k) acc = combine(acc, static_cast<Acc>(row[k]));
        y[o] = finish(acc, R);
      }
    });
    return;
  }
  parallel_for(0, r.outer * inner, std::max<int64_t>(64, 16384 / std::max<int64_t>(1, R)), [&](int64_t lo, int64_t hi) {
    std::vector<Acc> acc;
    for (int64_t start = lo; start < hi;) {
      const int64_t o = start / inner, i0 = start % inner;
      const int64_t i1 = std::min(inner, i0 + (hi - start));
      acc.assign(i1 - i0, init);
      const T* base = data + o * R * inner;
      for (int64_t k = 0; k < R; ++k) {
        const T* row = base + k * inner;
        for (int64_t i = i0; i < i1; ++i) acc[i - i0] = combine(acc[i - i0], static_cast<Acc>(row[i]));
      }
      for (int64_t i = i0; i < i1; ++i) y[o * inner + i] = finish(acc[i - i0], R);
      start += i1 - i0;
    }
  });
}

template <typename T> using SumAcc = std::conditional_t<std::is_floating_point_v<T>, double, int64_t>;

std::vector<int64_t> axes_of(const KernelArgs& args) { return args.attr_ints(0, args.num_attrs()); }

// NaN propagates, as in TensorFlow: once the accumulator is NaN it stays; a NaN b wins.
template <typename T>
T nan_max(T a, T b) { return (a != a || a > b) ? a : b; }
template <typename T>
T nan_min(T a, T b) { return (a != a || a < b) ? a : b; }

template <bool kMax>
void arg_reduce(const KernelArgs& args, const char* name) {
  const View x = args.in(0), out = args.out(0);
  const int axis = static_cast<int>(args.attr_int(0));
  int64_t outer = 1, R = x.dim(axis), inner = 1;
  for (int d = 0; d < axis; ++d) outer *= x.dim(d);
  for (int d = axis + 1; d < x.rank(); ++d) inner *= x.dim(d);
  TK_CHECK(R > 0, name << ": cannot reduce an empty axis " << axis);
  int32_t* y = out.data<int32_t>();
  TK_DISPATCH_NUMERIC(x.dtype(), name, {
    const scalar_t* px = x.data<scalar_t>();
    parallel_for(0, outer * inner, 256, [&](int64_t lo, int64_t hi) {
      for (int64_t j = lo; j < hi; ++j) {
        const int64_t o = j / inner, i = j % inner;
        const scalar_t* p = px + o * R * inner + i;
        int64_t best = 0;
        scalar_t best_v = p[0];
        // Ties keep the first index, as TensorFlow does; a NaN wins and stays.
        for (int64_t k = 1; k < R && best_v == best_v; ++k) {
          const scalar_t v = p[k * inner];
          if (v != v || (kMax ? v > best_v : v < best_v)) {
            best_v = v;
            best = k;
          }
        }
        y[j] = static_cast<int32_t>(best);
      }
    });
  });
}

}  // namespace

void reduce_sum(const KernelArgs& args) {
  TK_DISPATCH_NUMERIC(args.in(0).dtype(), "sum", {
    using Acc = SumAcc<scalar_t>;
    reduce_loop<scalar_t, Acc>(args.in(0), args.out(0), axes_of(args), Acc(0), [](Acc a, Acc b) { return a + b; },
                               [](Acc a, int64_t) { return static_cast<scalar_t>(a); });
  });
}

void reduce_mean(const KernelArgs& args) {
  TK_DISPATCH_NUMERIC(args.in(0).dtype(), "mean", {
    using Acc = SumAcc<scalar_t>;
    reduce_loop<scalar_t, Acc>(args.in(0), args.out(0), axes_of(args), Acc(0), [](Acc a, Acc b) { return a + b; },
                               [](Acc a, int64_t n) {
                                 if constexpr (std::is_floating_point_v<scalar_t>)
                                   return static_cast<scalar_t>(n == 0 ? std::numeric_limits<double>::quiet_NaN() : a / n);
                                 else return static_cast<scalar_t>(n == 0 ? 0 : a / n);
                               });
  });
}

void reduce_prod(const KernelArgs& args) {
  TK_DISPATCH_NUMERIC(args.in(0).dtype(), "prod", {
    using Acc = SumAcc<scalar_t>;
    reduce_loop<scalar_t, Acc>(args.in(0), args.out(0), axes_of(args), Acc(1), [](Acc a, Acc b) { return a * b; },
                               [](Acc a, int64_t) { return static_cast<scalar_t>(a); });
  });
}

void reduce_max(const KernelArgs& args) {
  TK_DISPATCH_NUMERIC(args.in(0).dtype(), "max", {
    const scalar_t init = std::numeric_limits<scalar_t>::has_infinity ? -std::numeric_limits<scalar_t>::infinity()
                                                                     : std::numeric_limits<scalar_t>::lowest();
    reduce_loop<scalar_t, scalar_t>(args.in(0), args.out(0), axes_of(args), init,
                                    [](scalar_t a, scalar_t b) { return nan_max(a, b); },
                                    [](scalar_t a, int64_t) { return a; });
  });
}

void reduce_min(const KernelArgs& args) {
  TK_DISPATCH_NUMERIC(args.in(0).dtype(), "min", {
    const scalar_t init = std::numeric_limits<scalar_t>::has_infinity ? std::numeric_limits<scalar_t>::infinity()
                                                                     : std::numeric_limits<scalar_t>::max();
    reduce_loop<scalar_t, scalar_t>(args.in(0), args.out(0), axes_of(args), init,
                                    [](scalar_t a, scalar_t b) { return nan_min(a, b); },
                                    [](scalar_t a, int64_t) { return a; });
  });
}

// Attributes: [axis, exclusive, reverse], as TensorFlow's cumsum.
void cumsum(const KernelArgs& args) {
  const View x = args.in(0), out = args.out(0);
  const int axis = static_cast<int>(args.attr_int(0));
  const bool exclusive = args.attr_int(1) != 0, reverse = args.attr_int(2) != 0;
  int64_t outer = 1, R = x.dim(axis), inner = 1;
  for (int d = 0; d < axis; ++d) outer *= x.dim(d);
  for (int d = axis + 1; d < x.rank(); ++d) inner *= x.dim(d);
  TK_DISPATCH_NUMERIC(x.dtype(), "cumsum", {
    const scalar_t* px = x.data<scalar_t>();
    scalar_t* py = out.data<scalar_t>();
    parallel_for(0, outer * inner, 64, [&](int64_t lo, int64_t hi) {
      for (int64_t j = lo; j < hi; ++j) {
        const int64_t base = (j / inner) * R * inner + j % inner;
        scalar_t acc = 0;
        for (int64_t s = 0; s < R; ++s) {
          const int64_t k = reverse ? R - 1 - s : s;
          const scalar_t v = px[base + k * inner];
          if (exclusive) {
            py[base + k * inner] = acc;
            acc += v;
          } else {
            acc += v;
            py[base + k * inner] = acc;
          }
        }
      }
    });
  });
}

void argmax(const KernelArgs& args) { arg_reduce<true>(args, "argMax"); }
void argmin(const KernelArgs& args) { arg_reduce<false>(args, "argMin"); }

}  // namespace tessera::cpu
