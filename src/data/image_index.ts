// The file index of imageDatasetFromDirectory and textDatasetFromDirectory, as Keras 3's
// dataset_utils.index_directory: class folders in alphabetical order (or the given
// classNames), the files of the given formats (images: .bmp, .gif, .jpeg, .jpg, .png;
// texts: .txt) below each, walked as os.walk then sorted (folders by path, files by name
// within each), hidden class folders skipped.
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { describe } from '../tensor/shape';
import { everyEntry } from '../options/every_entry';

/** The extensions read, lower case. */
export const IMAGE_FORMATS = ['.bmp', '.gif', '.jpeg', '.jpg', '.png'];
/** The files of a folder and their labels. */
export interface Index {
  /** Class names, index = label. */
  classNames: string[];
  /** Every image file, in Keras's order. */
  files: string[];
  /** The label of each file (0 without labels). */
  labels: number[];
}

/** Indexes `directory` for owner (the function named in errors). */
export function indexDirectory(
  owner: string,
  directory: string,
  labels: 'inferred' | number[] | null,
  classNames: string[] | null,
  followLinks: boolean,
  formats: readonly string[] = IMAGE_FORMATS,
): Index {
  let entries: Dirent[];
  try {
    if (!statSync(directory).isDirectory()) throw new Error('not a folder');
    entries = readdirSync(directory, { withFileTypes: true });
  } catch (e) {
    throw new Error(`${owner}: cannot read the folder ${directory}: ${(e as Error).message}`, { cause: e });
  }
  if (labels !== 'inferred') {
    const files = walk(directory, followLinks, formats);
    if (Array.isArray(labels)) {
      if (labels.length !== files.length) {
        throw new Error(
          `${owner}: expected as many labels as ${formats === IMAGE_FORMATS ? 'image' : formats.join('/')} files found in ${directory} (${files.length}), got ${labels.length} labels; labels follow the files in sorted path order`,
        );
      }
      const classes = Math.max(-1, ...labels) + 1;
      return { classNames: Array.from({ length: classes }, (_, i) => String(i)), files, labels };
    }
    return { classNames: [], files, labels: files.map(() => 0) };
  }
  const subdirs = entries
    .filter((e) => !e.name.startsWith('.') && isFolder(join(directory, e.name), e))
    .map((e) => e.name)
    .sort(byCodePoint);
  if (subdirs.length === 0)
    throw new Error(`${owner}: labels 'inferred' needs class subfolders in ${directory}, found none (pass labels: null to read the images without labels)`);
  let classes = subdirs;
  if (classNames !== null) {
    if (
      !Array.isArray(classNames) ||
      !everyEntry(classNames, (c) => typeof c === 'string' && subdirs.includes(c)) ||
      new Set(classNames).size !== classNames.length
    ) {
      throw new Error(
        `${owner}: classNames must name distinct subfolders of ${directory}: expected a subset of ${describe(subdirs)}, got ${describe(classNames)}`,
      );
    }
    classes = classNames;
  }
  const files: string[] = [];
  const fileLabels: number[] = [];
  classes.forEach((name, label) => {
    for (const f of walk(join(directory, name), followLinks, formats)) {
      files.push(f);
      fileLabels.push(label);
    }
  });
  return { classNames: classes, files, labels: fileLabels };
}

function isFolder(path: string, e: Dirent): boolean {
  if (e.isDirectory()) return true;
  if (!e.isSymbolicLink()) return false;
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

// os.walk's order as Keras sorts it: folders by path, files by name within each.
function walk(top: string, followLinks: boolean, formats: readonly string[]): string[] {
  const folders: [string, string[]][] = [];
  const visit = (dir: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // os.walk skips what it cannot list
    }
    const files: string[] = [];
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory() || (e.isSymbolicLink() && isFolder(path, e))) {
        if (e.isDirectory() || followLinks) visit(path);
      } else if (formats.some((f) => e.name.toLowerCase().endsWith(f))) files.push(e.name);
    }
    folders.push([dir, files.sort(byCodePoint)]);
  };
  visit(top);
  folders.sort((a, b) => byCodePoint(a[0], b[0]));
  return folders.flatMap(([dir, files]) => files.map((f) => join(dir, f)));
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
