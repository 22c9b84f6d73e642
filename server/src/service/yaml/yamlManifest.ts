import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Pair,
  type Scalar,
} from 'yaml';
import type { ParsedText } from '../json/jsonManifest';
import type { PropertySpan, SyntaxProblem, ValueSpan } from '../manifestDocument';

/*
 * The YAML adapter (manifest v2, `stripe-app.yaml`): one `yaml` Document parse, turned into the
 * format-neutral value tree with exact source spans. Aliases are not expanded (a value that is
 * an alias of a scalar reads as that scalar; of a collection, as an empty one), so an alias bomb
 * costs nothing. Block scalars (`|`, `>`) keep their value; the model treats their line breaks
 * as layout.
 */

/** Clearer words than the parser's for the mistakes a manifest's author can make. */
const MESSAGES: Partial<Record<string, string>> = {
  MULTIPLE_DOCS: 'a manifest is one YAML document; remove the "---" and what follows it',
  TAB_AS_INDENT: 'YAML indentation must be spaces, not tabs',
  DUPLICATE_KEY: 'this key appears twice in the same map',
};

/** Parses a YAML manifest into the value tree; nesting deeper than `maxDepth` is refused. */
export function parseYamlManifest(text: string, maxDepth: number): ParsedText {
  let document: Document.Parsed;
  try {
    document = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
  } catch (error) {
    // The composer recurses per nesting level: absurd nesting overflows its stack.
    if (!(error instanceof RangeError)) throw error;
    return { root: undefined, problems: [], tooDeep: true };
  }
  const problems = document.errors.map((error): SyntaxProblem => ({
    message: MESSAGES[error.code] ?? firstLine(error.message),
    code: error.code,
    offset: error.pos[0],
    length: Math.max(0, error.pos[1] - error.pos[0]),
  }));
  // The parser reads a lone CR as no line break at all, and its errors then make no sense.
  const loneCr = text.includes('\r') ? /\r(?!\n)/.exec(text) : null;
  if (loneCr) {
    problems.splice(0, problems.length, {
      message: 'this file breaks lines with CR alone (old Mac style); save it with LF or CRLF',
      code: 'LONE_CR',
      offset: loneCr.index,
      length: 1,
    });
  }
  const contents = document.contents;
  if (!contents) return { root: undefined, problems, tooDeep: false };
  const converter = new Converter(text, maxDepth);
  const root = converter.value(contents, 1);
  if (converter.tooDeep) return { root: undefined, problems, tooDeep: true };
  return { root, problems, tooDeep: false };
}

type Range = readonly [number, number, number];

/**
 * The `yaml` nodes to the value tree, in one walk in document order that also counts the nesting
 * (maps and sequences through their values; past `maxDepth` the walk stops) and keeps each
 * anchor's node, so an alias is looked up as `Alias.resolve` would find it (the last node with
 * its anchor before it) without `resolve`'s walk of the whole document per alias.
 */
class Converter {
  /** Set when a map or sequence is nested deeper than `maxDepth`; the tree is then unfinished. */
  tooDeep = false;
  private readonly anchors = new Map<string, unknown>();
  /** The last `:` search: from where, and what it found (-1: none from there on). */
  private colonFrom = Number.POSITIVE_INFINITY;
  private colonAt = -1;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  /** A value at nesting `depth` (the top-level value is at 1). */
  value(node: unknown, depth: number): ValueSpan {
    const range = (node as { range?: Range | null }).range;
    const offset = range ? range[0] : 0;
    const length = range ? this.trimmedEnd(range[0], range[1]) - offset : 0;
    if (isAlias(node)) return this.alias(node.source, offset, length);
    if (isMap(node)) {
      this.keepAnchor(node.anchor, node);
      const properties: PropertySpan[] = [];
      const value: ValueSpan = { type: 'object', offset, length, properties };
      if (depth > this.maxDepth) this.tooDeep = true;
      for (const pair of node.items) {
        if (this.tooDeep) break;
        const property = this.property(pair, depth + 1);
        if (property) properties.push(property);
      }
      return value;
    }
    if (isSeq(node)) {
      this.keepAnchor(node.anchor, node);
      const items: ValueSpan[] = [];
      const value: ValueSpan = { type: 'array', offset, length, items };
      if (depth > this.maxDepth) this.tooDeep = true;
      for (const item of node.items) {
        if (this.tooDeep) break;
        if (isPair(item)) {
          // A `!!pairs` or `!!omap` item: no value of the model, but it may hold anchors.
          this.keepAnchorsIn(item);
          items.push({ type: 'null', offset: 0, length: 0, value: null });
        } else {
          items.push(this.value(item, depth + 1));
        }
      }
      return value;
    }
    if (isScalar(node)) {
      this.keepAnchor(node.anchor, node);
      return this.scalar(node, offset, length);
    }
    return { type: 'null', offset, length, value: null };
  }

  private property(pair: Pair, depth: number): PropertySpan | undefined {
    const key: unknown = pair.key;
    const value: unknown = pair.value;
    if (!isScalar(key)) {
      // Not a property of the model, but a map or sequence as key may hold anchors.
      this.keepAnchorsIn(key);
      if (value !== null && value !== undefined) this.value(value, depth);
      return undefined;
    }
    this.keepAnchor(key.anchor, key);
    const range = key.range;
    if (!range) {
      if (value !== null && value !== undefined) this.value(value, depth);
      return undefined;
    }
    const keyOffset = range[0];
    const keyLength = range[1] - keyOffset;
    const colonOffset = this.colonAfter(range[1]);
    const name = String(key.value);
    if (value === null || value === undefined) {
      return colonOffset >= 0
        ? { key: name, keyOffset, keyLength, colonOffset }
        : { key: name, keyOffset, keyLength };
    }
    const span = this.value(value, depth);
    return colonOffset >= 0
      ? { key: name, keyOffset, keyLength, colonOffset, value: span }
      : { key: name, keyOffset, keyLength, value: span };
  }

  private scalar(node: Scalar, offset: number, length: number): ValueSpan {
    const value = node.value;
    if (typeof value === 'string') {
      return node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED'
        ? { type: 'string', offset, length, value, block: true }
        : { type: 'string', offset, length, value };
    }
    if (typeof value === 'number') return { type: 'number', offset, length, value };
    if (typeof value === 'bigint') return { type: 'number', offset, length, value: Number(value) };
    if (typeof value === 'boolean') return { type: 'boolean', offset, length, value };
    if (value === null || value === undefined) return { type: 'null', offset, length, value: null };
    // A timestamp or another tagged value: its source text.
    return { type: 'string', offset, length, value: this.text.slice(offset, offset + length) };
  }

  /** An alias is not expanded: an alias of a scalar reads as it, of a collection as an empty one. */
  private alias(source: string, offset: number, length: number): ValueSpan {
    const target = this.anchors.get(source);
    if (isMap(target)) return { type: 'object', offset, length, properties: [] };
    if (isSeq(target)) return { type: 'array', offset, length, items: [] };
    if (isScalar(target)) return this.scalar(target, offset, length);
    return { type: 'null', offset, length, value: null };
  }

  private keepAnchor(anchor: string | undefined, node: unknown): void {
    if (anchor) this.anchors.set(anchor, node);
  }

  /** Keeps the anchors of a subtree that is no part of the model, in document order. */
  private keepAnchorsIn(root: unknown): void {
    const stack: unknown[] = [root];
    while (stack.length > 0) {
      const node = stack.pop();
      if (isPair(node)) {
        // Pushed in reverse: the key is seen before the value.
        stack.push(node.value, node.key);
      } else if (isMap(node) || isSeq(node)) {
        this.keepAnchor(node.anchor, node);
        for (let index = node.items.length - 1; index >= 0; index--) stack.push(node.items[index]);
      } else if (isScalar(node)) {
        this.keepAnchor(node.anchor, node);
      }
    }
  }

  /**
   * The first `:` at or after `from`, or -1. The last search is reused when it covers `from`
   * (nothing between), so keys without a `:` (a flow map's `{a, b}`) do not each scan the rest.
   */
  private colonAfter(from: number): number {
    if (!(this.colonFrom <= from && (this.colonAt < 0 || from <= this.colonAt))) {
      this.colonFrom = from;
      this.colonAt = this.text.indexOf(':', from);
    }
    return this.colonAt;
  }

  /** The end of a node's span, without the line breaks and white space its range ends with. */
  private trimmedEnd(start: number, valueEnd: number): number {
    let end = valueEnd;
    while (end > start && isWhiteSpace(this.text.charCodeAt(end - 1))) end--;
    return end;
  }
}

/** What `\s` matches in a JavaScript regular expression. */
function isWhiteSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '').replace(/\.$/, '');
}
