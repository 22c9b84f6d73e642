import * as vscode from 'vscode';
import { ClientCommands, type PermissionCommandResult } from '../../../server/src/protocol';
import { pickManifest } from '../manifestPicker';
import { revokeArguments } from './commandArguments';
import { pickList } from './pickList';
import type { CommandServices } from './grantPermission';
import {
  reportFailure,
  reportResult,
  runPermissionEditAll,
  runPermissionEdits,
} from './permissionEdits';

/**
 * **Stripe Apps: Revoke Permission…** — the editor's `stripe apps revoke permission NAME`.
 * Without arguments: a Quick Pick of the granted permissions, several at once; answers one result
 * per picked name. With `(permission, uri?)` it runs without UI and answers that one result.
 * `undefined` when cancelled or failed.
 */
export function registerRevokePermission(services: CommandServices): vscode.Disposable {
  return vscode.commands.registerCommand(
    ClientCommands.revokePermission,
    (
      ...args: unknown[]
    ): Promise<PermissionCommandResult | (PermissionCommandResult | undefined)[] | undefined> =>
      revokePermission(services, args),
  );
}

async function revokePermission(
  services: CommandServices,
  args: readonly unknown[],
): Promise<PermissionCommandResult | (PermissionCommandResult | undefined)[] | undefined> {
  const { permission, target } = revokeArguments(args);
  const document = await pickManifest(target, 'Revoke Permission');
  if (!document) return undefined;
  const { server } = services;
  try {
    if (permission !== undefined) {
      const [result] = await runPermissionEdits(document, [permission], (name) =>
        server.revoke(document, { permission: name }),
      );
      reportResult(result);
      return result;
    }

    const info = await server.manifestInfo(document.uri);
    services.status.setCatalog(info.catalog);
    const file = vscode.workspace.asRelativePath(document.uri);
    // A v2 manifest whose extensions grant names too: which list first.
    const target = await pickList(info, 'revoke', `Revoke Permission (${file})`);
    if (!target) return undefined;
    const { list } = target;
    if (target.granted.length === 0) {
      void vscode.window.showInformationMessage(`${file} grants no permissions.`);
      return [];
    }
    const catalog = new Map(info.catalog.permissions.map((entry) => [entry.name, entry]));
    const seen = new Set<string>();
    const items: (vscode.QuickPickItem & { name: string })[] = [];
    for (const { permission: name, purpose } of target.granted) {
      if (seen.has(name)) continue;
      seen.add(name);
      const entry = catalog.get(name);
      items.push({
        name,
        label: name,
        description: entry ? `${entry.resource} · ${entry.access}` : 'not in the reference',
        ...(purpose !== undefined && { detail: purpose }),
      });
    }
    const picked = await vscode.window.showQuickPick(items, {
      title: `Revoke Permission (${file}${list ? `, ${target.label}` : ''})`,
      placeHolder: 'Permissions to revoke',
      canPickMany: true,
      matchOnDescription: true,
      matchOnDetail: true,
      // After the list pick of a v2 manifest the editor takes the focus back a moment later,
      // which would close this pick at once.
      ignoreFocusOut: true,
    });
    if (!picked || picked.length === 0) return undefined;

    const names = picked.map((item) => item.name);
    if (names.length === 1) {
      const results = await runPermissionEdits(document, names, (name) =>
        server.revoke(document, { permission: name, ...(list && { list }) }),
      );
      reportResult(results[0]);
      return results;
    }
    // One command for all: one edit, so one undo step.
    const results = await runPermissionEditAll(document, () =>
      server.revokeAll(document, names, list),
    );
    if (!results) {
      reportResult(undefined);
      return undefined;
    }
    reportResults(results);
    return results;
  } catch (error) {
    reportFailure('Revoke Permission failed:', error);
    return undefined;
  }
}

/**
 * One message for the revoked names together, saying which had several entries as the CLI does
 * ("Revoked charge_read, customer_read (2 entries)."); the others one by one.
 */
function reportResults(results: readonly PermissionCommandResult[]): void {
  const revoked = results.filter((result) => result.status === 'revoked');
  if (revoked.length > 0) {
    const names = revoked.map((result) =>
      result.removed !== undefined && result.removed > 1
        ? `${result.permission} (${result.removed} entries)`
        : result.permission,
    );
    void vscode.window.showInformationMessage(`Revoked ${names.join(', ')}.`);
  }
  for (const result of results) if (result.status !== 'revoked') reportResult(result);
}
