/* istanbul ignore file */
// The HDF5 reader's worker thread. It runs this function's source text (see h5_worker.ts),
// so the function uses nothing from outside its own body: what it needs comes as
// arguments. It reads a whole file with h5wasm into a plain tree (groups, datasets and
// their attributes, values included) and posts it back, the values' buffers transferred
// (structured cloning keeps the tree's shared nodes and cycles).
// HDF5 prints its error stack on stderr and h5wasm then throws 'error - name not
// defined!'; while a file is read those lines are kept instead, and reported.

/** What the worker needs from Node (its own require's modules). */
export interface WorkerNode {
  parentPort: { on(event: 'message', f: (m: { bytes: Uint8Array }) => void): void; postMessage(m: unknown, transfer?: ArrayBuffer[]): void };
  readFileSync(path: string, encoding: 'utf8'): string;
  runInThisContext(code: string, options: { filename: string }): unknown;
}

/** The limits of a walk over a file. */
export interface WalkLimits {
  /** Groups at a path of more parts are left unread (the readers' walks refuse them). */
  maxDepth: number;
}

export function h5WorkerBody(node: WorkerNode, bundlePath: string, limits: WalkLimits): void {
  type Attr = { value?: unknown; valueError?: string; shape: unknown; dtype: unknown };
  type Any = { [k: string]: any };
  let diagnostics: string[] | null = null;
  const printErr = (...args: unknown[]) => {
    if (diagnostics !== null) diagnostics.push(args.map(String).join(' '));
    else console.error(...args);
  };
  // The module binds console.error as its error printer when it starts: it gets printErr.
  const start = node.runInThisContext(
    `(function (printErr) { const saved = console.error; console.error = printErr; try {\n${node.readFileSync(bundlePath, 'utf8')}\nreturn h5wasm; } finally { console.error = saved; } })`,
    { filename: 'h5wasm.js' },
  ) as (p: typeof printErr) => Any;
  const h5 = start(printErr);
  let counter = 0;

  // What HDF5's error stack says, shortly: its outermost and innermost messages.
  const summarize = (lines: string[]) => {
    const messages = lines.map((l) => /#\d+: .* in (\S+)\(\): (.*)$/.exec(l)?.[2]?.trim()).filter((m): m is string => m !== undefined);
    const picked = [...new Set([messages[0], messages[messages.length - 1]])].filter((m) => m !== undefined);
    return picked.length > 0 ? picked.join(': ') : (lines.find((l) => l.trim().length > 0)?.trim() ?? 'no details');
  };

  const read = (bytes: Uint8Array) => {
    const transfer = new Set<ArrayBuffer>();
    // A value as it travels: a typed array on a buffer of its own, which is transferred.
    const travel = (v: unknown) => {
      if (!ArrayBuffer.isView(v)) return v;
      const own = v.byteOffset === 0 && v.byteLength === v.buffer.byteLength ? v : (v as unknown as Uint8Array).slice();
      transfer.add(own.buffer as ArrayBuffer);
      return own;
    };
    // A value h5wasm cannot convert fails only where a reader asks for it.
    const valueOf = (o: Any, out: Attr) => {
      try {
        out.value = travel(o.value);
      } catch (e) {
        out.valueError = e instanceof Error ? e.message : String(e);
      }
      return out;
    };
    // Entries (not objects): an attribute may be named '__proto__'.
    const attrs = (o: Any) => Object.entries(o.attrs as Any).map(([name, a]: [string, Any]) => [name, valueOf(a, { shape: a.shape, dtype: a.dtype })]);
    // Members are read once each, by their address in the file (an object reference):
    // hard links share one node, and a link back to a parent is a cycle in the tree sent,
    // not an endless tree. A group first met deeper than maxDepth is left unread.
    const nodes = new Map<string, unknown>();
    const address = (o: Any, p: string) => {
      try {
        return Array.from(o.create_reference().ref_data as Uint8Array).join(',');
      } catch {
        return `path:${p}`;
      }
    };
    const walk = (g: Any, path: string): unknown[] =>
      (g.keys() as string[]).map((key) => {
        const child = g.get(key);
        const p = path === '' ? key : `${path}/${key}`;
        if (!(child instanceof h5.Group) && !(child instanceof h5.Dataset)) return [key, { kind: 'other', type: child?.constructor?.name ?? String(child) }];
        const at = address(child, p);
        const known = nodes.get(at);
        if (known !== undefined) return [key, known];
        if (child instanceof h5.Dataset) {
          const node = valueOf(child, { kind: 'dataset', attrs: attrs(child), shape: child.shape, dtype: child.dtype } as Attr);
          nodes.set(at, node);
          return [key, node];
        }
        const node: { kind: 'group'; attrs: unknown; children: unknown[] | null } = { kind: 'group', attrs: attrs(child), children: null };
        if (p.split('/').length > limits.maxDepth) return [key, node];
        nodes.set(at, node);
        node.children = walk(child, p);
        return [key, node];
      });
    const name = `/read-${counter++}.h5`;
    h5.FS.writeFile(name, bytes);
    let file: Any | null = null;
    const seen: string[] = [];
    diagnostics = seen;
    try {
      const opened: Any = new h5.File(name, 'r');
      file = opened;
      const tree: { kind: 'group'; attrs: unknown; children: unknown[] | null } = { kind: 'group', attrs: attrs(opened), children: null };
      nodes.set(address(opened, ''), tree);
      tree.children = walk(opened, '');
      if (seen.length > 0) return { damaged: summarize(seen) };
      return { tree, transfer: [...transfer] };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (seen.length === 0 && !/name not defined/.test(message)) return { error: message };
      return { damaged: summarize(seen), detail: /name not defined/.test(message) ? undefined : message };
    } finally {
      try {
        file?.close();
      } catch {
        // A file HDF5 could not open has nothing to close.
      }
      diagnostics = null;
      h5.FS.unlink(name);
    }
  };

  node.parentPort.on('message', ({ bytes }) => {
    (h5.ready as Promise<void>).then(
      () => {
        const { transfer, ...result } = read(bytes) as { transfer?: ArrayBuffer[] };
        node.parentPort.postMessage(result, transfer);
      },
      (e: unknown) => node.parentPort.postMessage({ error: `h5wasm did not start: ${e instanceof Error ? e.message : String(e)}` }),
    );
  });
}
