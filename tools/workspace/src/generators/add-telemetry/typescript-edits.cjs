// @ts-check
// Edits of TypeScript sources located on the syntax tree rather than by patterns on the text, so that a
// reformatted file (line breaks, quotes, trailing commas) gets the same edit. Each helper returns the
// insertions to make, for @nx/devkit's applyChangesToString: several edits of one file share one parse.
const { ChangeType } = require('@nx/devkit');
const ts = require('typescript');

/** @typedef {import('@nx/devkit').StringInsertion} Insertion */

/**
 * @param {string} fileName
 * @param {string} text
 */
function parseTypeScript(fileName, text) {
  // Parent links on: getStart() walks up to the source file.
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

/**
 * @param {number} index
 * @param {string} text
 * @returns {Insertion}
 */
function insertion(index, text) {
  return { type: ChangeType.Insert, index, text };
}

/**
 * Imports `names` from `moduleSpecifier`, those the file does not import already: into an existing
 * `import { … } from moduleSpecifier` if there is one, else as a new declaration after the last import.
 * Type-only imports are left alone, as the names are wanted as values.
 *
 * @param {ts.SourceFile} sourceFile
 * @param {string[]} names
 * @param {string} moduleSpecifier
 * @returns {Insertion[]}
 */
function importNamed(sourceFile, names, moduleSpecifier) {
  const imports = sourceFile.statements.filter(ts.isImportDeclaration);
  const namedImports = imports
    .filter((declaration) => isValueImportFrom(declaration, moduleSpecifier))
    .map((declaration) => declaration.importClause?.namedBindings)
    .filter((bindings) => bindings !== undefined && ts.isNamedImports(bindings));
  const imported = new Set(namedImports.flatMap(({ elements }) => elements.map((element) => element.name.text)));
  const missing = names.filter((name) => !imported.has(name));
  if (missing.length === 0) return [];
  const mergeInto = namedImports.find(({ elements }) => elements.length > 0);
  if (mergeInto) return [insertion(mergeInto.elements[mergeInto.elements.length - 1].end, `, ${missing.join(', ')}`)];
  const declaration = `import { ${missing.join(', ')} } from '${moduleSpecifier}';`;
  const lastImport = imports[imports.length - 1];
  return [lastImport ? insertion(lastImport.end, `\n${declaration}`) : insertion(0, `${declaration}\n`)];
}

/**
 * @param {ts.ImportDeclaration} declaration
 * @param {string} moduleSpecifier
 */
function isValueImportFrom(declaration, moduleSpecifier) {
  return (
    ts.isStringLiteral(declaration.moduleSpecifier) &&
    declaration.moduleSpecifier.text === moduleSpecifier &&
    !declaration.importClause?.isTypeOnly
  );
}

/**
 * The call of decorator `@name(…)` on a class or a member, if it has one.
 *
 * @param {ts.HasDecorators} node
 * @param {string} name
 */
function decoratorCall(node, name) {
  return ts
    .getDecorators(node)
    ?.map((decorator) => decorator.expression)
    .filter(ts.isCallExpression)
    .find((call) => ts.isIdentifier(call.expression) && call.expression.text === name);
}

/**
 * The `@name(…)` call on the first class of the file decorated with it.
 *
 * @param {ts.SourceFile} sourceFile
 * @param {string} name
 */
function classDecoratedWith(sourceFile, name) {
  for (const statement of sourceFile.statements) {
    const call = ts.isClassDeclaration(statement) ? decoratorCall(statement, name) : undefined;
    if (call) return call;
  }
  return undefined;
}

/**
 * The method called `name` of the first class of the file that has one.
 *
 * @param {ts.SourceFile} sourceFile
 * @param {string} name
 */
function methodNamed(sourceFile, name) {
  for (const statement of sourceFile.statements) {
    if (!ts.isClassDeclaration(statement)) continue;
    const method = statement.members.find((member) => ts.isMethodDeclaration(member) && nameText(member) === name);
    if (method) return /** @type {ts.MethodDeclaration} */ (method);
  }
  return undefined;
}

/**
 * Whether any node of the file satisfies `test` (a depth-first walk that stops at the first).
 *
 * @param {ts.SourceFile} sourceFile
 * @param {(node: ts.Node) => boolean} test
 * @returns {boolean}
 */
function someNode(sourceFile, test) {
  /** @param {ts.Node} node @returns {boolean} */
  const visit = (node) => test(node) || Boolean(ts.forEachChild(node, (child) => visit(child) || undefined));
  return visit(sourceFile);
}

/**
 * The property called `name` of an object literal, of whatever kind (`name: …`, shorthand, method).
 *
 * @param {ts.ObjectLiteralExpression} objectLiteral
 * @param {string} name
 */
function propertyNamed(objectLiteral, name) {
  return objectLiteral.properties.find((property) => nameText(property) === name);
}

/**
 * The plain text of a declaration's name (`imports`, `'imports'`), undefined for a computed one.
 *
 * @param {ts.ObjectLiteralElementLike | ts.ClassElement} declaration
 */
function nameText(declaration) {
  const { name } = declaration;
  return name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) ? name.text : undefined;
}

/**
 * Puts `items` first in a list (an array's elements, an object's properties). In a list laid out one item a
 * line, each goes on a line of its own above any comment on the first item, which belongs to that item: the
 * file then reads right even where no formatter runs.
 *
 * @param {ts.SourceFile} sourceFile
 * @param {ts.NodeArray<ts.Node>} list
 * @param {string[]} items
 */
function insertFirst(sourceFile, list, items) {
  if (list.length === 0) return insertion(list.pos, items.join(', '));
  const firstStart = list[0].getStart(sourceFile);
  const gap = sourceFile.text.slice(list.pos, firstStart);
  if (!gap.includes('\n')) return insertion(firstStart, `${items.join(', ')}, `);
  const indentation = gap.slice(gap.lastIndexOf('\n') + 1);
  return insertion(list.pos, items.map((item) => `\n${indentation}${item},`).join(''));
}

/**
 * Puts `text` right after `node`, on its line (`, Next` after a list item).
 *
 * @param {ts.Node} node
 * @param {string} text
 */
function insertAfter(node, text) {
  return insertion(node.end, text);
}

/**
 * Puts decorator `decorator` (`@Span()`) on a class member, on a line of its own at the member's indentation.
 *
 * @param {ts.SourceFile} sourceFile
 * @param {ts.ClassElement} member
 * @param {string} decorator
 */
function insertDecorator(sourceFile, member, decorator) {
  const start = member.getStart(sourceFile);
  const lineStart = sourceFile.text.lastIndexOf('\n', start - 1) + 1;
  const indentation = sourceFile.text.slice(lineStart, start);
  return insertion(start, `${decorator}${indentation.trim() === '' ? `\n${indentation}` : ' '}`);
}

/**
 * Whether two sources are the same code whatever their layout, comments, quotes, semicolons, trailing
 * commas and numbers (in strings too): a generated file is recognised after a formatter and with another port.
 *
 * @param {string} a
 * @param {string} b
 */
function sameCodeButNumbers(a, b) {
  const [tokensOfA, tokensOfB] = [codeTokens(a), codeTokens(b)];
  return tokensOfA.length === tokensOfB.length && tokensOfA.every((token, index) => token === tokensOfB[index]);
}

const CLOSERS = new Set([
  ts.SyntaxKind.CloseParenToken,
  ts.SyntaxKind.CloseBracketToken,
  ts.SyntaxKind.CloseBraceToken,
]);

/**
 * The tokens of the code, as text, without what sameCodeButNumbers ignores: comments and whitespace (skipped
 * by the scanner), semicolons, commas before a closing bracket, quotes (strings by value), number values and the
 * digits in strings.
 *
 * @param {string} text
 */
function codeTokens(text) {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  /** @type {{ kind: ts.SyntaxKind; text: string }[]} */
  const tokens = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.SemicolonToken) continue;
    const isString = kind === ts.SyntaxKind.StringLiteral || kind === ts.SyntaxKind.NoSubstitutionTemplateLiteral;
    // Digits in a string count as numbers too: a URL's port (`tcp://127.0.0.1:4100`) follows the app's.
    tokens.push({
      kind,
      text: isString ? `'${scanner.getTokenValue().replace(/\d+/g, '0')}'` : scanner.getTokenText(),
    });
  }
  return tokens
    .filter((token, index) => !(token.kind === ts.SyntaxKind.CommaToken && CLOSERS.has(tokens[index + 1]?.kind)))
    .map((token) => (token.kind === ts.SyntaxKind.NumericLiteral ? '0' : token.text));
}

module.exports = {
  classDecoratedWith,
  decoratorCall,
  importNamed,
  insertAfter,
  insertDecorator,
  insertFirst,
  methodNamed,
  parseTypeScript,
  propertyNamed,
  sameCodeButNumbers,
  someNode,
};
