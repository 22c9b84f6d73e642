/**
 * The live server with adversarial documents over the wire: a 50 MB manifest (above the size
 * limit), a 1 MB one-line manifest (analysed, with requests cancelled around its analysis),
 * 100 000 nested arrays, and the size limit lowered while a document is open. Waits are on
 * answers and notifications only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import {
  CancellationTokenSource,
  CompletionRequest,
  DocumentDiagnosticRequest,
  HoverRequest,
  LSPErrorCodes,
  MessageType,
  ResponseError,
  type Diagnostic,
} from 'vscode-languageserver-protocol/node';
import { catalog } from '../../server/src/service';
import { manifestWith } from '../unit/util';
import { TestClient } from './client';
import { CLEAN_MANIFEST, MANIFEST_URI } from './manifests';
import { freshDiagnostics, rssKb } from './expectations';

const GOOD_PURPOSE = "Shows the customer's name next to each invoice.";

async function pull(client: TestClient, uri: string): Promise<Diagnostic[]> {
  const report = await client.connection.sendRequest(DocumentDiagnosticRequest.type, {
    textDocument: { uri },
  });
  assert.equal(report.kind, 'full');
  return 'items' in report ? report.items : [];
}

describe('robustness: large and deep documents over the wire', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ pull: true });
  });
  after(() => {
    client.dispose();
  });

  it('a 50 MB manifest: one document-too-large, empty answers, the server stays responsive', async (t: TestContext) => {
    const entry = `{ "permission": "customer_read", "purpose": "${GOOD_PURPOSE}" }`;
    const count = Math.ceil((50 * 1024 * 1024) / (entry.length + 6));
    const text = manifestWith(
      `[\n${Array.from({ length: count }, () => `    ${entry}`).join(',\n')}\n  ]`,
    );
    const uri = 'file:///big/stripe-app.json';
    const started = Date.now();
    await client.open(uri, text);
    const diagnostics = await pull(client, uri);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.message]),
      [
        [
          'document-too-large',
          `File not analysed: ${text.length.toLocaleString('en-US')} characters, over stripeApps.maxDocumentSize (10,485,760).`,
        ],
      ],
    );
    const position = { line: 7, character: 24 };
    const textDocument = { uri };
    assert.deepEqual(
      await client.connection.sendRequest(CompletionRequest.type, { textDocument, position }),
      { isIncomplete: false, items: [] },
    );
    assert.equal(
      await client.connection.sendRequest(HoverRequest.type, { textDocument, position }),
      null,
    );
    // Another document is still served normally.
    await client.open(MANIFEST_URI, CLEAN_MANIFEST);
    assert.deepEqual(await pull(client, MANIFEST_URI), []);
    const elapsed = Date.now() - started;
    await client.close(uri);
    await client.close(MANIFEST_URI);
    t.diagnostic(
      `${text.length} characters: ${elapsed} ms, server RSS ${rssKb(client.process.pid)} kB`,
    );
  });

  it('a 1 MB one-line manifest: analysed as in process; requests around it answered or cancelled', async (t: TestContext) => {
    const names = catalog.permissions.map((info) => info.name);
    const entries = Array.from({ length: 9000 }, (_, index) => ({
      permission: names[index % names.length] ?? 'customer_read',
      purpose: `${GOOD_PURPOSE} (${index})`,
    }));
    const text = JSON.stringify({ id: 'com.example.app', version: '1.0.0', permissions: entries });
    assert.ok(text.length > 700_000 && !text.includes('\n'));
    const uri = 'file:///line/stripe-app.json';
    const textDocument = { uri };
    await client.open(uri, text);
    const outcomes: Promise<string>[] = [];
    for (let index = 0; index < 20; index++) {
      const source = new CancellationTokenSource();
      const position = { line: 0, character: Math.floor((text.length * index) / 20) };
      const requests = [
        client.connection.sendRequest(
          DocumentDiagnosticRequest.type,
          { textDocument },
          source.token,
        ),
        client.connection.sendRequest(
          CompletionRequest.type,
          { textDocument, position },
          source.token,
        ),
      ];
      if (index % 2 === 0) source.cancel();
      for (const request of requests) {
        outcomes.push(
          request.then(
            () => 'answered',
            (reason: unknown) =>
              reason instanceof ResponseError && reason.code === LSPErrorCodes.RequestCancelled
                ? 'cancelled'
                : `failed: ${String(reason)}`,
          ),
        );
      }
    }
    const results = await Promise.all(outcomes);
    assert.deepEqual(
      results.filter((result) => result !== 'answered' && result !== 'cancelled'),
      [],
    );
    // Cancellation is honoured: the requests cancelled while the server analysed the text are
    // refused unstarted (the very first may have started before its cancellation arrived).
    const cancelled = results.filter((result) => result === 'cancelled').length;
    assert.ok(cancelled >= 18 && cancelled <= 20, `${cancelled} cancelled`);
    assert.ok(results.includes('answered'));
    t.diagnostic(
      `${results.filter((r) => r === 'answered').length} answered, ${results.filter((r) => r === 'cancelled').length} cancelled`,
    );
    // Every repeat is found (in process, without the cut); the server reports the first 1 000
    // (the default maxNumberOfProblems) and a note saying how many are left out.
    const all = freshDiagnostics(text, { uri, settings: { maxNumberOfProblems: 0 } });
    assert.equal(
      all.filter((d) => d.code === 'duplicate-permission').length,
      entries.length - names.length,
    );
    const diagnostics = await pull(client, uri);
    assert.equal(diagnostics.length, 1001);
    assert.equal(diagnostics.filter((d) => d.code === 'too-many-problems').length, 1);
    assert.deepEqual(diagnostics, freshDiagnostics(text, { uri }));
    await client.close(uri);
  });

  it('100 000 nested arrays: a too-deep diagnostic and no crash', async () => {
    const uri = 'file:///deep/stripe-app.json';
    await client.open(uri, `{"permissions": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    const diagnostics = await pull(client, uri);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.message]),
      [['document-too-large', 'File not analysed: nested too deeply to parse.']],
    );
    assert.deepEqual(
      await client.connection.sendRequest(CompletionRequest.type, {
        textDocument: { uri },
        position: { line: 0, character: 50_000 },
      }),
      { isIncomplete: false, items: [] },
    );
    await client.close(uri);
    assert.equal(client.process.exitCode, null);
  });

  it('the size limit lowered while a document is open: a refresh, then document-too-large', async () => {
    const uri = MANIFEST_URI;
    await client.open(uri, CLEAN_MANIFEST);
    assert.deepEqual(await pull(client, uri), []);
    const since = client.refreshes.mark();
    await client.changeSettings({ maxDocumentSize: 100 });
    await client.refreshes.next(() => true, since);
    assert.deepEqual(
      (await pull(client, uri)).map((d): unknown[] => [d.code, d.data as unknown]),
      [['document-too-large', { reason: 'too-large', size: CLEAN_MANIFEST.length, limit: 100 }]],
    );
    const back = client.refreshes.mark();
    await client.changeSettings({});
    await client.refreshes.next(() => true, back);
    assert.deepEqual(await pull(client, uri), []);
    await client.close(uri);
    assert.deepEqual(
      client.logs.events.filter((log) => log.type === MessageType.Error),
      [],
    );
  });
});
