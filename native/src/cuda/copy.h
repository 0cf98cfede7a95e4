// Copies between host memory and a device, in order on the device's stream.
// The host side is pageable memory (a JS typed array or a std::vector): for an upload, the
// driver stages it before returning, so the caller may reuse its buffer at once.
#pragma once
#include <cstddef>

namespace tessera::cuda {

void copy_to_device(int device, void* dst, const void* src, size_t bytes);
// Waits for every earlier kernel on the stream, so the data read is final.
void copy_to_host(int device, void* dst, const void* src, size_t bytes);

}  // namespace tessera::cuda
