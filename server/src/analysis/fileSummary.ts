/**
 * One source file reduced to what the cross-file resolution needs: its imports and exports, and the
 * calls whose receiver might be a Stripe client, each receiver as a symbolic value. Built from one
 * parse with no type checker, so a summary depends only on the file's own text and can be cached
 * by it.
 */
import ts from 'typescript';

/**
 * TypeScript's module object exposes every function and enum through a getter; the walk reads
 * `isX` and `SyntaxKind` for every node, so it calls them on a plain copy (measured: the getters
 * alone cost about a tenth of the analysis).
 */
const tsApi: typeof ts = { ...ts };

/** Where a Stripe client comes from, as far as one file can tell. */
export type ClientKind =
  /** `new Stripe(key, { httpClient: createHttpClient() })`: the UI extension's client. */
  | 'ui-extension'
  /** A parameter typed `Stripe` (a helper that is handed the client). */
  | 'parameter'
  /** A name the settings call the UI client (`stripeApps.codeAnalysis.clientNames`). */
  | 'named'
  /** `new Stripe(...)` without the SDK's http client: a backend with its own key. */
  | 'backend'
  /** `new Stripe(...)` whose options are not a literal the tool can read. */
  | 'undetermined';

export interface ClientSource {
  kind: ClientKind;
  /** The `new Stripe(…)` expression or the parameter, as offsets in its file. */
  start: number;
  end: number;
}

/** A value as one file sees it; `import` leaves are resolved across files later. */
export type SymbolicValue =
  | { kind: 'client'; source: ClientSource }
  | { kind: 'import'; module: string; name: string }
  | { kind: 'member'; object: SymbolicValue; name: string }
  | { kind: 'call'; callee: SymbolicValue }
  | { kind: 'function'; returns: SymbolicValue | undefined };

export interface ExpandItem {
  path: string;
  start: number;
  end: number;
}

/** A call whose receiver chain starts at a value that may be a client. */
export interface CandidateCall {
  root: SymbolicValue;
  /** Property names after the root; `undefined` entries are computed (`stripe[name]`). */
  path: (string | undefined)[];
  /** The callee (`stripe.customers.list`), as offsets. */
  start: number;
  end: number;
  expand: ExpandItem[];
  /** An `expand` whose value, or one of whose items, is not a string literal. */
  expandIncomplete: boolean;
}

export interface FileSummary {
  exports: Map<string, SymbolicValue>;
  /** `export * from '…'` specifiers, in source order. */
  starExports: string[];
  calls: CandidateCall[];
  /** Whether the parser recovered from syntax errors (the summary may miss calls). */
  hasSyntaxErrors: boolean;
}

const STRIPE_MODULE = 'stripe';
const HTTP_CLIENT_MODULE = '@stripe/ui-extension-sdk/http_client';

/** A declaration evaluated on first lookup (hoisting and use-before-declaration in closures). */
interface Binding {
  evaluate: () => SymbolicValue | undefined;
  /** Set once evaluated (a helper called from many places is walked once). */
  value?: { result: SymbolicValue | undefined };
}

class Scope {
  readonly bindings = new Map<string, Binding>();
  constructor(readonly parent: Scope | undefined) {}

  lookup(name: string): Binding | undefined {
    return this.bindings.get(name) ?? this.parent?.lookup(name);
  }
}

export function scriptKindOf(fileName: string): ts.ScriptKind {
  if (fileName.endsWith('.tsx')) return tsApi.ScriptKind.TSX;
  if (fileName.endsWith('.jsx')) return tsApi.ScriptKind.JSX;
  if (fileName.endsWith('.js') || fileName.endsWith('.mjs') || fileName.endsWith('.cjs')) {
    return tsApi.ScriptKind.JS;
  }
  return tsApi.ScriptKind.TS;
}

/** Parses one file the way the analysis does (also the baseline the benchmark compares with). */
export function parseSource(fileName: string, text: string): ts.SourceFile {
  return tsApi.createSourceFile(
    fileName,
    text,
    tsApi.ScriptTarget.Latest,
    false,
    scriptKindOf(fileName),
  );
}

export interface SummaryOptions {
  /**
   * Names taken as the UI extension's client where nothing else says what they are: a global, an
   * import from a package, or a call of a function so named (`getStripeClient()`).
   */
  readonly clientNames?: ReadonlySet<string>;
}

const NO_NAMES: ReadonlySet<string> = new Set();

export function summarizeFile(
  fileName: string,
  text: string,
  options: SummaryOptions = {},
): FileSummary {
  return new Summarizer(parseSource(fileName, text), options.clientNames ?? NO_NAMES).run();
}

function unwrap(expression: ts.Expression): ts.Expression {
  let current = expression;
  for (;;) {
    if (
      tsApi.isParenthesizedExpression(current) ||
      tsApi.isAsExpression(current) ||
      tsApi.isNonNullExpression(current) ||
      tsApi.isSatisfiesExpression(current) ||
      tsApi.isTypeAssertionExpression(current) ||
      tsApi.isAwaitExpression(current)
    ) {
      current = current.expression;
    } else {
      return current;
    }
  }
}

function propertyNameText(name: ts.PropertyName | ts.BindingName): string | undefined {
  if (tsApi.isIdentifier(name) || tsApi.isStringLiteral(name) || tsApi.isNumericLiteral(name)) {
    return name.text;
  }
  if (tsApi.isNoSubstitutionTemplateLiteral(name)) return name.text;
  return undefined;
}

function literalText(expression: ts.Expression): string | undefined {
  const inner = unwrap(expression);
  if (tsApi.isStringLiteral(inner) || tsApi.isNoSubstitutionTemplateLiteral(inner))
    return inner.text;
  return undefined;
}

function isImport(value: SymbolicValue | undefined, module: string, names: string[]): boolean {
  if (!value) return false;
  if (value.kind === 'import') return value.module === module && names.includes(value.name);
  // `import * as S from 'stripe'; new S.Stripe(…)` and `require('stripe').default`
  return (
    value.kind === 'member' &&
    value.object.kind === 'import' &&
    value.object.module === module &&
    value.object.name === '*' &&
    names.includes(value.name)
  );
}

/** `React.useMemo` with `import React from 'react'` or `import * as React from 'react'`. */
function isReactMember(value: SymbolicValue | undefined, name: string): boolean {
  return (
    value?.kind === 'member' &&
    value.name === name &&
    value.object.kind === 'import' &&
    value.object.module === 'react' &&
    (value.object.name === 'default' || value.object.name === '*')
  );
}

class Summarizer {
  private readonly calls: CandidateCall[] = [];
  private readonly exports = new Map<string, SymbolicValue>();
  private readonly starExports: string[] = [];
  private readonly evaluating = new Set<Binding>();

  constructor(
    private readonly sourceFile: ts.SourceFile,
    private readonly clientNames: ReadonlySet<string>,
  ) {}

  /** A client named by the settings, at the node that names it. */
  private namedClient(node: ts.Node): SymbolicValue {
    return {
      kind: 'client',
      source: { kind: 'named', start: node.getStart(this.sourceFile), end: node.end },
    };
  }

  run(): FileSummary {
    const moduleScope = new Scope(undefined);
    this.declareStatements(this.sourceFile.statements, moduleScope);
    this.collectExports(moduleScope);
    this.visitStatements(this.sourceFile.statements, moduleScope);
    const diagnostics = (this.sourceFile as { parseDiagnostics?: readonly unknown[] })
      .parseDiagnostics;
    return {
      exports: this.exports,
      starExports: this.starExports,
      calls: this.calls,
      hasSyntaxErrors: (diagnostics?.length ?? 0) > 0,
    };
  }

  // ---- declarations -------------------------------------------------------------------------

  /** Hoists the declarations of a statement list into `scope`, evaluated lazily. */
  private declareStatements(statements: readonly ts.Statement[], scope: Scope): void {
    for (const statement of statements) {
      if (tsApi.isImportDeclaration(statement)) this.declareImport(statement, scope);
      else if (tsApi.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          this.declareVariable(declaration, scope);
        }
      } else if (tsApi.isFunctionDeclaration(statement) && statement.name) {
        const node = statement;
        scope.bindings.set(statement.name.text, {
          evaluate: () => this.functionValue(node, scope),
        });
      } else if (tsApi.isClassDeclaration(statement) && statement.name) {
        scope.bindings.set(statement.name.text, { evaluate: () => undefined });
      } else if (tsApi.isImportEqualsDeclaration(statement)) {
        const reference = statement.moduleReference;
        if (
          tsApi.isExternalModuleReference(reference) &&
          tsApi.isStringLiteral(reference.expression)
        ) {
          const module = reference.expression.text;
          scope.bindings.set(statement.name.text, {
            evaluate: () => ({ kind: 'import', module, name: '*' }),
          });
        }
      }
    }
  }

  private declareImport(declaration: ts.ImportDeclaration, scope: Scope): void {
    const clause = declaration.importClause;
    if (!clause || !tsApi.isStringLiteral(declaration.moduleSpecifier)) return;
    const module = declaration.moduleSpecifier.text;
    // A named client imported from a package (the app's own modules are followed instead).
    const fromPackage = !module.startsWith('.') && module !== STRIPE_MODULE;
    const named = (local: ts.Identifier): boolean =>
      fromPackage && this.clientNames.has(local.text);
    if (clause.name && named(clause.name)) {
      const local = clause.name;
      scope.bindings.set(local.text, { evaluate: () => this.namedClient(local) });
    } else if (clause.name) {
      scope.bindings.set(clause.name.text, {
        evaluate: () => ({ kind: 'import', module, name: 'default' }),
      });
    }
    const bindings = clause.namedBindings;
    if (!bindings) return;
    if (tsApi.isNamespaceImport(bindings)) {
      scope.bindings.set(bindings.name.text, {
        evaluate: () => ({ kind: 'import', module, name: '*' }),
      });
      return;
    }
    for (const element of bindings.elements) {
      const name = (element.propertyName ?? element.name).text;
      const local = element.name;
      scope.bindings.set(local.text, {
        evaluate: () => (named(local) ? this.namedClient(local) : { kind: 'import', module, name }),
      });
    }
  }

  private declareVariable(declaration: ts.VariableDeclaration, scope: Scope): void {
    const initializer = declaration.initializer;
    if (tsApi.isIdentifier(declaration.name)) {
      // `let stripe: Stripe` assigned later is taken at its type, like a parameter.
      const typed = (): SymbolicValue | undefined => {
        const source = this.stripeTypeSource(declaration.type, declaration, scope);
        return source ? { kind: 'client', source } : undefined;
      };
      scope.bindings.set(declaration.name.text, {
        evaluate: () => (initializer ? this.evaluate(initializer, scope) : typed()),
      });
      return;
    }
    this.declarePattern(
      declaration.name,
      () => (initializer ? this.evaluate(initializer, scope) : undefined),
      scope,
    );
  }

  /** Destructuring: `const { customers } = stripe`, `const [a] = …` (array items are unknown). */
  private declarePattern(
    pattern: ts.BindingName,
    source: () => SymbolicValue | undefined,
    scope: Scope,
    memberTypes?: Map<string, ClientSource>,
  ): void {
    if (tsApi.isIdentifier(pattern)) {
      scope.bindings.set(pattern.text, { evaluate: source });
      return;
    }
    for (const element of pattern.elements) {
      if (tsApi.isOmittedExpression(element)) continue;
      if (tsApi.isArrayBindingPattern(pattern) || element.dotDotDotToken) {
        this.declarePattern(element.name, () => undefined, scope);
        continue;
      }
      const key = element.propertyName
        ? propertyNameText(element.propertyName)
        : propertyNameText(element.name);
      const typed = key === undefined ? undefined : memberTypes?.get(key);
      if (typed && tsApi.isIdentifier(element.name)) {
        const client: SymbolicValue = { kind: 'client', source: typed };
        scope.bindings.set(element.name.text, { evaluate: () => client });
        continue;
      }
      this.declarePattern(
        element.name,
        () => {
          const object = source();
          return object && key !== undefined ? { kind: 'member', object, name: key } : undefined;
        },
        scope,
      );
    }
  }

  private declareParameters(
    parameters: readonly ts.ParameterDeclaration[],
    scope: Scope,
    outer: Scope,
  ): void {
    for (const parameter of parameters) {
      if (tsApi.isIdentifier(parameter.name)) {
        const typed = this.stripeTypeSource(parameter.type, parameter, outer);
        const client: SymbolicValue | undefined = typed
          ? { kind: 'client', source: typed }
          : undefined;
        scope.bindings.set(parameter.name.text, { evaluate: () => client });
        continue;
      }
      // `({ stripe }: { stripe: Stripe })` or `({ stripe }: Props)`: members typed `Stripe`.
      const memberTypes = new Map<string, ClientSource>();
      for (const member of this.typeMembers(parameter.type)) {
        if (!tsApi.isPropertySignature(member)) continue;
        const key = propertyNameText(member.name);
        const typed = this.stripeTypeSource(member.type, member, outer);
        if (key !== undefined && typed) memberTypes.set(key, typed);
      }
      this.declarePattern(parameter.name, () => undefined, scope, memberTypes);
    }
  }

  /** Members of an inline type literal, or of a module-level interface or type alias it names. */
  private typeMembers(type: ts.TypeNode | undefined): readonly ts.TypeElement[] {
    if (!type) return [];
    if (tsApi.isTypeLiteralNode(type)) return type.members;
    if (!tsApi.isTypeReferenceNode(type) || !tsApi.isIdentifier(type.typeName)) return [];
    const name = type.typeName.text;
    for (const statement of this.sourceFile.statements) {
      if (tsApi.isInterfaceDeclaration(statement) && statement.name.text === name) {
        return statement.members;
      }
      if (
        tsApi.isTypeAliasDeclaration(statement) &&
        statement.name.text === name &&
        tsApi.isTypeLiteralNode(statement.type)
      ) {
        return statement.type.members;
      }
    }
    return [];
  }

  /** The parameter's source when its type is the `Stripe` class imported from `stripe`. */
  private stripeTypeSource(
    type: ts.TypeNode | undefined,
    node: ts.Node,
    scope: Scope,
  ): ClientSource | undefined {
    if (!type || !tsApi.isTypeReferenceNode(type) || type.typeArguments) return undefined;
    let value: SymbolicValue | undefined;
    const name = type.typeName;
    if (tsApi.isIdentifier(name)) value = this.lookupValue(name.text, scope);
    else if (tsApi.isIdentifier(name.left)) {
      const object = this.lookupValue(name.left.text, scope);
      value = object ? { kind: 'member', object, name: name.right.text } : undefined;
    }
    if (!isImport(value, STRIPE_MODULE, ['default', 'Stripe'])) return undefined;
    // From the name to the type: `stripe: Stripe`, without a default value or a `;`.
    return { kind: 'parameter', start: node.getStart(this.sourceFile), end: type.end };
  }

  private collectExports(scope: Scope): void {
    for (const statement of this.sourceFile.statements) {
      const exported = tsApi.canHaveModifiers(statement)
        ? tsApi.getModifiers(statement)?.some((m) => m.kind === tsApi.SyntaxKind.ExportKeyword)
        : false;
      const isDefault =
        tsApi.canHaveModifiers(statement) &&
        tsApi.getModifiers(statement)?.some((m) => m.kind === tsApi.SyntaxKind.DefaultKeyword);
      if (tsApi.isExportAssignment(statement)) {
        const expression = statement.expression;
        this.setExport('default', () => this.evaluate(expression, scope));
      } else if (tsApi.isExportDeclaration(statement)) {
        this.collectExportDeclaration(statement, scope);
      } else if (exported && tsApi.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          if (tsApi.isIdentifier(declaration.name)) {
            const name = declaration.name.text;
            this.setExport(name, () => this.lookupValue(name, scope));
          }
        }
      } else if (
        exported &&
        (tsApi.isFunctionDeclaration(statement) || tsApi.isClassDeclaration(statement))
      ) {
        const local = statement.name?.text;
        const value = (): SymbolicValue | undefined =>
          local !== undefined
            ? this.lookupValue(local, scope)
            : tsApi.isFunctionDeclaration(statement)
              ? this.functionValue(statement, scope)
              : undefined;
        if (isDefault) this.setExport('default', value);
        else if (local !== undefined) this.setExport(local, value);
      }
    }
  }

  private collectExportDeclaration(statement: ts.ExportDeclaration, scope: Scope): void {
    const module =
      statement.moduleSpecifier && tsApi.isStringLiteral(statement.moduleSpecifier)
        ? statement.moduleSpecifier.text
        : undefined;
    const clause = statement.exportClause;
    if (!clause) {
      if (module !== undefined) this.starExports.push(module);
      return;
    }
    if (tsApi.isNamespaceExport(clause)) {
      if (module !== undefined) {
        this.exports.set(clause.name.text, { kind: 'import', module, name: '*' });
      }
      return;
    }
    for (const element of clause.elements) {
      const local = (element.propertyName ?? element.name).text;
      const exportedName = element.name.text;
      if (module !== undefined) {
        this.exports.set(exportedName, { kind: 'import', module, name: local });
      } else {
        this.setExport(exportedName, () => this.lookupValue(local, scope));
      }
    }
  }

  private setExport(name: string, value: () => SymbolicValue | undefined): void {
    const evaluated = value();
    if (evaluated) this.exports.set(name, evaluated);
  }

  // ---- evaluation ---------------------------------------------------------------------------

  private lookupValue(name: string, scope: Scope): SymbolicValue | undefined {
    const binding = scope.lookup(name);
    if (!binding || this.evaluating.has(binding)) return undefined;
    if (binding.value) return binding.value.result;
    this.evaluating.add(binding);
    try {
      const result = binding.evaluate();
      binding.value = { result };
      return result;
    } finally {
      this.evaluating.delete(binding);
    }
  }

  /** What an expression is, if it may be (or lead to) a Stripe client; else `undefined`. */
  private evaluate(expression: ts.Expression, scope: Scope): SymbolicValue | undefined {
    const node = unwrap(expression);
    if (tsApi.isIdentifier(node)) {
      if (this.clientNames.has(node.text) && !scope.lookup(node.text)) {
        return this.namedClient(node);
      }
      return this.lookupValue(node.text, scope);
    }
    if (tsApi.isNewExpression(node)) return this.newExpressionValue(node, scope);
    if (tsApi.isPropertyAccessExpression(node)) {
      const object = this.evaluate(node.expression, scope);
      return object ? { kind: 'member', object, name: node.name.text } : undefined;
    }
    if (tsApi.isElementAccessExpression(node)) {
      const object = this.evaluate(node.expression, scope);
      const name = literalText(node.argumentExpression);
      return object && name !== undefined ? { kind: 'member', object, name } : undefined;
    }
    if (tsApi.isCallExpression(node)) {
      if (
        tsApi.isIdentifier(node.expression) &&
        node.expression.text === 'require' &&
        node.arguments.length === 1 &&
        node.arguments[0] &&
        !scope.lookup('require')
      ) {
        const module = literalText(node.arguments[0]);
        return module === undefined ? undefined : { kind: 'import', module, name: '*' };
      }
      const callee = this.evaluate(node.expression, scope);
      // `getStripeClient()` named by the settings returns the client.
      if (callee?.kind === 'client' && callee.source.kind === 'named') return callee;
      // `useMemo(() => new Stripe(…), [])` is the client its function returns.
      if (isImport(callee, 'react', ['useMemo']) || isReactMember(callee, 'useMemo')) {
        const factory = node.arguments[0] ? this.evaluate(node.arguments[0], scope) : undefined;
        return factory?.kind === 'function' ? factory.returns : undefined;
      }
      return callee ? { kind: 'call', callee } : undefined;
    }
    if (tsApi.isArrowFunction(node) || tsApi.isFunctionExpression(node)) {
      return this.functionValue(node, scope);
    }
    if (tsApi.isConditionalExpression(node)) {
      return this.evaluate(node.whenTrue, scope) ?? this.evaluate(node.whenFalse, scope);
    }
    if (
      tsApi.isBinaryExpression(node) &&
      (node.operatorToken.kind === tsApi.SyntaxKind.BarBarToken ||
        node.operatorToken.kind === tsApi.SyntaxKind.QuestionQuestionToken)
    ) {
      return this.evaluate(node.left, scope) ?? this.evaluate(node.right, scope);
    }
    return undefined;
  }

  private newExpressionValue(node: ts.NewExpression, scope: Scope): SymbolicValue | undefined {
    const constructor = this.evaluate(node.expression, scope);
    if (!isImport(constructor, STRIPE_MODULE, ['default', 'Stripe', '*'])) return undefined;
    const source: ClientSource = {
      kind: this.clientKind(node.arguments?.[1], scope),
      start: node.getStart(this.sourceFile),
      end: node.end,
    };
    return { kind: 'client', source };
  }

  /** Reads the options of `new Stripe(key, options)` for the SDK's `createHttpClient()`. */
  private clientKind(options: ts.Expression | undefined, scope: Scope): ClientKind {
    if (!options) return 'backend';
    let literal = unwrap(options);
    if (tsApi.isIdentifier(literal)) {
      const declaration = this.constObjectLiteral(literal.text);
      if (!declaration) return 'undetermined';
      literal = declaration;
    }
    if (!tsApi.isObjectLiteralExpression(literal)) return 'undetermined';
    let kind: ClientKind = 'backend';
    for (const property of literal.properties) {
      if (tsApi.isSpreadAssignment(property)) {
        kind = 'undetermined';
        continue;
      }
      if (propertyNameText(property.name) !== 'httpClient') continue;
      if (!tsApi.isPropertyAssignment(property)) return 'undetermined';
      const value = unwrap(property.initializer);
      if (tsApi.isCallExpression(value)) {
        const callee = this.evaluate(value.expression, scope);
        if (isImport(callee, HTTP_CLIENT_MODULE, ['createHttpClient'])) return 'ui-extension';
      }
      return 'undetermined';
    }
    return kind;
  }

  /** `const options = { … }` at the module level, for `new Stripe(key, options)`. */
  private constObjectLiteral(name: string): ts.ObjectLiteralExpression | undefined {
    for (const statement of this.sourceFile.statements) {
      if (!tsApi.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (
          tsApi.isIdentifier(declaration.name) &&
          declaration.name.text === name &&
          declaration.initializer
        ) {
          const value = unwrap(declaration.initializer);
          return tsApi.isObjectLiteralExpression(value) ? value : undefined;
        }
      }
    }
    return undefined;
  }

  private functionValue(node: ts.SignatureDeclaration & { body?: ts.Node }, scope: Scope) {
    return { kind: 'function', returns: this.returnValue(node, scope) } as const satisfies Extract<
      SymbolicValue,
      { kind: 'function' }
    >;
  }

  /** The first `return` (or expression body) of a function that may be a client. */
  private returnValue(
    node: ts.SignatureDeclaration & { body?: ts.Node },
    outer: Scope,
  ): SymbolicValue | undefined {
    const body = node.body;
    if (!body) return undefined;
    const scope = new Scope(outer);
    this.declareParameters(node.parameters, scope, outer);
    if (!tsApi.isBlock(body)) return this.evaluate(body as ts.Expression, scope);
    return this.returnIn(body.statements, scope);
  }

  /** Walks statements only (returns cannot hide in expressions), each block in its own scope. */
  private returnIn(statements: readonly ts.Statement[], outer: Scope): SymbolicValue | undefined {
    const scope = new Scope(outer);
    this.declareStatements(statements, scope);
    for (const statement of statements) {
      const found = this.returnInStatement(statement, scope);
      if (found) return found;
    }
    return undefined;
  }

  private returnInStatement(
    statement: ts.Statement | undefined,
    scope: Scope,
  ): SymbolicValue | undefined {
    if (!statement) return undefined;
    switch (statement.kind) {
      case tsApi.SyntaxKind.ReturnStatement: {
        const expression = (statement as ts.ReturnStatement).expression;
        return expression ? this.evaluate(expression, scope) : undefined;
      }
      case tsApi.SyntaxKind.Block:
        return this.returnIn((statement as ts.Block).statements, scope);
      case tsApi.SyntaxKind.IfStatement: {
        const { thenStatement, elseStatement } = statement as ts.IfStatement;
        return (
          this.returnInStatement(thenStatement, scope) ??
          this.returnInStatement(elseStatement, scope)
        );
      }
      case tsApi.SyntaxKind.TryStatement: {
        const { tryBlock, catchClause, finallyBlock } = statement as ts.TryStatement;
        return (
          this.returnIn(tryBlock.statements, scope) ??
          (catchClause ? this.returnIn(catchClause.block.statements, scope) : undefined) ??
          (finallyBlock ? this.returnIn(finallyBlock.statements, scope) : undefined)
        );
      }
      case tsApi.SyntaxKind.ForStatement:
      case tsApi.SyntaxKind.ForOfStatement:
      case tsApi.SyntaxKind.ForInStatement:
      case tsApi.SyntaxKind.WhileStatement:
      case tsApi.SyntaxKind.DoStatement:
      case tsApi.SyntaxKind.LabeledStatement:
        return this.returnInStatement((statement as ts.IterationStatement).statement, scope);
      case tsApi.SyntaxKind.SwitchStatement:
        for (const clause of (statement as ts.SwitchStatement).caseBlock.clauses) {
          const found = this.returnIn(clause.statements, scope);
          if (found) return found;
        }
        return undefined;
      default:
        return undefined;
    }
  }

  // ---- the walk that finds calls ------------------------------------------------------------

  private visitStatements(statements: readonly ts.Statement[], scope: Scope): void {
    const visitor = this.visitorFor(scope);
    for (const statement of statements) visitor(statement);
  }

  /** One child visitor per scope rather than one closure per node. */
  private visitorFor(scope: Scope): (node: ts.Node) => void {
    const visitor = (node: ts.Node): void => {
      this.visit(node, scope, visitor);
    };
    return visitor;
  }

  private visit(node: ts.Node, scope: Scope, visitChild: (node: ts.Node) => void): void {
    const kind = node.kind;
    // Types, imports and leaves hold no calls.
    if (
      (kind >= tsApi.SyntaxKind.FirstTypeNode && kind <= tsApi.SyntaxKind.LastTypeNode) ||
      kind === tsApi.SyntaxKind.Identifier ||
      kind === tsApi.SyntaxKind.StringLiteral ||
      kind === tsApi.SyntaxKind.InterfaceDeclaration ||
      kind === tsApi.SyntaxKind.TypeAliasDeclaration ||
      kind === tsApi.SyntaxKind.ImportDeclaration ||
      kind === tsApi.SyntaxKind.JsxText
    ) {
      return;
    }
    switch (kind) {
      case tsApi.SyntaxKind.CallExpression:
        this.recordCall(node as ts.CallExpression, scope);
        tsApi.forEachChild(node, visitChild);
        return;
      case tsApi.SyntaxKind.FunctionDeclaration:
      case tsApi.SyntaxKind.FunctionExpression:
      case tsApi.SyntaxKind.ArrowFunction:
      case tsApi.SyntaxKind.MethodDeclaration:
      case tsApi.SyntaxKind.Constructor:
      case tsApi.SyntaxKind.GetAccessor:
      case tsApi.SyntaxKind.SetAccessor: {
        const fn = node as ts.FunctionLikeDeclaration;
        const inner = new Scope(scope);
        this.declareParameters(fn.parameters, inner, scope);
        const visitInner = this.visitorFor(inner);
        for (const parameter of fn.parameters) {
          if (parameter.initializer) visitInner(parameter.initializer);
        }
        const body = fn.body;
        if (body && tsApi.isBlock(body)) {
          this.declareStatements(body.statements, inner);
          for (const statement of body.statements) visitInner(statement);
        } else if (body) {
          visitInner(body);
        }
        return;
      }
      case tsApi.SyntaxKind.Block:
      case tsApi.SyntaxKind.ModuleBlock:
      case tsApi.SyntaxKind.CaseClause:
      case tsApi.SyntaxKind.DefaultClause: {
        const inner = new Scope(scope);
        const statements = (node as ts.Block | ts.CaseOrDefaultClause).statements;
        this.declareStatements(statements, inner);
        tsApi.forEachChild(node, this.visitorFor(inner));
        return;
      }
      case tsApi.SyntaxKind.CatchClause: {
        const clause = node as ts.CatchClause;
        const inner = new Scope(scope);
        if (clause.variableDeclaration) {
          this.declarePattern(clause.variableDeclaration.name, () => undefined, inner);
        }
        this.visitorFor(inner)(clause.block);
        return;
      }
      case tsApi.SyntaxKind.ForStatement:
      case tsApi.SyntaxKind.ForOfStatement:
      case tsApi.SyntaxKind.ForInStatement: {
        const loop = node as ts.ForStatement | ts.ForOfStatement | ts.ForInStatement;
        const inner = new Scope(scope);
        const initializer = loop.initializer;
        if (initializer && tsApi.isVariableDeclarationList(initializer)) {
          for (const declaration of initializer.declarations) {
            if (tsApi.isForStatement(loop)) this.declareVariable(declaration, inner);
            else this.declarePattern(declaration.name, () => undefined, inner);
          }
        }
        tsApi.forEachChild(node, this.visitorFor(inner));
        return;
      }
      default:
        tsApi.forEachChild(node, visitChild);
    }
  }

  private recordCall(node: ts.CallExpression, scope: Scope): void {
    const path: (string | undefined)[] = [];
    let current = unwrap(node.expression);
    for (;;) {
      if (tsApi.isPropertyAccessExpression(current)) {
        path.unshift(current.name.text);
        current = unwrap(current.expression);
      } else if (tsApi.isElementAccessExpression(current)) {
        path.unshift(literalText(current.argumentExpression));
        current = unwrap(current.expression);
      } else {
        break;
      }
    }
    if (path.length === 0) return;
    const root = this.evaluate(current, scope);
    if (
      !root ||
      root.kind === 'function' ||
      (root.kind === 'client' && root.source.kind === 'backend')
    )
      return;
    const { items, incomplete } = this.expandOf(node.arguments);
    this.calls.push({
      root,
      path,
      start: node.expression.getStart(this.sourceFile),
      end: node.expression.end,
      expand: items,
      expandIncomplete: incomplete,
    });
  }

  /** The literal `expand: [...]` of the call's object arguments. */
  private expandOf(args: readonly ts.Expression[]): { items: ExpandItem[]; incomplete: boolean } {
    const items: ExpandItem[] = [];
    let incomplete = false;
    for (const argument of args) {
      const object = unwrap(argument);
      if (!tsApi.isObjectLiteralExpression(object)) continue;
      for (const property of object.properties) {
        if (tsApi.isShorthandPropertyAssignment(property) && property.name.text === 'expand') {
          incomplete = true;
          continue;
        }
        if (!tsApi.isPropertyAssignment(property) || propertyNameText(property.name) !== 'expand') {
          continue;
        }
        const value = unwrap(property.initializer);
        if (!tsApi.isArrayLiteralExpression(value)) {
          incomplete = true;
          continue;
        }
        for (const element of value.elements) {
          const text = literalText(element);
          if (text === undefined) incomplete = true;
          else
            items.push({ path: text, start: element.getStart(this.sourceFile), end: element.end });
        }
      }
    }
    return { items, incomplete };
  }
}
