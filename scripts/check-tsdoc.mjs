#!/usr/bin/env node
// Lists the public API's symbols (everything src/index.ts exports, through its namespaces,
// and the public members of exported classes and interfaces) that have no TSDoc comment,
// and the exported ones marked @internal (leaked through `export *`); exits 1 when there
// are any.
//   node scripts/check-tsdoc.mjs
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ts = require('typescript');
const root = join(fileURLToPath(import.meta.url), '..', '..');
const entry = join(root, 'src', 'index.ts');
const program = ts.createProgram([entry], { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, types: ['node'] });
const checker = program.getTypeChecker();
const module = checker.getSymbolAtLocation(program.getSourceFile(entry));

function documented(symbol) {
  if (symbol.getDocumentationComment(checker).length > 0) return true;
  // Overloads, or a declaration merged with another: any documented declaration counts.
  return (symbol.declarations ?? []).some((d) => ts.getJSDocCommentsAndTags(d).length > 0);
}

function isPublicMember(decl) {
  const flags = ts.getCombinedModifierFlags(decl);
  if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) return false;
  const name = decl.name && ts.isIdentifier(decl.name) ? decl.name.text : '';
  return !name.startsWith('_') && !(decl.name && ts.isPrivateIdentifier(decl.name));
}

const missing = [];
const leaked = [];
let total = 0;
const isInternal = (symbol) => (symbol.declarations ?? []).some((d) => ts.getJSDocTags(d).some((t) => t.tagName.text === 'internal'));
// A namespace export (`export * as layers from ...`) is checked through its own exports.
function visit(moduleSymbol, prefix) {
  for (let symbol of checker.getExportsOfModule(moduleSymbol)) {
    const exported = prefix + symbol.name;
    if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    if (symbol.flags & ts.SymbolFlags.ValueModule && symbol.declarations?.some(ts.isSourceFile)) {
      visit(symbol, `${exported}.`);
      continue;
    }
    const file = symbol.declarations?.[0]?.getSourceFile().fileName ?? '';
    const where = file.startsWith(root) ? file.slice(root.length + 1) : file;
    total++;
    if (!documented(symbol)) missing.push(`${exported} (${where})`);
    if (isInternal(symbol)) leaked.push(`${exported} (${where})`);
    if (symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface)) {
      for (const member of symbol.members?.values() ?? []) {
        const decl = member.declarations?.[0];
        if (!decl || !isPublicMember(decl) || member.name === '__constructor') continue;
        if (member.flags & ts.SymbolFlags.TypeParameter) continue;
        total++;
        if (!documented(member)) missing.push(`${exported}.${member.name} (${where})`);
      }
    }
  }
}
visit(module, '');
for (const m of missing) console.log(`  no TSDoc: ${m}`);
for (const m of leaked) console.log(`  @internal but exported: ${m}`);
console.log(`check-tsdoc: ${total - missing.length} of ${total} public symbols documented, ${leaked.length} internal ones exported`);
process.exit(missing.length || leaked.length ? 1 : 0);
