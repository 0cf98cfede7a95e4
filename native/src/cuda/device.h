// The devices and their streams. Each device has one stream, and every kernel, copy and
// stream-ordered allocation of that device goes on it, in order: memory freed by one op
// can be reused by the next at once, and reading data back only synchronizes that stream.
#pragma once
#include <cuda_runtime_api.h>

#include <string>

namespace tessera::cuda {

// Counts the devices, or returns 0 with the reason CUDA cannot be used (no driver, a
// driver older than this build's CUDA, no device). Creates no GPU context.
int discover_devices(std::string* reason);

int device_count();

// Makes `device` current on the calling thread and returns its stream, created on first use.
cudaStream_t activate(int device);

std::string device_name(int device);

// Waits for the device's stream; a kernel fault surfaces here at the latest.
void synchronize(int device);

}  // namespace tessera::cuda
