import {
  createScanner,
  getNodePath,
  getNodeValue,
  modify,
  printParseErrorCode,
  type JSONPath,
  type Node,
} from 'jsonc-parser';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-types';
import { catalog } from './catalog';
import { detectFormatting, indentUnit, type DetectedFormatting } from './formatting';
import {
  parseManifest,
  parseSyntax,
  propertyKey,
  type ManifestDocument,
  type ManifestSyntax,
  type PermissionEntry,
} from './manifestDocument';
import { suggestPermissionNames } from './nameSuggestions';
import { isRecord, type ManifestServiceSettings } from './settings';

/*
 * Grant and revoke, and the layout-preserving edits they (and the quick fixes) are made of.
 *
 * Every edit is one structural operation (set a value, insert an array element or a property,
 * remove one) described by the jsonc-parser `modify` path it stands for. The text is written in
 * the document's own layout: a new entry copies the indentation, line breaks and one-line or
 * multi-line shape of its neighbours, and removing an element removes exactly what inserting it
 * added (its line, or its separator), so grant then revoke gives back the original bytes.
 * `modify` itself reformats every line an edit touches (a one-line array becomes multi-line,
 * trailing commas go, comments move), so it is only the fallback. Each operation is checked by
 * re-parsing: the new document must parse without errors to exactly the expected value; if the
 * layout-preserving text does not, `modify` (with the detected formatting) is tried, and if that
 * does not either, the operation is refused. One operation is applied at a time, the document
 * re-parsed, the next computed; the result is composed into edits against the original text.
 */

export interface GrantOptions {
  /** Grant a name that is neither in the catalog nor in `allowedPermissions`. */
  force?: boolean;
  /**
   * Create `permissions` in a local manifest (`stripe-app.<name>.json`) that has none. Without
   * it such a grant is refused: the local manifest inherits the base manifest's list, and a
   * `permissions` array here would replace that whole list.
   */
  replaceInherited?: boolean;
}

export interface GrantResult {
  status: 'granted' | 'updated' | 'unchanged' | 'unknown' | 'invalid';
  edits: TextEdit[];
  message: string;
  suggestions?: string[];
}

export interface RevokeResult {
  status: 'revoked' | 'not-granted' | 'invalid';
  edits: TextEdit[];
  /** How many entries were removed. */
  removed: number;
  message: string;
}

/**
 * Grants `permission` with `purpose` (both trimmed). Already granted: the purpose of its first
 * entry is updated in place ('updated'), or nothing changes when it is identical ('unchanged');
 * when that purpose is a locale map, its `en-US` text (else its first text) is the one updated.
 * Otherwise an entry is appended at the end of `permissions`, which is created (as the last
 * top-level property) when missing. Unknown names are refused with suggestions unless forced.
 */
export function grantPermission(
  manifest: ManifestDocument,
  document: TextDocument,
  permission: string,
  purpose: string,
  settings: ManifestServiceSettings,
  options: GrantOptions,
): GrantResult {
  const name = typeof permission === 'string' ? permission.trim() : '';
  if (name === '') return refuseGrant('Give the name of the permission to grant.');
  if (typeof purpose !== 'string') {
    return refuseGrant(`The purpose of ${name} must be a text.`);
  }
  const text = purpose.trim();
  if (text === '') {
    return refuseGrant(
      `Give a purpose for ${name}: the account administrator who installs the app reads it.`,
    );
  }
  const blocker = editBlocker(manifest, document);
  if (blocker !== undefined) return refuseGrant(`Cannot grant ${name}: ${blocker}`);
  if (manifest.permissionsProperty && !manifest.permissionsArray) {
    return refuseGrant(`Cannot grant ${name}: "permissions" is not an array; make it one first.`);
  }

  const session = new EditSession(document, manifest);
  const existing = manifest.granted.get(name)?.[0];
  if (existing) return updatePurpose(session, existing, name, text);

  const allowed = catalog.has(name) || settings.allowedPermissions.includes(name);
  if (!allowed && options.force !== true) return refuseUnknown(name, settings);

  // The tree from here on only: the refusals above need none.
  const syntax = manifest.syntax();
  const entryValue = { permission: name, purpose: text };
  const forced = allowed ? '' : ' (forced: the catalog does not know it)';
  const array = syntax.permissionsArray;
  if (array) {
    const entries = array.children ?? [];
    const template = lastObjectEntry(entries);
    const ok = session.apply(
      insertItemOp(session, array, entries.length - 1, entryValue, (layout) =>
        entryText(session.text, template, entryValue, layout, session.formatting),
      ),
    );
    if (!ok) return refuseGrant(`Could not add ${name} without disturbing the manifest.`);
    return { status: 'granted', edits: session.textEdits(), message: `Granted ${name}${forced}.` };
  }

  if (manifest.kind === 'local' && options.replaceInherited !== true) {
    return refuseGrant(
      `Not granted: this local manifest has no "permissions", so it inherits the list of ` +
        `${manifest.extends ?? 'stripe-app.json'}, and adding one here would replace that whole ` +
        `list. Grant ${name} in the base manifest, or add a "permissions" array here first.`,
    );
  }
  const root = syntax.root;
  if (!root) return refuseGrant(`Cannot grant ${name}: the manifest is empty.`);
  const properties = root.children ?? [];
  const rootTemplate = properties[properties.length - 1];
  const ok = session.apply(
    insertItemOp(
      session,
      root,
      properties.length - 1,
      [entryValue],
      (layout) => permissionsPropertyText(session, rootTemplate, entryValue, layout),
      'permissions',
    ),
  );
  if (!ok) return refuseGrant(`Could not add "permissions" without disturbing the manifest.`);
  return {
    status: 'granted',
    edits: session.textEdits(),
    message: `Granted ${name}${forced} (added the "permissions" array).`,
  };
}

/**
 * Removes every entry granting `permission` (trimmed), one at a time with a re-parse between,
 * and returns the net change against the original document. Removing the only entry leaves
 * `"permissions": []` (the key is the user's and a base manifest requires it). So grant then
 * revoke gives back the original bytes whenever the manifest had a `permissions` array, except
 * an empty one written with white space inside (`[ ]`, `[\n  ]`), which comes back as `[]`; when
 * the grant created `permissions`, `"permissions": []` stays.
 */
export function revokePermission(
  manifest: ManifestDocument,
  document: TextDocument,
  permission: string,
): RevokeResult {
  const name = typeof permission === 'string' ? permission.trim() : '';
  const refuse = (message: string): RevokeResult => ({
    status: 'invalid',
    edits: [],
    removed: 0,
    message,
  });
  if (name === '') return refuse('Give the name of the permission to revoke.');
  const blocker = editBlocker(manifest, document);
  if (blocker !== undefined) return refuse(`Cannot revoke ${name}: ${blocker}`);
  if (manifest.permissionsProperty && !manifest.permissionsArray) {
    return refuse(`Cannot revoke ${name}: "permissions" is not an array.`);
  }
  if (!manifest.granted.has(name)) {
    const inherited =
      manifest.kind === 'local' && !manifest.permissionsProperty
        ? ` (this local manifest inherits its permissions from ${manifest.extends ?? 'stripe-app.json'})`
        : '';
    return {
      status: 'not-granted',
      edits: [],
      removed: 0,
      message: `${name} is not granted${inherited}; nothing changed.`,
    };
  }

  const session = new EditSession(document, manifest);
  const removed = removeEntriesOf(session, name);
  if (removed === undefined) {
    return refuse(`Could not remove ${name} without disturbing the manifest.`);
  }
  return {
    status: 'revoked',
    edits: session.textEdits(),
    removed,
    message: revokedMessage(name, removed),
  };
}

/** What one name of a several-name revoke came to (`RevokeResult` without edits). */
export interface RevokeOutcome {
  permission: string;
  status: RevokeResult['status'];
  removed: number;
  message: string;
}

export interface RevokeManyResult {
  /** One edit set for all the names: one undo step. Empty when nothing was revoked. */
  edits: TextEdit[];
  outcomes: RevokeOutcome[];
}

/**
 * Revokes several names in one edit (a multi-select Revoke is one undo step): each name as
 * `revokePermission` would, one after the other on the same session, re-parsed between. A name
 * that is not granted, or cannot be removed cleanly, changes nothing and says so; the others
 * still go.
 */
export function revokePermissions(
  manifest: ManifestDocument,
  document: TextDocument,
  permissions: readonly string[],
): RevokeManyResult {
  const names = [...new Set(permissions.map((name) => name.trim()))];
  const session = new EditSession(document, manifest);
  const outcomes: RevokeOutcome[] = [];
  let revoked = false;
  for (const name of names) {
    const alone = revokePermission(session.manifest, session.document, name);
    if (alone.status !== 'revoked') {
      outcomes.push({ permission: name, status: alone.status, removed: 0, message: alone.message });
      continue;
    }
    const removed = removeEntriesOf(session, name);
    if (removed === undefined) {
      outcomes.push({
        permission: name,
        status: 'invalid',
        removed: 0,
        message: `Could not remove ${name} without disturbing the manifest.`,
      });
      continue;
    }
    revoked = true;
    outcomes.push({
      permission: name,
      status: 'revoked',
      removed,
      message: revokedMessage(name, removed),
    });
  }
  return { edits: revoked ? session.textEdits() : [], outcomes };
}

function revokedMessage(name: string, removed: number): string {
  return removed === 1 ? `Revoked ${name}.` : `Revoked ${name} (${removed} entries).`;
}

/**
 * Removes every entry granting `name` from the session; answers how many, or undefined (the
 * session as it was) when one could not be removed cleanly.
 */
function removeEntriesOf(session: EditSession, name: string): number | undefined {
  const before = session.snapshot();
  let removed = 0;
  // Several entries: in one operation when each has its own line (one re-parse, not one each).
  const targets = session.manifest.granted.get(name) ?? [];
  const array = session.manifest.syntax().permissionsArray;
  const indices = targets.map((entry) => entry.index);
  if (array && targets.length > 1 && session.apply(removeItemsOp(session, array, indices))) {
    removed = targets.length;
  }
  for (;;) {
    const entry = session.manifest.granted.get(name)?.[0];
    const array = session.manifest.syntax().permissionsArray;
    if (!entry || !array) break;
    if (!session.apply(removeItemOp(session, array, entry.index))) {
      session.restore(before);
      return undefined;
    }
    removed++;
  }
  return removed;
}

function refuseGrant(message: string): GrantResult {
  return { status: 'invalid', edits: [], message };
}

function refuseUnknown(name: string, settings: ManifestServiceSettings): GrantResult {
  const eventPermissions = catalog.eventPermissions(name);
  if (eventPermissions) {
    const needed = [...eventPermissions];
    return {
      status: 'unknown',
      edits: [],
      suggestions: needed,
      message: `"${name}" is an event type, not a permission; receiving it needs ${listWords(needed, 'and')}.`,
    };
  }
  const suggestions = suggestPermissionNames(name, settings.allowedPermissions);
  const retired = catalog.retired(name);
  const why = retired
    ? `"${name}" is a retired permission: ${retired.note}`
    : `Unknown permission "${name}".`;
  const hint = suggestions.length > 0 ? ` Did you mean ${listWords(suggestions, 'or')}?` : '';
  return {
    status: 'unknown',
    edits: [],
    suggestions,
    message: `${why}${hint} To grant it anyway, force it or add it to the allowed permissions.`,
  };
}

function updatePurpose(
  session: EditSession,
  entry: PermissionEntry,
  name: string,
  purpose: string,
): GrantResult {
  const duplicates = (session.manifest.granted.get(name)?.length ?? 1) - 1;
  const others =
    duplicates > 0 ? ` It is granted ${duplicates + 1} times; only the first entry changed.` : '';
  const nodes = session.manifest.syntax().entries[entry.index];
  const value = nodes?.purposeValue;
  if (!entry.isObject || !nodes) {
    return refuseGrant(`${name} is already granted, but its entry is not an object.`);
  }
  if (!value) {
    const ok = session.apply(
      insertItemOp(
        session,
        nodes.node,
        (nodes.node.children?.length ?? 0) - 1,
        purpose,
        () => propertyText(session.text, nodes.node, 'purpose', purpose),
        'purpose',
      ),
    );
    if (!ok) return refuseGrant(`Could not add the purpose of ${name} safely.`);
    return {
      status: 'updated',
      edits: session.textEdits(),
      message: `${name} was already granted, without a purpose: added it.${others}`,
    };
  }
  let target = value;
  let note = '';
  const texts = entry.purposeTexts;
  if (value.type === 'object' && texts.length > 0) {
    const localized = texts.find((text) => text.locale === 'en-US') ?? texts[0];
    const localizedNode = localized && nodes.purposeNodes[texts.indexOf(localized)];
    if (localized && localizedNode) {
      target = localizedNode;
      const rest = texts.filter((text) => text !== localized);
      note =
        ` (the ${localized.locale ?? ''} text` +
        (rest.length > 0
          ? `; check the other locales: ${rest.map((text) => text.locale ?? '').join(', ')})`
          : ')');
    }
  }
  if (target.type === 'string' && target.value === purpose) {
    return {
      status: 'unchanged',
      edits: [],
      message: `${name} is already granted with this purpose.${others}`,
    };
  }
  if (!session.apply(replaceValueOp(session, target, purpose))) {
    return refuseGrant(`Could not update the purpose of ${name} safely.`);
  }
  return {
    status: 'updated',
    edits: session.textEdits(),
    message: `${name} was already granted: updated its purpose${note}.${others}`,
  };
}

/** Why the manifest cannot be edited safely, or undefined when it can. */
export function editBlocker(
  manifest: ManifestDocument,
  document: TextDocument,
): string | undefined {
  if (manifest.text !== document.getText()) {
    return 'the parsed manifest is out of date; parse the document again.';
  }
  if (manifest.limit?.reason === 'too-large') {
    return `the manifest is too large to edit (${manifest.limit.size} characters; the limit is ${manifest.limit.limit}).`;
  }
  if (manifest.limit?.reason === 'too-deep') return 'the manifest is nested too deeply to edit.';
  const error = manifest.syntaxErrors[0];
  if (error) {
    const at = document.positionAt(error.offset);
    return `fix the JSON syntax error at line ${at.line + 1}, column ${at.character + 1} (${printParseErrorCode(error.error)}) first.`;
  }
  if (manifest.root?.type !== 'object') return 'the manifest is not a JSON object.';
  return undefined;
}

function listWords(words: readonly string[], conjunction: string): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1] ?? ''}`;
}

// ---------------------------------------------------------------------------------------------
// Edit operations

/** A change of the text in jsonc-parser's terms (the same shape as its `Edit`). */
export interface RawEdit {
  offset: number;
  length: number;
  content: string;
}

/** One structural change: the layout-preserving text, its `modify` equivalent and the result. */
export interface EditOp {
  /** Edits against the session's current text (non-overlapping). */
  readonly edits: readonly RawEdit[];
  /** The same change as jsonc-parser `modify` arguments: the fallback (none without a path). */
  readonly path?: JSONPath;
  readonly value: unknown;
  readonly isArrayInsertion: boolean;
  /** The value the whole document must parse to afterwards. */
  readonly expected: unknown;
}

/** Where a new item goes: on its own line (with this indentation) or inline. */
export interface ItemLayout {
  readonly multiline: boolean;
  /** The indentation of the item's line (multi-line), or of the line it is inserted in. */
  readonly indent: string;
  readonly eol: string;
}

type Segment = { start: number; end: number } | { text: string };

/** An `EditSession`'s state (see `snapshot`). */
export interface SessionState {
  readonly segments: readonly Segment[];
  readonly syntax: ManifestSyntax;
  readonly manifest: ManifestDocument | undefined;
  readonly document: TextDocument;
}

/**
 * A sequence of edits to one document: holds the current text and its parse, applies one
 * operation at a time (verified, re-parsed), and returns the net change as edits against the
 * original document.
 */
export class EditSession {
  private detected: DetectedFormatting | undefined;
  private segments: readonly Segment[];
  /** The tree of the current text: each operation's verification parses it. */
  private currentSyntax: ManifestSyntax | undefined;
  /** The model of the current text, scanned only when a later step asks for it. */
  private currentManifest: ManifestDocument | undefined;
  private currentDocument: TextDocument;
  private version: number;

  constructor(
    private readonly original: TextDocument,
    private readonly originalManifest: ManifestDocument,
  ) {
    this.segments = [{ start: 0, end: originalManifest.text.length }];
    this.currentManifest = originalManifest;
    this.currentDocument = original;
    this.version = original.version;
  }

  /**
   * The original document's layout, detected on first use (a scan of the whole text that
   * removals, which write no new text, need only for the `modify` fallback).
   */
  get formatting(): DetectedFormatting {
    this.detected ??= detectFormatting(this.originalManifest.text);
    return this.detected;
  }

  get manifest(): ManifestDocument {
    this.currentManifest ??= parseManifest(
      this.currentDocument,
      Number.POSITIVE_INFINITY,
      this.currentSyntax,
    );
    return this.currentManifest;
  }

  get text(): string {
    return this.currentDocument.getText();
  }

  /** The current text as a document (for positions and validation). */
  get document(): TextDocument {
    return this.currentDocument;
  }

  /** The current state, to return to with `restore` when a multi-step change fails midway. */
  snapshot(): SessionState {
    return {
      segments: this.segments,
      syntax: this.currentSyntax ?? this.manifest.syntax(),
      manifest: this.currentManifest,
      document: this.currentDocument,
    };
  }

  restore(state: SessionState): void {
    this.segments = state.segments;
    this.currentSyntax = state.syntax;
    this.currentManifest = state.manifest;
    this.currentDocument = state.document;
  }

  /** Whether any operation changed the text. */
  get changed(): boolean {
    return this.text !== this.original.getText();
  }

  /**
   * Applies the operation if its result parses to the expected value; else tries `modify` with
   * the detected formatting; else changes nothing and returns false.
   */
  apply(op: EditOp | undefined): boolean {
    if (!op) return false;
    if (this.tryEdits(op.edits, op.expected)) return true;
    if (!op.path) return false;
    let fallback: RawEdit[];
    try {
      fallback = modify(this.text, op.path, op.value, {
        formattingOptions: this.formatting,
        isArrayInsertion: op.isArrayInsertion,
      });
    } catch {
      return false;
    }
    return this.tryEdits(fallback, op.expected);
  }

  /** The net change against the original document, as non-overlapping minimal edits. */
  textEdits(): TextEdit[] {
    const original = this.original.getText();
    const edits: TextEdit[] = [];
    let position = 0;
    let inserted = '';
    const flush = (end: number): void => {
      if (end === position && inserted === '') return;
      const edit = trimEdit(original, {
        offset: position,
        length: end - position,
        content: inserted,
      });
      if (edit.length === 0 && edit.content === '') return;
      edits.push({
        range: {
          start: this.original.positionAt(edit.offset),
          end: this.original.positionAt(edit.offset + edit.length),
        },
        newText: edit.content,
      });
    };
    for (const segment of this.segments) {
      if ('text' in segment) {
        inserted += segment.text;
        continue;
      }
      flush(segment.start);
      inserted = '';
      position = segment.end;
    }
    flush(original.length);
    return edits;
  }

  private tryEdits(edits: readonly RawEdit[], expected: unknown): boolean {
    const sorted = [...edits].sort((a, b) => b.offset - a.offset);
    const { text, segments } =
      applyInOnePass(this.text, this.segments, sorted) ??
      applyOneByOne(this.text, this.segments, sorted);
    if (text === this.text) return false;
    this.version++;
    const document = TextDocument.create(
      this.original.uri,
      this.original.languageId,
      this.version,
      text,
    );
    // One parse verifies the result; the model of the new text waits until a next step asks.
    let parsed: ReturnType<typeof parseSyntax>;
    try {
      parsed = parseSyntax(text);
    } catch (error) {
      if (error instanceof RangeError) return false;
      throw error;
    }
    const root = parsed.syntax.root;
    if (parsed.errors.length > 0 || !root) return false;
    const actual: unknown = getNodeValue(root);
    if (!sameValue(actual, expected)) return false;
    this.currentSyntax = parsed.syntax;
    this.currentManifest = undefined;
    this.currentDocument = document;
    this.segments = segments;
    return true;
  }
}

interface Applied {
  readonly text: string;
  readonly segments: readonly Segment[];
}

/**
 * Applies edits sorted by descending offset, one at a time from the last: each step rebuilds
 * the whole text and segment list, so this is O(edits × size). Only for edits that overlap or
 * reach past the text (`modify`'s, in principle), whose result depends on that order.
 */
function applyOneByOne(
  text: string,
  segments: readonly Segment[],
  sorted: readonly RawEdit[],
): Applied {
  for (const edit of sorted) {
    text = text.slice(0, edit.offset) + edit.content + text.slice(edit.offset + edit.length);
    segments = [
      ...sliceSegments(segments, 0, edit.offset),
      ...(edit.content === '' ? [] : [{ text: edit.content }]),
      ...sliceSegments(segments, edit.offset + edit.length, Number.POSITIVE_INFINITY),
    ];
  }
  return { text, segments };
}

/**
 * The same result as `applyOneByOne` in one pass over the text and the segments, when the edits
 * (sorted by descending offset) are disjoint and inside the text; else undefined. Going through
 * them from the first: the text up to each, its content, and on from its end. (Insertions at
 * one offset come out in the order `applyOneByOne` leaves them: the last applied first.)
 */
function applyInOnePass(
  text: string,
  segments: readonly Segment[],
  sorted: readonly RawEdit[],
): Applied | undefined {
  const ascending = [...sorted].reverse();
  let position = 0;
  for (const edit of ascending) {
    const { offset, length } = edit;
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < position) {
      return undefined;
    }
    if (length < 0 || offset + length > text.length) return undefined;
    position = offset + length;
  }
  const parts: string[] = [];
  const result: Segment[] = [];
  // The segment list is walked once: `index` is the first segment not wholly copied yet, and
  // `start` where it begins in the text.
  let index = 0;
  let start = 0;
  const copy = (from: number, to: number): void => {
    parts.push(text.slice(from, to));
    for (; index < segments.length; index++) {
      const segment = segments[index];
      if (!segment) break;
      const length = 'text' in segment ? segment.text.length : segment.end - segment.start;
      const end = start + length;
      const first = Math.max(from, start);
      const last = Math.min(to, end);
      if (first < last) {
        result.push(
          'text' in segment
            ? { text: segment.text.slice(first - start, last - start) }
            : { start: segment.start + first - start, end: segment.start + last - start },
        );
      }
      if (end > to) return;
      start = end;
    }
  };
  position = 0;
  for (const edit of ascending) {
    copy(position, edit.offset);
    parts.push(edit.content);
    if (edit.content !== '') result.push({ text: edit.content });
    position = edit.offset + edit.length;
  }
  copy(position, Number.POSITIVE_INFINITY);
  return { text: parts.join(''), segments: result };
}

function sliceSegments(segments: readonly Segment[], from: number, to: number): Segment[] {
  const result: Segment[] = [];
  let position = 0;
  for (const segment of segments) {
    const length = 'text' in segment ? segment.text.length : segment.end - segment.start;
    const start = Math.max(from, position);
    const end = Math.min(to, position + length);
    if (start < end) {
      result.push(
        'text' in segment
          ? { text: segment.text.slice(start - position, end - position) }
          : { start: segment.start + start - position, end: segment.start + end - position },
      );
    }
    position += length;
  }
  return result;
}

/** Drops the part of an edit's content that equals the text it replaces at either end. */
function trimEdit(text: string, edit: RawEdit): RawEdit {
  let { offset, length, content } = edit;
  let prefix = 0;
  while (prefix < length && prefix < content.length && text[offset + prefix] === content[prefix]) {
    prefix++;
  }
  // Never split a CRLF (positions between its two characters do not survive a round trip) nor
  // a surrogate pair (a position inside one is no position at all).
  if (prefix > 0 && text[offset + prefix - 1] === '\r' && text[offset + prefix] === '\n') prefix--;
  if (prefix > 0 && isHighSurrogate(text.charCodeAt(offset + prefix - 1))) prefix--;
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
  const end = offset + length - suffix;
  if (suffix > 0 && text[end - 1] === '\r' && text[end] === '\n') suffix--;
  if (suffix > 0 && isLowSurrogate(text.charCodeAt(end))) suffix--;
  return { offset, length: length - suffix, content: content.slice(0, content.length - suffix) };
}

/** Sets a value (a string, here) in place: the node's text is replaced, nothing else. */
export function replaceValueOp(session: EditSession, node: Node, value: unknown): EditOp {
  const path = getNodePath(node);
  return {
    edits: [{ offset: node.offset, length: node.length, content: JSON.stringify(value) }],
    path,
    value,
    isArrayInsertion: false,
    expected: withValueAt(rootValue(session), path, () => value),
  };
}

/**
 * Inserts an item into an array (or a property into an object, `key` given) after the item at
 * `afterIndex` (-1: into an empty container), laid out as its neighbour: on a line of its own
 * with the neighbour's indentation, or inline after it. `make` writes the item's text.
 */
export function insertItemOp(
  session: EditSession,
  container: Node,
  afterIndex: number,
  value: unknown,
  make: (layout: ItemLayout) => string,
  key?: string,
): EditOp | undefined {
  const text = session.text;
  const items = container.children ?? [];
  const containerPath = getNodePath(container);
  const path = key === undefined ? [...containerPath, afterIndex + 1] : [...containerPath, key];
  const expected = withValueAt(rootValue(session), containerPath, (current) => {
    if (key !== undefined) {
      return isRecord(current) ? { ...current, [key]: value } : current;
    }
    if (!Array.isArray(current)) return current;
    const list = current as unknown[];
    return [...list.slice(0, afterIndex + 1), value, ...list.slice(afterIndex + 1)];
  });
  const op = { path, value, isArrayInsertion: key === undefined, expected };
  const edits = insertItemEdits(text, container, items, afterIndex, make, session.formatting);
  return edits ? { ...op, edits } : undefined;
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

/**
 * Removes the item at `index` from an array (or a property from an object): with its line when
 * it has one to itself (and its comma and same-line comments), else inline with its separator.
 * Other comments stay. Removing the last remaining item of an otherwise blank container leaves
 * it empty (`[]`).
 */
export function removeItemOp(
  session: EditSession,
  container: Node,
  index: number,
): EditOp | undefined {
  const text = session.text;
  const items = container.children ?? [];
  const item = items[index];
  if (!item) return undefined;
  const containerPath = getNodePath(container);
  const key = container.type === 'object' ? propertyKey(item) : undefined;
  if (container.type === 'object' && key === undefined) return undefined;
  const expected = withValueAt(rootValue(session), containerPath, (current) => {
    if (key !== undefined) {
      if (!isRecord(current)) return current;
      const copy = { ...current };
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a copy keyed by user data
      delete copy[key];
      return copy;
    }
    return Array.isArray(current) ? current.filter((_, at) => at !== index) : current;
  });
  return {
    edits: removeItemEdits(text, container, items, index),
    path: [...containerPath, key ?? index],
    value: undefined,
    isArrayInsertion: false,
    expected,
  };
}

/**
 * Removes several items of an array at once when each has a line to itself: the same bytes as
 * `removeItemOp` one item at a time in document order (each item's line goes; when the last item
 * goes without a comma after it, so does the comma after the last item kept), with one re-parse
 * instead of one per item. Undefined when the items must be removed one at a time.
 */
export function removeItemsOp(
  session: EditSession,
  array: Node,
  indices: readonly number[],
): EditOp | undefined {
  const text = session.text;
  const items = array.children ?? [];
  const removing = new Set(indices);
  if (array.type !== 'array' || removing.size < 2 || removing.size > items.length) {
    return undefined;
  }
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
    // All of them: the last one removed leaves `[]` when nothing but white space is left, as
    // `removeItemOp` does; else just their lines go.
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
      edits.splice(0, edits.length, { offset: open, length: close - open, content: '' });
    }
  } else if (removing.has(lastIndex) && lastComma === undefined) {
    let kept = lastIndex;
    while (kept >= 0 && removing.has(kept)) kept--;
    const keptItem = items[kept];
    const separator = keptItem && commaAfter(text, keptItem.offset + keptItem.length);
    if (separator !== undefined) edits.push({ offset: separator, length: 1, content: '' });
  }
  const arrayPath = getNodePath(array);
  return {
    edits,
    value: undefined,
    isArrayInsertion: false,
    expected: withValueAt(rootValue(session), arrayPath, (current) =>
      Array.isArray(current) ? current.filter((_, at) => !removing.has(at)) : current,
    ),
  };
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

// ---------------------------------------------------------------------------------------------
// Item texts in the document's style

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
    open: ' ',
    between: ' ',
    close: ' ',
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
function objectText(
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
  if (style.multiline && layout.multiline) {
    const inner = layout.indent + style.step;
    return `{${properties.map((p) => layout.eol + inner + p).join(',')}${layout.eol}${layout.indent}}`;
  }
  return `{${style.open}${properties.join(`,${style.between}`)}${style.close}}`;
}

function entryText(
  text: string,
  template: Node | undefined,
  entry: { permission: string; purpose: string },
  layout: ItemLayout,
  formatting: DetectedFormatting,
): string {
  const style = objectStyle(text, template, indentUnit(formatting));
  return objectText(
    style,
    [
      ['permission', entry.permission],
      ['purpose', entry.purpose],
    ],
    layout,
  );
}

function permissionsPropertyText(
  session: EditSession,
  sibling: Node | undefined,
  entry: { permission: string; purpose: string },
  layout: ItemLayout,
): string {
  const unit = indentUnit(session.formatting);
  const colon = (sibling && colonOf(session.text, sibling)) ?? ': ';
  const style = objectStyle(session.text, undefined, unit);
  if (!layout.multiline) {
    return `"permissions"${colon}[${objectText({ ...style, multiline: false }, Object.entries(entry), layout)}]`;
  }
  const inner = layout.indent + unit;
  const object = objectText(style, Object.entries(entry), { ...layout, indent: inner });
  return `"permissions"${colon}[${layout.eol}${inner}${object}${layout.eol}${layout.indent}]`;
}

/** A property's text (`"key": value`) with the colon its siblings use. */
export function propertyText(text: string, object: Node, key: string, value: unknown): string {
  const sibling = object.children?.[0];
  const colon = (sibling && colonOf(text, sibling)) ?? ': ';
  return `${JSON.stringify(key)}${colon}${JSON.stringify(value)}`;
}

function lastObjectEntry(entries: readonly Node[]): Node | undefined {
  for (let index = entries.length - 1; index >= 0; index--) {
    const entry = entries[index];
    if (entry?.type === 'object' && (entry.children?.length ?? 0) > 0) return entry;
  }
  return undefined;
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

/** jsonc-parser's `SyntaxKind` values (a const enum, which isolated modules cannot read). */
const Token = {
  Comma: 5,
  LineComment: 12,
  BlockComment: 13,
  LineBreak: 14,
  Trivia: 15,
  EOF: 17,
} as const;

function isHighSurrogate(char: number): boolean {
  return char >= 0xd800 && char <= 0xdbff;
}

function isLowSurrogate(char: number): boolean {
  return char >= 0xdc00 && char <= 0xdfff;
}

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

// ---------------------------------------------------------------------------------------------
// Expected values

function rootValue(session: EditSession): unknown {
  const root = session.manifest.syntax().root;
  return root ? (getNodeValue(root) as unknown) : undefined;
}

/** A copy of `value` with the value at `path` replaced by `change(old)`. */
function withValueAt(
  value: unknown,
  path: JSONPath,
  change: (current: unknown) => unknown,
): unknown {
  if (path.length === 0) return change(value);
  const [head, ...rest] = path;
  if (typeof head === 'number' && Array.isArray(value)) {
    return value.map((item: unknown, index) =>
      index === head ? withValueAt(item, rest, change) : item,
    );
  }
  if (typeof head === 'string' && isRecord(value)) {
    return { ...value, [head]: withValueAt(value[head], rest, change) };
  }
  return value;
}

/** Deep equality of JSON values; the order of an object's keys does not matter. */
function sameValue(a: unknown, b: unknown): boolean {
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
