// Layout kernels (the CUDA half of cpu/layout.cpp; attributes as there): transpose, slice,
// concat, gather, pad, tile, unsorted_segment_sum. Except the segment sum, they move
// elements without looking at them, so each runs on unsigned words of the element's size
// (1, 4 or 8 bytes) and gives the CPU's bits for every dtype.
//
// transpose first drops size-1 axes and merges axes that stay neighbours, so that most
// permutations become a copy, a batched swap of the last two axes, or a few long runs.
// When the output's last axis is not the input's, a block moves 32 x 32 tiles through
// shared memory, reading along the input's last axis and writing along the output's, so
// both sides coalesce; otherwise a thread per output element reads rows in order.
#include <algorithm>
#include <cstring>
#include <limits>
#include <numeric>
#include <vector>

#include "broadcast.cuh"
#include "check.h"
#include "contracts/layout.h"
#include "index_check.h"
#include "kernels.h"
#include "launch.cuh"
#include "layout.h"

namespace tessera::cuda {

namespace {

// Calls f(U{}) with U the unsigned word of `elem` bytes.
template <typename F>
void by_element_size(size_t elem, const char* name, F f) {
  switch (elem) {
    case 1: f(uint8_t{}); break;
    case 4: f(uint32_t{}); break;
    case 8: f(uint64_t{}); break;
    default: TK_CHECK(false, name << ": unsupported element size " << elem);
  }
}

std::vector<int64_t> row_major_strides(const std::vector<int64_t>& shape) {
  std::vector<int64_t> s(shape.size(), 1);
  for (int d = static_cast<int>(shape.size()) - 2; d >= 0; --d) s[d] = s[d + 1] * shape[d + 1];
  return s;
}

// out[i] = in[base + offset of i], offset by the indexer's strides over the output shape.
template <typename U, typename Index>
__global__ void strided_copy_kernel(const U* in, U* out, Index n, int64_t base, BroadcastIndexer<1, Index> indexer) {
  const U* src = in + base;
  for (int64_t i = grid_start(); i < n; i += grid_stride()) {
    Index off[1];
    indexer.offsets(static_cast<Index>(i), off);
    out[i] = src[off[0]];
  }
}

// Copies `shape` (row-major output) from in + base with the input strides `strides`.
template <typename U>
void launch_strided_copy(const U* in, U* out, int64_t base, const std::vector<int64_t>& shape,
                         const std::vector<int64_t>& strides, cudaStream_t stream) {
  int64_t n = 1;
  for (int64_t e : shape) n *= e;
  if (n == 0) return;
  auto fill = [&](auto& indexer) {
    indexer.rank = static_cast<int>(shape.size());
    for (size_t d = 0; d < shape.size(); ++d) {
      indexer.shape[d] = static_cast<std::remove_reference_t<decltype(indexer.shape[0])>>(shape[d]);
      indexer.strides[0][d] = static_cast<std::remove_reference_t<decltype(indexer.shape[0])>>(strides[d]);
    }
  };
  int64_t span = base + 1;
  for (size_t d = 0; d < shape.size(); ++d) span += (shape[d] - 1) * strides[d];
  if (n <= std::numeric_limits<uint32_t>::max() && span <= std::numeric_limits<uint32_t>::max()) {
    BroadcastIndexer<1, uint32_t> indexer{};
    fill(indexer);
    strided_copy_kernel<<<grid_for(n), kBlockSize, 0, stream>>>(in, out, static_cast<uint32_t>(n), base, indexer);
  } else {
    BroadcastIndexer<1, int64_t> indexer{};
    fill(indexer);
    strided_copy_kernel<<<grid_for(n), kBlockSize, 0, stream>>>(in, out, n, base, indexer);
  }
}

constexpr int kTile = 32, kTileRows = 8;

// The tiled transpose: input axis a is the output's last, input axis b (the input's last)
// is output axis with stride out_stride_b. `rest` walks the other axes with their input
// (strides[0]) and output (strides[1]) strides.
struct TileGeometry {
  int64_t extent_a, extent_b, in_stride_a, out_stride_b, tiles_a, tiles_b, rest;
};

template <typename U>
__global__ void tiled_transpose_kernel(const U* in, U* out, TileGeometry g, BroadcastIndexer<2, int64_t> rest) {
  __shared__ U tile[kTile][kTile + 1];  // +1: columns fall in distinct banks
  const int tx = threadIdx.x, ty = threadIdx.y;
  const int64_t tiles = g.tiles_a * g.tiles_b * g.rest;
  for (int64_t t = blockIdx.x; t < tiles; t += gridDim.x) {
    const int64_t tb = t % g.tiles_b, ta = (t / g.tiles_b) % g.tiles_a, r = t / (g.tiles_a * g.tiles_b);
    int64_t off[2];
    rest.offsets(r, off);
    const int64_t a0 = ta * kTile, b0 = tb * kTile;
#pragma unroll
    for (int j = 0; j < kTile; j += kTileRows) {
      const int64_t a = a0 + ty + j, b = b0 + tx;
      if (a < g.extent_a && b < g.extent_b) tile[ty + j][tx] = in[off[0] + a * g.in_stride_a + b];
    }
    __syncthreads();
#pragma unroll
    for (int j = 0; j < kTile; j += kTileRows) {
      const int64_t b = b0 + ty + j, a = a0 + tx;
      if (a < g.extent_a && b < g.extent_b) out[off[1] + b * g.out_stride_b + a] = tile[tx][ty + j];
    }
    __syncthreads();
  }
}

template <typename U>
void launch_permute(const U* in, U* out, const std::vector<int64_t>& shape, const std::vector<int64_t>& perm,
                    cudaStream_t stream) {
  const int rank = static_cast<int>(shape.size());
  const std::vector<int64_t> in_strides = row_major_strides(shape);
  std::vector<int64_t> out_shape(rank), out_strides_of_in(rank);
  for (int d = 0; d < rank; ++d) out_shape[d] = shape[perm[d]];
  const std::vector<int64_t> out_strides = row_major_strides(out_shape);
  for (int d = 0; d < rank; ++d) out_strides_of_in[perm[d]] = out_strides[d];
  const int a = static_cast<int>(perm[rank - 1]), b = rank - 1;
  if (a == b) {
    std::vector<int64_t> src_strides(rank);
    for (int d = 0; d < rank; ++d) src_strides[d] = in_strides[perm[d]];
    launch_strided_copy(in, out, 0, out_shape, src_strides, stream);
    return;
  }
  TileGeometry g{shape[a],
                 shape[b],
                 in_strides[a],
                 out_strides_of_in[b],
                 (shape[a] + kTile - 1) / kTile,
                 (shape[b] + kTile - 1) / kTile,
                 1};
  BroadcastIndexer<2, int64_t> rest{};
  for (int k = 0; k < rank; ++k) {
    if (k == a || k == b) continue;
    rest.shape[rest.rank] = shape[k];
    rest.strides[0][rest.rank] = in_strides[k];
    rest.strides[1][rest.rank] = out_strides_of_in[k];
    ++rest.rank;
    g.rest *= shape[k];
  }
  const int64_t tiles = g.tiles_a * g.tiles_b * g.rest;
  tiled_transpose_kernel<<<static_cast<unsigned>(std::min<int64_t>(tiles, kMaxBlocks)), dim3(kTile, kTileRows), 0,
                           stream>>>(in, out, g, rest);
}

template <typename T>
__global__ void segment_sum_kernel(const T* data, const int32_t* ids, T* out, int64_t n, int64_t inner,
                                   int64_t segments) {
  for (int64_t t = grid_start(); t < n * inner; t += grid_stride()) {
    const int64_t i = t / inner;
    const int32_t s = ids[i];
    if (s >= 0 && s < segments) atomicAdd(out + s * inner + (t - i * inner), data[t]);
  }
}

// out row r of `rows` gets src row r at column `column` (all in words U).
template <typename U>
__global__ void copy_rows_kernel(const U* src, U* dst, int64_t rows, int64_t row, int64_t dst_row, int64_t column) {
  for (int64_t t = grid_start(); t < rows * row; t += grid_stride()) {
    const int64_t r = t / row;
    dst[r * dst_row + column + (t - r * row)] = src[t];
  }
}

template <typename U>
__global__ void gather_kernel(const U* src, const int32_t* ids, U* dst, int64_t total, int64_t n, int64_t extent,
                              int64_t chunk) {
  for (int64_t t = grid_start(); t < total; t += grid_stride()) {
    const int64_t r = t / chunk, c = t - r * chunk;
    const int64_t o = r / n, j = r - o * n;
    dst[t] = src[(o * extent + ids[j]) * chunk + c];
  }
}

// Per output axis: the input's extent and stride, and for pad the leading padding.
struct AxisMap {
  int rank;
  int64_t out_shape[TK_MAX_RANK], in_shape[TK_MAX_RANK], in_stride[TK_MAX_RANK], before[TK_MAX_RANK];
};

template <typename U>
__global__ void pad_kernel(const U* in, U* out, int64_t n, AxisMap m, U value) {
  for (int64_t t = grid_start(); t < n; t += grid_stride()) {
    int64_t rem = t, off = 0;
    bool inside = true;
    for (int d = m.rank - 1; d >= 0; --d) {
      const int64_t j = rem % m.out_shape[d] - m.before[d];
      rem /= m.out_shape[d];
      inside = inside && j >= 0 && j < m.in_shape[d];
      off += j * m.in_stride[d];
    }
    out[t] = inside ? in[off] : value;
  }
}

template <typename U>
__global__ void tile_kernel(const U* in, U* out, int64_t n, AxisMap m) {
  for (int64_t t = grid_start(); t < n; t += grid_stride()) {
    int64_t rem = t, off = 0;
    for (int d = m.rank - 1; d >= 0; --d) {
      off += (rem % m.out_shape[d]) % m.in_shape[d] * m.in_stride[d];
      rem /= m.out_shape[d];
    }
    out[t] = in[off];
  }
}

AxisMap axis_map(const View& x, const View& out) {
  AxisMap m{};
  m.rank = out.rank();
  const std::vector<int64_t> strides = row_major_strides(x.shape());
  for (int d = 0; d < m.rank; ++d) {
    m.out_shape[d] = out.dim(d);
    m.in_shape[d] = x.dim(d);
    m.in_stride[d] = strides[d];
  }
  return m;
}

}  // namespace

void permute(const void* in, void* out, const std::vector<int64_t>& in_shape, const std::vector<int64_t>& perm,
             size_t elem, cudaStream_t stream) {
  int64_t n = 1;
  for (int64_t e : in_shape) n *= e;
  if (n == 0) return;
  // Drop size-1 axes, then merge output axes that are neighbours in the input too.
  const int rank = static_cast<int>(in_shape.size());
  std::vector<int64_t> renumber(rank, -1);
  int kept = 0;
  for (int d = 0; d < rank; ++d)
    if (in_shape[d] != 1) renumber[d] = kept++;
  std::vector<std::vector<int64_t>> runs;  // per merged output axis, its input axes in order
  for (int d = 0; d < rank; ++d) {
    const int64_t k = renumber[perm[d]];
    if (k < 0) continue;
    if (!runs.empty() && runs.back().back() + 1 == k) runs.back().push_back(k);
    else runs.push_back({k});
  }
  if (runs.size() <= 1) {
    TK_CUDA_CHECK(cudaMemcpyAsync(out, in, n * elem, cudaMemcpyDeviceToDevice, stream));
    return;
  }
  // The merged input axes are the runs in input order.
  std::vector<size_t> order(runs.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t p, size_t q) { return runs[p][0] < runs[q][0]; });
  std::vector<int64_t> shape(runs.size()), merged_perm(runs.size()), position(runs.size());
  for (size_t i = 0; i < order.size(); ++i) position[order[i]] = static_cast<int64_t>(i);
  std::vector<int64_t> kept_shape;
  for (int d = 0; d < rank; ++d)
    if (in_shape[d] != 1) kept_shape.push_back(in_shape[d]);
  for (size_t g = 0; g < runs.size(); ++g) {
    int64_t extent = 1;
    for (int64_t k : runs[g]) extent *= kept_shape[k];
    shape[position[g]] = extent;
    merged_perm[g] = position[g];
  }
  by_element_size(elem, "transpose", [&](auto word) {
    using U = decltype(word);
    launch_permute(static_cast<const U*>(in), static_cast<U*>(out), shape, merged_perm, stream);
  });
  TK_CUDA_CHECK_LAUNCH("transpose");
}

void transpose(const KernelArgs& args, cudaStream_t stream) {
  const View x = args.in(0), out = args.out(0);
  const std::vector<int64_t> perm = attrs::TransposeAttrs::read(args).perm;
  contracts::check_transpose(x, out, perm);
  permute(x.data<void>(), out.data<void>(), x.shape(), perm, dtype_size(x.dtype()), stream);
}

void slice(const KernelArgs& args, cudaStream_t stream) {
  const View x = args.in(0), out = args.out(0);
  const std::vector<int64_t> begin = attrs::SliceAttrs::read(args).begin;
  contracts::check_slice(x, out, begin);
  const std::vector<int64_t> strides = row_major_strides(x.shape());
  int64_t base = 0;
  for (int d = 0; d < x.rank(); ++d) base += begin[d] * strides[d];
  if (out.size() == 0) return;
  by_element_size(dtype_size(x.dtype()), "slice", [&](auto word) {
    using U = decltype(word);
    launch_strided_copy(x.data<U>(), out.data<U>(), base, out.shape(), strides, stream);
  });
  TK_CUDA_CHECK_LAUNCH("slice");
}

void concat(const KernelArgs& args, cudaStream_t stream) {
  const View out = args.out(0);
  const int64_t attr_axis = attrs::ConcatAttrs::read(args).axis;
  contracts::check_concat(args, attr_axis);
  const int axis = static_cast<int>(attr_axis);
  const size_t elem = dtype_size(out.dtype());
  int64_t outer = 1, inner = 1;
  for (int d = 0; d < axis; ++d) outer *= out.dim(d);
  for (int d = axis + 1; d < out.rank(); ++d) inner *= out.dim(d);
  const int64_t out_row = out.dim(axis) * inner * static_cast<int64_t>(elem);
  int64_t column = 0;
  for (int k = 0; k < args.num_inputs(); ++k) {
    const View x = args.in(k);
    const int64_t row = x.dim(axis) * inner * static_cast<int64_t>(elem);
    // The widest word that divides every row, column and address.
    int64_t word = 16;
    while (word > 1 && ((row | out_row | column) % word != 0 || !aligned_to(x.data<void>(), word) ||
                        !aligned_to(out.data<void>(), word)))
      word /= 2;
    if (row > 0 && outer > 0) {
      const auto launch = [&](auto unit) {
        using U = decltype(unit);
        const int64_t w = sizeof(U);
        copy_rows_kernel<<<grid_for(outer * (row / w)), kBlockSize, 0, stream>>>(x.data<U>(), out.data<U>(), outer,
                                                                                 row / w, out_row / w, column / w);
      };
      switch (word) {
        case 16: launch(uint4{}); break;
        case 8: launch(uint2{}); break;
        case 4: launch(uint32_t{}); break;
        case 2: launch(uint16_t{}); break;
        default: launch(uint8_t{});
      }
      TK_CUDA_CHECK_LAUNCH("concat");
    }
    column += row;
  }
}

void gather(const KernelArgs& args, cudaStream_t stream) {
  const View x = args.in(0), idx = args.in(1), out = args.out(0);
  const int64_t attr_axis = attrs::GatherAttrs::read(args).axis;
  contracts::check_gather(x, idx, out, attr_axis);
  const int axis = static_cast<int>(attr_axis);
  int64_t inner = 1;
  for (int d = axis + 1; d < x.rank(); ++d) inner *= x.dim(d);
  const int64_t extent = x.dim(axis), n = idx.size();
  // Checked before any write, as on the CPU.
  const BadIndex bad = find_bad_index(idx.data<int32_t>(), n, extent, stream);
  TK_CHECK(bad.position < 0, "gather: index " << bad.value << " at position " << bad.position << " is out of range [0, "
                                              << extent << ") for axis " << axis);
  if (out.size() == 0) return;
  by_element_size(dtype_size(x.dtype()), "gather", [&](auto word) {
    using U = decltype(word);
    gather_kernel<<<grid_for(out.size()), kBlockSize, 0, stream>>>(x.data<U>(), idx.data<int32_t>(), out.data<U>(),
                                                                   out.size(), n, extent, inner);
  });
  TK_CUDA_CHECK_LAUNCH("gather");
}

void pad(const KernelArgs& args, cudaStream_t stream) {
  const View x = args.in(0), out = args.out(0);
  const auto a = attrs::PadAttrs::read(args);
  contracts::check_pad(x, out, a.paddings);
  AxisMap m = axis_map(x, out);
  for (int d = 0; d < x.rank(); ++d) m.before[d] = a.paddings[2 * d];
  const int64_t n = out.size();
  if (n == 0) return;
  const double value = a.constant_value;
  TK_DISPATCH_ALL(out.dtype(), "pad", {
    // The fill value converted as the CPU converts it, then moved as a word.
    const scalar_t v = static_cast<scalar_t>(value);
    by_element_size(sizeof(scalar_t), "pad", [&](auto word) {
      using U = decltype(word);
      U bits;
      std::memcpy(&bits, &v, sizeof bits);
      pad_kernel<<<grid_for(n), kBlockSize, 0, stream>>>(x.data<U>(), out.data<U>(), n, m, bits);
    });
  });
  TK_CUDA_CHECK_LAUNCH("pad");
}

void tile(const KernelArgs& args, cudaStream_t stream) {
  const View x = args.in(0), out = args.out(0);
  contracts::check_tile(x, out);
  const int64_t n = out.size();
  if (n == 0) return;
  const AxisMap m = axis_map(x, out);
  by_element_size(dtype_size(x.dtype()), "tile", [&](auto word) {
    using U = decltype(word);
    tile_kernel<<<grid_for(n), kBlockSize, 0, stream>>>(x.data<U>(), out.data<U>(), n, m);
  });
  TK_CUDA_CHECK_LAUNCH("tile");
}

// Repeated ids accumulate by atomicAdd, so float sums come in another order than the
// CPU's (equal within rounding); integer sums are exact. Ids out of range are dropped.
void unsorted_segment_sum(const KernelArgs& args, cudaStream_t stream) {
  const View data = args.in(0), ids = args.in(1), out = args.out(0);
  contracts::check_unsorted_segment_sum(data, ids, out);
  const int64_t n = ids.size(), segments = out.dim(0);
  const int64_t inner = n == 0 ? 0 : data.size() / n;
  TK_DISPATCH_NUMERIC(data.dtype(), "unsortedSegmentSum", {
    if (out.size()) TK_CUDA_CHECK(cudaMemsetAsync(out.data<void>(), 0, out.size() * sizeof(scalar_t), stream));
    if (n * inner > 0) {
      segment_sum_kernel<<<grid_for(n * inner), kBlockSize, 0, stream>>>(data.data<scalar_t>(), ids.data<int32_t>(),
                                                                         out.data<scalar_t>(), n, inner, segments);
    }
  });
  TK_CUDA_CHECK_LAUNCH("unsortedSegmentSum");
}

}  // namespace tessera::cuda
