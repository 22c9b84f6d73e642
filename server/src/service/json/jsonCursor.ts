import { createScanner, getLocation, type Location, type Node } from 'jsonc-parser';
import type { CursorContext, Insertion, ReplaceSpan } from '../cursorContext';
import { detectFormatting } from '../formatting';
import { JsonScanError, JsonToken as Token } from './jsoncTokens';
import { ONE_LINE_SPACING, objectText } from './objectLayout';
import {
  entryAtOffset,
  propertySpan,
  type ManifestDocument,
  type PermissionEntry,
} from '../manifestDocument';

/*
 * Where the cursor is in a JSON manifest (v1), for completion: jsonc-parser's `getLocation`,
 * which scans the text up to the cursor and so still knows where it is while the text is
 * incomplete. Replace spans include the quotes of the string being edited; inserted text gets
 * the commas it needs and the document's line break and indentation.
 */

/** What the context reads of jsonc-parser's `Location`. */
type CursorLocation = Pick<Location, 'path' | 'previousNode' | 'isAtPropertyKey'>;

interface At {
  readonly manifest: ManifestDocument;
  readonly text: string;
  readonly offset: number;
  readonly location: CursorLocation;
}

export function cursorContextInJson(
  manifest: ManifestDocument,
  offset: number,
): CursorContext | undefined {
  const text = manifest.text;
  const location = locate(manifest, text, offset);
  const at: At = { manifest, text, offset, location };
  const { path, previousNode } = location;
  const atKey = location.isAtPropertyKey || previousNode?.type === 'property';

  if (path.length === 1 && atKey) return rootKey(at);
  if (path[0] !== 'permissions' || typeof path[1] !== 'number') return undefined;
  const list = manifest.appList;
  if (path.length === 2) return newEntry(at);
  const entry = entryAt(at);
  if (path.length === 3 && atKey) return entryKey(at, entry);
  if (path.length === 3 && path[2] === 'permission') {
    const span = valueSpan(at);
    if (!span) return undefined;
    const lead = spaceAfterColon(text, span);
    return {
      kind: 'permission-value',
      list,
      entry,
      span,
      write: (name) => lead + JSON.stringify(name),
    };
  }
  if (path[2] === 'purpose') {
    const locale = path[3];
    if (path.length === 3 || (path.length === 4 && typeof locale === 'string' && !atKey)) {
      if (typeof locale === 'string' && !/^en\b/i.test(locale)) return undefined;
      const span = valueSpan(at);
      if (!span) return undefined;
      const lead = spaceAfterColon(text, span);
      return {
        kind: 'purpose-value',
        list,
        entry,
        span,
        write: (purpose) => lead + JSON.stringify(purpose),
      };
    }
  }
  return undefined;
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

// ---------------------------------------------------------------------------------------------
// Contexts

function newEntry(at: At): CursorContext | undefined {
  const span = entrySpan(at);
  if (!span) return undefined;
  const { manifest, text } = at;
  const { eol, unit } = layoutOf(text);
  const layout = entryLayout(text, span, unit);
  const before = manifest.permissionsArray
    ? commaBefore(
        text,
        manifest.entries.map((entry) => entry.node),
        span,
      )
    : undefined;
  const after = needsCommaAfter(text, span.end) ? ',' : '';
  return {
    kind: 'new-entry',
    list: manifest.appList,
    entry: undefined,
    span,
    ...(before ? { before } : {}),
    write: (name, purpose, snippet) => {
      const purposeText = `"${snippet.tabStop(1, jsonStringBody(purpose))}"`;
      const nameText = snippet.literal(JSON.stringify(name));
      const body = objectText([`"permission": ${nameText}`, `"purpose": ${purposeText}`], {
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
      return insert + after;
    },
  };
}

function entryKey(at: At, entry: PermissionEntry | undefined): CursorContext | undefined {
  const span = keySpan(at);
  if (!span) return undefined;
  const { manifest, text } = at;
  const edited = entry?.properties.find((property) => property.keyOffset === span.start);
  const present = new Set(
    (entry?.properties ?? [])
      .filter((property) => property !== edited)
      .map((property) => property.key),
  );
  const keyOnly = edited?.colonOffset !== undefined && edited.colonOffset >= 0;
  const before =
    entry && !keyOnly ? commaBefore(text, entry.properties.map(propertySpan), span) : undefined;
  const after = !keyOnly && needsCommaAfter(text, span.end) ? ',' : '';
  return {
    kind: 'entry-key',
    list: manifest.appList,
    entry,
    span,
    present,
    keyOnly,
    ...(before ? { before } : {}),
    write: (key, value, snippet) =>
      keyOnly ? `"${key}"` : `"${key}": "${snippet.tabStop(1, jsonStringBody(value))}"${after}`,
  };
}

function rootKey(at: At): CursorContext | undefined {
  const { manifest, text } = at;
  if (manifest.root?.type !== 'object') return undefined;
  const span = keySpan(at);
  if (!span) return undefined;
  const existing = manifest.permissionsProperty;
  if (existing && existing.keyOffset !== span.start) return undefined;
  const edited = manifest.rootProperties.find((property) => property.keyOffset === span.start);
  const keyOnly = edited?.colonOffset !== undefined && edited.colonOffset >= 0;
  const before = keyOnly
    ? undefined
    : commaBefore(text, manifest.rootProperties.map(propertySpan), span);
  return {
    kind: 'root-key',
    span,
    keyOnly,
    ...(before ? { before } : {}),
    write: (snippet) => {
      if (keyOnly) return '"permissions"';
      const { eol, unit } = layoutOf(text);
      const lineIndent = leadingIndent(text, span.start);
      // Plain text has no final cursor position: an empty array the user types into.
      const array = !snippet.snippets
        ? '[]'
        : lineIndent === undefined
          ? '[$0]'
          : `[${eol}${lineIndent}${unit}$0${eol}${lineIndent}]`;
      return `"permissions": ${array}${needsCommaAfter(text, span.end) ? ',' : ''}`;
    },
  };
}

/** The permission entry (array element) whose object contains the cursor. */
function entryAt(at: At): PermissionEntry | undefined {
  const { offset, manifest, location } = at;
  const inside = entryAtOffset(manifest, offset);
  if (inside) return inside;
  const index = location.path[1];
  return typeof index === 'number' ? manifest.entries[index] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Spans: what an item replaces

/** A value being typed: the string around the cursor (quotes included), or a bare word, or nothing. */
function valueSpan(at: At): ReplaceSpan | undefined {
  const previous = at.location.previousNode;
  if (previous) return previous.type === 'string' ? stringSpan(at, previous) : undefined;
  return wordSpan(at);
}

/** A key being typed: the key string around the cursor, or a bare word, or nothing. */
function keySpan(at: At): ReplaceSpan | undefined {
  const previous = at.location.previousNode;
  return previous ? stringSpan(at, previous) : wordSpan(at);
}

/** An array element being typed: a string (replaced by the entry), a bare word, or nothing. */
function entrySpan(at: At): ReplaceSpan | undefined {
  return valueSpan(at);
}

/** The string token containing the cursor; an unterminated one ends at the word after the cursor. */
function stringSpan(at: At, node: Node): ReplaceSpan | undefined {
  const { text, offset } = at;
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
function wordSpan(at: At): ReplaceSpan {
  const { text, offset } = at;
  return { start: wordStart(text, offset), end: wordEnd(text, offset), quoted: false };
}

export function wordStart(text: string, offset: number): number {
  let start = offset;
  while (start > 0 && isWordChar(text.charCodeAt(start - 1))) start--;
  return start;
}

export function wordEnd(text: string, offset: number): number {
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
function spaceAfterColon(text: string, span: ReplaceSpan): string {
  return text.charAt(span.start - 1) === ':' ? ' ' : '';
}

// ---------------------------------------------------------------------------------------------
// Separators and layout

/** Inserts the comma the previous sibling lacks before the inserted text. */
function commaBefore(
  text: string,
  siblings: readonly { readonly offset: number; readonly length: number }[],
  span: ReplaceSpan,
): Insertion | undefined {
  let previous: { readonly offset: number; readonly length: number } | undefined;
  for (const child of siblings) {
    if (child.offset + child.length <= span.start) previous = child;
  }
  if (!previous) return undefined;
  const previousEnd = previous.offset + previous.length;
  if (hasCommaBetween(text, previousEnd, span.start)) return undefined;
  return { offset: previousEnd, text: ',' };
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

function entryLayout(text: string, span: ReplaceSpan, unit: string): EntryLayout {
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
