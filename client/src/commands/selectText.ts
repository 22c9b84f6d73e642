import * as vscode from 'vscode';
import { ClientInternalCommands } from '../../../server/src/protocol';
import { isPosition } from '../lspValues';

/**
 * `ClientInternalCommands.selectText`, run by a quick fix after its edit (*Add purpose*,
 * *Replace with suggested purpose*): selects the body of the suggested JSON string, first found
 * at or after `position`, so the user types the app's own reason over it. A snippet edit would
 * do the same, but VS Code re-indents every line of a multi-line snippet, and these edits add
 * lines.
 */
export function registerSelectText(): vscode.Disposable {
  return vscode.commands.registerCommand(
    ClientInternalCommands.selectText,
    (uri: unknown, position: unknown, literal: unknown): boolean =>
      selectText(uri, position, literal),
  );
}

function selectText(uri: unknown, position: unknown, literal: unknown): boolean {
  if (typeof uri !== 'string' || typeof literal !== 'string' || !isPosition(position)) {
    return false;
  }
  const editor = vscode.window.visibleTextEditors.find(
    (candidate) => candidate.document.uri.toString() === uri,
  );
  if (!editor) return false;
  const document = editor.document;
  const from = document.offsetAt(new vscode.Position(position.line, position.character));
  const found = document.getText().indexOf(literal, from);
  if (found < 0) return false;
  // Inside the quotes: the text, not the string.
  const selection = new vscode.Selection(
    document.positionAt(found + 1),
    document.positionAt(found + literal.length - 1),
  );
  editor.selection = selection;
  editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return true;
}
