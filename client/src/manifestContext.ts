import * as vscode from 'vscode';
import { ANY_MANIFEST_GLOB, MANIFEST_EXCLUDE_GLOB, isManifestDocument } from './manifestFiles';

/** The context key the `when` clauses of the command palette use. */
export const HAS_MANIFEST_CONTEXT = 'stripeApps.hasManifest';

/**
 * Tracks whether there is a manifest to work on, in the workspace or in an open editor, and keeps
 * the `stripeApps.hasManifest` context key in step. Listeners hear every change of the answer.
 */
export class ManifestContext implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly listeners: ((hasManifest: boolean) => void)[] = [];
  private inWorkspace = false;
  private current: boolean | undefined;
  /** Counts the searches, so an older one finishing late does not overwrite a newer answer. */
  private generation = 0;

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher(ANY_MANIFEST_GLOB, false, true, false);
    this.disposables.push(
      watcher,
      watcher.onDidCreate(() => void this.searchWorkspace()),
      watcher.onDidDelete(() => void this.searchWorkspace()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.searchWorkspace()),
      vscode.workspace.onDidOpenTextDocument(() => {
        this.update();
      }),
      vscode.workspace.onDidCloseTextDocument(() => {
        this.update();
      }),
    );
  }

  get hasManifest(): boolean {
    return this.current ?? false;
  }

  onDidChange(listener: (hasManifest: boolean) => void): void {
    this.listeners.push(listener);
  }

  /** Looks for manifests in the workspace; call once at activation. */
  async searchWorkspace(): Promise<void> {
    const generation = ++this.generation;
    let found: boolean;
    try {
      found =
        (await vscode.workspace.findFiles(ANY_MANIFEST_GLOB, MANIFEST_EXCLUDE_GLOB, 1)).length > 0;
    } catch {
      // A file system that cannot be searched: rely on open documents.
      found = false;
    }
    if (generation !== this.generation) return;
    this.inWorkspace = found;
    this.update();
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  private update(): void {
    const hasManifest = this.inWorkspace || vscode.workspace.textDocuments.some(isManifestDocument);
    if (hasManifest === this.current) return;
    this.current = hasManifest;
    void vscode.commands.executeCommand('setContext', HAS_MANIFEST_CONTEXT, hasManifest);
    for (const listener of this.listeners) listener(hasManifest);
  }
}
