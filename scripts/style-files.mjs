// What the style tools cover and where they are: one list for scripts/lint.mjs (npm run lint,
// npm run format) and scripts/generated-file.mjs (generated sources come out formatted).
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(fileURLToPath(import.meta.url), '..', '..');
const require = createRequire(import.meta.url);

/** Prettier's command-line entry, run with node. */
export const prettierBin = join(require.resolve('prettier/package.json'), '..', require('prettier/package.json').bin);
/** The clang-format 15 binary of the npm package clang-format. */
export const clangFormatBin = () => require('clang-format').getNativeBinary();

export const scriptExtensions = ['.ts', '.mjs', '.js', '.cjs'];
export const nativeExtensions = ['.cpp', '.h', '.cu', '.cuh'];
const skipped = ['test/fixtures', 'node_modules'];

function walk(dir, extensions) {
  const files = [];
  for (const entry of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })) {
    const path = relative(root, join(entry.parentPath ?? entry.path, entry.name))
      .split(sep)
      .join('/');
    if (entry.isFile() && extensions.includes(extname(entry.name)) && !skipped.some((s) => path.startsWith(`${s}/`))) files.push(path);
  }
  return files;
}

/** TypeScript and JavaScript (Prettier, ESLint): the five source folders and the root's configs. */
export function scriptFiles() {
  const top = readdirSync(root, { withFileTypes: true }).filter((e) => e.isFile() && scriptExtensions.includes(extname(e.name)));
  return [...top.map((e) => e.name), ...['src', 'test', 'bench', 'examples', 'scripts'].flatMap((d) => walk(d, scriptExtensions))].sort();
}

/** C++ and CUDA (clang-format). */
export function nativeFiles() {
  return ['native', 'bench/native'].flatMap((d) => walk(d, nativeExtensions)).sort();
}
