import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  CompletionResolveRequest,
  DocumentDiagnosticRequest,
  HoverRequest,
  MarkupKind,
  RequestType,
  type CodeAction,
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
import { FLAWED_MANIFEST, MANIFEST_URI } from './manifests';

const ManifestInfo = new RequestType<ManifestInfoParams, ManifestInfoResult | null, void>(
  ManifestInfoRequest,
);
const CheckPurpose = new RequestType<CheckPurposeParams, CheckPurposeResult, void>(
  CheckPurposeRequest,
);

const FIX_ALL = 'source.fixAll.stripeApps';
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
      triggerCharacters: ['"', ':'],
      resolveProvider: true,
    });
    assert.equal(capabilities.hoverProvider, true);
    assert.deepEqual(capabilities.codeActionProvider, {
      codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, FIX_ALL],
      resolveProvider: false,
    });
    assert.deepEqual(capabilities.codeLensProvider, { resolveProvider: false });
    assert.deepEqual(capabilities.executeCommandProvider?.commands, [
      'stripeApps.server.grantPermission',
      'stripeApps.server.revokePermission',
      'stripeApps.server.sortPermissions',
    ]);
  });

  describe('completion', () => {
    const text = manifestWith(`[
    { "permission": "charge_re", "purpose": "Lists the charges of the customer in the drawer." }
  ]`);
    const uri = 'file:///app/completion/stripe-app.json';
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
      assert.equal(items.length, catalog.permissions.length);
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

    it('offers a quick fix with its edit at a diagnostic', async () => {
      const actions = await client.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri: MANIFEST_URI },
        range: unknown.range,
        context: { diagnostics: [unknown], only: [CodeActionKind.QuickFix] },
      });
      const fixes = (actions ?? []).filter((action): action is CodeAction => 'title' in action);
      assert.deepEqual(
        fixes.map((action) => [action.title, action.kind, action.isPreferred]),
        [['Replace with "customer_write"', CodeActionKind.QuickFix, true]],
      );
      const [fix] = fixes;
      assert.ok(fix);
      assert.deepEqual(fix.diagnostics, [unknown]);
      assert.equal(
        applyAction(flawed, fix),
        FLAWED_MANIFEST.replace('"customers_write"', '"customer_write"'),
      );
    });

    it('offers source.fixAll.stripeApps only when asked, fixing the safe problems', async () => {
      const unasked = await client.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri: MANIFEST_URI },
        range: ORIGIN,
        context: { diagnostics: [] },
      });
      assert.ok(!(unasked ?? []).some((action) => 'kind' in action && action.kind === FIX_ALL));

      const actions = await client.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri: MANIFEST_URI },
        range: ORIGIN,
        context: { diagnostics: [], only: [CodeActionKind.SourceFixAll] },
      });
      const all = (actions ?? []).filter((action): action is CodeAction => 'title' in action);
      assert.deepEqual(
        all.map((action) => [action.title, action.kind]),
        [['Fix all Stripe Apps manifest problems', FIX_ALL]],
      );
      const [fixAll] = all;
      assert.ok(fixAll);
      // The name is fixed; the placeholder purpose is a judgement, left for the author.
      assert.equal(
        applyAction(flawed, fixAll),
        FLAWED_MANIFEST.replace('"customers_write"', '"customer_write"'),
      );
    });

    it('offers sorting the entries as a rewrite', async () => {
      const actions = await client.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri: MANIFEST_URI },
        range: rangeOf(flawed, '"charge_read"'),
        context: { diagnostics: [], only: [CodeActionKind.Refactor] },
      });
      const sorts = (actions ?? []).filter((action): action is CodeAction => 'title' in action);
      assert.deepEqual(
        sorts.map((action) => [action.title, action.kind]),
        [['Sort permissions by name', CodeActionKind.RefactorRewrite]],
      );
      const [sort] = sorts;
      assert.ok(sort);
      const lines = FLAWED_MANIFEST.split('\n');
      assert.equal(
        applyAction(flawed, sort),
        [...lines.slice(0, 6), lines[8], lines[6], lines[7], ...lines.slice(9)]
          .join('\n')
          // Entries move; commas stay where they were.
          .replace(`"test" }\n`, `"test" },\n`)
          .replace(`loyalty tier." },\n  ]`, `loyalty tier." }\n  ]`),
      );
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
        [key, '3 permissions (2 read, 1 write)', ClientCommands.revokePermission],
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
    assert.match(poor.message ?? '', /placeholder/);
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
    const uri = 'file:///app/package.json';
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
