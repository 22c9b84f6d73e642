import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Node as YamlNode,
  type Pair,
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
  const loneCr = /\r(?!\n)/.exec(text);
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
  if (depthOf(contents) > maxDepth) return { root: undefined, problems, tooDeep: true };
  return { root: toValue(text, document, contents), problems, tooDeep: false };
}

/** The deepest nesting of maps and sequences, without recursion. */
function depthOf(root: YamlNode): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[root, 1]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [node, depth] = top;
    if (isMap(node)) {
      deepest = Math.max(deepest, depth);
      for (const pair of node.items) stack.push([pair.value, depth + 1]);
    } else if (isSeq(node)) {
      deepest = Math.max(deepest, depth);
      for (const item of node.items) stack.push([item, depth + 1]);
    }
  }
  return deepest;
}

function toValue(text: string, document: Document.Parsed, node: unknown): ValueSpan {
  const [start, end] = spanOf(text, node);
  const span = { offset: start, length: end - start };
  const target = isAlias(node) ? node.resolve(document) : node;
  if (isMap(target)) {
    return {
      type: 'object',
      ...span,
      properties: isAlias(node)
        ? []
        : target.items.flatMap((pair) => toProperty(text, document, pair)),
    };
  }
  if (isSeq(target)) {
    return {
      type: 'array',
      ...span,
      items: isAlias(node) ? [] : target.items.map((item) => toValue(text, document, item)),
    };
  }
  if (isScalar(target)) {
    const value = target.value;
    const block = target.type === 'BLOCK_LITERAL' || target.type === 'BLOCK_FOLDED';
    if (typeof value === 'string') {
      return { type: 'string', ...span, value, ...(block ? { block: true } : {}) };
    }
    if (typeof value === 'number' || typeof value === 'bigint') {
      return { type: 'number', ...span, value: Number(value) };
    }
    if (typeof value === 'boolean') return { type: 'boolean', ...span, value };
    if (value === null || value === undefined) return { type: 'null', ...span, value: null };
    // A timestamp or another tagged value: its source text.
    return { type: 'string', ...span, value: text.slice(start, end) };
  }
  return { type: 'null', ...span, value: null };
}

function toProperty(text: string, document: Document.Parsed, pair: Pair): PropertySpan[] {
  const key: unknown = pair.key;
  if (!isScalar(key) || key.range === undefined || key.range === null) return [];
  const [keyStart, keyEnd] = key.range;
  const colon = text.indexOf(':', keyEnd);
  return [
    {
      key: String(key.value),
      keyOffset: keyStart,
      keyLength: keyEnd - keyStart,
      ...(colon >= 0 ? { colonOffset: colon } : {}),
      ...(pair.value !== null && pair.value !== undefined
        ? { value: toValue(text, document, pair.value) }
        : {}),
    },
  ];
}

/** A node's span, without the line breaks and white space its range ends with. */
function spanOf(text: string, node: unknown): [number, number] {
  const range = (node as { range?: [number, number, number] | null }).range;
  if (!range) return [0, 0];
  const [start, valueEnd] = range;
  let end = valueEnd;
  while (end > start && /[\s]/.test(text.charAt(end - 1))) end--;
  return [start, end];
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '').replace(/\.$/, '');
}
