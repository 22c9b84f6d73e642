import * as vscode from 'vscode';
import { ClientCommands } from '../../server/src/protocol';
import { registerGrantPermission } from './commands/grantPermission';
import { reportFailure } from './commands/permissionEdits';
import { registerRevokePermission } from './commands/revokePermission';
import { registerSelectText } from './commands/selectText';
import { registerShowReferences } from './commands/showReferences';
import { ManifestLanguageServer } from './languageServer';
import { ManifestContext } from './manifestContext';
import { ANY_MANIFEST_GLOB, MANIFEST_EXCLUDE_GLOB, isManifestDocument } from './manifestFiles';
import { ManifestStatusItem } from './statusItem';

let server: ManifestLanguageServer | undefined;

/**
 * Activation is cheap: the extension also activates on any JSON file (a manifest may be opened
 * outside a workspace), so the language server starts only once there is a manifest, in the
 * workspace or in an editor, or when a command needs it.
 */
export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Stripe Apps', { log: true });
  const languageServer = new ManifestLanguageServer(context.extensionPath, output);
  server = languageServer;
  const status = new ManifestStatusItem();
  const manifests = new ManifestContext();
  context.subscriptions.push(output, status, manifests);

  const loadCatalog = async (): Promise<void> => {
    const uri =
      vscode.workspace.textDocuments.find(isManifestDocument)?.uri ??
      (await vscode.workspace.findFiles(ANY_MANIFEST_GLOB, MANIFEST_EXCLUDE_GLOB, 1))[0];
    if (!uri) return;
    status.setCatalog((await languageServer.manifestInfo(uri)).catalog);
  };
  let running = false;
  languageServer.onDidChangeState((state) => {
    running = state === 'running';
    status.setState(state);
    if (running && !status.hasCatalog) {
      loadCatalog().catch((error: unknown) => {
        output.error('Could not read the catalog from the language server', error);
      });
    }
  });

  const start = (): void => {
    languageServer.start().catch((error: unknown) => {
      output.error('The Stripe Apps language server failed to start', error);
      reportFailure('The Stripe Apps language server failed to start:', error);
    });
  };
  manifests.onDidChange((hasManifest) => {
    if (!hasManifest) return;
    if (!languageServer.isStarted) start();
    else if (running && !status.hasCatalog) void loadCatalog().catch(() => undefined);
  });

  const services = { server: languageServer, status };
  context.subscriptions.push(
    registerGrantPermission(services),
    registerRevokePermission(services),
    registerSelectText(),
    registerShowReferences(),
    vscode.commands.registerCommand(ClientCommands.showOutput, () => {
      output.show();
    }),
  );

  void manifests.searchWorkspace();
}

export async function deactivate(): Promise<void> {
  const stopping = server?.stop();
  server = undefined;
  await stopping;
}
