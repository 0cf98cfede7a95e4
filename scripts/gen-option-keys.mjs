#!/usr/bin/env node
// Generates src/options/option_keys.ts: the valid keys of every options object of the
// public API, read by the TypeScript compiler from the types themselves (extends,
// intersections and Omit resolved), so the runtime check never drifts from the types.
//   node scripts/gen-option-keys.mjs           write the file
//   node scripts/gen-option-keys.mjs --check   exit 1 when the committed file is stale
//
// Entries, named as a user reaches them from src/index.ts:
//   'layers.Dense'          the first options parameter of an exported class's constructor
//   'conv2d', 'layers.dense' an options parameter of an exported function
//   'Model.fit'             an options parameter of a public method of an exported class
// An options parameter is one called args, config, options or opts whose type has
// named properties (an object type, or the object members of a union).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeOrCheckGenerated } from './generated-file.mjs';
import ts from 'typescript';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const entryPath = join(root, 'src', 'index.ts');
const outPath = join(root, 'src', 'options', 'option_keys.ts');
const OPTION_PARAMS = new Set(['args', 'config', 'options', 'opts']);

function collect() {
  const program = ts.createProgram([entryPath], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    strict: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const entries = new Map();
  const tensorEntries = new Map();
  const seen = new Set();

  // Does a value of this type hold a concrete tensor (Tensor, Variable, or an array of them)?
  const TENSOR_CLASSES = new Set(['Tensor', 'Variable']);
  const holdsTensor = (type, depth = 0) => {
    if (depth > 3) return false;
    const t = checker.getNonNullableType(type);
    for (const m of t.isUnion() ? t.types : [t]) {
      if (TENSOR_CLASSES.has(m.getSymbol()?.getName())) return true;
      if (checker.isArrayType(m) && holdsTensor(checker.getTypeArguments(m)[0], depth + 1)) return true;
    }
    return false;
  };

  const add = (name, keys) => {
    const sorted = [...new Set(keys)].sort();
    // The runtime maps spellings by lower case without underscores: two keys must not meet there.
    const spellings = new Map(sorted.map((k) => [k.replace(/_/g, '').toLowerCase(), k]));
    if (spellings.size !== sorted.length)
      throw new Error(`${name}: two options differ only in case or underscores (${sorted.join(', ')}); mark one 'Alias of ...'`);
    const previous = entries.get(name);
    if (previous !== undefined && previous.join() !== sorted.join()) throw new Error(`two option types named ${name}`);
    entries.set(name, sorted);
  };

  // A property documented as another's alias ('Alias of learningRate') is a spelling the
  // runtime maps by itself, not a key of its own.
  const isAlias = (p) => /^Alias of\b/.test(ts.displayPartsToString(p.getDocumentationComment(checker)));

  // The property names of an options type, or null when it has none to check.
  // With `tensorKeys`, the keys whose values hold tensors are pushed there too.
  const keysOf = (type, tensorKeys = null, decl = null) => {
    const t = checker.getNonNullableType(type);
    const members = t.isUnion() ? t.types : [t];
    const keys = [];
    let objects = 0;
    for (const m of members) {
      if (!(m.flags & ts.TypeFlags.Object) && !m.isIntersection()) continue;
      if (m.getCallSignatures().length > 0 || checker.isArrayType(m) || checker.isTupleType(m)) continue;
      if (checker.getIndexInfosOfType(m).length > 0) return null; // a free-form map
      objects++;
      for (const p of checker.getPropertiesOfType(m)) {
        if (isAlias(p)) continue;
        keys.push(p.getName());
        if (tensorKeys !== null && holdsTensor(checker.getTypeOfSymbolAtLocation(p, decl))) tensorKeys.push(p.getName());
      }
    }
    return objects > 0 && keys.length > 0 ? keys : null;
  };

  const optionParams = (signature, decl) =>
    signature
      .getParameters()
      .filter((p) => OPTION_PARAMS.has(p.getName()))
      .map((p) => checker.getTypeOfSymbolAtLocation(p, decl));

  // Nested options: a property that maps names to options objects of an interface
  // (fromCsv's columnConfigs: Record<string, ColumnConfig>) gets the entry 'data.fromCsv.columnConfigs'.
  const visitNested = (name, type, decl) => {
    for (const prop of checker.getPropertiesOfType(checker.getNonNullableType(type))) {
      const propType = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(prop, decl));
      const value = checker.getIndexInfosOfType(propType)[0]?.type;
      const symbol = value?.getSymbol();
      // A class with merged declarations (Tensor's and Variable's methods) is not options.
      if (symbol === undefined || !(symbol.flags & ts.SymbolFlags.Interface) || symbol.flags & ts.SymbolFlags.Class) continue;
      const keys = keysOf(value);
      if (keys !== null) add(`${name}.${prop.getName()}`, keys);
    }
  };

  const visitSignatures = (name, signatures, decl) => {
    const types = signatures.flatMap((s) => optionParams(s, decl));
    const tensorKeys = [];
    const all = types.map((t) => keysOf(t, tensorKeys, decl)).filter((k) => k !== null);
    if (all.length === 0) return;
    add(name, all.flat());
    if (tensorKeys.length > 0) tensorEntries.set(name, [...new Set(tensorKeys)].sort());
    for (const t of types) if (keysOf(t) !== null) visitNested(name, t, decl);
  };

  const visitClass = (name, symbol) => {
    const decl = symbol.valueDeclaration;
    const classType = checker.getTypeOfSymbolAtLocation(symbol, decl);
    visitSignatures(name, classType.getConstructSignatures(), decl);
    const instance = checker.getDeclaredTypeOfSymbol(symbol);
    for (const prop of checker.getPropertiesOfType(instance)) {
      const d = prop.valueDeclaration;
      if (d === undefined || !(ts.isMethodDeclaration(d) || ts.isMethodSignature(d))) continue;
      if (ts.getCombinedModifierFlags(d) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
      // Model's methods are declared on the class by declaration merging in training/.
      const owner = ts.isClassDeclaration(d.parent) ? d.parent.name?.text : ts.isInterfaceDeclaration(d.parent) ? d.parent.name.text : undefined;
      if (owner === undefined) continue;
      visitSignatures(`${owner}.${prop.getName()}`, checker.getTypeOfSymbolAtLocation(prop, d).getCallSignatures(), d);
    }
  };

  const visitModule = (prefix, moduleSymbol) => {
    if (seen.has(moduleSymbol)) return;
    seen.add(moduleSymbol);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const name = prefix + exported.getName();
      if (symbol.flags & ts.SymbolFlags.Class) visitClass(name, symbol);
      else if (symbol.flags & ts.SymbolFlags.Function) {
        visitSignatures(name, checker.getTypeOfSymbolAtLocation(symbol, symbol.valueDeclaration).getCallSignatures(), symbol.valueDeclaration);
      } else if (symbol.flags & ts.SymbolFlags.ValueModule) visitModule(`${name}.`, symbol);
      else if (symbol.flags & ts.SymbolFlags.Variable && symbol.valueDeclaration) {
        // `export const dense = (args: DenseArgs) => ...`
        visitSignatures(name, checker.getTypeOfSymbolAtLocation(symbol, symbol.valueDeclaration).getCallSignatures(), symbol.valueDeclaration);
      }
    }
  };

  visitModule('', checker.getSymbolAtLocation(program.getSourceFile(entryPath)));
  const sorted = (map) => new Map([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { entries: sorted(entries), tensorEntries: sorted(tensorEntries) };
}

const renderRows = (entries) => [...entries].map(([name, keys]) => `  '${name}': [${keys.map((k) => `'${k}'`).join(', ')}],`).join('\n');

export function render({ entries, tensorEntries }) {
  return `// Generated by scripts/gen-option-keys.mjs from the option types of the public API.
// Do not edit: run \`npm run gen:options\`.

/** The valid keys of each options object, by where users reach it ('layers.Dense', 'conv2d', 'Model.fit'). */
export const OPTION_KEYS: Readonly<Record<string, readonly string[]>> = {
${renderRows(entries)}
};

/** The keys of each entry whose values hold tensors (named when a tensor came where the options go). */
export const TENSOR_OPTION_KEYS: Readonly<Record<string, readonly string[]>> = {
${renderRows(tensorEntries)}
};
`;
}

const expected = render(collect());
writeOrCheckGenerated(outPath, expected, { name: 'src/options/option_keys.ts', command: 'npm run gen:options' });
