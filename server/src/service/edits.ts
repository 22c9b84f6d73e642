import { diffLines, diffWordsWithSpace, type ChangeObject } from 'diff';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-types';
import { isRecord } from './settings';

/*
 * The one edit port. Grant, revoke, sort and every quick fix describe what they change as
 * structural operations on the manifest's value (paths, not text); a format editor (JSON today)
 * writes each in the document's own layout. Each operation is verified: the new text must parse
 * cleanly to exactly the value the operation stands for. The result leaves as the minimal text
 * edits between the original and the final text.
 */

/** Where a value is: object keys and array indices from the top-level value. */
export type ValuePath = readonly (string | number)[];

export type EditOperation =
  /** Replaces an existing value (a purpose text, a permission name). */
  | { readonly kind: 'set'; readonly path: ValuePath; readonly value: unknown }
  /** Adds a property at the end of an object (a missing `purpose`, a missing list). */
  | {
      readonly kind: 'add-property';
      readonly object: ValuePath;
      readonly key: string;
      readonly value: unknown;
    }
  /** Inserts an item into a list, before the item at `index` (the length: at its end). */
  | {
      readonly kind: 'insert';
      readonly list: ValuePath;
      readonly index: number;
      readonly value: unknown;
    }
  /**
   * Removes the property at `index` (in document order) of an object. `shadowed`: a later
   * property has the same key, so the object's value stays as it is.
   */
  | {
      readonly kind: 'remove-property';
      readonly object: ValuePath;
      readonly index: number;
      readonly shadowed: boolean;
    }
  /** Removes the items at these indices from a list. */
  | { readonly kind: 'remove'; readonly list: ValuePath; readonly indices: readonly number[] }
  /** Reorders a list: `order[i]` is the index of the item that goes to position i. */
  | { readonly kind: 'reorder'; readonly list: ValuePath; readonly order: readonly number[] };

/** A change of a text: `length` characters at `offset` replaced by `content`. */
export interface RawEdit {
  offset: number;
  length: number;
  content: string;
}

/** What a format (JSON, YAML) provides to the port. */
export interface FormatEditor {
  /**
   * The edits of one operation, written in the text's own layout (non-overlapping, against
   * `text`); undefined when it cannot be written.
   */
  apply(text: string, operation: EditOperation): readonly RawEdit[] | undefined;
  /** The value of a text that parses without errors; undefined otherwise. */
  valueOf(text: string): { readonly value: unknown } | undefined;
}

/**
 * A sequence of operations on one document: each is applied to the current text and verified
 * before the next is computed; `textEdits` is the net change against the original.
 */
export class ManifestEdit {
  private current: string;
  /** The value of the current text: parsed on the first operation, then each step's result. */
  private currentValue: { readonly value: unknown } | undefined;
  private steps = 0;
  /** The edits of the first step, against the original: exactly what the editor wrote. */
  private firstEdits: readonly RawEdit[] = [];

  constructor(
    private readonly original: TextDocument,
    private readonly editor: FormatEditor,
  ) {
    this.current = original.getText();
  }

  /** The current text. */
  get text(): string {
    return this.current;
  }

  /** The current text as a document, for the features that read it again. */
  document(): TextDocument {
    return TextDocument.create(
      this.original.uri,
      this.original.languageId,
      this.original.version + this.steps,
      this.current,
    );
  }

  get changed(): boolean {
    return this.steps > 0 && this.current !== this.original.getText();
  }

  /** Applies the operation when its result parses to the expected value; else changes nothing. */
  apply(operation: EditOperation): boolean {
    let edits: readonly RawEdit[] | undefined;
    let expected: { readonly value: unknown } | undefined;
    try {
      this.currentValue ??= this.editor.valueOf(this.current);
      if (!this.currentValue) return false;
      expected = expectedValue(this.currentValue.value, operation);
      if (expected === undefined) return false;
      edits = this.editor.apply(this.current, operation);
    } catch (error) {
      // Nesting deep enough to overflow a parser's stack: the operation is refused.
      if (error instanceof RangeError) return false;
      throw error;
    }
    const next = edits && applyRawEdits(this.current, edits);
    if (next === undefined || next === this.current || !edits) return false;
    const parsed = this.editor.valueOf(next);
    if (!parsed || !sameValue(parsed.value, expected.value)) return false;
    if (this.steps === 0) this.firstEdits = edits;
    this.current = next;
    this.currentValue = parsed;
    this.steps++;
    return true;
  }

  /** Applies every operation, or none of them. */
  applyAll(operations: readonly EditOperation[]): boolean {
    const text = this.current;
    const value = this.currentValue;
    const steps = this.steps;
    for (const operation of operations) {
      if (this.apply(operation)) continue;
      this.current = text;
      this.currentValue = value;
      this.steps = steps;
      return false;
    }
    return true;
  }

  /**
   * The net change against the original document, as minimal non-overlapping edits: after one
   * step, the editor's own edits (each trimmed to what changes); after several, a diff.
   */
  textEdits(): TextEdit[] {
    if (this.steps === 0) return [];
    if (this.steps > 1) return minimalEdits(this.original, this.current);
    const text = this.original.getText();
    return toTextEdits(
      this.original,
      this.firstEdits.map((edit) => trim(text, edit)),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Expected values

/** The value the document must have after the operation; undefined when it does not apply. */
export function expectedValue(
  root: unknown,
  operation: EditOperation,
): { readonly value: unknown } | undefined {
  switch (operation.kind) {
    case 'set':
      return changeAt(root, operation.path, () => ({ value: operation.value }));
    case 'add-property':
      return changeAt(root, operation.object, (object) =>
        isRecord(object) && !Object.prototype.hasOwnProperty.call(object, operation.key)
          ? { value: { ...object, [operation.key]: operation.value } }
          : undefined,
      );
    case 'remove-property':
      // Which key the index names is the format's to read; a shadowed key changes nothing.
      return operation.shadowed
        ? changeAt(root, operation.object, (object) =>
            isRecord(object) ? { value: object } : undefined,
          )
        : undefined;
    case 'insert':
      return changeAt(root, operation.list, (list) => {
        if (!Array.isArray(list) || operation.index < 0 || operation.index > list.length) {
          return undefined;
        }
        const items: unknown[] = [...(list as unknown[])];
        items.splice(operation.index, 0, operation.value);
        return { value: items };
      });
    case 'remove': {
      const removing = new Set(operation.indices);
      return changeAt(root, operation.list, (list) =>
        Array.isArray(list) && removing.size > 0 && [...removing].every((i) => i in list)
          ? { value: list.filter((_, index) => !removing.has(index)) as unknown[] }
          : undefined,
      );
    }
    case 'reorder':
      return changeAt(root, operation.list, (list) =>
        Array.isArray(list) && isPermutation(operation.order, list.length)
          ? { value: operation.order.map((index) => list[index] as unknown) }
          : undefined,
      );
  }
}

function isPermutation(order: readonly number[], length: number): boolean {
  return (
    order.length === length &&
    new Set(order).size === length &&
    order.every((i) => i >= 0 && i < length)
  );
}

/** A copy of `root` with the value at `path` changed; undefined when the path is not there. */
function changeAt(
  root: unknown,
  path: ValuePath,
  change: (current: unknown) => { readonly value: unknown } | undefined,
): { readonly value: unknown } | undefined {
  if (path.length === 0) return change(root);
  const [head, ...rest] = path;
  if (typeof head === 'number' && Array.isArray(root) && head >= 0 && head < root.length) {
    const inner = changeAt(root[head], rest, change);
    if (!inner) return undefined;
    return { value: root.map((item: unknown, index) => (index === head ? inner.value : item)) };
  }
  if (
    typeof head === 'string' &&
    isRecord(root) &&
    Object.prototype.hasOwnProperty.call(root, head)
  ) {
    const inner = changeAt(root[head], rest, change);
    return inner && { value: { ...root, [head]: inner.value } };
  }
  return undefined;
}

/** Deep equality of parsed values; the order of an object's keys does not matter. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    const list = b as unknown[];
    return (
      Array.isArray(b) && a.length === list.length && a.every((item, i) => sameValue(item, list[i]))
    );
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && sameValue(a[key], b[key]))
    );
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Minimal edits

/** Above this many changed lines the change is one edit (still exact, just not minimal). */
const MAX_DIFF_LINES = 4_000;
/** Runs of changed lines up to this size are split further, word by word. */
const MAX_WORD_DIFF = 20_000;
const MAX_DIFF_WORDS = 200;

/**
 * The edits that turn the document's text into `next`: the changed region (after the common
 * start and end), split into one edit per run of changed lines, each trimmed to what changed.
 * No edit starts or ends inside a CRLF or a surrogate pair.
 */
export function minimalEdits(document: TextDocument, next: string): TextEdit[] {
  const text = document.getText();
  if (text === next) return [];
  const region = trim(text, { offset: 0, length: text.length, content: next });
  const before = text.slice(region.offset, region.offset + region.length);
  const raw: RawEdit[] = [];
  for (const hunk of changedRuns(
    region.offset,
    before,
    region.content,
    diffLines,
    MAX_DIFF_LINES,
  )) {
    const old = text.slice(hunk.offset, hunk.offset + hunk.length);
    // Inside a run of changed lines, what changed word by word (a comma, a name).
    const words =
      old.length + hunk.content.length <= MAX_WORD_DIFF
        ? changedRuns(hunk.offset, old, hunk.content, diffWordsWithSpace, MAX_DIFF_WORDS)
        : [hunk];
    raw.push(...words);
  }
  return toTextEdits(
    document,
    raw.map((edit) => trim(text, edit)),
  );
}

/** LSP edits, in order, edits that touch merged into one. */
function toTextEdits(document: TextDocument, edits: readonly RawEdit[]): TextEdit[] {
  const merged: RawEdit[] = [];
  for (const edit of [...edits].sort((a, b) => a.offset - b.offset)) {
    if (edit.length === 0 && edit.content === '') continue;
    const last = merged[merged.length - 1];
    if (last && last.offset + last.length === edit.offset) {
      last.length += edit.length;
      last.content += edit.content;
    } else {
      merged.push({ ...edit });
    }
  }
  return merged.map((edit) => ({
    range: {
      start: document.positionAt(edit.offset),
      end: document.positionAt(edit.offset + edit.length),
    },
    newText: edit.content,
  }));
}

/** Applies non-overlapping edits (in any order) to a text; undefined when they overlap. */
export function applyRawEdits(text: string, edits: readonly RawEdit[]): string | undefined {
  const sorted = [...edits].sort((a, b) => a.offset - b.offset || a.length - b.length);
  let result = '';
  let position = 0;
  for (const edit of sorted) {
    if (edit.offset < position || edit.length < 0 || edit.offset + edit.length > text.length) {
      return undefined;
    }
    result += text.slice(position, edit.offset) + edit.content;
    position = edit.offset + edit.length;
  }
  return result + text.slice(position);
}

type Differ = (
  before: string,
  after: string,
  options: { maxEditLength: number },
) => ChangeObject<string>[] | undefined;

/** The runs a differ finds between `before` (at `offset` in the text) and `after`. */
function changedRuns(
  offset: number,
  before: string,
  after: string,
  differ: Differ,
  maxEditLength: number,
): RawEdit[] {
  const changes = differ(before, after, { maxEditLength });
  if (!changes) return [{ offset, length: before.length, content: after }];
  const runs: RawEdit[] = [];
  let position = offset;
  let pending: RawEdit | undefined;
  for (const change of changes) {
    if (!change.added && !change.removed) {
      if (pending) runs.push(pending);
      pending = undefined;
      position += change.value.length;
      continue;
    }
    pending ??= { offset: position, length: 0, content: '' };
    if (change.removed) {
      pending.length += change.value.length;
      position += change.value.length;
    } else {
      pending.content += change.value;
    }
  }
  if (pending) runs.push(pending);
  return runs;
}

/** Drops the part of an edit's content that equals the text it replaces at either end. */
function trim(text: string, edit: RawEdit): RawEdit {
  let { offset, length, content } = edit;
  let prefix = 0;
  while (prefix < length && prefix < content.length && text[offset + prefix] === content[prefix]) {
    prefix++;
  }
  // Never split a CRLF (positions between its two characters do not survive a round trip) nor
  // a surrogate pair (a position inside one is no position at all).
  while (prefix > 0 && splitsPair(text, offset + prefix)) prefix--;
  offset += prefix;
  length -= prefix;
  content = content.slice(prefix);
  let suffix = 0;
  while (
    suffix < length &&
    suffix < content.length &&
    text[offset + length - 1 - suffix] === content[content.length - 1 - suffix]
  ) {
    suffix++;
  }
  while (suffix > 0 && splitsPair(text, offset + length - suffix)) suffix--;
  return { offset, length: length - suffix, content: content.slice(0, content.length - suffix) };
}

/** Whether `offset` falls between the two halves of a CRLF or a surrogate pair. */
function splitsPair(text: string, offset: number): boolean {
  const before = text.charCodeAt(offset - 1);
  const after = text.charCodeAt(offset);
  if (before === 0x0d && after === 0x0a) return true;
  return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
}
