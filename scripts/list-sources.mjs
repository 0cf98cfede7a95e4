#!/usr/bin/env node
// Lists the C++ sources of the CPU addon, one per line, relative to the repository root.
// binding.gyp calls it (`<!@(node scripts/list-sources.mjs)`) and CMake globs the same
// folders, so a new kernel file needs no build edits.
//   node scripts/list-sources.mjs          core + contracts + cpu + napi (the addon)
//   node scripts/list-sources.mjs engine   core + contracts + cpu (what CMake's tests link)
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const folders = process.argv[2] === 'engine' ? ['core', 'contracts', 'cpu'] : ['core', 'contracts', 'cpu', 'napi'];

function walk(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return walk(path);
      return name.endsWith('.cpp') ? [path] : [];
    });
}

const sources = folders.flatMap((f) => walk(join(root, 'native', 'src', f)));
process.stdout.write(sources.map((s) => relative(root, s)).join('\n') + '\n');
