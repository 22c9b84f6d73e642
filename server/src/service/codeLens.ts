import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeLens, Range } from 'vscode-languageserver-types';
import { ClientCommands, ServerCommands } from '../protocol';
import { sortLists } from './codeActions';
import { countPermissions, permissionCountsText } from './hover';
import { keySpan, nodeRange, type ManifestDocument, type PermissionList } from './manifestDocument';
import type { ManifestServiceSettings } from './settings';

/**
 * Code lenses above the `"permissions"` key:
 *
 * - the counts, "3 permissions (2 read, 1 write)", run the client's Revoke Permission… command
 *   without arguments: it opens a Quick Pick of exactly the granted permissions the lens counts,
 *   so clicking the count shows the list (press Escape to just look; nothing changes unless some
 *   are picked). The tooltip says so. Both lenses run palette commands the user already knows.
 * - "Grant permission…" runs Grant Permission… (the catalog Quick Pick).
 *
 * Commands get no arguments: clicking a lens focuses its editor, and both commands act on the
 * active manifest editor. Without a `permissions` key, one "Grant permission…" lens sits on the
 * root object (grant creates the array). When `permissions` is not an array there is nothing to
 * count or grant into safely, so there is no lens.
 *
 * v2 extension lists (`extensions[i].permissions`) get their own count, a label: the commands
 * act on the app's list.
 *
 * Other editors lack those palette commands: with `serverCommands`, the lenses run commands the
 * server executes, with the document as argument. The counts show the granted permissions
 * (`window/showMessage`), and "Sort permissions" appears when the entries of a list are out of
 * order: the command, without a list, sorts every list of the file (v2: each extension's too).
 * Granting needs a name, which no portable LSP request can pick from the catalog: other editors
 * grant through the command with arguments, or through completion.
 */
export function getCodeLenses(
  manifest: ManifestDocument,
  document: TextDocument,
  settings: ManifestServiceSettings,
  options: { serverCommands?: boolean } = {},
): CodeLens[] {
  const root = manifest.root;
  if (manifest.limit || root?.type !== 'object') return [];
  const extensionLenses = manifest.lists
    .filter((list) => list.scope === 'extension')
    .flatMap((list) => extensionListLens(manifest, document, settings, list));
  if (options.serverCommands === true) {
    return [...serverCommandLenses(manifest, document, settings), ...extensionLenses];
  }
  return [...appListLenses(manifest, document, settings, root), ...extensionLenses];
}

/** The count of an extension's list, on its key (no command: the commands act on the app's). */
function extensionListLens(
  manifest: ManifestDocument,
  document: TextDocument,
  settings: ManifestServiceSettings,
  list: PermissionList,
): CodeLens[] {
  if (!list.array) return [];
  const counts = countPermissions(manifest, settings, list);
  return [
    {
      range: nodeRange(document, keySpan(list.property)),
      command: { title: `${permissionCountsText(counts)} · ${list.label}`, command: '' },
    },
  ];
}

function appListLenses(
  manifest: ManifestDocument,
  document: TextDocument,
  settings: ManifestServiceSettings,
  root: { readonly offset: number; readonly length: number },
): CodeLens[] {
  const grantLens = (range: Range): CodeLens => ({
    range,
    command: {
      title: 'Grant permission…',
      tooltip: 'Pick a permission from the catalog and add it with a purpose',
      command: ClientCommands.grantPermission,
    },
  });

  const property = manifest.permissionsProperty;
  if (!property) return [grantLens(nodeRange(document, root, 1))];
  if (!manifest.permissionsArray) return [];

  const range = nodeRange(document, keySpan(property));
  const counts = countPermissions(manifest, settings);
  if (counts.total + counts.invalid === 0) return [grantLens(range)];
  return [
    {
      range,
      command: {
        title: permissionCountsText(counts),
        tooltip: 'List the granted permissions (pick any to revoke them)',
        command: ClientCommands.revokePermission,
      },
    },
    grantLens(range),
  ];
}

function serverCommandLenses(
  manifest: ManifestDocument,
  document: TextDocument,
  settings: ManifestServiceSettings,
): CodeLens[] {
  const property = manifest.permissionsProperty;
  if (!property || !manifest.permissionsArray) return [];
  const range = nodeRange(document, keySpan(property));
  const argument = { uri: document.uri };
  const lenses: CodeLens[] = [
    {
      range,
      command: {
        title: permissionCountsText(countPermissions(manifest, settings)),
        command: ServerCommands.showPermissions,
        arguments: [argument],
      },
    },
  ];
  if (sortLists(manifest, document, manifest.lists).edits.length > 0) {
    lenses.push({
      range,
      command: {
        title: 'Sort permissions',
        command: ServerCommands.sortPermissions,
        arguments: [argument],
      },
    });
  }
  return lenses;
}
