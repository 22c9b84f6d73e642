import * as vscode from 'vscode';
import type { PermissionCommandResult } from '../../../server/src/protocol';
import { ClientCommands } from '../../../server/src/protocol';

/** The statuses after which the document holds an edit. */
const CHANGED = new Set<PermissionCommandResult['status']>(['granted', 'updated', 'revoked']);

/**
 * Runs server edits (grant or revoke commands, one after the other) on a manifest. Each command
 * is made against the document's version at that moment; one refused as stale (the user typed
 * meanwhile) or made before the server saw the document is retried once. A document that was
 * clean before is saved afterwards, so the file on disk changes as with the Stripe CLI; one with
 * unsaved changes is left for the user to save.
 *
 * A command the server failed to run (it answers `null`; its log says why) gives `undefined`.
 */
export async function runPermissionEdits<T>(
  document: vscode.TextDocument,
  items: readonly T[],
  run: (item: T) => Promise<PermissionCommandResult | null>,
): Promise<(PermissionCommandResult | undefined)[]> {
  const wasClean = !isDirty(document);
  const results: (PermissionCommandResult | undefined)[] = [];
  for (const item of items) {
    let result = await run(item);
    if (result?.status === 'stale' || result?.status === 'no-document') result = await run(item);
    results.push(result ?? undefined);
  }
  await saveIfWasClean(document, wasClean, results);
  return results;
}

/**
 * Several names in one server command, so one edit and one undo step (a multi-select Revoke);
 * retried once as `runPermissionEdits` does, and saved the same way.
 */
export async function runPermissionEditAll(
  document: vscode.TextDocument,
  run: () => Promise<PermissionCommandResult[] | null>,
): Promise<PermissionCommandResult[] | undefined> {
  const wasClean = !isDirty(document);
  let results = await run();
  if (results?.some((result) => result.status === 'stale' || result.status === 'no-document')) {
    results = await run();
  }
  if (!results) return undefined;
  await saveIfWasClean(document, wasClean, results);
  return results;
}

async function saveIfWasClean(
  document: vscode.TextDocument,
  wasClean: boolean,
  results: readonly (PermissionCommandResult | undefined)[],
): Promise<void> {
  const changed = results.some((result) => result && CHANGED.has(result.status));
  if (wasClean && changed && isDirty(document) && !document.isClosed) {
    const saved = await document.save();
    if (!saved) {
      void vscode.window.showWarningMessage(
        `The permission was changed but ${vscode.workspace.asRelativePath(document.uri)} could not be saved.`,
      );
    }
  }
}

/** Read through a call: the edits change it, which TypeScript's narrowing cannot know. */
function isDirty(document: vscode.TextDocument): boolean {
  return document.isDirty;
}

/** Tells the user what happened: information when it worked, an error when it did not. */
export function reportResult(result: PermissionCommandResult | undefined): void {
  if (!result) {
    reportFailure('The Stripe Apps language server could not run the command.');
    return;
  }
  switch (result.status) {
    case 'granted':
    case 'updated':
    case 'unchanged':
    case 'revoked':
    case 'not-granted':
      void vscode.window.showInformationMessage(result.message);
      return;
    case 'unknown':
      void vscode.window.showWarningMessage(withSuggestions(result));
      return;
    case 'stale':
    case 'not-applied':
    case 'no-document':
    case 'invalid':
      void vscode.window.showErrorMessage(result.message);
      return;
  }
}

export function withSuggestions(result: PermissionCommandResult): string {
  const suggestions = result.suggestions ?? [];
  if (suggestions.length === 0 || suggestions.some((name) => result.message.includes(name))) {
    return result.message;
  }
  return `${result.message} Did you mean ${suggestions.join(', ')}?`;
}

/** An error message with a way to the server's log. */
export function reportFailure(message: string, error?: unknown): void {
  const detail = error === undefined ? '' : ` ${errorMessage(error)}`;
  void vscode.window
    .showErrorMessage(`${message}${detail}`, 'Show Output')
    .then((choice) =>
      choice ? vscode.commands.executeCommand(ClientCommands.showOutput) : undefined,
    );
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return error === undefined ? 'unknown error' : JSON.stringify(error);
}
