import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { PropertySpan, SyntaxProblem, ValueSpan } from '../manifestDocument';

/*
 * The JSON adapter: one jsonc-parser parse of a text, turned into the format-neutral value tree
 * the model is built from (spans, keys, values; comments and trailing commas allowed, as the
 * Stripe CLI reads manifests).
 */

const PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false } as const;

export interface ParsedText {
  /** The top-level value; undefined for an empty text, or one nested deeper than `maxDepth`. */
  readonly root: ValueSpan | undefined;
  readonly problems: readonly SyntaxProblem[];
  /** Set when the nesting is deeper than the limit (nothing is converted then). */
  readonly tooDeep: boolean;
}

/**
 * A byte order mark is not JSON, but editors and the CLI drop it: it is parsed as white space
 * (one character for one, so every offset still matches the document).
 */
export function byteOrderMarkAsSpace(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
}

/** jsonc-parser's tree of a text and its errors (a byte order mark read as white space). */
export function parseJsonTree(text: string): { root: Node | undefined; errors: ParseError[] } {
  const errors: ParseError[] = [];
  const root = parseTree(byteOrderMarkAsSpace(text), errors, PARSE_OPTIONS);
  return { root, errors };
}

/** Parses a JSON manifest into the value tree; nesting deeper than `maxDepth` is refused. */
export function parseJsonManifest(text: string, maxDepth: number): ParsedText {
  let parsed: ReturnType<typeof parseJsonTree>;
  try {
    parsed = parseJsonTree(text);
  } catch (error) {
    // jsonc-parser recurses per nesting level: absurd nesting overflows its stack.
    if (!(error instanceof RangeError)) throw error;
    return { root: undefined, problems: [], tooDeep: true };
  }
  const problems = parsed.errors.map((error): SyntaxProblem => ({
    message: words(printParseErrorCode(error.error)),
    code: printParseErrorCode(error.error),
    offset: error.offset,
    length: error.length,
  }));
  if (!parsed.root) return { root: undefined, problems, tooDeep: false };
  if (depthOf(parsed.root) > maxDepth) return { root: undefined, problems, tooDeep: true };
  return { root: toValue(parsed.root), problems, tooDeep: false };
}

/** The deepest nesting of objects and arrays, without recursion. */
function depthOf(root: Node): number {
  let deepest = 0;
  const stack: [Node, number][] = [[root, 1]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [node, depth] = top;
    const nests = node.type === 'object' || node.type === 'array';
    if (nests && depth > deepest) deepest = depth;
    for (const child of node.children ?? []) {
      // A property is no level of its own: its value is one level below its object.
      stack.push([child, node.type === 'property' || !nests ? depth : depth + 1]);
    }
  }
  return deepest;
}

function toValue(node: Node): ValueSpan {
  const span = { offset: node.offset, length: node.length };
  switch (node.type) {
    case 'object':
      return { type: 'object', ...span, properties: (node.children ?? []).flatMap(toProperty) };
    case 'array':
      return { type: 'array', ...span, items: (node.children ?? []).map(toValue) };
    case 'string':
    case 'number':
    case 'boolean':
      return { type: node.type, ...span, value: node.value as string | number | boolean };
    default:
      return { type: 'null', ...span, value: null };
  }
}

function toProperty(node: Node): PropertySpan[] {
  const [key, value] = node.children ?? [];
  if (node.type !== 'property' || key?.type !== 'string') return [];
  return [
    {
      key: String(key.value),
      keyOffset: key.offset,
      keyLength: key.length,
      ...(node.colonOffset !== undefined && node.colonOffset >= 0
        ? { colonOffset: node.colonOffset }
        : {}),
      ...(value ? { value: toValue(value) } : {}),
    },
  ];
}

/** `InvalidSymbol` → `invalid symbol`. */
function words(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
