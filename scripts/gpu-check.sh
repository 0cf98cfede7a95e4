#!/usr/bin/env bash
# One command for a lent GPU machine: builds the CUDA library and the
# kernel tests for sm_90, runs the CUDA tests (with both allocators, and under
# compute-sanitizer's memcheck when it is there), checks that the addon loads the library,
# runs the jest suite on CUDA when Node was carried, the NCCL tests under mpirun when
# Open MPI and libnccl.so.2 are there, and prints one table. Every step runs
# even when an earlier one failed; the exit status is non-zero when any step failed.
# It must finish in under seven minutes: each step has a time limit, and steps that would
# start after the overall limit are reported as failed, not run.
#
#   scripts/gpu-check.sh --prepare   here, before a device run: packs what the GPU machine
#                                    lacks into .device/ (Node, node_modules, GoogleTest's
#                                    sources), builds the CUDA binaries for sm_90 and
#                                    prints what to carry
#   scripts/gpu-check.sh             there, from the repository root
#
# Logs: $OUT/gpu-check.log (every step's output) and $OUT/gpu-check-summary.txt when OUT
# is set, else the same files in build-gpu/.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
CARRIED=.device

prepare() {
  set -e
  mkdir -p "$CARRIED"
  local node_bin
  node_bin=$(command -v node)
  if [ ! -s "$CARRIED/node.xz" ] || [ "$node_bin" -nt "$CARRIED/node.xz" ]; then
    local tmp
    tmp=$(mktemp)
    cp "$node_bin" "$tmp"
    strip "$tmp" 2>/dev/null || true
    xz -T0 -6 -c "$tmp" > "$CARRIED/node.xz"
    rm -f "$tmp"
  fi
  # node_modules is larger than a device run may carry (64 MiB). Without TensorFlow.js
  # (the interop tests and bench:train's peer, not run there) it packs to about 10 MiB.
  tar -cf - --exclude=node_modules/@tensorflow node_modules | xz -T0 -6 > "$CARRIED/node_modules.tar.xz"
  # The GPU machine's image has CMake and nvcc but may lack GoogleTest.
  if [ -d /usr/src/googletest ]; then
    rm -rf "$CARRIED/googletest"
    cp -r /usr/src/googletest "$CARRIED/googletest"
  fi
  du -sh "$CARRIED"/*
  # The CUDA library, kernel tests and CUDA benchmark for sm_90, built here so the GPU
  # machine's minutes go to running them.
  local generator=()
  command -v ninja > /dev/null && generator=(-G Ninja)
  cmake -S "$ROOT" -B build-gpu "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DTESSERA_CUDA_ARCHITECTURES=90 \
    -DTESSERA_BUILD_BENCHMARKS=OFF > /dev/null
  cmake --build build-gpu -j "$(nproc)" --target tessera_cuda tessera_tests tessera_cuda_bench
  du -sh build-gpu/tessera_tests build-gpu/tessera_cuda_bench build-cmake/libtessera_cuda.so
  npm run build:ts --silent  # dist/, for the training benchmark
  npm run build:mpi --silent || true  # build/distributed: the MPI shims, for the NCCL step
  echo "carry: [\"$CARRIED\", \"build/Release/tessera.node\", \"build-gpu/tessera_tests\"," \
    "\"build-gpu/tessera_cuda_bench\", \"build-cmake/libtessera_cuda.so\", \"dist\", \"build/distributed\"]"
}

if [ "${1:-}" = "--prepare" ]; then
  prepare
  exit
fi

BUILD=$ROOT/build-gpu
RESULTS=${OUT:-$BUILD}
STEP_LOGS=$(mktemp -d)
JOBS=$(nproc)
START=$(date +%s)
BUDGET_S=420  # the whole run, under seven minutes (about three when every step passes)
mkdir -p "$BUILD" "$RESULTS"

STEPS=()
FAILED=0

# step NAME LIMIT_S COMMAND...: runs COMMAND with a time limit, logging its output, and
# records PASS or FAIL. A step whose limit would end past the overall budget does not run.
step() {
  local name=$1 limit=$2
  shift 2
  local elapsed=$(($(date +%s) - START))
  if ((elapsed + limit > BUDGET_S)); then
    limit=$((BUDGET_S - elapsed))
    if ((limit < 10)); then
      record "$name" "FAIL" 0 "not run: the run's time budget is spent"
      return 1
    fi
  fi
  echo "== $name" >&2
  local t0 rc log="$STEP_LOGS/$name.log"
  t0=$(date +%s)
  # Through bash -c, so COMMAND may be one of this script's (exported) functions.
  timeout --kill-after=10 "$limit" bash -c '"$@"' step "$@" > "$log" 2>&1
  rc=$?
  local secs=$(($(date +%s) - t0))
  if ((rc == 0)); then
    record "$name" "PASS" "$secs" ""
  else
    local why="exit $rc"
    ((rc == 124 || rc == 137)) && why="over its ${limit}s limit"
    record "$name" "FAIL" "$secs" "$why"
    echo "---- last lines of $name:" >&2
    tail -n 15 "$log" >&2
  fi
  return $rc
}

# skip NAME REASON: a step that does not apply on this machine (not a failure).
skip() { record "$1" "SKIP" 0 "$2"; }

record() {
  STEPS+=("$(printf '%-26s %-5s %5ss  %s' "$1" "$2" "$3" "$4")")
  [ "$2" = "FAIL" ] && FAILED=1
  return 0
}

# A CUDA test run counts only if CUDA loaded: skipped tests would otherwise pass it.
cuda_tests() {
  local log
  log=$(mktemp)
  "$BUILD/tessera_tests" --gtest_filter='Cuda*' "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  if grep -q "CUDA not available" "$log"; then
    echo "FAILED: the tests were skipped: $(grep -m 1 "CUDA not available" "$log")"
    rc=1
  fi
  rm -f "$log"
  return $rc
}

gpu_info() {
  nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv,noheader &&
    nvcc --version | tail -n 2 &&
    cmake --version | head -n 1
}

# GoogleTest from the system, else built from the carried sources.
GTEST_PREFIX=""
find_gtest() {
  if [ -n "$(find /usr/lib /usr/lib64 /usr/local/lib /usr/share -name 'GTestConfig.cmake' -print -quit 2>/dev/null)" ]; then
    echo "system GoogleTest"
    return 0
  fi
  [ -d "$CARRIED/googletest" ] || { echo "no GoogleTest: run scripts/gpu-check.sh --prepare here and carry $CARRIED"; return 1; }
  cmake -S "$CARRIED/googletest" -B /tmp/tessera-gtest-build -DCMAKE_BUILD_TYPE=Release -DBUILD_GMOCK=OFF \
    -DCMAKE_INSTALL_PREFIX=/tmp/tessera-gtest &&
    cmake --build /tmp/tessera-gtest-build -j "$JOBS" &&
    cmake --install /tmp/tessera-gtest-build
}

configure() {
  local generator=()
  command -v ninja > /dev/null && generator=(-G Ninja)
  # A build folder configured with another generator must start over.
  if [ -f "$BUILD/CMakeCache.txt" ] && ! grep -q "CMAKE_GENERATOR:INTERNAL=${generator[1]:-Unix Makefiles}$" "$BUILD/CMakeCache.txt"; then
    rm -rf "$BUILD/CMakeCache.txt" "$BUILD/CMakeFiles"
  fi
  cmake -S "$ROOT" -B "$BUILD" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DTESSERA_CUDA_ARCHITECTURES=90 \
    -DTESSERA_BUILD_BENCHMARKS=OFF ${GTEST_PREFIX:+-DCMAKE_PREFIX_PATH=$GTEST_PREFIX}
}

# Node and node_modules, from what --prepare packed, unless this machine has them. Runs
# in this shell, not as a step, since it sets PATH (npx's scripts start "#!/usr/bin/env node").
setup_node() {
  if ! command -v node > /dev/null; then
    [ -s "$CARRIED/node.xz" ] || { echo "no node and no $CARRIED/node.xz"; return 1; }
    mkdir -p /tmp/tessera-node
    xz -dc "$CARRIED/node.xz" > /tmp/tessera-node/node && chmod +x /tmp/tessera-node/node || return 1
    export PATH=/tmp/tessera-node:$PATH
  fi
  if [ ! -d node_modules ]; then
    [ -s "$CARRIED/node_modules.tar.xz" ] || { echo "no node_modules and no $CARRIED/node_modules.tar.xz"; return 1; }
    xz -dc "$CARRIED/node_modules.tar.xz" | tar -xf - || return 1
  fi
  node --version
}

addon_loads_cuda() {
  node -e '
    const info = require("./build/Release/tessera.node").backendInfo();
    console.log(JSON.stringify(info.cuda));
    if (!info.cuda.loaded) { console.error("the addon did not load CUDA: " + info.cuda.reason); process.exit(1); }'
}

export ROOT BUILD CARRIED JOBS GTEST_PREFIX
export -f gpu_info find_gtest configure cuda_tests addon_loads_cuda

step gpu-info 30 gpu_info
# Binaries built here by `--prepare` (build-gpu/ without its CMake cache) save the GPU
# machine's time; otherwise build them there.
BUILT=0
if [ -x "$BUILD/tessera_tests" ] && [ -f build-cmake/libtessera_cuda.so ] && [ ! -f "$BUILD/CMakeCache.txt" ]; then
  skip build "carried binaries from scripts/gpu-check.sh --prepare"
  BUILT=1
else
  step googletest 90 find_gtest && [ -d /tmp/tessera-gtest ] && export GTEST_PREFIX=/tmp/tessera-gtest
  step configure 60 configure
  step build 180 cmake --build "$BUILD" -j "$JOBS" --target tessera_cuda tessera_tests tessera_cuda_bench && BUILT=1
fi
# The tests were linked against the library's path on the machine that built them.
export TESSERA_CUDA_LIBRARY=$ROOT/build-cmake/libtessera_cuda.so
if ((BUILT)); then
  step cuda-tests 60 cuda_tests --gtest_output="xml:$STEP_LOGS/cuda-tests.xml"
  TESSERA_CUDA_ALLOCATOR=cache step cuda-tests-cache-alloc 60 cuda_tests
else
  skip cuda-tests "the build failed"
fi

if [ ! -f build/Release/tessera.node ]; then
  skip addon-loads-cuda "no build/Release/tessera.node (carry it)"
  skip jest-cuda "no addon"
elif ! setup_node > "$STEP_LOGS/node-setup.log" 2>&1; then
  skip addon-loads-cuda "no Node: $(tail -n 1 "$STEP_LOGS/node-setup.log")"
  skip jest-cuda "no Node"
elif step addon-loads-cuda 30 addon_loads_cuda; then
  # Through node: the carried Node is the binary alone, without npm's npx.
  TESSERA_DEVICE=cuda step jest-cuda 150 node node_modules/jest/bin/jest.js --ci --testPathIgnorePatterns tfjs_interop
else
  skip jest-cuda "the addon did not load CUDA"
fi

# NCCL (issue 20): collectives of CUDA tensors through NCCL under mpirun, 1 rank on one
# GPU, then 2 ranks (on one GPU NCCL refuses two ranks per device: the test then checks
# that every rank fails with the same message). Needs Open MPI's mpirun there, the shim
# (build/distributed, carried, or built there by mpicxx) and libnccl.so.2: the system's,
# TESSERA_NCCL_LIBRARY, or the one PyTorch's pip wheels bring (nvidia/nccl/lib).
find_nccl() {
  [ -n "${TESSERA_NCCL_LIBRARY:-}" ] && { echo "$TESSERA_NCCL_LIBRARY"; return 0; }
  ldconfig -p 2>/dev/null | grep -q 'libnccl.so.2 ' && { echo "libnccl.so.2"; return 0; }
  command -v python3 > /dev/null || return 1
  python3 - <<'PY'
import glob, os, site, sys
for d in site.getsitepackages() + [site.getusersitepackages()]:
    for lib in glob.glob(os.path.join(d, "nvidia", "nccl", "lib", "libnccl.so.2")):
        print(lib)
        sys.exit(0)
sys.exit(1)
PY
}
# Counts only if the GPU suite ran: skipped, it would pass the step.
nccl_tests() {
  local log
  log=$(mktemp)
  node node_modules/jest/bin/jest.js --ci -i --verbose test/distributed/nccl.test.ts 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  if grep -q "skipped: " "$log"; then
    echo "FAILED: the NCCL tests were skipped: $(grep -m 1 -o 'skipped: [^]]*' "$log")"
    rc=1
  fi
  rm -f "$log"
  return $rc
}
export -f nccl_tests
if [ ! -f build/Release/tessera.node ] || ! command -v node > /dev/null; then
  skip nccl "no addon or no Node"
elif ! command -v mpirun > /dev/null; then
  skip nccl "no mpirun (apt install openmpi-bin)"
elif ! NCCL_LIB=$(find_nccl); then
  skip nccl "no libnccl.so.2 (apt install libnccl2, or pip install nvidia-nccl-cu12)"
else
  TESSERA_NCCL_LIBRARY=$NCCL_LIB step nccl 150 nccl_tests
fi

# Benchmarks (issue 9) go here, as steps like the ones above: bench/native's CUDA
# benchmarks timed with events, side by side with PyTorch (python3 there has it), their
# JSON written to $RESULTS and a line each in the table.
# GEMM (SIMT and TF32), conv2d at batch 128 and memory-bound kernels: ours
# (tessera_cuda_bench), then PyTorch's on the same shapes, then one table of ratios.
pytorch_bench() {
  python3 -c 'import torch; assert torch.cuda.is_available(), "torch sees no GPU"' &&
    python3 "$ROOT/bench/pytorch_cuda.py" "$RESULTS/bench-pytorch.json"
}
bench_ratios() {
  python3 - "$RESULTS/bench-tessera.json" "$RESULTS/bench-pytorch.json" <<'PY'
import json, sys
ours = json.load(open(sys.argv[1]))["results"]
try:
    theirs = json.load(open(sys.argv[2]))["results"]
except (OSError, ValueError):
    theirs = {}
print(f"{'kernel':<28} {'tessera':>12} {'pytorch':>12} {'unit':<8} {'ratio':>6}")
for key, r in ours.items():
    t = theirs.get(key)
    ratio = f"{r['rate'] / t['rate']:.2f}" if t and t["rate"] else "-"
    other = f"{t['rate']:12.1f}" if t else f"{'-':>12}"
    print(f"{key:<28} {r['rate']:12.1f} {other} {r['unit']:<8} {ratio:>6}")
print("ratio = tessera rate / pytorch rate (higher is better for tessera)")
PY
}
export RESULTS
export -f pytorch_bench bench_ratios
if [ -x "$BUILD/tessera_cuda_bench" ] && step cuda-bench 60 "$BUILD/tessera_cuda_bench" "$RESULTS/bench-tessera.json"; then
  if command -v python3 > /dev/null; then
    step pytorch-bench 75 pytorch_bench
  else
    skip pytorch-bench "no python3"
  fi
  step bench-ratios 15 bench_ratios
else
  [ -x "$BUILD/tessera_cuda_bench" ] || skip cuda-bench "tessera_cuda_bench was not built"
  skip pytorch-bench "no tessera numbers to compare"
fi

# Training throughput of bench/train.ts's models on the GPU, beside PyTorch's (needs dist/,
# carried, and Node).
if [ -f dist/bench/train.js ] && command -v node > /dev/null; then
  TESSERA_DEVICE=cuda step train-bench 90 node dist/bench/train.js --skip-tfjs
else
  skip train-bench "no dist/ or no Node"
fi
if command -v python3 > /dev/null; then
  step train-bench-pytorch 60 python3 "$ROOT/bench/pytorch_train.py" --device cuda
fi

# Last, since it is the slowest: kernel memory errors only (the tests provoke API errors
# on purpose, such as out of memory), within whatever budget is left.
if ((BUILT)) && command -v compute-sanitizer > /dev/null; then
  step memcheck 120 compute-sanitizer --tool memcheck --report-api-errors no --error-exitcode 1 \
    "$BUILD/tessera_tests" --gtest_filter='Cuda*'
else
  skip memcheck "no build or no compute-sanitizer"
fi

{
  printf '%-26s %-5s %6s  %s\n' STEP STATUS TIME NOTE
  printf '%s\n' "${STEPS[@]}"
  gpu=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -n 1)
  echo "total $(($(date +%s) - START))s on ${gpu:-no GPU found}"
  [ -s "$STEP_LOGS/bench-ratios.log" ] && cat "$STEP_LOGS/bench-ratios.log"
  for log in train-bench train-bench-pytorch; do [ -s "$STEP_LOGS/$log.log" ] && tail -n 7 "$STEP_LOGS/$log.log"; done
} | tee "$RESULTS/gpu-check-summary.txt"

for log in "$STEP_LOGS"/*.log; do
  echo "===== $(basename "$log" .log)"
  cat "$log"
done > "$RESULTS/gpu-check.log"
[ -f "$STEP_LOGS/cuda-tests.xml" ] && cp "$STEP_LOGS/cuda-tests.xml" "$RESULTS/"
rm -rf "$STEP_LOGS"
exit $FAILED
