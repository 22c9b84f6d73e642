/**
 * Reads, from a `stripe` package's type declarations (the `_makeRequest` form ships one `.d.ts`
 * per resource), what each method returns and which fields of each API object are expandable, so
 * that `expand: ['data.product', 'latest_invoice.payment_intent']` can be checked: an expanded
 * object needs its own permission.
 *
 * An expandable field is typed as an id or the object: `customer: string | Customer | null`.
 * Objects are named by their `object` literal (`object: 'customer'`), as the API names them.
 */
import { join } from 'node:path';
import ts from 'typescript';
import type { StripeMethod } from './stripeMethods';

export interface MethodResult {
  /** API object types (`customer`, `apps.secret`) the method returns. */
  objects: string[];
  /** A list or search page: expand paths start with `data.`. */
  list: boolean;
}

export interface StripeObjectTypes {
  /** accessor → what it returns, for the methods whose types name API objects. */
  returns: Record<string, MethodResult>;
  /**
   * object type → expandable field path → object types it expands to. Paths go through nested
   * structures (`invoice_settings.default_payment_method`).
   */
  expandable: Record<string, Record<string, string[]>>;
}

const PASS_THROUGH = new Set(['Promise', 'Response']);
const LISTS = new Set(['ApiListPromise', 'ApiSearchResultPromise', 'ApiList', 'ApiSearchResult']);
const ARRAYS = new Set(['Array', 'ReadonlyArray']);
const MAX_NESTING = 4;

interface Resolved {
  objects: string[];
  nested: ts.InterfaceDeclaration[];
  list: boolean;
  includesString: boolean;
}

function objectLiteralName(declaration: ts.InterfaceDeclaration): string | undefined {
  for (const member of declaration.members) {
    if (
      ts.isPropertySignature(member) &&
      ts.isIdentifier(member.name) &&
      member.name.text === 'object' &&
      member.type &&
      ts.isLiteralTypeNode(member.type) &&
      ts.isStringLiteral(member.type.literal)
    ) {
      return member.type.literal.text;
    }
  }
  return undefined;
}

export function readObjectTypes(
  packageRoot: string,
  methods: readonly StripeMethod[],
): StripeObjectTypes {
  const declarationFiles = [
    ...new Set(
      methods.flatMap((method) =>
        method.declaredIn
          ? [join(packageRoot, method.declaredIn.file.replace(/\.js$/, '.d.ts'))]
          : [],
      ),
    ),
  ];
  const program = ts.createProgram(declarationFiles, {
    noEmit: true,
    skipLibCheck: true,
    types: [],
    noLib: true,
    target: ts.ScriptTarget.ES2022,
  });
  const checker = program.getTypeChecker();

  const declarationOf = (name: ts.EntityName): ts.Declaration | undefined => {
    let symbol = checker.getSymbolAtLocation(name);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    return symbol?.declarations?.[0];
  };

  const resolve = (node: ts.TypeNode, depth = 0): Resolved => {
    const result: Resolved = { objects: [], nested: [], list: false, includesString: false };
    const merge = (other: Resolved): void => {
      result.objects.push(...other.objects);
      result.nested.push(...other.nested);
      result.list ||= other.list;
      result.includesString ||= other.includesString;
    };
    if (depth > 8) return result;
    if (node.kind === ts.SyntaxKind.StringKeyword) {
      result.includesString = true;
    } else if (ts.isParenthesizedTypeNode(node)) {
      merge(resolve(node.type, depth + 1));
    } else if (ts.isUnionTypeNode(node)) {
      for (const member of node.types) merge(resolve(member, depth + 1));
    } else if (ts.isArrayTypeNode(node)) {
      merge(resolve(node.elementType, depth + 1));
    } else if (ts.isTypeReferenceNode(node)) {
      const name = ts.isIdentifier(node.typeName) ? node.typeName.text : node.typeName.right.text;
      const argument = node.typeArguments?.[0];
      if ((PASS_THROUGH.has(name) || ARRAYS.has(name)) && argument) {
        merge(resolve(argument, depth + 1));
      } else if (LISTS.has(name) && argument) {
        merge(resolve(argument, depth + 1));
        result.list = true;
      } else {
        const declaration = declarationOf(node.typeName);
        if (declaration && ts.isInterfaceDeclaration(declaration)) {
          const objectName = objectLiteralName(declaration);
          if (objectName) result.objects.push(objectName);
          else result.nested.push(declaration);
        } else if (declaration && ts.isTypeAliasDeclaration(declaration)) {
          merge(resolve(declaration.type, depth + 1));
        }
      }
    }
    return result;
  };

  const returns: Record<string, MethodResult> = {};
  const classes = new Map<string, ts.ClassDeclaration>();
  for (const method of methods) {
    if (!method.declaredIn) continue;
    const file = join(packageRoot, method.declaredIn.file.replace(/\.js$/, '.d.ts'));
    const key = `${file}#${method.declaredIn.className}`;
    let declaration = classes.get(key);
    if (!declaration) {
      declaration = program
        .getSourceFile(file)
        ?.statements.find(
          (statement): statement is ts.ClassDeclaration =>
            ts.isClassDeclaration(statement) &&
            statement.name?.text === method.declaredIn?.className,
        );
      if (!declaration) throw new Error(`${file}: class ${method.declaredIn.className} not found`);
      classes.set(key, declaration);
    }
    const member = method.accessor.slice(method.accessor.lastIndexOf('.') + 1);
    const signature = declaration.members.find(
      (candidate): candidate is ts.MethodDeclaration =>
        ts.isMethodDeclaration(candidate) &&
        ts.isIdentifier(candidate.name) &&
        candidate.name.text === member &&
        candidate.type !== undefined,
    );
    if (!signature?.type) throw new Error(`${file}: ${method.accessor} has no typed declaration`);
    const resolved = resolve(signature.type);
    const objects = [...new Set(resolved.objects)].sort();
    if (objects.length > 0) returns[method.accessor] = { objects, list: resolved.list };
  }

  const expandable: Record<string, Record<string, string[]>> = {};
  const collect = (
    declaration: ts.InterfaceDeclaration,
    prefix: string,
    depth: number,
    into: Record<string, string[]>,
    seen: Set<ts.InterfaceDeclaration>,
  ): void => {
    for (const member of declaration.members) {
      if (!ts.isPropertySignature(member) || !member.type || !ts.isIdentifier(member.name)) {
        continue;
      }
      const path = `${prefix}${member.name.text}`;
      const resolved = resolve(member.type);
      if (resolved.includesString && resolved.objects.length > 0 && !resolved.list) {
        into[path] = [...new Set([...(into[path] ?? []), ...resolved.objects])].sort();
      }
      if (depth < MAX_NESTING) {
        for (const nested of resolved.nested) {
          if (seen.has(nested)) continue;
          seen.add(nested);
          collect(nested, `${path}.`, depth + 1, into, seen);
          seen.delete(nested);
        }
      }
    }
  };
  for (const source of program.getSourceFiles()) {
    if (!source.fileName.startsWith(join(packageRoot, 'cjs', 'resources'))) continue;
    for (const statement of source.statements) {
      if (!ts.isInterfaceDeclaration(statement)) continue;
      const objectName = objectLiteralName(statement);
      if (!objectName) continue;
      const fields = (expandable[objectName] ??= {});
      collect(statement, '', 0, fields, new Set([statement]));
    }
  }
  const sorted = (record: Record<string, string[]>): Record<string, string[]> =>
    Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
  return {
    returns: Object.fromEntries(Object.entries(returns).sort(([a], [b]) => a.localeCompare(b))),
    expandable: Object.fromEntries(
      Object.entries(expandable)
        .filter(([, fields]) => Object.keys(fields).length > 0)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, fields]) => [name, sorted(fields)]),
    ),
  };
}
