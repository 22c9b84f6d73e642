import { parse } from 'jsonc-parser';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionContext,
  type Diagnostic,
  type Range,
  type TextEdit,
} from 'vscode-languageserver-types';
import { ClientCommands } from '../protocol';
import { catalog } from './catalog';
import { purposeKey } from './diagnostics/permissionRules';
import { REWRITE_CODES } from './diagnostics/purposeDiagnostics';
import { checkPurposeText } from './diagnostics/purposeRules';
import { validateManifest } from './diagnostics/validation';
import type { ManifestEdit, ValuePath } from './edits';
import { beginEdit, editBlocker } from './grantRevoke';
import {
  containsOffset,
  parseManifest,
  entryAtOffset,
  grantedWith,
  propertySpan,
  type ManifestDocument,
  type PermissionEntry,
  type PurposeText,
} from './manifestDocument';
import { normalizePermissionName, singular, suggestPermissionNames } from './nameSuggestions';
import { suggestPurpose } from './purposeSuggestion';
import { isRecord, type DiagnosticCode, type ManifestServiceSettings } from './settings';

/*
 * Quick fixes keyed on the diagnostics' codes, a fix-all of the safe ones, and sorting the
 * entries. Every fix is recomputed from the manifest at the diagnostic's place (a diagnostic may
 * be stale, and its `data` is only a hint), built from the layout-preserving edit operations of
 * the edit port (edits.ts), one operation at a time with a re-parse between.
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
 * Listing can be lazy (`codeAction/resolve`): the quick fixes and the sort are then listed
 * without their edits, each with a small `data` (`CodeActionData`) from which
 * `resolveCodeAction` computes the edit when the user picks the action. A light-bulb request
 * then costs no re-parse at all. Fix-all stays eager: it is only computed when asked for.
 */

const SOURCE = 'stripe-apps';
const PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false } as const;
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
  | { readonly uri: string; readonly version: number; readonly action: 'sort' };

/** A quick fix before it is built: what it does, to what, and whether it is the best one. */
interface Fix {
  readonly title: string;
  readonly preferred: boolean;
  /** A fix that changes no meaning, applied by fix-all. */
  readonly safe: boolean;
  /** Applies the fix to the edit; false (with the edit unchanged) when it cannot. */
  readonly apply: (edit: ManifestEdit) => boolean;
  /** Instead of an edit, a client command the action runs (never safe, never lazy). */
  readonly command?: string;
  /**
   * Suggested text the fix inserts and the user should rewrite: its JSON string literal, first
   * found at or after `from` (an offset the edit leaves in place) once the edit is applied.
   */
  readonly selects?: { readonly literal: string; readonly from: number };
}

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
      const fixes = fixesAt(manifest, diagnostic.code, offset, settings);
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

  if (wants(CodeActionKind.RefactorRewrite) && inPermissions(manifest, document, range)) {
    if (lazy) {
      // Only the cheap half of the sort: is there anything out of order? The edit (and its
      // verification) waits for the resolve.
      if (needsSorting(manifest)) {
        const data: CodeActionData = { ...where, action: 'sort' };
        actions.push({ title: SORT_TITLE, kind: CodeActionKind.RefactorRewrite, data });
      }
    } else {
      const edits = getSortEntriesEdits(manifest, document);
      if (edits.length > 0) {
        actions.push({
          title: SORT_TITLE,
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
    edits = getSortEntriesEdits(manifest, document);
  } else {
    const fix = fixesAt(manifest, data.code, data.offset, settings)[data.fix];
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
  if (action === 'sort') return { uri, version, action };
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

/**
 * What fix-all leaves to a person, and why, by code: said in its title ("Source Action…"
 * shows it) so that a duplicate still there after a fix-all is not a mystery.
 */
const LEFT_TO_YOU: Partial<Record<DiagnosticCode, (count: number) => string>> = {
  'duplicate-permission': (count) =>
    `${count} duplicate${count === 1 ? '' : 's'} with another purpose`,
  'redundant-permission': (count) =>
    `${count} redundant entr${count === 1 ? 'y' : 'ies'} with ${count === 1 ? 'its' : 'their'} own purpose`,
  'duplicate-entry-property': (count) =>
    `${count} repeated key${count === 1 ? '' : 's'} with another value`,
};

function fixAllTitle(left: ReadonlyMap<DiagnosticCode, number>): string {
  const parts = [...left].flatMap(([code, count]) => {
    const describe = LEFT_TO_YOU[code];
    return describe ? [describe(count)] : [];
  });
  return parts.length === 0 ? FIX_ALL_TITLE : `${FIX_ALL_TITLE}; left to you: ${parts.join(', ')}`;
}

function fixAll(
  manifest: ManifestDocument,
  document: TextDocument,
  settings: ManifestServiceSettings,
): { edits: TextEdit[]; left: Map<DiagnosticCode, number> } {
  const left = new Map<DiagnosticCode, number>();
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
        const code = diagnostic.code as DiagnosticCode;
        if (diagnostic.source === SOURCE && LEFT_TO_YOU[code]) {
          left.set(code, (left.get(code) ?? 0) + 1);
        }
      }
      break;
    }
  }
  return { edits: edit.textEdits(), left };
}

/**
 * Sorts the permission entries by name (entries without one last, in their order). Each entry
 * moves with the comments above it and, when every entry ends its line, the comment after it
 * on its line; commas, line breaks and indentation stay where they are.
 */
export function getSortEntriesEdits(
  manifest: ManifestDocument,
  document: TextDocument,
): TextEdit[] {
  // Already in order: nothing to do, and no tree to build.
  if (!needsSorting(manifest) || editBlocker(manifest, document) !== undefined) return [];
  const keys = manifest.entries.map((entry) => entry.name?.trim());
  const order = keys
    .map((_, index) => index)
    .sort((a, b) => compareKeys(keys[a], keys[b]) || a - b);
  const edit = beginEdit(manifest, document);
  const list = manifest.appList?.path;
  return list && edit.apply({ kind: 'reorder', list, order }) ? edit.textEdits() : [];
}

// ---------------------------------------------------------------------------------------------
// The fixes, per diagnostic code

function fixesFor(
  manifest: ManifestDocument,
  document: TextDocument,
  diagnostic: Diagnostic,
  settings: ManifestServiceSettings,
): Fix[] {
  if (typeof diagnostic.code !== 'string') return [];
  return fixesAt(manifest, diagnostic.code, document.offsetAt(diagnostic.range.start), settings);
}

/**
 * The fixes for a diagnostic with `code` starting at `offset`, built but not applied (cheap:
 * no re-parse), in the order they are offered.
 */
function fixesAt(
  manifest: ManifestDocument,
  diagnosticCode: string,
  offset: number,
  settings: ManifestServiceSettings,
): Fix[] {
  const code = diagnosticCode as DiagnosticCode;
  if (code === 'missing-permissions') return missingPermissionsFixes(manifest);
  const entry = entryAtOffset(manifest, offset, 'character');
  if (!entry) return [];
  const name = entry.name?.trim() ?? '';
  switch (code) {
    case 'unknown-permission':
      return unknownNameFixes(manifest, entry, settings);
    case 'retired-permission':
      return retiredFixes(manifest, entry);
    case 'event-type-as-permission':
      return eventTypeFixes(manifest, entry);
    case 'multiple-permissions-in-entry':
      return combinedEntryFixes(manifest, entry, settings);
    case 'duplicate-permission':
      return duplicateFixes(manifest, entry, settings);
    case 'duplicate-entry-property':
      return duplicatePropertyFixes(manifest, entry, offset);
    case 'purpose-control-characters':
    case 'purpose-escape-leftover':
      return purposeCleanupFixes(manifest, entry, offset, code, settings);
    case 'missing-purpose':
      return missingPurposeFixes(manifest, entry);
    case 'empty-purpose':
    case 'placeholder-purpose':
    case 'purpose-whitespace':
      return purposeTextFixes(manifest, entry, offset, code, settings);
    case 'redundant-permission': {
      const impliedBy = catalog
        .impliedBy(name)
        .filter((other) => grantedWith(manifest, entry).has(other));
      if (impliedBy.length === 0) return [];
      return [
        removal(
          entry,
          `Remove "${name}" (${quoted(impliedBy)} already grant${impliedBy.length === 1 ? 's' : ''} it)`,
          true,
        ),
      ];
    }
    case 'restricted-permission':
      return catalog.restricted(name)
        ? [removal(entry, `Remove restricted permission "${name}"`, false)]
        : [];
    default:
      return [];
  }
}

function unknownNameFixes(
  manifest: ManifestDocument,
  entry: PermissionEntry,
  settings: ManifestServiceSettings,
): Fix[] {
  const name = entry.name;
  const node = entry.permissionValue;
  if (name === undefined || node?.type !== 'string') return [];
  const allowed = new Set(settings.allowedPermissions);
  const trimmed = name.trim();
  if (trimmed === name && isAccepted(trimmed, allowed)) return [];
  const suggestions =
    trimmed !== name && isAccepted(trimmed, allowed)
      ? [trimmed]
      : suggestPermissionNames(name, settings.allowedPermissions);
  const safe = safeRename(name, allowed);
  return suggestions.map((suggestion) => {
    const isSafe = suggestion === safe && !grantedElsewhere(manifest, suggestion, entry);
    return {
      title: `Replace with "${suggestion}"`,
      preferred: isSafe,
      safe: isSafe,
      apply: (edit) => renameEntry(edit, entry, suggestion),
    };
  });
}

function retiredFixes(manifest: ManifestDocument, entry: PermissionEntry): Fix[] {
  const name = entry.name?.trim() ?? '';
  const retired = catalog.retired(name);
  if (!retired) return [];
  const replacements = retired.replacements;
  if (replacements.length === 0) {
    return [removal(entry, `Remove retired permission "${name}"`, false)];
  }
  return replacements.map((replacement) => {
    const single = replacements.length === 1 && !grantedElsewhere(manifest, replacement, entry);
    return {
      title: `Replace with "${replacement}"`,
      preferred: single,
      safe: single,
      apply: (edit: ManifestEdit) => renameEntry(edit, entry, replacement),
    };
  });
}

function eventTypeFixes(manifest: ManifestDocument, entry: PermissionEntry): Fix[] {
  const name = entry.name?.trim() ?? '';
  const permissions = catalog.eventPermissions(name);
  if (!permissions) return [];
  const needed = [...new Set(['event_read', ...permissions.filter((p) => catalog.has(p))])];
  const missing = needed.filter((permission) => !grantedWith(manifest, entry).has(permission));
  if (missing.length === 0) {
    return [removal(entry, `Remove "${name}" (${quoted(needed)} already granted)`, true)];
  }
  return [
    {
      title: `Replace with ${quoted(missing)}`,
      preferred: true,
      safe: false,
      apply: (edit) => splitEntry(edit, entry, missing),
    },
  ];
}

function combinedEntryFixes(
  manifest: ManifestDocument,
  entry: PermissionEntry,
  settings: ManifestServiceSettings,
): Fix[] {
  const name = entry.name?.trim() ?? '';
  const parts = [...new Set(name.split(/[\s,;|]+/).filter((part) => part !== ''))];
  if (parts.length < 2) return [];
  const allowed = new Set(settings.allowedPermissions);
  const missing = parts.filter((part) => !grantedWith(manifest, entry).has(part));
  if (missing.length === 0) {
    return [removal(entry, `Remove the entry (${quoted(parts)} already granted)`, true)];
  }
  const safe =
    missing.length === parts.length &&
    parts.every((part) => catalog.has(part) || allowed.has(part));
  return [
    {
      title:
        missing.length === parts.length
          ? 'Split into one entry per permission'
          : `Split into one entry per permission (without ${quoted(parts.filter((part) => !missing.includes(part)))}, already granted)`,
      preferred: true,
      safe,
      apply: (edit) => splitEntry(edit, entry, missing),
    },
  ];
}

/**
 * Removing a later duplicate is safe (fix-all) when nothing is lost: it has no purpose, the same
 * purpose as the first (up to case, spacing and final punctuation), or a purpose the rules say
 * must be rewritten (empty, placeholder, restatement) while the first's is not. Otherwise two
 * different reasons exist and a person chooses: the diagnostic says "another purpose".
 */
function duplicateFixes(
  manifest: ManifestDocument,
  entry: PermissionEntry,
  settings: ManifestServiceSettings,
): Fix[] {
  const name = entry.name?.trim() ?? '';
  const first = grantedWith(manifest, entry).get(name)?.[0];
  if (!first || first === entry) return [];
  const same =
    entry.purposeValue === undefined ||
    sameEntry(manifest.text, first, entry) ||
    (entry.purposeTexts.length > 0 && purposeKey(entry) === purposeKey(first));
  const worse =
    !same &&
    entry.purposeTexts.length > 0 &&
    first.purposeTexts.length > 0 &&
    entry.purposeTexts.every((purpose) => needsRewrite(name, purpose.text, settings, manifest)) &&
    !first.purposeTexts.some((purpose) => needsRewrite(name, purpose.text, settings, manifest));
  return [
    removal(
      entry,
      same ? `Remove duplicate "${name}"` : `Remove duplicate "${name}" (and its purpose)`,
      same || worse,
      same || worse,
    ),
  ];
}

function needsRewrite(
  name: string,
  text: string,
  settings: ManifestServiceSettings,
  manifest: ManifestDocument,
): boolean {
  return checkPurposeText(name, text, settings, manifest).some((finding) =>
    REWRITE_CODES.has(finding.code),
  );
}

/**
 * Two `permission` (or `purpose`) keys in one entry: remove the earlier one, which JSON.parse
 * and Stripe ignore already (the value does not change). Safe for fix-all only when both say
 * the same; else the user may have meant the earlier one, so it is a quick fix only.
 */
function duplicatePropertyFixes(
  manifest: ManifestDocument,
  entry: PermissionEntry,
  offset: number,
): Fix[] {
  const at = entry.properties.findIndex((property) =>
    containsOffset(propertySpan(property), offset),
  );
  const property = entry.properties[at];
  if (!property) return [];
  const key = property.key;
  const last = [...entry.properties].reverse().find((other) => other.key === key);
  if (!last || last === property) return [];
  const text = manifest.text;
  const valueText = (candidate: typeof property): string =>
    candidate.value
      ? text.slice(candidate.value.offset, candidate.value.offset + candidate.value.length)
      : '';
  const same = valueText(property) === valueText(last);
  return [
    {
      title: `Remove the earlier "${key}" (${clipTitle(valueText(property))})`,
      preferred: true,
      safe: same,
      // The earlier key is ignored already: the document's value must not change at all.
      apply: (edit) =>
        edit.apply({ kind: 'remove-property', object: entry.path, index: at, shadowed: true }),
    },
  ];
}

/** Removes control characters or terminal leftovers from a purpose (the rule's cleaned text). */
function purposeCleanupFixes(
  manifest: ManifestDocument,
  entry: PermissionEntry,
  offset: number,
  code: 'purpose-control-characters' | 'purpose-escape-leftover',
  settings: ManifestServiceSettings,
): Fix[] {
  const purpose = entry.purposeTexts.find((text) => containsOffset(text.node, offset));
  if (!purpose) return [];
  const finding = checkPurposeText(entry.name?.trim() ?? '', purpose.text, settings, manifest).find(
    (candidate) => candidate.code === code,
  );
  const cleaned = isRecord(finding?.data) ? finding.data.cleaned : undefined;
  if (typeof cleaned !== 'string' || cleaned.trim() === '') return [];
  const where = purpose.locale !== undefined ? ` (${purpose.locale})` : '';
  return [
    {
      title:
        code === 'purpose-escape-leftover'
          ? `Remove the terminal leftover from the purpose${where}`
          : `Remove the control characters from the purpose${where}`,
      preferred: true,
      // A leftover is printable text: a person confirms it is not meant.
      safe: false,
      apply: (edit) => setPurposeText(edit, entry, purpose, cleaned),
    },
  ];
}

/**
 * No `permissions` key: add an empty array (the user then grants into it), or run Grant
 * Permission…, which creates the array with its first entry.
 */
function missingPermissionsFixes(manifest: ManifestDocument): Fix[] {
  if (manifest.permissionsProperty || manifest.root?.type !== 'object') return [];
  return [
    {
      title: 'Add "permissions": []',
      preferred: true,
      safe: false,
      apply: (edit) =>
        edit.apply({ kind: 'add-property', object: [], key: 'permissions', value: [] }),
    },
    {
      title: 'Grant Permission…',
      preferred: false,
      safe: false,
      apply: () => false,
      command: ClientCommands.grantPermission,
    },
  ];
}

function clipTitle(text: string): string {
  return text.length <= 40 ? text : `${text.slice(0, 39)}…`;
}

function missingPurposeFixes(manifest: ManifestDocument, entry: PermissionEntry): Fix[] {
  if (!entry.isObject || entry.purposeProperty) return [];
  const name = entry.name?.trim() ?? '';
  const purpose = suggestPurpose(name, manifest.appName);
  return [
    {
      title: `Add purpose "${purpose}"`,
      preferred: true,
      safe: false,
      // A generic suggestion: left selected, so the user writes the app's own reason.
      selects: { literal: JSON.stringify(purpose), from: entry.node.offset },
      apply: (edit) =>
        edit.apply({
          kind: 'add-property',
          object: entry.path,
          key: 'purpose',
          value: purpose,
        }),
    },
  ];
}

function purposeTextFixes(
  manifest: ManifestDocument,
  entry: PermissionEntry,
  offset: number,
  code: 'empty-purpose' | 'placeholder-purpose' | 'purpose-whitespace',
  settings: ManifestServiceSettings,
): Fix[] {
  const purpose = entry.purposeTexts.find((text) => containsOffset(text.node, offset));
  if (!purpose) return [];
  const name = entry.name?.trim() ?? '';
  const finding = checkPurposeText(name, purpose.text, settings, manifest).find(
    (candidate) => candidate.code === code,
  );
  if (!finding) return [];
  const where = purpose.locale !== undefined ? ` (${purpose.locale})` : '';
  if (code === 'purpose-whitespace') {
    const trimmed = purpose.text.trim();
    return [
      {
        title: `Trim white space from the purpose${where}`,
        preferred: true,
        safe: true,
        apply: (edit) => setPurposeText(edit, entry, purpose, trimmed),
      },
    ];
  }
  const suggested = suggestPurpose(name, manifest.appName);
  const replace: Fix = {
    title: `Replace with suggested purpose "${suggested}"${where}`,
    preferred: true,
    safe: false,
    apply: (edit) => setPurposeText(edit, entry, purpose, suggested),
    selects: { literal: JSON.stringify(suggested), from: purpose.node.offset },
  };
  const placeholder = purpose.text.slice(finding.start, finding.end);
  const whole = placeholder.trim() === purpose.text.trim();
  if (code === 'placeholder-purpose' && !whole && manifest.appName && /app/i.test(placeholder)) {
    const appName = manifest.appName;
    const filled = purpose.text.slice(0, finding.start) + appName + purpose.text.slice(finding.end);
    return [
      {
        title: `Replace "${placeholder}" with "${appName}"${where}`,
        preferred: true,
        safe: false,
        apply: (edit) => setPurposeText(edit, entry, purpose, filled),
      },
      { ...replace, preferred: false },
    ];
  }
  return [replace];
}

function removal(entry: PermissionEntry, title: string, preferred: boolean, safe = false): Fix {
  return {
    title,
    preferred,
    safe,
    apply: (edit) =>
      edit.apply({ kind: 'remove', list: listPathOf(entry), indices: [entry.index] }),
  };
}

// ---------------------------------------------------------------------------------------------
// Operations on an entry of the model the edit started from

function renameEntry(edit: ManifestEdit, entry: PermissionEntry, name: string): boolean {
  return edit.apply({ kind: 'set', path: [...entry.path, 'permission'], value: name });
}

/** Replaces an entry by one entry per name, each a copy of it (same purpose). */
function splitEntry(edit: ManifestEdit, entry: PermissionEntry, names: readonly string[]): boolean {
  const [firstName, ...rest] = names;
  if (firstName === undefined) return false;
  const copied = parse(entryText(edit.text, entry), [], PARSE_OPTIONS) as unknown;
  if (!isRecord(copied)) return false;
  return edit.applyAll([
    { kind: 'set', path: [...entry.path, 'permission'], value: firstName },
    ...rest.map((name, offset) => ({
      kind: 'insert' as const,
      list: listPathOf(entry),
      index: entry.index + 1 + offset,
      value: { ...copied, permission: name },
    })),
  ]);
}

function setPurposeText(
  edit: ManifestEdit,
  entry: PermissionEntry,
  purpose: PurposeText,
  text: string,
): boolean {
  const path = [...entry.path, 'purpose'];
  return edit.apply({
    kind: 'set',
    path: purpose.locale === undefined ? path : [...path, purpose.locale],
    value: text,
  });
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

/** The path of the list an entry is in. */
function listPathOf(entry: PermissionEntry): ValuePath {
  return entry.path.slice(0, -1);
}

function entryText(text: string, entry: PermissionEntry): string {
  const { offset, length } = entry.node;
  return text.slice(offset, offset + length);
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Names whose only difference from a catalog name is a normalisation, by normalised form. */
const NORMALISED = (() => {
  const byForm = new Map<string, string[]>();
  for (const { name } of catalog.permissions) {
    const form = normalisedForm(name);
    byForm.set(form, [...(byForm.get(form) ?? []), name]);
  }
  return byForm;
})();

function normalisedForm(name: string): string {
  return normalizePermissionName(name).split('_').map(singular).join('_');
}

/**
 * The one name a wrong name certainly means: itself without white space, Stripe's schema's
 * spelling fixed, or the only catalog name equal to it up to case, separators and plurals.
 */
function safeRename(name: string, allowed: ReadonlySet<string>): string | undefined {
  const trimmed = name.trim();
  if (trimmed !== name && isAccepted(trimmed, allowed)) return trimmed;
  const misspelling = catalog.schemaMisspelling(trimmed);
  if (misspelling) return misspelling.correct;
  const matches = NORMALISED.get(normalisedForm(trimmed)) ?? [];
  return matches.length === 1 ? matches[0] : undefined;
}

function isAccepted(name: string, allowed: ReadonlySet<string>): boolean {
  return catalog.has(name) || allowed.has(name) || catalog.retired(name) !== undefined;
}

function grantedElsewhere(
  manifest: ManifestDocument,
  name: string,
  entry: PermissionEntry,
): boolean {
  return (grantedWith(manifest, entry).get(name) ?? []).some((other) => other !== entry);
}

/** Two entries of the same name that say the same (names compared trimmed). */
function sameEntry(text: string, a: PermissionEntry, b: PermissionEntry): boolean {
  const normalised = (entry: PermissionEntry): string | undefined => {
    const { offset, length } = entry.node;
    const value = parse(text.slice(offset, offset + length), [], PARSE_OPTIONS) as unknown;
    return JSON.stringify(isRecord(value) ? { ...value, permission: entry.name?.trim() } : value);
  };
  const first = normalised(a);
  // A YAML entry is no JSON value: nothing parsed is no proof that both say the same.
  return first !== undefined && first === normalised(b);
}

/**
 * Whether sorting changes anything: at least two entries, not already in order (a stable
 * sort leaves entries whose names never decrease where they are). One pass over the names,
 * without building the edit.
 */
function needsSorting(manifest: ManifestDocument): boolean {
  const entries = manifest.entries;
  if (!manifest.permissionsArray || entries.length < 2) return false;
  let previous = entries[0]?.name?.trim();
  for (let index = 1; index < entries.length; index++) {
    const key = entries[index]?.name?.trim();
    if (compareKeys(previous, key) > 0) return true;
    previous = key;
  }
  return false;
}

function inPermissions(manifest: ManifestDocument, document: TextDocument, range: Range): boolean {
  const property = manifest.permissionsProperty;
  if (!property || !manifest.permissionsArray) return false;
  const { offset, length } = propertySpan(property);
  const start = document.offsetAt(range.start);
  return start >= offset && start <= offset + length;
}

function compareKeys(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function quoted(names: readonly string[]): string {
  const list = names.map((name) => `"${name}"`);
  if (list.length <= 1) return list.join('');
  return `${list.slice(0, -1).join(', ')} and ${list[list.length - 1] ?? ''}`;
}
