import * as vscode from 'vscode';
import type { ManifestInfoResult } from '../../../server/src/protocol';
import { listChoices, type ListChoice } from '../permissionLists';

/**
 * Which permission list Grant or Revoke works on. A v2 manifest with extension lists asks, the
 * app's list first and preselected; any other manifest answers the app's list without asking.
 * `undefined` when the user cancels.
 *
 * The answer comes once the pick is hidden: the next step shows a Quick Pick of its own, and one
 * shown while this one is still closing is closed with it.
 */
export async function pickList(
  info: ManifestInfoResult,
  action: 'grant' | 'revoke',
  title: string,
): Promise<ListChoice | undefined> {
  const choices = listChoices(info, action);
  if (!choices) return { label: 'App permissions', description: '', granted: info.granted };
  const pick = vscode.window.createQuickPick<ListChoice>();
  pick.title = title;
  pick.placeholder =
    action === 'grant'
      ? 'Grant in which list? The app-level list unless an extension needs its own.'
      : 'Revoke from which list?';
  pick.matchOnDescription = true;
  pick.items = choices;
  let chosen: ListChoice | undefined;
  try {
    return await new Promise<ListChoice | undefined>((resolve) => {
      pick.onDidAccept(() => {
        chosen = pick.selectedItems[0];
        pick.hide();
      });
      pick.onDidHide(() => {
        resolve(chosen);
      });
      pick.show();
    });
  } finally {
    pick.dispose();
  }
}
