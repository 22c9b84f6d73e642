import {
  ErrorCodes,
  ResponseError,
  TextDocuments,
  type CancellationToken,
  type Connection,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { runSafe } from '../runner';
import {
  createManifestLanguageService,
  type ManifestLanguageService,
} from '../service/languageService';
import { isManifestFileName, type ManifestDocument } from '../service/manifestDocument';
import { readClientSupport, type ClientSupport } from './clientSupport';

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

export interface OpenManifest {
  document: TextDocument;
  manifest: ManifestDocument;
}

/** What every part of the server shares: the connection, the open documents, the service. */
export class ServerContext {
  readonly documents = new TextDocuments(TextDocument);
  readonly service: ManifestLanguageService = createManifestLanguageService();
  support: ClientSupport = readClientSupport(undefined, undefined);
  /** After `shutdown`, requests are refused (LSP: InvalidRequest) and nothing more is pushed. */
  shuttingDown = false;
  /** Handlers wait (briefly) for the first settings so the first results already honour them. */
  settingsReady: Promise<void> = Promise.resolve();
  /** Manifests by last open or change, the latest last: commands without a URI act on it. */
  private readonly activeManifests: string[] = [];

  constructor(
    readonly connection: Connection,
    private readonly options: ServerOptions,
  ) {}

  readonly logError = (message: string): void => {
    this.connection.console.error(message);
  };

  failpoint(name: HandlerName): void {
    if (this.options.failHandler === name) {
      throw new Error(`Injected failure in the ${name} handler (STRIPE_APPS_TEST_FAIL_HANDLER)`);
    }
  }

  /** Runs a request handler: refused after shutdown, errors logged and answered by default. */
  safe<T, E = void>(
    fn: () => T | PromiseLike<T>,
    defaultValue: T,
    errorMessage: string,
    token: CancellationToken,
  ): Promise<T | ResponseError<E>> {
    if (this.shuttingDown) return Promise.resolve(shutDownError<E>());
    return runSafe<T, E>(fn, defaultValue, errorMessage, token, this.logError);
  }

  /**
   * A request about one open document (a manifest or a source file of an app): refused after
   * shutdown, waits (briefly) for the settings, answers `empty` for a document that is not open,
   * logs and answers `empty` on error.
   */
  forOpenDocument<T, E = void>(
    name: HandlerName,
    uri: string,
    what: string,
    empty: T,
    token: CancellationToken,
    answer: (document: TextDocument) => T,
  ): Promise<T | ResponseError<E>> {
    return this.safe<T, E>(
      async () => {
        await this.settingsReady;
        this.failpoint(name);
        const document = this.documents.get(uri);
        return document ? answer(document) : empty;
      },
      empty,
      `Error computing ${what} for ${uri}`,
      token,
    );
  }

  /** Like `forOpenDocument`, for manifests only: anything else is answered `empty`. */
  forDocument<T, E = void>(
    name: HandlerName,
    uri: string,
    what: string,
    empty: T,
    token: CancellationToken,
    answer: (found: OpenManifest) => T,
  ): Promise<T | ResponseError<E>> {
    return this.forOpenDocument<T, E>(name, uri, what, empty, token, (document) => {
      const found = this.manifestAt(document.uri);
      return found ? answer(found) : empty;
    });
  }

  /** The open manifest at `uri` and its parse, or undefined for anything else. */
  manifestAt(uri: string): OpenManifest | undefined {
    const document = this.documents.get(uri);
    if (!document || !isManifestUri(uri)) return undefined;
    return { document, manifest: this.service.parseManifest(document) };
  }

  markActive(uri: string): void {
    if (!isManifestUri(uri)) return;
    this.forgetActive(uri);
    this.activeManifests.push(uri);
  }

  forgetActive(uri: string): void {
    const index = this.activeManifests.indexOf(uri);
    if (index >= 0) this.activeManifests.splice(index, 1);
  }

  /** The manifest opened or changed last. */
  get activeManifest(): string | undefined {
    return this.activeManifests.at(-1);
  }
}

export function shutDownError<E>(): ResponseError<E> {
  return new ResponseError<E>(ErrorCodes.InvalidRequest, 'The server is shutting down');
}

/** The document a request names, for log lines (a malformed request may name none). */
export function uriOf(params: { textDocument?: { uri?: unknown } }): string {
  const uri = params.textDocument?.uri;
  return typeof uri === 'string' ? uri : '(no document)';
}

/** Features only for manifest files (the client's selector agrees). */
export function isManifestUri(uri: string): boolean {
  let path = uri;
  try {
    path = decodeURIComponent(new URL(uri).pathname);
  } catch {
    // Not a URL (or badly escaped): judge the raw string.
  }
  return isManifestFileName(path);
}

/** The file path of a `file:` URI, else undefined. */
export function filePathOf(uri: string): string | undefined {
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
