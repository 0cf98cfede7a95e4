// The GEMM driver: the Goto / BLIS loop nest around a micro-kernel family (gemm_arch.h).
//
//   for ic in M by mc:            A block (mc x kc) packed once, read from L2/L3
//     for pc in K by kc:
//       pack A (rows, stride a_stride; a transposed A is transposed here, never copied twice;
//               an A whose rows sit well in L1 is read in place: reads_a_in_place)
//       for jc in N by nc:        B block (kc x nc) packed as nr-wide panels, lives in L2
//         pack B
//         for ir by mr:           A micro-panel (mr x kc) stays in L1 ...
//           for jr by nr:         ... while the B panels stream past it
//             micro-kernel
//
// Vectors run along N (the rows of C), so a narrow N wastes lanes; then the driver solves
// C^T = op(B)^T op(A)^T instead, writing C through swapped strides.
//
// Threads: C is cut into tm x tn rectangles, one per thread, each running the whole nest
// with its own packing buffers. There is no shared packed block and so no barrier (the
// pool may run chunks serially, e.g. when nested); the price is that the operand shared
// by a row (or column) of rectangles is packed by each of them, which the split choice
// weighs against compute. A small C with a long K (a weight gradient, K = the batch's
// rows) is cut along K instead (k_segments): each half of K has its own partial C, added
// at the end, so no operand is packed twice.
#include "../gemm.h"

#include <algorithm>
#include <memory>
#include <new>
#include <utility>
#include <vector>

#include "../vec_math.h"
#include "../vectorize.h"
#include "gemm_arch.h"
#include "tessera/thread_pool.h"

namespace tessera::cpu {

namespace {

using gemm_detail::Epilogue;
using gemm_detail::GemmArch;

// Grow-only and 64-byte aligned; one per thread and type, so steady-state calls never allocate.
template <typename T>
class PackBuffer {
 public:
  T* get(size_t n) {
    if (n > size_) {
      data_.reset(static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t(64))));
      size_ = n;
    }
    return data_.get();
  }

 private:
  struct Free {
    void operator()(T* p) const { ::operator delete(p, std::align_val_t(64)); }
  };
  std::unique_ptr<T, Free> data_;
  size_t size_ = 0;
};

template <typename T>
struct PackBuffers {
  PackBuffer<T> a, b;
};

template <typename T>
PackBuffers<T>& thread_buffers() {
  thread_local PackBuffers<T> buffers;
  return buffers;
}

// Rows of a matrix that come in groups (size 0: none): row i at (i / size) * stride +
// (i % size) * ld. A stride-1 convolution's output pixels read from a padded image: groups
// of out_w pixels, ld = channels, stride = a padded row (gemm_grouped_rows, gemm_at_grouped_b).
struct RowGroups {
  int64_t size = 0, stride = 0;
  int64_t offset(int64_t i, int64_t ld) const { return size ? (i / size) * stride + (i % size) * ld : i * ld; }
  // How many rows from row i on stay in its group (all n when there are no groups).
  int64_t run(int64_t i, int64_t n) const { return size ? std::min(n, size - i % size) : n; }
};

// The product as the loops see it: C(i, j) at c[i * rs_c + j * cs_c] += op(A)(i, :) . op(B)(:, j).
template <typename T>
struct Problem {
  int64_t M, N, K;
  bool ta, tb;
  const T* a;
  int64_t lda;
  const T* b;
  int64_t ldb;
  T* c;
  int64_t rs_c, cs_c;
  Epilogue<T> ep;
  // Rows of a non-transposed A (M, read in place) or B (K), and columns of B (offset
  // (j / size) * stride + j % size), in groups; a grouped problem is never transposed.
  RowGroups a_groups, b_groups, b_col_groups;
  // Applied by the driver, not the micro-kernel, over each finished row panel of tiles
  // (finishes()): gelu, and relu when pre (the values before it, laid out as C) is asked
  // for. Otherwise relu is the kernel's (ep.relu).
  GemmActivation act = GemmActivation::kNone;
  T* pre = nullptr;

  bool finishes() const { return pre != nullptr || act == GemmActivation::kGelu; }

  // C^T = op(B)^T op(A)^T: the same product with M and N exchanged.
  Problem transposed() const {
    Problem p = *this;
    p.M = N, p.N = M;
    p.ta = !tb, p.tb = !ta;
    p.a = b, p.lda = ldb, p.b = a, p.ldb = lda;
    p.rs_c = cs_c, p.cs_c = rs_c;
    p.ep.bias_rs = ep.bias_cs, p.ep.bias_cs = ep.bias_rs;
    return p;
  }
};

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
int64_t round_up(int64_t a, int64_t b) { return ceil_div(a, b) * b; }

// Equal blocks of at most `max_block` (a multiple of `unit`): 784 = 4 x 196 rather than
// 3 x 256 + 16, so no block is a sliver.
int64_t block_size(int64_t total, int64_t max_block, int64_t unit) {
  const int64_t blocks = ceil_div(total, max_block);
  return std::min(max_block, round_up(ceil_div(total, blocks), unit));
}

// The activation over n contiguous finished values (bias added), copied to pre first when
// asked. Called under vectorized(), which compiles it for the CPU's widest vectors.
template <typename T>
inline void activate_run(T* c, T* pre, int64_t n, GemmActivation act) {
  if (pre)
    for (int64_t j = 0; j < n; ++j) pre[j] = c[j];
  if (act == GemmActivation::kGelu) {
    for (int64_t j = 0; j < n; ++j) c[j] = vm::gelu(c[j]);
  } else if (act == GemmActivation::kRelu) {
    for (int64_t j = 0; j < n; ++j) c[j] = c[j] < T(0) ? T(0) : c[j];  // NaN passes, as in store_tile_scalar
  }
}

// The driver's part of the epilogue (Problem::finishes) on rows [i0, i0 + rows) and
// columns [j0, j0 + cols) of C, along its memory: rows, or columns of a transposed problem
// (whose rs_c is 1).
template <typename T>
void finish_rect(const Problem<T>& p, int64_t i0, int64_t rows, int64_t j0, int64_t cols) {
  vectorized([&] {
    const bool by_rows = p.cs_c == 1;
    const int64_t outer = by_rows ? rows : cols, inner = by_rows ? cols : rows;
    const int64_t stride = by_rows ? p.rs_c : p.cs_c;
    const int64_t first = i0 * p.rs_c + j0 * p.cs_c;
    for (int64_t o = 0; o < outer; ++o) {
      const int64_t at = first + o * stride;
      activate_run(p.c + at, p.pre ? p.pre + at : nullptr, inner, p.act);
    }
  });
}

// Rows [i0, i0 + rows) and columns [k0, k0 + kc) of op(A), row-major with stride a_stride.
template <typename T>
void pack_a(const GemmArch<T>& arch, const Problem<T>& p, int64_t i0, int64_t k0, int64_t rows, int64_t kc, T* dst) {
  if (p.ta) {
    arch.copy_transposed(p.a + k0 * p.lda + i0, p.lda, rows, kc, dst, arch.a_stride);
  } else {
    arch.copy_rows(p.a + i0 * p.lda + k0, p.lda, rows, kc, dst, arch.a_stride);
  }
}

// Rows [k0, k0 + kc) and columns [j0, j0 + cols) of op(B) as panels of nr columns (kc x nr
// each, row-major); the last panel is zero-padded to nr.
template <typename T>
void pack_b(const GemmArch<T>& arch, const Problem<T>& p, int64_t k0, int64_t j0, int64_t kc, int64_t cols, T* dst) {
  const int nr = arch.nr;
  for (int64_t jp = 0; jp < cols; jp += nr, dst += kc * nr) {
    const int64_t width = std::min<int64_t>(nr, cols - jp);
    if (p.tb) {
      arch.copy_transposed(p.b + (j0 + jp) * p.ldb + k0, p.ldb, kc, width, dst, nr);
    } else {
      // A run of rows at a time (each row group's rows are evenly spaced), and of columns
      // (each column group's columns are contiguous).
      for (int64_t k = 0, rows = 0; k < kc; k += rows) {
        rows = p.b_groups.run(k0 + k, kc - k);
        const T* row = p.b + p.b_groups.offset(k0 + k, p.ldb);
        for (int64_t j = 0, run = 0; j < width; j += run) {
          run = p.b_col_groups.run(j0 + jp + j, width - j);
          arch.copy_rows(row + p.b_col_groups.offset(j0 + jp + j, 1), p.ldb, rows, run, dst + k * nr + j, nr);
        }
      }
    }
    if (width < nr) {
      for (int64_t k = 0; k < kc; ++k) std::fill(dst + k * nr + width, dst + (k + 1) * nr, T(0));
    }
  }
}

constexpr int64_t kL2PrefetchBytes = 256 * 1024;

// Asks for the next A micro-panel while the B panels stream past the current one: the
// packed A block is bigger than L2 (so that B is packed about once), and 14 strided rows
// arriving from L3 on demand would stall the first kernel of each panel.
template <typename T>
void prefetch_to_l2(const T* rows_begin, int64_t rows, int64_t stride, int64_t kc) {
  constexpr int64_t line = 64 / sizeof(T);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t k = 0; k < kc; k += line) __builtin_prefetch(rows_begin + r * stride + k, 0, 2);
}

// The most 64-byte lines that `rows` rows of `bytes` each, `stride` bytes apart, put in
// one set of a 64-set L1 (32 KB 8-way, 48 KB 12-way): how much a micro-panel crowds L1.
// Each row adds one to a run of consecutive sets (wrapping): marked at its ends and summed
// once, since this runs on every call (line by line it took 7% of a 64^3 product).
int64_t max_lines_per_set(int64_t rows, int64_t stride, int64_t bytes) {
  constexpr int64_t kSets = 64, kLine = 64;
  const int64_t lines = ceil_div(bytes, kLine) + 1;  // + 1: a row may start mid-line
  int64_t delta[kSets + 1] = {};
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t first = (r * stride / kLine) % kSets, end = first + lines % kSets;
    ++delta[first];
    if (end <= kSets) {
      --delta[end];
    } else {
      --delta[kSets];
      ++delta[0];
      --delta[end - kSets];
    }
  }
  int64_t most = 0;
  for (int64_t s = 0, count = rows * (lines / kSets); s < kSets; ++s) most = std::max(most, count += delta[s]);
  return most;
}

// Whether the micro-kernel can read op(A) where it lies instead of a packed copy: a
// non-transposed A (already rows of k) whose row stride spreads a micro-panel over L1's
// sets about as evenly as packing would, so the panel stays in L1 while the B panels
// stream past it. When N is small each element of A serves only a few B panels, and
// packing A cost 20% of the time (3136 x 64 x 576).
template <typename T>
bool reads_a_in_place(const GemmArch<T>& arch, const Problem<T>& p, int64_t kc) {
  if (p.ta) return false;
  // The answer for the last (stride, kc, arch) asked on this thread: training repeats its
  // shapes, and at 64^3 working it out took 5% of the call.
  struct Answer {
    int64_t lda = -1, kc = -1;
    const void* arch = nullptr;
    bool in_place = false;
  };
  thread_local Answer last;
  if (last.lda == p.lda && last.kc == kc && last.arch == &arch) return last.in_place;
  const int64_t bytes = kc * int64_t(sizeof(T));
  const bool in_place = max_lines_per_set(arch.mr, p.lda * int64_t(sizeof(T)), bytes) <=
                        max_lines_per_set(arch.mr, arch.a_stride * int64_t(sizeof(T)), bytes) + 1;
  last = {p.lda, kc, &arch, in_place};
  return in_place;
}

template <typename T>
int64_t k_block(const GemmArch<T>& arch, int64_t K) {
  return block_size(K, arch.kc, arch.vl);
}

template <typename T>
int64_t n_block(const GemmArch<T>& arch, int64_t N) {
  return block_size(N, arch.nc, arch.nr);
}

// The whole loop nest on the rectangle [m0, m1) x [n0, n1) of C and the depth [k0, k1)
// of the product, on this thread. With `prepacked` (pack_gemm_b's panels of all of
// op(B), so n0 = 0, n1 = N, k0 = 0 and k1 = K) B is read from there.
template <typename T>
void run_block(const GemmArch<T>& arch, const Problem<T>& p, int64_t m0, int64_t m1, int64_t n0, int64_t n1, int64_t k0,
               int64_t k1, const T* prepacked = nullptr) {
  const int64_t mc_max = block_size(m1 - m0, arch.mc, arch.mr);
  const int64_t nc_max = n_block(arch, n1 - n0);
  const int64_t kc_max = k_block(arch, k1 - k0);
  const bool a_in_place = p.a_groups.size > 0 || reads_a_in_place(arch, p, kc_max);
  PackBuffers<T>& buffers = thread_buffers<T>();
  T* packed_a = a_in_place ? nullptr : buffers.a.get(mc_max * arch.a_stride);
  T* pack_into = prepacked ? nullptr : buffers.b.get(kc_max * round_up(nc_max, arch.nr));
  const int64_t rs_a = a_in_place ? p.lda : arch.a_stride;
  for (int64_t ic = m0; ic < m1; ic += mc_max) {
    const int64_t mc = std::min(mc_max, m1 - ic);
    const T* next_prepacked = prepacked;
    for (int64_t pc = k0; pc < k1; pc += kc_max) {
      const int64_t kc = std::min(kc_max, k1 - pc);
      const T* a_block = a_in_place ? p.a + ic * p.lda + pc : packed_a;
      // Only a block larger than L2 comes from farther away (prefetch_to_l2); at 64^3 the
      // prefetches took 5% of the time for nothing. Rows read in place may overlap (a
      // stride-1 convolution's padded image, rows C apart and KW * C long): the block is
      // then the span they cover, and at 56x56x64 the prefetches took 3% for nothing.
      const int64_t a_elements = a_in_place ? std::min(mc * kc, (mc - 1) * p.lda + kc) : mc * kc;
      const bool prefetch_a = p.a_groups.size == 0 && a_elements * int64_t(sizeof(T)) > kL2PrefetchBytes;
      if (!a_in_place) pack_a(arch, p, ic, pc, mc, kc, packed_a);
      Epilogue<T> ep = p.ep;
      const bool last_k = pc + kc >= k1;
      if (pc > k0) ep.beta = T(1);
      if (!last_k) ep.bias = nullptr, ep.relu = false;
      for (int64_t jc = n0; jc < n1; jc += nc_max) {
        const int64_t nc = std::min(nc_max, n1 - jc);
        const T* packed_b = pack_into;
        if (prepacked) {
          packed_b = next_prepacked;
          next_prepacked += kc * round_up(nc, arch.nr);
        } else {
          pack_b(arch, p, pc, jc, kc, nc, pack_into);
        }
        for (int64_t ir = 0, rows = 0; ir < mc; ir += rows) {
          const int64_t i = ic + ir;
          // A micro-panel of grouped rows stays inside its group, where the row stride holds.
          rows = p.a_groups.run(i, std::min<int64_t>(arch.mr, mc - ir));
          const T* a_panel = p.a_groups.size ? p.a + p.a_groups.offset(i, p.lda) + pc : a_block + ir * rs_a;
          if (prefetch_a)
            prefetch_to_l2(a_block + (ir + arch.mr) * rs_a, std::min<int64_t>(arch.mr, mc - ir - rows), rs_a, kc);
          for (int64_t jr = 0; jr < nc; jr += arch.nr) {
            const int cols = static_cast<int>(std::min<int64_t>(arch.nr, nc - jr));
            const int64_t j = jc + jr;
            Epilogue<T> tile_ep = ep;
            if (ep.bias) tile_ep.bias = ep.bias + i * ep.bias_rs + j * ep.bias_cs;
            arch.kernel(kc, a_panel, rs_a, packed_b + jr * kc, p.c + i * p.rs_c + j * p.cs_c, p.rs_c, p.cs_c,
                        static_cast<int>(rows), cols, tile_ep);
          }
          if (last_k && p.finishes()) finish_rect(p, i, rows, jc, nc);
        }
      }
    }
  }
}

// Fraction of vector lanes doing useful work when n runs along the vectors.
double lane_use(int64_t n, int vl) { return double(n) / double(round_up(n, vl)); }

template <typename T>
bool prefer_transposed(const GemmArch<T>& arch, int64_t M, int64_t N) {
  return lane_use(M, arch.vl) > 1.2 * lane_use(N, arch.vl);
}

struct Split {
  int tm, tn;
};

// How many threads a product of `flops` is worth, out of `available`.
int useful_threads(double flops, int available) {
  return static_cast<int>(std::min<double>(available, std::max(1.0, flops / kGemmMinFlopsPerThread)));
}

// The tm x tn grid of `available` threads (at most) with the least estimated time per
// thread on a depth of K: compute (2 FMA pipes) plus packing (a transposed operand packs
// slower), in cycles.
template <typename T>
Split plan_threads(const GemmArch<T>& arch, const Problem<T>& p, int64_t K, int available) {
  const int threads = useful_threads(2.0 * p.M * p.N * K, available);
  Split best{1, 1};
  double best_cost = -1;
  const int64_t units_m = ceil_div(p.M, arch.mr), units_n = ceil_div(p.N, arch.vl);
  for (int tm = 1; tm <= threads; ++tm) {
    if (threads % tm != 0) continue;
    const int tn = threads / tm;
    if (tm > units_m || tn > units_n) continue;
    const double rows = double(ceil_div(units_m, tm) * arch.mr);
    const double cols = double(ceil_div(units_n, tn) * arch.vl);
    const double compute = rows * cols * K / (2.0 * arch.vl);
    const double pack = rows * K * (p.ta ? 0.3 : 0.1) + cols * K * (p.tb ? 0.3 : 0.1);
    const double cost = compute + pack;
    if (best_cost < 0 || cost < best_cost) best = {tm, tn}, best_cost = cost;
  }
  return best;
}

// Part `index` of `parts` near-equal parts of [0, total), cut at multiples of `unit`.
std::pair<int64_t, int64_t> split_range(int64_t total, int64_t unit, int parts, int index) {
  const int64_t units = ceil_div(total, unit);
  return {std::min(total, units * index / parts * unit), std::min(total, units * (index + 1) / parts * unit)};
}

// How many parts of K the product is summed in. 2, where cutting C between threads makes
// each of them read all of the operand its rectangle shares and summing halves of K into
// a partial C costs less:
// - a small C with a long K (weight gradients: 256 x 256 from K = 4096 rows; K at least 4
//   K blocks): cut by C, each thread packed the whole of X in X^T dY and 2 threads ran
//   only 1.55x one;
// - a deep product, K at least 3 times M and N and at least 512 (a Dense layer's forward,
//   [128, 784] x [784, 256]): cut by N, each thread read all of x where it needs half,
//   while the partial's extra pass over C (about 3 M x N) is less than that M x K. In a
//   training step x is the batch the main thread just wrote and the weights are what the
//   optimizer just wrote on both cores: lines one core must fetch from the other's cache,
//   which made the forward GEMMs 55% slower than back to back (issue #22); cut by K, each
//   thread reads half of x and of the weights, and with the pool's front / back claims
//   the caller's half of the weights is mostly the half it updated.
// From the shape alone, never the thread count, so that the sum's order, and so the bits
// of C, do not depend on it: one thread sums the same parts one after the other. C is at
// most 1M elements (the partial's buffer).
template <typename T>
int k_segments(const GemmArch<T>& arch, const Problem<T>& p) {
  constexpr int64_t kMaxPartialElements = int64_t(1) << 20;
  const bool long_k = p.K >= 4 * arch.kc;
  const bool deep = p.K >= 512 && p.K >= 3 * std::max(p.M, p.N);
  const bool worth_threads = 2.0 * p.M * p.N * p.K >= 2 * kGemmMinFlopsPerThread;
  return (long_k || deep) && p.M * p.N <= kMaxPartialElements && worth_threads ? 2 : 1;
}

// Where the second K part starts: on a whole K block for a long K (K = 4096: two parts of
// four full blocks), else near the middle on a vector's width (784: 392 + 392).
template <typename T>
int64_t k_half(const GemmArch<T>& arch, int64_t K) {
  return K >= 4 * arch.kc ? std::min(K, round_up(K / 2, arch.kc)) : round_up(K / 2, arch.vl);
}

// Grow-only partial sums of C, one buffer per calling thread (a nested call from a pool
// task has its own).
template <typename T>
PackBuffer<T>& partial_buffer() {
  thread_local PackBuffer<T> buffer;
  return buffer;
}

// C = C + partial, then the epilogue's bias and activation, element (i, j) of partial at
// i * rs + j * cs (the same orientation as C's strides), in rows along C's memory.
template <typename T>
void add_partial(const Problem<T>& p, const T* partial, int64_t rs, int64_t cs) {
  const bool by_rows = p.cs_c == 1;  // otherwise C is stored transposed (p.transposed())
  const int64_t outer = by_rows ? p.M : p.N, inner = by_rows ? p.N : p.M;
  const int64_t c_outer = by_rows ? p.rs_c : p.cs_c, s_outer = by_rows ? rs : cs;
  const int64_t b_outer = by_rows ? p.ep.bias_rs : p.ep.bias_cs, b_inner = by_rows ? p.ep.bias_cs : p.ep.bias_rs;
  const T* bias = p.ep.bias;
  const bool activates = p.act != GemmActivation::kNone || p.pre;
  parallel_for(0, outer, std::max<int64_t>(1, 16384 / inner), [&](int64_t lo, int64_t hi) {
    for (int64_t o = lo; o < hi; ++o) {
      T* c = p.c + o * c_outer;
      const T* s = partial + o * s_outer;
      for (int64_t x = 0; x < inner; ++x) c[x] += s[x];
      if (bias) {
        const T* b = bias + o * b_outer;
        for (int64_t x = 0; x < inner; ++x) c[x] += b[x * b_inner];
      }
      if (activates) vectorized([&] { activate_run(c, p.pre ? p.pre + o * c_outer : nullptr, inner, p.act); });
    }
  });
}

// Runs `rects` rectangles of C (a tm x tn grid) on the depth [k0, k1) for each of `parts`
// problems (one per K part), all as chunks of one parallel_for.
template <typename T>
void run_rectangles(const GemmArch<T>& arch, const Problem<T>* parts, const std::pair<int64_t, int64_t>* depths,
                    int count, Split split) {
  const int rects = split.tm * split.tn;
  parallel_for(0, int64_t(count) * rects, 1, [&](int64_t lo, int64_t hi) {
    for (int64_t t = lo; t < hi; ++t) {
      const Problem<T>& p = parts[t / rects];
      const int r = static_cast<int>(t % rects);
      const auto [m0, m1] = split_range(p.M, arch.mr, split.tm, r / split.tn);
      const auto [n0, n1] = split_range(p.N, arch.vl, split.tn, r % split.tn);
      if (m0 < m1 && n0 < n1) run_block(arch, p, m0, m1, n0, n1, depths[t / rects].first, depths[t / rects].second);
    }
  });
}

// The problem cut into K parts (k_segments) and each part into rectangles of C
// (plan_threads), one per thread; with two parts the second sums into a buffer that is
// then added to C with the epilogue's bias and activation.
template <typename T>
void run_split(const GemmArch<T>& arch, const Problem<T>& p) {
  const int segments = k_segments(arch, p);
  if (segments == 1) {
    const Split split = plan_threads(arch, p, p.K, num_threads());
    if (split.tm * split.tn == 1) return run_block(arch, p, 0, p.M, 0, p.N, 0, p.K);
    const std::pair<int64_t, int64_t> depth{0, p.K};
    return run_rectangles(arch, &p, &depth, 1, split);
  }
  const int64_t half = k_half(arch, p.K);
  const std::pair<int64_t, int64_t> depths[2] = {{0, half}, {half, p.K}};
  Problem<T> parts[2] = {p, p};
  parts[0].ep.bias = nullptr, parts[0].ep.relu = false;
  parts[0].act = parts[1].act = GemmActivation::kNone;
  parts[0].pre = parts[1].pre = nullptr;
  // The partial in C's orientation, so that the final add reads both along memory.
  const int64_t rs = p.cs_c == 1 ? p.N : 1, cs = p.cs_c == 1 ? 1 : p.M;
  parts[1].c = partial_buffer<T>().get(p.M * p.N);
  parts[1].rs_c = rs, parts[1].cs_c = cs;
  parts[1].ep = Epilogue<T>{T(0), nullptr, 0, 0, false};
  run_rectangles(arch, parts, depths, 2, plan_threads(arch, p, p.K / 2, std::max(1, num_threads() / 2)));
  add_partial(p, parts[1].c, rs, cs);
}

// K == 0: only the epilogue, C = beta * C + bias, on a zero product (one row, stride 0).
template <typename T>
void epilogue_only(const Problem<T>& p) {
  const std::vector<T> zeros(p.N, T(0));
  gemm_detail::store_tile_scalar(zeros.data(), 0, p.c, p.rs_c, p.cs_c, static_cast<int>(p.M), static_cast<int>(p.N),
                                 p.ep);
  if (p.finishes()) finish_rect(p, 0, p.M, 0, p.N);
}

}  // namespace

template <typename T>
void gemm_ex(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const T* A, int64_t lda, const T* B,
             int64_t ldb, T beta, T* C, int64_t ldc, const T* bias, GemmActivation activation, T* pre_activation) {
  if (M <= 0 || N <= 0) return;
  // relu in the micro-kernel, unless its input is kept (then the driver copies, then applies it).
  const bool kernel_relu = activation == GemmActivation::kRelu && !pre_activation;
  Problem<T> p{M,  N,  K, trans_a, trans_b, A, lda, B, ldb, C, ldc, 1, Epilogue<T>{beta, bias, 0, 1, kernel_relu},
               {}, {}, {}};
  p.act = activation;
  p.pre = pre_activation;
  if (K <= 0) return epilogue_only(p);
  const GemmArch<T>& arch = gemm_detail::current_arch<T>();
  if (prefer_transposed(arch, M, N)) p = p.transposed();
  run_split(arch, p);
}

template <typename T>
int64_t gemm_k_split(int64_t M, int64_t N, int64_t K) {
  const GemmArch<T>& arch = gemm_detail::current_arch<T>();
  Problem<T> p{M, N, K, false, false, nullptr, K, nullptr, N, nullptr, N, 1, Epilogue<T>{}, {}, {}, {}};
  return k_segments(arch, p) == 2 ? k_half(arch, K) : K;
}

template <typename T>
void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const T* A, int64_t lda, const T* B, int64_t ldb,
          T* C, int64_t ldc) {
  gemm_ex<T>(trans_a, trans_b, M, N, K, A, lda, B, ldb, T(0), C, ldc);
}

template <typename T>
void gemm_grouped_rows(int64_t M, int64_t N, int64_t K, const T* A, int64_t lda, int64_t group_rows,
                       int64_t group_stride, const T* B, int64_t ldb, T beta, T* C, int64_t ldc) {
  if (M <= 0 || N <= 0) return;
  Problem<T> p{M, N, K, false, false, A, lda, B, ldb, C, ldc, 1, Epilogue<T>{beta, nullptr, 0, 1, false}, {}, {}, {}};
  p.a_groups = {group_rows, group_stride};
  if (K <= 0) return epilogue_only(p);
  run_split(gemm_detail::current_arch<T>(), p);
}

template <typename T>
void gemm_at_grouped_b(int64_t M, int64_t N, int64_t K, const T* A, int64_t lda, const T* B, int64_t ldb,
                       int64_t group_rows, int64_t group_stride, int64_t group_cols, int64_t col_stride, T beta, T* C,
                       int64_t ldc) {
  if (M <= 0 || N <= 0) return;
  Problem<T> p{M, N, K, true, false, A, lda, B, ldb, C, ldc, 1, Epilogue<T>{beta, nullptr, 0, 1, false}, {}, {}, {}};
  p.b_groups = {group_rows, group_stride};
  p.b_col_groups = {group_cols, col_stride};
  if (K <= 0) return epilogue_only(p);
  run_split(gemm_detail::current_arch<T>(), p);
}

template <typename T>
PackedB<T> pack_gemm_b(bool trans_b, int64_t K, int64_t N, const T* B, int64_t ldb) {
  const GemmArch<T>& arch = gemm_detail::current_arch<T>();
  PackedB<T> packed{K, N, k_block(arch, K), n_block(arch, N), &arch, nullptr};
  if (K <= 0 || N <= 0) return packed;
  packed.panels.reset(new T[K * round_up(N, arch.nr)]);
  Problem<T> p{0, N, K, false, trans_b, nullptr, 0, B, ldb, nullptr, 0, 1, {}, {}, {}, {}};
  T* dst = packed.panels.get();
  for (int64_t pc = 0; pc < K; pc += packed.kc) {
    const int64_t kc = std::min(packed.kc, K - pc);
    for (int64_t jc = 0; jc < N; jc += packed.nc) {
      const int64_t nc = std::min(packed.nc, N - jc);
      pack_b(arch, p, pc, jc, kc, nc, dst);
      dst += kc * round_up(nc, arch.nr);
    }
  }
  return packed;
}

template <typename T>
void gemm_packed(int64_t M, const T* A, int64_t lda, const PackedB<T>& B, T beta, T* C, int64_t ldc) {
  if (M <= 0 || B.N <= 0) return;
  Problem<T> p{M,  B.N, B.K, false, false, A, lda, nullptr, 0, C, ldc, 1, Epilogue<T>{beta, nullptr, 0, 1, false},
               {}, {},  {}};
  if (B.K <= 0) return epilogue_only(p);
  // The family it was packed for, even if a test switched ISAs since.
  run_block(*static_cast<const GemmArch<T>*>(B.arch), p, 0, M, 0, B.N, 0, B.K, B.panels.get());
}

#define TESSERA_GEMM_INSTANTIATE(T)                                                                                \
  template void gemm<T>(bool, bool, int64_t, int64_t, int64_t, const T*, int64_t, const T*, int64_t, T*, int64_t); \
  template void gemm_ex<T>(bool, bool, int64_t, int64_t, int64_t, const T*, int64_t, const T*, int64_t, T, T*,     \
                           int64_t, const T*, GemmActivation, T*);                                                 \
  template void gemm_grouped_rows<T>(int64_t, int64_t, int64_t, const T*, int64_t, int64_t, int64_t, const T*,     \
                                     int64_t, T, T*, int64_t);                                                     \
  template void gemm_at_grouped_b<T>(int64_t, int64_t, int64_t, const T*, int64_t, const T*, int64_t, int64_t,     \
                                     int64_t, int64_t, int64_t, T, T*, int64_t);                                   \
  template PackedB<T> pack_gemm_b<T>(bool, int64_t, int64_t, const T*, int64_t);                                   \
  template void gemm_packed<T>(int64_t, const T*, int64_t, const PackedB<T>&, T, T*, int64_t);                     \
  template int64_t gemm_k_split<T>(int64_t, int64_t, int64_t);
TESSERA_GEMM_INSTANTIATE(float)
TESSERA_GEMM_INSTANTIATE(double)
#undef TESSERA_GEMM_INSTANTIATE

}  // namespace tessera::cpu
