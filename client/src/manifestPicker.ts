import * as vscode from 'vscode';
import { errorMessage } from './commands/permissionEdits';
import { BASE_MANIFEST_GLOB, MANIFEST_EXCLUDE_GLOB, isManifestDocument } from './manifestFiles';

/**
 * The manifest a command works on: the one named by the caller; else the active editor's
 * document when it is a manifest; else the workspace's `stripe-app.json` or `stripe-app.yaml`
 * (outside `node_modules`), asking which when there are several. A manifest that is not open is
 * opened in the background (no editor is shown). Tells the user and answers `undefined` when
 * there is none.
 */
export async function pickManifest(
  target: vscode.Uri | undefined,
  title: string,
): Promise<vscode.TextDocument | undefined> {
  if (target) return openManifest(target);

  const active = vscode.window.activeTextEditor?.document;
  if (active && isManifestDocument(active)) return active;

  const found = await vscode.workspace.findFiles(BASE_MANIFEST_GLOB, MANIFEST_EXCLUDE_GLOB);
  if (found.length === 0) {
    void vscode.window.showErrorMessage(
      'No Stripe Apps manifest: open a stripe-app.json, stripe-app.*.json or stripe-app.yaml file, or open the folder of a Stripe app.',
    );
    return undefined;
  }
  found.sort((a, b) => a.toString().localeCompare(b.toString()));
  const [first] = found;
  if (found.length === 1 && first) return openManifest(first);

  const picked = await vscode.window.showQuickPick(
    found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title, placeHolder: 'Which Stripe Apps manifest?' },
  );
  return picked && openManifest(picked.uri);
}

async function openManifest(uri: vscode.Uri): Promise<vscode.TextDocument | undefined> {
  let document: vscode.TextDocument;
  try {
    document = await vscode.workspace.openTextDocument(uri);
  } catch (error) {
    void vscode.window.showErrorMessage(
      `Cannot open ${uri.toString(true)}: ${errorMessage(error)}`,
    );
    return undefined;
  }
  if (!isManifestDocument(document)) {
    void vscode.window.showErrorMessage(
      `${vscode.workspace.asRelativePath(uri)} is not a Stripe Apps manifest: the file must be named stripe-app.json or stripe-app.<name>.json and be open as JSON, or stripe-app.yaml open as YAML (it is ${document.languageId}).`,
    );
    return undefined;
  }
  return document;
}
