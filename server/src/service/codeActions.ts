import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionContext,
  type Diagnostic,
  type Range,
  type TextEdit,
} from 'vscode-languageserver-types';
import type { Fix } from './diagnostics/common';
import { fixesOf, leftToYouOf } from './diagnostics/registry';
import { validateManifest } from './diagnostics/validation';
import type { ManifestEdit, ValuePath } from './edits';
import { beginEdit, editBlocker } from './grantRevoke';
import {
  parseManifest,
  propertySpan,
  type ManifestDocument,
  type PermissionList,
} from './manifestDocument';
import { isRecord, type ManifestServiceSettings } from './settings';

/*
 * The code actions: the quick fixes of the diagnostics, which each rule module declares for its
 * codes (registry.ts) and builds from the finding's `data`, a fix-all of the safe ones, and
 * sorting the entries. A fix is built against the manifest at the diagnostic's place (it offers
 * nothing when that entry is no longer the one its finding names) and applied through the
 * layout-preserving operations of the edit port (edits.ts), one operation at a time.
 *
 * What fix-all applies (the safe fixes, which change no meaning): a misspelt name whose only
 * match is a normalisation (white space, case, separators, plural/singular, Stripe's schema
 * typos) or a retired name's single replacement, unless that name is already granted; a
 * combined entry ("coupon_read, coupon_write") split when every part is a known name granted
 * nowhere else; a later duplicate removed when it says the same as the first (up to case,
 * spacing and final punctuation), has no purpose, or has one the rules say must be rewritten
 * while the first's need not; the earlier of two equal `permission`/`purpose` keys removed;
 * white space trimmed from a purpose. Never: writing purposes, removing redundant, restricted
 * or retired permissions (a redundant entry has its own purpose, which a person may want to
 * move), duplicates with two real purposes, replacing event types: those are judgements. The
 * fix-all's title says how many duplicates, redundant entries and repeated keys it left.
 *
 * Sorting is offered in the permission list the cursor is in (a v2 extension's list too) and
 * sorts that list only; fix-all never sorts (an order can be deliberate). The sort command
 * (permissionSummary.ts) sorts every list of the file, or the one it is given.
 *
 * Listing can be lazy (`codeAction/resolve`): the quick fixes and the sort are then listed
 * without their edits, each with a small `data` (`CodeActionData`) from which
 * `resolveCodeAction` computes the edit when the user picks the action. A light-bulb request
 * then costs no re-parse at all. Fix-all stays eager: it is only computed when asked for.
 */

const SOURCE = 'stripe-apps';
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.stripeApps`;
const FIX_ALL_TITLE = 'Fix all Stripe Apps manifest problems';
/** Fix-all stops after this many fixes, whatever happens (each re-validates the document). */
const MAX_FIXES = 500;
/**
 * …or once the re-validations have read this many characters in all: each fix re-parses and
 * re-validates the whole text, so a huge manifest gets fewer fixes rather than a frozen editor.
 */
const MAX_FIX_WORK = 1_000_000;
/** The quick fixes of one request stop after this many characters re-parsed in all. */
const MAX_QUICK_FIX_WORK = 2_000_000;
/**
 * A lazy listing re-parses nothing, so that budget does not bound it: it looks at the first
 * this many diagnostics of the request instead (VS Code shows at most 1 000 per file).
 */
const MAX_LISTED_DIAGNOSTICS = 1_000;
const SORT_TITLE = 'Sort permissions by name';

export interface CodeActionOptions {
  /**
   * List the quick fixes and the sort without running them: no `edit`, a `data`
   * (`CodeActionData`) instead, for `resolveCodeAction`. Same titles, kinds, `isPreferred`,
   * diagnostics and order as the eager listing, with one difference: the eager listing drops a
   * fix whose edit turns out not to apply (its verification fails), which only running it can
   * tell. The lazy listing lists it, and resolving it answers the action without an edit.
   */
  readonly lazy?: boolean;
  /**
   * A client command `(uri, position, literal)` that selects the body of the JSON string
   * `literal` found at or after `position` (see `ClientInternalCommands.selectText`). Given,
   * a fix that inserts a suggested purpose runs it after its edit, so the suggestion is left
   * selected for the user to rewrite. Other clients get the edit alone.
   */
  readonly selectCommand?: string;
}

/** What a lazily listed action carries in `data`: how to compute its edit again. */
export type CodeActionData =
  | {
      readonly uri: string;
      /** The document version the action was listed for; another version gets no edit. */
      readonly version: number;
      readonly action: 'quickfix';
      /** The diagnostic's code and the offset of its start. */
      readonly code: string;
      readonly offset: number;
      /** The fix's index among the diagnostic's fixes (its title must still match). */
      readonly fix: number;
    }
  | {
      readonly uri: string;
      readonly version: number;
      readonly action: 'sort';
      /** The list to sort when it is not the app's (a v2 extension's), by its value's path. */
      readonly list?: ValuePath;
    };

export function getCodeActions(
  manifest: ManifestDocument,
  document: TextDocument,
  range: Range,
  context: CodeActionContext,
  settings: ManifestServiceSettings,
  options: CodeActionOptions = {},
): CodeAction[] {
  if (editBlocker(manifest, document) !== undefined) return [];
  const lazy = options.lazy === true;
  const only = context.only;
  const wants = (kind: string): boolean =>
    !only || only.some((requested) => kind === requested || kind.startsWith(`${requested}.`));
  const actions: CodeAction[] = [];
  const where = { uri: document.uri, version: document.version };

  if (wants(CodeActionKind.QuickFix)) {
    // Each fix re-parses the text: a selection over thousands of diagnostics gets the fixes of
    // the first ones (within the budget), not a server busy for minutes.
    let work = 0;
    let listed = 0;
    for (const diagnostic of context.diagnostics) {
      if (lazy ? listed >= MAX_LISTED_DIAGNOSTICS : work >= MAX_QUICK_FIX_WORK) break;
      if (diagnostic.source !== SOURCE || typeof diagnostic.code !== 'string') continue;
      listed++;
      const offset = document.offsetAt(diagnostic.range.start);
      const fixes = fixesAt(manifest, diagnostic.code, offset, diagnostic.data, settings);
      for (const [index, fix] of fixes.entries()) {
        const action: CodeAction = {
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          ...(fix.preferred ? { isPreferred: true } : {}),
          ...selectAfter(document, fix, options.selectCommand),
        };
        if (fix.command !== undefined) {
          // A command needs no edit: nothing to compute now or on resolve.
          actions.push({ ...action, command: { title: fix.title, command: fix.command } });
          continue;
        }
        if (lazy) {
          const data: CodeActionData = {
            ...where,
            action: 'quickfix',
            code: diagnostic.code,
            offset,
            fix: index,
          };
          actions.push({ ...action, data });
          continue;
        }
        work += manifest.text.length;
        const edits = run(manifest, document, fix.apply);
        if (edits.length === 0) continue;
        actions.push({ ...action, edit: { changes: { [document.uri]: edits } } });
      }
    }
  }

  // Fix-all is a source action: only computed when asked for (on save, "Source Action…"), so
  // it stays eager even in a lazy listing.
  if (
    only?.some(
      (requested) => FIX_ALL_KIND === requested || FIX_ALL_KIND.startsWith(`${requested}.`),
    )
  ) {
    const { edits, left } = fixAll(manifest, document, settings);
    if (edits.length > 0) {
      actions.push({
        title: fixAllTitle(left),
        kind: FIX_ALL_KIND,
        edit: { changes: { [document.uri]: edits } },
      });
    }
  }

  const cursorList = wants(CodeActionKind.RefactorRewrite)
    ? listAt(manifest, document, range)
    : undefined;
  if (cursorList) {
    const title = sortTitle(cursorList);
    if (lazy) {
      // Only the cheap half of the sort: is there anything out of order? The edit (and its
      // verification) waits for the resolve.
      if (needsSorting(cursorList)) {
        const data: CodeActionData = {
          ...where,
          action: 'sort',
          ...(cursorList.scope === 'extension' ? { list: cursorList.path } : {}),
        };
        actions.push({ title, kind: CodeActionKind.RefactorRewrite, data });
      }
    } else {
      const edits = getSortEntriesEdits(manifest, document, cursorList.path);
      if (edits.length > 0) {
        actions.push({
          title,
          kind: CodeActionKind.RefactorRewrite,
          edit: { changes: { [document.uri]: edits } },
        });
      }
    }
  }
  return actions;
}

/** The command that leaves a fix's suggested text selected, when the client has one. */
function selectAfter(
  document: TextDocument,
  fix: Fix,
  command: string | undefined,
): Pick<CodeAction, 'command'> {
  if (command === undefined || !fix.selects) return {};
  const { literal, from } = fix.selects;
  return {
    command: {
      title: 'Select the suggested text',
      command,
      arguments: [document.uri, document.positionAt(from), literal],
    },
  };
}

/**
 * The edit of an action listed lazily, computed from the current manifest. The action comes
 * back unchanged, without an edit, when it is not one of ours, when the document is not the
 * version it was listed for, or when its fix no longer applies (or never did: see
 * `CodeActionOptions.lazy`).
 */
export function resolveCodeAction(
  manifest: ManifestDocument,
  document: TextDocument,
  action: CodeAction,
  settings: ManifestServiceSettings,
): CodeAction {
  const data = readCodeActionData(action.data);
  if (!data || data.uri !== document.uri || data.version !== document.version) return action;
  if (editBlocker(manifest, document) !== undefined) return action;
  let edits: TextEdit[];
  if (data.action === 'sort') {
    edits = getSortEntriesEdits(manifest, document, data.list);
  } else {
    // The finding's `data` comes back with the action's diagnostic.
    const diagnostic = action.diagnostics?.find((candidate) => candidate.code === data.code);
    const fix = fixesAt(manifest, data.code, data.offset, diagnostic?.data, settings)[data.fix];
    if (fix?.title !== action.title) return action;
    edits = run(manifest, document, fix.apply);
  }
  return edits.length > 0 ? { ...action, edit: { changes: { [document.uri]: edits } } } : action;
}

/** The `data` of one of our lazily listed actions, or undefined for anything else. */
function readCodeActionData(value: unknown): CodeActionData | undefined {
  if (!isRecord(value)) return undefined;
  const { uri, version, action } = value;
  if (typeof uri !== 'string' || typeof version !== 'number') return undefined;
  if (action === 'sort') {
    const list = value.list;
    if (list === undefined) return { uri, version, action };
    return isValuePath(list) ? { uri, version, action, list } : undefined;
  }
  const { code, offset, fix } = value;
  if (
    action !== 'quickfix' ||
    typeof code !== 'string' ||
    !Number.isSafeInteger(offset) ||
    !Number.isSafeInteger(fix)
  ) {
    return undefined;
  }
  return { uri, version, action, code, offset: offset as number, fix: fix as number };
}

/**
 * The safe fixes (see the top of this file) applied one at a time, re-validating between, as
 * one set of non-overlapping edits against the original document.
 */
export function getFixAllEdits(
  manifest: ManifestDocument,
  document: TextDocument,
  settings: ManifestServiceSettings,
): TextEdit[] {
  return fixAll(manifest, document, settings).edits;
}

function fixAllTitle(left: ReadonlyMap<string, number>): string {
  const parts = [...left].flatMap(([code, count]) => {
    const describe = leftToYouOf(code);
    return describe ? [describe(count)] : [];
  });
  return parts.length === 0 ? FIX_ALL_TITLE : `${FIX_ALL_TITLE}; left to you: ${parts.join(', ')}`;
}

function fixAll(
  manifest: ManifestDocument,
  document: TextDocument,
  settings: ManifestServiceSettings,
): { edits: TextEdit[]; left: Map<string, number> } {
  const left = new Map<string, number>();
  if (editBlocker(manifest, document) !== undefined) return { edits: [], left };
  const edit = beginEdit(manifest, document);
  const failed = new Set<string>();
  let work = 0;
  for (let count = 0; count < MAX_FIXES && work < MAX_FIX_WORK; count++) {
    const currentDocument = edit.document();
    const current = parseManifest(currentDocument, Number.POSITIVE_INFINITY);
    work += current.text.length;
    const diagnostics = validateManifest(current, currentDocument, settings, {});
    let applied = false;
    for (const diagnostic of diagnostics) {
      if (diagnostic.source !== SOURCE) continue;
      const key = `${String(diagnostic.code)}@${currentDocument.offsetAt(diagnostic.range.start)}:${current.text.length}`;
      if (failed.has(key)) continue;
      const fix = fixesFor(current, currentDocument, diagnostic, settings).find((f) => f.safe);
      if (!fix) continue;
      if (fix.apply(edit)) {
        applied = true;
        break;
      }
      failed.add(key);
    }
    if (!applied) {
      for (const diagnostic of diagnostics) {
        const code = diagnostic.code;
        if (diagnostic.source === SOURCE && typeof code === 'string' && leftToYouOf(code)) {
          left.set(code, (left.get(code) ?? 0) + 1);
        }
      }
      break;
    }
  }
  return { edits: edit.textEdits(), left };
}

/**
 * Sorts the entries of one permission list by name (entries without one last, in their order):
 * the list at `listPath`, else the app's. Each entry moves with the comments above it and, when
 * every entry ends its line, the comment after it on its line; commas, line breaks, blank lines
 * and indentation stay where they are.
 */
export function getSortEntriesEdits(
  manifest: ManifestDocument,
  document: TextDocument,
  listPath?: ValuePath,
): TextEdit[] {
  const list = listPath ? listAtPath(manifest, listPath) : manifest.appList;
  return list ? sortLists(manifest, document, [list]).edits : [];
}

/** What sorting some lists did: the edits, the lists they reorder, those that could not be. */
export interface SortResult {
  readonly edits: TextEdit[];
  readonly sorted: readonly PermissionList[];
  readonly failed: readonly PermissionList[];
}

/** Sorts each of `lists` that is out of order, one reorder after the other, as one edit. */
export function sortLists(
  manifest: ManifestDocument,
  document: TextDocument,
  lists: readonly PermissionList[],
): SortResult {
  // Already in order: nothing to do, and no tree to build.
  const unsorted = lists.filter(needsSorting);
  if (unsorted.length === 0 || editBlocker(manifest, document) !== undefined) {
    return { edits: [], sorted: [], failed: [] };
  }
  const edit = beginEdit(manifest, document);
  const sorted: PermissionList[] = [];
  const failed: PermissionList[] = [];
  for (const list of unsorted) {
    // Reordering one list moves no other list: every path stays valid.
    const applied = edit.apply({ kind: 'reorder', list: list.path, order: sortOrder(list) });
    (applied ? sorted : failed).push(list);
  }
  return { edits: sorted.length > 0 ? edit.textEdits() : [], sorted, failed };
}

/** The permission list whose value is at `path`, if that value is a list. */
export function listAtPath(
  manifest: ManifestDocument,
  path: ValuePath,
): PermissionList | undefined {
  const key = path.join('\u0000');
  return manifest.lists.find((list) => list.array && list.path.join('\u0000') === key);
}

/** The order of a stable sort by trimmed name, entries without a name last. */
function sortOrder(list: PermissionList): number[] {
  const keys = list.entries.map((entry) => entry.name?.trim());
  return keys.map((_, index) => index).sort((a, b) => compareKeys(keys[a], keys[b]) || a - b);
}

function sortTitle(list: PermissionList): string {
  return list.scope === 'app' ? SORT_TITLE : `Sort the permissions of ${list.label} by name`;
}

function isValuePath(value: unknown): value is ValuePath {
  return (
    Array.isArray(value) &&
    value.every((key) => typeof key === 'string' || (Number.isSafeInteger(key) && key >= 0))
  );
}

// ---------------------------------------------------------------------------------------------
// The fixes, from the rule that declares the diagnostic's code

function fixesFor(
  manifest: ManifestDocument,
  document: TextDocument,
  diagnostic: Diagnostic,
  settings: ManifestServiceSettings,
): readonly Fix[] {
  if (typeof diagnostic.code !== 'string') return [];
  const offset = document.offsetAt(diagnostic.range.start);
  return fixesAt(manifest, diagnostic.code, offset, diagnostic.data, settings);
}

/**
 * The fixes for a diagnostic with `code` starting at `offset`, built from its `data` but not
 * applied (cheap: no re-parse), in the order they are offered.
 */
function fixesAt(
  manifest: ManifestDocument,
  code: string,
  offset: number,
  data: unknown,
  settings: ManifestServiceSettings,
): readonly Fix[] {
  const fixes = fixesOf(code);
  return fixes ? fixes({ manifest, settings, offset, data: isRecord(data) ? data : {} }) : [];
}

/** Runs a fix in a fresh edit; its edits against the document, or none when it failed. */
function run(
  manifest: ManifestDocument,
  document: TextDocument,
  apply: (edit: ManifestEdit) => boolean,
): TextEdit[] {
  const edit = beginEdit(manifest, document);
  return apply(edit) ? edit.textEdits() : [];
}

/**
 * Whether sorting changes anything: at least two entries, not already in order (a stable
 * sort leaves entries whose names never decrease where they are). One pass over the names,
 * without building the edit.
 */
function needsSorting(list: PermissionList): boolean {
  const entries = list.entries;
  if (!list.array || entries.length < 2) return false;
  let previous = entries[0]?.name?.trim();
  for (let index = 1; index < entries.length; index++) {
    const key = entries[index]?.name?.trim();
    if (compareKeys(previous, key) > 0) return true;
    previous = key;
  }
  return false;
}

/** The permission list (a list value) whose property holds the start of `range`. */
function listAt(
  manifest: ManifestDocument,
  document: TextDocument,
  range: Range,
): PermissionList | undefined {
  const start = document.offsetAt(range.start);
  return manifest.lists.find((list) => {
    if (!list.array) return false;
    const { offset, length } = propertySpan(list.property);
    return start >= offset && start <= offset + length;
  });
}

function compareKeys(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}
