#!/usr/bin/env bash
# The fresh-install proof: pack the package as npm would publish it, install the tarball
# in throwaway projects outside the repository, and train a small model there.
#   1. with the prebuild, and no compiler, make or python on PATH (a source build would
#      fail): the install loads the prebuild and trains; so does an install with
#      --ignore-scripts (loading a prebuild needs no install script); the CommonJS, ESM
#      and strict TypeScript consumers work; `npx tessera doctor` runs.
#   2. from a tarball without prebuilds: with --ignore-scripts the loader's error says
#      how to build; a plain install builds the CPU addon from source and trains.
# Needs prebuilds/ (npm run prebuilds). The tarball's dependencies come from the npm
# cache or registry (--prefer-offline); nothing else is downloaded.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
tuple="$(node -p 'process.platform + "-" + process.arch')"
test -f "$repo/prebuilds/$tuple/tessera.node" || { echo "test-install: no prebuilds/$tuple/tessera.node: run \`npm run prebuilds\` first" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/tessera-install-XXXXXX")"
trap 'rm -rf "$work"' EXIT
step() { printf '\n--- test-install: %s\n' "$*"; }

step "npm pack"
(cd "$repo" && npm pack --silent --pack-destination "$work" >/dev/null)
tarball="$(ls "$work"/tessera-*.tgz)"
node "$repo/scripts/check-size.mjs" "$tarball"

# The same package without prebuilds/, as a platform without a prebuild sees it.
mkdir "$work/repack"
tar -xzf "$tarball" -C "$work/repack"
rm -rf "$work/repack/package/prebuilds"
no_prebuilds="$work/tessera-no-prebuilds.tgz"
tar -czf "$no_prebuilds" -C "$work/repack" package

# A PATH with node and npm and basic tools, and no compiler, make or python.
hidden="$work/bin"
mkdir "$hidden"
for tool in node npm npx sh bash env cat ls mkdir rm cp mv ln chmod dirname basename readlink realpath uname grep sed head tail tr sort mktemp tar gzip true false test; do
  path="$(command -v "$tool" || true)"
  [ -n "$path" ] && ln -s "$(readlink -f "$path")" "$hidden/$tool"
done
for tool in cc c++ gcc g++ clang clang++ make gmake python python3 cmake nvcc; do
  if PATH="$hidden" command -v "$tool" >/dev/null 2>&1; then echo "test-install: $tool is on the restricted PATH" >&2; exit 1; fi
done
no_compilers=(env -u CC -u CXX -u PYTHON -u npm_config_python PATH="$hidden")

# A consumer project, and the checks it runs.
new_project() {
  mkdir -p "$1"
  printf '{ "name": "consumer", "version": "1.0.0", "private": true }\n' > "$1/package.json"
  cat > "$1/train.cjs" <<'EOF'
// A few steps of linear regression with the GradientTape: the loss must fall.
const ts = require('tessera');
const expected = process.argv[2];
const info = ts.backendInfo();
console.log(`addon: ${info.addon.kind} (${info.addon.path}); cpu ${info.cpu.isa}; cuda: ${info.cuda.loaded ? 'loaded' : info.cuda.reason}`);
if (info.addon.kind !== expected) throw new Error(`expected the ${expected}, loaded the ${info.addon.kind}`);
ts.setSeed(7);
const x = ts.randomNormal([256, 3]);
const y = ts.add(ts.matMul(x, ts.tensor([[2], [-1], [0.5]])), 0.3);
const w = ts.variable(ts.zeros([3, 1]), true, 'w');
const b = ts.variable(ts.zeros([1]), true, 'b');
const losses = [];
for (let step = 0; step < 30; step++) {
  losses.push(ts.tidy(() => {
    const tape = new ts.GradientTape();
    const loss = ts.mean(ts.square(ts.sub(ts.add(ts.matMul(x, w), b), y)));
    const [dw, db] = tape.gradient(loss, [w, b]);
    w.assign(ts.sub(w, ts.mul(dw, 0.1)));
    b.assign(ts.sub(b, ts.mul(db, 0.1)));
    return loss.dataSync()[0];
  }));
}
console.log(`loss ${losses[0].toFixed(4)} -> ${losses[losses.length - 1].toFixed(4)} in ${losses.length} steps`);
if (!(losses[losses.length - 1] < 0.05 * losses[0])) throw new Error('the loss did not fall');
EOF
}

check_consumers() {
  local dir="$1"
  cat > "$dir/named.mjs" <<'EOF'
import { tensor, matMul, backendInfo } from 'tessera';
import * as ts from 'tessera';
import tsDefault from 'tessera';
const y = matMul(tensor([[1, 2]]), tensor([[3], [4]])).dataSync()[0];
if (y !== 11 || ts.tensor !== tensor || tsDefault.tensor !== tensor) throw new Error('ESM imports disagree');
console.log(`ESM: named, namespace and default imports work (${Object.keys(ts).length} exports; addon ${backendInfo().addon.kind})`);
EOF
  (cd "$dir" && node named.mjs)
  (cd "$dir" && node -e "const ts = require('tessera'); if (typeof ts.GradientTape !== 'function') throw new Error('no GradientTape'); console.log('CommonJS: require works')")
  # A strict TypeScript consumer, both module systems, the library's .d.ts files checked
  # too; with Node's types, as a Node project has them (the repository's @types/node).
  cat > "$dir/tsconfig.json" <<EOF
{ "compilerOptions": { "strict": true, "module": "node16", "moduleResolution": "node16", "target": "ES2022",
  "lib": ["ES2022"], "typeRoots": ["$repo/node_modules/@types"], "types": ["node"], "skipLibCheck": false,
  "noEmit": true, "exactOptionalPropertyTypes": true },
  "files": ["consumer.ts", "consumer.mts"] }
EOF
  cat > "$dir/consumer.ts" <<'EOF'
import * as ts from 'tessera';
const x: ts.Tensor = ts.tensor([[1, 2], [3, 4]]);
const w: ts.Variable = ts.variable(ts.randomNormal([2, 1]), true, 'w');
const tape = new ts.GradientTape();
const loss: ts.Tensor = ts.mean(ts.square(ts.matMul(x, w)));
const grads: (ts.Tensor | null)[] = tape.gradient(loss, [w]);
const info: ts.BackendInfo = ts.backendInfo();
const kind: 'prebuild' | 'source build' = info.addon.kind;
const bytes: number = ts.memory().numBytes;
export { grads, kind, bytes };
EOF
  cat > "$dir/consumer.mts" <<'EOF'
import { tensor, matMul, type Tensor } from 'tessera';
export const y: Tensor = matMul(tensor([[1, 2]]), tensor([[3], [4]]));
EOF
  (cd "$dir" && node "$repo/node_modules/typescript/bin/tsc" -p tsconfig.json)
  echo "TypeScript: a strict consumer (CommonJS and ESM, skipLibCheck off) compiles"
}

step "1. install with the prebuild, no compilers on PATH"
t0=$SECONDS
new_project "$work/with-prebuild"
(cd "$work/with-prebuild" && "${no_compilers[@]}" npm install --prefer-offline --no-audit --no-fund --foreground-scripts "$tarball")
test ! -e "$work/with-prebuild/node_modules/tessera/build" || { echo "test-install: a build/ folder appeared: the install built from source" >&2; exit 1; }
test ! -e "$work/with-prebuild/node_modules/typescript" || { echo "test-install: typescript was installed into the consumer" >&2; exit 1; }
(cd "$work/with-prebuild" && "${no_compilers[@]}" node train.cjs prebuild)
(cd "$work/with-prebuild" && "${no_compilers[@]}" npx --no-install tessera doctor)
check_consumers "$work/with-prebuild"
echo "test-install: step 1 took $((SECONDS - t0)) s"

step "1b. install with the prebuild and --ignore-scripts (npm blocking install scripts)"
new_project "$work/no-scripts"
(cd "$work/no-scripts" && "${no_compilers[@]}" npm install --prefer-offline --no-audit --no-fund --ignore-scripts "$tarball" >/dev/null)
(cd "$work/no-scripts" && "${no_compilers[@]}" node train.cjs prebuild)

step "2a. no prebuild and --ignore-scripts: the loader's error says how to build"
new_project "$work/no-addon"
(cd "$work/no-addon" && npm install --prefer-offline --no-audit --no-fund --ignore-scripts "$no_prebuilds" >/dev/null)
message="$(cd "$work/no-addon" && node -e "try { require('tessera'); } catch (e) { console.log(e.message); process.exit(0); } process.exit(1)")" \
  || { echo "test-install: tessera loaded without any addon" >&2; exit 1; }
echo "$message"
grep -q 'node-gyp rebuild' <<<"$message" || { echo "test-install: the loader's error does not say how to build" >&2; exit 1; }

step "2. install without prebuilds: builds the CPU addon from source"
t0=$SECONDS
new_project "$work/from-source"
log="$work/from-source/install.log"
if ! (cd "$work/from-source" && JOBS=max npm install --prefer-offline --no-audit --no-fund --foreground-scripts "$no_prebuilds" >"$log" 2>&1); then
  cat "$log" >&2; echo "test-install: the source install failed" >&2; exit 1
fi
grep -E '^tessera:|^gyp info ok|^added' "$log"
test -f "$work/from-source/node_modules/tessera/build/Release/tessera.node" || { echo "test-install: the source build made no addon" >&2; exit 1; }
(cd "$work/from-source" && node train.cjs 'source build')
echo "test-install: step 2 took $((SECONDS - t0)) s"

echo
echo "test-install: ok"
