import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import type { ServerContext } from './context';

/** A versioned `TextDocumentEdit` when the client takes them, a plain `changes` map otherwise. */
export function workspaceEdit(
  context: ServerContext,
  document: TextDocument,
  edits: readonly TextEdit[],
): WorkspaceEdit {
  if (!context.support.documentChanges) return { changes: { [document.uri]: [...edits] } };
  return {
    documentChanges: [
      { textDocument: { uri: document.uri, version: document.version }, edits: [...edits] },
    ],
  };
}

/**
 * A code action's plain edit of one document, made versioned when the client takes that and the
 * document is open (an edit of a manifest that is not open stays a plain `changes` map).
 */
export function withVersionedEdit(context: ServerContext, action: CodeAction): CodeAction {
  const changes = action.edit?.changes;
  if (!context.support.documentChanges || !changes || action.edit?.documentChanges) return action;
  const [uri, ...others] = Object.keys(changes);
  const document = uri === undefined ? undefined : context.documents.get(uri);
  const edits = uri === undefined ? undefined : changes[uri];
  if (!document || !edits || others.length > 0) return action;
  return { ...action, edit: workspaceEdit(context, document, edits) };
}

/** Applies edits made against `document`'s version; answers the failure, if any. */
export async function applyEdit(
  context: ServerContext,
  document: TextDocument,
  edits: readonly TextEdit[],
  label: string,
): Promise<string | undefined> {
  if (!context.support.applyEdit) {
    return 'The editor does not apply edits from the server (no workspace/applyEdit support). The manifest is unchanged.';
  }
  let response: { applied: boolean; failureReason?: string };
  try {
    response = await context.connection.workspace.applyEdit({
      label,
      edit: workspaceEdit(context, document, edits),
    });
  } catch (error) {
    // Some clients answer a refused edit with an error (eglot: a stale version).
    const reason = error instanceof Error ? error.message : String(error);
    return `The editor refused the edit: ${reason}. The manifest is unchanged.`;
  }
  if (response.applied) return undefined;
  const reason = response.failureReason ? `: ${response.failureReason}` : '';
  return `The editor did not apply the edit${reason}. The manifest is unchanged.`;
}
