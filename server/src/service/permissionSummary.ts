import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-types';
import { listAtPath, sortLists } from './codeActions';
import { severityRank } from './diagnostics/common';
import type { PurposeFinding } from './diagnostics/purposeRules';
import type { ValuePath } from './edits';
import { appListPath, currentPurpose, editBlocker } from './grantRevoke';
import { listPhrase } from './listPhrase';
import type { ManifestDocument, PermissionList } from './manifestDocument';

/*
 * What the editor commands and requests tell the user about a manifest: the granted names with
 * their purposes, whether the list can be sorted, the verdict on a typed purpose. Decided here so
 * the server only carries the answers.
 */

export interface GrantedPermission {
  permission: string;
  /** The text a grant would update (`en-US` in a locale map), so a pre-filled purpose is it. */
  purpose?: string;
}

/** One permission list as the Grant and Revoke pickers show it. */
export interface ListSummary {
  label: string;
  path: ValuePath;
  scope: 'app' | 'extension';
  granted: GrantedPermission[];
}

/** The granted names of one list (the app's by default), each with its current purpose. */
export function grantedPermissions(
  manifest: ManifestDocument,
  granted = manifest.granted,
): GrantedPermission[] {
  return [...granted].map(([permission, entries]) => {
    const purpose = entries[0] && currentPurpose(entries[0])?.text;
    return purpose === undefined ? { permission } : { permission, purpose };
  });
}

/** Every permission list of the manifest, the app's first. */
export function listSummaries(manifest: ManifestDocument): ListSummary[] {
  return manifest.lists.map((list) => ({
    label: list.label,
    path: list.path,
    scope: list.scope,
    granted: grantedPermissions(manifest, list.granted),
  }));
}

/** The purpose a grant without one keeps: the one already written, unless it is blank. */
export function purposeToKeep(manifest: ManifestDocument, permission: string): string | undefined {
  const entry = manifest.granted.get(permission)?.[0];
  const text = entry && currentPurpose(entry)?.text;
  return text === undefined || text.trim() === '' ? undefined : text;
}

/** The granted permissions as one message (other editors' version of the code lens). */
export function describeGranted(manifest: ManifestDocument): string {
  const lines = grantedPermissions(manifest).map(({ permission, purpose }) =>
    purpose === undefined ? permission : `${permission}: ${purpose}`,
  );
  return lines.length === 0
    ? 'The manifest grants no permissions.'
    : `Granted permissions:\n${lines.join('\n')}`;
}

export type SortOutcome =
  | { status: 'sorted'; edits: TextEdit[]; message: string }
  | { status: 'unchanged' | 'invalid'; edits: []; message: string };

/**
 * Sorts the list at `listPath` (a v2 extension's, or the app's), or without one every list of
 * the manifest (v1 has one), or says why nothing was sorted.
 */
export function sortPermissions(
  manifest: ManifestDocument,
  document: TextDocument,
  listPath?: ValuePath,
): SortOutcome {
  const blocked = unsortableReason(manifest, document);
  if (blocked !== undefined) return { status: 'invalid', edits: [], message: blocked };
  const named = listPath && listAtPath(manifest, listPath);
  const lists = listPath ? (named ? [named] : []) : manifest.lists.filter((list) => list.array);
  if (lists.length === 0) {
    return { status: 'invalid', edits: [], message: noListMessage(manifest, listPath) };
  }
  const { edits, sorted, failed } = sortLists(manifest, document, lists);
  if (failed.length > 0) {
    return {
      status: 'invalid',
      edits: [],
      message: `${capitalised(listPhrase(failed.map(describeList)))} could not be sorted without changing more than the order; nothing was sorted.`,
    };
  }
  if (edits.length === 0) {
    return {
      status: 'unchanged',
      edits: [],
      message:
        named && named.scope === 'extension'
          ? `The permissions of ${named.label} are already sorted.`
          : 'The permissions are already sorted.',
    };
  }
  return { status: 'sorted', edits, message: sortedMessage(sorted) };
}

function sortedMessage(sorted: readonly PermissionList[]): string {
  const [first] = sorted;
  if (sorted.length === 1 && first?.scope === 'app') return 'Sorted the permissions by name.';
  if (sorted.length === 1 && first) return `Sorted the permissions of ${first.label} by name.`;
  return `Sorted ${listPhrase(sorted.map(describeList))} by name.`;
}

/** A list as a message names it: the app's permissions, or an extension's. */
function describeList(list: PermissionList): string {
  return list.scope === 'app' ? "the app's permissions" : `the permissions of ${list.label}`;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function unsortableReason(manifest: ManifestDocument, document: TextDocument): string | undefined {
  if (manifest.limit) {
    return 'The manifest is too large or nested too deeply to edit; nothing was sorted.';
  }
  if (manifest.syntaxErrors.length > 0) {
    const language = manifest.format === 'yaml' ? 'YAML' : 'JSON';
    return `Fix the ${language} syntax errors first; nothing was sorted.`;
  }
  if (manifest.root?.type !== 'object') return undefined;
  // What else stops every edit (a YAML file above the size YAML edits take).
  const blocker = editBlocker(manifest, document);
  return blocker === undefined ? undefined : `Nothing was sorted: ${blocker}`;
}

function noListMessage(manifest: ManifestDocument, listPath: ValuePath | undefined): string {
  const appPath = appListPath(manifest);
  if (listPath && listPath.join('.') !== appPath.join('.')) {
    return `There is no permission list at "${listPath.join('.')}" to sort.`;
  }
  return manifest.format === 'yaml'
    ? 'There is no "declarations.stripe_api_access.permissions" list to sort.'
    : 'There is no "permissions" array to sort.';
}

/** The finding a purpose input box shows: the most severe, the first of equals. */
export function mostSevereFinding(findings: readonly PurposeFinding[]): PurposeFinding | undefined {
  let worst: PurposeFinding | undefined;
  for (const finding of findings) {
    if (!worst || severityRank(finding.severity) < severityRank(worst.severity)) worst = finding;
  }
  return worst;
}
