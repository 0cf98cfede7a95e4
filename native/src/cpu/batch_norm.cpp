// Batch normalization over one channel axis of a tensor of any rank.
//
//   batch_norm_train_forward  inputs  x, gamma [C], beta [C], moving_mean [C], moving_var [C]
//                             outputs y (shape of x), batch_mean [C], batch_inv_std [C],
//                                     new_moving_mean [C], new_moving_var [C]
//   batch_norm_inference      inputs  x, gamma [C], beta [C], moving_mean [C], moving_var [C]
//                             outputs y
//   batch_norm_backward       inputs  x, dy, gamma [C], batch_mean [C], batch_inv_std [C]
//                             outputs dx, dgamma [C], dbeta [C]
//
// C = x.shape[axis] (a negative axis counts from the end); statistics run over every other
// axis, M = size / C elements per channel. Training mode, as Keras 3:
//   mean = sum x / M,  var = sum (x - mean)^2 / M (biased),  inv_std = 1 / sqrt(var + eps)
//   y = (x - mean) * inv_std * gamma + beta
//   new_moving_mean = moving_mean * momentum + mean * (1 - momentum)
//   new_moving_var  = moving_var * momentum + var * (1 - momentum)
// Keras updates the moving variance with the biased batch variance (PyTorch uses the
// unbiased one; we follow Keras). The new moving statistics are outputs rather than
// in-place writes, so the caller assigns them to its variables. Inference mode:
//   y = (x - moving_mean) / sqrt(moving_var + eps) * gamma + beta
// (its gradient is an elementwise product, composed on the TypeScript side). A layer
// without center/scale passes beta = 0 / gamma = 1. Sums run in the input's dtype over
// tiles of rows, in vector registers (add_channel_terms), and add up in double.
// float32 and float64; all tensors of a call share one dtype.
#include <cmath>
#include <vector>

#include "../contracts/batch_norm.h"
#include "column_sums.h"
#include "partition.h"
#include "tessera/kernel.h"
#include "tessera/op_attrs.h"
#include "vec_math.h"
#include "vectorize.h"

namespace tessera::cpu {

namespace {

using contracts::channel_layout;
using contracts::ChannelLayout;
using contracts::check_channel_vectors;

// f(index, channel) for every element of rows [lo, hi) of the outer axis. With channels
// last (inner == 1) the channel loop is innermost and contiguous, so it vectorizes.
template <typename F>
inline void for_each_element(const ChannelLayout& l, int64_t lo, int64_t hi, F f) {
  if (l.inner == 1) {
    for (int64_t o = lo; o < hi; ++o) {
      // The output never overlaps the inputs or the per-channel vectors: no alias checks.
      TESSERA_IVDEP
      for (int64_t c = 0; c < l.channels; ++c) f(o * l.channels + c, c);
    }
  } else {
    for (int64_t o = lo; o < hi; ++o)
      for (int64_t c = 0; c < l.channels; ++c)
        for (int64_t i = 0, base = (o * l.channels + c) * l.inner; i < l.inner; ++i) f(base + i, c);
  }
}

int64_t rows_per_task(const ChannelLayout& l) { return grain_for(16384, l.channels * l.inner); }

// Adds the two terms that terms(i, c, u, v) sets for every element i (channel c) of rows
// [lo, hi) into a[c] and b[c].
template <typename T, typename Terms>
inline void add_channel_terms(const ChannelLayout& l, int64_t lo, int64_t hi, double* a, double* b, Terms terms) {
  const int64_t C = l.channels;
  if (l.inner == 1) {
    add_column_terms<T>(lo, hi, C, a, b, [&](int64_t r, int64_t c, T& u, T& v) { terms(r * C + c, c, u, v); });
    return;
  }
  for (int64_t o = lo; o < hi; ++o)
    for (int64_t c = 0; c < C; ++c) {
      const int64_t base = (o * C + c) * l.inner;
      a[c] += vm::lane_sum<T>(l.inner, [&](int64_t j) {
        T u, v;
        terms(base + j, c, u, v);
        return u;
      });
      b[c] += vm::lane_sum<T>(l.inner, [&](int64_t j) {
        T u, v;
        terms(base + j, c, u, v);
        return v;
      });
    }
}

// Per-channel sums of the two terms over all rows, into a and b (double): one pair of
// partials per part, added in part order (deterministic).
template <typename T, typename Terms>
void channel_sums(const ChannelLayout& l, std::vector<double>& a, std::vector<double>& b, Terms terms) {
  const int64_t c_count = l.channels, parts = part_count(l.outer, rows_per_task(l));
  std::vector<double> partial(parts * 2 * c_count, 0.0);
  run_parts(l.outer, parts, [&](int64_t p, int64_t lo, int64_t hi) {
    double* pa = partial.data() + p * 2 * c_count;
    vectorized([&] { add_channel_terms<T>(l, lo, hi, pa, pa + c_count, terms); });
  });
  a.assign(c_count, 0.0);
  b.assign(c_count, 0.0);
  for (int64_t p = 0; p < parts; ++p)
    for (int64_t c = 0; c < c_count; ++c) {
      a[c] += partial[p * 2 * c_count + c];
      b[c] += partial[(p * 2 + 1) * c_count + c];
    }
}

// y = x * scale[c] + shift[c].
template <typename T>
void channel_affine(const ChannelLayout& l, const T* x, const std::vector<T>& scale, const std::vector<T>& shift,
                    T* y) {
  const T *sc = scale.data(), *sh = shift.data();
  parallel_for(0, l.outer, rows_per_task(l), [&](int64_t lo, int64_t hi) {
    vectorized([&] { for_each_element(l, lo, hi, [&](int64_t i, int64_t c) { y[i] = x[i] * sc[c] + sh[c]; }); });
  });
}

// Per channel, from the sums of d = x - origin and d^2 over count elements: the batch mean
// and inverse deviation, the new moving statistics, and y = x * scale + shift's factors.
// Its own function so that every pointer is a local: through a lambda's captures they
// would be reloaded after each store, and the loop (square roots and divisions, a fifth
// of the call at 256 channels) would stay scalar. Call it inside vectorized().
template <typename T>
inline void batch_statistics(int64_t channels, double count, double epsilon, double momentum, const double* sum,
                             const double* sum_sq, const T* origin, const T* gamma, const T* beta, const T* moving_mean,
                             const T* moving_var, T* mean_out, T* inv_std_out, T* new_mean, T* new_var, T* scale,
                             T* shift) {
  TESSERA_IVDEP
  for (int64_t c = 0; c < channels; ++c) {
    const double centered = sum[c] / count;
    const double mean = static_cast<double>(origin[c]) + centered;
    const double var = std::max(0.0, sum_sq[c] / count - centered * centered);
    // vm::sqrt: std::sqrt keeps a scalar path for errno, which stops the vectorizer.
    const double inv_std = static_cast<double>(T(1) / vm::sqrt(static_cast<T>(var + epsilon)));
    mean_out[c] = static_cast<T>(mean);
    inv_std_out[c] = static_cast<T>(inv_std);
    new_mean[c] = static_cast<T>(moving_mean[c] * momentum + mean * (1.0 - momentum));
    new_var[c] = static_cast<T>(moving_var[c] * momentum + var * (1.0 - momentum));
    scale[c] = static_cast<T>(gamma[c] * inv_std);
    shift[c] = static_cast<T>(beta[c] - mean * gamma[c] * inv_std);
  }
}

template <typename T>
void train_forward(const KernelArgs& args, const ChannelLayout& l) {
  const T* x = args.in(0).data<T>();
  const T *gamma = args.in(1).data<T>(), *beta = args.in(2).data<T>();
  const T *moving_mean = args.in(3).data<T>(), *moving_var = args.in(4).data<T>();
  const auto a = attrs::BatchNormTrainForwardAttrs::read(args);
  const double epsilon = a.epsilon, momentum = a.momentum;
  const int64_t c_count = l.channels;
  const double count = static_cast<double>(l.per_channel());
  // Shifting by one sample of the channel keeps the one-pass variance accurate when the
  // mean is large compared with the spread.
  std::vector<T> origin_values(c_count);
  for (int64_t c = 0; c < c_count; ++c) origin_values[c] = x[c * l.inner];
  const T* origin = origin_values.data();
  std::vector<double> sum, sum_sq;
  channel_sums<T>(l, sum, sum_sq, [&](int64_t i, int64_t c, T& u, T& v) {
    u = x[i] - origin[c];
    v = u * u;
  });
  T *mean_out = args.out(1).data<T>(), *inv_std_out = args.out(2).data<T>();
  T *new_mean = args.out(3).data<T>(), *new_var = args.out(4).data<T>();
  std::vector<T> scale(c_count), shift(c_count);
  vectorized([&] {
    batch_statistics(c_count, count, epsilon, momentum, sum.data(), sum_sq.data(), origin, gamma, beta, moving_mean,
                     moving_var, mean_out, inv_std_out, new_mean, new_var, scale.data(), shift.data());
  });
  channel_affine(l, x, scale, shift, args.out(0).data<T>());
}

template <typename T>
void inference(const KernelArgs& args, const ChannelLayout& l) {
  const T *gamma = args.in(1).data<T>(), *beta = args.in(2).data<T>();
  const T *moving_mean = args.in(3).data<T>(), *moving_var = args.in(4).data<T>();
  const double epsilon = attrs::BatchNormInferenceAttrs::read(args).epsilon;
  std::vector<T> scale(l.channels), shift(l.channels);
  vectorized([&] {
    for (int64_t c = 0; c < l.channels; ++c) {
      const double s = gamma[c] / std::sqrt(static_cast<double>(moving_var[c]) + epsilon);
      scale[c] = static_cast<T>(s);
      shift[c] = static_cast<T>(beta[c] - moving_mean[c] * s);
    }
  });
  channel_affine(l, args.in(0).data<T>(), scale, shift, args.out(0).data<T>());
}

template <typename T>
void backward(const KernelArgs& args, const ChannelLayout& l) {
  const T *x = args.in(0).data<T>(), *dy = args.in(1).data<T>(), *gamma = args.in(2).data<T>();
  const T *mean = args.in(3).data<T>(), *inv_std = args.in(4).data<T>();
  T *dx = args.out(0).data<T>(), *dgamma = args.out(1).data<T>(), *dbeta = args.out(2).data<T>();
  std::vector<double> sum_dy, sum_dy_xc;
  channel_sums<T>(l, sum_dy, sum_dy_xc, [&](int64_t i, int64_t c, T& u, T& v) {
    u = dy[i];
    v = dy[i] * (x[i] - mean[c]);
  });
  // dx = gamma * inv_std * (dy - dbeta / M - xhat * dgamma / M), xhat = (x - mean) * inv_std,
  // folded into dx = k_dy * dy + k_x * x + k_0 per channel.
  const double count = static_cast<double>(l.per_channel());
  std::vector<T> k_dy(l.channels), k_x(l.channels), k_0(l.channels);
  for (int64_t c = 0; c < l.channels; ++c) {
    const double s = inv_std[c], g = gamma[c] * s, dg = sum_dy_xc[c] * s;
    dgamma[c] = static_cast<T>(dg);
    dbeta[c] = static_cast<T>(sum_dy[c]);
    const double kx = -g * s * dg / count;
    k_dy[c] = static_cast<T>(g);
    k_x[c] = static_cast<T>(kx);
    k_0[c] = static_cast<T>(-g * sum_dy[c] / count - kx * mean[c]);
  }
  const T *a = k_dy.data(), *b = k_x.data(), *k = k_0.data();
  parallel_for(0, l.outer, rows_per_task(l), [&](int64_t lo, int64_t hi) {
    vectorized(
        [&] { for_each_element(l, lo, hi, [&](int64_t i, int64_t c) { dx[i] = a[c] * dy[i] + b[c] * x[i] + k[c]; }); });
  });
}

}  // namespace

void batch_norm_train_forward(const KernelArgs& args) {
  const View x = args.in(0);
  const ChannelLayout l =
      channel_layout("batchNormTrainForward", attrs::BatchNormTrainForwardAttrs::read(args).axis, x);
  check_channel_vectors("batchNormTrainForward", args, l, {1, 2, 3, 4});
  contracts::check_channel_outputs("batchNormTrainForward", args, l, x.size());
  TK_CHECK(l.per_channel() > 0, "batchNormTrainForward: expected a non-empty batch, got shape of size " << x.size());
  TK_DISPATCH_FLOAT(x.dtype(), "batchNormTrainForward", train_forward<scalar_t>(args, l));
}

void batch_norm_inference(const KernelArgs& args) {
  const View x = args.in(0);
  const ChannelLayout l = channel_layout("batchNormInference", attrs::BatchNormInferenceAttrs::read(args).axis, x);
  check_channel_vectors("batchNormInference", args, l, {1, 2, 3, 4});
  contracts::check_channel_outputs("batchNormInference", args, l, x.size());
  TK_DISPATCH_FLOAT(x.dtype(), "batchNormInference", inference<scalar_t>(args, l));
}

void batch_norm_backward(const KernelArgs& args) {
  const View x = args.in(0);
  const ChannelLayout l = channel_layout("batchNormBackward", attrs::BatchNormBackwardAttrs::read(args).axis, x);
  check_channel_vectors("batchNormBackward", args, l, {2, 3, 4});
  contracts::check_channel_outputs("batchNormBackward", args, l, x.size());
  TK_CHECK(args.in(1).size() == x.size() && args.in(1).dtype() == x.dtype(),
           "batchNormBackward: expected dy of " << x.size() << " elements like x, got " << args.in(1).size());
  TK_DISPATCH_FLOAT(x.dtype(), "batchNormBackward", backward<scalar_t>(args, l));
}

}  // namespace tessera::cpu
