// Loads libtessera_cuda with dlopen. A machine without the library, a driver or a GPU
// keeps working on the CPU; status() says why CUDA did not load.
#pragma once
#include <string>

#include "abi.h"

namespace tessera {

struct CudaStatus {
  bool loaded = false;
  std::string library_path;  // where it was found, when it was
  std::string reason;        // why it did not load, when it did not
  int device_count = 0;
};

const CudaStatus& cuda_status();
// The loaded library's entry points; nullptr when CUDA is not available.
const TkCudaApi* cuda_api();

}  // namespace tessera
