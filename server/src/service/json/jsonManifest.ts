import {
  parseTree,
  printParseErrorCode,
  visit,
  type JSONVisitor,
  type Node,
  type ParseError,
} from 'jsonc-parser';
import type { PropertySpan, SyntaxProblem, ValueSpan } from '../manifestDocument';

/*
 * The JSON adapter: one jsonc-parser pass over a text, building the format-neutral value tree
 * the model is built from (spans, keys, values; comments and trailing commas allowed, as the
 * Stripe CLI reads manifests). It listens to the parser's events (`visit`) and builds the spans
 * directly, with the spans `parseTree` would give, instead of building jsonc-parser's own tree
 * and walking it twice: on a large manifest that second tree was most of the garbage.
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

/** An object or array whose end the parser has not reached yet (its length is set then). */
interface OpenObject {
  readonly type: 'object';
  readonly offset: number;
  length: number;
  properties: PropertySpan[];
}
interface OpenArray {
  readonly type: 'array';
  readonly offset: number;
  length: number;
  items: ValueSpan[];
}

/**
 * An open object or array (one of the two), and the property of an object whose value is still to
 * come. One frame per nesting level, reused by the siblings at that level.
 */
interface Frame {
  object: OpenObject | undefined;
  array: OpenArray | undefined;
  /** Set from a property's key to the end of its value (or of the property, without a value). */
  open: boolean;
  key: string;
  keyOffset: number;
  keyLength: number;
  /** -1 until the property's `:`. */
  colonOffset: number;
}

/**
 * Parses a JSON manifest into the value tree; nesting deeper than `maxDepth` is refused.
 *
 * The spans are `parseTree`'s: an object or array the text leaves open ends at the end of the
 * text; a property whose `:` or value is missing is kept without them.
 */
export function parseJsonManifest(text: string, maxDepth: number): ParsedText {
  const problems: SyntaxProblem[] = [];
  const frames: Frame[] = [];
  /** Open objects and arrays; `frames[depth - 1]` is the innermost. */
  let depth = 0;
  /** Set at the first level past `maxDepth`: from there on only errors are kept. */
  let tooDeep = false as boolean; // set in the callbacks, which TypeScript does not follow
  let root: ValueSpan | undefined;

  /** Ends the innermost object's open property; `value` is missing after an error. */
  const closeProperty = (frame: Frame, value: ValueSpan | undefined): void => {
    frame.open = false;
    const properties = (frame.object as OpenObject).properties;
    if (value) {
      properties.push({
        key: frame.key,
        keyOffset: frame.keyOffset,
        keyLength: frame.keyLength,
        colonOffset: frame.colonOffset,
        value,
      });
    } else if (frame.colonOffset >= 0) {
      properties.push({
        key: frame.key,
        keyOffset: frame.keyOffset,
        keyLength: frame.keyLength,
        colonOffset: frame.colonOffset,
      });
    } else {
      properties.push({ key: frame.key, keyOffset: frame.keyOffset, keyLength: frame.keyLength });
    }
  };

  /** A complete value goes to the innermost array or open property, or is the top-level one. */
  const add = (value: ValueSpan): void => {
    if (depth === 0) {
      root ??= value;
      return;
    }
    const frame = frames[depth - 1] as Frame;
    if (frame.array) frame.array.items.push(value);
    else if (frame.open) closeProperty(frame, value);
  };

  /** Opens a level for an object or an array. */
  const enter = (object: OpenObject | undefined, array: OpenArray | undefined): void => {
    let frame = frames[depth];
    if (frame) {
      frame.object = object;
      frame.array = array;
    } else {
      frame = { object, array, open: false, key: '', keyOffset: 0, keyLength: 0, colonOffset: -1 };
      frames.push(frame);
    }
    depth++;
  };

  /** Closes the innermost level at `end`: after its `}` or `]`, or at the end of the text. */
  const leave = (end: number): void => {
    const frame = frames[--depth] as Frame;
    if (frame.open) closeProperty(frame, undefined);
    const container = frame.object ?? (frame.array as OpenArray);
    container.length = end - container.offset;
    // An array grown by push keeps room for 17 or more items; the model keeps these for as long
    // as the document is open, so each gets an exact copy (a 10 000-entry manifest: -1.5 MB).
    if (frame.object) frame.object.properties = frame.object.properties.slice();
    else if (frame.array) frame.array.items = frame.array.items.slice();
    frame.object = undefined;
    frame.array = undefined;
    add(container);
  };

  /** Whether a new level may open (past `maxDepth`, nothing more is built). */
  const mayOpen = (): boolean => {
    if (depth >= maxDepth) tooDeep = true;
    return !tooDeep;
  };

  // Block bodies: a begin callback that returns false would make the parser skip that value.
  const visitor: JSONVisitor = {
    onObjectBegin: (offset) => {
      if (mayOpen()) enter({ type: 'object', offset, length: -1, properties: [] }, undefined);
    },
    onObjectProperty: (key, offset, length) => {
      if (tooDeep) return;
      const frame = frames[depth - 1] as Frame;
      frame.open = true;
      frame.key = key;
      frame.keyOffset = offset;
      frame.keyLength = length;
      frame.colonOffset = -1;
    },
    onObjectEnd: (offset, length) => {
      if (!tooDeep) leave(offset + length);
    },
    onArrayBegin: (offset) => {
      if (mayOpen()) enter(undefined, { type: 'array', offset, length: -1, items: [] });
    },
    onArrayEnd: (offset, length) => {
      if (!tooDeep) leave(offset + length);
    },
    onLiteralValue: (value: unknown, offset, length) => {
      if (tooDeep) return;
      switch (typeof value) {
        case 'string':
          add({ type: 'string', offset, length, value });
          break;
        case 'number':
          add({ type: 'number', offset, length, value });
          break;
        case 'boolean':
          add({ type: 'boolean', offset, length, value });
          break;
        default:
          add({ type: 'null', offset, length, value: null });
      }
    },
    onSeparator: (separator, offset) => {
      if (tooDeep || depth === 0) return;
      const frame = frames[depth - 1] as Frame;
      if (!frame.open) return;
      if (separator === ':') frame.colonOffset = offset;
      else if (separator === ',') closeProperty(frame, undefined);
    },
    onError: (error, offset, length) => {
      const code = printParseErrorCode(error);
      problems.push({ message: words(code), code, offset, length });
    },
  };

  try {
    visit(byteOrderMarkAsSpace(text), visitor, PARSE_OPTIONS);
  } catch (error) {
    // jsonc-parser recurses per nesting level: absurd nesting overflows its stack.
    if (!(error instanceof RangeError)) throw error;
    return { root: undefined, problems: [], tooDeep: true };
  }
  return tooDeep ? { root: undefined, problems, tooDeep } : { root, problems, tooDeep };
}

/** `InvalidSymbol` → `invalid symbol`. */
function words(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
