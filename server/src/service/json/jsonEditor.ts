import { createScanner, findNodeAtLocation, getNodeValue, type Node } from 'jsonc-parser';
import { applyRawEdits, type EditOperation, type FormatEditor, type RawEdit } from '../edits';
import { detectFormatting, indentUnit, type DetectedFormatting } from '../formatting';
import { JsonToken as Token } from './jsoncTokens';
import { ONE_LINE_SPACING, objectText } from './objectLayout';
import { parseJsonTree } from './jsonManifest';

/*
 * The JSON side of the edit port. Each operation is written in the document's own layout: a
 * new item copies the indentation, line breaks and one-line or multi-line shape of its
 * neighbours, and removing an item removes exactly what inserting it added (its line, or its
 * separator), so grant then revoke gives back the original bytes. jsonc-parser `modify` is not
 * used for insertions and removals: it reformats the neighbouring items it touches (one-line
 * entries become multi-line, a comment after an item moves before the new one), which users
 * see as noise in their diffs; CONTRIBUTING lists the layouts this keeps.
 */

/** Where a new item goes: on its own line (with this indentation) or inline. */
interface ItemLayout {
  readonly multiline: boolean;
  /** The indentation of the item's line (multi-line), or of the line it is inserted in. */
  readonly indent: string;
  readonly eol: string;
}

export const jsonEditor: FormatEditor = {
  apply(text, operation) {
    const { root, errors } = parseJsonTree(text);
    if (errors.length > 0 || !root) return undefined;
    return operationEdits(text, root, operation);
  },
  valueOf(text) {
    const { root, errors } = parseJsonTree(text);
    if (errors.length > 0 || !root) return undefined;
    return { value: getNodeValue(root) as unknown };
  },
};

function operationEdits(text: string, root: Node, operation: EditOperation): RawEdit[] | undefined {
  switch (operation.kind) {
    case 'set': {
      const node = findNodeAtLocation(root, [...operation.path]);
      if (!node) return undefined;
      return [
        { offset: node.offset, length: node.length, content: JSON.stringify(operation.value) },
      ];
    }
    case 'add-property': {
      const object = findNodeAtLocation(root, [...operation.object]);
      if (object?.type !== 'object') return undefined;
      const properties = object.children ?? [];
      const formatting = detectFormatting(text);
      return insertItemEdits(
        text,
        object,
        properties,
        properties.length - 1,
        (layout) => propertyText(text, object, operation.key, operation.value, layout, formatting),
        formatting,
      );
    }
    case 'remove-property': {
      const object = findNodeAtLocation(root, [...operation.object]);
      if (object?.type !== 'object') return undefined;
      const properties = object.children ?? [];
      if (!properties[operation.index]) return undefined;
      return removeItemEdits(text, object, properties, operation.index);
    }
    case 'insert': {
      const list = findNodeAtLocation(root, [...operation.list]);
      if (list?.type !== 'array') return undefined;
      const items = list.children ?? [];
      const formatting = detectFormatting(text);
      const template = lastObjectItem(items);
      return insertItemEdits(
        text,
        list,
        items,
        operation.index - 1,
        (layout) => valueText(text, template, operation.value, layout, formatting),
        formatting,
      );
    }
    case 'remove': {
      const list = findNodeAtLocation(root, [...operation.list]);
      if (list?.type !== 'array') return undefined;
      return removeItemsEdits(text, list, operation.indices);
    }
    case 'reorder': {
      const list = findNodeAtLocation(root, [...operation.list]);
      if (list?.type !== 'array') return undefined;
      return reorderEdits(text, list, operation.order);
    }
  }
}

/**
 * Removes items from an array. When each has a line to itself, all in one step: each item's
 * line goes and, when the last item goes without a comma after it, so does the comma after the
 * last item kept. Otherwise one item at a time (the removal of one shifts what follows).
 */
function removeItemsEdits(
  text: string,
  array: Node,
  indices: readonly number[],
): RawEdit[] | undefined {
  const items = array.children ?? [];
  const removing = [...new Set(indices)].sort((a, b) => a - b);
  if (removing.some((index) => !items[index])) return undefined;
  if (removing.length === 1) return removeItemEdits(text, array, items, removing[0] ?? 0);
  const ownLines = ownLineRemovals(text, array, items, new Set(removing));
  if (ownLines) return ownLines;
  // One at a time, the first first: each removal is written against the text left by the last.
  let current = text;
  for (const [done, index] of removing.entries()) {
    const { root } = parseJsonTree(current);
    const list = root && findNodeAtLocation(root, pathOf(array));
    if (list?.type !== 'array') return undefined;
    const next = applyRawEdits(
      current,
      removeItemEdits(current, list, list.children ?? [], index - done),
    );
    if (next === undefined) return undefined;
    current = next;
  }
  return [{ offset: 0, length: text.length, content: current }];
}

function pathOf(node: Node): (string | number)[] {
  const path: (string | number)[] = [];
  let child = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (parent.type === 'property') {
      const key = propertyKey(parent);
      if (key !== undefined) path.unshift(key);
    } else if (parent.type === 'array') {
      path.unshift(parent.children?.indexOf(child) ?? 0);
    }
  }
  return path;
}

function ownLineRemovals(
  text: string,
  array: Node,
  items: readonly Node[],
  removing: ReadonlySet<number>,
): RawEdit[] | undefined {
  const edits: RawEdit[] = [];
  for (const index of removing) {
    const item = items[index];
    if (!item) return undefined;
    const itemEnd = item.offset + item.length;
    const comma = commaAfter(text, itemEnd);
    const start = ownLineStart(text, item.offset);
    const trailer = lineTrailer(text, comma === undefined ? itemEnd : comma + 1);
    if (!start || !trailer.atEol) return undefined;
    edits.push({ offset: start.eolStart, length: trailer.lineEnd - start.eolStart, content: '' });
  }
  const lastIndex = items.length - 1;
  const last = items[lastIndex];
  if (!last) return undefined;
  const lastComma = commaAfter(text, last.offset + last.length);
  if (removing.size === items.length) {
    // All of them: `[]` when nothing but white space is left, else just their lines go.
    const open = array.offset + 1;
    const close = array.offset + array.length - 1;
    const lastEnd = lastComma === undefined ? last.offset + last.length : lastComma + 1;
    let position = open;
    let blank = isBlank(text, lastEnd, close);
    for (const edit of [...edits].sort((a, b) => a.offset - b.offset)) {
      blank &&= isBlank(text, position, edit.offset);
      position = edit.offset + edit.length;
    }
    if (blank && isBlank(text, position, close)) {
      return [{ offset: open, length: close - open, content: '' }];
    }
  } else if (removing.has(lastIndex) && lastComma === undefined) {
    let kept = lastIndex;
    while (kept >= 0 && removing.has(kept)) kept--;
    const keptItem = items[kept];
    const separator = keptItem && commaAfter(text, keptItem.offset + keptItem.length);
    if (separator !== undefined) edits.push({ offset: separator, length: 1, content: '' });
  }
  return edits;
}

/**
 * Reorders an array's items. Each item moves with the comments above it and, when every item
 * ends its line, the comment after it on its line; commas, line breaks and indentation stay.
 */
function reorderEdits(text: string, array: Node, order: readonly number[]): RawEdit[] | undefined {
  const items = array.children ?? [];
  const open = array.offset + 1;
  const units = items.map((item, index) => {
    const previous = items[index - 1];
    const boundary = previous ? afterSeparator(text, previous) : open;
    const trailerStart = afterSeparator(text, item);
    return {
      coreStart: leadingCommentStart(text, boundary, item.offset),
      coreEnd: item.offset + item.length,
      trailerStart,
      trailerEnd: sameLineCommentEnd(text, trailerStart),
    };
  });
  // Comments after an item move with it only when every item ends its line; else a line
  // comment could land before another item on the same line.
  const moveTrailers = units.every((unit) => lineTrailer(text, unit.trailerStart).atEol);
  const first = units[0];
  const last = units[units.length - 1];
  if (!first || !last) return undefined;
  const regionStart = first.coreStart;
  const regionEnd = moveTrailers ? last.trailerEnd : last.coreEnd;
  let reordered = '';
  let position = regionStart;
  units.forEach((slot, index) => {
    const unit = units[order[index] ?? index] ?? slot;
    reordered += text.slice(position, slot.coreStart) + text.slice(unit.coreStart, unit.coreEnd);
    position = slot.coreEnd;
    if (moveTrailers) {
      reordered +=
        text.slice(position, slot.trailerStart) + text.slice(unit.trailerStart, unit.trailerEnd);
      position = slot.trailerEnd;
    }
  });
  reordered += text.slice(position, regionEnd);
  return [{ offset: regionStart, length: regionEnd - regionStart, content: reordered }];
}

/** The last non-empty object of a list: the style new entries copy. */
function lastObjectItem(items: readonly Node[]): Node | undefined {
  for (let index = items.length - 1; index >= 0; index--) {
    const item = items[index];
    if (item?.type === 'object' && (item.children?.length ?? 0) > 0) return item;
  }
  return undefined;
}

/** A new item's text: an object in its neighbours' style, anything else as JSON. */
function valueText(
  text: string,
  template: Node | undefined,
  value: unknown,
  layout: ItemLayout,
  formatting: DetectedFormatting,
): string {
  if (!isPlainObject(value)) return JSON.stringify(value);
  const style = objectStyle(text, template, indentUnit(formatting));
  return styledObjectText(style, Object.entries(value), layout);
}

/**
 * A property's text (`"key": value`) with the colon its siblings use. A list of objects (a new
 * `permissions`) is written one item per line when the object is multi-line.
 */
function propertyText(
  text: string,
  object: Node,
  key: string,
  value: unknown,
  layout: ItemLayout,
  formatting: DetectedFormatting,
): string {
  const sibling = object.children?.[0];
  const colon = (sibling && colonOf(text, sibling)) ?? ': ';
  const head = `${JSON.stringify(key)}${colon}`;
  if (!Array.isArray(value) || !value.every(isPlainObject)) return head + JSON.stringify(value);
  const unit = indentUnit(formatting);
  const style = objectStyle(text, undefined, unit);
  if (!layout.multiline || value.length === 0) {
    const items = value.map((item) =>
      styledObjectText({ ...style, multiline: false }, Object.entries(item), layout),
    );
    return `${head}[${items.join(', ')}]`;
  }
  const inner = layout.indent + unit;
  const items = value.map((item) =>
    styledObjectText(style, Object.entries(item), { ...layout, indent: inner }),
  );
  return `${head}[${items.map((item) => layout.eol + inner + item).join(',')}${layout.eol}${layout.indent}]`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function insertItemEdits(
  text: string,
  container: Node,
  items: readonly Node[],
  afterIndex: number,
  make: (layout: ItemLayout) => string,
  formatting: DetectedFormatting,
): RawEdit[] | undefined {
  const open = container.offset + 1;
  const close = container.offset + container.length - 1;
  const anchor = items[afterIndex];
  if (!anchor) {
    if (afterIndex !== -1 || items.length > 0) return undefined;
    const containerIndent = lineIndent(text, container.offset);
    const indent = containerIndent + indentUnit(formatting);
    const eol = formatting.eol;
    const comment = lastComment(text, open, close);
    if (!comment) {
      // Empty or only white space: the item on its own line, the bracket on the next.
      const item = make({ multiline: true, indent, eol });
      return [
        {
          offset: open,
          length: close - open,
          content: eol + indent + item + eol + containerIndent,
        },
      ];
    }
    // Only comments inside: the item goes after the last one.
    const trailer = lineTrailer(text, comment.end);
    if (trailer.atEol) {
      const start = ownLineStart(text, comment.start);
      const itemIndent = start ? text.slice(start.lineStart, comment.start) : indent;
      const lineEol = eolAt(text, trailer.lineEnd) ?? eol;
      const item = make({ multiline: true, indent: itemIndent, eol: lineEol });
      return [{ offset: trailer.lineEnd, length: 0, content: lineEol + itemIndent + item }];
    }
    const item = make({ multiline: true, indent, eol });
    return [
      {
        offset: comment.end,
        length: close - comment.end,
        content: eol + indent + item + eol + containerIndent,
      },
    ];
  }

  const anchorEnd = anchor.offset + anchor.length;
  const comma = commaAfter(text, anchorEnd);
  const afterComma = comma === undefined ? anchorEnd : comma + 1;
  const start = ownLineStart(text, anchor.offset);
  const trailer = lineTrailer(text, afterComma);
  if (start && trailer.atEol) {
    // One item per line: a new line after the anchor's (after its comma and comments).
    const indent = text.slice(start.lineStart, anchor.offset);
    const eol = eolAt(text, trailer.lineEnd) ?? formatting.eol;
    const item =
      eol + indent + make({ multiline: true, indent, eol }) + (comma === undefined ? '' : ',');
    if (comma !== undefined) return [{ offset: trailer.lineEnd, length: 0, content: item }];
    if (trailer.lineEnd === anchorEnd)
      return [{ offset: anchorEnd, length: 0, content: `,${item}` }];
    return [
      { offset: anchorEnd, length: 0, content: ',' },
      { offset: trailer.lineEnd, length: 0, content: item },
    ];
  }
  // Inline: after the anchor, separated as the anchor is from its predecessor.
  const separator = inlineSeparator(text, items, afterIndex);
  const item = make({
    multiline: false,
    indent: lineIndent(text, anchor.offset),
    eol: formatting.eol,
  });
  if (comma !== undefined) {
    return [{ offset: comma + 1, length: 0, content: `${separator}${item},` }];
  }
  return [{ offset: anchorEnd, length: 0, content: `,${separator}${item}` }];
}

function removeItemEdits(
  text: string,
  container: Node,
  items: readonly Node[],
  index: number,
): RawEdit[] {
  const item = items[index];
  if (!item) return [];
  const previous = items[index - 1];
  const next = items[index + 1];
  const open = container.offset + 1;
  const close = container.offset + container.length - 1;
  const itemEnd = item.offset + item.length;
  const comma = commaAfter(text, itemEnd);
  const afterComma = comma === undefined ? itemEnd : comma + 1;
  if (items.length === 1 && isBlank(text, open, item.offset) && isBlank(text, afterComma, close)) {
    return [{ offset: open, length: close - open, content: '' }];
  }
  const start = ownLineStart(text, item.offset);
  const trailer = lineTrailer(text, afterComma);
  if (start && trailer.atEol) {
    const edits: RawEdit[] = [
      { offset: start.eolStart, length: trailer.lineEnd - start.eolStart, content: '' },
    ];
    if (!next && comma === undefined && previous) {
      // The last item goes: so does the comma that separated it from the one before.
      const separator = commaAfter(text, previous.offset + previous.length);
      if (separator !== undefined) edits.push({ offset: separator, length: 1, content: '' });
    }
    return edits;
  }
  if (next) {
    let end = afterComma;
    while (end < close && isInlineSpace(text.charCodeAt(end))) end++;
    let begin = item.offset;
    if (isLineBreak(text.charCodeAt(end))) {
      while (begin > open && isInlineSpace(text.charCodeAt(begin - 1))) begin--;
    }
    return [{ offset: begin, length: end - begin, content: '' }];
  }
  if (previous) {
    const previousEnd = previous.offset + previous.length;
    const separator = commaAfter(text, previousEnd) ?? previousEnd;
    return [{ offset: separator, length: itemEnd - separator, content: '' }];
  }
  let begin = item.offset;
  while (begin > open && isInlineSpace(text.charCodeAt(begin - 1))) begin--;
  return [{ offset: begin, length: afterComma - begin, content: '' }];
}

interface ObjectStyle {
  readonly multiline: boolean;
  /** Between a key and its value, `: ` usually. */
  readonly colon: string;
  /** Inline objects: after `{`, between properties (after the comma), before `}`. */
  readonly open: string;
  readonly between: string;
  readonly close: string;
  /** Multi-line objects: the properties' indentation relative to the object's line. */
  readonly step: string;
  /** Keys in the template's order. */
  readonly order: readonly string[];
}

/** The style of an existing object, or the default multi-line one. */
function objectStyle(text: string, template: Node | undefined, unit: string): ObjectStyle {
  const fallback: ObjectStyle = {
    multiline: true,
    colon: ': ',
    ...ONE_LINE_SPACING,
    step: unit,
    order: [],
  };
  const properties = template?.type === 'object' ? (template.children ?? []) : [];
  const first = properties[0];
  const last = properties[properties.length - 1];
  if (!template || !first || !last) return fallback;
  const source = text.slice(template.offset, template.offset + template.length);
  const multiline = source.includes('\n') || source.includes('\r');
  const inline = (value: string, otherwise: string): string =>
    /^[ \t]*$/.test(value) ? value : otherwise;
  const second = properties[1];
  const firstComma = commaAfter(text, first.offset + first.length);
  let step = unit;
  if (multiline) {
    const start = ownLineStart(text, first.offset);
    const objectIndent = lineIndent(text, template.offset);
    const propertyIndent = start ? text.slice(start.lineStart, first.offset) : undefined;
    if (propertyIndent?.startsWith(objectIndent) && propertyIndent.length > objectIndent.length) {
      step = propertyIndent.slice(objectIndent.length);
    }
  }
  return {
    multiline,
    colon: colonOf(text, first) ?? ': ',
    open: inline(text.slice(template.offset + 1, first.offset), ' '),
    between:
      second && firstComma !== undefined
        ? inline(text.slice(firstComma + 1, second.offset), ' ')
        : ' ',
    close: inline(
      text.slice(last.offset + last.length, template.offset + template.length - 1),
      ' ',
    ),
    step,
    order: properties.map(propertyKey).filter((key): key is string => key !== undefined),
  };
}

/** An object's text in a style: one line, or one property per line from `layout.indent`. */
function styledObjectText(
  style: ObjectStyle,
  fields: ReadonlyArray<readonly [string, unknown]>,
  layout: ItemLayout,
): string {
  const rank = (key: string): number => {
    const at = style.order.indexOf(key);
    return at < 0 ? style.order.length : at;
  };
  const ordered = [...fields].sort((a, b) => rank(a[0]) - rank(b[0]));
  const properties = ordered.map(
    ([key, value]) => `${JSON.stringify(key)}${style.colon}${JSON.stringify(value)}`,
  );
  return objectText(properties, {
    ...style,
    multiline: style.multiline && layout.multiline,
    indent: layout.indent,
    eol: layout.eol,
  });
}

/** The text between a property's key and value when it is a plain colon (`: `, ` : `). */
export function colonOf(text: string, property: Node): string | undefined {
  const [key, value] = property.children ?? [];
  if (!key || !value) return undefined;
  const colon = text.slice(key.offset + key.length, value.offset);
  return /^[ \t]*:[ \t]*$/.test(colon) ? colon : undefined;
}

// ---------------------------------------------------------------------------------------------
// Text and token helpers

function isInlineSpace(char: number): boolean {
  return char === 0x20 || char === 0x09;
}

function isLineBreak(char: number): boolean {
  return char === 0x0a || char === 0x0d;
}

function isBlank(text: string, from: number, to: number): boolean {
  for (let index = from; index < to; index++) {
    const char = text.charCodeAt(index);
    if (!isInlineSpace(char) && !isLineBreak(char)) return false;
  }
  return true;
}

/** The line break at `offset`, if there is one. */
function eolAt(text: string, offset: number): string | undefined {
  if (text.startsWith('\r\n', offset)) return '\r\n';
  const char = text.charCodeAt(offset);
  return char === 0x0a ? '\n' : char === 0x0d ? '\r' : undefined;
}

/** The white space at the start of the line holding `offset`. */
export function lineIndent(text: string, offset: number): string {
  let start = offset;
  while (start > 0 && !isLineBreak(text.charCodeAt(start - 1))) start--;
  let end = start;
  while (end < text.length && isInlineSpace(text.charCodeAt(end))) end++;
  return text.slice(start, end);
}

/**
 * When only white space precedes `offset` on its line: where that line starts and where the
 * line break before it starts.
 */
export function ownLineStart(
  text: string,
  offset: number,
): { lineStart: number; eolStart: number } | undefined {
  let index = offset;
  while (index > 0 && isInlineSpace(text.charCodeAt(index - 1))) index--;
  if (index === 0) return undefined;
  const char = text.charCodeAt(index - 1);
  if (char === 0x0a) {
    const eolStart = index >= 2 && text.charCodeAt(index - 2) === 0x0d ? index - 2 : index - 1;
    return { lineStart: index, eolStart };
  }
  if (char === 0x0d) return { lineStart: index, eolStart: index - 1 };
  return undefined;
}

/**
 * From `offset`: white space and comments to the end of the line. `atEol` when nothing else
 * follows on the line; `lineEnd` is then where its line break (or the text) begins.
 */
export function lineTrailer(text: string, offset: number): { atEol: boolean; lineEnd: number } {
  const scanner = createScanner(text, false);
  scanner.setPosition(offset);
  for (;;) {
    const kind: number = scanner.scan();
    if (kind === Token.Trivia || kind === Token.LineComment) continue;
    if (kind === Token.BlockComment && !/[\r\n]/.test(scanner.getTokenValue())) continue;
    if (kind === Token.LineBreak || kind === Token.EOF) {
      return { atEol: true, lineEnd: scanner.getTokenOffset() };
    }
    return { atEol: false, lineEnd: scanner.getTokenOffset() };
  }
}

/** The offset of the comma following `offset` when the next token (past comments) is one. */
export function commaAfter(text: string, offset: number): number | undefined {
  const scanner = createScanner(text, false);
  scanner.setPosition(offset);
  for (;;) {
    const kind: number = scanner.scan();
    switch (kind) {
      case Token.Trivia:
      case Token.LineBreak:
      case Token.LineComment:
      case Token.BlockComment:
        continue;
      case Token.Comma:
        return scanner.getTokenOffset();
      default:
        return undefined;
    }
  }
}

function lastComment(
  text: string,
  from: number,
  to: number,
): { start: number; end: number } | undefined {
  const scanner = createScanner(text, false);
  scanner.setPosition(from);
  let found: { start: number; end: number } | undefined;
  for (;;) {
    const kind: number = scanner.scan();
    if (kind === Token.EOF || scanner.getTokenOffset() >= to) return found;
    if (kind === Token.LineComment || kind === Token.BlockComment) {
      const start = scanner.getTokenOffset();
      found = { start, end: start + scanner.getTokenLength() };
    }
  }
}

function inlineSeparator(text: string, items: readonly Node[], index: number): string {
  const previous = items[index - 1];
  const item = items[index];
  if (!previous || !item) return ' ';
  const comma = commaAfter(text, previous.offset + previous.length);
  if (comma === undefined) return ' ';
  const gap = text.slice(comma + 1, item.offset);
  return /^[ \t]*$/.test(gap) ? gap : ' ';
}

/** After the comma following `node` when there is one, else right after `node`. */
function afterSeparator(text: string, node: Node): number {
  const end = node.offset + node.length;
  const comma = commaAfter(text, end);
  return comma === undefined ? end : comma + 1;
}

/**
 * Where an element's leading comments start: the first comment between `boundary` (after the
 * previous element's comma, or the bracket) and the element, not counting comments on the
 * boundary's own line (they belong to what is before).
 */
function leadingCommentStart(text: string, boundary: number, elementStart: number): number {
  const trailer = lineTrailer(text, boundary);
  const from = trailer.atEol ? trailer.lineEnd : boundary;
  // Between two elements there is only white space, comments and the separator.
  for (let index = from; index < elementStart; index++) {
    const char = text.charCodeAt(index);
    if (char === 0x2f) return index; // '/': the first comment
    if (char !== 0x20 && char !== 0x09 && char !== 0x0a && char !== 0x0d) return elementStart;
  }
  return elementStart;
}

/** The end of the comments on the line from `offset` (`offset` itself when none). */
function sameLineCommentEnd(text: string, offset: number): number {
  const trailer = lineTrailer(text, offset);
  if (!trailer.atEol) return offset;
  let end = trailer.lineEnd;
  while (end > offset && (text.charCodeAt(end - 1) === 0x20 || text.charCodeAt(end - 1) === 0x09)) {
    end--;
  }
  return end;
}

/** The key of a property node. */
function propertyKey(property: Node): string | undefined {
  const key = property.children?.[0];
  return key?.type === 'string' ? String(key.value) : undefined;
}
