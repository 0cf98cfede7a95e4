// Lists of tensors for the multi-tensor optimizer kernels (the idea of apex's
// multi_tensor_apply): the pointers of up to kListTensors parameters and a table of up to
// kListChunks chunks of kChunkSize elements travel as ONE kernel argument (under CUDA's
// 4 KiB limit), and each block updates one chunk. A model's tensors usually fit one list,
// so one launch; more tensors or chunks make more launches, a tensor's chunks may span two.
#pragma once
#include <cstdint>

namespace tessera::cuda {

constexpr int kListTensors = 32;
constexpr int kListChunks = 256;
constexpr int64_t kChunkSize = 65536;

// The tensors of one launch: parameter, gradient and up to three slots (nullptr when
// absent), each tensor's size, and which (tensor, chunk) each block takes.
template <typename T>
struct TensorList {
  T* param[kListTensors];
  const T* grad[kListTensors];
  T* a[kListTensors];
  T* b[kListTensors];
  T* c[kListTensors];
  int64_t size[kListTensors];
  int tensor_of_chunk[kListChunks];
  int chunk_of_chunk[kListChunks];
};
static_assert(sizeof(TensorList<double>) + 64 <= 4096, "a TensorList must fit a kernel's 4 KiB of arguments");

// Fills lists with the `count` tensors (size_at(g) elements each; put(list, t, g) stores
// tensor g's pointers at index t) and calls launch(list, chunks) for each full list and
// the last one. Empty tensors take no chunk.
template <typename T, typename SizeAt, typename Put, typename Launch>
void for_each_list(int count, SizeAt size_at, Put put, Launch launch) {
  TensorList<T> list;
  int tensors = 0, chunks = 0;
  for (int g = 0; g < count; ++g) {
    const int64_t n = size_at(g);
    if (n == 0) continue;
    put(list, tensors, g);
    list.size[tensors] = n;
    const int64_t tensor_chunks = (n + kChunkSize - 1) / kChunkSize;
    for (int64_t c = 0; c < tensor_chunks; ++c) {
      list.tensor_of_chunk[chunks] = tensors;
      list.chunk_of_chunk[chunks] = static_cast<int>(c);
      ++chunks;
      const bool last_chunk = c + 1 == tensor_chunks;
      if (chunks == kListChunks || (last_chunk && tensors + 1 == kListTensors)) {
        launch(list, chunks);
        chunks = 0;
        if (last_chunk) {
          tensors = -1;  // the next tensor starts a fresh list
        } else {
          // The rest of this tensor's chunks go to the next list, as its tensor 0.
          put(list, 0, g);
          list.size[0] = n;
          tensors = 0;
        }
      }
    }
    ++tensors;
  }
  if (chunks > 0) launch(list, chunks);
}

}  // namespace tessera::cuda
