import {
  MarkupContent,
  type CodeLens,
  type CompletionList,
  type Hover,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ClientInternalCommands, ServerCommands } from '../protocol';
import type { PermissionUsageLens } from '../service/codeUsageFeatures';
import type { CodeAnalysisPart } from './codeAnalysis';
import { uriOf, type ServerContext } from './context';

const EMPTY_LIST: CompletionList = { isIncomplete: false, items: [] };

/**
 * Completion, hover and code lens. Manifests get the service's features, with the call sites of
 * each granted permission added to its hover and lenses; a source file gets the hover of its calls.
 */
export function registerLanguageFeatures(context: ServerContext, code: CodeAnalysisPart): void {
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
    context.forOpenDocument('hover', uriOf(params), 'the hover', null, token, (document) => {
      const found = context.manifestAt(document.uri);
      if (!found) {
        const source = code.usageOfSource(document.uri);
        return source && service.callHover(source.usage, source.file, document, params.position);
      }
      const hover = service.doHover(document, params.position, found.manifest);
      const usage = code.usageOfManifest(found.manifest);
      const sites =
        usage &&
        service.permissionUsageHover(
          usage.usage,
          found.manifest,
          document,
          params.position,
          usage.locator,
        );
      return joinHovers(hover, sites ?? null);
    }),
  );

  connection.onCodeLens((params, token) =>
    context.forDocument('codeLens', uriOf(params), 'code lenses', [], token, (found) => {
      const lenses = service.getCodeLenses(found.document, found.manifest);
      const usage = code.usageOfManifest(found.manifest);
      if (!usage) return lenses;
      const sites = service.permissionUsageLenses(
        usage.usage,
        found.manifest,
        found.document,
        usage.locator,
      );
      return [...lenses, ...sites.map((lens) => siteLens(found.document, lens))];
    }),
  );

  /** A call-site lens: VS Code's references view, or other editors' message. */
  function siteLens(document: TextDocument, lens: PermissionUsageLens): CodeLens {
    const command = context.support.features.vscodeClient
      ? {
          title: lens.title,
          command: ClientInternalCommands.showReferences,
          arguments: [
            document.uri,
            lens.range.start,
            lens.locations.map(({ uri, range }) => ({ uri, range })),
          ],
        }
      : {
          title: lens.title,
          command: ServerCommands.showPermissionUsage,
          arguments: [document.uri, lens.permission],
        };
    return { range: lens.range, command };
  }
}

/** The manifest's hover and the call sites of the name under the cursor, as one hover. */
function joinHovers(first: Hover | null, second: Hover | null): Hover | null {
  if (!first || !second) return first ?? second;
  if (!MarkupContent.is(first.contents) || !MarkupContent.is(second.contents)) return first;
  const contents: MarkupContent = {
    kind: first.contents.kind,
    value: `${first.contents.value}\n\n${second.contents.value}`,
  };
  return { ...first, contents };
}
