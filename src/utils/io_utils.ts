// Keras's io_utils interactive logging switch: on (default), progress bars redraw in place
// on a terminal and go to stdout; off (a job on a server), they print plain final lines
// through console.info, the logger, as Keras sends them to absl logging.
import { tooManyArguments } from '../options/arity';

let interactive = true;

/** Turns interactive logging on: progress bars redraw in place on a terminal, on stdout (the default). */
export function enableInteractiveLogging(): void {
  if (arguments.length > 0) throw tooManyArguments('utils.enableInteractiveLogging', 0, arguments.length);
  interactive = true;
}

/** Turns interactive logging off: progress is printed as plain lines through console.info, never a live bar. */
export function disableInteractiveLogging(): void {
  if (arguments.length > 0) throw tooManyArguments('utils.disableInteractiveLogging', 0, arguments.length);
  interactive = false;
}

/** Whether interactive logging is on (see enableInteractiveLogging). */
export function isInteractiveLoggingEnabled(): boolean {
  if (arguments.length > 0) throw tooManyArguments('utils.isInteractiveLoggingEnabled', 0, arguments.length);
  return interactive;
}

/** @internal Where a progress bar's text goes by default: stdout, or the logger one line at a time. */
export function printProgress(text: string): void {
  if (interactive) process.stdout.write(text);
  else console.info(text.replace(/\n$/, ''));
}
