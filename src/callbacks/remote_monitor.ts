// Keras's callbacks.RemoteMonitor: POSTs each epoch's logs ({epoch, ...logs}) to a server,
// as a form field holding JSON (default) or as a JSON body. A POST that fails warns and
// training goes on, as in Keras.
import { classOptions } from '../options/check';
import { checkString, checkBoolean, checkObject } from '../options/check_args';
import { describe } from '../tensor/shape';
import { Callback, type Logs } from './callback';

/** Options of RemoteMonitor (Keras's names, camelCase). */
export interface RemoteMonitorOptions {
  /** The server's root URL (default 'http://localhost:9000'). */
  root?: string;
  /** The path under root the logs are sent to (default '/publish/epoch/end/'). */
  path?: string;
  /** The form field holding the JSON (default 'data'); not read when sendAsJson. */
  field?: string;
  /** Extra HTTP headers, by name. */
  headers?: Record<string, string> | null;
  /** Send the logs as an application/json body instead of a form (default false). */
  sendAsJson?: boolean;
}

// Python's json.dumps layout (", " and ": "; NaN and Infinity as Python writes them), so a
// server reads what Keras sends.
function pythonJson(send: Record<string, number>): string {
  const value = (v: number) => (Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : JSON.stringify(v));
  return `{${Object.entries(send)
    .map(([k, v]) => `${JSON.stringify(k)}: ${value(v)}`)
    .join(', ')}}`;
}

/**
 * Streams each epoch's logs to a server: an HTTP POST to root + path at every epoch's end.
 * An unreachable server, or one answering with an error status, gives a warning, not an
 * error: training goes on (Keras warns for the first only; an error status is warned of
 * here too, so that it is not lost).
 * @example new ts.callbacks.RemoteMonitor({ root: 'http://localhost:9000', sendAsJson: true })
 */
export class RemoteMonitor extends Callback {
  /** The server's root URL. */
  readonly root: string;
  /** The path under root. */
  readonly path: string;
  /** The form field holding the JSON. */
  readonly field: string;
  /** Extra HTTP headers. */
  readonly headers: Record<string, string> | null;
  /** Whether the body is JSON rather than a form. */
  readonly sendAsJson: boolean;

  /** @param options - where and how to send; see RemoteMonitorOptions. */
  constructor(options: RemoteMonitorOptions = {}) {
    options = classOptions('callbacks', RemoteMonitor, new.target, options);
    super();
    const op = 'RemoteMonitor';
    this.root = checkString(op, 'root', options.root ?? 'http://localhost:9000');
    this.path = checkString(op, 'path', options.path ?? '/publish/epoch/end/');
    this.field = checkString(op, 'field', options.field ?? 'data');
    const headers = options.headers ?? null;
    if (headers !== null) {
      for (const [k, v] of Object.entries(checkObject(op, 'headers', headers))) {
        if (typeof v !== 'string') throw new Error(`${op}: expected headers of strings, got ${describe(v)} for '${k}'`);
      }
    }
    this.headers = headers;
    this.sendAsJson = checkBoolean(op, 'sendAsJson', options.sendAsJson ?? false);
    let url: URL;
    try {
      url = new URL(this.root + this.path);
    } catch {
      throw new Error(`${op}: root + path must be a URL, got '${this.root + this.path}'`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${op}: expected an http(s) URL, got '${url.href}'`);
  }

  /** POSTs {epoch, ...logs}; a failure warns and training goes on. */
  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    const send = { epoch, ...this.checkHook('onEpochEnd', epoch, logs) };
    const json = pythonJson(send);
    const body = this.sendAsJson ? json : new URLSearchParams({ [this.field]: json }).toString();
    const contentType = this.sendAsJson ? 'application/json' : 'application/x-www-form-urlencoded';
    try {
      const res = await fetch(this.root + this.path, { method: 'POST', body, headers: { 'Content-Type': contentType, ...(this.headers ?? {}) } });
      await res.arrayBuffer();
      if (!res.ok) console.warn(`RemoteMonitor: the server at ${this.root} answered ${res.status} ${res.statusText} to the logs of epoch ${epoch}`);
    } catch {
      console.warn(`Could not reach RemoteMonitor root server at ${this.root}`);
    }
  }
}
