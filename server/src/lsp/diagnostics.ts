import {
  DocumentDiagnosticReportKind,
  type Diagnostic,
  type DiagnosticServerCancellationData,
  type FullDocumentDiagnosticReport,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { formatError, runSafeNotification } from '../runner';
import type { CodeAnalysisPart } from './codeAnalysis';
import { isManifestUri, uriOf, type ServerContext } from './context';

/** Push diagnostics wait this long after the last change of a document. */
const PUSH_DELAY_MS = 200;

export interface DiagnosticsScheduler {
  /** The diagnostics of an open manifest or source file, now. */
  validate(document: TextDocument): Diagnostic[];
  /** Everything may have changed (settings): pull clients are asked to pull, push ones get new. */
  refresh(): void;
  /** Shutdown: nothing more is pushed. */
  stop(): void;
}

/**
 * Diagnostics are pulled when the client can (`textDocument/diagnostic`), pushed otherwise:
 * debounced while typing, at once for a document just opened, cleared when it closes. A manifest's
 * depend on the app's code and a source file's on the manifest (`code`): a change on either side
 * refreshes both.
 */
export function registerDiagnostics(
  context: ServerContext,
  code: Pick<CodeAnalysisPart, 'manifestDiagnostics' | 'sourceDiagnostics' | 'isSourceUri'>,
): DiagnosticsScheduler {
  const { connection, documents, service } = context;
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  const justOpened = new Set<string>();

  function validate(document: TextDocument): Diagnostic[] {
    context.failpoint('diagnostics');
    if (!isManifestUri(document.uri)) return code.sourceDiagnostics(document);
    const manifest = service.parseManifest(document);
    return [
      ...service.doValidation(document, manifest),
      ...code.manifestDiagnostics(document, manifest),
    ];
  }

  /** The documents this server publishes diagnostics for. */
  function diagnosed(uri: string): boolean {
    return isManifestUri(uri) || code.isSourceUri(uri);
  }

  function cancelPending(uri: string): void {
    const timer = pending.get(uri);
    if (timer !== undefined) clearTimeout(timer);
    pending.delete(uri);
  }

  function schedulePush(document: TextDocument, delay = PUSH_DELAY_MS): void {
    if (context.shuttingDown || context.support.pullDiagnostics || !diagnosed(document.uri)) {
      return;
    }
    cancelPending(document.uri);
    pending.set(
      document.uri,
      setTimeout(() => {
        pending.delete(document.uri);
        runSafeNotification(
          () => push(document.uri),
          `Error validating ${document.uri}`,
          context.logError,
        );
      }, delay),
    );
  }

  async function push(uri: string): Promise<void> {
    await context.settingsReady;
    const document = documents.get(uri);
    // Closed meanwhile, or changed again: the close cleared it / a newer push is scheduled.
    if (!document || pending.has(uri)) return;
    const diagnostics = validate(document);
    await connection.sendDiagnostics({ uri, version: document.version, diagnostics });
  }

  function refresh(): void {
    if (context.support.pullDiagnostics) {
      if (context.support.diagnosticRefresh) {
        connection.languages.diagnostics.refresh().catch((error: unknown) => {
          context.logError(formatError('Diagnostics refresh failed', error));
        });
      }
      return;
    }
    for (const document of documents.all()) schedulePush(document);
  }

  documents.onDidOpen((event) => {
    justOpened.add(event.document.uri);
  });
  documents.onDidChangeContent((change) => {
    context.markActive(change.document.uri);
    // Typing is debounced; a document just opened is validated at once (nothing to wait for).
    const opened = justOpened.delete(change.document.uri);
    schedulePush(change.document, opened ? 0 : PUSH_DELAY_MS);
  });
  documents.onDidClose((event) => {
    const { uri } = event.document;
    cancelPending(uri);
    context.forgetActive(uri);
    service.forget(uri);
    if (!context.support.pullDiagnostics && diagnosed(uri)) {
      connection.sendDiagnostics({ uri, diagnostics: [] }).catch((error: unknown) => {
        context.logError(formatError(`Could not clear the diagnostics of ${uri}`, error));
      });
    }
  });

  connection.languages.diagnostics.on((params, token) =>
    context.forOpenDocument<FullDocumentDiagnosticReport, DiagnosticServerCancellationData>(
      'diagnostics',
      uriOf(params),
      'the diagnostics',
      { kind: DocumentDiagnosticReportKind.Full, items: [] },
      token,
      (document) => ({
        kind: DocumentDiagnosticReportKind.Full,
        items: diagnosed(document.uri) ? validate(document) : [],
      }),
    ),
  );

  return {
    validate,
    refresh,
    stop() {
      for (const uri of [...pending.keys()]) cancelPending(uri);
    },
  };
}
