import * as vscode from 'vscode';

/**
 * The arguments the permission commands accept, wherever they come from:
 * - the command palette and the server's code lenses pass nothing (act on the active manifest);
 * - the editor title and context menus pass the manifest's `Uri` (then an options object);
 * - other extensions, keybindings and tests pass `(permission, purpose?, uri?)` to run without
 *   UI, like `stripe apps grant permission NAME EXPLANATION`.
 * A URI may be a `Uri`, a URI string (`file:///…`) or an absolute file path.
 */
export interface PermissionArguments {
  permission?: string;
  purpose?: string;
  target?: vscode.Uri;
}

export function grantArguments(args: readonly unknown[]): PermissionArguments {
  const [first, second, third] = args;
  const target = asUri(first);
  if (target || typeof first !== 'string') return { target };
  return {
    permission: first,
    ...(typeof second === 'string' && { purpose: second }),
    target: asUri(third),
  };
}

export function revokeArguments(args: readonly unknown[]): PermissionArguments {
  const [first, second] = args;
  const target = asUri(first);
  if (target || typeof first !== 'string') return { target };
  return { permission: first, target: asUri(second) };
}

/** Permission names never hold a colon or a slash; URIs and paths do. */
function asUri(value: unknown): vscode.Uri | undefined {
  if (value instanceof vscode.Uri) return value;
  if (typeof value !== 'string') return undefined;
  if (/^([a-zA-Z]:)?[\\/]/.test(value)) return vscode.Uri.file(value);
  if (/^[a-zA-Z][\w+.-]+:/.test(value)) {
    try {
      return vscode.Uri.parse(value, true);
    } catch {
      return undefined;
    }
  }
  return undefined;
}
