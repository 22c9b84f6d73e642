/**
 * The language server: thin LSP glue in front of the pure manifest language service.
 * Every handler finds the document, answers an empty result when it is not a manifest, and
 * delegates; every handler is wrapped (`runner.ts`) so no text and no bug can take the server down.
 */
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DocumentDiagnosticReportKind,
  ErrorCodes,
  MarkupKind,
  MessageType,
  PositionEncodingKind,
  RequestType,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
  type CancellationToken,
  type ClientCapabilities,
  type CodeAction,
  type CodeActionParams,
  type CompletionList,
  type Connection,
  type Diagnostic,
  type DiagnosticServerCancellationData,
  type FullDocumentDiagnosticReport,
  type InitializeParams,
  type InitializeResult,
  type ServerCapabilities,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CheckPurposeRequest,
  ManifestInfoRequest,
  ClientInternalCommands,
  ServerCommands,
  type CheckPurposeParams,
  type CheckPurposeResult,
  type GrantPermissionParams,
  type ManifestInfoParams,
  type ManifestInfoResult,
  type PermissionCommandResult,
  type RevokePermissionParams,
  type RevokePermissionsParams,
  type ShowPermissionsResult,
  type SortPermissionsParams,
  type SortPermissionsResult,
} from './protocol';
import { formatError, runSafe, runSafeNotification, runSafeSideEffect } from './runner';
import type { ClientFeatures } from './service/clientFeatures';
import { FIX_ALL_KIND } from './service/codeActions';
import { SOURCE } from './service/diagnostics/common';
import { currentPurpose } from './service/grantRevoke';
import { createManifestLanguageService } from './service/languageService';
import { isManifestFileName, type ManifestDocument } from './service/manifestDocument';
import { isRecord } from './service/settings';

/** The settings section the client contributes (`stripeApps.*`). */
export const SETTINGS_SECTION = 'stripeApps';
/** Push diagnostics wait this long after the last change of a document. */
const PUSH_DELAY_MS = 200;
/**
 * Handlers wait this long for the answer to `workspace/configuration`, so that the first
 * diagnostics honour the user's settings; a client that answers later (or never) gets results
 * with the initial settings now, and fresh diagnostics when its answer arrives.
 */
const SETTINGS_WAIT_MS = 300;

/** The handlers a test can make fail on purpose (see `ServerOptions.failHandler`). */
export type HandlerName =
  | 'completion'
  | 'completionResolve'
  | 'hover'
  | 'diagnostics'
  | 'codeAction'
  | 'codeActionResolve'
  | 'codeLens'
  | 'executeCommand'
  | 'manifestInfo'
  | 'checkPurpose';

export interface ServerOptions {
  /**
   * Test-only: the named handler throws every time it runs, to prove the wrapping keeps the
   * server alive and answering the default. The Node entry reads it from the environment
   * variable `STRIPE_APPS_TEST_FAIL_HANDLER` (e.g. `STRIPE_APPS_TEST_FAIL_HANDLER=hover`).
   */
  readonly failHandler?: string;
}

/** What the client can do, read once from `initialize`. */
interface ClientSupport {
  pullDiagnostics: boolean;
  diagnosticRefresh: boolean;
  configuration: boolean;
  dynamicConfiguration: boolean;
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

const ManifestInfoType = new RequestType<ManifestInfoParams, ManifestInfoResult | null, void>(
  ManifestInfoRequest,
);
const CheckPurposeType = new RequestType<CheckPurposeParams, CheckPurposeResult, void>(
  CheckPurposeRequest,
);

type CommandResult =
  | PermissionCommandResult
  | PermissionCommandResult[]
  | SortPermissionsResult
  | ShowPermissionsResult
  | null;

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const service = createManifestLanguageService();
  const logError = (message: string): void => {
    connection.console.error(message);
  };
  let support = readClientSupport(undefined, undefined);
  // Handlers wait (briefly) for the first settings so the first diagnostics already honour them.
  let settingsReady: Promise<void> = Promise.resolve();
  // After `shutdown`, requests are refused (LSP: InvalidRequest) and nothing more is pushed.
  let shuttingDown = false;
  // Manifests by last open or change, the latest last: commands without a URI act on it.
  const activeManifests: string[] = [];

  function failpoint(name: HandlerName): void {
    if (options.failHandler === name) {
      throw new Error(`Injected failure in the ${name} handler (STRIPE_APPS_TEST_FAIL_HANDLER)`);
    }
  }

  function safe<T, E = void>(
    fn: () => T | PromiseLike<T>,
    defaultValue: T,
    errorMessage: string,
    token: CancellationToken,
  ): Promise<T | ResponseError<E>> {
    if (shuttingDown) return Promise.resolve(shutDownError<E>());
    return runSafe<T, E>(fn, defaultValue, errorMessage, token, logError);
  }

  /** The document a request names, for log lines (a malformed request may name none). */
  function uriOf(params: { textDocument?: { uri?: unknown } }): string {
    const uri = params.textDocument?.uri;
    return typeof uri === 'string' ? uri : '(no document)';
  }

  /** The open manifest at `uri` and its parse, or undefined for anything else. */
  function manifestAt(
    uri: string,
  ): { document: TextDocument; manifest: ManifestDocument } | undefined {
    const document = documents.get(uri);
    if (!document || !isManifestUri(uri)) return undefined;
    return { document, manifest: service.parseManifest(document) };
  }

  function validate(document: TextDocument): Diagnostic[] {
    failpoint('diagnostics');
    return service.doValidation(document, service.parseManifest(document));
  }

  // ---- settings -------------------------------------------------------------------------

  async function loadSettings(): Promise<void> {
    try {
      const section: unknown = await connection.workspace.getConfiguration({
        section: SETTINGS_SECTION,
      });
      service.configure(section);
    } catch (error) {
      logError(
        formatError('Could not read the stripeApps settings; keeping the current ones', error),
      );
    }
  }

  /**
   * Asks the client for the settings; handlers wait for the answer at most `SETTINGS_WAIT_MS`.
   * An answer that comes later still applies, and the diagnostics are computed again.
   */
  function requestSettings(): void {
    if (!support.configuration) return;
    let late = false;
    const loaded = loadSettings().then(() => {
      if (late) refreshDiagnostics();
    });
    settingsReady = new Promise((resolve) => {
      const timer = setTimeout(() => {
        late = true;
        resolve();
      }, SETTINGS_WAIT_MS);
      void loaded.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  // ---- diagnostics: pull when the client can, push (debounced) otherwise -------------------

  const pending = new Map<string, ReturnType<typeof setTimeout>>();

  function cancelPending(uri: string): void {
    const timer = pending.get(uri);
    if (timer !== undefined) clearTimeout(timer);
    pending.delete(uri);
  }

  function schedulePush(document: TextDocument, delay = PUSH_DELAY_MS): void {
    if (shuttingDown || support.pullDiagnostics || !isManifestUri(document.uri)) return;
    cancelPending(document.uri);
    pending.set(
      document.uri,
      setTimeout(() => {
        pending.delete(document.uri);
        runSafeNotification(() => push(document.uri), `Error validating ${document.uri}`, logError);
      }, delay),
    );
  }

  async function push(uri: string): Promise<void> {
    await settingsReady;
    const document = documents.get(uri);
    // Closed meanwhile, or changed again: the close cleared it / a newer push is scheduled.
    if (!document || pending.has(uri)) return;
    const diagnostics = validate(document);
    await connection.sendDiagnostics({ uri, version: document.version, diagnostics });
  }

  function refreshDiagnostics(): void {
    if (support.pullDiagnostics) {
      if (support.diagnosticRefresh) {
        connection.languages.diagnostics.refresh().catch((error: unknown) => {
          logError(formatError('Diagnostics refresh failed', error));
        });
      }
      return;
    }
    for (const document of documents.all()) schedulePush(document);
  }

  // Typing is debounced; a document just opened is validated at once (nothing to wait for).
  const justOpened = new Set<string>();
  documents.onDidOpen((event) => {
    justOpened.add(event.document.uri);
  });
  function markActive(uri: string): void {
    if (!isManifestUri(uri)) return;
    forgetActive(uri);
    activeManifests.push(uri);
  }
  function forgetActive(uri: string): void {
    const index = activeManifests.indexOf(uri);
    if (index >= 0) activeManifests.splice(index, 1);
  }
  documents.onDidChangeContent((change) => {
    markActive(change.document.uri);
    const opened = justOpened.delete(change.document.uri);
    schedulePush(change.document, opened ? 0 : PUSH_DELAY_MS);
  });
  documents.onDidClose((event) => {
    const { uri } = event.document;
    cancelPending(uri);
    forgetActive(uri);
    service.forget(uri);
    if (!support.pullDiagnostics && isManifestUri(uri)) {
      connection.sendDiagnostics({ uri, diagnostics: [] }).catch((error: unknown) => {
        logError(formatError(`Could not clear the diagnostics of ${uri}`, error));
      });
    }
  });

  connection.languages.diagnostics.on((params, token) =>
    safe<FullDocumentDiagnosticReport, DiagnosticServerCancellationData>(
      async () => {
        await settingsReady;
        const found = manifestAt(params.textDocument.uri);
        return {
          kind: DocumentDiagnosticReportKind.Full,
          items: found ? validate(found.document) : [],
        };
      },
      { kind: DocumentDiagnosticReportKind.Full, items: [] },
      `Error computing the diagnostics of ${uriOf(params)}`,
      token,
    ),
  );

  // ---- lifecycle ----------------------------------------------------------------------------

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    support = readClientSupport(params.capabilities, params.initializationOptions);
    service.setClientFeatures(support.features);
    const initial = initializationSettings(params.initializationOptions);
    if (initial !== undefined) service.configure(initial);
    const capabilities: ServerCapabilities = {
      // Positions count UTF-16 code units (TextDocument's unit), which every client supports.
      positionEncoding: PositionEncodingKind.UTF16,
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      completionProvider: { triggerCharacters: ['"', ':'], resolveProvider: true },
      hoverProvider: true,
      codeLensProvider: { resolveProvider: false },
      executeCommandProvider: { commands: Object.values(ServerCommands) },
    };
    if (support.pullDiagnostics) {
      capabilities.diagnosticProvider = {
        identifier: 'stripe-apps',
        interFileDependencies: false,
        workspaceDiagnostics: false,
      };
    }
    if (support.codeActionLiterals) {
      capabilities.codeActionProvider = {
        codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, FIX_ALL_KIND],
        resolveProvider: support.codeActionResolve,
      };
    }
    return { capabilities, serverInfo: { name: 'Stripe Apps manifest language server' } };
  });

  connection.onInitialized(() => {
    if (support.dynamicConfiguration) {
      connection.client
        .register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION })
        .catch((error: unknown) => {
          logError(formatError('Could not register for configuration changes', error));
        });
    }
    requestSettings();
  });

  connection.onShutdown(() => {
    shuttingDown = true;
    for (const uri of [...pending.keys()]) cancelPending(uri);
  });

  connection.onDidChangeConfiguration((params) => {
    runSafeNotification(
      async () => {
        if (support.configuration) {
          requestSettings();
        } else {
          const settings: unknown = params.settings;
          service.configure(isRecord(settings) ? settings[SETTINGS_SECTION] : undefined);
        }
        await settingsReady;
        refreshDiagnostics();
      },
      'Error applying the changed settings',
      logError,
    );
  });

  // ---- language features --------------------------------------------------------------------

  const emptyList: CompletionList = { isIncomplete: false, items: [] };

  connection.onCompletion((params, token) =>
    safe(
      async () => {
        await settingsReady;
        failpoint('completion');
        const found = manifestAt(params.textDocument.uri);
        return found
          ? service.doComplete(found.document, params.position, found.manifest)
          : emptyList;
      },
      emptyList,
      `Error computing completions for ${uriOf(params)}`,
      token,
    ),
  );

  connection.onCompletionResolve((item, token) =>
    safe(
      () => {
        failpoint('completionResolve');
        return service.doResolve(item);
      },
      item,
      `Error resolving the completion item ${item.label}`,
      token,
    ),
  );

  connection.onHover((params, token) =>
    safe(
      async () => {
        await settingsReady;
        failpoint('hover');
        const found = manifestAt(params.textDocument.uri);
        return found ? service.doHover(found.document, params.position, found.manifest) : null;
      },
      null,
      `Error computing the hover for ${uriOf(params)}`,
      token,
    ),
  );

  connection.onCodeAction((params, token) =>
    safe(
      async () => {
        await settingsReady;
        failpoint('codeAction');
        const found = manifestAt(params.textDocument.uri);
        return found ? codeActions(params, found.document, found.manifest) : [];
      },
      [],
      `Error computing code actions for ${uriOf(params)}`,
      token,
    ),
  );

  /**
   * The service's actions, with their plain edits made versioned when the client takes them;
   * without edits (computed on `codeAction/resolve`) when the client resolves them.
   */
  function codeActions(
    params: CodeActionParams,
    document: TextDocument,
    manifest: ManifestDocument,
  ): CodeAction[] {
    return service
      .getCodeActions(document, params.range, contextWithDiagnostics(params, document), manifest, {
        lazy: support.codeActionResolve,
        ...selectCommand(),
      })
      .map((action) => withVersionedEdit(document, action));
  }

  /**
   * Quick fixes key on the diagnostics in the request's context. Clients that send none (asking
   * for the actions of a range, as Neovim's and Helix's commands do) get the fixes of this
   * server's diagnostics that touch the range, computed again. VS Code always sends the
   * diagnostics of the range (and asks at every cursor move), so it is taken at its word.
   */
  function contextWithDiagnostics(
    params: CodeActionParams,
    document: TextDocument,
  ): CodeActionParams['context'] {
    const { context, range } = params;
    // `only` names kinds or their parents (`quickfix` is under the empty kind).
    const wantsQuickFixes =
      !context.only || context.only.some((kind) => kind === '' || kind === CodeActionKind.QuickFix);
    if (
      support.features.vscodeClient ||
      !wantsQuickFixes ||
      context.diagnostics.some((diagnostic) => diagnostic.source === SOURCE)
    ) {
      return context;
    }
    const start = document.offsetAt(range.start);
    const end = document.offsetAt(range.end);
    const touching = validate(document).filter((diagnostic) => {
      const from = document.offsetAt(diagnostic.range.start);
      const to = document.offsetAt(diagnostic.range.end);
      return from <= end && start <= to;
    });
    return { ...context, diagnostics: [...context.diagnostics, ...touching] };
  }

  connection.onCodeActionResolve((action, token) =>
    safe(
      async () => {
        await settingsReady;
        failpoint('codeActionResolve');
        const data: unknown = action.data;
        const uri = isRecord(data) && typeof data.uri === 'string' ? data.uri : undefined;
        const found = uri === undefined ? undefined : manifestAt(uri);
        if (!found) return action;
        return withVersionedEdit(
          found.document,
          service.resolveCodeAction(found.document, found.manifest, action),
        );
      },
      action,
      `Error resolving the code action ${isRecord(action) ? action.title : '(none)'}`,
      token,
    ),
  );

  function selectCommand(): { selectCommand?: string } {
    return support.selectTextCommand ? { selectCommand: ClientInternalCommands.selectText } : {};
  }

  function withVersionedEdit(document: TextDocument, action: CodeAction): CodeAction {
    return action.edit ? { ...action, edit: versioned(document, action.edit) } : action;
  }

  connection.onCodeLens((params, token) =>
    safe(
      async () => {
        await settingsReady;
        failpoint('codeLens');
        const found = manifestAt(params.textDocument.uri);
        return found ? service.getCodeLenses(found.document, found.manifest) : [];
      },
      [],
      `Error computing code lenses for ${uriOf(params)}`,
      token,
    ),
  );

  // ---- commands -----------------------------------------------------------------------------

  connection.onExecuteCommand((params, token) => {
    if (shuttingDown) return Promise.resolve(shutDownError());
    // Commands apply edits: once started they answer what happened, even if cancelled meanwhile.
    return runSafeSideEffect<CommandResult>(
      async () => {
        await settingsReady;
        failpoint('executeCommand');
        const args: readonly unknown[] = Array.isArray(params.arguments) ? params.arguments : [];
        switch (params.command) {
          case ServerCommands.grantPermission:
            return grantCommand(readGrantParams(args, resolveUri));
          case ServerCommands.revokePermission:
            return revokeCommand(readRevokeParams(args, resolveUri));
          case ServerCommands.revokePermissions:
            return revokeManyCommand(readRevokeManyParams(args, resolveUri));
          case ServerCommands.sortPermissions:
            return sortCommand(readSortParams(args, resolveUri));
          case ServerCommands.showPermissions:
            return showPermissionsCommand(readSortParams(args, resolveUri));
          default:
            logError(`Unknown command ${params.command}`);
            return null;
        }
      },
      null,
      `Error running the command ${params.command}`,
      token,
      logError,
    );
  });

  type Located<T> =
    | { document: TextDocument; manifest: ManifestDocument; params: T }
    | { refused: 'invalid' | 'no-document' | 'stale'; message: string };

  /**
   * The open manifest a command argument names: a URI, or an absolute path of an open manifest;
   * nothing names the manifest opened or changed last.
   */
  function resolveUri(value: unknown): string | undefined {
    if (value === undefined || value === null) return activeManifests.at(-1);
    if (typeof value !== 'string') return undefined;
    if (!isAbsolutePath(value)) return value;
    const wanted = value.replace(/\\/g, '/');
    const open = documents.keys().find((uri) => filePathOf(uri)?.replace(/\\/g, '/') === wanted);
    return open ?? value;
  }

  function locate<T extends { uri: string; version?: number }>(
    params: T | Invalid,
    what: string,
  ): Located<T> {
    if ('invalid' in params) {
      return { refused: 'invalid', message: `Invalid arguments for ${what}. ${params.invalid}` };
    }
    if (params.uri === '') {
      return { refused: 'no-document', message: `${what}: no Stripe Apps manifest is open.` };
    }
    const found = manifestAt(params.uri);
    if (!found) {
      return {
        refused: 'no-document',
        message: `${params.uri} is not an open Stripe Apps manifest.`,
      };
    }
    if (params.version !== undefined && found.document.version !== params.version) {
      return {
        refused: 'stale',
        message: `The manifest changed (version ${found.document.version}, not ${params.version}); nothing was edited. Try again.`,
      };
    }
    return { ...found, params };
  }

  async function grantCommand(
    params: GrantPermissionParams | Invalid,
  ): Promise<PermissionCommandResult> {
    const located = locate(params, 'Grant Permission');
    if ('refused' in located) {
      const permission = 'invalid' in params ? '' : params.permission.trim();
      return { status: located.refused, permission, message: located.message };
    }
    const { document, manifest } = located;
    const permission = located.params.permission.trim();
    // No purpose given: keep the one already written (so a re-grant changes nothing), else
    // the suggested one.
    const purpose =
      located.params.purpose ??
      grantedPurpose(manifest, permission) ??
      service.suggestPurpose(permission, manifest);
    const result = service.grant(document, manifest, permission, purpose, {
      force: located.params.force === true,
    });
    return finishPermissionEdit(document, result, permission, `Grant permission ${permission}`);
  }

  async function revokeCommand(
    params: RevokePermissionParams | Invalid,
  ): Promise<PermissionCommandResult> {
    const located = locate(params, 'Revoke Permission');
    const permission = 'invalid' in params ? '' : params.permission.trim();
    if ('refused' in located)
      return { status: located.refused, permission, message: located.message };
    const { document, manifest } = located;
    const result = service.revoke(document, manifest, permission);
    return finishPermissionEdit(document, result, permission, `Revoke permission ${permission}`);
  }

  /** Several names, one workspace edit: one undo step. One result per distinct name. */
  async function revokeManyCommand(
    params: RevokePermissionsParams | Invalid,
  ): Promise<PermissionCommandResult[]> {
    const located = locate(params, 'Revoke Permission');
    const names = 'invalid' in params ? [] : [...new Set(params.permissions.map((n) => n.trim()))];
    if ('refused' in located) {
      return names.map((permission) => ({
        status: located.refused,
        permission,
        message: located.message,
      }));
    }
    const { document, manifest } = located;
    const result = service.revokeAll(document, manifest, names);
    const answers: PermissionCommandResult[] = result.outcomes.map((outcome) => ({
      status: outcome.status,
      permission: outcome.permission,
      message: outcome.message,
      ...(outcome.status === 'revoked' ? { removed: outcome.removed } : {}),
    }));
    if (result.edits.length === 0) return answers;
    const revoked = answers.filter((answer) => answer.status === 'revoked');
    const failure = await applyEdit(
      document,
      result.edits,
      `Revoke permissions ${revoked.map((answer) => answer.permission).join(', ')}`,
    );
    if (failure === undefined) return answers;
    return answers.map((answer) =>
      answer.status === 'revoked' ? { ...answer, status: 'not-applied', message: failure } : answer,
    );
  }

  async function finishPermissionEdit(
    document: TextDocument,
    result: {
      status: PermissionCommandResult['status'];
      edits: readonly TextEdit[];
      message: string;
      suggestions?: readonly string[];
    },
    permission: string,
    label: string,
  ): Promise<PermissionCommandResult> {
    const answer: PermissionCommandResult = {
      status: result.status,
      permission,
      message: result.message,
      ...(result.suggestions && result.suggestions.length > 0
        ? { suggestions: [...result.suggestions] }
        : {}),
    };
    if (result.edits.length === 0) return answer;
    const failure = await applyEdit(document, result.edits, label);
    return failure === undefined ? answer : { ...answer, status: 'not-applied', message: failure };
  }

  async function sortCommand(
    params: SortPermissionsParams | Invalid,
  ): Promise<SortPermissionsResult> {
    const located = locate(params, 'Sort Permissions');
    if ('refused' in located) {
      return {
        status: located.refused,
        message: located.message,
      };
    }
    const { document, manifest } = located;
    const edits = service.getSortEntriesEdits(document, manifest);
    if (edits.length === 0) {
      // Nothing to sort, or nothing that can be sorted safely: say which.
      const blocked = unsortable(manifest);
      return blocked === undefined
        ? { status: 'unchanged', message: 'The permissions are already sorted.' }
        : { status: 'invalid', message: blocked };
    }
    const failure = await applyEdit(document, edits, 'Sort permissions');
    return failure === undefined
      ? { status: 'sorted', message: 'Sorted the permissions by name.' }
      : { status: 'not-applied', message: failure };
  }

  /** The code lens of other editors: the granted permissions, as a message to the user. */
  async function showPermissionsCommand(
    params: SortPermissionsParams | Invalid,
  ): Promise<ShowPermissionsResult> {
    const located = locate(params, 'Show Permissions');
    if ('refused' in located) return { status: located.refused, message: located.message };
    const lines = [...located.manifest.granted.entries()].map(([permission, entries]) => {
      const purpose = entries[0] && currentPurpose(entries[0])?.text;
      return purpose === undefined ? permission : `${permission}: ${purpose}`;
    });
    const message =
      lines.length === 0
        ? 'The manifest grants no permissions.'
        : `Granted permissions:\n${lines.join('\n')}`;
    await connection.sendNotification('window/showMessage', { type: MessageType.Info, message });
    return { status: 'shown', message };
  }

  /** Applies edits made against `document`'s version; answers the failure, if any. */
  async function applyEdit(
    document: TextDocument,
    edits: readonly TextEdit[],
    label: string,
  ): Promise<string | undefined> {
    if (!support.applyEdit) {
      return 'The editor does not apply edits from the server (no workspace/applyEdit support). The manifest is unchanged.';
    }
    let response: { applied: boolean; failureReason?: string };
    try {
      response = await connection.workspace.applyEdit({
        label,
        edit: workspaceEdit(document, edits),
      });
    } catch (error) {
      // Some clients answer a refused edit with an error (eglot: a stale version).
      const reason = error instanceof Error ? error.message : String(error);
      return `The editor refused the edit: ${reason}. The manifest is unchanged.`;
    }
    if (response.applied) return undefined;
    const reason = response.failureReason ? `: ${response.failureReason}` : '';
    return `The editor did not apply the edit${reason}. The manifest is unchanged.`;
  }

  /** A versioned `TextDocumentEdit` when the client takes them, a plain `changes` map otherwise. */
  function workspaceEdit(document: TextDocument, edits: readonly TextEdit[]): WorkspaceEdit {
    if (!support.documentChanges) return { changes: { [document.uri]: [...edits] } };
    return {
      documentChanges: [
        { textDocument: { uri: document.uri, version: document.version }, edits: [...edits] },
      ],
    };
  }

  /** Turns the service's plain edits for this document into a versioned edit. */
  function versioned(document: TextDocument, edit: WorkspaceEdit): WorkspaceEdit {
    const changes = edit.changes;
    if (!support.documentChanges || edit.documentChanges || !changes) return edit;
    const uris = Object.keys(changes);
    const own = changes[document.uri];
    if (uris.length !== 1 || !own) return edit;
    return workspaceEdit(document, own);
  }

  // ---- custom requests ----------------------------------------------------------------------

  connection.onRequest(ManifestInfoType, (params, token) =>
    safe<ManifestInfoResult | null>(
      () => {
        failpoint('manifestInfo');
        const uri = isRecord(params) && typeof params.uri === 'string' ? params.uri : undefined;
        const found = uri === undefined ? undefined : manifestAt(uri);
        return manifestInfo(found?.document, found?.manifest);
      },
      null,
      'Error computing the manifest info',
      token,
    ),
  );

  function manifestInfo(
    document: TextDocument | undefined,
    manifest: ManifestDocument | undefined,
  ): ManifestInfoResult {
    const granted: ManifestInfoResult['granted'] = [];
    for (const [permission, entries] of manifest?.granted ?? []) {
      // The text a grant would update (`en-US` in a locale map), so the pre-filled purpose is it.
      const purpose = entries[0] && currentPurpose(entries[0])?.text;
      granted.push(purpose === undefined ? { permission } : { permission, purpose });
    }
    const { catalog } = service;
    return {
      version: document?.version ?? -1,
      granted,
      catalog: {
        source: {
          title: catalog.source.title,
          url: catalog.source.url,
          copied: catalog.source.copied,
        },
        permissions: catalog.permissions.map((info) => ({
          name: info.name,
          access: info.access,
          product: info.product,
          resource: info.resource,
          description: info.description,
        })),
      },
    };
  }

  connection.onRequest(CheckPurposeType, (params, token) =>
    safe<CheckPurposeResult>(
      async () => {
        await settingsReady;
        failpoint('checkPurpose');
        const permission =
          isRecord(params) && typeof params.permission === 'string' ? params.permission.trim() : '';
        const purpose =
          isRecord(params) && typeof params.purpose === 'string' ? params.purpose : '';
        const uri = isRecord(params) && typeof params.uri === 'string' ? params.uri : undefined;
        const manifest = uri === undefined ? undefined : manifestAt(uri)?.manifest;
        const findings = service.checkPurpose(permission, purpose, manifest);
        const worst = mostSevere(findings);
        return {
          ...(worst ? { severity: worst.severity, message: worst.message } : {}),
          suggestion: service.suggestPurpose(permission, manifest),
        };
      },
      { suggestion: '' },
      'Error checking a purpose',
      token,
    ),
  );

  documents.listen(connection);
  connection.listen();
}

// ---- helpers (pure) ---------------------------------------------------------------------------

function readClientSupport(
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

function shutDownError<E>(): ResponseError<E> {
  return new ResponseError<E>(ErrorCodes.InvalidRequest, 'The server is shutting down');
}

/** Settings for clients without `workspace/configuration`: `initializationOptions.stripeApps`. */
function initializationSettings(options: unknown): unknown {
  return isRecord(options) ? options[SETTINGS_SECTION] : undefined;
}

/** Features only for stripe-app.json and stripe-app.<name>.json (the client's selector agrees). */
function isManifestUri(uri: string): boolean {
  let path = uri;
  try {
    path = decodeURIComponent(new URL(uri).pathname);
  } catch {
    // Not a URL (or badly escaped): judge the raw string.
  }
  return isManifestFileName(path);
}

/** The purpose text a grant would update: the first entry's (its `en-US` text in a locale map). */
function grantedPurpose(manifest: ManifestDocument, permission: string): string | undefined {
  const entry = manifest.granted.get(permission)?.[0];
  const text = entry && currentPurpose(entry)?.text;
  return text === undefined || text.trim() === '' ? undefined : text;
}

/** Why the entries of a manifest cannot be sorted, or undefined when they can. */
function unsortable(manifest: ManifestDocument): string | undefined {
  if (manifest.limit)
    return 'The manifest is too large or nested too deeply to edit; nothing was sorted.';
  if (manifest.syntaxErrors.length > 0)
    return 'Fix the JSON syntax errors first; nothing was sorted.';
  if (!manifest.permissionsArray) return 'There is no "permissions" array to sort.';
  return undefined;
}

const SEVERITY_ORDER = ['error', 'warning', 'information', 'hint'] as const;

function mostSevere<T extends { severity: (typeof SEVERITY_ORDER)[number]; message: string }>(
  findings: readonly T[],
): T | undefined {
  let worst: T | undefined;
  for (const finding of findings) {
    if (
      !worst ||
      SEVERITY_ORDER.indexOf(finding.severity) < SEVERITY_ORDER.indexOf(worst.severity)
    ) {
      worst = finding;
    }
  }
  return worst;
}

/** Command arguments that cannot be used, and why. */
interface Invalid {
  invalid: string;
}

type UriResolver = (value: unknown) => string | undefined;

/**
 * Grant's arguments: `{ uri?, version?, permission, purpose?, force? }`, or positional
 * `(permission, purpose?, uri?)` as the VS Code command takes them. An unresolvable URI becomes
 * `''` (no open manifest).
 */
function readGrantParams(
  args: readonly unknown[],
  resolve: UriResolver,
): GrantPermissionParams | Invalid {
  const [first, second, third] = args;
  const usage =
    'Give a permission name: (permission, purpose?, uri?) or { uri, permission, purpose? }.';
  if (isRecord(first)) {
    if (typeof first.permission !== 'string') return { invalid: usage };
    if (first.purpose !== undefined && typeof first.purpose !== 'string') {
      return { invalid: 'The purpose must be a string.' };
    }
    const target = readTarget(first, resolve);
    if ('invalid' in target) return target;
    return {
      ...target,
      permission: first.permission,
      ...(typeof first.purpose === 'string' ? { purpose: first.purpose } : {}),
      ...(first.force === true ? { force: true } : {}),
    };
  }
  if (typeof first !== 'string' || first.trim() === '' || looksLikeLocation(first)) {
    return { invalid: usage };
  }
  if (second !== undefined && second !== null && typeof second !== 'string') {
    return { invalid: 'The purpose must be a string.' };
  }
  return {
    uri: resolve(third) ?? '',
    permission: first,
    ...(typeof second === 'string' ? { purpose: second } : {}),
  };
}

/** Revoke's arguments: `{ uri?, version?, permission }` or positional `(permission, uri?)`. */
/** Several names: `(permissions[], uri?)` or `{ uri, version?, permissions }`. */
function readRevokeManyParams(
  args: readonly unknown[],
  resolve: UriResolver,
): RevokePermissionsParams | Invalid {
  const [first, second] = args;
  const usage = 'Give permission names: (permissions[], uri?) or { uri, permissions }.';
  const names = (value: unknown): value is string[] =>
    Array.isArray(value) && value.every((name) => typeof name === 'string');
  if (isRecord(first)) {
    if (!names(first.permissions)) return { invalid: usage };
    const target = readTarget(first, resolve);
    return 'invalid' in target ? target : { ...target, permissions: first.permissions };
  }
  if (!names(first)) return { invalid: usage };
  return { uri: resolve(second) ?? '', permissions: first };
}

function readRevokeParams(
  args: readonly unknown[],
  resolve: UriResolver,
): RevokePermissionParams | Invalid {
  const [first, second] = args;
  const usage = 'Give a permission name: (permission, uri?) or { uri, permission }.';
  if (isRecord(first)) {
    if (typeof first.permission !== 'string') return { invalid: usage };
    const target = readTarget(first, resolve);
    return 'invalid' in target ? target : { ...target, permission: first.permission };
  }
  if (typeof first !== 'string' || first.trim() === '' || looksLikeLocation(first)) {
    return { invalid: usage };
  }
  return { uri: resolve(second) ?? '', permission: first };
}

/** Sort's (and show's) arguments: `{ uri?, version? }`, positional `(uri?)`, or none. */
function readSortParams(
  args: readonly unknown[],
  resolve: UriResolver,
): SortPermissionsParams | Invalid {
  const [first] = args;
  if (isRecord(first)) return readTarget(first, resolve);
  if (first !== undefined && first !== null && typeof first !== 'string') {
    return { invalid: 'Give the manifest as a URI, a path or nothing.' };
  }
  return { uri: resolve(first) ?? '' };
}

function readTarget(
  value: Record<string, unknown>,
  resolve: UriResolver,
): { uri: string; version?: number } | Invalid {
  if (value.uri !== undefined && typeof value.uri !== 'string') {
    return { invalid: 'The uri must be a string.' };
  }
  if (value.version !== undefined && typeof value.version !== 'number') {
    return { invalid: 'The version must be a number.' };
  }
  return {
    uri: resolve(value.uri) ?? '',
    ...(typeof value.version === 'number' ? { version: value.version } : {}),
  };
}

/** Permission names never hold a colon or a slash; URIs and paths do. */
function looksLikeLocation(value: string): boolean {
  return /[:/\\]/.test(value);
}

function isAbsolutePath(value: string): boolean {
  return /^([a-zA-Z]:)?[\\/]/.test(value);
}

/** The file path of a `file:` URI, else undefined. */
function filePathOf(uri: string): string | undefined {
  try {
    const url = new URL(uri);
    if (url.protocol !== 'file:') return undefined;
    const path = decodeURIComponent(url.pathname);
    // file:///c:/x is the Windows path c:/x.
    return /^\/[a-zA-Z]:/.test(path) ? path.slice(1) : path;
  } catch {
    return undefined;
  }
}
