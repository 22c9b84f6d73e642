import * as vscode from 'vscode';
import { ClientInternalCommands } from '../../../server/src/protocol';
import { isPosition, type LspPosition } from '../lspValues';

/**
 * `ClientInternalCommands.showReferences`, run by the call-site lens of a granted permission:
 * VS Code's references view, peeked at the lens, listing the calls of the app's code that use
 * it. The server sends plain LSP values; the built-in command wants VS Code's own types.
 */
export function registerShowReferences(): vscode.Disposable {
  return vscode.commands.registerCommand(
    ClientInternalCommands.showReferences,
    async (uri: unknown, position: unknown, locations: unknown): Promise<void> => {
      if (typeof uri !== 'string' || !isPosition(position) || !Array.isArray(locations)) return;
      const targets = locations
        .filter(isLocation)
        .map(
          (location) =>
            new vscode.Location(
              vscode.Uri.parse(location.uri),
              new vscode.Range(toPosition(location.range.start), toPosition(location.range.end)),
            ),
        );
      await vscode.commands.executeCommand(
        'editor.action.showReferences',
        vscode.Uri.parse(uri),
        toPosition(position),
        targets,
      );
    },
  );
}

function toPosition(position: LspPosition): vscode.Position {
  return new vscode.Position(position.line, position.character);
}

function isLocation(
  value: unknown,
): value is { uri: string; range: { start: LspPosition; end: LspPosition } } {
  if (typeof value !== 'object' || value === null) return false;
  const { uri, range } = value as Record<string, unknown>;
  if (typeof uri !== 'string' || typeof range !== 'object' || range === null) return false;
  const { start, end } = range as Record<string, unknown>;
  return isPosition(start) && isPosition(end);
}
