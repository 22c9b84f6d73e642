import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import { ClientInternalCommands } from '../../../server/src/protocol';
import { isPosition } from '../lspValues';

/*
 * `ClientInternalCommands.selectText`, run by a quick fix after its edit (*Add purpose*,
 * *Replace with suggested purpose*): selects the body of the suggested JSON string, first found
 * at or after `position`, so the user types the app's own reason over it. A snippet edit would
 * do the same, but VS Code re-indents every line of a multi-line snippet, and these edits add
 * lines.
 *
 * VS Code keeps a code action's command arguments in the extension host only while the list of
 * actions lives, and the fix's own edit changes the document, which asks for a new list and
 * releases the old one: the command then ran into "Actual command not found" (seen in an e2e
 * run). So the action VS Code applies carries a command without arguments, and the arguments
 * wait here from the action's resolve (VS Code resolves the one action it applies) to its run.
 */

/** The command the applied action runs instead: no arguments, nothing for VS Code to keep. */
const SELECT_PENDING = 'stripeApps.selectPendingText';

type SelectArguments = readonly unknown[];

/** The arguments of each listed action's selection, until it is resolved. */
const listed = new WeakMap<vscode.CodeAction, SelectArguments>();
/** The arguments of the action being applied (resolved last). */
let pending: SelectArguments | undefined;

export function registerSelectText(): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(
      ClientInternalCommands.selectText,
      (uri: unknown, position: unknown, literal: unknown): boolean =>
        selectText(uri, position, literal),
    ),
    vscode.commands.registerCommand(SELECT_PENDING, (): boolean => {
      const [uri, position, literal] = pending ?? [];
      pending = undefined;
      return selectText(uri, position, literal);
    }),
  );
}

/** The language client's code-action middleware that moves the selection out of the list. */
export const selectTextMiddleware: Pick<Middleware, 'provideCodeActions' | 'resolveCodeAction'> = {
  async provideCodeActions(document, range, context, token, next) {
    const actions = await next(document, range, context, token);
    for (const action of actions ?? []) {
      if (!(action instanceof vscode.CodeAction) || action.edit) continue;
      const command = action.command;
      if (command?.command !== ClientInternalCommands.selectText || !command.arguments) continue;
      listed.set(action, command.arguments);
      action.command = { title: command.title, command: SELECT_PENDING };
    }
    return actions;
  },
  async resolveCodeAction(item, token, next) {
    const resolved = await next(item, token);
    const selection = listed.get(item);
    if (selection) pending = selection;
    return resolved;
  },
};

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
