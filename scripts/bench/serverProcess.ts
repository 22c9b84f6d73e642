/**
 * Whole-process figures of the language server: cold start to the first pushed diagnostics and
 * resident memory, each beside a bare `node` process.
 *
 * The client speaks JSON-RPC over stdio like VS Code does, in push mode: no
 * `textDocument.diagnostic` capability, so the server publishes diagnostics itself. It announces
 * `workspace.configuration` (as VS Code does) and answers every configuration item with `null`
 * (the defaults).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageWriter,
  WorkDoneProgressCreateRequest,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { serverOutput } from '../../test/support/serverOutput';

export interface ServerRun {
  /** Spawn to the `initialize` answer, ms. */
  readonly initializeMs: number;
  /** Spawn to the first `publishDiagnostics` of the opened manifest, ms. */
  readonly firstDiagnosticsMs: number;
  /** `didOpen` sent to its `publishDiagnostics`, ms: the server's parse and validation. */
  readonly openToDiagnosticsMs: number;
  readonly diagnostics: number;
  /** The server's memory after the diagnostics arrived. */
  readonly memory: ProcessMemory;
  /** …and `idleMs` later, nothing asked of the server meanwhile. */
  readonly memoryAfterIdle?: ProcessMemory;
}

/** Resident memory of a process, bytes (Linux `/proc/<pid>/status`). */
export interface ProcessMemory {
  /** VmRSS: all resident pages. */
  readonly rss: number;
  /** VmHWM: the peak of VmRSS. */
  readonly hwm: number;
  /** RssAnon: private memory (heaps, stacks); what the process costs. */
  readonly anon: number;
  /**
   * RssFile: resident pages of mapped files, mostly the `node` executable's code and data; clean,
   * shared with other processes running the same executable, reclaimable by the kernel.
   */
  readonly file: number;
}

const URI = 'file:///bench/app/stripe-app.json';
const TIMEOUT_MS = 60_000;

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else
      child.once('exit', () => {
        resolve();
      });
  });
}

/** The memory of a process, from `/proc/<pid>/status` (Linux). */
export async function memoryOf(pid: number): Promise<ProcessMemory> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!match?.[1]) throw new Error(`no ${field} in /proc/${pid}/status`);
    return Number(match[1]) * 1024;
  };
  return { rss: kib('VmRSS'), hwm: kib('VmHWM'), anon: kib('RssAnon'), file: kib('RssFile') };
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`timed out waiting for ${what}`));
    }, TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

/** Starts the server, opens one manifest, waits for its diagnostics, measures, shuts down. */
export async function runServer(
  serverPath: string,
  manifestText: string,
  /** Also read the memory this long after the diagnostics, the server left idle. */
  idleMs = 0,
): Promise<ServerRun> {
  const start = performance.now();
  const child = spawn(process.execPath, [serverPath, '--stdio'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const { stdin, stdout, stderr, pid } = child;
  if (pid === undefined) throw new Error(`could not start ${serverPath}`);
  // The server's last words, for the error when it never answers.
  let stderrTail = '';
  stderr.setEncoding('utf8');
  stderr.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-2000);
  });
  const connection: ProtocolConnection = createProtocolConnection(
    serverOutput(stdout),
    new StreamMessageWriter(stdin),
  );
  let firstDiagnostics: (params: PublishDiagnosticsParams) => void = () => undefined;
  const diagnosticsArrived = new Promise<{ at: number; count: number }>((resolve) => {
    firstDiagnostics = (params) => {
      if (params.uri === URI) resolve({ at: performance.now(), count: params.diagnostics.length });
    };
  });
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    firstDiagnostics(params);
  });
  // workspace/configuration → the defaults; capability registration and progress → accepted.
  connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => null));
  connection.onRequest(RegistrationRequest.type, () => undefined);
  connection.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
  connection.listen();
  try {
    await withTimeout(
      Promise.resolve(
        connection.sendRequest(InitializeRequest.type, {
          processId: process.pid,
          // eslint-disable-next-line @typescript-eslint/no-deprecated -- required by the type
          rootUri: null,
          workspaceFolders: null,
          capabilities: {
            workspace: { configuration: true },
            textDocument: {
              synchronization: { dynamicRegistration: false },
              publishDiagnostics: { relatedInformation: true, versionSupport: true },
              codeAction: {
                codeActionLiteralSupport: {
                  codeActionKind: { valueSet: ['quickfix', 'refactor', 'source'] },
                },
              },
            },
          },
        }),
      ),
      'initialize',
    );
    const initializeMs = performance.now() - start;
    await connection.sendNotification(InitializedNotification.type, {});
    const openedAt = performance.now();
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: URI, languageId: 'json', version: 1, text: manifestText },
    });
    const arrived = await withTimeout(diagnosticsArrived, 'publishDiagnostics').catch(
      (error: unknown) => {
        const exit = child.exitCode ?? child.signalCode ?? 'still running';
        throw new Error(`${String(error)} (server: ${exit}; stderr: ${stderrTail || 'empty'})`);
      },
    );
    const memory = await memoryOf(pid);
    const memoryAfterIdle =
      idleMs > 0
        ? await new Promise<ProcessMemory>((resolve, reject) => {
            setTimeout(() => {
              memoryOf(pid).then(resolve, reject);
            }, idleMs);
          })
        : undefined;
    return {
      initializeMs,
      firstDiagnosticsMs: arrived.at - start,
      openToDiagnosticsMs: arrived.at - openedAt,
      diagnostics: arrived.count,
      memory,
      ...(memoryAfterIdle && { memoryAfterIdle }),
    };
  } finally {
    try {
      await withTimeout(Promise.resolve(connection.sendRequest(ShutdownRequest.type)), 'shutdown');
      await connection.sendNotification(ExitNotification.type);
      await withTimeout(exited(child), 'server exit');
    } catch {
      child.kill();
    }
    connection.dispose();
  }
}

/** Spawn of `node -e ""` to its exit, ms. */
export async function bareNodeStart(): Promise<number> {
  const start = performance.now();
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await exited(child);
  return performance.now() - start;
}

/** The memory of an idle bare Node process, read once it has started. */
export async function bareNodeMemory(): Promise<ProcessMemory> {
  const child = spawn(
    process.execPath,
    ['-e', 'process.stdout.write("ready\\n"); setInterval(() => {}, 1000);'],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const { pid, stdout } = child;
  if (pid === undefined) throw new Error('could not start node');
  await withTimeout(
    new Promise<void>((resolve) => {
      stdout.once('data', () => {
        resolve();
      });
    }),
    'bare node',
  );
  try {
    return await memoryOf(pid);
  } finally {
    child.kill();
    await exited(child);
  }
}
