// A bias along the last axis, then relu, fused: the end of a convolution layer.
//
//   bias_relu           inputs  x [..., C], bias [C]
//                       outputs y = max(x + bias, 0)
//   bias_relu_backward  inputs  dy, y (bias_relu's output)
//                       outputs dx = dy where y > 0 else 0, dbias [C] = dx summed over rows
//
// One pass each way, where separate ops took two forward (add, relu) and three backward
// (a mask, the masked gradient, the bias's sum): about a tenth of a small CNN's training
// step. y > 0 exactly where x + bias > 0. NaN passes through relu, as in TensorFlow, and
// its gradient is 0 there. dbias sums run in double (column_sums.h), per part, added in
// part order. float32 and float64.
#include <algorithm>
#include <vector>

#include "../contracts/bias_relu.h"
#include "column_sums.h"
#include "partition.h"
#include "tessera/kernel.h"
#include "vectorize.h"

namespace tessera::cpu {

namespace {

using contracts::BiasLayout;

int64_t rows_per_task(const BiasLayout& l) { return grain_for(32768, l.channels); }

template <typename T>
void forward(const T* x, const T* bias, T* y, const BiasLayout& l) {
  const int64_t c_count = l.channels;
  parallel_for(0, l.rows, rows_per_task(l), [&](int64_t lo, int64_t hi) {
    vectorized([&] {
      const T* b = bias;  // a local: through the capture it was reloaded after each store
      for (int64_t r = lo; r < hi; ++r) {
        const T* in = x + r * c_count;
        T* out = y + r * c_count;
        TESSERA_IVDEP
        for (int64_t c = 0; c < c_count; ++c) {
          const T v = in[c] + b[c];
          out[c] = v < T(0) ? T(0) : v;
        }
      }
    });
  });
}

template <typename T>
void backward(const T* dy, const T* y, T* dx, T* dbias, const BiasLayout& l) {
  const int64_t c_count = l.channels, parts = part_count(l.rows, rows_per_task(l));
  std::vector<double> partial(parts * c_count, 0.0);
  run_parts(l.rows, parts, [&](int64_t p, int64_t lo, int64_t hi) {
    double* sums = partial.data() + p * c_count;
    vectorized([&] {
      // A tile of dx rows, then its column sums while it is in L1. Written inside the
      // sums' loop, the stores kept it scalar: a fifth of a CNN step.
      constexpr int64_t kTileRows = 64;
      for (int64_t r0 = lo; r0 < hi; r0 += kTileRows) {
        const int64_t r1 = std::min(hi, r0 + kTileRows);
        const T *g = dy, *out = y;
        T* d = dx;
        TESSERA_IVDEP
        for (int64_t i = r0 * c_count; i < r1 * c_count; ++i) d[i] = out[i] > T(0) ? g[i] : T(0);
        add_column_sums_in_double(d + r0 * c_count, c_count, 0, r1 - r0, sums);
      }
    });
  });
  for (int64_t c = 0; c < c_count; ++c) {
    double total = 0.0;
    for (int64_t p = 0; p < parts; ++p) total += partial[p * c_count + c];
    dbias[c] = static_cast<T>(total);
  }
}

}  // namespace

void bias_relu(const KernelArgs& args) {
  const View x = args.in(0), bias = args.in(1), y = args.out(0);
  const BiasLayout l = contracts::bias_layout("biasRelu", x, bias, y);
  TK_DISPATCH_FLOAT(x.dtype(), "biasRelu", forward(x.data<scalar_t>(), bias.data<scalar_t>(), y.data<scalar_t>(), l));
}

void bias_relu_backward(const KernelArgs& args) {
  const View dy = args.in(0), y = args.in(1), dx = args.out(0), dbias = args.out(1);
  const BiasLayout l = contracts::bias_layout("biasReluBackward", dy, dbias, y);
  TK_CHECK(dx.size() == dy.size() && dx.dtype() == dy.dtype(),
           "biasReluBackward: expected dx like dy, got " << dx.size() << " elements of " << dtype_name(dx.dtype()));
  TK_DISPATCH_FLOAT(dy.dtype(), "biasReluBackward",
                    backward(dy.data<scalar_t>(), y.data<scalar_t>(), dx.data<scalar_t>(), dbias.data<scalar_t>(), l));
}

}  // namespace tessera::cpu
