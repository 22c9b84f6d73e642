/**
 * `node --import tsx scripts/bench/appServer.ts [APP_DIR...]`: the language server (dist/server.js)
 * with an app's code indexed. For each app folder (default: the largest app of
 * ../shared/corpus/apps, and a 232-file app made of four copies of it), the server opens the
 * manifest, reads the app in the background, and the figures are taken once it logs that it has:
 * private memory (RssAnon) against a bare Node process (target: at most bare + 50 MB), the time
 * from didOpen to the manifest's first diagnostics (the analysis must not delay them), and to the
 * end of the analysis, and the slowest answer to a hover sent every few ms meanwhile (what a user
 * typing then could feel).
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageWriter,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { bareNodeMemory, memoryOf } from './serverProcess';
import { serverOutput } from '../../test/support/serverOutput';

const ROOT = path.join(__dirname, '..', '..');
/** How long the server idles after the analysis before its memory is read. */
const IDLE_MS = 5_000;
const APPS = path.join(ROOT, '..', 'shared', 'corpus', 'apps');

function sourceCount(folder: string): number {
  let count = 0;
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(?:ts|tsx|js|jsx)$/.test(name)) count++;
    }
  };
  walk(path.join(folder, 'src'));
  return count;
}

async function measure(folder: string): Promise<string> {
  const manifestPath = ['stripe-app.json', 'stripe-app.yaml']
    .map((name) => path.join(folder, name))
    .find((file) => {
      try {
        return statSync(file).isFile();
      } catch {
        return false;
      }
    });
  if (!manifestPath) throw new Error(`no manifest in ${folder}`);
  const uri = pathToFileURL(manifestPath).href;
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'server.js'), '--stdio'], {
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  if (child.pid === undefined) throw new Error('could not start the server');
  const connection = createProtocolConnection(
    serverOutput(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  let firstDiagnostics: number | undefined;
  let analysed: () => void = () => undefined;
  const done = new Promise<string>((resolve) => {
    connection.onNotification(LogMessageNotification.type, (params) => {
      if (params.message.startsWith('Read the UI code')) {
        analysed();
        resolve(params.message);
      }
    });
  });
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    if (params.uri === uri) firstDiagnostics ??= performance.now();
  });
  connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => null));
  connection.onRequest(RegistrationRequest.type, () => undefined);
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- required by the type
    rootUri: null,
    workspaceFolders: null,
    capabilities: { workspace: { configuration: true } },
  });
  await connection.sendNotification(InitializedNotification.type, {});
  const opened = performance.now();
  let analysedAt = 0;
  analysed = () => {
    analysedAt = performance.now();
  };
  await connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: {
      uri,
      languageId: manifestPath.endsWith('.yaml') ? 'yaml' : 'json',
      version: 1,
      text: readFileSync(manifestPath, 'utf8'),
    },
  });
  // Requests keep coming while the app is read: the slowest answer is what a user could feel.
  let slowest = 0;
  const reading = { done: false };
  const probing = (async () => {
    while (!reading.done) {
      const sent = performance.now();
      await connection.sendRequest(HoverRequest.type, {
        textDocument: { uri },
        position: { line: 0, character: 0 },
      });
      slowest = Math.max(slowest, performance.now() - sent);
      await new Promise((resolve) => {
        setTimeout(resolve, 5);
      });
    }
  })();
  const message = await done;
  reading.done = true;
  await probing;
  const atDone = await memoryOf(child.pid);
  // Then idle, as a server is between keystrokes: V8 collects what the scan left behind.
  await new Promise((resolve) => {
    setTimeout(resolve, IDLE_MS);
  });
  const memory = await memoryOf(child.pid);
  console.error(`  (RssAnon when the analysis was done: ${(atDone.anon / 1048576).toFixed(1)} MB)`);
  await connection.sendRequest(ShutdownRequest.type);
  await connection.sendNotification(ExitNotification.type);
  connection.dispose();
  child.kill();
  const diagnosticsMs = (firstDiagnostics ?? analysedAt) - opened;
  return `${path.basename(folder).slice(0, 40).padEnd(40)} ${String(sourceCount(folder)).padStart(5)} ${(memory.anon / 1048576).toFixed(1).padStart(8)} MB ${diagnosticsMs.toFixed(0).padStart(6)} ms ${(analysedAt - opened).toFixed(0).padStart(7)} ms ${slowest.toFixed(0).padStart(6)} ms   ${message.replace(/^.*: /, '')}`;
}

async function main(): Promise<void> {
  let folders = process.argv.slice(2);
  let scratch: string | undefined;
  if (folders.length === 0) {
    const apps = readdirSync(APPS)
      .filter((name) => name.includes('__'))
      .map((name) => path.join(APPS, name))
      .filter((folder) => {
        try {
          return statSync(path.join(folder, 'src')).isDirectory();
        } catch {
          return false;
        }
      });
    const largest = apps.sort((a, b) => sourceCount(b) - sourceCount(a))[0];
    if (!largest) throw new Error(`no app with sources in ${APPS}`);
    scratch = mkdtempSync(path.join(tmpdir(), 'app-server-'));
    cpSync(largest, scratch, { recursive: true });
    for (let copy = 1; copy < 4; copy++) {
      cpSync(path.join(largest, 'src'), path.join(scratch, 'src', `copy${copy}`), {
        recursive: true,
      });
    }
    folders = [largest, scratch];
  }
  try {
    const bare = await bareNodeMemory();
    console.log(`bare node: RssAnon ${(bare.anon / 1048576).toFixed(1)} MB (target: + 50 MB)`);
    console.log(`${'app'.padEnd(40)} files  RssAnon    open→diagnostics  open→analysed`);
    for (const folder of folders) console.log(await measure(folder));
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

void main();
