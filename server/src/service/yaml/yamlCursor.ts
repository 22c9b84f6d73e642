import { stringify } from 'yaml';
import type { CursorContext, ReplaceSpan, SnippetWriter } from '../cursorContext';
import type { ManifestDocument, PermissionEntry, PermissionList } from '../manifestDocument';
import { detectYamlStyle, newItemColumn, yamlEntryText, type YamlStyle } from './yamlStyle';

/*
 * Where the cursor is in a YAML manifest (v2), for completion. YAML is read by its lines: the
 * model says where each permission list's key and items are, and the cursor's line (its
 * indentation, a `- ` indicator, a `permission:` or `purpose:` key) says what is being typed.
 * The parse of an unfinished line is no help (`- permission: cu` parses, `- ` is a null item,
 * `purp` is a plain scalar that swallows the entry), so the line decides and the model only
 * places it. A scalar being replaced keeps its quoting style; new entries are written in the
 * file's own layout (yamlStyle.ts), the one grant uses.
 */

type Line = { readonly start: number; readonly end: number };

export function cursorContextInYaml(
  manifest: ManifestDocument,
  offset: number,
): CursorContext | undefined {
  const text = manifest.text;
  if (offset < 0 || offset > text.length) return undefined;
  const list = manifest.lists.find((candidate) => inList(text, candidate, offset));
  if (!list) return undefined;
  const array = list.array;
  if (array && text.charAt(array.offset) === '[') return inFlowList(text, list, offset);
  const line = lineAround(text, offset);
  const before = text.slice(line.start, offset);
  const after = text.slice(offset, line.end);
  const value = /^( *)(- +)?(permission|purpose)[ \t]*:/.exec(before);
  if (value) {
    const keyOffset = line.start + (value[1]?.length ?? 0) + (value[2]?.length ?? 0);
    return inValue(text, list, offset, line, keyOffset, value[3] === 'permission');
  }
  const locale = /^( *)([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)[ \t]*:/.exec(before);
  if (locale) return inLocaleValue(text, list, offset, line, line.start + (locale[1]?.length ?? 0));
  const key = /^( *)(- +)?([A-Za-z_][\w.-]*)?$/.exec(before);
  const rest = /^([\w.-]*)(.*)$/.exec(after);
  if (!key || !rest) return undefined;
  const word = { start: offset - (key[3]?.length ?? 0), end: offset + (rest[1]?.length ?? 0) };
  const hasColon = /^[ \t]*:/.test(rest[2] ?? '');
  if (!hasColon && !/^[ \t]*(?:#.*)?$/.test(rest[2] ?? '')) return undefined;
  const indent = key[1]?.length ?? 0;
  const dash = listDashColumn(text, list);
  if (key[2] !== undefined) {
    if (dash !== undefined && indent !== dash) return undefined;
    if (hasColon) {
      const entry = list.entries.find((candidate) => candidate.node.offset === word.start);
      return entryKey(list, entry, word, true);
    }
    return newEntry(text, list, word, columnOf(text, word.start) - 2, false);
  }
  const above = entryAbove(list, line.start);
  const aboveColumn = above ? columnOf(text, above.node.offset) : undefined;
  if (above && above.isObject && indent === aboveColumn) {
    return entryKey(list, above, word, hasColon);
  }
  if (hasColon || (aboveColumn !== undefined && indent > aboveColumn)) return undefined;
  // On a line of its own at (or left of) the items: a new item, at the items' column.
  const style = detectYamlStyle(text);
  const column = dash ?? newItemColumn(columnOf(text, list.property.keyOffset), style);
  return newEntry(text, list, { start: line.start, end: word.end }, column, true, style);
}

// ---------------------------------------------------------------------------------------------
// Where the lists are

/**
 * Whether the cursor is in a list: after its key's colon, in its flow value, or on a line of
 * its block: blank, deeper than the key, or a `- ` item at the key's column.
 */
function inList(text: string, list: PermissionList, offset: number): boolean {
  const { property, array } = list;
  if (property.colonOffset === undefined || offset <= property.colonOffset) return false;
  const value = property.value;
  if (value && value.type !== 'array' && value.type !== 'null') return false;
  if (array && text.charAt(array.offset) === '[') {
    return offset > array.offset && offset < array.offset + array.length;
  }
  const keyLine = lineAround(text, property.keyOffset);
  if (offset <= keyLine.end) return false;
  const keyColumn = columnOf(text, property.keyOffset);
  const end = array ? array.offset + array.length : keyLine.end;
  if (offset <= end) return true;
  // From the line after the list's last one to the cursor's: every line still belongs to it.
  const cursorLine = lineAround(text, offset).start;
  for (let start = nextLineStart(text, lineAround(text, end).end); start <= cursorLine;) {
    const line = lineAround(text, start);
    const content = text.slice(line.start, line.end);
    const indent = /^ */.exec(content)?.[0].length ?? 0;
    if (content.trim() !== '') {
      if (indent < keyColumn) return false;
      if (indent === keyColumn && !content.startsWith('-', indent)) return false;
    }
    start = nextLineStart(text, line.end);
  }
  return true;
}

/** The last entry starting before `lineStart`. */
function entryAbove(list: PermissionList, lineStart: number): PermissionEntry | undefined {
  let found: PermissionEntry | undefined;
  for (const entry of list.entries) {
    if (entry.node.offset >= lineStart) break;
    found = entry;
  }
  return found;
}

/** The column of the list's `- ` indicators (from its first item), when it has items. */
function listDashColumn(text: string, list: PermissionList): number | undefined {
  const first = list.array?.items?.[0];
  if (!first) return undefined;
  let index = first.offset - 1;
  while (index >= 0 && text[index] === ' ') index--;
  if (text[index] === '-') return columnOf(text, index);
  // A null item (`- ` alone) starts at its indicator.
  return text[first.offset] === '-' ? columnOf(text, first.offset) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Contexts

function inValue(
  text: string,
  list: PermissionList,
  offset: number,
  line: Line,
  keyOffset: number,
  isPermission: boolean,
  known?: PermissionEntry,
): CursorContext | undefined {
  const colon = text.indexOf(':', keyOffset);
  let start = colon + 1;
  while (start < line.end && (text[start] === ' ' || text[start] === '\t')) start++;
  if (start > offset) return undefined;
  const span = scalarSpan(text, start, offset, line.end);
  if (!span) return undefined;
  const quote = span.quoted ? text.charAt(span.start) : '';
  const lead = text.charAt(span.start - 1) === ':' ? ' ' : '';
  const column = columnOf(text, keyOffset);
  const entry =
    known ??
    list.entries.find((candidate) => candidate.node.offset === keyOffset) ??
    ((): PermissionEntry | undefined => {
      const above = entryAbove(list, keyOffset);
      return above && columnOf(text, above.node.offset) === column ? above : undefined;
    })();
  if (isPermission) {
    return {
      kind: 'permission-value',
      list,
      entry,
      span,
      write: (name) => lead + quoted(name, quote),
    };
  }
  return {
    kind: 'purpose-value',
    list,
    entry,
    span,
    write: (purpose) => lead + quoted(purpose, quote),
  };
}

/**
 * In the text of a purpose written as a locale map (`purpose:` then `en-US: …`): a suggested
 * purpose for an English locale, as in JSON.
 */
function inLocaleValue(
  text: string,
  list: PermissionList,
  offset: number,
  line: Line,
  keyOffset: number,
): CursorContext | undefined {
  const entry = entryAbove(list, keyOffset);
  const property = entry?.purposeValue?.properties?.find(
    (candidate) => candidate.keyOffset === keyOffset,
  );
  if (!entry || !property || !/^en\b/i.test(property.key)) return undefined;
  return inValue(text, list, offset, line, keyOffset, false, entry);
}

function entryKey(
  list: PermissionList,
  entry: PermissionEntry | undefined,
  word: { start: number; end: number },
  keyOnly: boolean,
): CursorContext {
  const present = new Set(
    (entry?.properties ?? [])
      .filter((property) => property.keyOffset !== word.start)
      .map((property) => property.key),
  );
  return {
    kind: 'entry-key',
    list,
    entry,
    span: { ...word, quoted: false },
    present,
    keyOnly,
    write: (key, value, snippet) =>
      keyOnly
        ? key
        : `${key}: ${value === '' ? snippet.tabStop(1, '') : scalarSnippet(value, snippet)}`,
  };
}

/**
 * A new entry replacing `span`: a whole item with its dash at `column` (`withDash`), or the
 * item's content after a `- ` already typed (its dash at `column`).
 */
function newEntry(
  text: string,
  list: PermissionList,
  span: { start: number; end: number },
  column: number,
  withDash: boolean,
  style: YamlStyle = detectYamlStyle(text),
): CursorContext {
  const template = entryTemplate(Math.max(0, column), style);
  return {
    kind: 'new-entry',
    list,
    entry: undefined,
    span: { ...span, quoted: false },
    write: (name, purpose, snippet) => {
      const item = entrySnippet(template, name, purpose, snippet);
      return withDash ? item : item.slice(Math.max(0, column) + 2);
    },
  };
}

/** In a flow list (`permissions: []`): an empty one becomes a block list with the entry. */
function inFlowList(text: string, list: PermissionList, offset: number): CursorContext | undefined {
  const array = list.array;
  const colon = list.property.colonOffset;
  if (!array || colon === undefined || (array.items?.length ?? 0) > 0) return undefined;
  if (text.slice(array.offset + 1, offset).trim() !== '') return undefined;
  const style = detectYamlStyle(text);
  const column = newItemColumn(columnOf(text, list.property.keyOffset), style);
  const template = entryTemplate(column, style);
  return {
    kind: 'new-entry',
    list,
    entry: undefined,
    span: { start: colon + 1, end: array.offset + array.length, quoted: false, query: '' },
    write: (name, purpose, snippet) => style.eol + entrySnippet(template, name, purpose, snippet),
  };
}

// ---------------------------------------------------------------------------------------------
// Text

/** The text around an entry's name and purpose, as grant writes an entry (yamlStyle.ts). */
interface EntryTemplate {
  readonly beforeName: string;
  readonly beforePurpose: string;
  readonly after: string;
}

const NAME_MARK = 'name_mark';
const PURPOSE_MARK = 'purpose_mark';

/** Laid out once per completion with two plain markers, then filled in for each name. */
function entryTemplate(column: number, style: YamlStyle): EntryTemplate {
  const text = yamlEntryText(NAME_MARK, PURPOSE_MARK, column, style);
  const name = text.indexOf(NAME_MARK);
  const purpose = text.indexOf(PURPOSE_MARK);
  return {
    beforeName: text.slice(0, name),
    beforePurpose: text.slice(name + NAME_MARK.length, purpose),
    after: text.slice(purpose + PURPOSE_MARK.length),
  };
}

/**
 * The entry grant would insert, as a snippet: its purpose's scalar becomes tab stop 1 (inside
 * its quotes when it has some), everything else is literal.
 */
function entrySnippet(
  template: EntryTemplate,
  name: string,
  purpose: string,
  snippet: SnippetWriter,
): string {
  return (
    snippet.literal(template.beforeName + plainOrQuoted(name) + template.beforePurpose) +
    scalarSnippet(purpose, snippet) +
    snippet.literal(template.after)
  );
}

/** A purpose as a YAML scalar whose text is tab stop 1. */
function scalarSnippet(value: string, snippet: SnippetWriter): string {
  const scalar = plainOrQuoted(value);
  const quote = scalar.charAt(0);
  if ((quote === '"' || quote === "'") && scalar.length >= 2 && scalar.endsWith(quote)) {
    return quote + snippet.tabStop(1, scalar.slice(1, -1)) + snippet.literal(quote);
  }
  return snippet.tabStop(1, scalar);
}

/** A string in the quoting style of the scalar it replaces (plain when it can be). */
function quoted(value: string, quote: string): string {
  if (quote === "'") return `'${value.replace(/'/g, "''")}'`;
  if (quote === '"') return JSON.stringify(value);
  return plainOrQuoted(value);
}

/** Words and sentences any YAML writer leaves plain (`stringify` is slow for 136 names). */
const SURELY_PLAIN = /^[A-Za-z][\w ,.'()/-]*$/;
const KEYWORD = /^(?:true|false|null|yes|no|on|off|y|n)$/i;

/** The `yaml` package's own choice: plain when the text allows it, else quoted. */
function plainOrQuoted(value: string): string {
  if (SURELY_PLAIN.test(value) && !value.endsWith(' ') && !KEYWORD.test(value)) return value;
  return stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
}

/**
 * The scalar after a key, from `start`: a quoted one to its closing quote (or, unterminated, to
 * the word after the cursor), a plain one to its comment or the line's end.
 */
function scalarSpan(
  text: string,
  start: number,
  offset: number,
  lineEnd: number,
): ReplaceSpan | undefined {
  const first = text.charAt(start);
  if (first === '"' || first === "'") {
    const close = closingQuote(text, start, lineEnd);
    if (close === undefined) {
      let end = offset;
      while (end < lineEnd && /[\w.-]/.test(text.charAt(end))) end++;
      return { start, end, quoted: true };
    }
    return offset <= close ? { start, end: close + 1, quoted: true } : undefined;
  }
  if (start < lineEnd && /[[{|>&*!%@`]/.test(first)) return undefined;
  const comment = text.slice(start, lineEnd).search(/(?:^|[ \t])#/);
  let end = comment < 0 ? lineEnd : start + comment;
  while (end > start && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  if (offset > end && text.slice(end, offset).trim() !== '') return undefined;
  return { start, end: Math.max(end, offset), quoted: false };
}

/** The closing quote of a quoted scalar on its line (`''` and `\"` are escapes). */
function closingQuote(text: string, start: number, lineEnd: number): number | undefined {
  const quote = text.charAt(start);
  for (let index = start + 1; index < lineEnd; index++) {
    const char = text.charAt(index);
    if (quote === '"' && char === '\\') {
      index++;
      continue;
    }
    if (char !== quote) continue;
    if (quote === "'" && text.charAt(index + 1) === "'") {
      index++;
      continue;
    }
    return index;
  }
  return undefined;
}

/** The line holding `offset`: from after the previous line break to before the next. */
function lineAround(text: string, offset: number): Line {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  let end = offset;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  return { start, end };
}

/** The start of the line after the one ending at `lineEnd` (the text's end on the last line). */
function nextLineStart(text: string, lineEnd: number): number {
  if (text.startsWith('\r\n', lineEnd)) return lineEnd + 2;
  return lineEnd < text.length ? lineEnd + 1 : text.length + 1;
}

function columnOf(text: string, offset: number): number {
  return offset - lineAround(text, offset).start;
}
