import * as path from 'node:path';
import type * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  State,
  TransportKind,
  RevealOutputChannelOn,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  CheckPurposeRequest,
  ManifestInfoRequest,
  ServerCommands,
  type CheckPurposeParams,
  type CheckPurposeResult,
  type GrantPermissionParams,
  type InitializationOptions,
  type ManifestInfoParams,
  type ManifestInfoResult,
  type PermissionCommandResult,
  type PermissionListPath,
  type RevokePermissionParams,
} from '../../server/src/protocol';
import { selectTextMiddleware } from './commands/selectText';
import { isManifestDocument, MANIFEST_SELECTOR, SOURCE_SELECTOR } from './manifestFiles';

export type ServerState = 'starting' | 'running' | 'stopped' | 'failed';

/**
 * The language server as the rest of the client sees it: started once, on demand (the first
 * manifest in the workspace or in an editor), with typed wrappers for the custom requests and the
 * server commands.
 */
export class ManifestLanguageServer implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;
  private readonly stateListeners: ((state: ServerState) => void)[] = [];

  constructor(
    private readonly extensionPath: string,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  onDidChangeState(listener: (state: ServerState) => void): void {
    this.stateListeners.push(listener);
  }

  /** Starts the server unless it is started or starting; resolves once it is running. */
  start(): Promise<LanguageClient> {
    this.starting ??= this.startClient().catch((error: unknown) => {
      // Let a later command try again.
      this.starting = undefined;
      this.emit('failed');
      throw error;
    });
    return this.starting;
  }

  get isStarted(): boolean {
    return this.starting !== undefined;
  }

  async manifestInfo(uri: vscode.Uri): Promise<ManifestInfoResult> {
    const client = await this.start();
    const params: ManifestInfoParams = { uri: client.code2ProtocolConverter.asUri(uri) };
    return client.sendRequest<ManifestInfoResult>(ManifestInfoRequest, params);
  }

  async checkPurpose(
    params: Omit<CheckPurposeParams, 'uri'> & { uri?: vscode.Uri },
    token?: vscode.CancellationToken,
  ): Promise<CheckPurposeResult> {
    const client = await this.start();
    const request: CheckPurposeParams = {
      permission: params.permission,
      purpose: params.purpose,
      ...(params.uri && { uri: client.code2ProtocolConverter.asUri(params.uri) }),
    };
    // An `undefined` token must not be passed: the JSON-RPC layer would send it as a second param.
    return token
      ? client.sendRequest<CheckPurposeResult>(CheckPurposeRequest, request, token)
      : client.sendRequest<CheckPurposeResult>(CheckPurposeRequest, request);
  }

  grant(
    document: vscode.TextDocument,
    params: Omit<GrantPermissionParams, 'uri' | 'version'>,
  ): Promise<PermissionCommandResult | null> {
    return this.executeCommand(ServerCommands.grantPermission, document, params);
  }

  revoke(
    document: vscode.TextDocument,
    params: Omit<RevokePermissionParams, 'uri' | 'version'>,
  ): Promise<PermissionCommandResult | null> {
    return this.executeCommand(ServerCommands.revokePermission, document, params);
  }

  /** Revokes several names in one edit (one undo step); one result per distinct name. */
  revokeAll(
    document: vscode.TextDocument,
    permissions: readonly string[],
    list?: PermissionListPath,
  ): Promise<PermissionCommandResult[] | null> {
    return this.executeCommand<PermissionCommandResult[]>(
      ServerCommands.revokePermissions,
      document,
      { permissions, ...(list && { list }) },
    );
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.starting = undefined;
    if (client?.needsStop()) await client.stop();
  }

  dispose(): void {
    void this.stop();
  }

  /**
   * Runs a server command against the document's current version. The server answers `null` only
   * when it failed (its log says why).
   */
  private async executeCommand<T = PermissionCommandResult>(
    command: string,
    document: vscode.TextDocument,
    params: object,
  ): Promise<T | null> {
    const client = await this.start();
    const argument = {
      uri: client.code2ProtocolConverter.asUri(document.uri),
      version: document.version,
      ...params,
    };
    return client.sendRequest(ExecuteCommandRequest.type, {
      command,
      arguments: [argument],
    }) as Promise<T | null>;
  }

  private async startClient(): Promise<LanguageClient> {
    const module = path.join(this.extensionPath, 'dist', 'server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: {
        module,
        transport: TransportKind.ipc,
        options: { execArgv: ['--nolazy', '--inspect=6009'] },
      },
    };
    const clientOptions: LanguageClientOptions = {
      // Manifests, and the app's UI extension code: the server finds the calls in the open
      // source files of an app folder and publishes its findings on them (issue 14). The
      // server is only started once there is a manifest, so no TypeScript workspace without a
      // Stripe app pays for this.
      documentSelector: [...MANIFEST_SELECTOR, ...SOURCE_SELECTOR],
      // The server asks for the file events it needs (manifests and source files changed on
      // disk) by registering watchers itself, as it does with every client that can.
      synchronize: { configurationSection: 'stripeApps' },
      // This client runs VS Code's commands (the server gives other editors its own), and has
      // the select-text command the server may then put in quick fixes.
      initializationOptions: {
        vscodeClient: true,
        selectTextCommand: true,
      } satisfies InitializationOptions,
      // Source files get the findings, hovers and quick fixes of the code analysis; completion
      // (triggered by every `"` and `:` typed) and code lenses are the manifest's only.
      middleware: {
        provideCompletionItem: (document, position, context, token, next) =>
          isManifestDocument(document) ? next(document, position, context, token) : undefined,
        provideCodeLenses: (document, token, next) =>
          isManifestDocument(document) ? next(document, token) : [],
        ...selectTextMiddleware,
      },
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
    };
    // The id makes the client read `stripeApps.trace.server`.
    const client = new LanguageClient('stripeApps', 'Stripe Apps', serverOptions, clientOptions);
    this.client = client;
    let ready = false;
    client.onDidChangeState(({ newState }) => {
      if (newState === State.Starting) this.emit('starting');
      else if (newState === State.Stopped) this.emit('stopped');
      // "running" is only said once start() has resolved (a restart after a crash, or below).
      else if (ready) this.emit('running');
    });
    this.emit('starting');
    await client.start();
    ready = true;
    this.output.info('Stripe Apps language server is ready');
    this.emit('running');
    return client;
  }

  private emit(state: ServerState): void {
    for (const listener of this.stateListeners) listener(state);
  }
}
