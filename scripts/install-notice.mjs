#!/usr/bin/env node
// The install script's two messages, run by node-gyp-build around a source build (its
// optional pre- and post-build commands) and never when a prebuild loads. npm shows
// them with `--foreground-scripts`, or when the build fails; `npx tessera doctor` says
// afterwards which addon was loaded.
const tuple = `${process.platform}-${process.arch}`;
const why = process.env.npm_config_build_from_source === 'true' ? 'as asked (build-from-source)' : `no prebuilt binary loads on ${tuple}`;
if (process.argv[2] === 'before') {
  console.log(`tessera: ${why}; building the CPU addon from source with node-gyp (needs python3, make and a C++17 compiler)`);
} else {
  console.log('tessera: built the CPU addon from source (build/Release/tessera.node); for CUDA, point TESSERA_CUDA_LIBRARY at a prebuilt libtessera_cuda.so');
}
