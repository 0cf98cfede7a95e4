// Variable paths of subclassed layers three deep, against what Keras 3.15 printed
// (scripts/fixtures/make_nested_variable_paths.py): a sublayer built by its parent's build()
// (directly or by a call) is under the parent's scope, one built in a constructor is not.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from '../../src';

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/layers/nested_variable_paths.json'), 'utf8')) as {
  cases: Record<string, string[]>;
};

type Child = ts.layers.Layer | null;
// Each level makes its own weight 'w', then builds its child (Keras's Lazy, Eager, Called).
class Lazy extends ts.layers.Layer {
  constructor(
    readonly child: Child,
    name: string,
  ) {
    super({ name });
  }
  w!: ts.Variable;
  override build(shape: ts.SymbolicShape): void {
    this.w = this.addWeight('w', [shape[shape.length - 1] as number], 'float32', 'zeros');
    this.child?.build(shape);
  }
  override call(x: ts.Tensor): ts.Tensor {
    return this.child ? (this.child.apply(x) as ts.Tensor) : ts.mul(x, this.w);
  }
}

class Eager extends Lazy {
  constructor(child: Child, name: string) {
    super(child, name);
    this.w = this.addWeight('w', [4], 'float32', 'zeros');
    if (child && !child.built) child.build([null, 4]);
    this.built = true;
  }
  override build(): void {}
}

class Called extends Lazy {
  override build(shape: ts.SymbolicShape): void {
    this.w = this.addWeight('w', [shape[shape.length - 1] as number], 'float32', 'zeros');
    if (this.child) ts.tidy(() => this.child!.apply(ts.zeros([1, shape[shape.length - 1] as number])));
  }
}

function three(kind: 'lazy' | 'eager' | 'called'): ts.layers.Layer {
  const dense = ts.layers.dense({ units: 4, name: 'inner' });
  if (kind === 'eager') dense.build([null, 4]);
  const Cls = { lazy: Lazy, eager: Eager, called: Called }[kind];
  return new Cls(new Cls(dense, 'mid'), 'outer');
}

const paths = (l: { weights: ts.Variable[] }) => l.weights.map((w) => w.path);

describe.each(['lazy', 'eager', 'called'] as const)('three levels, %s', (kind) => {
  test('in a functional model, as Keras', () => {
    const outer = three(kind);
    const x = ts.input({ shape: [4] });
    const m = ts.model({ inputs: x, outputs: outer.apply(x) as ts.SymbolicTensor });
    expect(paths(m)).toEqual(fixture.cases[`model_${kind}`]);
  });

  test('called eagerly, as Keras', () => {
    const outer = three(kind);
    ts.tidy(() => outer.apply(ts.zeros([1, 4])));
    expect(paths(outer)).toEqual(fixture.cases[`eager_${kind}`]);
  });
});
