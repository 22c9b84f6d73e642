import { cursorContextInJson } from './json/jsonCursor';
import type { ManifestDocument, PermissionEntry, PermissionList } from './manifestDocument';
import { cursorContextInYaml } from './yaml/yamlCursor';

/*
 * "Where is the cursor", for completion: each format adapter answers it for an offset
 * (json/jsonCursor.ts, yaml/yamlCursor.ts) with one of the contexts below, and completion.ts
 * builds its items from the context alone. A context says what is being typed (a permission
 * name, a purpose, a key of an entry, a new entry, a root key), in which list and entry, which
 * text an item replaces, and how to write the inserted text in the file's own syntax (quotes,
 * indentation, separators): the writers are the adapter's, the choice of items is completion's.
 */

/** The text an item replaces (offsets, end exclusive). */
export interface ReplaceSpan {
  readonly start: number;
  readonly end: number;
  /** The span starts at an opening quote (VS Code then filters on text starting with it). */
  readonly quoted: boolean;
  /**
   * What ranks the names when it is not the text from the span's start to the cursor (the span
   * then starts before what the user typed, e.g. at the `[` of an empty list it replaces).
   */
  readonly query?: string;
}

/** Snippet syntax, or plain text for clients without snippets. */
export interface SnippetWriter {
  /** Text inserted as is (escaped in a snippet). */
  literal(text: string): string;
  /** A tab stop holding `text` (raw; escaped here); the text alone in plain text. */
  tabStop(index: number, text: string): string;
}

/** Text inserted elsewhere than the replaced span (a separator the previous value lacks). */
export interface Insertion {
  readonly offset: number;
  readonly text: string;
}

interface InList {
  /** The list the cursor is in (undefined only where no list exists yet). */
  readonly list: PermissionList | undefined;
  /** The entry the cursor is in, when there is one. */
  readonly entry: PermissionEntry | undefined;
  readonly span: ReplaceSpan;
}

/** In the value of `permission`: `write` gives the replacement text for a name. */
export interface PermissionValueContext extends InList {
  readonly kind: 'permission-value';
  write(name: string): string;
}

/** In the value of `purpose` (or of an English locale's text). */
export interface PurposeValueContext extends InList {
  readonly kind: 'purpose-value';
  write(purpose: string): string;
}

/** At a key position inside an entry: the keys the entry lacks. */
export interface EntryKeyContext extends InList {
  readonly kind: 'entry-key';
  /** The keys the entry has besides the one being typed. */
  readonly present: ReadonlySet<string>;
  /** The key already has its separator and value: only the key is replaced. */
  readonly keyOnly: boolean;
  /** The property text: the key alone (`keyOnly`), else the key and `value` as a tab stop. */
  write(key: 'permission' | 'purpose', value: string, snippet: SnippetWriter): string;
  readonly before?: Insertion;
}

/** At an item position of a list: a whole new entry. */
export interface NewEntryContext extends InList {
  readonly kind: 'new-entry';
  /** The entry text: `name` written literally, `purpose` as tab stop 1. */
  write(name: string, purpose: string, snippet: SnippetWriter): string;
  readonly before?: Insertion;
}

/** At a key of the root object (JSON): the `permissions` key, when it is absent. */
export interface RootKeyContext {
  readonly kind: 'root-key';
  readonly span: ReplaceSpan;
  readonly keyOnly: boolean;
  /** The property text, with its (empty) list and a final tab stop when not `keyOnly`. */
  write(snippet: SnippetWriter & { readonly snippets: boolean }): string;
  readonly before?: Insertion;
}

export type CursorContext =
  PermissionValueContext | PurposeValueContext | EntryKeyContext | NewEntryContext | RootKeyContext;

/** The context at `offset`, from the manifest's format adapter; undefined where none applies. */
export function cursorContext(
  manifest: ManifestDocument,
  offset: number,
): CursorContext | undefined {
  if (manifest.limit || manifest.root === undefined || !Number.isFinite(offset)) return undefined;
  // A malformed position (a fractional character) gives a fractional offset: no character is
  // at it, and a scan for the line's start would never meet a line break.
  const at = Math.floor(offset);
  const context =
    manifest.format === 'yaml'
      ? cursorContextInYaml(manifest, at)
      : cursorContextInJson(manifest, at);
  // Right after a `'` (a trigger character, for YAML's single-quoted scalars): only where that
  // quote opens the value being completed. JSON has no such quote, and an apostrophe typed in a
  // purpose or a comment asks for nothing.
  if (manifest.text[at - 1] === "'" && !(context?.span.quoted && context.span.start === at - 1)) {
    return undefined;
  }
  return context;
}
