// Stride-1 convolutions as KH GEMMs over a zero-padded copy of each image, without an
// im2col matrix. In the padded image (Hp x Wp pixels of C channels) the KW * C taps of
// kernel row kh for output pixel q = oh * Wp + ow are contiguous, starting at pixel
// q + kh * Wp, and consecutive q start C apart: op(A) for kernel row kh is the padded
// image itself with a row stride of C (rows overlapping), which the GEMM reads in place.
// All three passes take those rows grouped by output row (gemm_grouped_rows,
// gemm_at_grouped_b), so only the OW real pixels of each row count, read from and written
// to the tensors as they lie. The input gradient of a stride-1 convolution is the
// same computation on dy with the filter flipped and transposed (stride_one_backward_input);
// the filter gradient pairs the same in-place rows with dy (stride_one_backward_filter).
// Replaces im2col + GEMM where the patch matrix (KH * KW times the input) cost ~10% of
// a 56x56x64 layer's time.
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "gemm.h"
#include "partition.h"
#include "tessera/cpu_features.h"

namespace tessera::cpu {

struct StrideOneConv {
  int64_t batch, in_h, in_w, channels;            // the input images, NHWC
  int64_t out_h, out_w, out_channels;             // the output images
  int64_t kernel_h, kernel_w, pad_top, pad_left;  // filter [KH, KW, C, O]; pads >= 0

  int64_t padded_h() const { return out_h + kernel_h - 1; }
  int64_t padded_w() const { return out_w + kernel_w - 1; }

  // Output rows per band: an image goes in equal bands of rows whose padded input rows and
  // output rows fill at most half of L2, so that the KH GEMMs of a band, which all read
  // and write the same rows, find them there. (Whole 56x56x64 images, 1.7 MB of both,
  // came from L3 three times.)
  int64_t band_rows(int64_t element_bytes) const {
    const int64_t row_bytes = padded_w() * element_bytes;
    const int64_t fit = (cpu_features().l2_bytes / 2 / row_bytes - (kernel_h - 1) * channels) /
                        std::max<int64_t>(1, channels + out_channels);
    const int64_t bands = (out_h + std::max<int64_t>(1, fit) - 1) / std::max<int64_t>(1, fit);
    return (out_h + bands - 1) / bands;
  }
  // Elements of the per-thread buffer for bands of `rows` output rows: the padded input
  // rows, then kernel_w pixels of zeros that the last rows' overlapping reads run into.
  int64_t padded_band(int64_t rows) const { return ((rows + kernel_h - 1) * padded_w() + kernel_w) * channels; }
};

namespace stride_one_detail {

// Rows [r0, r0 + rows) of image n of x zero-padded (padded_w pixels each) into p, then
// kernel_w pixels of zeros.
template <typename T>
void pad_rows(const StrideOneConv& s, const T* image, int64_t r0, int64_t rows, T* p) {
  const int64_t c = s.channels, wp = s.padded_w();
  const int64_t row = wp * c, left = s.pad_left * c, width = s.in_w * c;
  for (int64_t r = 0; r < rows; ++r) {
    T* dst = p + r * row;
    const int64_t ih = r0 + r - s.pad_top;
    if (ih < 0 || ih >= s.in_h) {
      std::fill(dst, dst + row, T(0));
      continue;
    }
    const int64_t copied = std::min(width, row - left);
    std::fill(dst, dst + left, T(0));
    std::memcpy(dst + left, image + ih * width, static_cast<size_t>(copied) * sizeof(T));
    std::fill(dst + left + copied, dst + row, T(0));
  }
  std::fill(p + rows * row, p + rows * row + s.kernel_w * c, T(0));
}

// A per-thread buffer of at least n elements.
template <typename T>
T* thread_buffer(int64_t n) {
  thread_local std::vector<T> buffer;
  if (buffer.size() < static_cast<size_t>(n)) buffer.resize(static_cast<size_t>(n));
  return buffer.data();
}

// fn(part, n, oh0, rows, p, scratch) for every band of output rows [oh0, oh0 + rows) of
// every image n, images split over threads (part: the thread's share), with p holding
// the band's padded input rows, and scratch room for `per_row` elements per output row.
template <typename T, typename F>
void for_each_band(const StrideOneConv& s, const T* x, int64_t per_row, F fn) {
  const int64_t band = s.band_rows(sizeof(T)), padded = s.padded_band(band);
  run_parts(s.batch, part_count(s.batch, 1), [&](int64_t part, int64_t n0, int64_t n1) {
    T* p = thread_buffer<T>(padded + band * per_row);
    for (int64_t n = n0; n < n1; ++n)
      for (int64_t oh0 = 0; oh0 < s.out_h; oh0 += band) {
        const int64_t rows = std::min(band, s.out_h - oh0);
        pad_rows(s, x + n * s.in_h * s.in_w * s.channels, oh0, rows + s.kernel_h - 1, p);
        fn(part, n, oh0, rows, p, p + padded);
      }
  });
}

}  // namespace stride_one_detail

// y = conv(x, w) with stride 1 and dilation 1, one group; w is [KH, KW, C, O]. The output
// pixels of a band are the rows of C, grouped by output row (gemm_grouped_rows), so they
// go straight into y: computed Wp wide and copied out, the wrapped columns and the copy
// had cost 6% of a 56x56x64 layer.
template <typename T>
void stride_one_forward(const StrideOneConv& s, const T* x, const T* w, T* y) {
  const int64_t c = s.channels, o = s.out_channels, wp = s.padded_w();
  stride_one_detail::for_each_band<T>(s, x, 0, [&](int64_t, int64_t n, int64_t oh0, int64_t rows, const T* p, T*) {
    T* band = y + (n * s.out_h + oh0) * s.out_w * o;
    for (int64_t kh = 0; kh < s.kernel_h; ++kh)
      gemm_grouped_rows<T>(rows * s.out_w, o, s.kernel_w * c, p + kh * wp * c, c, s.out_w, wp * c,
                           w + kh * s.kernel_w * c * o, o, kh == 0 ? T(0) : T(1), band, o);
  });
}

// dx for y = conv(x, w) with stride 1 and dilation 1 (s describes that forward
// convolution): the stride-1 convolution of dy with w flipped in both spatial axes and
// its channel axes swapped, padded by kernel - 1 - pad.
template <typename T>
void stride_one_backward_input(const StrideOneConv& s, const T* dy, const T* w, T* dx) {
  const int64_t kh_count = s.kernel_h, kw_count = s.kernel_w, c = s.channels, o = s.out_channels;
  std::vector<T> flipped(static_cast<size_t>(kh_count * kw_count * c * o));
  for (int64_t kh = 0; kh < kh_count; ++kh)
    for (int64_t kw = 0; kw < kw_count; ++kw) {
      const T* src = w + (kh * kw_count + kw) * c * o;
      T* dst = flipped.data() + ((kh_count - 1 - kh) * kw_count + (kw_count - 1 - kw)) * o * c;
      for (int64_t ci = 0; ci < c; ++ci)
        for (int64_t oi = 0; oi < o; ++oi) dst[oi * c + ci] = src[ci * o + oi];
    }
  const StrideOneConv t{s.batch,
                        s.out_h,
                        s.out_w,
                        o,
                        s.in_h,
                        s.in_w,
                        c,
                        kh_count,
                        kw_count,
                        kh_count - 1 - s.pad_top,
                        kw_count - 1 - s.pad_left};
  stride_one_forward(t, dy, flipped.data(), dx);
}

// dw for y = conv(x, w) with stride 1 and dilation 1: dw^T (O x KH * KW * C) += dy^T A,
// where A's row for an output pixel holds, per kernel row kh, the KW * C taps of the
// padded image starting kh padded rows below the pixel: rows grouped by output row as in
// the forward pass, columns grouped by kernel row (gemm_at_grouped_b).
// In this orientation the large operand, A_kh, is packed as plain rows and only dy is
// transposed; im2col's cols^T was the large transposed operand.
template <typename T>
void stride_one_backward_filter(const StrideOneConv& s, const T* x, const T* dy, T* dw) {
  const int64_t c = s.channels, o = s.out_channels, wp = s.padded_w(), taps = s.kernel_w * c;
  const int64_t all_taps = s.kernel_h * taps, count = o * all_taps, parts = part_count(s.batch, 1);
  std::vector<T> partials(static_cast<size_t>(parts * count), T(0));  // per part: dw^T, [O][KH * KW * C]
  const int64_t row = s.out_w * o;
  stride_one_detail::for_each_band<T>(
      s, x, row, [&](int64_t part, int64_t n, int64_t oh0, int64_t rows, const T* p, T* band_dy) {
        // The band's dy, copied in one sequential pass next to p: read in place, dy's
        // transposed packing waited on memory (12% of a 56x56x64 layer, against 6% + 2%).
        std::memcpy(band_dy, dy + (n * s.out_h + oh0) * row, static_cast<size_t>(rows * row) * sizeof(T));
        // All kernel rows in one product: their taps side by side as B's column groups, one
        // padded row apart, so dy^T is packed once (three GEMMs packed it three times: the
        // 14x14x32->64 filter gradient ran at 0.84x PyTorch's).
        gemm_at_grouped_b<T>(o, all_taps, rows * s.out_w, band_dy, o, p, c, s.out_w, wp * c, taps, wp * c, T(1),
                             partials.data() + part * count, all_taps);
      });
  for (int64_t t = 0; t < all_taps; ++t)
    for (int64_t oi = 0; oi < o; ++oi) {
      T total = T(0);
      for (int64_t part = 0; part < parts; ++part) total += partials[part * count + oi * all_taps + t];
      dw[t * o + oi] = total;
    }
}

}  // namespace tessera::cpu
