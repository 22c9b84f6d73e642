import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-types';
import { getSortEntriesEdits } from './codeActions';
import { severityRank } from './diagnostics/common';
import type { PurposeFinding } from './diagnostics/purposeRules';
import type { ValuePath } from './edits';
import { currentPurpose } from './grantRevoke';
import type { ManifestDocument } from './manifestDocument';

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

/** Sorts the app's list, or says why nothing was sorted. */
export function sortPermissions(manifest: ManifestDocument, document: TextDocument): SortOutcome {
  const edits = getSortEntriesEdits(manifest, document);
  if (edits.length > 0) {
    return { status: 'sorted', edits, message: 'Sorted the permissions by name.' };
  }
  const blocked = unsortableReason(manifest);
  return blocked === undefined
    ? { status: 'unchanged', edits: [], message: 'The permissions are already sorted.' }
    : { status: 'invalid', edits: [], message: blocked };
}

function unsortableReason(manifest: ManifestDocument): string | undefined {
  if (manifest.limit) {
    return 'The manifest is too large or nested too deeply to edit; nothing was sorted.';
  }
  if (manifest.syntaxErrors.length > 0) {
    const language = manifest.format === 'yaml' ? 'YAML' : 'JSON';
    return `Fix the ${language} syntax errors first; nothing was sorted.`;
  }
  if (!manifest.permissionsArray) {
    return manifest.format === 'yaml'
      ? 'There is no "declarations.stripe_api_access.permissions" list to sort.'
      : 'There is no "permissions" array to sort.';
  }
  return undefined;
}

/** The finding a purpose input box shows: the most severe, the first of equals. */
export function mostSevereFinding(findings: readonly PurposeFinding[]): PurposeFinding | undefined {
  let worst: PurposeFinding | undefined;
  for (const finding of findings) {
    if (!worst || severityRank(finding.severity) < severityRank(worst.severity)) worst = finding;
  }
  return worst;
}
