import {
  isMap,
  isScalar,
  isSeq,
  parse,
  parseDocument,
  stringify,
  type Document,
  type Scalar,
  type YAMLSeq,
} from 'yaml';
import type { FormatEditor, RawEdit, ValuePath } from '../edits';
import {
  detectYamlStyle,
  newItemColumn,
  yamlBlockText as blockText,
  type YamlStyle,
} from './yamlStyle';

/*
 * The YAML side of the edit port (manifest v2). Every change is written from the exact source
 * ranges of the `yaml` Document: a new item copies the indentation of its neighbours (2 or 4
 * spaces, sequences indented under their key or not), a removed item takes its own lines with
 * it, a set scalar keeps its quoting style when the new text allows it, and nothing else moves:
 * comments, blank lines and key order stay. New YAML text comes from the `yaml` package's own
 * `stringify` with the document's indentation.
 */

export const yamlEditor: FormatEditor = {
  apply(text, operation) {
    const document = parseDocument(text, { uniqueKeys: false });
    if (document.errors.length > 0) return undefined;
    const style = detectYamlStyle(text);
    switch (operation.kind) {
      case 'set':
        return setScalar(text, document, operation.path, operation.value);
      case 'add-property':
        return addProperty(text, document, operation.object, operation.key, operation.value, style);
      case 'insert':
        return insertItem(text, document, operation.list, operation.index, operation.value, style);
      case 'remove-property':
        return removeProperty(text, document, operation.object, operation.index);
      case 'remove':
        return removeItems(text, document, operation.list, operation.indices);
      case 'reorder':
        return reorderItems(text, document, operation.list, operation.order);
    }
  },
  valueOf(text) {
    const document = parseDocument(text, { uniqueKeys: false });
    if (document.errors.length > 0) return undefined;
    try {
      return { value: document.toJS({ maxAliasCount: 100 }) as unknown };
    } catch (error) {
      // An alias bomb: `yaml` refuses to expand it, and an edit of it is refused likewise.
      if (error instanceof ReferenceError) return undefined;
      throw error;
    }
  },
};

function nodeAt(document: Document.Parsed, path: ValuePath): unknown {
  return path.length === 0 ? document.contents : document.getIn([...path], true);
}

/** The column of an offset (its distance from the start of its line). */
function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

function lineStart(text: string, offset: number): number {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  return start;
}

/** The end of the line holding `offset`, after its line break (or the text's end). */
function lineEndAfterBreak(text: string, offset: number): number {
  let end = offset;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  if (text.startsWith('\r\n', end)) return end + 2;
  return end < text.length ? end + 1 : end;
}

/** A node's range without trailing white space and line breaks. */
function contentEnd(text: string, node: { range?: [number, number, number] | null }): number {
  const range = node.range;
  if (!range) return 0;
  let end = range[1];
  while (end > range[0] && /\s/.test(text.charAt(end - 1))) end--;
  return end;
}

// ---------------------------------------------------------------------------------------------
// Operations

function setScalar(
  text: string,
  document: Document.Parsed,
  path: ValuePath,
  value: unknown,
): RawEdit[] | undefined {
  const node = nodeAt(document, path);
  if (!isScalar(node) || !node.range || typeof value !== 'string') return undefined;
  const start = node.range[0];
  const end = contentEnd(text, node);
  return [{ offset: start, length: end - start, content: scalarText(value, node) }];
}

/** A string in the scalar's own quoting style when that style can hold it, else quoted. */
function scalarText(value: string, like: Scalar): string {
  if (like.type === 'QUOTE_SINGLE' && !/[\r\n]/.test(value))
    return `'${value.replace(/'/g, "''")}'`;
  if (like.type === 'PLAIN' && isPlainSafe(value)) return value;
  return JSON.stringify(value);
}

function isPlainSafe(value: string): boolean {
  if (value === '' || value !== value.trim() || /[\r\n]/.test(value)) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(value) || /: |\s#/.test(value) || value.endsWith(':')) {
    return false;
  }
  try {
    return parse(value) === value;
  } catch {
    return false;
  }
}

function addProperty(
  text: string,
  document: Document.Parsed,
  objectPath: ValuePath,
  key: string,
  value: unknown,
  style: YamlStyle,
): RawEdit[] | undefined {
  const node = nodeAt(document, objectPath);
  if (!isMap(node) || node.flow) return undefined;
  const first = node.items[0];
  const last = node.items[node.items.length - 1];
  const firstKey = first?.key as { range?: [number, number, number] } | undefined;
  if (!first || !last || !firstKey?.range) return undefined;
  const column = columnOf(text, firstKey.range[0]);
  const lastEnd = itemEnd(text, last.value ?? last.key);
  const at = lineEndAfterBreak(text, lastEnd);
  const newText = blockText({ [key]: value }, column, style);
  const needsBreak = at === text.length && !/[\r\n]$/.test(text);
  return [
    {
      offset: at,
      length: 0,
      content: (needsBreak ? style.eol : '') + newText + (needsBreak ? '' : style.eol),
    },
  ];
}

/** Where a node's content ends: the end of its last non-blank character. */
function itemEnd(text: string, node: unknown): number {
  return contentEnd(text, node as { range?: [number, number, number] | null });
}

/** The offset of the `- ` indicator of a block sequence item. */
function indicatorOf(text: string, itemStart: number): number | undefined {
  let index = itemStart - 1;
  while (index >= 0 && (text[index] === ' ' || text[index] === '\t')) index--;
  return text[index] === '-' ? index : undefined;
}

function insertItem(
  text: string,
  document: Document.Parsed,
  listPath: ValuePath,
  index: number,
  value: unknown,
  style: YamlStyle,
): RawEdit[] | undefined {
  const list = nodeAt(document, listPath);
  if (!isSeq(list) || !list.range) return undefined;
  if (list.flow) return insertIntoFlow(text, document, list, listPath, value, style);
  const items = list.items as { range?: [number, number, number] | null }[];
  const anchor = items[Math.min(index, items.length - 1)];
  if (!anchor?.range) return undefined;
  const indicator = indicatorOf(text, anchor.range[0]);
  if (indicator === undefined) return undefined;
  const column = columnOf(text, indicator);
  const newText = blockText([value], column, style);
  if (index < items.length) {
    // Before the anchor: at the start of its line.
    return [{ offset: lineStart(text, indicator), length: 0, content: newText + style.eol }];
  }
  const at = lineEndAfterBreak(text, itemEnd(text, anchor));
  const needsBreak = at === text.length && !/[\r\n]$/.test(text);
  return [
    {
      offset: at,
      length: 0,
      content: (needsBreak ? style.eol : '') + newText + (needsBreak ? '' : style.eol),
    },
  ];
}

/**
 * Into a flow sequence: an empty `[]` becomes a block sequence under its key (as `stripe apps`
 * writes lists); a non-empty one gets the item appended in flow style.
 */
function insertIntoFlow(
  text: string,
  document: Document.Parsed,
  list: YAMLSeq,
  listPath: ValuePath,
  value: unknown,
  style: YamlStyle,
): RawEdit[] | undefined {
  const range = list.range;
  if (!range) return undefined;
  const end = contentEnd(text, list);
  if (list.items.length > 0) {
    const close = text.lastIndexOf(']', end);
    const flow = stringify(value, { flow: true, lineWidth: 0 }).replace(/\n$/, '');
    return [{ offset: close, length: 0, content: `, ${flow}` }];
  }
  const key = listKey(text, document, listPath);
  if (!key || key.colon > range[0]) return undefined;
  const column = newItemColumn(columnOf(text, key.start), style);
  const colon = key.colon;
  return [
    {
      offset: colon + 1,
      length: end - colon - 1,
      content: style.eol + blockText([value], column, style),
    },
  ];
}

interface ItemLines {
  start: number;
  end: number;
  contentEnd: number;
}

/**
 * The lines of each item of the block sequence at `listPath`: from its line's start to after
 * its last line's break. Undefined for a flow sequence or an item sharing a line.
 */
function blockItemLines(
  text: string,
  document: Document.Parsed,
  listPath: ValuePath,
): ItemLines[] | undefined {
  const list = nodeAt(document, listPath);
  if (!isSeq(list) || list.flow) return undefined;
  const lines: ItemLines[] = [];
  for (const item of list.items as { range?: [number, number, number] | null }[]) {
    if (!item.range) return undefined;
    const indicator = indicatorOf(text, item.range[0]);
    if (indicator === undefined) return undefined;
    const start = lineStart(text, indicator);
    if (text.slice(start, indicator).trim() !== '') return undefined;
    const last = itemEnd(text, item);
    lines.push({ start, end: lineEndAfterBreak(text, last), contentEnd: last });
  }
  return lines;
}

function removeItems(
  text: string,
  document: Document.Parsed,
  listPath: ValuePath,
  indices: readonly number[],
): RawEdit[] | undefined {
  const lines = blockItemLines(text, document, listPath);
  if (!lines) return undefined;
  const removing = new Set(indices);
  if (removing.size === lines.length) return removeAll(text, document, listPath, lines);
  return [...removing].map((index) => {
    const line = lines[index];
    return line
      ? { offset: line.start, length: line.end - line.start, content: '' }
      : { offset: 0, length: 0, content: '' };
  });
}

/** Every item goes: the list becomes `[]` after its key, as an empty list is written. */
function removeAll(
  text: string,
  document: Document.Parsed,
  listPath: ValuePath,
  lines: readonly ItemLines[],
): RawEdit[] | undefined {
  const key = listKey(text, document, listPath);
  const last = lines[lines.length - 1];
  if (!key || !last) return undefined;
  return [{ offset: key.colon + 1, length: last.contentEnd - key.colon - 1, content: ' []' }];
}

/**
 * Reorders a block sequence. Each item moves with its comments, as the JSON side does: the
 * comment on its last line, the comment lines indented under it that follow it directly, and
 * every comment line between the item before it (or the list's key) and it, with whatever blank
 * lines stand between those comments and the item. Blank lines before an item's first comment
 * stay where they are, as do the line breaks: the last slot keeps the original end (a final
 * line break or its absence), so reordering back gives the original bytes.
 */
function reorderItems(
  text: string,
  document: Document.Parsed,
  listPath: ValuePath,
  order: readonly number[],
): RawEdit[] | undefined {
  const list = nodeAt(document, listPath);
  if (isSeq(list) && list.flow) return reorderFlowItems(text, list, order);
  const units = reorderUnits(text, document, listPath);
  const first = units?.[0];
  const last = units?.[units.length - 1];
  if (!units || !first || !last || order.length !== units.length) return undefined;
  const texts = units.map((unit) => text.slice(unit.start, unit.end));
  const lastIndex = units.length - 1;
  const movedLast = order[lastIndex] ?? lastIndex;
  const lastText = texts[lastIndex] ?? '';
  if (movedLast !== lastIndex && !/[\r\n]$/.test(lastText)) {
    // The text ends without a line break: the item that comes last gives its break to the one
    // that leaves the end.
    const moving = texts[movedLast] ?? '';
    const lineBreak = /(\r\n|\r|\n)$/.exec(moving)?.[0] ?? '';
    texts[movedLast] = moving.slice(0, moving.length - lineBreak.length);
    texts[lastIndex] = lastText + lineBreak;
  }
  let reordered = '';
  for (const [position, index] of order.entries()) {
    const slot = units[position];
    const previous = units[position - 1];
    // Between two items only blank lines are left: they stay in their slot.
    if (slot && previous) reordered += text.slice(previous.end, slot.start);
    reordered += texts[index] ?? '';
  }
  return [{ offset: first.start, length: last.end - first.start, content: reordered }];
}

/** A flow sequence (`[a, b]`): the items swap places; commas, spaces and comments stay. */
function reorderFlowItems(
  text: string,
  list: YAMLSeq,
  order: readonly number[],
): RawEdit[] | undefined {
  const spans: { start: number; end: number }[] = [];
  for (const item of list.items as { range?: [number, number, number] | null }[]) {
    if (!item.range) return undefined;
    spans.push({ start: item.range[0], end: contentEnd(text, item) });
  }
  const first = spans[0];
  const last = spans[spans.length - 1];
  if (!first || !last || order.length !== spans.length) return undefined;
  let reordered = '';
  for (const [position, index] of order.entries()) {
    const slot = spans[position];
    const previous = spans[position - 1];
    const moving = spans[index];
    if (!slot || !moving) return undefined;
    if (previous) reordered += text.slice(previous.end, slot.start);
    reordered += text.slice(moving.start, moving.end);
  }
  return [{ offset: first.start, length: last.end - first.start, content: reordered }];
}

/** An item with the comments that move with it: from `start` to after its last line's break. */
interface ReorderUnit {
  start: number;
  end: number;
}

function reorderUnits(
  text: string,
  document: Document.Parsed,
  listPath: ValuePath,
): ReorderUnit[] | undefined {
  const lines = blockItemLines(text, document, listPath);
  if (!lines) return undefined;
  // Comments above the first item start after the key's line (a comment on it stays there).
  const key = listKey(text, document, listPath);
  const firstStart = lines[0]?.start ?? 0;
  const keyLineEnd = key ? lineEndAfterBreak(text, key.colon) : firstStart;
  let boundary = keyLineEnd <= firstStart ? keyLineEnd : firstStart;
  const units: ReorderUnit[] = [];
  for (const line of lines) {
    const dashColumn = columnOf(text, firstNonBlank(text, line.start));
    const start = leadingCommentsStart(text, boundary, line.start);
    const end = indentedCommentsEnd(text, line.end, dashColumn);
    units.push({ start, end });
    boundary = end;
  }
  return units;
}

/** The first character of a line that is neither a space nor a tab. */
function firstNonBlank(text: string, offset: number): number {
  let index = offset;
  while (text[index] === ' ' || text[index] === '\t') index++;
  return index;
}

/**
 * Where the comment lines before an item start: the first comment line between `boundary` (a
 * line start) and the item's line, after the last line that is neither blank nor a comment.
 */
function leadingCommentsStart(text: string, boundary: number, itemLineStart: number): number {
  let start = itemLineStart;
  for (let line = boundary; line < itemLineStart; line = lineEndAfterBreak(text, line)) {
    const content = text[firstNonBlank(text, line)];
    if (content === '#') start = Math.min(start, line);
    else if (content !== '\n' && content !== '\r' && content !== undefined) start = itemLineStart;
  }
  return start;
}

/** After the comment lines indented deeper than the item's `-` that follow it directly. */
function indentedCommentsEnd(text: string, itemEnd: number, dashColumn: number): number {
  let end = itemEnd;
  while (end < text.length) {
    const content = firstNonBlank(text, end);
    if (text[content] !== '#' || content - end <= dashColumn) break;
    end = lineEndAfterBreak(text, content);
  }
  return end;
}

/** A block map's property at `index` goes with its lines (from its key's line to its value's). */
function removeProperty(
  text: string,
  document: Document.Parsed,
  objectPath: ValuePath,
  index: number,
): RawEdit[] | undefined {
  const node = nodeAt(document, objectPath);
  if (!isMap(node) || node.flow) return undefined;
  const pair = node.items[index];
  const key = pair?.key as { range?: [number, number, number] } | undefined;
  if (!pair || !key?.range) return undefined;
  const start = lineStart(text, key.range[0]);
  if (text.slice(start, key.range[0]).trim() !== '') return undefined;
  const end = lineEndAfterBreak(text, itemEnd(text, pair.value ?? key));
  return [{ offset: start, length: end - start, content: '' }];
}

/** Where the key of the list at `listPath` starts, and its colon. */
function listKey(
  text: string,
  document: Document.Parsed,
  listPath: ValuePath,
): { start: number; colon: number } | undefined {
  const parent = nodeAt(document, listPath.slice(0, -1));
  const keyName = listPath[listPath.length - 1];
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === keyName);
  const key = pair?.key as { range?: [number, number, number] } | undefined;
  if (!key?.range) return undefined;
  const colon = text.indexOf(':', key.range[1]);
  return colon < 0 ? undefined : { start: key.range[0], colon };
}
