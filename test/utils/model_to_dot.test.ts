// utils.modelToDot / plotModel against Keras 3's model_to_dot (pydot) for the same models:
// labels per layer, edges and clusters (scripts/fixtures/make_model_to_dot_fixtures.py).
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from '../../src';
import { layers } from '../../src';

interface DotGraph {
  attrs: Record<string, string>;
  nodes: Record<string, string>;
  edges: string[][];
  clusters: Record<string, DotGraph & { label: string }>;
}
const KERAS = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'model_to_dot.json'), 'utf8')) as Record<string, DotGraph>;

// Reads the DOT text modelToDot writes back into the fixture's shape.
function parse(text: string): DotGraph {
  const lines = text.trim().split('\n');
  const root: DotGraph = { attrs: {}, nodes: {}, edges: [], clusters: {} };
  const stack: DotGraph[] = [root];
  for (const line of lines.slice(1, -1)) {
    const g = stack[stack.length - 1];
    let m: RegExpExecArray | null;
    if ((m = /^subgraph "cluster_(.*)" \{$/.exec(line))) {
      const c = { attrs: {}, nodes: {}, edges: [], clusters: {}, label: '' };
      g.clusters[`cluster_${m[1]}`] = c;
      stack.push(c);
    } else if (line === '}') stack.pop();
    else if ((m = /^"(.*)" -> "(.*)" \[penwidth=2\];$/.exec(line))) g.edges.push([m[1], m[2]]);
    else if ((m = /^"(.*)" \[label=(<.*>), fontname=Helvetica, border=0, margin=0\];$/.exec(line))) g.nodes[m[1]] = m[2];
    else if ((m = /^(\w+)=(.*);$/.exec(line))) g.attrs[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
    else if (line !== 'node [shape=record];') throw new Error(`unexpected line ${line}`);
  }
  const tidy = (g: DotGraph): DotGraph => {
    const { label, ...attrs } = g.attrs;
    const clusters = Object.fromEntries(Object.entries(g.clusters).map(([k, c]) => [k, { label: c.attrs.label, ...tidy(c), attrs: c.attrs }]));
    return { attrs: label === undefined ? attrs : g.attrs, nodes: g.nodes, edges: [...g.edges].sort(), clusters } as DotGraph;
  };
  return tidy(root);
}

function keras(name: string): DotGraph {
  const sortEdges = (g: DotGraph): DotGraph => ({
    ...g,
    edges: [...g.edges].sort(),
    clusters: Object.fromEntries(Object.entries(g.clusters).map(([k, c]) => [k, { ...(sortEdges(c) as DotGraph & { label: string }), label: c.label }])),
  });
  return sortEdges(KERAS[name]);
}

function sequential(): ts.Sequential {
  return ts.sequential({
    name: 'seq',
    layers: [ts.input({ shape: [3], name: 'x' }), layers.dense({ units: 4, activation: 'relu', name: 'hidden' }), layers.dense({ units: 2, name: 'out' })],
  } as never);
}

function functional(): ts.Functional {
  const a = ts.input({ shape: [3], name: 'a' });
  const b = ts.input({ shape: [3], name: 'b' });
  const shared = layers.dense({ units: 4, activation: 'tanh', name: 'shared' });
  const cat = layers.concatenate({ name: 'cat' }).apply([shared.apply(a), shared.apply(b)] as never) as ts.SymbolicTensor;
  const frozen = layers.dense({ units: 1, name: 'frozen' });
  frozen.trainable = false;
  const probs = layers.dense({ units: 2, activation: 'softmax', name: 'probs' });
  return ts.model({ inputs: [a, b], outputs: [frozen.apply(cat), probs.apply(cat)], name: 'two_heads' } as never) as ts.Functional;
}

function nested(): ts.Functional {
  const innerIn = ts.input({ shape: [4], name: 'inner_in' });
  const inner = ts.model({ inputs: innerIn, outputs: layers.dense({ units: 2, name: 'inner_dense' }).apply(innerIn), name: 'inner' } as never);
  const x = ts.input({ shape: [3], name: 'outer_in' });
  const h = layers.dense({ units: 4, name: 'pre' }).apply(x);
  return ts.model({ inputs: x, outputs: layers.dense({ units: 1, name: 'post' }).apply(inner.apply(h) as never), name: 'outer' } as never) as ts.Functional;
}

describe('utils.modelToDot', () => {
  it.each([
    ['sequential', sequential, {}],
    ['sequential_all', sequential, { showShapes: true, showDtype: true, showLayerActivations: true, showTrainable: true, rankdir: 'LR' }],
    ['sequential_no_names', sequential, { showLayerNames: false }],
    ['functional', functional, { showShapes: true, showTrainable: true, showLayerActivations: true }],
    ['nested', nested, { showShapes: true }],
    ['nested_expanded', nested, { expandNested: true }],
  ] as const)('%s: the labels, edges and clusters Keras draws', (name, make, options) => {
    expect(parse(ts.utils.modelToDot(make(), options as ts.utils.ModelToDotOptions))).toEqual(keras(name));
  });

  it('refuses wrong options and an unbuilt model', () => {
    expect(() => ts.utils.modelToDot(sequential(), { rankdir: 'XY' as never })).toThrow(
      /utils.modelToDot: expected rankdir 'TB', 'LR', 'BT' or 'RL', got 'XY'/,
    );
    expect(() => ts.utils.modelToDot(sequential(), { showShape: true } as never)).toThrow(/showShape/);
    expect(() => ts.utils.modelToDot(sequential(), { dpi: -1 })).toThrow(/expected dpi to be a positive number/);
    expect(() => ts.utils.modelToDot(ts.sequential({ name: 'empty' }))).toThrow(/utils.modelToDot: the model empty has not been built yet/);
    expect(() => ts.utils.modelToDot(layers.dense({ units: 1 }) as never)).toThrow(/utils.modelToDot: expected a Model/);
  });
});

describe('utils.plotModel', () => {
  let dir = '';
  const path0 = process.env.PATH;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tessera-plot-'))));
  afterEach(() => {
    process.env.PATH = path0;
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes .dot directly (layer names hidden by default, as Keras)', () => {
    const file = join(dir, 'm.dot');
    expect(ts.utils.plotModel(sequential(), { toFile: file })).toBe(file);
    expect(readFileSync(file, 'utf8')).toBe(ts.utils.modelToDot(sequential(), { showLayerNames: false }));
  });

  it("renders other formats with Graphviz's dot from the PATH, and says how to get it when missing", () => {
    process.env.PATH = dir;
    const file = join(dir, 'm.png');
    expect(() => ts.utils.plotModel(sequential(), { toFile: file })).toThrow(
      /utils.plotModel: writing .*m.png needs Graphviz's dot program on the PATH.*or give toFile a .dot name/,
    );
    // A stand-in dot: records its arguments and input.
    writeFileSync(join(dir, 'dot'), `#!/bin/sh\necho "$@" > "${dir}/args"\ncat > "${dir}/input"\n`);
    chmodSync(join(dir, 'dot'), 0o755);
    process.env.PATH = `${dir}:/usr/bin:/bin`;
    ts.utils.plotModel(sequential(), { toFile: join(dir, 'm.svg'), showShapes: true });
    expect(readFileSync(join(dir, 'args'), 'utf8').trim()).toBe(`-Tsvg -o ${join(dir, 'm.svg')}`);
    expect(readFileSync(join(dir, 'input'), 'utf8')).toBe(ts.utils.modelToDot(sequential(), { showShapes: true, showLayerNames: false }));
  });
});
