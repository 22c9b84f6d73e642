import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CompletionItemKind,
  CompletionItemTag,
  InsertTextFormat,
  InsertTextMode,
  TextEdit,
  type Command,
  type CompletionItem,
  type CompletionList,
  type Position,
  type Range,
} from 'vscode-languageserver-types';
import { catalog } from './catalog';
import { VSCODE_FEATURES, type ClientFeatures } from './clientFeatures';
import {
  cursorContext,
  type EntryKeyContext,
  type Insertion,
  type NewEntryContext,
  type PermissionValueContext,
  type PurposeValueContext,
  type ReplaceSpan,
  type RootKeyContext,
  type SnippetWriter,
} from './cursorContext';
import type { ManifestDocument, PermissionList } from './manifestDocument';
import { code, markdown, permissionDocs, referenceLink } from './markdown';
import { rankPermissions, type RankedPermission } from './nameSuggestions';
import { suggestPurpose } from './purposeSuggestion';
import type { ManifestServiceSettings } from './settings';

/**
 * Completion in a manifest, from the cursor context its format adapter gives (see
 * cursorContext.ts: the adapter says where the cursor is and writes text in the file's syntax;
 * nothing here depends on JSON or YAML). Contexts:
 *
 * - a `permission` value: the catalog names not yet granted in that list;
 * - a key in a permission entry: the missing `permission` / `purpose` properties;
 * - an item position of a list: a whole entry per name, with a suggested purpose;
 * - a `purpose` value (or an English locale's text): a suggested purpose;
 * - a key of the root object (JSON): `permissions` when it is absent.
 *
 * Replace spans include the quotes of the scalar being edited, so VS Code filters on the text
 * from the opening quote to the cursor: `filterText` then starts with a quote too.
 *
 * Permission names are ranked here, not by VS Code's fuzzy match: `rankPermissions` (the order
 * the Grant Quick Pick uses too) filters and orders them for the text typed so far, so `refund`
 * lists `charge_read` first and `cust` preselects `customer_write` when `customer_read` is
 * granted. The list is incomplete (asked again on every keystroke), each item's `filterText`
 * starts with the typed text (every item scores the same, so `sortText` decides) and the best
 * one is preselected.
 *
 * Other editors (see `ClientFeatures`) match the word at the cursor as a prefix of `filterText`
 * or the label: their items carry no `filterText`, so the label (the name) is matched. Without
 * snippet support, items are plain text: the suggested purpose is written out, with no tab stop.
 */

/** Lets the editor reopen suggestions right after a property snippet, for its value. */
const TRIGGER_SUGGEST: Command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };

interface Context {
  readonly manifest: ManifestDocument;
  readonly document: TextDocument;
  readonly offset: number;
  readonly settings: ManifestServiceSettings;
  readonly features: ClientFeatures;
  readonly snippet: SnippetWriter & { readonly snippets: boolean };
}

/** Completion data, sent back by `completionItem/resolve`. */
interface PermissionItemData {
  readonly permission: string;
  /** Not in the catalog, accepted by the `allowedPermissions` setting. */
  readonly allowed?: boolean;
}

export function getCompletions(
  manifest: ManifestDocument,
  document: TextDocument,
  position: Position,
  settings: ManifestServiceSettings,
  features: ClientFeatures = VSCODE_FEATURES,
): CompletionList {
  const offset = document.offsetAt(position);
  const at = cursorContext(manifest, offset);
  if (!at) return items([]);
  const context: Context = {
    manifest,
    document,
    offset,
    settings,
    features,
    snippet: snippetWriter(features.snippets),
  };
  switch (at.kind) {
    case 'permission-value':
      return rankedItems(permissionCompletions(context, at));
    case 'new-entry':
      return rankedItems(entryCompletions(context, at));
    case 'entry-key':
      return items(entryKeyCompletions(context, at));
    case 'purpose-value':
      return items(purposeCompletions(context, at));
    case 'root-key':
      return items(rootKeyCompletions(context, at));
  }
}

/** Adds the markdown documentation of a permission item (kept out of the list for speed). */
export function resolveCompletion(item: CompletionItem): CompletionItem {
  if (item.documentation !== undefined || !isPermissionItemData(item.data)) return item;
  const { permission, allowed } = item.data;
  const info = catalog.get(permission);
  if (info) return { ...item, documentation: markdown(permissionDocs(info)) };
  if (allowed === true) {
    return {
      ...item,
      documentation: markdown([
        `${code(permission)} · allowed by your settings`,
        'Not in the Stripe Apps permissions reference; the `stripeApps.allowedPermissions` setting accepts it.',
        referenceLink(),
      ]),
    };
  }
  return item;
}

function items(list: CompletionItem[]): CompletionList {
  return { isIncomplete: false, items: list };
}

/** Ranked names: asked again as the user types, so the ranking follows the typed text. */
function rankedItems(list: CompletionItem[]): CompletionList {
  return { isIncomplete: true, items: list };
}

// ---------------------------------------------------------------------------------------------
// Contexts

function permissionCompletions(context: Context, at: PermissionValueContext): CompletionItem[] {
  const current = at.entry?.name?.trim();
  const range = rangeOf(context, at.span);
  return candidateNames(context, at.list, current, at.span).map((candidate) => ({
    ...permissionItemBase(context, candidate),
    kind: CompletionItemKind.Value,
    textEdit: TextEdit.replace(range, at.write(candidate.name)),
    insertTextFormat: InsertTextFormat.PlainText,
  }));
}

function entryCompletions(context: Context, at: NewEntryContext): CompletionItem[] {
  const { manifest, snippet } = context;
  const range = rangeOf(context, at.span);
  const before = additionalEdits(context, at.before);
  return candidateNames(context, at.list, undefined, at.span).map((candidate) => ({
    ...permissionItemBase(context, candidate),
    kind: CompletionItemKind.Snippet,
    textEdit: TextEdit.replace(
      range,
      at.write(candidate.name, suggestPurpose(candidate.name, manifest.appName), snippet),
    ),
    insertTextFormat: insertFormat(context),
    insertTextMode: InsertTextMode.asIs,
    ...before,
  }));
}

function entryKeyCompletions(context: Context, at: EntryKeyContext): CompletionItem[] {
  const { manifest, snippet } = context;
  const range = rangeOf(context, at.span);
  const before = at.keyOnly ? {} : additionalEdits(context, at.before);
  const name = at.entry?.name?.trim();
  const result: CompletionItem[] = [];

  const property = (
    key: 'permission' | 'purpose',
    value: string,
    detail: string,
    extra: Partial<CompletionItem>,
  ): CompletionItem => ({
    label: key,
    kind: CompletionItemKind.Property,
    detail,
    ...filterTextFor(context, at.span, key),
    textEdit: TextEdit.replace(range, at.write(key, value, snippet)),
    insertTextFormat: at.keyOnly ? InsertTextFormat.PlainText : insertFormat(context),
    ...before,
    ...(at.keyOnly ? {} : extra),
  });

  if (!at.present.has('permission')) {
    result.push(
      property('permission', '', 'The permission name, from the catalog', triggerSuggest(context)),
    );
  }
  if (!at.present.has('purpose')) {
    const suggestion =
      name === undefined || name === '' ? '' : suggestPurpose(name, manifest.appName);
    result.push(
      property(
        'purpose',
        suggestion,
        'Why the app needs it, shown to the account administrator at install',
        {},
      ),
    );
  }
  return result;
}

function purposeCompletions(context: Context, at: PurposeValueContext): CompletionItem[] {
  const name = at.entry?.name?.trim();
  if (name === undefined || name === '') return [];
  const suggestion = suggestPurpose(name, context.manifest.appName);
  return [
    {
      label: suggestion,
      kind: CompletionItemKind.Text,
      detail: `Suggested purpose for ${name}`,
      documentation: markdown([
        'Shown to the account administrator who installs the app. Say what your app does with this access and why; App Review expects the minimum necessary permissions.',
      ]),
      ...filterTextFor(context, at.span, suggestion),
      textEdit: TextEdit.replace(rangeOf(context, at.span), at.write(suggestion)),
      insertTextFormat: InsertTextFormat.PlainText,
    },
  ];
}

function rootKeyCompletions(context: Context, at: RootKeyContext): CompletionItem[] {
  const format = at.keyOnly ? InsertTextFormat.PlainText : insertFormat(context);
  return [
    {
      label: 'permissions',
      kind: CompletionItemKind.Property,
      detail: 'The Stripe API permissions the app requests',
      documentation: markdown([
        'Each entry names a permission and the purpose shown to the account administrator who installs the app.',
        referenceLink(),
      ]),
      ...filterTextFor(context, at.span, 'permissions'),
      textEdit: TextEdit.replace(rangeOf(context, at.span), at.write(context.snippet)),
      insertTextFormat: format,
      ...(format === InsertTextFormat.Snippet
        ? { insertTextMode: InsertTextMode.asIs, ...triggerSuggest(context) }
        : {}),
      ...(at.keyOnly ? {} : additionalEdits(context, at.before)),
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Permission names

interface Candidate {
  readonly name: string;
  readonly allowed: boolean;
  /** The typed text the item is filtered on (from the replace range's start to the cursor). */
  readonly typed: string;
  /** The item's place in the ranking, from 0. */
  readonly rank: number;
}

const NOTHING_GRANTED: ReadonlyMap<string, unknown> = new Map();

/**
 * Catalog names and allowed extra names, minus those granted in the same list (except `keep`),
 * that match the text typed so far, ranked by `rankPermissions` (the nearest names when none
 * matches).
 */
function candidateNames(
  context: Context,
  list: PermissionList | undefined,
  keep: string | undefined,
  span: ReplaceSpan,
): Candidate[] {
  const granted = list?.granted ?? NOTHING_GRANTED;
  const available = (name: string): boolean => name === keep || !granted.has(name);
  const typed = context.manifest.text.slice(span.start, Math.max(span.start, context.offset));
  const permissions: RankedPermission[] = catalog.permissions.filter((info) =>
    available(info.name),
  );
  const allowed = new Set<string>();
  for (const name of new Set(context.settings.allowedPermissions)) {
    if (!catalog.has(name) && available(name)) {
      permissions.push({ name });
      allowed.add(name);
    }
  }
  const grantedNames = new Set([...granted.keys()].filter((name) => name !== keep));
  return rankPermissions(span.query ?? typed, permissions, grantedNames).map(
    ({ permission }, rank) => ({
      name: permission.name,
      allowed: allowed.has(permission.name),
      typed,
      rank,
    }),
  );
}

function permissionItemBase(context: Context, candidate: Candidate): CompletionItem {
  const { name, allowed, typed, rank } = candidate;
  const info = catalog.get(name);
  // VS Code filters by `filterText`: the typed text, so every ranked item stays, in our order.
  const filterText = context.features.vscodeClient ? { filterText: `${typed}${name}` } : {};
  const data: PermissionItemData = allowed ? { permission: name, allowed } : { permission: name };
  return {
    label: name,
    detail: info
      ? `${info.product} · ${info.resource} · ${info.access}`
      : 'Allowed by your settings',
    ...filterText,
    sortText: String(rank).padStart(4, '0'),
    ...(rank === 0 ? { preselect: true } : {}),
    data,
    ...(catalog.legacy(name) ? { tags: [CompletionItemTag.Deprecated] } : {}),
  };
}

function isPermissionItemData(data: unknown): data is PermissionItemData {
  if (typeof data !== 'object' || data === null) return false;
  const record = data as Record<string, unknown>;
  return (
    typeof record.permission === 'string' &&
    (record.allowed === undefined || typeof record.allowed === 'boolean')
  );
}

// ---------------------------------------------------------------------------------------------
// Items

function rangeOf(context: Context, span: ReplaceSpan): Range {
  return {
    start: context.document.positionAt(span.start),
    end: context.document.positionAt(span.end),
  };
}

function additionalEdits(
  context: Context,
  insertion: Insertion | undefined,
): { additionalTextEdits?: TextEdit[] } {
  if (!insertion) return {};
  const position = context.document.positionAt(insertion.offset);
  return { additionalTextEdits: [TextEdit.insert(position, insertion.text)] };
}

/** Snippets when the client takes them, else plain text. */
function insertFormat(context: Context): InsertTextFormat {
  return context.features.snippets ? InsertTextFormat.Snippet : InsertTextFormat.PlainText;
}

function snippetWriter(snippets: boolean): Context['snippet'] {
  return {
    snippets,
    literal: (text) => (snippets ? snippetEscape(text) : text),
    tabStop: (index, text) => {
      if (!snippets) return text;
      return text === '' ? `$${index}` : `\${${index}:${snippetEscape(text)}}`;
    },
  };
}

/** VS Code reopens suggestions after a property (for its value); other editors lack the command. */
function triggerSuggest(context: Context): { command?: Command } {
  return context.features.vscodeClient ? { command: TRIGGER_SUGGEST } : {};
}

/**
 * VS Code matches the text from the range's start, the opening quote included, so its
 * `filterText` starts with that quote. Other editors match the word at the cursor against the
 * label, which is the same text without the quote.
 */
function filterTextFor(context: Context, span: ReplaceSpan, text: string): { filterText?: string } {
  if (!context.features.vscodeClient) return {};
  const quote = span.quoted ? context.manifest.text.charAt(span.start) : '';
  return { filterText: `${quote}${text}` };
}

/** Escapes text for a snippet body: `\`, `$` and `}` lose their snippet meaning. */
function snippetEscape(text: string): string {
  return text.replace(/[\\$}]/g, (char) => `\\${char}`);
}
