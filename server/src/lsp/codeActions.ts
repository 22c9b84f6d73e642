import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ClientInternalCommands } from '../protocol';
import { SOURCE } from '../service/diagnostics/common';
import type { ManifestDocument } from '../service/manifestDocument';
import { isRecord } from '../service/settings';
import type { CodeAnalysisPart } from './codeAnalysis';
import { uriOf, type ServerContext } from './context';
import { withVersionedEdit } from './workspaceEdits';

/**
 * Code actions: listed without their edits when the client resolves them (`codeAction/resolve`),
 * with versioned edits otherwise.
 */
export function registerCodeActions(
  context: ServerContext,
  validate: (document: TextDocument) => Diagnostic[],
  code: CodeAnalysisPart,
): void {
  const { connection, service } = context;

  function codeActions(
    params: CodeActionParams,
    document: TextDocument,
    manifest: ManifestDocument,
  ): CodeAction[] {
    const selectCommand = context.support.selectTextCommand
      ? { selectCommand: ClientInternalCommands.selectText }
      : {};
    const actionContext = withOwnDiagnostics(params, document);
    return [
      ...service.getCodeActions(document, params.range, actionContext, manifest, {
        lazy: context.support.codeActionResolve,
        ...selectCommand,
      }),
      ...service.revokeUnusedActions(actionContext.diagnostics, manifest, document),
    ].map((action) => withVersionedEdit(context, action));
  }

  /** A source file's fixes: grants in the manifest its findings name. */
  function sourceActions(params: CodeActionParams, document: TextDocument): CodeAction[] {
    const { diagnostics } = withOwnDiagnostics(params, document);
    return service
      .grantActions(diagnostics, (uri) => code.manifestByUri(uri))
      .map((action) => withVersionedEdit(context, action));
  }

  /**
   * Quick fixes key on the diagnostics in the request's context. Clients that send none (asking
   * for the actions of a range, as Neovim's and Helix's commands do) get the fixes of this
   * server's diagnostics that touch the range, computed again. VS Code always sends the
   * diagnostics of the range (and asks at every cursor move), so it is taken at its word.
   */
  function withOwnDiagnostics(
    params: CodeActionParams,
    document: TextDocument,
  ): CodeActionParams['context'] {
    const { context: actionContext, range } = params;
    // `only` names kinds or their parents (`quickfix` is under the empty kind).
    const wantsQuickFixes =
      !actionContext.only ||
      actionContext.only.some((kind) => kind === '' || kind === CodeActionKind.QuickFix);
    if (
      context.support.features.vscodeClient ||
      !wantsQuickFixes ||
      actionContext.diagnostics.some((diagnostic) => diagnostic.source === SOURCE)
    ) {
      return actionContext;
    }
    const start = document.offsetAt(range.start);
    const end = document.offsetAt(range.end);
    const touching = validate(document).filter((diagnostic) => {
      const from = document.offsetAt(diagnostic.range.start);
      const to = document.offsetAt(diagnostic.range.end);
      return from <= end && start <= to;
    });
    return { ...actionContext, diagnostics: [...actionContext.diagnostics, ...touching] };
  }

  connection.onCodeAction((params, token) =>
    context.forOpenDocument('codeAction', uriOf(params), 'code actions', [], token, (document) => {
      const found = context.manifestAt(document.uri);
      if (found) return codeActions(params, found.document, found.manifest);
      return code.isSourceUri(document.uri) ? sourceActions(params, document) : [];
    }),
  );

  connection.onCodeActionResolve((action, token) =>
    context.safe(
      async () => {
        await context.settingsReady;
        context.failpoint('codeActionResolve');
        const data: unknown = action.data;
        const uri = isRecord(data) && typeof data.uri === 'string' ? data.uri : undefined;
        const found = uri === undefined ? undefined : context.manifestAt(uri);
        if (!found) return action;
        return withVersionedEdit(
          context,
          service.resolveCodeAction(found.document, found.manifest, action),
        );
      },
      action,
      `Error resolving the code action ${isRecord(action) ? action.title : '(none)'}`,
      token,
    ),
  );
}
