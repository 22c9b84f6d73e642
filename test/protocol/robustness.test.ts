import assert from 'node:assert/strict';
import { fork, spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import {
  CodeActionKind,
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  DocumentDiagnosticRequest,
  ExecuteCommandRequest,
  ExitNotification,
  HoverRequest,
  IPCMessageReader,
  IPCMessageWriter,
  InitializeRequest,
  LSPErrorCodes,
  Message,
  MessageType,
  ShutdownRequest,
  createProtocolConnection,
  type Position,
  type ResponseMessage,
} from 'vscode-languageserver-protocol/node';
import { ServerCommands } from '../../server/src/protocol';
import { doc } from '../unit/util';
import { SERVER_PATH, TestClient, vscodeCapabilities } from './client';
import { APP_URI, CLEAN_MANIFEST, FLAWED_MANIFEST, MANIFEST_URI } from './manifests';
import { seededRandom as random } from '../support/seededRandom';
import { serverOutput } from '../support/serverOutput';

/** Garbage texts: random bytes read as Latin-1 and as UTF-8, JSON-ish noise, lone surrogates. */
function garbageTexts(): string[] {
  const next = random(20261126);
  const bytes = Buffer.from(Array.from({ length: 4096 }, () => Math.floor(next() * 256)));
  const jsonish = Array.from(
    { length: 3000 },
    () =>
      '{}[]:,"\\ \n\tpermission purpose / * 0 e - true null'.split(' ')[Math.floor(next() * 14)],
  ).join('');
  return [
    bytes.toString('latin1'),
    bytes.toString('utf8'),
    jsonish,
    `{"permissions": [{"permission": "\ud800", "purpose": "\udfff\u0000\u001b[5m"}]`,
    '{"permissions": [{"permission": ',
    '',
    '\ufeff{"permissions": "none"}',
    `{"permissions": ${'['.repeat(50_000)}`,
    '['.repeat(50_000),
    '{"a":'.repeat(20_000),
  ];
}

/** Positions spread over the document, including its very start and end. */
function positionsIn(text: string): Position[] {
  const document = doc(text);
  const offsets = [0, 1, Math.floor(text.length / 3), Math.floor(text.length / 2), text.length];
  return offsets.map((offset) => document.positionAt(Math.min(offset, text.length)));
}

describe('robustness: the server survives any text', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ pull: true });
  });
  after(() => {
    client.dispose();
  });

  it('answers every feature on garbage and deeply nested texts', async () => {
    const uri = MANIFEST_URI;
    const textDocument = { uri };
    let first = true;
    for (const text of garbageTexts()) {
      if (first) await client.open(uri, text);
      else await client.change(uri, text);
      first = false;
      const report = await client.connection.sendRequest(DocumentDiagnosticRequest.type, {
        textDocument,
      });
      assert.equal(report.kind, 'full');
      for (const position of positionsIn(text)) {
        await client.connection.sendRequest(CompletionRequest.type, { textDocument, position });
        await client.connection.sendRequest(HoverRequest.type, { textDocument, position });
        await client.connection.sendRequest(CodeActionRequest.type, {
          textDocument,
          range: { start: { line: 0, character: 0 }, end: position },
          context: {
            diagnostics: 'items' in report ? report.items : [],
            only: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll, CodeActionKind.Refactor],
          },
        });
      }
      await client.connection.sendRequest(CodeLensRequest.type, { textDocument });
      const granted: unknown = await client.connection.sendRequest(ExecuteCommandRequest.type, {
        command: ServerCommands.grantPermission,
        arguments: [
          {
            uri,
            version: client.version(uri),
            permission: 'charge_read',
            purpose: 'Lists charges.',
          },
        ],
      });
      assert.ok(granted !== null && typeof granted === 'object' && 'status' in granted);
    }
    // Not one handler failed (a failure is logged before its default answer is sent).
    assert.deepEqual(
      client.logs.events.filter((log) => log.type === MessageType.Error),
      [],
    );
    // Still healthy: a normal manifest gets its normal answers.
    await client.change(uri, FLAWED_MANIFEST);
    const report = await client.connection.sendRequest(DocumentDiagnosticRequest.type, {
      textDocument,
    });
    assert.deepEqual('items' in report ? report.items.map((item) => item.code) : [], [
      'unknown-permission',
      'placeholder-purpose',
    ]);
  });

  it('answers a push client with diagnostics for garbage too', async () => {
    const push = await TestClient.start({ pull: false });
    try {
      const uris = garbageTexts().map((text, index) => {
        const uri = `${APP_URI}/garbage${index}/stripe-app.json`;
        return push.open(uri, text).then(() => push.nextDiagnostics(uri));
      });
      await Promise.all(uris);
    } finally {
      push.dispose();
    }
  });

  it('shuts down cleanly on shutdown + exit (exit code 0)', async () => {
    assert.equal(await client.shutdown(), 0);
  });
});

describe('a failing handler (STRIPE_APPS_TEST_FAIL_HANDLER=hover)', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({
      pull: true,
      env: { STRIPE_APPS_TEST_FAIL_HANDLER: 'hover' },
    });
    await client.open(MANIFEST_URI, CLEAN_MANIFEST);
  });
  after(() => {
    client.dispose();
  });

  it('logs the error, answers the empty result and keeps serving', async () => {
    const since = client.logs.mark();
    const textDocument = { uri: MANIFEST_URI };
    const position = { line: 6, character: 25 };
    assert.equal(
      await client.connection.sendRequest(HoverRequest.type, { textDocument, position }),
      null,
    );
    const logged = await client.logs.next(
      (log) => log.type === MessageType.Error && log.message.includes('Injected failure'),
      since,
    );
    assert.match(logged.message, /hover/);
    // The other handlers still work, and so does hover's wrapper on the next call.
    const completion = await client.connection.sendRequest(CompletionRequest.type, {
      textDocument,
      position,
    });
    assert.ok(completion && 'items' in completion && completion.items.length > 0);
    assert.equal(
      await client.connection.sendRequest(HoverRequest.type, { textDocument, position }),
      null,
    );
    assert.equal(client.process.exitCode, null);
    assert.equal(await client.shutdown(), 0);
  });
});

/** A JSON-RPC message as bytes on the wire (`Content-Length` header and body). */
function frame(message: object): Buffer {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}

describe('cancellation', () => {
  it('answers RequestCancelled for a request cancelled before it ran', async () => {
    // Raw bytes, so the request and its $/cancelRequest reach the server in one write (a client
    // library writes them separately, and the server may well answer in between).
    const child = spawn(process.execPath, [SERVER_PATH, '--stdio'], { stdio: 'pipe' });
    const reader = serverOutput(child.stdout);
    const responses = new Map<number, (message: ResponseMessage) => void>();
    reader.listen((message) => {
      if (Message.isResponse(message) && typeof message.id === 'number') {
        responses.get(message.id)?.(message);
      }
    });
    const response = (id: number): Promise<ResponseMessage> =>
      new Promise((resolve) => {
        responses.set(id, resolve);
      });
    try {
      const initialized = response(1);
      child.stdin.write(
        frame({
          id: 1,
          method: 'initialize',
          params: {
            processId: null,
            rootUri: null,
            capabilities: vscodeCapabilities({ pull: true }),
          },
        }),
      );
      await initialized;
      const hovered = response(2);
      child.stdin.write(
        Buffer.concat([
          frame({ method: 'initialized', params: {} }),
          frame({
            method: 'textDocument/didOpen',
            params: {
              textDocument: {
                uri: MANIFEST_URI,
                languageId: 'json',
                version: 1,
                text: CLEAN_MANIFEST,
              },
            },
          }),
          frame({
            id: 2,
            method: 'textDocument/hover',
            params: { textDocument: { uri: MANIFEST_URI }, position: { line: 6, character: 25 } },
          }),
          frame({ method: '$/cancelRequest', params: { id: 2 } }),
        ]),
      );
      const answer = await hovered;
      assert.equal(answer.error?.code, LSPErrorCodes.RequestCancelled);
      assert.equal(answer.result, undefined);
    } finally {
      reader.dispose();
      child.kill();
    }
  });
});

describe('the --node-ipc transport', () => {
  it('initializes and shuts down over IPC', async () => {
    const child = fork(SERVER_PATH, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', resolve);
    });
    const connection = createProtocolConnection(
      new IPCMessageReader(child),
      new IPCMessageWriter(child),
    );
    connection.listen();
    try {
      const result = await connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        // eslint-disable-next-line @typescript-eslint/no-deprecated
        rootUri: null,
        capabilities: vscodeCapabilities({ pull: true }),
      });
      assert.equal(result.capabilities.hoverProvider, true);
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      assert.equal(await exited, 0);
    } finally {
      connection.dispose();
      if (child.exitCode === null) child.kill();
    }
  });
});
