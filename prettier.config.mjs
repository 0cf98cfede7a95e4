// Prettier for the TypeScript and JavaScript of src/, test/, bench/, examples/ and scripts/.
// Options chosen by the smallest diff over the tree as it was: single quotes and 160 columns
// (the code's lines run long; 120 columns would rewrap twice as many lines); the rest are
// Prettier's defaults (trailing commas, semicolons, parentheses around arrow parameters).
export default { printWidth: 160, singleQuote: true };
