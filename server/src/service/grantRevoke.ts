import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-types';
import { catalog } from './catalog';
import { ManifestEdit, type EditOperation, type ValuePath } from './edits';
import { jsonEditor } from './json/jsonEditor';
import { listPhrase } from './listPhrase';
import {
  lastProperty,
  parseManifest,
  type ManifestDocument,
  type PermissionEntry,
  type PermissionList,
  type PurposeText,
} from './manifestDocument';
import { suggestPermissionNames } from './nameSuggestions';
import type { ManifestServiceSettings } from './settings';
import { yamlEditor } from './yaml/yamlEditor';

/*
 * The grant and revoke policy: what `stripe apps grant/revoke permission` would do, decided on
 * the model (update in place, refusals, local manifests), written through the edit port.
 */

/** Where each format keeps the app's own permission list. */
export function appListPath(manifest: ManifestDocument): ValuePath {
  return manifest.format === 'yaml'
    ? ['declarations', 'stripe_api_access', 'permissions']
    : ['permissions'];
}

/** A new edit of a manifest through the port, in its format. */
export function beginEdit(manifest: ManifestDocument, document: TextDocument): ManifestEdit {
  const editor = manifest.format === 'yaml' ? yamlEditor : jsonEditor;
  return new ManifestEdit(document, editor);
}

/** The list a grant or revoke acts on: the one at `path` (an extension's), else the app's. */
function targetList(
  manifest: ManifestDocument,
  path: ValuePath | undefined,
): PermissionList | undefined {
  if (!path) return manifest.appList;
  return manifest.lists.find((list) => list.path.join('\u0000') === path.join('\u0000'));
}

/** What a list is called in the format: JSON's arrays, YAML's sequences (lists to users). */
function aList(manifest: ManifestDocument): string {
  return manifest.format === 'json' ? 'an array' : 'a list';
}

/** How to name a list in a message: `"permissions"`, or a v2 extension's. */
function listName(manifest: ManifestDocument, list: PermissionList | undefined): string {
  if (list?.scope === 'extension') return `the permissions of ${list.label}`;
  return `"${appListPath(manifest).join('.')}"`;
}

export interface GrantOptions {
  /** Grant a name that is neither in the catalog nor in `allowedPermissions`. */
  force?: boolean;
  /**
   * Create `permissions` in a local manifest (`stripe-app.<name>.json`) that has none. Without
   * it such a grant is refused: the local manifest inherits the base manifest's list, and a
   * `permissions` array here would replace that whole list.
   */
  replaceInherited?: boolean;
  /** The list to grant in (a v2 extension's `permissions`); the app's own list by default. */
  list?: ValuePath;
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
  const list = targetList(manifest, options.list);
  if (options.list && !list) {
    return refuseGrant(
      `Cannot grant ${name}: there is no permission list at ${options.list.join('.')}.`,
    );
  }
  if (list && !list.array) {
    return refuseGrant(
      `Cannot grant ${name}: ${listName(manifest, list)} is not ${aList(manifest)}; make it one first.`,
    );
  }

  const existing = list?.granted.get(name)?.[0];
  if (existing) return updatePurpose(list, document, manifest, existing, name, text);

  const allowed = catalog.has(name) || settings.allowedPermissions.includes(name);
  if (!allowed && options.force !== true) return refuseUnknown(name, settings);

  const entryValue = { permission: name, purpose: text };
  const forced = allowed ? '' : ' (forced: the catalog does not know it)';
  const edit = beginEdit(manifest, document);
  if (list) {
    const ok = edit.apply({
      kind: 'insert',
      list: list.path,
      index: list.entries.length,
      value: entryValue,
    });
    if (!ok) return refuseGrant(`Could not add ${name} without disturbing the manifest.`);
    return { status: 'granted', edits: edit.textEdits(), message: `Granted ${name}${forced}.` };
  }

  if (manifest.kind === 'local' && options.replaceInherited !== true) {
    return refuseGrant(
      `Not granted: this local manifest has no "permissions", so it inherits the list of ` +
        `${manifest.extends ?? 'stripe-app.json'}, and adding one here would replace that whole ` +
        `list. Grant ${name} in the base manifest, or add a "permissions" array here first.`,
    );
  }
  const created = createListOperation(manifest, entryValue);
  const where = listName(manifest, undefined);
  if (!created || !edit.apply(created)) {
    return refuseGrant(`Could not add ${where} without disturbing the manifest.`);
  }
  return {
    status: 'granted',
    edits: edit.textEdits(),
    message: `Granted ${name}${forced} (added the ${where} ${aList(manifest).replace(/^an? /, '')}).`,
  };
}

/**
 * The operation that creates the app list with its first entry: the missing part of its path
 * added as a property of the deepest object that exists (v2: `declarations`, then
 * `stripe_api_access`, then `permissions`).
 */
function createListOperation(
  manifest: ManifestDocument,
  entry: unknown,
): EditOperation | undefined {
  const path = appListPath(manifest);
  let object = manifest.root;
  let depth = 0;
  while (depth < path.length - 1) {
    const key = path[depth];
    const next = lastProperty(object?.properties ?? [], String(key))?.value;
    if (next?.type !== 'object') break;
    object = next;
    depth++;
  }
  if (object?.type !== 'object') return undefined;
  const key = path[depth];
  if (typeof key !== 'string') return undefined;
  let value: unknown = [entry];
  for (const inner of path.slice(depth + 1).reverse()) value = { [inner]: value };
  return { kind: 'add-property', object: path.slice(0, depth), key, value };
}

/**
 * Removes every entry granting `permission` (trimmed) from the app's list (or the list at
 * `listPath`), and returns the change against the original document. Removing the only entry
 * leaves `"permissions": []` (the key is the user's and a base manifest requires it). So grant
 * then revoke gives back the original bytes whenever the manifest had a `permissions` array,
 * except an empty one written with white space inside (`[ ]`, `[\n  ]`), which comes back as
 * `[]`; when the grant created `permissions`, `"permissions": []` stays.
 */
export function revokePermission(
  manifest: ManifestDocument,
  document: TextDocument,
  permission: string,
  listPath?: ValuePath,
): RevokeResult {
  const edit = beginEdit(manifest, document);
  const outcome = revokeInto(edit, manifest, document, permission, listPath);
  return { ...outcome, edits: outcome.status === 'revoked' ? edit.textEdits() : [] };
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
 * `revokePermission` would, one after the other, the text re-parsed between. A name that is not
 * granted, or cannot be removed cleanly, changes nothing and says so; the others still go.
 */
export function revokePermissions(
  manifest: ManifestDocument,
  document: TextDocument,
  permissions: readonly string[],
  listPath?: ValuePath,
): RevokeManyResult {
  const names = [...new Set(permissions.map((name) => name.trim()))];
  const edit = beginEdit(manifest, document);
  const outcomes: RevokeOutcome[] = [];
  let current = { manifest, document };
  for (const name of names) {
    const outcome = revokeInto(edit, current.manifest, current.document, name, listPath);
    outcomes.push({ ...outcome, permission: name });
    if (outcome.status !== 'revoked') continue;
    const next = edit.document();
    current = { manifest: parseManifest(next, Number.POSITIVE_INFINITY), document: next };
  }
  const revoked = outcomes.some((outcome) => outcome.status === 'revoked');
  return { edits: revoked ? edit.textEdits() : [], outcomes };
}

/** Revokes one name into an edit (whose current text `manifest` is the model of). */
function revokeInto(
  edit: ManifestEdit,
  manifest: ManifestDocument,
  document: TextDocument,
  permission: string,
  listPath: ValuePath | undefined,
): Omit<RevokeResult, 'edits'> {
  const name = typeof permission === 'string' ? permission.trim() : '';
  const refuse = (message: string) => ({ status: 'invalid' as const, removed: 0, message });
  if (name === '') return refuse('Give the name of the permission to revoke.');
  const blocker = editBlocker(manifest, document);
  if (blocker !== undefined) return refuse(`Cannot revoke ${name}: ${blocker}`);
  const list = targetList(manifest, listPath);
  if (list && !list.array) {
    return refuse(`Cannot revoke ${name}: ${listName(manifest, list)} is not ${aList(manifest)}.`);
  }
  const targets = list?.granted.get(name) ?? [];
  if (!list || targets.length === 0) {
    const inherited =
      manifest.kind === 'local' && !manifest.permissionsProperty
        ? ` (this local manifest inherits its permissions from ${manifest.extends ?? 'stripe-app.json'})`
        : '';
    return {
      status: 'not-granted',
      removed: 0,
      message: `${name} is not granted${inherited}; nothing changed.`,
    };
  }
  const ok = edit.apply({
    kind: 'remove',
    list: list.path,
    indices: targets.map((entry) => entry.index),
  });
  if (!ok) return refuse(`Could not remove ${name} without disturbing the manifest.`);
  const removed = targets.length;
  return {
    status: 'revoked',
    removed,
    message: removed === 1 ? `Revoked ${name}.` : `Revoked ${name} (${removed} entries).`,
  };
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
      message: `"${name}" is an event type, not a permission; receiving it needs ${listPhrase(needed)}.`,
    };
  }
  const suggestions = suggestPermissionNames(name, settings.allowedPermissions);
  const retired = catalog.retired(name);
  const why = retired
    ? `"${name}" is a retired permission: ${retired.note}`
    : `Unknown permission "${name}".`;
  const hint = suggestions.length > 0 ? ` Did you mean ${listPhrase(suggestions, 'or')}?` : '';
  return {
    status: 'unknown',
    edits: [],
    suggestions,
    message: `${why}${hint} To grant it anyway, force it or add it to the allowed permissions.`,
  };
}

function updatePurpose(
  list: PermissionList,
  document: TextDocument,
  manifest: ManifestDocument,
  entry: PermissionEntry,
  name: string,
  purpose: string,
): GrantResult {
  const duplicates = (list.granted.get(name)?.length ?? 1) - 1;
  const others =
    duplicates > 0 ? ` It is granted ${duplicates + 1} times; only the first entry changed.` : '';
  if (!entry.isObject) {
    return refuseGrant(`${name} is already granted, but its entry is not an object.`);
  }
  const edit = beginEdit(manifest, document);
  const path = entry.path;
  if (!entry.purposeValue) {
    if (!edit.apply({ kind: 'add-property', object: path, key: 'purpose', value: purpose })) {
      return refuseGrant(`Could not add the purpose of ${name} safely.`);
    }
    return {
      status: 'updated',
      edits: edit.textEdits(),
      message: `${name} was already granted, without a purpose: added it.${others}`,
    };
  }
  let target: ValuePath = [...path, 'purpose'];
  let current = entry.purposeValue.type === 'string' ? entry.purposeValue.value : undefined;
  let note = '';
  const texts = entry.purposeTexts;
  const localized = currentPurpose(entry);
  if (entry.purposeValue.type === 'object' && localized?.locale !== undefined) {
    target = [...target, localized.locale];
    current = localized.text;
    const rest = texts.filter((text) => text !== localized);
    note =
      ` (the ${localized.locale} text` +
      (rest.length > 0
        ? `; check the other locales: ${rest.map((text) => text.locale ?? '').join(', ')})`
        : ')');
  }
  if (current === purpose) {
    return {
      status: 'unchanged',
      edits: [],
      message: `${name} is already granted with this purpose.${others}`,
    };
  }
  if (!edit.apply({ kind: 'set', path: target, value: purpose })) {
    return refuseGrant(`Could not update the purpose of ${name} safely.`);
  }
  return {
    status: 'updated',
    edits: edit.textEdits(),
    message: `${name} was already granted: updated its purpose${note}.${others}`,
  };
}

/**
 * The purpose an entry shows: its text, or of a locale map the `en-US` text, else the first.
 * The one definition grant, the client's pre-filled purpose and the hover use.
 */
export function currentPurpose(entry: PermissionEntry): PurposeText | undefined {
  const texts = entry.purposeTexts;
  return texts.find((text) => text.locale === 'en-US') ?? texts[0];
}

/** Why the manifest cannot be edited safely, or undefined when it can. */
/**
 * Every YAML edit parses the text three times (the value before, the edit, the check after), at
 * about half a second per megabyte: above this size an edit would freeze the editor for seconds.
 * Real manifests are a few kilobytes.
 */
const MAX_YAML_EDIT_SIZE = 1024 * 1024;

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
  if (manifest.format === 'yaml' && manifest.text.length > MAX_YAML_EDIT_SIZE) {
    return `the YAML manifest is too large to edit (${manifest.text.length} characters; YAML edits stop at ${MAX_YAML_EDIT_SIZE}).`;
  }
  const error = manifest.syntaxErrors[0];
  if (error) {
    const at = document.positionAt(error.offset);
    return `fix the JSON syntax error at line ${at.line + 1}, column ${at.character + 1} (${error.code}) first.`;
  }
  if (manifest.root?.type !== 'object') return 'the manifest is not a JSON object.';
  return undefined;
}
