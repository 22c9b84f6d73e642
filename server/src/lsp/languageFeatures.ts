import type { CompletionList } from 'vscode-languageserver';
import { uriOf, type ServerContext } from './context';

const EMPTY_LIST: CompletionList = { isIncomplete: false, items: [] };

/** Completion, hover and code lens: find the manifest, delegate, answer empty for anything else. */
export function registerLanguageFeatures(context: ServerContext): void {
  const { connection, service } = context;

  connection.onCompletion((params, token) =>
    context.safe(
      async () => {
        await context.settingsReady;
        context.failpoint('completion');
        const found = context.manifestAt(params.textDocument.uri);
        return found
          ? service.doComplete(found.document, params.position, found.manifest)
          : EMPTY_LIST;
      },
      EMPTY_LIST,
      `Error computing completions for ${uriOf(params)}`,
      token,
    ),
  );

  connection.onCompletionResolve((item, token) =>
    context.safe(
      () => {
        context.failpoint('completionResolve');
        return service.doResolve(item);
      },
      item,
      `Error resolving the completion item ${item.label}`,
      token,
    ),
  );

  connection.onHover((params, token) =>
    context.safe(
      async () => {
        await context.settingsReady;
        context.failpoint('hover');
        const found = context.manifestAt(params.textDocument.uri);
        return found ? service.doHover(found.document, params.position, found.manifest) : null;
      },
      null,
      `Error computing the hover for ${uriOf(params)}`,
      token,
    ),
  );

  connection.onCodeLens((params, token) =>
    context.safe(
      async () => {
        await context.settingsReady;
        context.failpoint('codeLens');
        const found = context.manifestAt(params.textDocument.uri);
        return found ? service.getCodeLenses(found.document, found.manifest) : [];
      },
      [],
      `Error computing code lenses for ${uriOf(params)}`,
      token,
    ),
  );
}
