/**
 * Reads the API methods a `stripe` npm package declares, with the TypeScript compiler API over its
 * CommonJS build. Two forms are known:
 *
 * - `stripeMethod` (stripe-node up to v21): `cjs/resources.js` exports each resource, or a
 *   `resourceNamespace('apps', { Secrets: … })`; each resource file is
 *   `StripeResource.extend({ retrieve: stripeMethod({ method: 'GET', fullPath: '/v1/…' }), … })`.
 * - `_makeRequest` (v22 and later): the Stripe constructor in `cjs/stripe.core.js` assigns
 *   `this.customers = new Customers_js_1.CustomerResource(this)`; namespaces and resources assign
 *   their children the same way in their constructors; each method is a class method whose body
 *   calls `this._makeRequest('GET', `/v1/customers/${encodeURIComponent(id)}`, …)`.
 *
 * Anything else (a member that is neither, a verb or path that is not a literal, a method making
 * two requests) throws an UnknownStripeFormError: a new stripe-node must never drop methods
 * silently.
 */
import { posix } from 'node:path';
import ts from 'typescript';

export type HttpVerb = 'GET' | 'POST' | 'DELETE';

export interface StripeMethod {
  /** The accessor path on a Stripe client: `customers.retrieve`, `apps.secrets.find`. */
  accessor: string;
  verb: HttpVerb;
  /** The URL path with named placeholders: `/v1/customers/{customer}`. */
  path: string;
  /** Further paths the same method requests with the same verb, chosen by its arguments. */
  alternatePaths?: string[];
  /** The class that declares it (the `_makeRequest` form), whose `.d.ts` types its result. */
  declaredIn?: { file: string; className: string };
}

export interface StripePackageMethods {
  version: string;
  form: 'stripeMethod' | '_makeRequest';
  methods: StripeMethod[];
  /** Accessors that are another accessor under a second name (`account` → `accounts`). */
  aliases: Record<string, string>;
}

/** Reads a file of the package by its path relative to the package root, or undefined. */
export type PackageReader = (relativePath: string) => string | undefined;

export class UnknownStripeFormError extends Error {
  override readonly name = 'UnknownStripeFormError';
}

/**
 * Members that are not API methods (helpers, settings), by accessor: each is known, so that any
 * other member without a literal request is an unknown form.
 */
const MEMBERS_WITHOUT_REQUEST: Readonly<Record<string, string>> = {
  'oauth.authorizeUrl': 'builds the Connect OAuth authorize URL locally',
  'oauth.basePath': 'the OAuth resource’s base path (its methods give relative paths)',
  'files.requestDataProcessor': 'the multipart encoder for uploads',
  'v2.core.events.addFetchRelatedObjectIfNeeded':
    'a helper of list and retrieve that adds fetchRelatedObject() to each event',
};

const VERBS: ReadonlySet<string> = new Set(['GET', 'POST', 'DELETE']);

function fail(file: string, node: ts.Node | undefined, message: string): never {
  const where = node
    ? `${file}:${node.getSourceFile().getLineAndCharacterOfPosition(node.getStart()).line + 1}`
    : file;
  throw new UnknownStripeFormError(`${where}: ${message}`);
}

function parse(read: PackageReader, file: string): ts.SourceFile {
  const text = read(file);
  if (text === undefined) throw new UnknownStripeFormError(`${file} is missing`);
  return ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
}

/** `const X_js_1 = require("./resources/X.js")` → X_js_1 → package-relative path. */
function requiredFiles(source: ts.SourceFile): Map<string, string> {
  const files = new Map<string, string>();
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer;
      if (
        ts.isIdentifier(declaration.name) &&
        init &&
        ts.isCallExpression(init) &&
        ts.isIdentifier(init.expression) &&
        init.expression.text === 'require' &&
        init.arguments.length === 1 &&
        init.arguments[0] &&
        ts.isStringLiteral(init.arguments[0]) &&
        init.arguments[0].text.startsWith('.')
      ) {
        const target = posix.join(posix.dirname(source.fileName), init.arguments[0].text);
        files.set(declaration.name.text, target);
      }
    }
  }
  return files;
}

function propertyName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

/** stripe-node's own rule (utils.pascalToCamelCase, ResourceNamespace). */
function camelCase(name: string): string {
  return name === 'OAuth' ? 'oauth' : name.charAt(0).toLowerCase() + name.slice(1);
}

function literalText(node: ts.Expression): string | undefined {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)
    ? node.text
    : undefined;
}

function checkedVerb(file: string, node: ts.Node, verb: string | undefined): HttpVerb {
  if (verb === undefined || !VERBS.has(verb)) {
    fail(file, node, `HTTP verb ${verb === undefined ? 'is not a literal' : `"${verb}"`}`);
  }
  return verb as HttpVerb;
}

function checkedPath(file: string, node: ts.Node, path: string): string {
  if (!/^\/(v1|v2|oauth)\//.test(path)) fail(file, node, `unexpected URL path "${path}"`);
  return path;
}

/**
 * One method from the requests its body makes: `accounts.retrieve` asks for `/v1/accounts/{id}`
 * or, without an id, `/v1/account`. Requests with different verbs would be two kinds of call.
 */
function oneMethod(
  file: string,
  node: ts.Node,
  accessor: string,
  requests: { verb: HttpVerb; path: string }[],
): StripeMethod {
  const [first, ...others] = requests;
  if (!first) fail(file, node, `${accessor} makes no request`);
  if (others.some((other) => other.verb !== first.verb)) {
    fail(file, node, `${accessor} makes requests with different verbs`);
  }
  const method: StripeMethod = { accessor, verb: first.verb, path: first.path };
  if (others.length > 0) method.alternatePaths = others.map((other) => other.path);
  return method;
}

// ---------------------------------------------------------------------------------------------
// The stripeMethod form (up to v21)

function readStripeMethodCall(
  file: string,
  call: ts.CallExpression,
  basePath: string | undefined,
): { verb: HttpVerb; path: string } {
  const spec = call.arguments[0];
  if (call.arguments.length !== 1 || !spec || !ts.isObjectLiteralExpression(spec)) {
    fail(file, call, 'stripeMethod takes one object literal');
  }
  const fields = new Map<string, ts.Expression>();
  for (const property of spec.properties) {
    if (ts.isPropertyAssignment(property)) {
      const name = propertyName(property.name);
      if (name) fields.set(name, property.initializer);
    }
  }
  const method = fields.get('method');
  const verb = checkedVerb(file, call, method && literalText(method));
  const fullPath = fields.get('fullPath');
  const relative = fields.get('path');
  if (fullPath) {
    const text = literalText(fullPath);
    if (text === undefined) fail(file, fullPath, 'fullPath is not a literal');
    return { verb, path: checkedPath(file, call, text) };
  }
  // OAuth's methods give a path relative to the resource's literal basePath ('/').
  const text = relative && literalText(relative);
  if (text === undefined || basePath === undefined) {
    fail(file, call, 'stripeMethod without a literal fullPath (or path under a basePath)');
  }
  return { verb, path: checkedPath(file, call, posix.join(basePath, text)) };
}

function isStripeMethodCall(node: ts.Node): node is ts.CallExpression {
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression)
    ? node.expression.text === 'stripeMethod'
    : false;
}

function stripeMethodCallsIn(node: ts.Node): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  const visit = (child: ts.Node): void => {
    if (isStripeMethodCall(child)) calls.push(child);
    ts.forEachChild(child, visit);
  };
  visit(node);
  return calls;
}

/** The object literal of `exports.Name = StripeResource_js_1.StripeResource.extend({…})`. */
function extendedObject(source: ts.SourceFile, exportName: string): ts.ObjectLiteralExpression {
  for (const statement of source.statements) {
    if (!ts.isExpressionStatement(statement)) continue;
    const expression = statement.expression;
    if (
      ts.isBinaryExpression(expression) &&
      expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(expression.left) &&
      expression.left.name.text === exportName &&
      ts.isCallExpression(expression.right) &&
      ts.isPropertyAccessExpression(expression.right.expression) &&
      expression.right.expression.name.text === 'extend'
    ) {
      const object = expression.right.arguments[0];
      if (object && ts.isObjectLiteralExpression(object)) return object;
    }
  }
  return fail(source.fileName, undefined, `no StripeResource.extend({…}) for ${exportName}`);
}

function readExtendedResource(
  read: PackageReader,
  file: string,
  exportName: string,
  accessor: string,
  methods: StripeMethod[],
): void {
  const source = parse(read, file);
  const object = extendedObject(source, exportName);
  let basePath: string | undefined;
  for (const property of object.properties) {
    if (
      ts.isPropertyAssignment(property) &&
      propertyName(property.name) === 'basePath' &&
      literalText(property.initializer) !== undefined
    ) {
      basePath = literalText(property.initializer);
    }
  }
  const imports = requiredFiles(source);
  for (const property of object.properties) {
    const name = property.name && propertyName(property.name);
    if (!name) fail(file, property, 'a member without a plain name');
    if (name === 'constructor') {
      // `this.persons = new Persons_js_1.Persons(...args)`: a resource under this one.
      for (const child of childAssignments(property)) {
        const target = imports.get(child.module);
        if (!target) fail(file, child.node, `${child.module} is not a required file`);
        readExtendedResource(read, target, child.className, `${accessor}.${child.name}`, methods);
      }
      continue;
    }
    const member = `${accessor}.${name}`;
    // v21's event helper builds a stripeMethod for a URL known only at run time.
    if (MEMBERS_WITHOUT_REQUEST[member] !== undefined) continue;
    const calls = stripeMethodCallsIn(property);
    if (calls.length === 0) {
      fail(file, property, `${member} is neither a stripeMethod nor a known member`);
    }
    methods.push(
      oneMethod(
        file,
        property,
        member,
        calls.map((call) => readStripeMethodCall(file, call, basePath)),
      ),
    );
  }
}

/** `{ Secrets: Secrets_js_1.Secrets, Nested: resourceNamespace('n', {…}) }` */
function readNamespaceObject(
  read: PackageReader,
  imports: Map<string, string>,
  object: ts.ObjectLiteralExpression,
  prefix: string,
  methods: StripeMethod[],
): void {
  for (const property of object.properties) {
    const name = property.name && propertyName(property.name);
    if (!name || !ts.isPropertyAssignment(property)) {
      fail(object.getSourceFile().fileName, property, 'unexpected namespace member');
    }
    readResourceExpression(
      read,
      imports,
      property.initializer,
      `${prefix}${camelCase(name)}`,
      methods,
    );
  }
}

function readResourceExpression(
  read: PackageReader,
  imports: Map<string, string>,
  expression: ts.Expression,
  accessor: string,
  methods: StripeMethod[],
): void {
  const file = expression.getSourceFile().fileName;
  if (ts.isPropertyAccessExpression(expression) && ts.isIdentifier(expression.expression)) {
    const target = imports.get(expression.expression.text);
    if (!target) fail(file, expression, `${expression.expression.text} is not a required file`);
    readExtendedResource(read, target, expression.name.text, accessor, methods);
    return;
  }
  if (ts.isCallExpression(expression)) {
    const callee = expression.expression;
    const calleeName = ts.isPropertyAccessExpression(callee)
      ? callee.name.text
      : ts.isParenthesizedExpression(callee) &&
          ts.isBinaryExpression(callee.expression) &&
          ts.isPropertyAccessExpression(callee.expression.right)
        ? callee.expression.right.name.text
        : undefined;
    const members = expression.arguments[1];
    if (calleeName === 'resourceNamespace' && members && ts.isObjectLiteralExpression(members)) {
      readNamespaceObject(read, imports, members, `${accessor}.`, methods);
      return;
    }
  }
  fail(file, expression, `unknown resource form for ${accessor}`);
}

function definedExport(
  expression: ts.Expression,
): { name: string; value: ts.Expression } | undefined {
  if (
    !ts.isCallExpression(expression) ||
    !ts.isPropertyAccessExpression(expression.expression) ||
    expression.expression.name.text !== 'defineProperty'
  ) {
    return undefined;
  }
  const [target, name, descriptor] = expression.arguments;
  if (
    !target ||
    !ts.isIdentifier(target) ||
    target.text !== 'exports' ||
    !name ||
    !ts.isStringLiteral(name) ||
    name.text === '__esModule'
  ) {
    return undefined;
  }
  if (!descriptor || !ts.isObjectLiteralExpression(descriptor)) return undefined;
  for (const property of descriptor.properties) {
    if (!ts.isPropertyAssignment(property) || propertyName(property.name) !== 'get') continue;
    const getter = property.initializer;
    if (!ts.isFunctionExpression(getter) && !ts.isArrowFunction(getter)) continue;
    const body = getter.body;
    const returned =
      ts.isBlock(body) &&
      body.statements.length === 1 &&
      body.statements[0] &&
      ts.isReturnStatement(body.statements[0])
        ? body.statements[0].expression
        : ts.isBlock(body)
          ? undefined
          : body;
    if (returned) return { name: name.text, value: returned };
  }
  return undefined;
}

function readStripeMethodForm(
  read: PackageReader,
): Pick<StripePackageMethods, 'methods' | 'aliases'> {
  const source = parse(read, 'cjs/resources.js');
  const imports = requiredFiles(source);
  const methods: StripeMethod[] = [];
  const used = new Set<string>();
  const note = (expression: ts.Node): void => {
    const visit = (child: ts.Node): void => {
      if (ts.isIdentifier(child) && imports.has(child.text)) used.add(child.text);
      ts.forEachChild(child, visit);
    };
    visit(expression);
  };
  for (const statement of source.statements) {
    if (!ts.isExpressionStatement(statement)) continue;
    const expression = statement.expression;
    // Object.defineProperty(exports, "Name", { enumerable: true, get: function () { return V.Name; } })
    const getter = definedExport(expression);
    if (getter) {
      note(getter.value);
      readResourceExpression(read, imports, getter.value, camelCase(getter.name), methods);
      continue;
    }
    if (
      !ts.isBinaryExpression(expression) ||
      expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken ||
      !ts.isPropertyAccessExpression(expression.left) ||
      !ts.isIdentifier(expression.left.expression) ||
      expression.left.expression.text !== 'exports'
    ) {
      continue;
    }
    // `exports.A = exports.B = … = void 0` is the CommonJS preamble.
    if (ts.isBinaryExpression(expression.right) || ts.isVoidExpression(expression.right)) continue;
    note(expression.right);
    readResourceExpression(
      read,
      imports,
      expression.right,
      camelCase(expression.left.name.text),
      methods,
    );
  }
  for (const [variable, file] of imports) {
    if (file.startsWith('cjs/resources/') && !used.has(variable)) {
      fail('cjs/resources.js', undefined, `${file} is required but exported in no form known`);
    }
  }
  if (methods.length === 0) fail('cjs/resources.js', undefined, 'no resources found');
  return { methods, aliases: {} };
}

// ---------------------------------------------------------------------------------------------
// The _makeRequest form (v22 and later)

function isThisMember(node: ts.Expression): node is ts.PropertyAccessExpression {
  return ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword;
}

/** `this.name = new X_js_1.Class(this | stripe)` assignments anywhere under `node`. */
function childAssignments(
  node: ts.Node,
): { name: string; module: string; className: string; node: ts.Node }[] {
  const children: { name: string; module: string; className: string; node: ts.Node }[] = [];
  const visit = (child: ts.Node): void => {
    if (
      ts.isBinaryExpression(child) &&
      child.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      isThisMember(child.left) &&
      ts.isNewExpression(child.right) &&
      ts.isPropertyAccessExpression(child.right.expression) &&
      ts.isIdentifier(child.right.expression.expression)
    ) {
      children.push({
        name: child.left.name.text,
        module: child.right.expression.expression.text,
        className: child.right.expression.name.text,
        node: child,
      });
    }
    ts.forEachChild(child, visit);
  };
  visit(node);
  return children;
}

function makeRequestCallsIn(node: ts.Node): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  const visit = (child: ts.Node): void => {
    if (
      ts.isCallExpression(child) &&
      ts.isPropertyAccessExpression(child.expression) &&
      child.expression.expression.kind === ts.SyntaxKind.ThisKeyword &&
      /^_makeRequest/.test(child.expression.name.text)
    ) {
      calls.push(child);
    }
    ts.forEachChild(child, visit);
  };
  visit(node);
  return calls;
}

/** `${encodeURIComponent(customer)}` (v22.1+) or `${customer}` (v22.0) → `customer` */
function placeholderName(file: string, expression: ts.Expression): string {
  if (ts.isIdentifier(expression)) return expression.text;
  if (
    ts.isCallExpression(expression) &&
    ts.isIdentifier(expression.expression) &&
    expression.expression.text === 'encodeURIComponent' &&
    expression.arguments.length === 1 &&
    expression.arguments[0] &&
    ts.isIdentifier(expression.arguments[0])
  ) {
    return expression.arguments[0].text;
  }
  return fail(file, expression, 'URL path placeholder is not a parameter');
}

/** `/v1/customers/${encodeURIComponent(customer)}/sources` → `/v1/customers/{customer}/sources` */
function templatePath(file: string, node: ts.Expression): string {
  const literal = literalText(node);
  if (literal !== undefined) return literal;
  if (!ts.isTemplateExpression(node)) fail(file, node, 'URL path is not a literal or template');
  let path = node.head.text;
  for (const span of node.templateSpans) {
    path += `{${placeholderName(file, span.expression)}}${span.literal.text}`;
  }
  return path;
}

function readClass(
  read: PackageReader,
  file: string,
  className: string,
  accessor: string,
  methods: StripeMethod[],
  seen: Set<string>,
): void {
  const source = parse(read, file);
  const declaration = source.statements.find(
    (statement): statement is ts.ClassDeclaration =>
      ts.isClassDeclaration(statement) && statement.name?.text === className,
  );
  if (!declaration) fail(file, undefined, `class ${className} not found`);
  const imports = requiredFiles(source);
  for (const member of declaration.members) {
    if (ts.isConstructorDeclaration(member)) {
      for (const child of childAssignments(member)) {
        const target = imports.get(child.module);
        if (!target) fail(file, child.node, `${child.module} is not a required file`);
        readClass(read, target, child.className, `${accessor}.${child.name}`, methods, seen);
      }
      continue;
    }
    if (!ts.isMethodDeclaration(member)) fail(file, member, `unexpected member in ${className}`);
    const name = propertyName(member.name);
    if (!name) fail(file, member, 'a method without a plain name');
    const qualified = `${accessor}.${name}`;
    if (MEMBERS_WITHOUT_REQUEST[qualified] !== undefined) continue;
    const calls = makeRequestCallsIn(member);
    if (calls.length === 0) {
      fail(file, member, `${qualified} makes no _makeRequest call and is not a known member`);
    }
    const requests = calls.map((call) => {
      const expression = call.expression as ts.PropertyAccessExpression;
      if (expression.name.text !== '_makeRequest') {
        fail(file, call, `unknown request helper ${expression.name.text}`);
      }
      const [verbNode, pathNode] = call.arguments;
      if (!verbNode || !pathNode) fail(file, call, '_makeRequest without verb and path');
      const verb = checkedVerb(file, call, literalText(verbNode));
      return { verb, path: checkedPath(file, call, templatePath(file, pathNode)) };
    });
    if (seen.has(qualified)) fail(file, member, `${qualified} is declared twice`);
    seen.add(qualified);
    methods.push({
      ...oneMethod(file, member, qualified, requests),
      declaredIn: { file, className },
    });
  }
}

/** A namespace generated without members yet (`class Reserve {}`): it declares no method. */
function isEmptyModule(read: PackageReader, file: string): boolean {
  const classes = parse(read, file).statements.filter(ts.isClassDeclaration);
  return classes.length > 0 && classes.every((declaration) => declaration.members.length === 0);
}

function readMakeRequestForm(
  read: PackageReader,
): Pick<StripePackageMethods, 'methods' | 'aliases'> {
  const file = 'cjs/stripe.core.js';
  const source = parse(read, file);
  const imports = requiredFiles(source);
  const methods: StripeMethod[] = [];
  const seen = new Set<string>();
  const accessors = new Set<string>();
  const used = new Set<string>();
  for (const child of childAssignments(source)) {
    const target = imports.get(child.module);
    if (!target?.startsWith('cjs/resources/')) continue;
    used.add(child.module);
    accessors.add(child.name);
    readClass(read, target, child.className, child.name, methods, seen);
  }
  for (const [variable, target] of imports) {
    if (
      target.startsWith('cjs/resources/') &&
      !used.has(variable) &&
      !isEmptyModule(read, target)
    ) {
      fail(file, undefined, `${target} is required but assigned in no form known`);
    }
  }
  if (methods.length === 0) fail(file, undefined, 'no resources found');
  // `this.account = this.accounts`: an older name kept for compatibility.
  const aliases: Record<string, string> = {};
  const visit = (node: ts.Node): void => {
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      isThisMember(node.left) &&
      isThisMember(node.right) &&
      accessors.has(node.right.name.text)
    ) {
      aliases[node.left.name.text] = node.right.name.text;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { methods, aliases };
}

// ---------------------------------------------------------------------------------------------

/**
 * The methods of a stripe package. The form is chosen by the major version, and the reader of that
 * form accepts only the exact shapes it knows: an unknown major version or shape throws.
 */
export function readStripePackage(read: PackageReader): StripePackageMethods {
  const manifest = read('package.json');
  if (manifest === undefined) throw new UnknownStripeFormError('package.json is missing');
  const { name, version } = JSON.parse(manifest) as { name?: unknown; version?: unknown };
  if (name !== 'stripe' || typeof version !== 'string') {
    throw new UnknownStripeFormError('not the stripe package');
  }
  const major = Number(/^(\d+)\./.exec(version)?.[1]);
  if (major >= 13 && major <= 21) {
    return { version, form: 'stripeMethod', ...readStripeMethodForm(read) };
  }
  if (major >= 22 && major <= 23) {
    return { version, form: '_makeRequest', ...readMakeRequestForm(read) };
  }
  throw new UnknownStripeFormError(
    `stripe ${version}: only the forms of stripe 13–21 (stripeMethod) and 22–23 (_makeRequest) are known; read its cjs/ build and extend scripts/stripeMethods.ts`,
  );
}
