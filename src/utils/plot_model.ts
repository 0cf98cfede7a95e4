// Keras 3's keras.utils.plot_model: modelToDot's graph written to a file: the DOT text
// itself for a .dot (or .gv) name, else rendered by Graphviz's `dot` program (as pydot
// does) in the format the extension names (.png by default, .svg, .pdf, ...).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Model } from '../models/model';
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { checkString } from '../options/check_args';
import { dotOptions, dotText, type ModelToDotOptions } from './model_to_dot';

/** Options of plotModel: modelToDot's, and the file to write. */
export interface PlotModelOptions extends ModelToDotOptions {
  /** The file to write (default 'model.png'); its extension picks the format ('.dot' writes the DOT text, no Graphviz needed). */
  toFile?: string;
}

const OP = 'utils.plotModel';

/**
 * Draws the model to a file (Keras's plot_model; layer names hidden by default, as there):
 * a .dot file is written directly; .png, .svg, .pdf and the other formats of Graphviz are
 * rendered by its `dot` program, which must be on the PATH. Returns the file's path.
 * @example ts.utils.plotModel(model, { toFile: 'model.svg', showShapes: true });
 */
export function plotModel(model: Model<any>, options?: PlotModelOptions | null): string {
  if (arguments.length > 2) throw tooManyArguments(OP, 2, arguments.length);
  const o = checkOptions(OP, options, OP);
  const toFile = checkString(OP, 'toFile', o.toFile ?? 'model.png');
  if (toFile.length === 0) throw new Error(`${OP}: expected toFile to be a file name, got ''`);
  const text = dotText(OP, model, dotOptions(OP, o, false));
  const ext = path.extname(toFile).slice(1).toLowerCase() || 'png';
  fs.mkdirSync(path.dirname(path.resolve(toFile)), { recursive: true });
  if (ext === 'dot' || ext === 'gv') {
    fs.writeFileSync(toFile, text);
    return toFile;
  }
  // env given: the PATH as this process sees it now (a test's or a caller's change included).
  const run = spawnSync('dot', [`-T${ext}`, '-o', toFile], { input: text, encoding: 'utf8', env: process.env });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error(
      `${OP}: writing ${toFile} needs Graphviz's dot program on the PATH, which was not found; install Graphviz (https://graphviz.org/download/, e.g. apt install graphviz), or give toFile a .dot name to write the graph's text`,
    );
  }
  if (run.error) throw new Error(`${OP}: running Graphviz's dot failed: ${run.error.message}`, { cause: run.error });
  if (run.status !== 0)
    throw new Error(`${OP}: Graphviz's dot could not write ${toFile} (format '${ext}'): ${run.stderr.trim() || `exit status ${run.status}`}`);
  return toFile;
}
