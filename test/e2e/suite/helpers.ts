/** Helpers for the in-host suite: fixture files, waiting on events, positions found by text. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'stripe-apps-tooling.stripe-apps-manifest';
export const SOURCE = 'stripe-apps';

/** The fixture this run is on: runners copy `test/fixtures/workspaces/<name>` to a folder `<name>`. */
export function fixtureName(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? path.basename(folder.uri.fsPath) : '';
}

export function workspaceUri(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test needs a workspace folder');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

export function readDisk(uri: vscode.Uri): string {
  return fs.readFileSync(uri.fsPath, 'utf8');
}

/** The permission names of the manifest as saved on disk, in order. */
export function permissionsOnDisk(uri: vscode.Uri): string[] {
  const saved = JSON.parse(readDisk(uri)) as { permissions: { permission: string }[] };
  return saved.permissions.map((entry) => entry.permission);
}

export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not installed in the extension host`);
  await extension.activate();
  return extension;
}

export async function openEditor(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document, { preview: false });
}

/**
 * Resolves with the document's diagnostics from our source once `predicate` holds; waits on
 * `languages.onDidChangeDiagnostics` (no sleeping) and fails with what it saw at the deadline.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (diagnostics: vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<vscode.Diagnostic[]> {
  const ours = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const current = ours();
      if (!predicate(current)) return false;
      cleanup();
      resolve(current);
      return true;
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      cleanup();
      reject(
        new Error(
          `timed out after ${timeoutMs} ms waiting for diagnostics: ${what}; ` +
            `${path.basename(uri.fsPath)} has ${describeDiagnostics(ours())}`,
        ),
      );
    }, timeoutMs);
    function cleanup(): void {
      clearTimeout(timer);
      subscription.dispose();
    }
    check();
  });
}

export function describeDiagnostics(diagnostics: readonly vscode.Diagnostic[]): string {
  if (diagnostics.length === 0) return 'no diagnostics';
  return diagnostics
    .map(
      (d) =>
        `[${codeOf(d)} ${vscode.DiagnosticSeverity[d.severity]} ${formatRange(d.range)}] ${d.message}`,
    )
    .join('; ');
}

export function formatRange(range: vscode.Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  if (code === undefined) return '';
  return typeof code === 'object' ? String(code.value) : String(code);
}

export function withCode(diagnostics: readonly vscode.Diagnostic[], code: string) {
  return diagnostics.filter((d) => codeOf(d) === code);
}

/** The range of the `occurrence`-th (0-based) match of `needle` in the document. */
export function rangeOf(
  document: vscode.TextDocument,
  needle: string,
  occurrence = 0,
): vscode.Range {
  const text = document.getText();
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) {
    offset = text.indexOf(needle, offset + 1);
    assert.notEqual(offset, -1, `"${needle}" (#${occurrence + 1}) not found in the document`);
  }
  return new vscode.Range(document.positionAt(offset), document.positionAt(offset + needle.length));
}

/** The position `delta` characters into the first match of `needle`. */
export function positionIn(
  document: vscode.TextDocument,
  needle: string,
  delta: number,
  occurrence = 0,
): vscode.Position {
  const start = rangeOf(document, needle, occurrence).start;
  return document.positionAt(document.offsetAt(start) + delta);
}

export function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

export async function completionsAt(
  uri: vscode.Uri,
  position: vscode.Position,
  triggerCharacter?: string,
): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>(
    'vscode.executeCompletionItemProvider',
    uri,
    position,
    triggerCharacter,
  );
  return list.items;
}

/** What the document reads after accepting `item` (its edit applied to the text only). */
export function textAfterAccepting(
  document: vscode.TextDocument,
  item: vscode.CompletionItem,
  position: vscode.Position,
): string {
  const range =
    item.range === undefined
      ? (document.getWordRangeAtPosition(position) ?? new vscode.Range(position, position))
      : 'replacing' in item.range
        ? item.range.replacing
        : item.range;
  const raw = item.insertText ?? labelOf(item);
  const insert = typeof raw === 'string' ? raw : snippetText(raw.value);
  const text = document.getText();
  return (
    text.slice(0, document.offsetAt(range.start)) +
    insert +
    text.slice(document.offsetAt(range.end))
  );
}

/** A snippet as text once its placeholders are left at their defaults. */
export function snippetText(snippet: string): string {
  return snippet
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\{\d+\|([^,|]*)[^}]*\|\}/g, '$1')
    .replace(/\$\d+/g, '')
    .replace(/\\([$}\\])/g, '$1');
}

export function hoverText(hovers: readonly vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => {
      if (typeof content === 'string') return content;
      // MarkdownString, or the deprecated { language, value } MarkedString
      return 'value' in content ? String((content as { value: unknown }).value) : '';
    })
    .join('\n');
}

/** Replaces the whole document text with `text` and saves it, so the next test starts clean. */
export async function restoreDocument(uri: vscode.Uri, text: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument(uri);
  if (document.getText() !== text) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(
      uri,
      new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)),
      text,
    );
    assert.ok(await vscode.workspace.applyEdit(edit), 'restoring the document failed');
  }
  if (document.isDirty) await document.save();
  if (readDisk(uri) !== text) fs.writeFileSync(uri.fsPath, text);
}

/** Applies a workspace edit from the extension and asserts it was applied. */
export async function applyEdit(
  edit: vscode.WorkspaceEdit | undefined,
  what: string,
): Promise<void> {
  assert.ok(edit, `${what}: no edit`);
  assert.ok(await vscode.workspace.applyEdit(edit), `${what}: the edit was not applied`);
}

export interface PermissionCommandResult {
  status: string;
  permission: string;
  message: string;
  suggestions?: string[];
}

export async function grant(
  permission: string,
  purpose: string,
  uri?: vscode.Uri,
): Promise<PermissionCommandResult> {
  const result = await vscode.commands.executeCommand<PermissionCommandResult | undefined>(
    'stripeApps.grantPermission',
    permission,
    purpose,
    uri,
  );
  assert.ok(result, `stripeApps.grantPermission(${permission}) returned ${JSON.stringify(result)}`);
  return result;
}

export async function revoke(
  permission: string,
  uri?: vscode.Uri,
): Promise<PermissionCommandResult> {
  const result = await vscode.commands.executeCommand<PermissionCommandResult | undefined>(
    'stripeApps.revokePermission',
    permission,
    uri,
  );
  assert.ok(
    result,
    `stripeApps.revokePermission(${permission}) returned ${JSON.stringify(result)}`,
  );
  return result;
}

/** Resolves once the document's text satisfies `predicate` (waits on change events). */
export function waitForText(
  document: vscode.TextDocument,
  predicate: (text: string) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    if (predicate(document.getText())) {
      resolve(document.getText());
      return;
    }
    const subscription = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document === document && predicate(document.getText())) {
        cleanup();
        resolve(document.getText());
      }
    });
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out waiting for ${what}; the text is:\n${document.getText()}`));
    }, timeoutMs);
    function cleanup(): void {
      clearTimeout(timer);
      subscription.dispose();
    }
  });
}
