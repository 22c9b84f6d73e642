import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  CodeActionRequest,
  CodeActionResolveRequest,
  CodeLensRequest,
  CompletionRequest,
  CompletionResolveRequest,
  DocumentDiagnosticRequest,
  HoverRequest,
  MarkupKind,
  RequestType,
  type CodeAction,
  type CodeActionContext,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type Position,
  type Range,
} from 'vscode-languageserver-protocol/node';
import {
  CheckPurposeRequest,
  ClientCommands,
  ManifestInfoRequest,
  type CheckPurposeParams,
  type CheckPurposeResult,
  type ManifestInfoParams,
  type ManifestInfoResult,
} from '../../server/src/protocol';
import { catalog } from '../../server/src/service/catalog';
import { manifestWith, rangeOf } from '../unit/util';
import { TestClient, editsOf } from './client';
import { APP_URI, FLAWED_MANIFEST, MANIFEST_URI } from './manifests';

const ManifestInfo = new RequestType<ManifestInfoParams, ManifestInfoResult | null, void>(
  ManifestInfoRequest,
);
const CheckPurpose = new RequestType<CheckPurposeParams, CheckPurposeResult, void>(
  CheckPurposeRequest,
);

const FIX_ALL = 'source.fixAll.stripeApps';
/** FLAWED_MANIFEST with its entries sorted: entries move, commas stay where they were. */
const SORTED_FLAWED = (() => {
  const lines = FLAWED_MANIFEST.split('\n');
  return [...lines.slice(0, 6), lines[8], lines[6], lines[7], ...lines.slice(9)]
    .join('\n')
    .replace(`"test" }\n`, `"test" },\n`)
    .replace(`loyalty tier." },\n  ]`, `loyalty tier." }\n  ]`);
})();
const ORIGIN: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** The position just after the first occurrence of `needle` (plus `shift` characters). */
function after_(document: TextDocument, needle: string, shift = needle.length): Position {
  const offset = document.getText().indexOf(needle);
  assert.ok(offset >= 0, `${needle} not in the document`);
  return document.positionAt(offset + shift);
}

/** The document's text after applying a code action's edit (which must target `document`). */
function applyAction(document: TextDocument, action: CodeAction): string {
  assert.ok(action.edit, `${action.title} has no edit`);
  const changes = editsOf(action.edit);
  assert.equal(changes.length, 1);
  const [uri, version, edits] = changes[0] ?? ['', null, []];
  assert.equal(uri, document.uri);
  assert.equal(version, document.version, 'a versioned edit for the current version');
  return TextDocument.applyEdits(document, edits);
}

/** The code actions the server lists (commands filtered out). */
async function listActions(
  client: TestClient,
  range: Range,
  context: CodeActionContext,
  uri = MANIFEST_URI,
): Promise<CodeAction[]> {
  const actions = await client.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri },
    range,
    context,
  });
  return (actions ?? []).filter((action): action is CodeAction => 'title' in action);
}

/** What VS Code does when an action without an edit is picked: `codeAction/resolve`. */
function resolveAction(client: TestClient, action: CodeAction): Promise<CodeAction> {
  return client.connection.sendRequest(CodeActionResolveRequest.type, action);
}

describe('language features over the protocol', () => {
  let client: TestClient;
  let flawed: TextDocument;
  before(async () => {
    client = await TestClient.start({ pull: true });
    flawed = await client.open(MANIFEST_URI, FLAWED_MANIFEST);
  });
  after(() => {
    client.dispose();
  });

  it('advertises the capabilities chosen from the client', () => {
    const capabilities = client.initializeResult.capabilities;
    assert.deepEqual(capabilities.textDocumentSync, { openClose: true, change: 2 });
    assert.deepEqual(capabilities.completionProvider, {
      triggerCharacters: ['"', ':', "'"],
      resolveProvider: true,
    });
    assert.equal(capabilities.hoverProvider, true);
    assert.deepEqual(capabilities.codeActionProvider, {
      codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, FIX_ALL],
      resolveProvider: true,
    });
    assert.deepEqual(capabilities.codeLensProvider, { resolveProvider: false });
    assert.deepEqual(capabilities.executeCommandProvider?.commands, [
      'stripeApps.server.grantPermission',
      'stripeApps.server.revokePermission',
      'stripeApps.server.revokePermissions',
      'stripeApps.server.sortPermissions',
      'stripeApps.server.showPermissions',
      'stripeApps.server.showPermissionUsage',
    ]);
    assert.equal(capabilities.positionEncoding, 'utf-16');
  });

  describe('completion', () => {
    const text = manifestWith(`[
    { "permission": "charge_re", "purpose": "Lists the charges of the customer in the drawer." }
  ]`);
    const uri = `${APP_URI}/completion/stripe-app.json`;
    let items: CompletionItem[] = [];
    let document: TextDocument;

    before(async () => {
      document = await client.open(uri, text);
      const list: CompletionList | CompletionItem[] | null = await client.connection.sendRequest(
        CompletionRequest.type,
        { textDocument: { uri }, position: after_(document, '"charge_re') },
      );
      items = Array.isArray(list) ? list : (list?.items ?? []);
    });

    it('offers the catalog names at a permission value, replacing the whole quoted string', () => {
      const labels = items.map((item) => item.label);
      assert.ok(labels.includes('charge_read'), 'charge_read offered');
      assert.ok(labels.includes('charge_write'), 'charge_write offered');
      // Ranked on the server for the typed text (issue 12): the matches only, best preselected.
      assert.ok(items.length < catalog.permissions.length, `${items.length} items`);
      assert.equal(items.find((item) => item.preselect === true)?.label, 'charge_read');
      const read = items.find((item) => item.label === 'charge_read');
      assert.deepEqual(read?.textEdit, {
        range: rangeOf(document, '"charge_re"'),
        newText: '"charge_read"',
      });
      for (const item of items) {
        assert.ok(item.textEdit && 'range' in item.textEdit, `${item.label} has a textEdit`);
        assert.deepEqual(item.textEdit.range, rangeOf(document, '"charge_re"'));
      }
    });

    it('adds documentation on completionItem/resolve', async () => {
      const read = items.find((item) => item.label === 'charge_read');
      assert.ok(read);
      assert.equal(read.documentation, undefined, 'documentation is resolved lazily');
      const resolved = await client.connection.sendRequest(CompletionResolveRequest.type, read);
      assert.equal(resolved.label, 'charge_read');
      assert.ok(
        typeof resolved.documentation === 'object' &&
          resolved.documentation.kind === MarkupKind.Markdown,
      );
      assert.match(resolved.documentation.value, /^`charge_read` · \*\*read\*\* access/);
    });
  });

  it('answers a hover on a permission name with its markdown and range', async () => {
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: MANIFEST_URI },
      position: after_(flawed, '"customer_read', 3),
    });
    assert.ok(hover);
    assert.deepEqual(hover.range, rangeOf(flawed, '"customer_read"'));
    assert.ok(typeof hover.contents === 'object' && 'kind' in hover.contents);
    assert.equal(hover.contents.kind, MarkupKind.Markdown);
    assert.match(hover.contents.value, /^`customer_read` · \*\*read\*\* access/);
    assert.match(hover.contents.value, /Customers/);
  });

  describe('code actions', () => {
    let unknown: Diagnostic;
    before(async () => {
      const report = await client.connection.sendRequest(DocumentDiagnosticRequest.type, {
        textDocument: { uri: MANIFEST_URI },
      });
      const found = 'items' in report ? report.items : [];
      const diagnostic = found.find((item) => item.code === 'unknown-permission');
      assert.ok(diagnostic);
      unknown = diagnostic;
    });

    it('lists a quick fix without its edit, computed on resolve', async () => {
      const fixes = await listActions(client, unknown.range, {
        diagnostics: [unknown],
        only: [CodeActionKind.QuickFix],
      });
      assert.deepEqual(
        fixes.map((action) => [action.title, action.kind, action.isPreferred, action.edit]),
        [['Replace with "customer_write"', CodeActionKind.QuickFix, true, undefined]],
      );
      const [fix] = fixes;
      assert.ok(fix);
      assert.deepEqual(fix.diagnostics, [unknown]);
      assert.deepEqual(fix.data, {
        uri: MANIFEST_URI,
        version: 1,
        action: 'quickfix',
        code: 'unknown-permission',
        offset: FLAWED_MANIFEST.indexOf('"customers_write"'),
        fix: 0,
      });
      const resolved = await resolveAction(client, fix);
      assert.deepEqual({ ...resolved, edit: undefined }, { ...fix, edit: undefined });
      assert.equal(
        applyAction(flawed, resolved),
        FLAWED_MANIFEST.replace('"customers_write"', '"customer_write"'),
      );
    });

    it('offers source.fixAll.stripeApps only when asked, fixing the safe problems', async () => {
      const unasked = await listActions(client, ORIGIN, { diagnostics: [] });
      assert.ok(!unasked.some((action) => action.kind === FIX_ALL));

      const all = await listActions(client, ORIGIN, {
        diagnostics: [],
        only: [CodeActionKind.SourceFixAll],
      });
      assert.deepEqual(
        all.map((action) => [action.title, action.kind]),
        [['Fix all Stripe Apps manifest problems', FIX_ALL]],
      );
      const [fixAll] = all;
      assert.ok(fixAll);
      // Only computed when asked for, so listed with its edit (nothing to resolve).
      // The name is fixed; the placeholder purpose is a judgement, left for the author.
      assert.equal(
        applyAction(flawed, fixAll),
        FLAWED_MANIFEST.replace('"customers_write"', '"customer_write"'),
      );
    });

    it('offers sorting the entries as a rewrite, sorted on resolve', async () => {
      const sorts = await listActions(client, rangeOf(flawed, '"charge_read"'), {
        diagnostics: [],
        only: [CodeActionKind.Refactor],
      });
      assert.deepEqual(
        sorts.map((action) => [action.title, action.kind, action.edit]),
        [['Sort permissions by name', CodeActionKind.RefactorRewrite, undefined]],
      );
      const [sort] = sorts;
      assert.ok(sort);
      assert.equal(applyAction(flawed, await resolveAction(client, sort)), SORTED_FLAWED);
    });

    it('resolves nothing once the document changed, or for a document that is not open', async () => {
      const uri = `${APP_URI}/stale/stripe-app.json`;
      const document = await client.open(uri, FLAWED_MANIFEST);
      const range = rangeOf(document, '"customers_write"');
      const [fix] = await listActions(
        client,
        range,
        { diagnostics: [{ ...unknown, range }], only: [CodeActionKind.QuickFix] },
        uri,
      );
      assert.ok(fix && fix.edit === undefined);
      // Typing elsewhere: same fix, but the listing was for version 1.
      await client.edit(uri, [{ range: rangeOf(document, '"test"'), newText: '"tests"' }]);
      assert.deepEqual(await resolveAction(client, fix), fix);
      await client.close(uri);
      assert.deepEqual(await resolveAction(client, fix), fix);
      // Not ours: answered as sent.
      const foreign: CodeAction = { title: 'Something else', data: { uri: 5 } };
      assert.deepEqual(await resolveAction(client, foreign), foreign);
    });
  });

  it('answers code lenses above "permissions" with counts and Grant…', async () => {
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, {
      textDocument: { uri: MANIFEST_URI },
    });
    const key = rangeOf(flawed, '"permissions"');
    assert.deepEqual(
      (lenses ?? []).map((lens) => [lens.range, lens.command?.title, lens.command?.command]),
      [
        [key, '2 permissions (2 read, 0 write), 1 invalid', ClientCommands.revokePermission],
        [key, 'Grant permission…', ClientCommands.grantPermission],
      ],
    );
  });

  it('answers stripeApps/manifestInfo with the version, the granted list and the catalog', async () => {
    const info = await client.connection.sendRequest(ManifestInfo, { uri: MANIFEST_URI });
    assert.ok(info);
    assert.equal(info.version, client.version(MANIFEST_URI));
    assert.deepEqual(info.granted, [
      {
        permission: 'customer_read',
        purpose: "Shows the customer's name next to each invoice.",
      },
      { permission: 'customers_write', purpose: 'Tags customers with their loyalty tier.' },
      { permission: 'charge_read', purpose: 'test' },
    ]);
    assert.equal(info.catalog.permissions.length, catalog.permissions.length);
    assert.deepEqual(info.catalog.permissions[0], {
      name: catalog.permissions[0]?.name,
      access: catalog.permissions[0]?.access,
      product: catalog.permissions[0]?.product,
      resource: catalog.permissions[0]?.resource,
      description: catalog.permissions[0]?.description,
    });
    assert.deepEqual(info.catalog.source, {
      title: catalog.source.title,
      url: catalog.source.url,
      copied: catalog.source.copied,
    });

    const none = await client.connection.sendRequest(ManifestInfo, {
      uri: 'file:///elsewhere/stripe-app.json',
    });
    assert.equal(none?.version, -1);
    assert.deepEqual(none.granted, []);
    assert.equal(none.catalog.permissions.length, catalog.permissions.length);
  });

  it('answers stripeApps/checkPurpose with the most severe finding and a suggestion', async () => {
    const poor = await client.connection.sendRequest(CheckPurpose, {
      permission: 'charge_read',
      purpose: 'test',
      uri: MANIFEST_URI,
    });
    assert.equal(poor.severity, 'warning');
    assert.equal(poor.message, 'Placeholder purpose "test": say why the app needs "charge_read".');
    assert.ok(poor.suggestion.length > 0);

    const good = await client.connection.sendRequest(CheckPurpose, {
      permission: 'charge_read',
      purpose: 'Lists the charges of the customer in the drawer.',
    });
    assert.deepEqual(Object.keys(good), ['suggestion']);

    const empty = await client.connection.sendRequest(CheckPurpose, {
      permission: 'charge_read',
      purpose: '',
    });
    assert.equal(empty.severity, 'error');
  });

  it('answers empty results for documents that are not manifests', async () => {
    const uri = `${APP_URI}/package.json`;
    const document = await client.open(uri, FLAWED_MANIFEST);
    const position = after_(document, '"customers_wr');
    const textDocument = { uri };
    const completion = await client.connection.sendRequest(CompletionRequest.type, {
      textDocument,
      position,
    });
    assert.deepEqual(completion, { isIncomplete: false, items: [] });
    assert.equal(
      await client.connection.sendRequest(HoverRequest.type, { textDocument, position }),
      null,
    );
    assert.deepEqual(
      await client.connection.sendRequest(CodeActionRequest.type, {
        textDocument,
        range: { start: position, end: position },
        context: { diagnostics: [], only: [CodeActionKind.SourceFixAll] },
      }),
      [],
    );
    assert.deepEqual(
      await client.connection.sendRequest(CodeLensRequest.type, { textDocument }),
      [],
    );
    await client.close(uri);
  });
});

describe('a client that does not resolve code actions', () => {
  let client: TestClient;
  let flawed: TextDocument;
  before(async () => {
    client = await TestClient.start({ pull: true, codeActionResolve: false });
    flawed = await client.open(MANIFEST_URI, FLAWED_MANIFEST);
  });
  after(() => {
    client.dispose();
  });

  it('gets no resolve provider, and every action with its edit', async () => {
    assert.deepEqual(client.initializeResult.capabilities.codeActionProvider, {
      codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, FIX_ALL],
      resolveProvider: false,
    });
    const report = await client.connection.sendRequest(DocumentDiagnosticRequest.type, {
      textDocument: { uri: MANIFEST_URI },
    });
    const unknown = ('items' in report ? report.items : []).find(
      (item) => item.code === 'unknown-permission',
    );
    assert.ok(unknown);
    const actions = await listActions(client, unknown.range, { diagnostics: [unknown] });
    assert.deepEqual(
      actions.map((action) => [action.title, action.kind, action.isPreferred, 'data' in action]),
      [
        ['Replace with "customer_write"', CodeActionKind.QuickFix, true, false],
        ['Sort permissions by name', CodeActionKind.RefactorRewrite, undefined, false],
      ],
    );
    const [fix, sort] = actions;
    assert.ok(fix && sort);
    assert.equal(
      applyAction(flawed, fix),
      FLAWED_MANIFEST.replace('"customers_write"', '"customer_write"'),
    );
    assert.equal(applyAction(flawed, sort), SORTED_FLAWED);
  });
});

describe('a client without code action literals', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ pull: true, codeActionLiterals: false });
  });
  after(() => {
    client.dispose();
  });

  it('gets no code action provider', () => {
    assert.equal(client.initializeResult.capabilities.codeActionProvider, undefined);
  });
});
