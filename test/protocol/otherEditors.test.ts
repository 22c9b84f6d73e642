/**
 * The server as editors other than VS Code see it: each test declares the capabilities Neovim
 * 0.7 or eglot 1.9 declare (see otherEditors.ts) and checks that the server honours them, on the
 * final text where an edit is involved.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import path from 'node:path';
import {
  ApplyWorkspaceEditRequest,
  CodeActionRequest,
  CodeActionResolveRequest,
  CodeLensRequest,
  CompletionRequest,
  CompletionResolveRequest,
  ErrorCodes,
  ExecuteCommandRequest,
  HoverRequest,
  InsertTextFormat,
  MarkupKind,
  ResponseError,
  type CompletionItem,
  type CompletionList,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  ServerCommands,
  type PermissionCommandResult,
  type ShowPermissionsResult,
  type SortPermissionsResult,
} from '../../server/src/protocol';
import { suggestPurpose } from '../../server/src/service/purposeSuggestion';
import { manifestWith, rangeOf } from '../unit/util';
import { TestClient } from './client';
import { APP_FOLDER, APP_URI, CLEAN_MANIFEST, FLAWED_MANIFEST, MANIFEST_URI } from './manifests';
import {
  EGLOT_1_9_CAPABILITIES,
  NEOVIM_0_7_CAPABILITIES,
  NO_APPLY_EDIT_CAPABILITIES,
} from './otherEditors';

const CUSTOMER = `{ "permission": "customer_read", "purpose": "Shows the customer's name next to each invoice." }`;
const CHARGE = `{ "permission": "charge_read", "purpose": "Lists the charges of the customer in the drawer." }`;

/** The position right after the first occurrence of `needle` (plus `delta`). */
function after_(
  document: TextDocument,
  needle: string,
  delta = 0,
): { line: number; character: number } {
  const offset = document.getText().indexOf(needle);
  assert.ok(offset >= 0, `${needle} is in the document`);
  return document.positionAt(offset + needle.length + delta);
}

async function complete(
  client: TestClient,
  uri: string,
  position: { line: number; character: number },
): Promise<CompletionItem[]> {
  const list: CompletionList | CompletionItem[] | null = await client.connection.sendRequest(
    CompletionRequest.type,
    { textDocument: { uri }, position },
  );
  return Array.isArray(list) ? list : (list?.items ?? []);
}

/** Accepts an item as an editor does: its text edit, then its additional edits. */
async function accept(client: TestClient, uri: string, item: CompletionItem): Promise<string> {
  assert.ok(item.textEdit && 'range' in item.textEdit, `${item.label} has a text edit`);
  const edits: TextEdit[] = [item.textEdit, ...(item.additionalTextEdits ?? [])];
  await client.edit(uri, edits);
  return client.text(uri);
}

function execute<R>(client: TestClient, command: string, args: unknown[]): Promise<R> {
  return client.connection.sendRequest(ExecuteCommandRequest.type, {
    command,
    arguments: args,
  }) as Promise<R>;
}

describe('a client without snippet support (eglot 1.9, Neovim 0.7)', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ pull: false, capabilities: EGLOT_1_9_CAPABILITIES });
  });
  after(() => {
    client.dispose();
  });

  it('gets a whole entry as plain text with real line breaks, and no filterText', async () => {
    const uri = `${APP_URI}/entry/stripe-app.json`;
    const text = manifestWith(`[\n    ${CUSTOMER},\n    cust\n  ]`);
    const document = await client.open(uri, text);
    const items = await complete(client, uri, after_(document, '    cust'));
    const item = items.find((candidate) => candidate.label === 'customer_write');
    assert.ok(item);
    assert.equal(item.insertTextFormat, InsertTextFormat.PlainText);
    assert.equal(item.filterText, undefined);
    assert.equal(item.command, undefined);
    const purpose = suggestPurpose('customer_write', 'Example App');
    const final = await accept(client, uri, item);
    assert.equal(
      final,
      manifestWith(
        `[\n    ${CUSTOMER},\n    {\n      "permission": "customer_write",\n      "purpose": ${JSON.stringify(purpose)}\n    }\n  ]`,
      ),
    );
    await client.close(uri);
  });

  it('gets the permission and purpose keys as plain text, without a VS Code command', async () => {
    const uri = `${APP_URI}/keys/stripe-app.json`;
    const text = manifestWith(`[\n    { "permission": "charge_read", pur }\n  ]`);
    const document = await client.open(uri, text);
    const items = await complete(client, uri, after_(document, ' pur'));
    assert.deepEqual(
      items.map((item) => item.label),
      ['purpose'],
    );
    const [purposeKey] = items;
    assert.ok(purposeKey);
    assert.equal(purposeKey.insertTextFormat, InsertTextFormat.PlainText);
    assert.equal(purposeKey.filterText, undefined);
    const purpose = suggestPurpose('charge_read', 'Example App');
    assert.equal(
      await accept(client, uri, purposeKey),
      manifestWith(
        `[\n    { "permission": "charge_read", "purpose": ${JSON.stringify(purpose)} }\n  ]`,
      ),
    );
    await client.close(uri);

    const empty = `${APP_URI}/keys2/stripe-app.json`;
    const entry = await client.open(empty, manifestWith(`[\n    { per }\n  ]`));
    const keyItems = await complete(client, empty, after_(entry, '{ per'));
    const permissionKey = keyItems.find((item) => item.label === 'permission');
    assert.ok(permissionKey);
    assert.equal(permissionKey.insertTextFormat, InsertTextFormat.PlainText);
    assert.equal(permissionKey.command, undefined, 'no editor.action.triggerSuggest');
    assert.equal(
      await accept(client, empty, permissionKey),
      manifestWith(`[\n    { "permission": "" }\n  ]`),
    );
    await client.close(empty);
  });

  it('gets the permissions key as plain text', async () => {
    const uri = `${APP_URI}/root/stripe-app.json`;
    const text = '{\n  "id": "com.example.app",\n  perm\n}\n';
    const document = await client.open(uri, text);
    const items = await complete(client, uri, after_(document, 'perm'));
    assert.deepEqual(
      items.map((item) => [item.label, item.insertTextFormat, item.command, item.filterText]),
      [['permissions', InsertTextFormat.PlainText, undefined, undefined]],
    );
    const [item] = items;
    assert.ok(item);
    assert.equal(
      await accept(client, uri, item),
      '{\n  "id": "com.example.app",\n  "permissions": []\n}\n',
    );
    await client.close(uri);
  });

  it('finds names by the prefix typed inside the quotes, as prefix matching does', async () => {
    const uri = `${APP_URI}/prefix/stripe-app.json`;
    const text = manifestWith(
      `[\n    { "permission": "cust", "purpose": "Reads customers." }\n  ]`,
    );
    const document = await client.open(uri, text);
    const items = await complete(client, uri, after_(document, '"cust'));
    // eglot 1.9 and Neovim match the word at the cursor as a prefix of filterText or the label.
    const matched = items
      .filter((item) => (item.filterText ?? item.label).startsWith('cust'))
      .map((item) => item.label)
      .sort();
    assert.deepEqual(matched, [
      'customer_portal_read',
      'customer_portal_write',
      'customer_read',
      'customer_session_read',
      'customer_session_write',
      'customer_write',
    ]);
    const read = items.find((item) => item.label === 'customer_read');
    assert.ok(read);
    assert.equal(
      await accept(client, uri, read),
      manifestWith(`[\n    { "permission": "customer_read", "purpose": "Reads customers." }\n  ]`),
    );
    await client.close(uri);
  });

  it('gets plain-text hovers (eglot asks for plaintext only)', async () => {
    const document = await client.open(MANIFEST_URI, FLAWED_MANIFEST);
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: MANIFEST_URI },
      position: after_(document, '"customer_read', -2),
    });
    assert.ok(hover && typeof hover.contents === 'object' && 'kind' in hover.contents);
    assert.equal(hover.contents.kind, MarkupKind.PlainText);
    assert.equal(
      hover.contents.value,
      [
        'customer_read · read access',
        'Core › Customers',
        'Customers store payment methods and transaction history for repeat buyers. Read access lets you list and retrieve customer details. Write access lets you create, update, and delete customers.',
        'Sibling: customer_write (write access, not granted)',
        'Customers API reference (https://docs.stripe.com/api/customers) · Permissions reference (https://docs.stripe.com/stripe-apps/reference/permissions)',
      ].join('\n\n'),
    );
    await client.close(MANIFEST_URI);
  });

  it('gets plain-text completion documentation (eglot names no format)', async () => {
    const uri = `${APP_URI}/docs/stripe-app.json`;
    const document = await client.open(
      uri,
      manifestWith(`[\n    { "permission": "charge_re" }\n  ]`),
    );
    const items = await complete(client, uri, after_(document, '"charge_re'));
    const read = items.find((item) => item.label === 'charge_read');
    assert.ok(read);
    const resolved = await client.connection.sendRequest(CompletionResolveRequest.type, read);
    assert.ok(typeof resolved.documentation === 'object');
    assert.equal(resolved.documentation.kind, MarkupKind.PlainText);
    assert.match(resolved.documentation.value, /^charge_read · read access\n\n/);
    await client.close(uri);
  });
});

describe('a client with Neovim 0.7 capabilities', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ pull: false, capabilities: NEOVIM_0_7_CAPABILITIES });
  });
  after(() => {
    client.dispose();
  });
  beforeEach(async () => {
    if (client.documents.has(MANIFEST_URI)) await client.close(MANIFEST_URI);
  });

  it('negotiates UTF-16 positions and lists every lens command among its own', () => {
    const { capabilities } = client.initializeResult;
    assert.equal(capabilities.positionEncoding, 'utf-16');
    assert.deepEqual(capabilities.executeCommandProvider?.commands, Object.values(ServerCommands));
  });

  it('gets markdown where it asks for it first', async () => {
    const document = await client.open(MANIFEST_URI, FLAWED_MANIFEST);
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: MANIFEST_URI },
      position: after_(document, '"customer_read', -2),
    });
    assert.ok(hover && typeof hover.contents === 'object' && 'kind' in hover.contents);
    assert.equal(hover.contents.kind, MarkupKind.Markdown);
    assert.match(hover.contents.value, /^`customer_read` · \*\*read\*\* access/);
  });

  it('gets code lenses whose commands the server runs: sort applies, counts show', async () => {
    const text = manifestWith(`[\n    ${CUSTOMER},\n    ${CHARGE}\n  ]`);
    const document = await client.open(MANIFEST_URI, text);
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, {
      textDocument: { uri: MANIFEST_URI },
    });
    const range = rangeOf(document, '"permissions"');
    assert.ok(lenses);
    assert.deepEqual(lenses, [
      {
        range,
        command: {
          title: '2 permissions (2 read, 0 write)',
          command: ServerCommands.showPermissions,
          arguments: [{ uri: MANIFEST_URI }],
        },
      },
      {
        range,
        command: {
          title: 'Sort permissions',
          command: ServerCommands.sortPermissions,
          arguments: [{ uri: MANIFEST_URI }],
        },
      },
    ]);
    const [show, sort] = lenses;
    assert.ok(show?.command.arguments && sort?.command.arguments, 'two lenses with arguments');

    const mark = client.messages.mark();
    const shown = await execute<ShowPermissionsResult>(
      client,
      show.command.command,
      show.command.arguments,
    );
    const message = await client.messages.next(() => true, mark);
    const expected =
      "Granted permissions:\ncustomer_read: Shows the customer's name next to each invoice.\ncharge_read: Lists the charges of the customer in the drawer.";
    assert.deepEqual(shown, { status: 'shown', message: expected });
    assert.deepEqual(message, { type: 3, message: expected });

    const sorted = await execute<SortPermissionsResult>(
      client,
      sort.command.command,
      sort.command.arguments,
    );
    assert.equal(sorted.status, 'sorted');
    assert.equal(
      client.text(MANIFEST_URI),
      manifestWith(`[\n    ${CHARGE},\n    ${CUSTOMER}\n  ]`),
    );
    const after = await client.connection.sendRequest(CodeLensRequest.type, {
      textDocument: { uri: MANIFEST_URI },
    });
    assert.deepEqual(
      after?.map((lens) => lens.command?.command),
      [ServerCommands.showPermissions],
      'no sort lens once sorted',
    );
  });

  it('finds quick fixes from the range alone (no diagnostics in the context)', async () => {
    const document = await client.open(MANIFEST_URI, FLAWED_MANIFEST);
    const range = rangeOf(document, '"customers_write"');
    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: MANIFEST_URI },
      range: { start: range.start, end: range.start },
      context: { diagnostics: [] },
    });
    const fix = actions?.find(
      (action) => 'title' in action && action.title === 'Replace with "customer_write"',
    );
    assert.ok(fix && 'kind' in fix, `a fix among ${JSON.stringify(actions?.map((a) => a.title))}`);
    assert.equal(fix.kind, 'quickfix');
    assert.equal(fix.diagnostics?.[0]?.code, 'unknown-permission');
    // Neovim resolves the edit (it declares resolveSupport for `edit`).
    const resolved = await client.connection.sendRequest(CodeActionResolveRequest.type, fix);
    assert.ok(resolved.edit);
    const edits = resolved.edit.changes?.[MANIFEST_URI];
    assert.ok(edits, 'a plain changes map: Neovim declares no documentChanges');
    await client.edit(MANIFEST_URI, edits);
    assert.equal(
      client.text(MANIFEST_URI),
      FLAWED_MANIFEST.replace('"customers_write"', '"customer_write"'),
    );
  });

  describe('commands with positional arguments, without a version, or none', () => {
    it('grants with (permission, purpose, uri), as the VS Code command takes them', async () => {
      await client.open(MANIFEST_URI, CLEAN_MANIFEST);
      const result = await execute<PermissionCommandResult>(
        client,
        ServerCommands.grantPermission,
        ['invoice_read', 'Lists the invoices of the customer.', MANIFEST_URI],
      );
      assert.equal(result.status, 'granted');
      assert.equal(
        client.text(MANIFEST_URI),
        CLEAN_MANIFEST.replace(
          '\n  ]',
          ',\n    { "permission": "invoice_read", "purpose": "Lists the invoices of the customer." }\n  ]',
        ),
      );
    });

    it('grants into the manifest changed last when no URI is given', async () => {
      const other = `${APP_URI}/other/stripe-app.json`;
      await client.open(other, CLEAN_MANIFEST);
      await client.open(MANIFEST_URI, CLEAN_MANIFEST);
      const result = await execute<PermissionCommandResult>(
        client,
        ServerCommands.grantPermission,
        ['invoice_read', 'Lists the invoices of the customer.'],
      );
      assert.equal(result.status, 'granted');
      assert.equal(client.text(other), CLEAN_MANIFEST);
      assert.match(client.text(MANIFEST_URI), /"invoice_read"/);
      await client.close(other);
    });

    it('revokes with (permission, path) and with an object without a version', async () => {
      await client.open(MANIFEST_URI, CLEAN_MANIFEST);
      const byPath = await execute<PermissionCommandResult>(
        client,
        ServerCommands.revokePermission,
        ['charge_read', path.join(APP_FOLDER, 'stripe-app.json')],
      );
      assert.equal(byPath.status, 'revoked');
      assert.equal(client.text(MANIFEST_URI), manifestWith(`[\n    ${CUSTOMER}\n  ]`));
      const byObject = await execute<PermissionCommandResult>(
        client,
        ServerCommands.revokePermission,
        [{ uri: MANIFEST_URI, permission: 'customer_read' }],
      );
      assert.equal(byObject.status, 'revoked');
      assert.equal(client.text(MANIFEST_URI), manifestWith(`[]`));
    });

    it('sorts the manifest changed last with no arguments', async () => {
      await client.open(MANIFEST_URI, manifestWith(`[\n    ${CUSTOMER},\n    ${CHARGE}\n  ]`));
      const result = await execute<SortPermissionsResult>(
        client,
        ServerCommands.sortPermissions,
        [],
      );
      assert.equal(result.status, 'sorted');
      assert.equal(
        client.text(MANIFEST_URI),
        manifestWith(`[\n    ${CHARGE},\n    ${CUSTOMER}\n  ]`),
      );
    });

    it('answers a clear error for a grant without a permission', async () => {
      await client.open(MANIFEST_URI, CLEAN_MANIFEST);
      const result = await execute<PermissionCommandResult>(
        client,
        ServerCommands.grantPermission,
        [],
      );
      assert.deepEqual(result, {
        status: 'invalid',
        permission: '',
        message:
          'Invalid arguments for Grant Permission. Give a permission name: (permission, purpose?, uri?) or { uri, permission, purpose? }.',
      });
      assert.equal(client.text(MANIFEST_URI), CLEAN_MANIFEST);
    });

    it('answers no-document when no manifest is open', async () => {
      const result = await execute<SortPermissionsResult>(
        client,
        ServerCommands.sortPermissions,
        [],
      );
      assert.deepEqual(result, {
        status: 'no-document',
        message: 'Sort Permissions: no Stripe Apps manifest is open.',
      });
    });
  });
});

describe('a client without workspace/applyEdit', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ pull: false, capabilities: NO_APPLY_EDIT_CAPABILITIES });
  });
  after(() => {
    client.dispose();
  });

  it('is sent no edit, and the command answers not-applied with the reason', async () => {
    await client.open(MANIFEST_URI, CLEAN_MANIFEST);
    const result = await execute<PermissionCommandResult>(client, ServerCommands.grantPermission, [
      'invoice_read',
      'Lists the invoices of the customer.',
      MANIFEST_URI,
    ]);
    assert.deepEqual(result, {
      status: 'not-applied',
      permission: 'invoice_read',
      message:
        'The editor does not apply edits from the server (no workspace/applyEdit support). The manifest is unchanged.',
    });
    assert.equal(client.applyEdits.events.length, 0);
    assert.equal(client.text(MANIFEST_URI), CLEAN_MANIFEST);
  });
});

describe('a client that answers workspace/applyEdit with an error (eglot on a stale version)', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ pull: false, capabilities: EGLOT_1_9_CAPABILITIES });
    client.connection.onRequest(ApplyWorkspaceEditRequest.type, () => {
      throw new ResponseError(
        ErrorCodes.InternalError,
        'Edits on stripe-app.json require version 1, you have 2',
      );
    });
  });
  after(() => {
    client.dispose();
  });

  it('answers not-applied with the reason the editor gave', async () => {
    await client.open(MANIFEST_URI, CLEAN_MANIFEST);
    const result = await execute<PermissionCommandResult>(client, ServerCommands.grantPermission, [
      'invoice_read',
      'Lists the invoices of the customer.',
      MANIFEST_URI,
    ]);
    assert.deepEqual(result, {
      status: 'not-applied',
      permission: 'invoice_read',
      message:
        'The editor refused the edit: Edits on stripe-app.json require version 1, you have 2. The manifest is unchanged.',
    });
    assert.equal(client.text(MANIFEST_URI), CLEAN_MANIFEST);
  });
});

describe('a client that declares workspace/configuration and answers late or never', () => {
  it('gets the first diagnostics without waiting for the answer', async () => {
    const client = await TestClient.start({
      pull: false,
      capabilities: EGLOT_1_9_CAPABILITIES,
      holdConfiguration: new Promise<void>(() => undefined),
    });
    try {
      await client.configurationRequests.next(() => true);
      const started = Date.now();
      await client.open(MANIFEST_URI, FLAWED_MANIFEST);
      const published = await client.nextDiagnostics(MANIFEST_URI);
      const waited = Date.now() - started;
      assert.deepEqual(
        published.diagnostics.map((diagnostic) => diagnostic.code),
        ['unknown-permission', 'placeholder-purpose'],
      );
      // Before, the server waited 5 s for the answer; now at most SETTINGS_WAIT_MS (300 ms).
      assert.ok(waited < 3000, `first diagnostics after ${waited} ms`);
    } finally {
      client.dispose();
    }
  });

  it('applies a late answer and publishes the diagnostics again', async () => {
    let answer = (): void => undefined;
    const client = await TestClient.start({
      pull: false,
      capabilities: EGLOT_1_9_CAPABILITIES,
      settings: { severity: { 'unknown-permission': 'off' } },
      holdConfiguration: new Promise<void>((resolve) => {
        answer = resolve;
      }),
    });
    try {
      await client.configurationRequests.next(() => true);
      await client.open(MANIFEST_URI, FLAWED_MANIFEST);
      const first = await client.nextDiagnostics(MANIFEST_URI);
      assert.deepEqual(
        first.diagnostics.map((diagnostic) => diagnostic.code),
        ['unknown-permission', 'placeholder-purpose'],
      );
      const mark = client.diagnostics.mark();
      answer();
      const second = await client.nextDiagnostics(MANIFEST_URI, mark);
      assert.deepEqual(
        second.diagnostics.map((diagnostic) => diagnostic.code),
        ['placeholder-purpose'],
      );
    } finally {
      client.dispose();
    }
  });
});

describe('after shutdown', () => {
  it('answers requests with InvalidRequest, then exits with 0', async () => {
    const client = await TestClient.start({ pull: false, capabilities: NEOVIM_0_7_CAPABILITIES });
    try {
      const document = await client.open(MANIFEST_URI, FLAWED_MANIFEST);
      await client.connection.sendRequest('shutdown');
      const hover = client.connection.sendRequest(HoverRequest.type, {
        textDocument: { uri: MANIFEST_URI },
        position: after_(document, '"customer_read', -2),
      });
      await assert.rejects(hover, (error: unknown) => {
        assert.ok(error instanceof ResponseError);
        assert.equal(error.code, ErrorCodes.InvalidRequest);
        return true;
      });
      const command = execute(client, ServerCommands.sortPermissions, []);
      await assert.rejects(command, (error: unknown) => {
        assert.ok(error instanceof ResponseError);
        assert.equal(error.code, ErrorCodes.InvalidRequest);
        return true;
      });
      await client.connection.sendNotification('exit');
      assert.equal(await client.exitCode, 0);
    } finally {
      client.dispose();
    }
  });
});
