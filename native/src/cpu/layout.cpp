// Layout kernels: transpose, slice, concat, gather, pad, tile. They move bytes and never
// look at values, so one implementation serves every dtype through the element size.
// Attributes: ops.def's rows; tile takes none (repeats follow from the output shape).
// What each kernel accepts: contracts/layout.h, shared with the CUDA kernels.
#include "layout.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "../contracts/layout.h"
#include "partition.h"
#include "tessera/kernel.h"
#include "tessera/op_attrs.h"
#include "tessera/thread_pool.h"
#include "vectorize.h"

namespace tessera::cpu {

namespace {

size_t elem_size(const View& v) { return dtype_size(v.dtype()); }

std::vector<int64_t> row_major_strides(const std::vector<int64_t>& shape) {
  std::vector<int64_t> s(shape.size(), 1);
  for (int d = static_cast<int>(shape.size()) - 2; d >= 0; --d) s[d] = s[d + 1] * shape[d + 1];
  return s;
}

// Copies `count` elements of `elem` bytes from a strided source into a contiguous row.
inline void gather_row(const char* src, int64_t stride_bytes, char* dst, int64_t count, size_t elem) {
  switch (elem) {
    case 4:
      for (int64_t i = 0; i < count; ++i)
        reinterpret_cast<uint32_t*>(dst)[i] = *reinterpret_cast<const uint32_t*>(src + i * stride_bytes);
      break;
    case 8:
      for (int64_t i = 0; i < count; ++i)
        reinterpret_cast<uint64_t*>(dst)[i] = *reinterpret_cast<const uint64_t*>(src + i * stride_bytes);
      break;
    default:
      for (int64_t i = 0; i < count; ++i) std::memcpy(dst + i * elem, src + i * stride_bytes, elem);
  }
}

// Writes `count` copies of the element of `elem` bytes at `value` to dst.
inline void fill_elements(char* dst, const char* value, int64_t count, size_t elem) {
  switch (elem) {
    case 1: std::memset(dst, *value, count); break;
    case 2: {
      uint16_t v;
      std::memcpy(&v, value, 2);
      std::fill_n(reinterpret_cast<uint16_t*>(dst), count, v);
      break;
    }
    case 4: {
      uint32_t v;
      std::memcpy(&v, value, 4);
      std::fill_n(reinterpret_cast<uint32_t*>(dst), count, v);
      break;
    }
    case 8: {
      uint64_t v;
      std::memcpy(&v, value, 8);
      std::fill_n(reinterpret_cast<uint64_t*>(dst), count, v);
      break;
    }
    default:
      for (int64_t i = 0; i < count; ++i) std::memcpy(dst + i * elem, value, elem);
  }
}

// Calls copy_row(r, offset) for every row r of `shape` (a row runs along its last dim),
// spread over the pool; offset is the sum of offset_of(d, i) over the other dims d, i
// being r's index along d. Nothing is called for an empty shape.
template <typename OffsetOf, typename CopyRow>
void for_each_row(const std::vector<int64_t>& shape, OffsetOf offset_of, CopyRow copy_row) {
  const int rank = static_cast<int>(shape.size());
  int64_t total = 1;
  for (int64_t d : shape) total *= d;
  if (total == 0) return;
  const int64_t inner = rank ? shape[rank - 1] : 1;
  parallel_for(0, total / inner, grain_for(16384, inner), [&](int64_t lo, int64_t hi) {
    for (int64_t r = lo; r < hi; ++r) {
      int64_t rem = r, offset = 0;
      for (int d = rank - 2; d >= 0; --d) {
        offset += offset_of(d, rem % shape[d]);
        rem /= shape[d];
      }
      copy_row(r, offset);
    }
  });
}

// One contiguous block, one part per thread cut on 64-byte lines, part 0 (the first
// bytes) on the caller. A slice along the first axis is one block (a batch of a data
// set: 401 KB for 128 Fashion-MNIST images), which for_each_row's one row left to the
// caller alone: 54-57 us a batch from memory on the AMD EPYC KVM guest, 27-33 us in two
// parts, and the first Dense layer's product that reads it next ran no slower (issue #22,
// docs/PERFORMANCE.md).
void copy_block(char* dst, const char* src, int64_t bytes) {
  constexpr int64_t kLine = 64, kGrainBytes = int64_t(64) << 10;
  if (bytes <= 0) return;
  parallel_parts(bytes, kGrainBytes, [&](int part, int parts) {
    const int64_t lines = (bytes + kLine - 1) / kLine;
    const int64_t lo = std::min(bytes, lines * part / parts * kLine);
    const int64_t hi = std::min(bytes, lines * (part + 1) / parts * kLine);
    if (hi > lo) std::memcpy(dst + lo, src + lo, hi - lo);
  });
}

}  // namespace

void permute_copy(const void* in, void* out, const std::vector<int64_t>& in_shape, const std::vector<int64_t>& perm,
                  size_t elem) {
  const int rank = static_cast<int>(in_shape.size());
  const std::vector<int64_t> in_strides = row_major_strides(in_shape);
  std::vector<int64_t> out_shape(rank), src_strides(rank);
  for (int d = 0; d < rank; ++d) {
    out_shape[d] = in_shape[perm[d]];
    src_strides[d] = in_strides[perm[d]];
  }
  const int64_t inner = rank ? out_shape[rank - 1] : 1;
  const int64_t inner_stride = rank ? src_strides[rank - 1] : 1;
  const char* src = static_cast<const char*>(in);
  char* dst = static_cast<char*>(out);
  for_each_row(
      out_shape, [&](int d, int64_t i) { return i * src_strides[d]; },
      [&](int64_t r, int64_t offset) {
        gather_row(src + offset * elem, inner_stride * static_cast<int64_t>(elem), dst + r * inner * elem, inner, elem);
      });
}

void transpose(const KernelArgs& args) {
  const View x = args.in(0), out = args.out(0);
  const std::vector<int64_t> perm = attrs::TransposeAttrs::read(args).perm;
  contracts::check_transpose(x, out, perm);
  permute_copy(x.data<void>(), out.data<void>(), x.shape(), perm, elem_size(x));
}

void slice(const KernelArgs& args) {
  const View x = args.in(0), out = args.out(0);
  const size_t elem = elem_size(x);
  const std::vector<int64_t> begin = attrs::SliceAttrs::read(args).begin;
  contracts::check_slice(x, out, begin);
  const std::vector<int64_t> in_strides = row_major_strides(x.shape());
  // Trailing dimensions taken whole are contiguous in both tensors: they merge into the
  // rows, so a batch of images [n, 28, 28, 1] copies one block per image, not 4 bytes.
  int rank = x.rank();
  while (rank > 1 && begin[rank - 1] == 0 && out.dim(rank - 1) == x.dim(rank - 1)) --rank;
  std::vector<int64_t> shape = out.shape();
  shape.resize(rank);
  const int64_t row_stride = rank ? in_strides[rank - 1] : 1;  // elements per step of the last kept dim
  if (rank) shape[rank - 1] *= row_stride;
  const int64_t inner = rank ? shape[rank - 1] : 1;
  const int64_t row_begin = rank ? begin[rank - 1] * row_stride : 0;
  const char* src = x.data<char>();
  char* dst = out.data<char>();
  if (rank <= 1) return copy_block(dst, src + row_begin * elem, inner * elem);
  for_each_row(
      shape, [&](int d, int64_t i) { return (i + begin[d]) * in_strides[d]; },
      [&](int64_t r, int64_t offset) {
        std::memcpy(dst + r * inner * elem, src + (offset + row_begin) * elem, inner * elem);
      });
}

void concat(const KernelArgs& args) {
  const View out = args.out(0);
  const int64_t attr_axis = attrs::ConcatAttrs::read(args).axis;
  contracts::check_concat(args, attr_axis);
  // Nothing to copy; rows of 0 bytes would still be walked one by one.
  if (out.size() == 0) return;
  const int axis = static_cast<int>(attr_axis);
  const size_t elem = elem_size(out);
  int64_t outer = 1, inner = 1;
  for (int d = 0; d < axis; ++d) outer *= out.dim(d);
  for (int d = axis + 1; d < out.rank(); ++d) inner *= out.dim(d);
  const int64_t out_row = out.dim(axis) * inner * elem;
  char* dst = out.data<char>();
  int64_t column = 0;
  for (int k = 0; k < args.num_inputs(); ++k) {
    const View x = args.in(k);
    const int64_t row = x.dim(axis) * inner * elem;
    const char* src = x.data<char>();
    parallel_for(0, outer, grain_for(65536, row), [&](int64_t lo, int64_t hi) {
      for (int64_t o = lo; o < hi; ++o) std::memcpy(dst + o * out_row + column, src + o * row, row);
    });
    column += row;
  }
}

void gather(const KernelArgs& args) {
  const View x = args.in(0), idx = args.in(1), out = args.out(0);
  const int64_t attr_axis = attrs::GatherAttrs::read(args).axis;
  contracts::check_gather(x, idx, out, attr_axis);
  const int axis = static_cast<int>(attr_axis);
  const size_t elem = elem_size(x);
  int64_t outer = 1, inner = 1;
  for (int d = 0; d < axis; ++d) outer *= x.dim(d);
  for (int d = axis + 1; d < x.rank(); ++d) inner *= x.dim(d);
  const int64_t extent = x.dim(axis), n = idx.size();
  const int32_t* ids = idx.data<int32_t>();
  // Checked before any write, so a bad index leaves no half-written output behind.
  for (int64_t j = 0; j < n; ++j)
    TK_CHECK(ids[j] >= 0 && ids[j] < extent, "gather: index " << ids[j] << " at position " << j
                                                              << " is out of range [0, " << extent << ") for axis "
                                                              << axis);
  if (out.size() == 0) return;  // every index checked; nothing to copy
  const char* src = x.data<char>();
  char* dst = out.data<char>();
  const int64_t chunk = inner * elem;
  parallel_for(0, outer * n, grain_for(65536, chunk), [&](int64_t lo, int64_t hi) {
    for (int64_t r = lo; r < hi; ++r) {
      const int64_t o = r / n, j = r % n;
      std::memcpy(dst + r * chunk, src + (o * extent + ids[j]) * chunk, chunk);
    }
  });
}

void pad(const KernelArgs& args) {
  const View x = args.in(0), out = args.out(0);
  const auto a = attrs::PadAttrs::read(args);
  contracts::check_pad(x, out, a.paddings);
  const int rank = x.rank();
  const size_t elem = elem_size(x);
  const double value = a.constant_value;
  // Fill with the constant, then copy the input into its window.
  TK_DISPATCH_ALL(out.dtype(), "pad", {
    scalar_t* y = out.data<scalar_t>();
    const scalar_t v = static_cast<scalar_t>(value);
    parallel_for(0, out.size(), 65536, [&](int64_t lo, int64_t hi) { std::fill(y + lo, y + hi, v); });
  });
  const std::vector<int64_t> out_strides = row_major_strides(out.shape());
  const int64_t inner = rank ? x.dim(rank - 1) : 1;
  const int64_t row_before = rank ? a.paddings[2 * (rank - 1)] : 0;
  const char* src = x.data<char>();
  char* dst = out.data<char>();
  for_each_row(
      x.shape(), [&](int d, int64_t i) { return (i + a.paddings[2 * d]) * out_strides[d]; },
      [&](int64_t r, int64_t offset) {
        std::memcpy(dst + (offset + row_before) * elem, src + r * inner * elem, inner * elem);
      });
}

void tile(const KernelArgs& args) {
  const View x = args.in(0), out = args.out(0);
  contracts::check_tile(x, out);
  const int rank = x.rank();
  const size_t elem = elem_size(x);
  const char* src = x.data<char>();
  char* dst = out.data<char>();
  // One element repeated (broadcastTo of a scalar: the gradient of sum) is a fill.
  if (x.size() == 1) {
    parallel_for(0, out.size(), 65536,
                 [&](int64_t lo, int64_t hi) { fill_elements(dst + lo * elem, src, hi - lo, elem); });
    return;
  }
  const std::vector<int64_t> in_strides = row_major_strides(x.shape());
  const int64_t inner = rank ? out.dim(rank - 1) : 1;
  const int64_t in_inner = rank ? x.dim(rank - 1) : 1;
  for_each_row(
      out.shape(), [&](int d, int64_t i) { return (i % x.dim(d)) * in_strides[d]; },
      [&](int64_t r, int64_t offset) {
        char* row = dst + r * inner * elem;
        // A size-1 last dimension repeats one element along the row: a fill, not a
        // memcpy call per element (ten times slower).
        if (in_inner == 1) {
          fill_elements(row, src + offset * elem, inner, elem);
          return;
        }
        for (int64_t c = 0; c < inner; c += in_inner) std::memcpy(row + c * elem, src + offset * elem, in_inner * elem);
      });
}

// out[s, ...] = sum of data[i, ...] over i with segment_ids[i] == s. segment_ids has the
// shape of data's leading dims; out is [num_segments, trailing dims of data]. Ids out of
// range are dropped, as TensorFlow does. This is the gradient of gather (and of
// embedding lookups), so repeated ids must accumulate.
void unsorted_segment_sum(const KernelArgs& args) {
  const View data = args.in(0), ids = args.in(1), out = args.out(0);
  contracts::check_unsorted_segment_sum(data, ids, out);
  const int64_t n = ids.size();
  const int64_t segments = out.dim(0);
  const int64_t inner = segments == 0 ? 0 : out.size() / segments;  // elements per segment
  const int32_t* pid = ids.data<int32_t>();
  TK_DISPATCH_NUMERIC(data.dtype(), "unsortedSegmentSum", {
    const scalar_t* px = data.data<scalar_t>();
    scalar_t* py = out.data<scalar_t>();
    // Each thread owns a range of segments and scans every id for its own: no element is
    // written by two threads, rows are added whole and vectorized, and each segment adds
    // its rows in index order. (Split over the columns instead, a 64-wide embedding ran on
    // one thread, unvectorized, at 33 GB/s.)
    const int64_t parts = std::min(segments, part_count(n * inner, 32768));
    run_parts(segments, std::max<int64_t>(parts, 1), [&](int64_t, int64_t lo, int64_t hi) {
      vectorized([&] {
        std::fill(py + lo * inner, py + hi * inner, scalar_t(0));
        for (int64_t i = 0; i < n; ++i) {
          const int32_t s = pid[i];
          if (s < lo || s >= hi) continue;
          const scalar_t* src = px + i * inner;
          scalar_t* dst = py + s * inner;
          TESSERA_IVDEP
          for (int64_t c = 0; c < inner; ++c) dst[c] += src[c];
        }
      });
    });
  });
}

}  // namespace tessera::cpu
