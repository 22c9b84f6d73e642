import * as vscode from 'vscode';
import {
  ClientCommands,
  type ManifestInfoResult,
  type PermissionCommandResult,
  type PermissionListPath,
} from '../../../server/src/protocol';
import {
  defaultPermissionOrder,
  MatchKind,
  rankPermissions,
  type RankedPermission,
} from '../../../server/src/service/nameSuggestions';
import type { ManifestLanguageServer } from '../languageServer';
import { pickManifest } from '../manifestPicker';
import type { ManifestStatusItem } from '../statusItem';
import { grantArguments } from './commandArguments';
import { pickList } from './pickList';
import {
  reportFailure,
  reportResult,
  runPermissionEdits,
  withSuggestions,
} from './permissionEdits';

export interface CommandServices {
  server: ManifestLanguageServer;
  status: ManifestStatusItem;
}

/**
 * **Stripe Apps: Grant Permission…** — the editor's `stripe apps grant permission NAME
 * EXPLANATION`. Without arguments: a Quick Pick of the catalog, then the purpose in an input box
 * validated as the diagnostics would. With `(permission, purpose, uri?)` it runs without UI.
 * Answers what the server did (`undefined` when cancelled or failed), for callers and tests.
 */
export function registerGrantPermission(services: CommandServices): vscode.Disposable {
  return vscode.commands.registerCommand(
    ClientCommands.grantPermission,
    (...args: unknown[]): Promise<PermissionCommandResult | undefined> =>
      grantPermission(services, args),
  );
}

async function grantPermission(
  services: CommandServices,
  args: readonly unknown[],
): Promise<PermissionCommandResult | undefined> {
  const { permission, purpose, target } = grantArguments(args);
  const document = await pickManifest(target, 'Grant Permission');
  if (!document) return undefined;
  try {
    let name = permission;
    let force = false;
    let text = purpose;
    let list: PermissionListPath | undefined;
    if (name === undefined || text === undefined) {
      const info = await services.server.manifestInfo(document.uri);
      services.status.setCatalog(info.catalog);
      // A v2 manifest with extension lists: which list first, since what is granted differs.
      const target = await pickList(info, 'grant', 'Grant Permission');
      if (!target) return undefined;
      list = target.list;
      const scoped = { ...info, granted: target.granted };
      if (name === undefined) {
        const picked = await pickPermission(scoped, allowedPermissions(document));
        if (!picked) return undefined;
        name = picked.name;
        force = picked.force;
      }
      if (text === undefined) {
        const granted = scoped.granted.find((entry) => entry.permission === name);
        text = await askPurpose(services.server, document, name, granted?.purpose);
        if (text === undefined) return undefined;
      }
    }
    return await grant(services.server, document, { permission: name, purpose: text, force, list });
  } catch (error) {
    reportFailure('Grant Permission failed:', error);
    return undefined;
  }
}

interface GrantRequest {
  permission: string;
  purpose: string;
  force: boolean;
  /** The list to grant in (a v2 extension's); the app's own when undefined. */
  list: PermissionListPath | undefined;
}

async function grant(
  server: ManifestLanguageServer,
  document: vscode.TextDocument,
  request: GrantRequest,
): Promise<PermissionCommandResult | undefined> {
  const { permission, purpose, force, list } = request;
  const [result] = await runPermissionEdits(document, [permission], () =>
    server.grant(document, { permission, purpose, ...(force && { force }), ...(list && { list }) }),
  );
  if (result?.status === 'unknown') offerSuggestions(server, document, result, request);
  else reportResult(result);
  return result;
}

/**
 * An unknown name: offer the nearest names, or to grant it anyway (Stripe's backend accepts some
 * names the reference lacks). Not awaited, so a caller without UI gets its answer at once.
 */
function offerSuggestions(
  server: ManifestLanguageServer,
  document: vscode.TextDocument,
  result: PermissionCommandResult,
  request: GrantRequest,
): void {
  const suggestions = (result.suggestions ?? []).slice(0, 3);
  const anyway = `Grant ${result.permission} Anyway`;
  void vscode.window
    .showWarningMessage(
      withSuggestions(result),
      ...suggestions.map((name) => `Grant ${name}`),
      anyway,
    )
    .then(async (choice) => {
      if (choice === undefined) return;
      const force = choice === anyway;
      const name = force ? result.permission : choice.slice('Grant '.length);
      try {
        await grant(server, document, { ...request, permission: name, force });
      } catch (error) {
        reportFailure('Grant Permission failed:', error);
      }
    });
}

interface PermissionItem extends vscode.QuickPickItem {
  permission?: { name: string; force: boolean };
}

type CatalogEntry = ManifestInfoResult['catalog']['permissions'][number];

/**
 * The catalog in the default order (Core first), grouped by product, the granted names marked;
 * then the names allowed by settings. Once the user types, the service's ranking (the one
 * completion uses) orders the names: name and resource matches above description matches, and
 * for a wrong name (`refund_read`) the nearest names, as the CLI's "Did you mean".
 */
async function pickPermission(
  info: ManifestInfoResult,
  allowed: readonly string[],
): Promise<{ name: string; force: boolean } | undefined> {
  const granted = new Set(info.granted.map((entry) => entry.permission));
  const known = new Set(info.catalog.permissions.map((entry) => entry.name));
  const extra = allowed.filter((name) => !known.has(name));
  const pick = vscode.window.createQuickPick<PermissionItem>();
  pick.title = 'Grant Permission';
  pick.placeholder = 'Permission to grant (type a name, a resource or a product)';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  // Shown right after the list pick of a v2 manifest, whose closing returns the focus to the
  // editor a moment later: without this, that focus change would close this pick at once.
  pick.ignoreFocusOut = true;
  pick.items = groupedItems(info.catalog.permissions, extra, granted);
  // The extension host maps the window's selection to items by their index in the items it
  // holds. An Enter pressed before the window shows the items set for the last keystroke names
  // an index in the previous list (another name, or none): until the window reports the new
  // list's active item, an accept takes the item that list shows focused, its first.
  let itemsInFlight = false;
  const disposables: vscode.Disposable[] = [];
  try {
    return await new Promise((resolve) => {
      disposables.push(
        pick.onDidChangeValue((value) => {
          pick.items =
            value.trim() === ''
              ? groupedItems(info.catalog.permissions, extra, granted)
              : rankedItems(value, info.catalog.permissions, extra, granted);
          itemsInFlight = true;
        }),
        pick.onDidChangeActive(() => {
          itemsInFlight = false;
        }),
        pick.onDidAccept(() => {
          const chosen = itemsInFlight
            ? pick.items.find((item) => item.permission !== undefined)
            : pick.selectedItems[0];
          resolve(chosen?.permission);
          pick.hide();
        }),
        pick.onDidHide(() => {
          resolve(undefined);
        }),
      );
      pick.show();
    });
  } finally {
    for (const disposable of disposables) disposable.dispose();
    pick.dispose();
  }
}

function groupedItems(
  catalog: readonly CatalogEntry[],
  extra: readonly string[],
  granted: ReadonlySet<string>,
): PermissionItem[] {
  const items: PermissionItem[] = [];
  let product: string | undefined;
  for (const entry of defaultPermissionOrder(catalog)) {
    if (entry.product !== product) {
      product = entry.product;
      items.push({ label: product, kind: vscode.QuickPickItemKind.Separator });
    }
    items.push(catalogItem(entry, granted));
  }
  if (extra.length > 0) {
    items.push({
      label: 'Allowed by stripeApps.allowedPermissions',
      kind: vscode.QuickPickItemKind.Separator,
    });
    for (const name of extra) items.push(allowedItem(name, granted));
  }
  return items;
}

/** The ranked matches, all shown (`alwaysShow`) in the ranking's order. */
function rankedItems(
  value: string,
  catalog: readonly CatalogEntry[],
  extra: readonly string[],
  granted: ReadonlySet<string>,
): PermissionItem[] {
  const entries: RankedPermission[] = [...catalog, ...extra.map((name) => ({ name }))];
  const byName = new Map(catalog.map((entry) => [entry.name, entry]));
  return rankPermissions(value, entries).map(({ permission, match }) => {
    const entry = byName.get(permission.name);
    const item = entry ? catalogItem(entry, granted) : allowedItem(permission.name, granted);
    return {
      ...item,
      alwaysShow: true,
      ...(match === MatchKind.suggestion && {
        description: `$(lightbulb) did you mean this? · ${item.description ?? ''}`,
      }),
    };
  });
}

function catalogItem(entry: CatalogEntry, granted: ReadonlySet<string>): PermissionItem {
  const access = `${entry.resource} · ${entry.access}`;
  return {
    label: entry.name,
    description: granted.has(entry.name) ? `$(check) granted · ${access}` : access,
    detail: entry.description,
    permission: { name: entry.name, force: false },
  };
}

function allowedItem(name: string, granted: ReadonlySet<string>): PermissionItem {
  return {
    label: name,
    description: granted.has(name)
      ? '$(check) granted · not in the reference'
      : 'not in the reference',
    permission: { name, force: true },
  };
}

function allowedPermissions(document: vscode.TextDocument): string[] {
  const value = vscode.workspace
    .getConfiguration('stripeApps', document.uri)
    .get<unknown>('allowedPermissions');
  return Array.isArray(value)
    ? value.filter((name): name is string => typeof name === 'string' && name.trim() !== '')
    : [];
}

/**
 * The purpose, prefilled with the current one (when granted) or a suggestion, and checked on
 * every keystroke by the server's purpose rules: an error blocks, a warning is shown.
 */
async function askPurpose(
  server: ManifestLanguageServer,
  document: vscode.TextDocument,
  permission: string,
  current: string | undefined,
): Promise<string | undefined> {
  let suggestion = '';
  if (current === undefined) {
    suggestion = (await server.checkPurpose({ permission, purpose: '', uri: document.uri }))
      .suggestion;
  }
  const value = current ?? suggestion;
  let pending: vscode.CancellationTokenSource | undefined;
  try {
    return await vscode.window.showInputBox({
      title: `Grant ${permission}`,
      prompt:
        current === undefined
          ? `Why does the app need ${permission}? The account administrator reads this when installing the app.`
          : `${permission} is granted already: change its purpose, shown to the account administrator who installs the app.`,
      value,
      ignoreFocusOut: true,
      validateInput: async (text) => {
        pending?.cancel();
        pending = new vscode.CancellationTokenSource();
        return validatePurpose(server, document, permission, text, pending.token);
      },
    });
  } finally {
    pending?.cancel();
  }
}

async function validatePurpose(
  server: ManifestLanguageServer,
  document: vscode.TextDocument,
  permission: string,
  purpose: string,
  token: vscode.CancellationToken,
): Promise<vscode.InputBoxValidationMessage | undefined> {
  let finding;
  try {
    finding = await server.checkPurpose({ permission, purpose, uri: document.uri }, token);
  } catch {
    // Cancelled by the next keystroke, or the server is gone: judge only the obvious.
    return purpose.trim() === ''
      ? { message: 'Enter a purpose.', severity: vscode.InputBoxValidationSeverity.Error }
      : undefined;
  }
  if (!finding.severity || !finding.message) return undefined;
  const severity =
    finding.severity === 'error'
      ? vscode.InputBoxValidationSeverity.Error
      : finding.severity === 'warning'
        ? vscode.InputBoxValidationSeverity.Warning
        : vscode.InputBoxValidationSeverity.Info;
  return { message: finding.message, severity };
}
