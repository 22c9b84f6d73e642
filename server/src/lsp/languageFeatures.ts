import type { CompletionList } from 'vscode-languageserver';
import { uriOf, type ServerContext } from './context';

const EMPTY_LIST: CompletionList = { isIncomplete: false, items: [] };

/** Completion, hover and code lens: find the manifest, delegate, answer empty for anything else. */
export function registerLanguageFeatures(context: ServerContext): void {
  const { connection, service } = context;

  connection.onCompletion((params, token) =>
    context.forDocument('completion', uriOf(params), 'completions', EMPTY_LIST, token, (found) =>
      service.doComplete(found.document, params.position, found.manifest),
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
    context.forDocument('hover', uriOf(params), 'the hover', null, token, (found) =>
      service.doHover(found.document, params.position, found.manifest),
    ),
  );

  connection.onCodeLens((params, token) =>
    context.forDocument('codeLens', uriOf(params), 'code lenses', [], token, (found) =>
      service.getCodeLenses(found.document, found.manifest),
    ),
  );
}
