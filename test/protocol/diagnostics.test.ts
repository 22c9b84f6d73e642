import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DiagnosticSeverity,
  DocumentDiagnosticReportKind,
  DocumentDiagnosticRequest,
  type DocumentDiagnosticReport,
  type FullDocumentDiagnosticReport,
} from 'vscode-languageserver-protocol/node';
import { doc, rangeOf } from '../unit/util';
import { TestClient } from './client';
import { APP_URI, CLEAN_MANIFEST, FLAWED_MANIFEST, MANIFEST_URI, summarize } from './manifests';

const FIXED_NAME = FLAWED_MANIFEST.replace('customers_write', 'customer_write');

/** The diagnostics of FLAWED_MANIFEST: the misspelt name (with its quotes) and the placeholder. */
function flawedDiagnostics(placeholderSeverity: DiagnosticSeverity = DiagnosticSeverity.Warning) {
  const document = doc(FLAWED_MANIFEST);
  return [
    {
      code: 'unknown-permission',
      severity: DiagnosticSeverity.Error,
      range: rangeOf(document, '"customers_write"'),
    },
    {
      code: 'placeholder-purpose',
      severity: placeholderSeverity,
      range: rangeOf(document, 'test'),
    },
  ];
}

describe('push diagnostics (a client without textDocument/diagnostic)', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ pull: false });
  });
  after(() => {
    client.dispose();
  });

  it('advertises no diagnostic provider', () => {
    assert.equal(client.initializeResult.capabilities.diagnosticProvider, undefined);
  });

  it('publishes codes and exact ranges when a manifest opens', async () => {
    await client.open(MANIFEST_URI, FLAWED_MANIFEST);
    const published = await client.nextDiagnostics(MANIFEST_URI);
    assert.equal(published.version, 1);
    assert.deepEqual(summarize(published.diagnostics), flawedDiagnostics());
    for (const diagnostic of published.diagnostics) assert.equal(diagnostic.source, 'stripe-apps');
  });

  it('publishes again after didChange, for the new version', async () => {
    const since = client.diagnostics.mark();
    await client.change(MANIFEST_URI, FIXED_NAME);
    const published = await client.nextDiagnostics(MANIFEST_URI, since);
    assert.equal(published.version, 2);
    assert.deepEqual(summarize(published.diagnostics), [
      {
        code: 'placeholder-purpose',
        severity: DiagnosticSeverity.Warning,
        range: rangeOf(doc(FIXED_NAME), 'test'),
      },
    ]);
  });

  it('publishes only the last of several quick changes', async () => {
    const since = client.diagnostics.mark();
    await client.change(MANIFEST_URI, FLAWED_MANIFEST);
    await client.change(MANIFEST_URI, CLEAN_MANIFEST);
    await client.change(MANIFEST_URI, FLAWED_MANIFEST);
    const last = client.version(MANIFEST_URI);
    const published = await client.nextDiagnostics(MANIFEST_URI, since, (p) => p.version === last);
    assert.deepEqual(summarize(published.diagnostics), flawedDiagnostics());
    // The changes came within the debounce delay: the earlier versions were never reported.
    const versions = client.diagnostics.events
      .slice(since)
      .filter((p) => p.uri === MANIFEST_URI)
      .map((p) => p.version);
    assert.deepEqual(versions, [last]);
  });

  it('re-publishes without a code the settings turn off', async () => {
    const since = client.diagnostics.mark();
    const asked = client.configurationRequests.mark();
    await client.changeSettings({ severity: { 'unknown-permission': 'off' } });
    await client.configurationRequests.next(() => true, asked);
    const published = await client.nextDiagnostics(MANIFEST_URI, since);
    assert.deepEqual(summarize(published.diagnostics), flawedDiagnostics().slice(1));
  });

  it('validates only manifests, not other JSON files', async () => {
    const since = client.diagnostics.mark();
    const other = `${APP_URI}/package.json`;
    const second = `${APP_URI}/packages/b/stripe-app.json`;
    // Opened first, so its (wrong) report would be published before the manifest's.
    await client.open(other, FLAWED_MANIFEST);
    await client.open(second, FLAWED_MANIFEST);
    const published = await client.nextDiagnostics(second, since);
    assert.notDeepEqual(published.diagnostics, []);
    assert.deepEqual(
      client.diagnostics.events.slice(since).filter((p) => p.uri === other),
      [],
    );
    await client.close(other);
  });

  it('clears the diagnostics of a closed manifest', async () => {
    const since = client.diagnostics.mark();
    await client.close(MANIFEST_URI);
    const published = await client.nextDiagnostics(MANIFEST_URI, since);
    assert.deepEqual(published.diagnostics, []);
  });
});

describe('pull diagnostics (textDocument/diagnostic, as VS Code)', () => {
  let client: TestClient;
  before(async () => {
    // Settings from the start: the first report already honours them.
    client = await TestClient.start({
      pull: true,
      settings: { severity: { 'placeholder-purpose': 'information' } },
    });
  });
  after(() => {
    client.dispose();
  });

  async function pull(uri = MANIFEST_URI): Promise<FullDocumentDiagnosticReport> {
    const report: DocumentDiagnosticReport = await client.connection.sendRequest(
      DocumentDiagnosticRequest.type,
      { textDocument: { uri } },
    );
    assert.equal(report.kind, DocumentDiagnosticReportKind.Full);
    return report;
  }

  it('advertises a diagnostic provider without workspace diagnostics', () => {
    assert.deepEqual(client.initializeResult.capabilities.diagnosticProvider, {
      identifier: 'stripe-apps',
      interFileDependencies: true,
      workspaceDiagnostics: false,
    });
  });

  it('reports codes and exact ranges, with the configured severity', async () => {
    await client.open(MANIFEST_URI, FLAWED_MANIFEST);
    const report = await pull();
    assert.deepEqual(summarize(report.items), flawedDiagnostics(DiagnosticSeverity.Information));
  });

  it('reports the new text after didChange', async () => {
    await client.change(MANIFEST_URI, CLEAN_MANIFEST);
    assert.deepEqual((await pull()).items, []);
    await client.change(MANIFEST_URI, FLAWED_MANIFEST);
    assert.deepEqual(
      summarize((await pull()).items),
      flawedDiagnostics(DiagnosticSeverity.Information),
    );
  });

  it('asks the client to refresh after a settings change, and the next pull honours it', async () => {
    const refreshed = client.refreshes.mark();
    await client.changeSettings({
      severity: { 'unknown-permission': 'off', 'placeholder-purpose': 'hint' },
    });
    await client.refreshes.next(() => true, refreshed);
    assert.deepEqual(
      summarize((await pull()).items),
      flawedDiagnostics(DiagnosticSeverity.Hint).slice(1),
    );
  });

  it('reports nothing for other JSON files and for closed documents', async () => {
    await client.open(`${APP_URI}/tsconfig.json`, FLAWED_MANIFEST);
    assert.deepEqual((await pull(`${APP_URI}/tsconfig.json`)).items, []);
    await client.close(MANIFEST_URI);
    assert.deepEqual((await pull()).items, []);
  });

  it('never pushes diagnostics to a pull client', () => {
    assert.deepEqual(client.diagnostics.events, []);
  });
});

describe('settings without workspace/configuration (initializationOptions, pushed changes)', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({
      pull: false,
      configuration: false,
      settings: { severity: { 'placeholder-purpose': 'error' } },
    });
  });
  after(() => {
    client.dispose();
  });

  it('takes the first settings from initializationOptions', async () => {
    await client.open(MANIFEST_URI, FLAWED_MANIFEST);
    const published = await client.nextDiagnostics(MANIFEST_URI);
    assert.deepEqual(summarize(published.diagnostics), flawedDiagnostics(DiagnosticSeverity.Error));
  });

  it('takes changed settings from the didChangeConfiguration notification', async () => {
    const since = client.diagnostics.mark();
    await client.changeSettings({ severity: { 'unknown-permission': 'off' } });
    const published = await client.nextDiagnostics(MANIFEST_URI, since);
    assert.deepEqual(summarize(published.diagnostics), flawedDiagnostics().slice(1));
    assert.deepEqual(client.configurationRequests.events, []);
  });
});

describe('maxNumberOfProblems (VS Code shows at most 1 000 per file)', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ pull: false });
  });
  after(() => {
    client.dispose();
  });

  // 1 200 misspelt names, each an error, and one hint (trailing white space) on the first purpose.
  const entries = Array.from(
    { length: 1200 },
    (_, i) =>
      `    { "permission": "customers_read_${i}", "purpose": "Shows each customer's open invoices${i === 0 ? ' ' : ''}" }`,
  );
  const text = `{\n  "id": "com.example.app",\n  "permissions": [\n${entries.join(',\n')}\n  ]\n}\n`;

  it('publishes the 1 000 most severe problems and one note by default', async () => {
    await client.open(MANIFEST_URI, text);
    const published = await client.nextDiagnostics(MANIFEST_URI);
    assert.equal(published.diagnostics.length, 1001);
    const [note, first] = published.diagnostics;
    assert.ok(note && first);
    assert.equal(note.code, 'too-many-problems');
    assert.deepEqual(note.range, rangeOf(doc(text), '"permissions"'));
    assert.equal(
      note.message,
      'Showing 1,000 of 1,201 problems, most severe first: see stripeApps.maxNumberOfProblems.',
    );
    // The hint on the first purpose is left out; the errors come in document order.
    assert.equal(first.code, 'unknown-permission');
    assert.deepEqual(first.range, rangeOf(doc(text), '"customers_read_0"'));
    assert.deepEqual(
      published.diagnostics.at(-1)?.range,
      rangeOf(doc(text), '"customers_read_999"'),
    );
  });

  it('publishes all of them when the setting is 0', async () => {
    const since = client.diagnostics.mark();
    await client.changeSettings({ maxNumberOfProblems: 0 });
    const published = await client.nextDiagnostics(MANIFEST_URI, since);
    assert.equal(published.diagnostics.length, 1201);
    assert.equal(
      published.diagnostics.filter((diagnostic) => diagnostic.code === 'too-many-problems').length,
      0,
    );
  });
});
