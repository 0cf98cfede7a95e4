// How much host memory the process can still get, so a tensor the machine cannot hold is
// a clear error before any work rather than an OOM kill (Linux overcommits: malloc of
// 17 GB succeeds and the process dies while filling it).
#pragma once
#include <cstdint>
#include <string>

namespace tessera {

// Bytes the process may still allocate: the memory the kernel says is available
// (MemAvailable + SwapFree), capped by the address-space and data rlimits and by the
// cgroup's limit. Reads /proc, so callers ask only for large allocations.
uint64_t host_memory_available();

// A byte count for messages: "16 GiB", "512 MiB", "100 bytes".
std::string format_bytes(uint64_t bytes);

}  // namespace tessera
