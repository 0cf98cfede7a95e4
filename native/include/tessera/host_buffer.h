// A CPU tensor's bytes lent to another native module (the MPI shim) without a copy and
// without exposing the address to JavaScript. The main addon's hostBuffer(handle) returns
// an N-API External over this struct, type-tagged with kHostBufferTag; a module that
// checks the tag may read and write `bytes` bytes at `data` until releaseHostBuffer (the
// External keeps the storage alive until then, or until it is collected). Plain C layout:
// the two modules are built by different compilers (node-gyp's and mpicxx).
#pragma once
#include <stdint.h>

#include <node_api.h>

namespace tessera {

struct HostBuffer {
  void* data;      // null once released
  uint64_t bytes;  // 0 once released
  int32_t dtype;   // abi.h's dtype code
};

// The tag both sides check (napi_type_tag_object): a random 128-bit value.
constexpr napi_type_tag kHostBufferTag = {0x7e55e4a0b3f14c6dULL, 0x9a2f1c05d84e3b71ULL};

}  // namespace tessera
