// A tensor's bytes lent to another native module (the MPI shim) without a copy and
// without exposing the address to JavaScript. The main addon's hostBuffer(handle) returns
// an N-API External over this struct, type-tagged with kHostBufferTag (CPU memory);
// deviceBuffer(handle) the same over a CUDA tensor's device memory, tagged with
// kDeviceBufferTag, so a module that only knows host memory never takes a device address
// for one. A module that checks the tag may read and write `bytes` bytes at `data` until
// releaseHostBuffer (the External keeps the storage alive until then, or until it is
// collected). Plain C layout: the two modules are built by different compilers
// (node-gyp's and mpicxx).
#pragma once
#include <stdint.h>

#include <node_api.h>

namespace tessera {

struct HostBuffer {
  void* data;      // null once released
  uint64_t bytes;  // 0 once released
  int32_t dtype;   // abi.h's dtype code
  // -1: CPU memory (kHostBufferTag). k >= 0: memory of CUDA device k (kDeviceBufferTag),
  // whose work Tessera's stream finished before the loan was made (deviceBuffer
  // synchronizes it): the borrower may use it from any stream of that device.
  int32_t device;
};

// The tag both sides check (napi_type_tag_object): a random 128-bit value.
constexpr napi_type_tag kHostBufferTag = {0x7e55e4a0b3f14c6dULL, 0x9a2f1c05d84e3b71ULL};
// The tag of a loan of CUDA device memory: another random value.
constexpr napi_type_tag kDeviceBufferTag = {0x3c9d06b1e27a4f58ULL, 0xb4160e7fd9a2c853ULL};

}  // namespace tessera
