import { parseTree, type Node, type ParseError } from 'jsonc-parser';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver-types';

/** `stripe-app.json` is a base manifest; `stripe-app.<name>.json` a local one that `extends` it. */
export type ManifestKind = 'base' | 'local';

export interface PurposeText {
  /** The string node holding the text. */
  readonly node: Node;
  readonly text: string;
  /** The locale key when `purpose` is a locale map (`{"en-US": "…"}`). */
  readonly locale?: string;
}

/** One element of the `permissions` array, whatever its shape. */
export interface PermissionEntry {
  readonly index: number;
  /** The array element itself. */
  readonly node: Node;
  readonly isObject: boolean;
  /** The `"permission": …` property node; the last one when the key is repeated (as JSON.parse). */
  readonly permissionProperty?: Node;
  readonly permissionValue?: Node;
  /** The permission name when its value is a string (as written, not trimmed). */
  readonly name?: string;
  readonly purposeProperty?: Node;
  readonly purposeValue?: Node;
  /** The purpose as a string, or each string of a locale map. */
  readonly purposeTexts: readonly PurposeText[];
  /** Every property node of the entry, in document order. */
  readonly properties: readonly Node[];
}

export type AnalysisLimit =
  | { readonly reason: 'too-large'; readonly size: number; readonly limit: number }
  | { readonly reason: 'too-deep'; readonly limit: number };

/**
 * Arrays and objects nested deeper than this are not analysed. Real manifests nest about six
 * levels; the parser and every tree walk (values, paths, node look-ups) recurse once or more per
 * level, so a fixed limit far below the stack's keeps each of them safe wherever it is called
 * from, instead of relying on the parser alone to overflow first.
 */
export const MAX_NESTING_DEPTH = 512;

/** A manifest parsed once per document version; every feature is a function of it. */
export interface ManifestDocument {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  readonly kind: ManifestKind;
  readonly root: Node | undefined;
  readonly syntaxErrors: readonly ParseError[];
  /** Set when the text was not analysed at all (too large, nested too deeply). */
  readonly limit?: AnalysisLimit;
  /** The top-level `permissions` property node. */
  readonly permissionsProperty?: Node;
  /** The `permissions` value when it is an array. */
  readonly permissionsArray?: Node;
  readonly entries: readonly PermissionEntry[];
  /** Entries by trimmed permission name, in document order. */
  readonly granted: ReadonlyMap<string, readonly PermissionEntry[]>;
  /** The app's `name`, for suggested purposes. */
  readonly appName?: string;
  /** The `extends` value of a local manifest. */
  readonly extends?: string;
}

const LOCAL_MANIFEST = /(?:^|[\\/])stripe-app\.[^\\/]+\.json$/i;
const BASE_MANIFEST = /(?:^|[\\/])stripe-app\.json$/i;

export function manifestKind(uri: string, root: Node | undefined): ManifestKind {
  const path = safeDecode(uri.split(/[?#]/)[0] ?? uri);
  if (BASE_MANIFEST.test(path)) return 'base';
  if (LOCAL_MANIFEST.test(path)) return 'local';
  return root && propertyNode(root, 'extends') ? 'local' : 'base';
}

/** True for the file names this tool is for: stripe-app.json and stripe-app.<name>.json. */
export function isManifestFileName(path: string): boolean {
  return BASE_MANIFEST.test(path) || LOCAL_MANIFEST.test(path);
}

export function parseManifest(document: TextDocument, maxDocumentSize: number): ManifestDocument {
  const text = document.getText();
  const base = { uri: document.uri, version: document.version, text };
  if (text.length > maxDocumentSize) {
    return {
      ...base,
      kind: manifestKind(document.uri, undefined),
      root: undefined,
      syntaxErrors: [],
      limit: { reason: 'too-large', size: text.length, limit: maxDocumentSize },
      entries: [],
      granted: new Map(),
    };
  }
  const tooDeep = (): ManifestDocument => ({
    ...base,
    kind: manifestKind(document.uri, undefined),
    root: undefined,
    syntaxErrors: [],
    limit: { reason: 'too-deep', limit: MAX_NESTING_DEPTH },
    entries: [],
    granted: new Map(),
  });
  const syntaxErrors: ParseError[] = [];
  let root: Node | undefined;
  try {
    // A byte order mark is not JSON, but editors and the CLI drop it: parse it as white space
    // (one character for one, so every offset still matches the document).
    const source = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
    root = parseTree(source, syntaxErrors, { allowTrailingComma: true, disallowComments: false });
  } catch (error) {
    // jsonc-parser recurses per nesting level: absurd nesting overflows its stack.
    if (!(error instanceof RangeError)) throw error;
    return tooDeep();
  }
  // Nesting that the parser survived can still overflow the recursive helpers that features
  // use on the tree (getNodeValue, the edit checks): refuse it, counted without recursion.
  if (root && nestedDeeperThan(root, MAX_NESTING_DEPTH)) return tooDeep();
  const permissionsProperty =
    root?.type === 'object' ? propertyNode(root, 'permissions') : undefined;
  const permissionsValue = permissionsProperty?.children?.[1];
  const permissionsArray = permissionsValue?.type === 'array' ? permissionsValue : undefined;
  const entries = (permissionsArray?.children ?? []).map(readEntry);
  const granted = new Map<string, PermissionEntry[]>();
  for (const entry of entries) {
    const name = entry.name?.trim();
    if (!name) continue;
    const list = granted.get(name);
    if (list) list.push(entry);
    else granted.set(name, [entry]);
  }
  return {
    ...base,
    kind: manifestKind(document.uri, root),
    root,
    syntaxErrors,
    ...(permissionsProperty ? { permissionsProperty } : {}),
    ...(permissionsArray ? { permissionsArray } : {}),
    entries,
    granted,
    ...optionalString('appName', root && stringProperty(root, 'name')),
    ...optionalString('extends', root && stringProperty(root, 'extends')),
  };
}

/** Whether arrays and objects nest deeper than `max` in the parsed tree (no recursion). */
function nestedDeeperThan(root: Node, max: number): boolean {
  // Two parallel stacks instead of an object per node: this walk runs on every parse.
  const nodes: Node[] = [root];
  const depths: number[] = [0];
  for (let node = nodes.pop(); node; node = nodes.pop()) {
    const depth = (depths.pop() ?? 0) + (node.type === 'array' || node.type === 'object' ? 1 : 0);
    if (depth > max) return true;
    const children = node.children;
    if (!children) continue;
    for (const child of children) {
      if (child.children) {
        nodes.push(child);
        depths.push(depth);
      }
    }
  }
  return false;
}

function readEntry(node: Node, index: number): PermissionEntry {
  if (node.type !== 'object') {
    return { index, node, isObject: false, purposeTexts: NO_TEXTS, properties: NO_NODES };
  }
  // Built field by field, not by spreading: this runs once per entry on every parse.
  const properties: Node[] = [];
  let permissionProperty: Node | undefined;
  let purposeProperty: Node | undefined;
  for (const child of node.children ?? NO_NODES) {
    if (child.type !== 'property') continue;
    properties.push(child);
    // The last of a repeated key wins, as JSON.parse keeps it.
    const key = propertyKey(child);
    if (key === 'permission') permissionProperty = child;
    else if (key === 'purpose') purposeProperty = child;
  }
  const entry: Mutable<PermissionEntry> = {
    index,
    node,
    isObject: true,
    properties,
    purposeTexts: NO_TEXTS,
  };
  if (permissionProperty) {
    entry.permissionProperty = permissionProperty;
    const value = permissionProperty.children?.[1];
    if (value) {
      entry.permissionValue = value;
      if (value.type === 'string') entry.name = String(value.value);
    }
  }
  if (purposeProperty) {
    entry.purposeProperty = purposeProperty;
    const value = purposeProperty.children?.[1];
    if (value) {
      entry.purposeValue = value;
      entry.purposeTexts = readPurposeTexts(value);
    }
  }
  return entry;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const NO_NODES: readonly Node[] = [];
const NO_TEXTS: readonly PurposeText[] = [];

function readPurposeTexts(value: Node): readonly PurposeText[] {
  if (value.type === 'string') return [{ node: value, text: String(value.value) }];
  if (value.type !== 'object') return NO_TEXTS;
  const texts: PurposeText[] = [];
  for (const property of value.children ?? []) {
    const [key, localized] = property.children ?? [];
    if (key?.type === 'string' && localized?.type === 'string') {
      texts.push({ node: localized, text: String(localized.value), locale: String(key.value) });
    }
  }
  return texts;
}

/** The property node with this key (the last one when repeated, as JSON.parse keeps it). */
export function propertyNode(object: Node, key: string): Node | undefined {
  return object.type === 'object' ? lastProperty(object.children ?? [], key) : undefined;
}

/** The range a node (or its first `length` characters) covers in the document. */
export function nodeRange(document: TextDocument, node: Node, length = node.length): Range {
  return {
    start: document.positionAt(node.offset),
    end: document.positionAt(node.offset + length),
  };
}

/** The key of a property node. */
export function propertyKey(property: Node): string | undefined {
  const key = property.children?.[0];
  return key?.type === 'string' ? String(key.value) : undefined;
}

function lastProperty(properties: readonly Node[], key: string): Node | undefined {
  let found: Node | undefined;
  for (const property of properties) {
    if (property.type === 'property' && propertyKey(property) === key) found = property;
  }
  return found;
}

function stringProperty(object: Node, key: string): string | undefined {
  const value = propertyNode(object, key)?.children?.[1];
  return value?.type === 'string' ? String(value.value) : undefined;
}

function optionalString<K extends string>(
  key: K,
  value: string | undefined,
): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
