import * as vscode from 'vscode';
import type { ManifestInfoResult } from '../../../server/src/protocol';
import { listChoices, type ListChoice } from '../permissionLists';

/**
 * Which permission list Grant or Revoke works on. A v2 manifest with extension lists asks, the
 * app's list first and preselected; any other manifest answers the app's list without asking.
 * `undefined` when the user cancels.
 */
export async function pickList(
  info: ManifestInfoResult,
  action: 'grant' | 'revoke',
  title: string,
): Promise<ListChoice | undefined> {
  const choices = listChoices(info, action);
  if (!choices) return { label: 'App permissions', description: '', granted: info.granted };
  return vscode.window.showQuickPick(choices, {
    title,
    placeHolder:
      action === 'grant'
        ? 'Grant in which list? The app-level list unless an extension needs its own.'
        : 'Revoke from which list?',
    matchOnDescription: true,
  });
}
