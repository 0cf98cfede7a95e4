// CPU-vs-CUDA cases of the fused attention kernels: lengths on and off the tiles, Tq != Tk,
// causal, key and query padding masks and dropout (the same Philox mask on both devices), in
// both layouts: [N, T, D] and heads_last [B, T, heads, D] (B the masks' rows, or 1).
#include <algorithm>

#include "cuda_case_makers.h"

namespace tessera::testing {
namespace {

struct Sizes {
  int64_t n, tq, tk, d, dv, mask_rows, query_mask_rows;
};

const std::vector<Sizes> kSizes = {{2, 7, 7, 5, 3, 0, 0},  {4, 33, 130, 16, 8, 2, 0}, {3, 130, 33, 1, 64, 3, 3},
                                   {1, 1, 1, 64, 1, 0, 0}, {4, 33, 33, 4, 4, 0, 2},   {2, 1, 5, 3, 3, 1, 1}};

// q, k, v, o, do in [-1, 1); the key and query masks 0 or 1; lse in [0, 2).
InputMaker attention_inputs() {
  return [](int index, DType dtype, int64_t n, uint32_t seed) {
    if (index == 3 || index == 4) return integers_in(0, 2)(index, dtype, n, seed);
    if (index == 6) return random_bytes(dtype, n, seed, 0, 2);
    return random_bytes(dtype, n, seed, -1, 1);
  };
}

const CudaCaseRegistrar kAttentionCases([] {
  std::vector<CudaCase> all;
  for (DType dtype : {DType::Float32, DType::Float64}) {
    for (const Sizes& s : kSizes) {
      for (bool causal : {false, true}) {
        for (double rate : {0.0, 0.25}) {
          for (bool heads_last : {false, true}) {
            const std::vector<double> attrs = {0.3, causal ? 1.0 : 0.0, rate, 7, 3, heads_last ? 1.0 : 0.0};
            const std::vector<int64_t> mask =
                s.mask_rows ? std::vector<int64_t>{s.mask_rows, s.tk} : std::vector<int64_t>{0};
            const std::vector<int64_t> query_mask =
                s.query_mask_rows ? std::vector<int64_t>{s.query_mask_rows, s.tq} : std::vector<int64_t>{0};
            const int64_t batch = std::max<int64_t>({s.mask_rows, s.query_mask_rows, 1}), heads = s.n / batch;
            // A tensor of `len` rows of `width` per row of N, in the case's layout.
            const auto layout = [&](int64_t len, int64_t width) {
              return heads_last ? std::vector<int64_t>{batch, len, heads, width}
                                : std::vector<int64_t>{s.n, len, width};
            };
            const std::vector<int64_t> q = layout(s.tq, s.d), k = layout(s.tk, s.d), v = layout(s.tk, s.dv),
                                       o = layout(s.tq, s.dv), lse = {s.n, s.tq};
            const std::string label = std::string(causal ? "causal" : "full") + (rate > 0 ? "_dropout" : "") +
                                      (heads_last ? "_heads_last" : "");
            CudaCase fwd;
            fwd.op = OpId::attention_fused;
            fwd.input_dtypes = {dtype, dtype, dtype, dtype, dtype};
            fwd.inputs = {q, k, v, mask, query_mask};
            fwd.outs = {{dtype, o}, {dtype, lse}, {dtype, {0}}};  // probabilities [0]: recomputed
            fwd.attrs = attrs;
            fwd.make_input = attention_inputs();
            fwd.label = label;
            set_tolerance(fwd, dtype, 1e-4, 1e-5, 1e-11, 1e-12);
            all.push_back(fwd);

            CudaCase back;
            back.op = OpId::attention_fused_backward;
            back.input_dtypes = std::vector<DType>(9, dtype);
            back.inputs = {q, k, v, mask, query_mask, o, lse, {0}, o};
            back.outs = {{dtype, q}, {dtype, k}, {dtype, v}};
            back.attrs = attrs;
            back.make_input = attention_inputs();
            back.label = label;
            set_tolerance(back, dtype, 1e-4, 1e-4, 1e-10, 1e-11);
            all.push_back(back);
          }
        }
      }
    }
  }
  return all;
});

}  // namespace
}  // namespace tessera::testing
