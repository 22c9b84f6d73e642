import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver-types';
import type { ValuePath } from './edits';
import { parseJsonManifest } from './json/jsonManifest';
import { isManifestFileName, manifestFileOf } from './manifestFileNames';
import { parseYamlManifest } from './yaml/yamlManifest';

/*
 * The model every feature reads: one object per document version, built by a format adapter
 * (json/jsonManifest.ts for v1 `stripe-app.json`, yaml/yamlManifest.ts for v2 `stripe-app.yaml`)
 * from one parse. It is format-neutral: values with their spans in the
 * text, the manifest's kind, and its permission lists with their entries. Nothing else parses
 * the text again; the edit port (edits.ts) writes changes by path.
 */

/** `stripe-app.json` is a base manifest; `stripe-app.<name>.json` a local one that `extends` it. */
export type ManifestKind = 'base' | 'local';

/** v1: `stripe-app.json` (and local manifests); v2: `stripe-app.yaml`. */
export type ManifestFormat = 'json' | 'yaml';

export type ValueType = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

/** A value in the text: its span, its type and, for a scalar, its value. */
export interface ValueSpan {
  readonly type: ValueType;
  readonly offset: number;
  readonly length: number;
  readonly value?: string | number | boolean | null;
  /** An object's properties, in document order (repeated keys included). */
  readonly properties?: readonly PropertySpan[];
  /** An array's items. */
  readonly items?: readonly ValueSpan[];
  /** A string whose line breaks are layout (a YAML `|` or `>` block scalar). */
  readonly block?: boolean;
}

/** One `key: value` of an object: its key's span and its value (missing after an error). */
export interface PropertySpan {
  readonly key: string;
  readonly keyOffset: number;
  readonly keyLength: number;
  /** The offset of the `:` after the key, when there is one. */
  readonly colonOffset?: number;
  readonly value?: ValueSpan;
}

/** A syntax error of the format, with a message in words. */
export interface SyntaxProblem {
  readonly message: string;
  /** The parser's own name for it (`InvalidSymbol`), kept in the diagnostic's data. */
  readonly code: string;
  readonly offset: number;
  readonly length: number;
}

export interface PurposeText {
  /** The string value holding the text. */
  readonly node: ValueSpan;
  readonly text: string;
  /** The locale key when `purpose` is a locale map (`{"en-US": "…"}`). */
  readonly locale?: string;
}

/** One item of a permission list, whatever its shape. */
export interface PermissionEntry {
  readonly index: number;
  /** The item itself. */
  readonly node: ValueSpan;
  readonly isObject: boolean;
  /** The `permission` property; the last one when the key is repeated (as JSON.parse). */
  readonly permissionProperty?: PropertySpan;
  readonly permissionValue?: ValueSpan;
  /** The permission name when its value is a string (as written, not trimmed). */
  readonly name?: string;
  readonly purposeProperty?: PropertySpan;
  readonly purposeValue?: ValueSpan;
  /** The purpose as a string, or each string of a locale map. */
  readonly purposeTexts: readonly PurposeText[];
  /** Every property of the entry, in document order. */
  readonly properties: readonly PropertySpan[];
  /** Where the entry is, for the edit port. */
  readonly path: ValuePath;
}

/** A permission list of the manifest and where it lives. */
export interface PermissionList {
  /**
   * The path of the list's value: v1 `["permissions"]`; v2
   * `["declarations", "stripe_api_access", "permissions"]` and `["extensions", i, "permissions"]`.
   */
  readonly path: ValuePath;
  /** The app's own list, or an extension's (v2). */
  readonly scope: 'app' | 'extension';
  /** How to name the list to a user: `permissions`, or `extension "id"`. */
  readonly label: string;
  /** The property holding the list (the last one when repeated). */
  readonly property: PropertySpan;
  /** The list's value when it is an array. */
  readonly array?: ValueSpan;
  readonly entries: readonly PermissionEntry[];
  /** Entries by trimmed permission name, in document order. */
  readonly granted: ReadonlyMap<string, readonly PermissionEntry[]>;
}

export type AnalysisLimit =
  | { readonly reason: 'too-large'; readonly size: number; readonly limit: number }
  | { readonly reason: 'too-deep'; readonly limit: number };

/**
 * Arrays and objects nested deeper than this are not analysed. Real manifests nest about six
 * levels; parsers and tree walks recurse once or more per level, so a fixed limit far below the
 * stack's keeps each of them safe wherever it is called from.
 */
export const MAX_NESTING_DEPTH = 512;

/** A manifest parsed once per document version; every feature is a function of it. */
export interface ManifestDocument {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  readonly format: ManifestFormat;
  readonly kind: ManifestKind;
  /** The top-level value; undefined for an empty text. */
  readonly root: ValueSpan | undefined;
  /** The top-level keys, in document order (when the top-level value is an object). */
  readonly rootProperties: readonly PropertySpan[];
  readonly syntaxErrors: readonly SyntaxProblem[];
  /** Set when the text was not analysed at all (too large, nested too deeply). */
  readonly limit?: AnalysisLimit;
  /** Every permission list, the app's first. */
  readonly lists: readonly PermissionList[];
  /** The app's own list, which grant and revoke edit (v1: the top-level `permissions`). */
  readonly appList?: PermissionList;
  /** The app list's property, value, entries and names (empty without an app list). */
  readonly permissionsProperty?: PropertySpan;
  readonly permissionsArray?: ValueSpan;
  readonly entries: readonly PermissionEntry[];
  readonly granted: ReadonlyMap<string, readonly PermissionEntry[]>;
  /** The app's `name`, for suggested purposes. */
  readonly appName?: string;
  /** The `extends` value of a local manifest. */
  readonly extends?: string;
}

// ---------------------------------------------------------------------------------------------
// Manifest files: defined once in manifestFileNames.ts (the client, package.json and the CLI too)

export { isManifestFileName };

/** The format of a manifest by its file name: YAML for stripe-app.yaml, else JSON. */
export function manifestFormat(uri: string): ManifestFormat {
  return manifestFileOf(safeDecode(uri.split(/[?#]/)[0] ?? uri))?.format ?? 'json';
}

// ---------------------------------------------------------------------------------------------
// The model

const NO_ENTRIES: readonly PermissionEntry[] = [];
const NO_TEXTS: readonly PurposeText[] = [];
const NO_NAMES: ReadonlyMap<string, readonly PermissionEntry[]> = new Map();

/** The model of a document version (texts longer than `maxDocumentSize` are not analysed). */
export function parseManifest(document: TextDocument, maxDocumentSize: number): ManifestDocument {
  const { uri, version } = document;
  const text = document.getText();
  const file = manifestFileOf(safeDecode(uri.split(/[?#]/)[0] ?? uri));
  const format = file?.format ?? 'json';
  const limit: AnalysisLimit | undefined =
    text.length > maxDocumentSize
      ? { reason: 'too-large', size: text.length, limit: maxDocumentSize }
      : undefined;
  const parsed = limit
    ? undefined
    : format === 'yaml'
      ? parseYamlManifest(text, MAX_NESTING_DEPTH)
      : parseJsonManifest(text, MAX_NESTING_DEPTH);
  if (!parsed || parsed.tooDeep) {
    return {
      uri,
      version,
      text,
      format,
      kind: file?.format === 'json' ? file.kind : 'base',
      root: undefined,
      rootProperties: [],
      syntaxErrors: [],
      limit: limit ?? { reason: 'too-deep', limit: MAX_NESTING_DEPTH },
      lists: [],
      entries: NO_ENTRIES,
      granted: NO_NAMES,
    };
  }
  const root = parsed.root;
  const rootProperties = root?.type === 'object' ? (root.properties ?? []) : [];
  const lists = format === 'yaml' ? v2Lists(rootProperties) : v1Lists(rootProperties);
  const appList = lists.find((list) => list.scope === 'app');
  const hasExtends = lastProperty(rootProperties, 'extends') !== undefined;
  // One literal of one shape; what a manifest lacks is undefined.
  return {
    uri,
    version,
    text,
    format,
    kind: file?.format === 'json' ? file.kind : hasExtends ? 'local' : 'base',
    root,
    rootProperties,
    syntaxErrors: parsed.problems,
    limit: undefined,
    lists,
    appList,
    permissionsProperty: appList?.property,
    permissionsArray: appList?.array,
    entries: appList?.entries ?? NO_ENTRIES,
    granted: appList?.granted ?? NO_NAMES,
    appName: stringValue(rootProperties, 'name'),
    extends: stringValue(rootProperties, 'extends'),
  };
}

function v1Lists(rootProperties: readonly PropertySpan[]): PermissionList[] {
  const permissions = lastProperty(rootProperties, 'permissions');
  return permissions ? [permissionList(['permissions'], permissions, 'app', 'permissions')] : [];
}

/** v2: `declarations.stripe_api_access.permissions`, then each extension's `permissions`. */
function v2Lists(rootProperties: readonly PropertySpan[]): PermissionList[] {
  const lists: PermissionList[] = [];
  const declarations = lastProperty(rootProperties, 'declarations')?.value;
  const access = lastProperty(declarations?.properties ?? [], 'stripe_api_access')?.value;
  const app = lastProperty(access?.properties ?? [], 'permissions');
  if (app) {
    const path = ['declarations', 'stripe_api_access', 'permissions'];
    lists.push(permissionList(path, app, 'app', 'permissions'));
  }
  const extensions = lastProperty(rootProperties, 'extensions')?.value;
  for (const [index, extension] of (extensions?.items ?? []).entries()) {
    const properties = extension.properties ?? [];
    const permissions = lastProperty(properties, 'permissions');
    if (!permissions) continue;
    const id = stringValue(properties, 'id');
    const label = id !== undefined ? `extension "${id}"` : `extension ${index + 1}`;
    lists.push(
      permissionList(['extensions', index, 'permissions'], permissions, 'extension', label),
    );
  }
  return lists;
}

function permissionList(
  path: ValuePath,
  property: PropertySpan,
  scope: PermissionList['scope'],
  label: string,
): PermissionList {
  const array = property.value?.type === 'array' ? property.value : undefined;
  const entries = (array?.items ?? []).map((item, index) =>
    permissionEntry(item, index, [...path, index]),
  );
  const granted = new Map<string, PermissionEntry[]>();
  for (const entry of entries) {
    const name = entry.name?.trim();
    if (!name) continue;
    const list = granted.get(name);
    if (list) list.push(entry);
    else granted.set(name, [entry]);
  }
  return { path, scope, label, property, entries, granted, array };
}

function permissionEntry(node: ValueSpan, index: number, path: ValuePath): PermissionEntry {
  const properties = node.type === 'object' ? (node.properties ?? []) : [];
  const permissionProperty = lastProperty(properties, 'permission');
  const purposeProperty = lastProperty(properties, 'purpose');
  const permissionValue = permissionProperty?.value;
  const purposeValue = purposeProperty?.value;
  // One literal of one shape for every entry: absent parts are undefined.
  return {
    index,
    node,
    isObject: node.type === 'object',
    properties,
    path,
    purposeTexts: purposeValue ? purposeTexts(purposeValue) : NO_TEXTS,
    permissionProperty,
    permissionValue,
    name: permissionValue?.type === 'string' ? String(permissionValue.value) : undefined,
    purposeProperty,
    purposeValue,
  };
}

/** The purpose as a string, or each string of a locale map (`{"en-US": "…"}`). */
function purposeTexts(value: ValueSpan): readonly PurposeText[] {
  if (value.type === 'string') return [{ node: value, text: textOf(value) }];
  const texts: PurposeText[] = [];
  for (const property of value.type === 'object' ? (value.properties ?? []) : []) {
    const localized = property.value;
    if (localized?.type === 'string') {
      texts.push({ node: localized, text: textOf(localized), locale: property.key });
    }
  }
  return texts;
}

/** A string's text; a block scalar's line breaks (and its final one) are layout: spaces. */
function textOf(value: ValueSpan): string {
  const text = String(value.value);
  return value.block ? text.replace(/[ \t]*(?:\r\n|\r|\n)[ \t]*/g, ' ').trim() : text;
}

// ---------------------------------------------------------------------------------------------
// Look-ups

/** The range a span (a node, or its first `length` characters) covers in the document. */
export function nodeRange(
  document: TextDocument,
  node: { readonly offset: number; readonly length: number },
  length = node.length,
): Range {
  return {
    start: document.positionAt(node.offset),
    end: document.positionAt(node.offset + length),
  };
}

/** The span of a property from its key to the end of its value (or of its key). */
export function propertySpan(property: PropertySpan): { offset: number; length: number } {
  const end = property.value
    ? property.value.offset + property.value.length
    : property.keyOffset + property.keyLength;
  return { offset: property.keyOffset, length: end - property.keyOffset };
}

/** The span of a property's key. */
export function keySpan(property: PropertySpan): { offset: number; length: number } {
  return { offset: property.keyOffset, length: property.keyLength };
}

/** The last property with this key (as JSON.parse keeps it). */
export function lastProperty(
  properties: readonly PropertySpan[],
  key: string,
): PropertySpan | undefined {
  for (let i = properties.length - 1; i >= 0; i--) {
    const property = properties[i];
    if (property?.key === key) return property;
  }
  return undefined;
}

/**
 * Where an offset falls: `cursor`, a caret between characters, is inside an element after its
 * first character up to just after its last (the cursor right after `}` is still at that entry);
 * `character`, the character at the offset (a diagnostic's start), from the first to the last.
 */
export type OffsetEdge = 'cursor' | 'character';

/** Whether `span` holds the character at `offset`. */
export function containsOffset(
  span: { readonly offset: number; readonly length: number },
  offset: number,
): boolean {
  return offset >= span.offset && offset < span.offset + span.length;
}

/**
 * The entry whose element holds `offset`, in any permission list (v2 has the app's and one per
 * extension), by binary search in each: a list's entries are in document order.
 */
export function entryAtOffset(
  manifest: ManifestDocument,
  offset: number,
  edge: OffsetEdge = 'cursor',
): PermissionEntry | undefined {
  // A malformed position gives NaN, which every comparison below would let through.
  if (!Number.isFinite(offset)) return undefined;
  for (const list of manifest.lists) {
    const found = entryInList(list.entries, offset, edge);
    if (found) return found;
  }
  return undefined;
}

function entryInList(
  entries: readonly PermissionEntry[],
  offset: number,
  edge: OffsetEdge,
): PermissionEntry | undefined {
  // A cursor is at an element from one past its start; a character, from its start.
  const at = edge === 'cursor' ? offset - 1 : offset;
  let low = 0;
  let high = entries.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const entry = entries[middle];
    if (!entry) return undefined;
    if (at < entry.node.offset) high = middle - 1;
    else if (!containsOffset(entry.node, at)) low = middle + 1;
    else return entry;
  }
  return undefined;
}

/** The list an entry belongs to (its names are the ones granted "with" it). */
export function listOfEntry(
  manifest: ManifestDocument,
  entry: PermissionEntry,
): PermissionList | undefined {
  return manifest.lists.find((list) => list.entries[entry.index] === entry);
}

/** The names granted in an entry's own list (duplicates and implied names are per list). */
export function grantedWith(
  manifest: ManifestDocument,
  entry: PermissionEntry,
): ReadonlyMap<string, readonly PermissionEntry[]> {
  return listOfEntry(manifest, entry)?.granted ?? manifest.granted;
}

/** The list whose key holds `offset` (the character at it). */
export function listAtKey(manifest: ManifestDocument, offset: number): PermissionList | undefined {
  return manifest.lists.find((list) => containsOffset(keySpan(list.property), offset));
}

function stringValue(properties: readonly PropertySpan[], key: string): string | undefined {
  const value = lastProperty(properties, key)?.value;
  return value?.type === 'string' ? String(value.value) : undefined;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
