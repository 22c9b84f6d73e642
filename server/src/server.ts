/**
 * The language server: thin LSP glue in front of the pure manifest language service. Each part
 * lives in `lsp/`: the shared context, settings, diagnostics scheduling, the language features,
 * code actions, commands keyed by id, and the client's custom requests. Every handler is wrapped
 * (`runner.ts`) so no text and no bug can take the server down.
 */
import {
  CodeActionKind,
  PositionEncodingKind,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type ServerCapabilities,
} from 'vscode-languageserver';
import { registerCodeActions } from './lsp/codeActions';
import { registerCodeAnalysis } from './lsp/codeAnalysis';
import { registerCommands } from './lsp/commands';
import { ServerContext, type ServerOptions } from './lsp/context';
import { readClientSupport } from './lsp/clientSupport';
import { registerCustomRequests } from './lsp/customRequests';
import { registerDiagnostics } from './lsp/diagnostics';
import { registerLanguageFeatures } from './lsp/languageFeatures';
import { initializationSettings, registerSettings } from './lsp/settings';
import { ServerCommands } from './protocol';
import { FIX_ALL_KIND } from './service/codeActions';

export type { HandlerName, ServerOptions } from './lsp/context';
export { SETTINGS_SECTION } from './lsp/settings';

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const context = new ServerContext(connection, options);
  // The app's code and its manifests depend on each other: a change on either side refreshes both.
  const code = registerCodeAnalysis(context, () => {
    diagnostics.refresh();
  });
  const diagnostics = registerDiagnostics(context, code);
  const settings = registerSettings(context, () => {
    code.settingsChanged();
    diagnostics.refresh();
  });
  registerLanguageFeatures(context, code);
  registerCodeActions(context, (document) => diagnostics.validate(document), code);
  registerCommands(context, code);
  registerCustomRequests(context);

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    context.support = readClientSupport(params.capabilities, params.initializationOptions);
    context.service.setClientFeatures(context.support.features);
    const initial = initializationSettings(params.initializationOptions);
    if (initial !== undefined) context.service.configure(initial);
    return {
      capabilities: serverCapabilities(context.support),
      serverInfo: { name: 'Stripe Apps manifest language server' },
    };
  });
  connection.onInitialized(() => {
    settings.start();
    code.start();
  });
  connection.onShutdown(() => {
    context.shuttingDown = true;
    diagnostics.stop();
  });

  context.documents.listen(connection);
  connection.listen();
}

/** What the server offers, given what the client supports. */
function serverCapabilities(support: ServerContext['support']): ServerCapabilities {
  const capabilities: ServerCapabilities = {
    // Positions count UTF-16 code units (TextDocument's unit), which every client supports.
    positionEncoding: PositionEncodingKind.UTF16,
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
    // `'` opens YAML's single-quoted scalars; no space: it would fire on every space of JSON too.
    completionProvider: { triggerCharacters: ['"', ':', "'"], resolveProvider: true },
    hoverProvider: true,
    codeLensProvider: { resolveProvider: false },
    executeCommandProvider: { commands: Object.values(ServerCommands) },
  };
  if (support.pullDiagnostics) {
    capabilities.diagnosticProvider = {
      identifier: 'stripe-apps',
      // A manifest's findings depend on the app's code, and a source file's on the manifest.
      interFileDependencies: true,
      workspaceDiagnostics: false,
    };
  }
  if (support.codeActionLiterals) {
    capabilities.codeActionProvider = {
      codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, FIX_ALL_KIND],
      resolveProvider: support.codeActionResolve,
    };
  }
  return capabilities;
}
