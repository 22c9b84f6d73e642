import { MarkupKind, type ClientCapabilities } from 'vscode-languageserver';
import type { ClientFeatures } from '../service/clientFeatures';
import { isRecord } from '../service/settings';

/** What the client can do, read once from `initialize`. */
export interface ClientSupport {
  pullDiagnostics: boolean;
  diagnosticRefresh: boolean;
  configuration: boolean;
  dynamicConfiguration: boolean;
  /** The client watches files for the server (`workspace/didChangeWatchedFiles` registration). */
  dynamicFileWatching: boolean;
  documentChanges: boolean;
  codeActionLiterals: boolean;
  /**
   * The client resolves code actions' `edit` (`codeAction/resolve`) and sends their `data`
   * back: code actions are then listed without their edits, computed on resolve.
   */
  codeActionResolve: boolean;
  /** The client applies server edits (`workspace/applyEdit`). */
  applyEdit: boolean;
  /** What the service shapes its results for. */
  features: ClientFeatures;
  /** The client has `ClientInternalCommands.selectText` (its initialization options say so). */
  selectTextCommand: boolean;
}

export function readClientSupport(
  capabilities: ClientCapabilities | undefined,
  initializationOptions: unknown,
): ClientSupport {
  const completionItem = capabilities?.textDocument?.completion?.completionItem;
  return {
    applyEdit: capabilities?.workspace?.applyEdit === true,
    features: {
      snippets: completionItem?.snippetSupport === true,
      completionDocumentation: preferredMarkup(completionItem?.documentationFormat),
      hoverContent: preferredMarkup(capabilities?.textDocument?.hover?.contentFormat),
      vscodeClient: isRecord(initializationOptions) && initializationOptions.vscodeClient === true,
    },
    selectTextCommand:
      isRecord(initializationOptions) && initializationOptions.selectTextCommand === true,
    pullDiagnostics: capabilities?.textDocument?.diagnostic !== undefined,
    diagnosticRefresh: capabilities?.workspace?.diagnostics?.refreshSupport === true,
    configuration: capabilities?.workspace?.configuration === true,
    dynamicConfiguration:
      capabilities?.workspace?.didChangeConfiguration?.dynamicRegistration === true,
    dynamicFileWatching:
      capabilities?.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
    documentChanges: capabilities?.workspace?.workspaceEdit?.documentChanges === true,
    codeActionLiterals:
      capabilities?.textDocument?.codeAction?.codeActionLiteralSupport !== undefined,
    codeActionResolve:
      capabilities?.textDocument?.codeAction?.dataSupport === true &&
      capabilities.textDocument.codeAction.resolveSupport?.properties.includes('edit') === true,
  };
}

/** The client's first supported format (its preference order); plain text when it names none. */
function preferredMarkup(formats: readonly string[] | undefined): MarkupKind {
  const known = formats?.find(
    (format): format is MarkupKind =>
      format === MarkupKind.Markdown || format === MarkupKind.PlainText,
  );
  return known ?? MarkupKind.PlainText;
}
