// A TensorFlow.js user's positional arguments: every function and method that Tessera
// shares by name with TensorFlow.js (the devDependency @tensorflow/tfjs, read by the
// TypeScript compiler from its declarations) takes at least as many positional parameters
// as TensorFlow.js's, so that none of a TF.js call's arguments lands past the end of ours,
// where JavaScript would drop it without a word (`losses.meanSquaredError(labels,
// predictions, weights)` dropped the weights; `model.getWeights(true)` returned every
// weight). Each such parameter is then either honoured or refused with a clear error
// (the cases below).
import * as path from 'node:path';
import ts from 'typescript';

const root = path.join(__dirname, '..', '..');
const probe = path.join(root, 'src', '__tfjs_signature_probe.ts');
const probeText = "import * as tf from '@tensorflow/tfjs';\nimport * as ts from './index';\nexport { tf, ts };\n";

// Shared names whose calling conventions differ on purpose, with why.
const DIFFERENT_ON_PURPOSE = new Map([
  // TF.js's serialization passes the class first (fromConfig(cls, config, customObjects)); a
  // Tessera class's static fromConfig is called on the class: Sequential.fromConfig(config).
  ['Sequential.fromConfig', 'called on the class'],
  ['LayersModel.fromConfig', 'called on the class (LayersModel is Model here); a class given as the config is refused'],
]);

type Members = Map<string, ts.Symbol>;

function compare(): { found: string[]; compared: number } {
  const host = ts.createCompilerHost({});
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => f === probe || fileExists(f);
  host.readFile = (f) => (f === probe ? probeText : readFile(f));
  host.getSourceFile = (f, v, onError) => (f === probe ? ts.createSourceFile(f, probeText, v) : getSourceFile(f, v, onError));
  const program = ts.createProgram(
    [probe],
    { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true, skipLibCheck: true, strict: true, types: [] },
    host,
  );
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(probe)!;
  const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(file)!);
  const typeOf = (s: ts.Symbol) => checker.getTypeOfSymbolAtLocation(s, s.valueDeclaration ?? file);
  const membersOf = (t: ts.Type): Members => new Map(t.getProperties().map((p) => [p.name, p]));
  // The most positional parameters any overload takes (a rest parameter: unbounded).
  const arity = (s: ts.Symbol): number | null => {
    const sigs = typeOf(s).getCallSignatures();
    if (sigs.length === 0) return null;
    return Math.max(...sigs.map((g) => (g.getDeclaration()?.parameters.some((p) => p.dotDotDotToken) ? Infinity : g.getParameters().length)));
  };
  const found: string[] = [];
  let compared = 0;
  const visit = (prefix: string, tf: Members, ours: Members, depth: number) => {
    for (const [name, mine] of ours) {
      const theirs = tf.get(name);
      if (theirs === undefined) continue;
      const [a, b] = [arity(theirs), arity(mine)];
      if (a !== null && b !== null) {
        compared++;
        if (a > b && !DIFFERENT_ON_PURPOSE.has(prefix + name)) found.push(`${prefix}${name}: TensorFlow.js ${a}, Tessera ${b}`);
      } else if (depth === 0 && a === null && b === null) {
        visit(`${name}.`, membersOf(typeOf(theirs)), membersOf(typeOf(mine)), 1);
      }
    }
  };
  const [tf, ours] = ['tf', 'ts'].map((n) => membersOf(typeOf(exports.find((e) => e.name === n)!)));
  visit('', tf, ours, 0);
  // Instance methods of the classes a user holds.
  for (const [theirs, mine] of [
    ['Tensor', 'Tensor'],
    ['Variable', 'Variable'],
    ['LayersModel', 'Model'],
    ['Sequential', 'Sequential'],
  ]) {
    const instance = (m: Members, n: string) => membersOf(typeOf(m.get(n)!).getConstructSignatures()[0].getReturnType());
    visit(`${mine}#`, instance(tf, theirs), instance(ours, mine), 1);
  }
  return { found, compared };
}

it("no shared function or method takes fewer positional parameters than TensorFlow.js's", () => {
  const { found, compared } = compare();
  expect(found).toEqual([]);
  // Not vacuous: the declarations were read (an unresolved import would compare nothing).
  expect(compared).toBeGreaterThan(200);
}, 60_000);
