import {
  parseTree,
  visit,
  type JSONVisitor,
  type Node,
  type NodeType,
  type ParseError,
} from 'jsonc-parser';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver-types';

/*
 * The model every feature reads: one scan of the text per document version (jsonc-parser
 * `visit`), keeping only what the features need: the top-level keys, and for each permission
 * entry its keys, value spans, name and purpose texts. It holds no syntax tree: a jsonc-parser
 * tree of a 10 000-entry manifest is about 12 MB and, built on every keystroke, makes V8 grow its
 * young generation; the entries here are a few small objects each. The edit features (grant,
 * revoke, quick fixes, sort) need the tree; `syntax()` builds it on first use, once per version.
 */

/** `stripe-app.json` is a base manifest; `stripe-app.<name>.json` a local one that `extends` it. */
export type ManifestKind = 'base' | 'local';

/** Where a value is in the text, its JSON type and, for a string, number, boolean or null, its value. */
export interface ValueSpan {
  readonly type: NodeType;
  readonly offset: number;
  readonly length: number;
  readonly value?: unknown;
  /** The properties of an object that is the value of an entry's property (a locale map). */
  readonly properties?: readonly PropertySpan[];
}

/** One `"key": value` of an object: its key's span and its value (missing after an error). */
export interface PropertySpan {
  readonly key: string;
  readonly keyOffset: number;
  readonly keyLength: number;
  /** The offset of the `:` after the key, when there is one. */
  readonly colonOffset?: number;
  readonly value?: ValueSpan;
}

export interface PurposeText {
  /** The string value holding the text. */
  readonly node: ValueSpan;
  readonly text: string;
  /** The locale key when `purpose` is a locale map (`{"en-US": "…"}`). */
  readonly locale?: string;
}

/** One element of the `permissions` array, whatever its shape. */
export interface PermissionEntry {
  readonly index: number;
  /** The array element itself. */
  readonly node: ValueSpan;
  readonly isObject: boolean;
  /** The `"permission": …` property; the last one when the key is repeated (as JSON.parse). */
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

/** The jsonc-parser tree of a version, for the features that edit it. */
export interface ManifestSyntax {
  readonly root: Node | undefined;
  /** The top-level `permissions` property node (the last one when repeated). */
  readonly permissionsProperty?: Node;
  /** The `permissions` value when it is an array. */
  readonly permissionsArray?: Node;
  /** The entries' nodes, index for index with `ManifestDocument.entries`. */
  readonly entries: readonly EntrySyntax[];
}

/** The nodes of one permission entry. */
export interface EntrySyntax {
  readonly index: number;
  readonly node: Node;
  readonly permissionProperty?: Node;
  readonly permissionValue?: Node;
  readonly purposeProperty?: Node;
  readonly purposeValue?: Node;
  /** Every property node of the entry, in document order. */
  readonly properties: readonly Node[];
  /** The string nodes of the purpose texts, index for index with `PermissionEntry.purposeTexts`. */
  readonly purposeNodes: readonly Node[];
}

/** A manifest scanned once per document version; every feature is a function of it. */
export interface ManifestDocument {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  readonly kind: ManifestKind;
  /** The top-level value (its span and type); undefined for an empty text. */
  readonly root: ValueSpan | undefined;
  /** The top-level keys, in document order (when the top-level value is an object). */
  readonly rootProperties: readonly PropertySpan[];
  readonly syntaxErrors: readonly ParseError[];
  /** Set when the text was not analysed at all (too large, nested too deeply). */
  readonly limit?: AnalysisLimit;
  /** The top-level `permissions` property (the last one when repeated, as JSON.parse). */
  readonly permissionsProperty?: PropertySpan;
  /** The `permissions` value when it is an array. */
  readonly permissionsArray?: ValueSpan;
  readonly entries: readonly PermissionEntry[];
  /** Entries by trimmed permission name, in document order. */
  readonly granted: ReadonlyMap<string, readonly PermissionEntry[]>;
  /** The app's `name`, for suggested purposes. */
  readonly appName?: string;
  /** The `extends` value of a local manifest. */
  readonly extends?: string;
  /** The syntax tree of this version, parsed on first use. */
  syntax(): ManifestSyntax;
}

const LOCAL_MANIFEST = /(?:^|[\\/])stripe-app\.[^\\/]+\.json$/i;
const BASE_MANIFEST = /(?:^|[\\/])stripe-app\.json$/i;

function manifestKind(uri: string, hasExtends: boolean): ManifestKind {
  const path = safeDecode(uri.split(/[?#]/)[0] ?? uri);
  if (BASE_MANIFEST.test(path)) return 'base';
  if (LOCAL_MANIFEST.test(path)) return 'local';
  return hasExtends ? 'local' : 'base';
}

/** True for the file names this tool is for: stripe-app.json and stripe-app.<name>.json. */
export function isManifestFileName(path: string): boolean {
  return BASE_MANIFEST.test(path) || LOCAL_MANIFEST.test(path);
}

const PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false } as const;
const NO_SYNTAX: ManifestSyntax = { root: undefined, entries: [] };

/**
 * The model of a document version. `knownSyntax`, when the caller already parsed the tree of
 * this very text (an edit's verification), is what `syntax()` returns instead of parsing again.
 */
export function parseManifest(
  document: TextDocument,
  maxDocumentSize: number,
  knownSyntax?: ManifestSyntax,
): ManifestDocument {
  const text = document.getText();
  const unanalysed = (limit: AnalysisLimit): ManifestDocument => ({
    uri: document.uri,
    version: document.version,
    text,
    kind: manifestKind(document.uri, false),
    root: undefined,
    rootProperties: [],
    syntaxErrors: [],
    limit,
    entries: [],
    granted: new Map(),
    syntax: () => NO_SYNTAX,
  });
  if (text.length > maxDocumentSize) {
    return unanalysed({ reason: 'too-large', size: text.length, limit: maxDocumentSize });
  }
  const source = byteOrderMarkAsSpace(text);
  let scan: Scan;
  try {
    scan = scanManifest(source);
  } catch (error) {
    // jsonc-parser recurses per nesting level: absurd nesting overflows its stack.
    if (!(error instanceof RangeError)) throw error;
    return unanalysed({ reason: 'too-deep', limit: MAX_NESTING_DEPTH });
  }
  // Nesting that the parser survived can still overflow the recursive helpers that features
  // use on the tree (getNodeValue, the edit checks): refuse it.
  if (scan.maxDepth > MAX_NESTING_DEPTH) {
    return unanalysed({ reason: 'too-deep', limit: MAX_NESTING_DEPTH });
  }
  const { root, rootProperties, permissionsProperty, entries } = scan;
  const permissionsValue = permissionsProperty?.value;
  const granted = new Map<string, PermissionEntry[]>();
  for (const entry of entries) {
    const name = entry.name?.trim();
    if (!name) continue;
    const list = granted.get(name);
    if (list) list.push(entry);
    else granted.set(name, [entry]);
  }
  const appName = stringValue(rootProperties, 'name');
  const extendsValue = stringValue(rootProperties, 'extends');
  let syntax = knownSyntax;
  const manifest: Mutable<ManifestDocument> = {
    uri: document.uri,
    version: document.version,
    text,
    kind: manifestKind(document.uri, lastProperty(rootProperties, 'extends') !== undefined),
    root,
    rootProperties,
    syntaxErrors: scan.errors,
    entries,
    granted,
    syntax: () => (syntax ??= parseSyntax(source).syntax),
  };
  if (permissionsProperty) manifest.permissionsProperty = permissionsProperty;
  if (permissionsValue?.type === 'array') manifest.permissionsArray = permissionsValue;
  if (appName !== undefined) manifest.appName = appName;
  if (extendsValue !== undefined) manifest.extends = extendsValue;
  return manifest;
}

/**
 * A byte order mark is not JSON, but editors and the CLI drop it: it is parsed as white space
 * (one character for one, so every offset still matches the document).
 */
function byteOrderMarkAsSpace(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
}

// ---------------------------------------------------------------------------------------------
// The scan

interface Scan {
  root: ValueSpan | undefined;
  rootProperties: PropertySpan[];
  permissionsProperty: PropertySpan | undefined;
  entries: PermissionEntry[];
  errors: ParseError[];
  maxDepth: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type MutableValue = Mutable<ValueSpan>;

const NO_TEXTS: readonly PurposeText[] = [];
const NO_PROPERTIES: readonly PropertySpan[] = [];

/** What an open object or array is to the model. */
type Role = 'root-object' | 'permissions' | 'entry' | 'element' | 'purpose-map' | 'other';

interface Frame {
  readonly role: Role;
  /** The container's span, when the model keeps it (its length is set at its end). */
  readonly span: MutableValue | undefined;
}

/**
 * One `visit` of the text, keeping the top-level properties, the `permissions` entries with
 * their properties, and the locale maps of purposes; everything else is only counted, for the
 * nesting limit. The last of a repeated key wins, as JSON.parse keeps it.
 */
function scanManifest(text: string): Scan {
  const scan: Scan = {
    root: undefined,
    rootProperties: [],
    permissionsProperty: undefined,
    entries: [],
    errors: [],
    maxDepth: 0,
  };
  const stack: Frame[] = [];
  // The property whose value comes next, per kind of object.
  let rootProperty: Mutable<PropertySpan> | undefined;
  let entryProperty: Mutable<PropertySpan> | undefined;
  let localeProperty: Mutable<PropertySpan> | undefined;
  /** The property whose key was read last in the innermost kept object (for its `:`). */
  let lastKey: Mutable<PropertySpan> | undefined;
  let entries: (PermissionEntry | undefined)[] = [];
  /** The object or array entry being read (kept flat once it ends). */
  let entry: { index: number; span: ValueSpan; properties: PropertySpan[] } | undefined;

  /** Records a value (a literal, or an object or array at its start); returns its role. */
  const onValue = (span: MutableValue): Role => {
    const parent = stack[stack.length - 1];
    if (!parent) {
      if (scan.root) return 'other';
      scan.root = span;
      return span.type === 'object' ? 'root-object' : 'other';
    }
    switch (parent.role) {
      case 'root-object': {
        const property = rootProperty;
        rootProperty = undefined;
        if (!property) return 'other';
        property.value = span;
        if (property.key !== 'permissions' || span.type !== 'array') return 'other';
        entries = [];
        return 'permissions';
      }
      case 'permissions': {
        const index = entries.length;
        if (span.type !== 'object' && span.type !== 'array') {
          entries.push(new ScannedEntry(index, span, NO_PROPERTIES));
          return 'other';
        }
        entries.push(undefined);
        entry = { index, span, properties: [] };
        return span.type === 'object' ? 'entry' : 'element';
      }
      case 'entry': {
        const property = entryProperty;
        entryProperty = undefined;
        if (!property) return 'other';
        property.value = span;
        return property.key === 'purpose' && span.type === 'object' ? 'purpose-map' : 'other';
      }
      case 'purpose-map': {
        const property = localeProperty;
        localeProperty = undefined;
        if (property) property.value = span;
        return 'other';
      }
      default:
        return 'other';
    }
  };

  const begin = (type: 'object' | 'array', offset: number): void => {
    const parent = stack[stack.length - 1];
    const kept = !parent || (parent.role !== 'other' && parent.role !== 'element');
    const span: MutableValue = { type, offset, length: 0, value: undefined, properties: undefined };
    const role = kept ? onValue(span) : 'other';
    stack.push({ role, span: kept ? span : undefined });
    if (stack.length > scan.maxDepth) scan.maxDepth = stack.length;
  };

  const end = (offset: number, length: number): void => {
    const frame = stack.pop();
    if (!frame) return;
    if (frame.span) frame.span.length = offset + length - frame.span.offset;
    if (frame.role === 'permissions') {
      // Every object or array entry was replaced when it ended (visit ends all at the text's end).
      scan.entries = entries.filter((item): item is PermissionEntry => item !== undefined);
    } else if ((frame.role === 'entry' || frame.role === 'element') && entry) {
      entries[entry.index] = new ScannedEntry(entry.index, entry.span, entry.properties);
      entry = undefined;
      entryProperty = undefined;
    } else if (frame.role === 'purpose-map') {
      localeProperty = undefined;
    }
  };

  const visitor: JSONVisitor = {
    onObjectBegin: (offset) => {
      begin('object', offset);
    },
    onArrayBegin: (offset) => {
      begin('array', offset);
    },
    onObjectEnd: end,
    onArrayEnd: end,
    onObjectProperty: (key, offset, length) => {
      const frame = stack[stack.length - 1];
      if (!frame || frame.role === 'other' || frame.role === 'permissions') return;
      const property: Mutable<PropertySpan> = {
        // The entries' own keys as constants: the parsed copies need not be kept.
        key: key === 'permission' ? 'permission' : key === 'purpose' ? 'purpose' : key,
        keyOffset: offset,
        keyLength: length,
        colonOffset: undefined,
        value: undefined,
      };
      lastKey = property;
      if (frame.role === 'root-object') {
        rootProperty = property;
        scan.rootProperties.push(property);
        if (key === 'permissions') {
          // A repeated `permissions` replaces the earlier one.
          scan.permissionsProperty = property;
          scan.entries = [];
        }
      } else if (frame.role === 'entry' && entry) {
        entryProperty = property;
        entry.properties.push(property);
      } else if (frame.role === 'purpose-map' && frame.span) {
        localeProperty = property;
        const map = frame.span;
        map.properties ??= [];
        (map.properties as PropertySpan[]).push(property);
      }
    },
    onSeparator: (character, offset) => {
      if (character !== ':' || !lastKey) return;
      const role = stack[stack.length - 1]?.role;
      if (role === 'root-object' || role === 'entry' || role === 'purpose-map') {
        lastKey.colonOffset = offset;
      }
      lastKey = undefined;
    },
    onLiteralValue: (value: unknown, offset, length) => {
      const role = stack[stack.length - 1]?.role;
      if (role === 'other' || role === 'element') return;
      onValue({ type: literalType(value), offset, length, value, properties: undefined });
    },
    onError: (error, offset, length) => {
      scan.errors.push({ error, offset, length });
    },
  };
  visit(text, visitor, PARSE_OPTIONS);
  return scan;
}

function purposeTexts(value: ValueSpan): readonly PurposeText[] {
  if (value.type === 'string') return [{ node: value, text: String(value.value) }];
  if (value.type !== 'object') return NO_TEXTS;
  const texts: PurposeText[] = [];
  for (const property of value.properties ?? NO_PROPERTIES) {
    const localized = property.value;
    if (localized?.type === 'string') {
      texts.push({ node: localized, text: String(localized.value), locale: property.key });
    }
  }
  return texts;
}

function literalType(value: unknown): NodeType {
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'null';
  }
}

// ---------------------------------------------------------------------------------------------
// Entries as kept: one flat object each

/**
 * A permission entry kept as one flat object: the element's span and the last `permission` and
 * `purpose` properties as numbers. The spans the features read are made when asked for (they
 * die young); an entry with other keys, repeated keys or a locale map keeps its properties as
 * objects. One object per entry instead of about eight keeps V8's young generation from growing
 * to its maximum when a 10 000-entry manifest is scanned.
 */
class ScannedEntry implements PermissionEntry {
  readonly index: number;
  readonly name: string | undefined;
  private readonly type: NodeType;
  private readonly offset: number;
  private readonly length: number;
  private readonly literal: unknown;
  /** Every property, kept only for entries the flat fields cannot describe. */
  private readonly kept: readonly PropertySpan[] | undefined;
  // The `permission` and `purpose` properties: key offset -1 when absent; colon -1 when none;
  // value type undefined when the value is missing.
  private readonly permissionKey: number;
  private readonly permissionKeyLength: number;
  private readonly permissionColon: number;
  private readonly permissionType: NodeType | undefined;
  private readonly permissionOffset: number;
  private readonly permissionLength: number;
  private readonly permissionLiteral: unknown;
  private readonly purposeKey: number;
  private readonly purposeKeyLength: number;
  private readonly purposeColon: number;
  private readonly purposeType: NodeType | undefined;
  private readonly purposeOffset: number;
  private readonly purposeLength: number;
  private readonly purposeLiteral: unknown;

  constructor(index: number, element: ValueSpan, properties: readonly PropertySpan[]) {
    this.index = index;
    this.type = element.type;
    this.offset = element.offset;
    this.length = element.length;
    this.literal = element.value;
    const permission = lastProperty(properties, 'permission');
    const purpose = lastProperty(properties, 'purpose');
    const flat =
      properties.length === (permission ? 1 : 0) + (purpose ? 1 : 0) &&
      purpose?.value?.type !== 'object';
    this.kept = flat ? undefined : properties;
    const name = permission?.value?.type === 'string' ? permission.value.value : undefined;
    this.name = typeof name === 'string' ? name : undefined;
    this.permissionKey = permission?.keyOffset ?? -1;
    this.permissionKeyLength = permission?.keyLength ?? 0;
    this.permissionColon = permission?.colonOffset ?? -1;
    this.permissionType = permission?.value?.type;
    this.permissionOffset = permission?.value?.offset ?? 0;
    this.permissionLength = permission?.value?.length ?? 0;
    this.permissionLiteral = permission?.value?.value;
    this.purposeKey = purpose?.keyOffset ?? -1;
    this.purposeKeyLength = purpose?.keyLength ?? 0;
    this.purposeColon = purpose?.colonOffset ?? -1;
    this.purposeType = purpose?.value?.type;
    this.purposeOffset = purpose?.value?.offset ?? 0;
    this.purposeLength = purpose?.value?.length ?? 0;
    this.purposeLiteral = purpose?.value?.value;
  }

  get node(): ValueSpan {
    return valueSpan(this.type, this.offset, this.length, this.literal);
  }

  get isObject(): boolean {
    return this.type === 'object';
  }

  get properties(): readonly PropertySpan[] {
    if (this.kept) return this.kept;
    const permission = this.permissionProperty;
    const purpose = this.purposeProperty;
    if (!permission) return purpose ? [purpose] : NO_PROPERTIES;
    if (!purpose) return [permission];
    return permission.keyOffset < purpose.keyOffset ? [permission, purpose] : [purpose, permission];
  }

  get permissionProperty(): PropertySpan | undefined {
    if (this.kept) return lastProperty(this.kept, 'permission');
    if (this.permissionKey < 0) return undefined;
    return flatProperty(
      'permission',
      this.permissionKey,
      this.permissionKeyLength,
      this.permissionColon,
      this.permissionValue,
    );
  }

  get permissionValue(): ValueSpan | undefined {
    if (this.kept) return lastProperty(this.kept, 'permission')?.value;
    const type = this.permissionType;
    if (type === undefined) return undefined;
    return valueSpan(type, this.permissionOffset, this.permissionLength, this.permissionLiteral);
  }

  get purposeProperty(): PropertySpan | undefined {
    if (this.kept) return lastProperty(this.kept, 'purpose');
    if (this.purposeKey < 0) return undefined;
    return flatProperty(
      'purpose',
      this.purposeKey,
      this.purposeKeyLength,
      this.purposeColon,
      this.purposeValue,
    );
  }

  get purposeValue(): ValueSpan | undefined {
    if (this.kept) return lastProperty(this.kept, 'purpose')?.value;
    const type = this.purposeType;
    if (type === undefined) return undefined;
    return valueSpan(type, this.purposeOffset, this.purposeLength, this.purposeLiteral);
  }

  /** A new array on every call: read it once where its items are compared. */
  get purposeTexts(): readonly PurposeText[] {
    const value = this.purposeValue;
    return value ? purposeTexts(value) : NO_TEXTS;
  }
}

function valueSpan(type: NodeType, offset: number, length: number, value: unknown): ValueSpan {
  return { type, offset, length, value, properties: undefined };
}

function flatProperty(
  key: 'permission' | 'purpose',
  keyOffset: number,
  keyLength: number,
  colonOffset: number,
  value: ValueSpan | undefined,
): PropertySpan {
  return {
    key,
    keyOffset,
    keyLength,
    colonOffset: colonOffset < 0 ? undefined : colonOffset,
    value,
  };
}

// ---------------------------------------------------------------------------------------------
// The syntax tree, for the edit features

/**
 * The jsonc-parser tree of a text (a byte order mark read as white space, as `parseManifest`
 * does) and its syntax errors. Callers other than `syntax()` must catch the `RangeError` of
 * absurd nesting; `syntax()` runs only on texts the scan accepted.
 */
export function parseSyntax(text: string): { syntax: ManifestSyntax; errors: ParseError[] } {
  const source = byteOrderMarkAsSpace(text);
  const errors: ParseError[] = [];
  const root = parseTree(source, errors, PARSE_OPTIONS);
  const permissionsProperty =
    root?.type === 'object' ? propertyNode(root, 'permissions') : undefined;
  const permissionsValue = permissionsProperty?.children?.[1];
  const permissionsArray = permissionsValue?.type === 'array' ? permissionsValue : undefined;
  const syntax: ManifestSyntax = {
    root,
    ...(permissionsProperty ? { permissionsProperty } : {}),
    ...(permissionsArray ? { permissionsArray } : {}),
    entries: (permissionsArray?.children ?? []).map(entrySyntax),
  };
  return { syntax, errors };
}

function entrySyntax(node: Node, index: number): EntrySyntax {
  if (node.type !== 'object') return { index, node, properties: [], purposeNodes: [] };
  const properties = (node.children ?? []).filter((child) => child.type === 'property');
  const permissionProperty = lastNode(properties, 'permission');
  const purposeProperty = lastNode(properties, 'purpose');
  const permissionValue = permissionProperty?.children?.[1];
  const purposeValue = purposeProperty?.children?.[1];
  return {
    index,
    node,
    properties,
    ...(permissionProperty ? { permissionProperty } : {}),
    ...(permissionValue ? { permissionValue } : {}),
    ...(purposeProperty ? { purposeProperty } : {}),
    ...(purposeValue ? { purposeValue } : {}),
    purposeNodes: purposeNodes(purposeValue),
  };
}

/** As `purposeTexts`: the string, or each string value of a locale map. */
function purposeNodes(value: Node | undefined): Node[] {
  if (value?.type === 'string') return [value];
  if (value?.type !== 'object') return [];
  const nodes: Node[] = [];
  for (const property of value.children ?? []) {
    const [key, localized] = property.children ?? [];
    if (key?.type === 'string' && localized?.type === 'string') nodes.push(localized);
  }
  return nodes;
}

/** The property node with this key (the last one when repeated, as JSON.parse keeps it). */
function propertyNode(object: Node, key: string): Node | undefined {
  return object.type === 'object' ? lastNode(object.children ?? [], key) : undefined;
}

/** The key of a property node. */
export function propertyKey(property: Node): string | undefined {
  const key = property.children?.[0];
  return key?.type === 'string' ? String(key.value) : undefined;
}

function lastNode(properties: readonly Node[], key: string): Node | undefined {
  let found: Node | undefined;
  for (const property of properties) {
    if (property.type === 'property' && propertyKey(property) === key) found = property;
  }
  return found;
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
function lastProperty(properties: readonly PropertySpan[], key: string): PropertySpan | undefined {
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

/** The entry whose element holds `offset`, by binary search: entries are in document order. */
export function entryAtOffset(
  manifest: ManifestDocument,
  offset: number,
  edge: OffsetEdge = 'cursor',
): PermissionEntry | undefined {
  const { entries } = manifest;
  // A malformed position gives NaN, which every comparison below would let through.
  if (!Number.isFinite(offset)) return undefined;
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
