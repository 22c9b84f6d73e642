import { createScanner, getLocation, type Location, type Node } from 'jsonc-parser';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CompletionItemKind,
  CompletionItemTag,
  InsertTextFormat,
  InsertTextMode,
  TextEdit,
  type Command,
  type CompletionItem,
  type CompletionList,
  type Position,
  type Range,
} from 'vscode-languageserver-types';
import { catalog } from './catalog';
import { VSCODE_FEATURES, type ClientFeatures } from './clientFeatures';
import { detectFormatting } from './formatting';
import { JsonScanError, JsonToken as Token } from './json/jsoncTokens';
import { ONE_LINE_SPACING, objectText } from './json/objectLayout';
import {
  entryAtOffset,
  propertySpan,
  type ManifestDocument,
  type PermissionEntry,
} from './manifestDocument';
import { code, markdown, permissionDocs, referenceLink } from './markdown';
import { rankPermissions, type RankedPermission } from './nameSuggestions';
import { suggestPurpose } from './purposeSuggestion';
import type { ManifestServiceSettings } from './settings';

/**
 * Completion in a manifest, from the parse tree of the manifest (never re-parsed) and
 * jsonc-parser's `getLocation`, which scans the text up to the cursor and so still knows where it
 * is while the text is incomplete. Contexts:
 *
 * - a `permission` value: the catalog names not yet granted;
 * - a key in a permission entry: the missing `permission` / `purpose` properties;
 * - between entries of `permissions`: a whole entry per name, with a suggested purpose;
 * - a `purpose` value (or an English locale's text): a suggested purpose;
 * - a key of the root object: `permissions` when it is absent.
 *
 * Replace ranges include the quotes of the string being edited, so VS Code filters on the text
 * from the opening quote to the cursor: `filterText` then starts with a quote too.
 *
 * Permission names are ranked here, not by VS Code's fuzzy match: `rankPermissions` (the order
 * the Grant Quick Pick uses too) filters and orders them for the text typed so far, so `refund`
 * lists `charge_read` first and `cust` preselects `customer_write` when `customer_read` is
 * granted. The list is incomplete (asked again on every keystroke), each item's `filterText`
 * starts with the typed text (every item scores the same, so `sortText` decides) and the best
 * one is preselected.
 *
 * Other editors (see `ClientFeatures`) match the word at the cursor as a prefix of `filterText`
 * or the label: their items carry no `filterText`, so the label (the name) is matched. Without
 * snippet support, items are plain text: the suggested purpose is written out, with no tab stop.
 */

/** Lets the editor reopen suggestions right after a property snippet, for its value. */
const TRIGGER_SUGGEST: Command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };

interface Context {
  readonly manifest: ManifestDocument;
  readonly document: TextDocument;
  readonly text: string;
  readonly offset: number;
  readonly location: CursorLocation;
  readonly settings: ManifestServiceSettings;
  readonly features: ClientFeatures;
}

/** What completion reads of jsonc-parser's `Location`. */
type CursorLocation = Pick<Location, 'path' | 'previousNode' | 'isAtPropertyKey'>;

/** The span a completion replaces; `quoted` when it starts at an opening quote. */
interface Span {
  readonly start: number;
  readonly end: number;
  readonly quoted: boolean;
}

/** Completion data, sent back by `completionItem/resolve`. */
interface PermissionItemData {
  readonly permission: string;
  /** Not in the catalog, accepted by the `allowedPermissions` setting. */
  readonly allowed?: boolean;
}

export function getCompletions(
  manifest: ManifestDocument,
  document: TextDocument,
  position: Position,
  settings: ManifestServiceSettings,
  features: ClientFeatures = VSCODE_FEATURES,
): CompletionList {
  if (manifest.limit || manifest.root === undefined) return items([]);
  const text = manifest.text;
  const offset = document.offsetAt(position);
  const location = locate(manifest, text, offset);
  const context: Context = { manifest, document, text, offset, location, settings, features };
  const { path, previousNode } = location;
  const atKey = location.isAtPropertyKey || previousNode?.type === 'property';

  if (path.length === 1 && atKey) return items(rootKeyCompletions(context));
  if (path[0] !== 'permissions' || typeof path[1] !== 'number') return items([]);
  if (path.length === 2) return rankedItems(entryCompletions(context));
  if (path.length === 3 && atKey) return items(entryKeyCompletions(context));
  if (path.length === 3 && path[2] === 'permission') {
    return rankedItems(permissionCompletions(context));
  }
  if (path[2] === 'purpose') {
    const locale = path[3];
    if (path.length === 3 || (path.length === 4 && typeof locale === 'string' && !atKey)) {
      if (typeof locale === 'string' && !/^en\b/i.test(locale)) return items([]);
      return items(purposeCompletions(context));
    }
  }
  return items([]);
}

/**
 * `getLocation` scans the text from its start to the cursor: near the end of a large manifest,
 * a parse per completion. When the text parsed without errors and the cursor is inside the
 * braces of an entry object, the scan of that object alone says the same: `getLocation` resets
 * its state at every `{`, the path there is `permissions`, the entry's index (the commas before
 * it, which without errors is its index in the tree), and the tokens from `{` to `}` are the
 * same in the object's text as in the whole text. Anywhere else, or with errors, the whole scan.
 */
function locate(manifest: ManifestDocument, text: string, offset: number): CursorLocation {
  const entry = manifest.syntaxErrors.length === 0 ? entryAtOffset(manifest, offset) : undefined;
  // Inside the braces: not right after the closing one.
  if (entry && offset >= entry.node.offset + entry.node.length) return getLocation(text, offset);
  if (entry?.node.type !== 'object') return getLocation(text, offset);
  const start = entry.node.offset;
  const inner = getLocation(text.slice(start, start + entry.node.length), offset - start);
  const previous = inner.previousNode;
  return {
    path: ['permissions', entry.index, ...inner.path],
    isAtPropertyKey: inner.isAtPropertyKey,
    previousNode: previous && {
      ...previous,
      offset: previous.offset + start,
      ...(previous.colonOffset !== undefined ? { colonOffset: previous.colonOffset + start } : {}),
    },
  };
}

/** Adds the markdown documentation of a permission item (kept out of the list for speed). */
export function resolveCompletion(item: CompletionItem): CompletionItem {
  if (item.documentation !== undefined || !isPermissionItemData(item.data)) return item;
  const { permission, allowed } = item.data;
  const info = catalog.get(permission);
  if (info) return { ...item, documentation: markdown(permissionDocs(info)) };
  if (allowed === true) {
    return {
      ...item,
      documentation: markdown([
        `${code(permission)} · allowed by your settings`,
        'Not in the Stripe Apps permissions reference; the `stripeApps.allowedPermissions` setting accepts it.',
        referenceLink(),
      ]),
    };
  }
  return item;
}

function items(list: CompletionItem[]): CompletionList {
  return { isIncomplete: false, items: list };
}

/** Ranked names: asked again as the user types, so the ranking follows the typed text. */
function rankedItems(list: CompletionItem[]): CompletionList {
  return { isIncomplete: true, items: list };
}

// ---------------------------------------------------------------------------------------------
// Contexts

function permissionCompletions(context: Context): CompletionItem[] {
  const span = valueSpan(context);
  if (!span) return [];
  const entry = entryAt(context);
  const current = entry?.name?.trim();
  const prefix = spaceAfterColon(context.text, span);
  const range = rangeOf(context, span);
  return candidateNames(context, current, span).map((candidate) => ({
    ...permissionItemBase(context, candidate),
    kind: CompletionItemKind.Value,
    textEdit: TextEdit.replace(range, prefix + JSON.stringify(candidate.name)),
    insertTextFormat: InsertTextFormat.PlainText,
  }));
}

function entryCompletions(context: Context): CompletionItem[] {
  const span = entrySpan(context);
  if (!span) return [];
  const { manifest, text } = context;
  const { eol, unit } = layoutOf(text);
  const layout = entryLayout(text, span, unit);
  const before = manifest.permissionsArray
    ? commaBefore(
        context,
        manifest.entries.map((entry) => entry.node),
        span,
      )
    : undefined;
  const after = needsCommaAfter(text, span.end) ? ',' : '';
  const range = rangeOf(context, span);
  return candidateNames(context, undefined, span).map((candidate) => {
    const purpose = `"${tabStop(context, 1, jsonStringBody(suggestPurpose(candidate.name, manifest.appName)))}"`;
    const name = literal(context, JSON.stringify(candidate.name));
    const body = objectText([`"permission": ${name}`, `"purpose": ${purpose}`], {
      multiline: layout.kind !== 'inline',
      indent: layout.kind === 'inline' ? '' : layout.indent,
      step: unit,
      eol,
      ...ONE_LINE_SPACING,
    });
    const insert =
      layout.kind === 'expand'
        ? `${eol}${layout.indent}${body}${eol}${layout.closingIndent}`
        : body;
    return {
      ...permissionItemBase(context, candidate),
      kind: CompletionItemKind.Snippet,
      textEdit: TextEdit.replace(range, insert + after),
      insertTextFormat: insertFormat(context),
      insertTextMode: InsertTextMode.asIs,
      ...(before ? { additionalTextEdits: [before] } : {}),
    };
  });
}

function entryKeyCompletions(context: Context): CompletionItem[] {
  const span = keySpan(context);
  if (!span) return [];
  const { manifest, text } = context;
  const entry = entryAt(context);
  const edited = entry?.properties.find((property) => property.keyOffset === span.start);
  const present = new Set(
    (entry?.properties ?? [])
      .filter((property) => property !== edited)
      .map((property) => property.key),
  );
  const hasColon = edited?.colonOffset !== undefined && edited.colonOffset >= 0;
  const before =
    entry && !hasColon ? commaBefore(context, entry.properties.map(propertySpan), span) : undefined;
  const after = !hasColon && needsCommaAfter(text, span.end) ? ',' : '';
  const range = rangeOf(context, span);
  const name = entry?.name?.trim();
  const result: CompletionItem[] = [];

  const property = (
    key: 'permission' | 'purpose',
    value: string,
    detail: string,
    extra: Partial<CompletionItem>,
  ): CompletionItem => ({
    label: key,
    kind: CompletionItemKind.Property,
    detail,
    ...filterTextFor(context, span, key),
    textEdit: TextEdit.replace(range, hasColon ? `"${key}"` : `"${key}": ${value}${after}`),
    insertTextFormat: hasColon ? InsertTextFormat.PlainText : insertFormat(context),
    ...(before ? { additionalTextEdits: [before] } : {}),
    ...(hasColon ? {} : extra),
  });

  if (!present.has('permission')) {
    result.push(
      property(
        'permission',
        `"${tabStop(context, 1, '')}"`,
        'The permission name, from the catalog',
        triggerSuggest(context),
      ),
    );
  }
  if (!present.has('purpose')) {
    const suggestion =
      name === undefined || name === ''
        ? ''
        : jsonStringBody(suggestPurpose(name, manifest.appName));
    result.push(
      property(
        'purpose',
        `"${tabStop(context, 1, suggestion)}"`,
        'Why the app needs it, shown to the account administrator at install',
        {},
      ),
    );
  }
  return result;
}

function purposeCompletions(context: Context): CompletionItem[] {
  const span = valueSpan(context);
  const name = entryAt(context)?.name?.trim();
  if (!span || name === undefined || name === '') return [];
  const suggestion = suggestPurpose(name, context.manifest.appName);
  return [
    {
      label: suggestion,
      kind: CompletionItemKind.Text,
      detail: `Suggested purpose for ${name}`,
      documentation: markdown([
        'Shown to the account administrator who installs the app. Say what your app does with this access and why; App Review expects the minimum necessary permissions.',
      ]),
      ...filterTextFor(context, span, suggestion),
      textEdit: TextEdit.replace(
        rangeOf(context, span),
        spaceAfterColon(context.text, span) + JSON.stringify(suggestion),
      ),
      insertTextFormat: InsertTextFormat.PlainText,
    },
  ];
}

function rootKeyCompletions(context: Context): CompletionItem[] {
  const { manifest, text } = context;
  const root = manifest.root;
  if (root?.type !== 'object') return [];
  const span = keySpan(context);
  if (!span) return [];
  const existing = manifest.permissionsProperty;
  if (existing && existing.keyOffset !== span.start) return [];
  const edited = manifest.rootProperties.find((property) => property.keyOffset === span.start);
  const hasColon = edited?.colonOffset !== undefined && edited.colonOffset >= 0;
  let insert: string;
  let format: InsertTextFormat = InsertTextFormat.PlainText;
  if (hasColon) {
    insert = '"permissions"';
  } else {
    const { eol, unit } = layoutOf(text);
    const lineIndent = leadingIndent(text, span.start);
    // Plain text has no final cursor position: an empty array the user types into.
    const array = !context.features.snippets
      ? '[]'
      : lineIndent === undefined
        ? '[$0]'
        : `[${eol}${lineIndent}${unit}$0${eol}${lineIndent}]`;
    insert = `"permissions": ${array}${needsCommaAfter(text, span.end) ? ',' : ''}`;
    format = insertFormat(context);
  }
  const before = hasColon
    ? undefined
    : commaBefore(context, manifest.rootProperties.map(propertySpan), span);
  return [
    {
      label: 'permissions',
      kind: CompletionItemKind.Property,
      detail: 'The Stripe API permissions the app requests',
      documentation: markdown([
        'Each entry names a permission and the purpose shown to the account administrator who installs the app.',
        referenceLink(),
      ]),
      ...filterTextFor(context, span, 'permissions'),
      textEdit: TextEdit.replace(rangeOf(context, span), insert),
      insertTextFormat: format,
      ...(format === InsertTextFormat.Snippet
        ? { insertTextMode: InsertTextMode.asIs, ...triggerSuggest(context) }
        : {}),
      ...(before ? { additionalTextEdits: [before] } : {}),
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Permission names

interface Candidate {
  readonly name: string;
  readonly allowed: boolean;
  /** The typed text the item is filtered on (from the replace range's start to the cursor). */
  readonly typed: string;
  /** The item's place in the ranking, from 0. */
  readonly rank: number;
}

/**
 * Catalog names and allowed extra names, minus the granted ones (except `keep`), that match the
 * text typed so far, ranked by `rankPermissions` (the nearest names when none matches).
 */
function candidateNames(context: Context, keep: string | undefined, span: Span): Candidate[] {
  const { granted } = context.manifest;
  const available = (name: string): boolean => name === keep || !granted.has(name);
  const typed = context.text.slice(span.start, Math.max(span.start, context.offset));
  const permissions: RankedPermission[] = catalog.permissions.filter((info) =>
    available(info.name),
  );
  const allowed = new Set<string>();
  for (const name of new Set(context.settings.allowedPermissions)) {
    if (!catalog.has(name) && available(name)) {
      permissions.push({ name });
      allowed.add(name);
    }
  }
  const grantedNames = new Set([...granted.keys()].filter((name) => name !== keep));
  return rankPermissions(typed, permissions, grantedNames).map(({ permission }, rank) => ({
    name: permission.name,
    allowed: allowed.has(permission.name),
    typed,
    rank,
  }));
}

function permissionItemBase(context: Context, candidate: Candidate): CompletionItem {
  const { name, allowed, typed, rank } = candidate;
  const info = catalog.get(name);
  // VS Code filters by `filterText`: the typed text, so every ranked item stays, in our order.
  const filterText = context.features.vscodeClient ? { filterText: `${typed}${name}` } : {};
  const data: PermissionItemData = allowed ? { permission: name, allowed } : { permission: name };
  return {
    label: name,
    detail: info
      ? `${info.product} · ${info.resource} · ${info.access}`
      : 'Allowed by your settings',
    ...filterText,
    sortText: String(rank).padStart(4, '0'),
    ...(rank === 0 ? { preselect: true } : {}),
    data,
    ...(catalog.legacy(name) ? { tags: [CompletionItemTag.Deprecated] } : {}),
  };
}

function isPermissionItemData(data: unknown): data is PermissionItemData {
  if (typeof data !== 'object' || data === null) return false;
  const record = data as Record<string, unknown>;
  return (
    typeof record.permission === 'string' &&
    (record.allowed === undefined || typeof record.allowed === 'boolean')
  );
}

// ---------------------------------------------------------------------------------------------
// Spans: what an item replaces

/** A value being typed: the string around the cursor (quotes included), or a bare word, or nothing. */
function valueSpan(context: Context): Span | undefined {
  const previous = context.location.previousNode;
  if (previous) return previous.type === 'string' ? stringSpan(context, previous) : undefined;
  return wordSpan(context);
}

/** A key being typed: the key string around the cursor, or a bare word, or nothing. */
function keySpan(context: Context): Span | undefined {
  const previous = context.location.previousNode;
  return previous ? stringSpan(context, previous) : wordSpan(context);
}

/** An array element being typed: a string (replaced by the entry), a bare word, or nothing. */
function entrySpan(context: Context): Span | undefined {
  const previous = context.location.previousNode;
  if (previous) return previous.type === 'string' ? stringSpan(context, previous) : undefined;
  return wordSpan(context);
}

/** The string token containing the cursor; an unterminated one ends at the word after the cursor. */
function stringSpan(context: Context, node: Node): Span | undefined {
  const { text, offset } = context;
  const start = node.offset;
  if (text.charAt(start) !== '"' || offset <= start) return undefined;
  const scanner = createScanner(text, false);
  scanner.setPosition(start);
  const kind: number = scanner.scan();
  if (kind !== Token.String) return undefined;
  const error: number = scanner.getTokenError();
  const terminated = error !== JsonScanError.UnexpectedEndOfString;
  const end = scanner.getTokenOffset() + scanner.getTokenLength();
  if (terminated) return offset < end ? { start, end, quoted: true } : undefined;
  if (offset > end) return undefined;
  return { start, end: wordEnd(text, offset), quoted: true };
}

/** The bare word around the cursor (letters, digits, `_`, `.`, `-`), possibly empty. */
function wordSpan(context: Context): Span {
  const { text, offset } = context;
  let start = offset;
  while (start > 0 && isWordChar(text.charCodeAt(start - 1))) start--;
  return { start, end: wordEnd(text, offset), quoted: false };
}

function wordEnd(text: string, offset: number): number {
  let end = offset;
  while (end < text.length && isWordChar(text.charCodeAt(end))) end++;
  return end;
}

function isWordChar(char: number): boolean {
  return (
    (char >= 0x30 && char <= 0x39) || // 0-9
    (char >= 0x41 && char <= 0x5a) || // A-Z
    (char >= 0x61 && char <= 0x7a) || // a-z
    char === 0x5f || // _
    char === 0x2e || // .
    char === 0x2d // -
  );
}

/** A space between a colon and an inserted value (completion right after `:`). */
function spaceAfterColon(text: string, span: Span): string {
  return text.charAt(span.start - 1) === ':' ? ' ' : '';
}

function rangeOf(context: Context, span: Span): Range {
  return {
    start: context.document.positionAt(span.start),
    end: context.document.positionAt(span.end),
  };
}

// ---------------------------------------------------------------------------------------------
// Entries, separators and layout

/** The permission entry (array element) whose object contains the cursor. */
function entryAt(context: Context): PermissionEntry | undefined {
  const { offset, manifest, location } = context;
  const inside = entryAtOffset(manifest, offset);
  if (inside) return inside;
  const index = location.path[1];
  return typeof index === 'number' ? manifest.entries[index] : undefined;
}

/** Inserts the comma the previous sibling lacks before the inserted text. */
function commaBefore(
  context: Context,
  siblings: readonly { readonly offset: number; readonly length: number }[],
  span: Span,
): TextEdit | undefined {
  const { text, document } = context;
  let previous: { readonly offset: number; readonly length: number } | undefined;
  for (const child of siblings) {
    if (child.offset + child.length <= span.start) previous = child;
  }
  if (!previous) return undefined;
  const previousEnd = previous.offset + previous.length;
  if (hasCommaBetween(text, previousEnd, span.start)) return undefined;
  return TextEdit.insert(document.positionAt(previousEnd), ',');
}

function hasCommaBetween(text: string, from: number, to: number): boolean {
  const scanner = createScanner(text, true);
  scanner.setPosition(from);
  for (let kind: number = scanner.scan(); kind !== Token.EOF; kind = scanner.scan()) {
    if (scanner.getTokenOffset() >= to) return false;
    if (kind === Token.Comma) return true;
  }
  return false;
}

/** True when a value or key follows `from` with no comma before it. */
function needsCommaAfter(text: string, from: number): boolean {
  const scanner = createScanner(text, true);
  scanner.setPosition(from);
  const kind: number = scanner.scan();
  switch (kind) {
    case Token.String:
    case Token.OpenBrace:
    case Token.OpenBracket:
    case Token.Number:
    case Token.True:
    case Token.False:
    case Token.Null:
      return true;
    default:
      return false;
  }
}

type EntryLayout =
  /** On a line of its own: the entry spreads over lines at the line's indentation. */
  | { readonly kind: 'lines'; readonly indent: string }
  /** Inside an empty one-line array (`[]`): the array opens up, the entry on its own lines. */
  | { readonly kind: 'expand'; readonly indent: string; readonly closingIndent: string }
  /** After other text on the line: a one-line entry. */
  | { readonly kind: 'inline' };

function entryLayout(text: string, span: Span, unit: string): EntryLayout {
  const indent = leadingIndent(text, span.start);
  if (indent !== undefined) return { kind: 'lines', indent };
  const lineStart = text.lastIndexOf('\n', span.start - 1) + 1;
  const lineEnd = lineEndOffset(text, span.end);
  const before = text.slice(lineStart, span.start);
  const after = text.slice(span.end, lineEnd);
  if (/\[\s*$/.test(before) && /^\s*\]/.test(after)) {
    const closingIndent = /^[ \t]*/.exec(before)?.[0] ?? '';
    return { kind: 'expand', indent: closingIndent + unit, closingIndent };
  }
  return { kind: 'inline' };
}

/** The indentation before `offset` when only white space precedes it on its line. */
function leadingIndent(text: string, offset: number): string | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  return /^[ \t]*$/.test(before) ? before : undefined;
}

function lineEndOffset(text: string, offset: number): number {
  const match = /\r?\n/.exec(text.slice(offset));
  return match ? offset + match.index : text.length;
}

/** The document's line break and indentation step (see formatting.ts). */
function layoutOf(text: string): { eol: string; unit: string } {
  const formatting = detectFormatting(text);
  const unit = formatting.insertSpaces === false ? '\t' : ' '.repeat(formatting.tabSize ?? 2);
  return { eol: formatting.eol, unit };
}

/** The JSON string literal of `text`, without its quotes. */
function jsonStringBody(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** Snippets when the client takes them, else plain text. */
function insertFormat(context: Context): InsertTextFormat {
  return context.features.snippets ? InsertTextFormat.Snippet : InsertTextFormat.PlainText;
}

/** A tab stop holding `text` (raw, escaped here); for a plain-text client, the text alone. */
function tabStop(context: Context, index: number, text: string): string {
  if (!context.features.snippets) return text;
  return text === '' ? `$${index}` : `\${${index}:${snippetEscape(text)}}`;
}

/** Text inserted as is: escaped in a snippet. */
function literal(context: Context, text: string): string {
  return context.features.snippets ? snippetEscape(text) : text;
}

/** VS Code reopens suggestions after a property (for its value); other editors lack the command. */
function triggerSuggest(context: Context): { command?: Command } {
  return context.features.vscodeClient ? { command: TRIGGER_SUGGEST } : {};
}

/**
 * VS Code matches the text from the range's start, the opening quote included, so its
 * `filterText` starts with the quote. Other editors match the word at the cursor against the
 * label, which is the same text without the quote.
 */
function filterTextFor(context: Context, span: Span, text: string): { filterText?: string } {
  if (!context.features.vscodeClient) return {};
  return { filterText: span.quoted ? `"${text}` : text };
}

/** Escapes text for a snippet body: `\`, `$` and `}` lose their snippet meaning. */
function snippetEscape(text: string): string {
  return text.replace(/[\\$}]/g, (char) => `\\${char}`);
}
