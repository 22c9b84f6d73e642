/**
 * A minimal LSP client for protocol tests: it spawns the real bundled server
 * (`node dist/server.js --stdio`), initializes it with capabilities like VS Code's, keeps its own
 * copy of each open document, answers the server's requests (`workspace/configuration`,
 * `workspace/applyEdit`, `client/registerCapability`, `workspace/diagnostic/refresh`) and records
 * what the server sends as events that tests await. Nothing here sleeps: every wait is on an event
 * (with a deadline so a missing event fails the test with a message instead of hanging it).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  ApplyWorkspaceEditRequest,
  ConfigurationRequest,
  DiagnosticRefreshRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializeRequest,
  InitializedNotification,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageWriter,
  UnregistrationRequest,
  createProtocolConnection,
  type ApplyWorkspaceEditParams,
  type ApplyWorkspaceEditResult,
  type ClientCapabilities,
  type CompletionItemKind,
  type InitializeResult,
  type LogMessageParams,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type ShowMessageParams,
  type TextDocumentContentChangeEvent,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { serverOutput } from '../support/serverOutput';
import { APP_URI } from './manifests';

export const SERVER_PATH = resolve(__dirname, '../../dist/server.js');
/** The longest any awaited event may take before the test fails with a message. */
const EVENT_DEADLINE_MS = 10_000;

export interface TestClientOptions {
  /** A client with pull diagnostics (`textDocument/diagnostic`), like VS Code; else push only. */
  readonly pull: boolean;
  /** The `stripeApps` settings section the client answers `workspace/configuration` with. */
  readonly settings?: Record<string, unknown>;
  /** Extra environment for the server process (e.g. `STRIPE_APPS_TEST_FAIL_HANDLER`). */
  readonly env?: Record<string, string>;
  /** Whether the client supports versioned `documentChanges` in workspace edits (default true). */
  readonly documentChanges?: boolean;
  /** Whether the client supports code action literals (default true; VS Code does). */
  readonly codeActionLiterals?: boolean;
  /**
   * Whether the client resolves code actions' `edit` and sends their `data` back
   * (`codeAction/resolve`; default true, as VS Code does).
   */
  readonly codeActionResolve?: boolean;
  /**
   * Whether the client answers `workspace/configuration` (default true). Without it the settings
   * go in `initializationOptions` and in `workspace/didChangeConfiguration` notifications.
   */
  readonly configuration?: boolean;
  /**
   * Another editor's capabilities (see `otherEditors.ts`) instead of VS Code's; the client then
   * does not send the `vscodeClient` initialization option.
   */
  readonly capabilities?: ClientCapabilities;
  /** `clientInfo.name` (default `protocol-tests`). */
  readonly clientName?: string;
  /**
   * `workspace/configuration` is answered only once this settles (a slow client), or never
   * (a promise that never settles).
   */
  readonly holdConfiguration?: Promise<void>;
}

/** Capabilities close to what VS Code 1.9x sends (trimmed to what this server can use). */
export function vscodeCapabilities(options: {
  pull: boolean;
  documentChanges?: boolean;
  codeActionLiterals?: boolean;
  codeActionResolve?: boolean;
  configuration?: boolean;
}): ClientCapabilities {
  const literals = options.codeActionLiterals ?? true;
  const resolve = options.codeActionResolve ?? true;
  const configuration = options.configuration ?? true;
  return {
    general: { positionEncodings: ['utf-16'] },
    window: { workDoneProgress: true, showMessage: {}, showDocument: { support: true } },
    workspace: {
      applyEdit: true,
      workspaceEdit: {
        documentChanges: options.documentChanges ?? true,
        resourceOperations: ['create', 'rename', 'delete'],
        failureHandling: 'textOnlyTransactional',
        normalizesLineEndings: true,
        changeAnnotationSupport: { groupsOnLabel: true },
      },
      didChangeConfiguration: { dynamicRegistration: configuration },
      configuration,
      workspaceFolders: true,
      executeCommand: { dynamicRegistration: true },
      codeLens: { refreshSupport: true },
      ...(options.pull ? { diagnostics: { refreshSupport: true } } : {}),
    },
    textDocument: {
      synchronization: {
        dynamicRegistration: true,
        willSave: true,
        willSaveWaitUntil: true,
        didSave: true,
      },
      completion: {
        dynamicRegistration: true,
        contextSupport: true,
        completionItem: {
          snippetSupport: true,
          commitCharactersSupport: true,
          documentationFormat: ['markdown', 'plaintext'],
          deprecatedSupport: true,
          preselectSupport: true,
          tagSupport: { valueSet: [1] },
          insertReplaceSupport: true,
          resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] },
          insertTextModeSupport: { valueSet: [1, 2] },
          labelDetailsSupport: true,
        },
        insertTextMode: 2,
        completionItemKind: {
          valueSet: Array.from({ length: 25 }, (_, i) => (i + 1) as CompletionItemKind),
        },
        completionList: {
          itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode'],
        },
      },
      hover: { dynamicRegistration: true, contentFormat: ['markdown', 'plaintext'] },
      codeAction: {
        dynamicRegistration: true,
        isPreferredSupport: true,
        disabledSupport: true,
        ...(resolve ? { dataSupport: true, resolveSupport: { properties: ['edit'] } } : {}),
        ...(literals ? { codeActionLiteralSupport: CODE_ACTION_LITERALS } : {}),
        honorsChangeAnnotations: true,
      },
      codeLens: { dynamicRegistration: true },
      publishDiagnostics: {
        relatedInformation: true,
        versionSupport: false,
        tagSupport: { valueSet: [1, 2] },
        codeDescriptionSupport: true,
        dataSupport: true,
      },
      ...(options.pull
        ? { diagnostic: { dynamicRegistration: true, relatedDocumentSupport: false } }
        : {}),
    },
  };
}

const CODE_ACTION_LITERALS = {
  codeActionKind: {
    valueSet: [
      '',
      'quickfix',
      'refactor',
      'refactor.extract',
      'refactor.inline',
      'refactor.rewrite',
      'source',
      'source.organizeImports',
    ],
  },
};

interface Waiter<T> {
  readonly matches: (event: T) => boolean;
  readonly resolve: (event: T) => void;
}

/** Events in arrival order; `next` finds the first event after `since` that matches. */
class EventLog<T> {
  readonly events: T[] = [];
  private waiters: Waiter<T>[] = [];

  constructor(private readonly what: string) {}

  push(event: T): void {
    this.events.push(event);
    const ready = this.waiters.filter((waiter) => waiter.matches(event));
    this.waiters = this.waiters.filter((waiter) => !waiter.matches(event));
    for (const waiter of ready) waiter.resolve(event);
  }

  /** A position in the log: `next(…, mark)` looks only at events after it. */
  mark(): number {
    return this.events.length;
  }

  next(matches: (event: T) => boolean, since = 0, description = this.what): Promise<T> {
    const seen = this.events.slice(since).find(matches);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<T>((resolvePromise, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== entry);
        reject(new Error(`timed out waiting for ${description}`));
      }, EVENT_DEADLINE_MS);
      const entry: Waiter<T> = {
        matches,
        resolve: (event) => {
          clearTimeout(timer);
          resolvePromise(event);
        },
      };
      this.waiters.push(entry);
    });
  }
}

export type ApplyEditAnswer = { applied: true } | { applied: false; failureReason?: string };

export class TestClient {
  /** The `stripeApps` section answered to `workspace/configuration`; tests may replace it. */
  settings: Record<string, unknown>;
  /** What the next `workspace/applyEdit` is answered with (the edit is applied only when true). */
  applyEditAnswer: ApplyEditAnswer = { applied: true };
  readonly diagnostics = new EventLog<PublishDiagnosticsParams>('textDocument/publishDiagnostics');
  readonly refreshes = new EventLog<number>('workspace/diagnostic/refresh');
  readonly applyEdits = new EventLog<ApplyWorkspaceEditParams>('workspace/applyEdit');
  readonly logs = new EventLog<LogMessageParams>('window/logMessage');
  readonly configurationRequests = new EventLog<number>('workspace/configuration');
  readonly messages = new EventLog<ShowMessageParams>('window/showMessage');
  /** The client's copy of each open document (kept in sync with what it sends). */
  readonly documents = new Map<string, TextDocument>();
  /** The server's answer to `initialize` (set by `start`). */
  initializeResult: InitializeResult = { capabilities: {} };
  stderr = '';

  private readonly exited: Promise<number | null>;

  private constructor(
    readonly process: ChildProcessWithoutNullStreams,
    readonly connection: ProtocolConnection,
    readonly options: TestClientOptions,
  ) {
    this.settings = { ...(options.settings ?? {}) };
    this.exited = new Promise((resolveExit) => {
      process.once('exit', (code) => {
        resolveExit(code);
      });
    });
    process.stderr.setEncoding('utf8');
    process.stderr.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.listen();
  }

  /** Spawns the server and runs `initialize` / `initialized`. */
  static async start(options: TestClientOptions): Promise<TestClient> {
    const child = spawn(process.execPath, [SERVER_PATH, '--stdio'], {
      env: { ...process.env, ...options.env },
      stdio: 'pipe',
    });
    const connection = createProtocolConnection(
      serverOutput(child.stdout),
      new StreamMessageWriter(child.stdin),
    );
    const client = new TestClient(child, connection, options);
    connection.listen();
    client.initializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      clientInfo: { name: options.clientName ?? 'protocol-tests', version: '1.0.0' },
      locale: 'en',
      // Deprecated but still required by the type; VS Code sends it too.
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      rootUri: APP_URI,
      workspaceFolders: [{ uri: APP_URI, name: 'app' }],
      capabilities: options.capabilities ?? vscodeCapabilities(options),
      initializationOptions: {
        ...(options.capabilities ? {} : { vscodeClient: true }),
        ...(options.configuration === false
          ? { stripeApps: structuredClone(client.settings) }
          : {}),
      },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  private listen(): void {
    const { connection } = this;
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.push(params);
    });
    connection.onNotification(LogMessageNotification.type, (params) => {
      this.logs.push(params);
    });
    connection.onNotification(ShowMessageNotification.type, (params) => {
      this.messages.push(params);
    });
    connection.onRequest(ConfigurationRequest.type, (params) => {
      this.configurationRequests.push(this.configurationRequests.mark());
      const answer = (): unknown[] =>
        params.items.map((item) =>
          item.section === 'stripeApps' ? structuredClone(this.settings) : null,
        );
      const hold = this.options.holdConfiguration;
      return hold ? hold.then(answer) : answer();
    });
    connection.onRequest(RegistrationRequest.type, () => undefined);
    connection.onRequest(UnregistrationRequest.type, () => undefined);
    connection.onRequest(DiagnosticRefreshRequest.type, () => {
      this.refreshes.push(this.refreshes.mark());
    });
    connection.onRequest(ApplyWorkspaceEditRequest.type, (params) => this.applyEdit(params));
  }

  /** Applies a server edit to the client's copy and tells the server, as an editor would. */
  private async applyEdit(params: ApplyWorkspaceEditParams): Promise<ApplyWorkspaceEditResult> {
    this.applyEdits.push(params);
    const answer = this.applyEditAnswer;
    if (!answer.applied) return answer;
    for (const [uri, version, edits] of editsOf(params.edit)) {
      const document = this.documents.get(uri);
      if (!document) return { applied: false, failureReason: `${uri} is not open` };
      if (version !== null && version !== document.version) {
        return { applied: false, failureReason: `${uri} is at version ${document.version}` };
      }
      await this.edit(uri, edits);
    }
    return { applied: true };
  }

  text(uri: string): string {
    const document = this.documents.get(uri);
    if (!document) throw new Error(`${uri} is not open`);
    return document.getText();
  }

  version(uri: string): number {
    const document = this.documents.get(uri);
    if (!document) throw new Error(`${uri} is not open`);
    return document.version;
  }

  async open(uri: string, text: string, languageId = 'json'): Promise<TextDocument> {
    const document = TextDocument.create(uri, languageId, 1, text);
    this.documents.set(uri, document);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text },
    });
    return document;
  }

  /** Replaces the whole text, sent as one incremental change over the old full range. */
  async change(uri: string, text: string): Promise<TextDocument> {
    const document = this.documents.get(uri);
    if (!document) throw new Error(`${uri} is not open`);
    const change: TextDocumentContentChangeEvent = {
      range: {
        start: { line: 0, character: 0 },
        end: document.positionAt(document.getText().length),
      },
      text,
    };
    return this.sendChanges(document, [change]);
  }

  /** Sends incremental edits (as VS Code does on typing). */
  async edit(uri: string, edits: readonly TextEdit[]): Promise<TextDocument> {
    const document = this.documents.get(uri);
    if (!document) throw new Error(`${uri} is not open`);
    // LSP applies content changes in order, each against the result of the previous one: send
    // the edits from the end backwards (later ones first at one offset), so every range holds.
    const ordered = edits
      .map((edit, index) => ({ edit, index, start: document.offsetAt(edit.range.start) }))
      .sort((a, b) => b.start - a.start || b.index - a.index)
      .map(({ edit }) => edit);
    return this.sendChanges(
      document,
      ordered.map((edit) => ({ range: edit.range, text: edit.newText })),
    );
  }

  private async sendChanges(
    document: TextDocument,
    changes: TextDocumentContentChangeEvent[],
  ): Promise<TextDocument> {
    const updated = TextDocument.update(document, changes, document.version + 1);
    this.documents.set(document.uri, updated);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: document.uri, version: updated.version },
      contentChanges: changes,
    });
    return updated;
  }

  async close(uri: string): Promise<void> {
    this.documents.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, {
      textDocument: { uri },
    });
  }

  /**
   * Changes the settings and notifies the server: as VS Code does (`settings: null`, the server
   * asks), or with the settings in the notification for a client without `workspace/configuration`.
   */
  async changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, {
      settings:
        this.options.configuration === false ? { stripeApps: structuredClone(settings) } : null,
    });
  }

  /** The first diagnostics published for `uri` (after `since`) that satisfy `matches`. */
  nextDiagnostics(
    uri: string,
    since = 0,
    matches: (params: PublishDiagnosticsParams) => boolean = () => true,
  ): Promise<PublishDiagnosticsParams> {
    return this.diagnostics.next(
      (params) => params.uri === uri && matches(params),
      since,
      `diagnostics for ${uri}`,
    );
  }

  /** Ends the session politely and answers the server's exit code. */
  async shutdown(): Promise<number | null> {
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const code = await this.exited;
    this.connection.dispose();
    return code;
  }

  /** For `after`: ends the process whatever state the test left it in. */
  dispose(): void {
    this.connection.dispose();
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill();
  }

  get exitCode(): Promise<number | null> {
    return this.exited;
  }
}

/** Every text edit of a workspace edit: [uri, version or null, edits]. */
export function editsOf(edit: WorkspaceEdit): [string, number | null, TextEdit[]][] {
  const result: [string, number | null, TextEdit[]][] = [];
  for (const change of edit.documentChanges ?? []) {
    if ('textDocument' in change) {
      result.push([
        change.textDocument.uri,
        change.textDocument.version,
        change.edits.filter((item): item is TextEdit => 'range' in item),
      ]);
    }
  }
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) result.push([uri, null, edits]);
  return result;
}
