import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  CodeLensRequest,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticRequest,
  ExecuteCommandRequest,
  FileChangeType,
  HoverRequest,
  type CodeAction,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type Hover,
} from 'vscode-languageserver-protocol/node';
import { ClientCommands, ServerCommands } from '../../server/src/protocol';
import { TestClient, editsOf } from './client';
import { NEOVIM_0_7_CAPABILITIES } from './otherEditors';

/*
 * The app's code against its manifest, across files: a source file's findings follow the
 * manifest's edits, the manifest's follow the source's, and files changed on disk count too.
 */

const MANIFEST = `{
  "id": "com.example.code-app",
  "version": "0.0.1",
  "name": "Code App",
  "permissions": [
    { "permission": "invoice_read", "purpose": "Shows the open invoices of the customer." }
  ]
}
`;

const APP = `import Stripe from 'stripe';
import { createHttpClient, STRIPE_API_KEY } from '@stripe/ui-extension-sdk/http_client';

const stripe = new Stripe(STRIPE_API_KEY, { httpClient: createHttpClient() });

export const load = () => stripe.customers.list({ limit: 10 });
`;

function makeApp(): { folder: string; manifestUri: string; appUri: string } {
  const folder = mkdtempSync(path.join(tmpdir(), 'code-usage-'));
  mkdirSync(path.join(folder, 'src', 'views'), { recursive: true });
  writeFileSync(path.join(folder, 'stripe-app.json'), MANIFEST);
  writeFileSync(path.join(folder, 'src', 'views', 'App.tsx'), APP);
  return {
    folder,
    manifestUri: pathToFileURL(path.join(folder, 'stripe-app.json')).href,
    appUri: pathToFileURL(path.join(folder, 'src', 'views', 'App.tsx')).href,
  };
}

const summary = (diagnostic: Diagnostic): string =>
  `${String(diagnostic.code)} ${diagnostic.range.start.line}:${diagnostic.range.start.character}-${diagnostic.range.end.line}:${diagnostic.range.end.character}`;

describe('code usage across files (pull diagnostics)', () => {
  let client: TestClient;
  let app: ReturnType<typeof makeApp>;
  before(async () => {
    app = makeApp();
    client = await TestClient.start({ pull: true });
  });
  after(() => {
    client.dispose();
    rmSync(app.folder, { recursive: true, force: true });
  });

  async function pull(uri: string): Promise<Diagnostic[]> {
    const report: DocumentDiagnosticReport = await client.connection.sendRequest(
      DocumentDiagnosticRequest.type,
      { textDocument: { uri } },
    );
    return report.kind === 'full' ? report.items : [];
  }

  it('reads the app when its manifest opens, then asks for a refresh: invoice_read is unused', async () => {
    const since = client.refreshes.mark();
    await client.open(app.manifestUri, MANIFEST);
    await client.refreshes.next(() => true, since, 'a refresh once the code is read');
    const diagnostics = await pull(app.manifestUri);
    assert.deepEqual(diagnostics.map(summary), ['unused-permission 5:20-5:34']);
  });

  it('reports the call the manifest does not cover in the source file, with the Grant fix', async () => {
    await client.open(app.appUri, APP, 'typescriptreact');
    const diagnostics = await pull(app.appUri);
    assert.deepEqual(diagnostics.map(summary), ['missing-permission 5:26-5:47']);
    assert.equal(
      diagnostics[0]?.message,
      '"customers.list" needs "customer_read", which stripe-app.json does not grant',
    );
    const hover: Hover | null = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: app.appUri },
      position: { line: 5, character: 36 },
    });
    assert.match(JSON.stringify(hover?.contents), /customer_read/);

    const [missing] = diagnostics;
    assert.ok(missing);
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: app.appUri },
      range: missing.range,
      context: { diagnostics },
    })) as CodeAction[];
    const grant = actions.find((action) => action.title === 'Grant customer_read');
    // VS Code runs its Grant command, which grants through the server and saves the manifest.
    assert.deepEqual(grant?.command, {
      title: 'Grant customer_read',
      command: ClientCommands.grantPermission,
      arguments: [
        'customer_read',
        'Allows Code App to list and retrieve customer details when you use it in the Stripe Dashboard.',
        app.manifestUri,
      ],
    });
    assert.equal(grant.edit, undefined);
    const since = client.refreshes.mark();
    const result: unknown = await client.connection.sendRequest(ExecuteCommandRequest.type, {
      command: ServerCommands.grantPermission,
      arguments: grant.command.arguments,
    });
    assert.deepEqual(result, {
      status: 'granted',
      permission: 'customer_read',
      message: 'Granted customer_read.',
    });
    assert.match(client.text(app.manifestUri), /"permission": "customer_read"/);
    await client.refreshes.next(() => true, since, 'a refresh after the manifest changed');
    assert.deepEqual((await pull(app.appUri)).map(summary), []);
  });

  it('an edit of the source re-judges the manifest: a call of invoices.list uses invoice_read', async () => {
    const since = client.refreshes.mark();
    await client.change(app.appUri, APP.replace('customers.list', 'invoices.list'));
    await client.refreshes.next(() => true, since, 'a refresh after the source changed');
    const manifest = await pull(app.manifestUri);
    assert.deepEqual(
      manifest.map((diagnostic) => [diagnostic.code, diagnostic.message]),
      [
        [
          'unused-permission',
          'No UI call needs customer_read; revoke it (App Review asks for the minimum set)',
        ],
      ],
    );
  });

  it('a source file written on disk (not open) counts once the client says it changed', async () => {
    await client.change(app.appUri, APP);
    const extra = path.join(app.folder, 'src', 'invoices.ts');
    writeFileSync(
      extra,
      `import type Stripe from 'stripe';\nexport const list = (stripe: Stripe) => stripe.invoices.list();\n`,
    );
    const since = client.refreshes.mark();
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: pathToFileURL(extra).href, type: FileChangeType.Created }],
    });
    await client.refreshes.next(() => true, since, 'a refresh after a file was created');
    assert.deepEqual((await pull(app.manifestUri)).map(summary), []);
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, {
      textDocument: { uri: app.manifestUri },
    });
    const titles = lenses?.map((lens) => lens.command?.title) ?? [];
    assert.ok(titles.includes('1 call'), `a call-site lens: ${JSON.stringify(titles)}`);
  });
});

describe('code usage across files (push diagnostics)', () => {
  let client: TestClient;
  let app: ReturnType<typeof makeApp>;
  before(async () => {
    app = makeApp();
    client = await TestClient.start({ pull: false });
  });
  after(() => {
    client.dispose();
    rmSync(app.folder, { recursive: true, force: true });
  });

  it('pushes unused-permission to the manifest and missing-permission to the source', async () => {
    const since = client.diagnostics.mark();
    await client.open(app.manifestUri, MANIFEST);
    await client.open(app.appUri, APP, 'typescriptreact');
    const manifest = await client.nextDiagnostics(app.manifestUri, since, (params) =>
      params.diagnostics.some((diagnostic) => diagnostic.code === 'unused-permission'),
    );
    assert.deepEqual(manifest.diagnostics.map(summary), ['unused-permission 5:20-5:34']);
    const source = await client.nextDiagnostics(
      app.appUri,
      since,
      (params) => params.diagnostics.length > 0,
    );
    assert.deepEqual(source.diagnostics.map(summary), ['missing-permission 5:26-5:47']);
  });

  it('clears a closed source file', async () => {
    const since = client.diagnostics.mark();
    await client.close(app.appUri);
    const cleared = await client.nextDiagnostics(app.appUri, since);
    assert.deepEqual(cleared.diagnostics, []);
  });
});

describe('code usage in another editor (Neovim 0.7: push, no VS Code commands)', () => {
  let client: TestClient;
  let app: ReturnType<typeof makeApp>;
  before(async () => {
    app = makeApp();
    client = await TestClient.start({ pull: false, capabilities: NEOVIM_0_7_CAPABILITIES });
  });
  after(() => {
    client.dispose();
    rmSync(app.folder, { recursive: true, force: true });
  });

  it('the Grant fix is an edit of the manifest, which turns the finding off', async () => {
    const since = client.diagnostics.mark();
    await client.open(app.manifestUri, MANIFEST);
    await client.open(app.appUri, APP, 'typescriptreact');
    const source = await client.nextDiagnostics(
      app.appUri,
      since,
      (params) => params.diagnostics.length > 0,
    );
    const [missing] = source.diagnostics;
    assert.ok(missing);
    // Neovim asks for the actions of a range without the diagnostics: the server finds its own.
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: app.appUri },
      range: missing.range,
      context: { diagnostics: [] },
    })) as CodeAction[];
    const grant = actions.find((action) => action.title === 'Grant customer_read');
    assert.ok(grant?.edit, `a Grant edit: ${JSON.stringify(actions)}`);
    assert.equal(grant.command, undefined);
    const after = client.diagnostics.mark();
    for (const [target, , edits] of editsOf(grant.edit)) await client.edit(target, edits);
    const cleared = await client.nextDiagnostics(
      app.appUri,
      after,
      (params) => params.diagnostics.length === 0,
    );
    assert.deepEqual(cleared.diagnostics, []);
  });
});
