import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ExecuteCommandRequest } from 'vscode-languageserver-protocol/node';
import {
  ManifestInfoRequest,
  ServerCommands,
  type GrantPermissionParams,
  type ManifestInfoResult,
  type PermissionCommandResult,
  type RevokePermissionParams,
  type SortPermissionsParams,
  type SortPermissionsResult,
} from '../../server/src/protocol';
import { manifestWith } from '../unit/util';
import { TestClient, editsOf } from './client';
import { CLEAN_MANIFEST, MANIFEST_URI } from './manifests';

const CUSTOMER = `{ "permission": "customer_read", "purpose": "Shows the customer's name next to each invoice." }`;
const CHARGE = `{ "permission": "charge_read", "purpose": "Lists the charges of the customer in the drawer." }`;
const INVOICE = `{ "permission": "invoice_write", "purpose": "Adds shipping line items to invoices." }`;

function entries(...items: string[]): string {
  return manifestWith(`[\n    ${items.join(',\n    ')}\n  ]`);
}

async function execute<R>(client: TestClient, command: string, argument: unknown): Promise<R> {
  return (await client.connection.sendRequest(ExecuteCommandRequest.type, {
    command,
    arguments: [argument],
  })) as R;
}

function grant(
  client: TestClient,
  params: GrantPermissionParams,
): Promise<PermissionCommandResult> {
  return execute(client, ServerCommands.grantPermission, params);
}

function revoke(
  client: TestClient,
  params: RevokePermissionParams,
): Promise<PermissionCommandResult> {
  return execute(client, ServerCommands.revokePermission, params);
}

describe('grant and revoke server commands (the test answers workspace/applyEdit)', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ pull: true });
  });
  after(() => {
    client.dispose();
  });
  beforeEach(async () => {
    client.applyEditAnswer = { applied: true };
    if (client.documents.has(MANIFEST_URI)) await client.close(MANIFEST_URI);
    await client.open(MANIFEST_URI, CLEAN_MANIFEST);
  });

  const current = (): { uri: string; version: number } => ({
    uri: MANIFEST_URI,
    version: client.version(MANIFEST_URI),
  });

  it('grants a new permission with a versioned edit the client applies', async () => {
    const since = client.applyEdits.mark();
    const result = await grant(client, {
      ...current(),
      permission: 'invoice_write',
      purpose: 'Adds shipping line items to invoices.',
    });
    assert.deepEqual(result, {
      status: 'granted',
      permission: 'invoice_write',
      message: 'Granted invoice_write.',
    });
    const [request] = client.applyEdits.events.slice(since);
    assert.ok(request);
    assert.equal(request.label, 'Grant permission invoice_write');
    assert.deepEqual(
      editsOf(request.edit).map(([uri, version]) => [uri, version]),
      [[MANIFEST_URI, 1]],
    );
    assert.ok(request.edit.documentChanges, 'a TextDocumentEdit, not a changes map');
    assert.equal(client.text(MANIFEST_URI), entries(CUSTOMER, CHARGE, INVOICE));
    assert.equal(client.version(MANIFEST_URI), 2);
  });

  it("updates the purpose when the permission is granted again ('updated')", async () => {
    const purpose = 'Adds shipping costs to invoices.';
    const result = await grant(client, { ...current(), permission: 'charge_read', purpose });
    assert.equal(result.status, 'updated');
    assert.equal(
      client.text(MANIFEST_URI),
      CLEAN_MANIFEST.replace('Lists the charges of the customer in the drawer.', purpose),
    );
  });

  it("changes nothing and sends no edit for the same purpose, or none ('unchanged')", async () => {
    const since = client.applyEdits.mark();
    const same = await grant(client, {
      ...current(),
      permission: 'charge_read',
      purpose: 'Lists the charges of the customer in the drawer.',
    });
    assert.equal(same.status, 'unchanged');
    const none = await grant(client, { ...current(), permission: 'charge_read' });
    assert.equal(none.status, 'unchanged');
    assert.equal(client.applyEdits.mark(), since);
    assert.equal(client.text(MANIFEST_URI), CLEAN_MANIFEST);
  });

  it('a locale map: manifestInfo offers the en-US text, and a grant of it changes nothing', async () => {
    const localized = entries(
      `{ "permission": "charge_read", "purpose": { "fr-FR": "Affiche les paiements.", "en-US": "Shows the charges." } }`,
    );
    await client.close(MANIFEST_URI);
    await client.open(MANIFEST_URI, localized);
    const info = await client.connection.sendRequest<ManifestInfoResult | null>(
      ManifestInfoRequest,
      { uri: MANIFEST_URI },
    );
    const offered = info?.granted.find((item) => item.permission === 'charge_read')?.purpose;
    assert.equal(offered, 'Shows the charges.');
    // What the Grant Quick Pick pre-fills, granted back: the French text stays French.
    const result = await grant(client, {
      ...current(),
      permission: 'charge_read',
      purpose: offered,
    });
    assert.equal(result.status, 'unchanged');
    assert.equal(client.text(MANIFEST_URI), localized);
    const none = await grant(client, { ...current(), permission: 'charge_read' });
    assert.equal(none.status, 'unchanged');
  });

  it('grants with a suggested purpose when none is given', async () => {
    const result = await grant(client, { ...current(), permission: 'invoice_read' });
    assert.equal(result.status, 'granted');
    assert.match(
      client.text(MANIFEST_URI),
      /\{ "permission": "invoice_read", "purpose": "[^"]+" \}/,
    );
  });

  it("refuses an unknown name with suggestions ('unknown'), unless forced", async () => {
    const since = client.applyEdits.mark();
    const unknown = await grant(client, {
      ...current(),
      permission: 'customers_write',
      purpose: 'Tags customers with their loyalty tier.',
    });
    assert.equal(unknown.status, 'unknown');
    assert.equal(unknown.permission, 'customers_write');
    assert.deepEqual(unknown.suggestions, ['customer_write']);
    assert.match(unknown.message, /customer_write/);
    assert.equal(client.applyEdits.mark(), since);
    assert.equal(client.text(MANIFEST_URI), CLEAN_MANIFEST);

    const forced = await grant(client, {
      ...current(),
      permission: 'customers_write',
      purpose: 'Tags customers with their loyalty tier.',
      force: true,
    });
    assert.equal(forced.status, 'granted');
    assert.equal(
      client.text(MANIFEST_URI),
      entries(
        CUSTOMER,
        CHARGE,
        `{ "permission": "customers_write", "purpose": "Tags customers with their loyalty tier." }`,
      ),
    );
  });

  it("revokes a granted permission ('revoked')", async () => {
    const since = client.applyEdits.mark();
    const result = await revoke(client, { ...current(), permission: 'customer_read' });
    assert.deepEqual(result, {
      status: 'revoked',
      permission: 'customer_read',
      message: 'Revoked customer_read.',
    });
    assert.equal(client.applyEdits.events[since]?.label, 'Revoke permission customer_read');
    assert.equal(client.text(MANIFEST_URI), entries(CHARGE));
  });

  it("changes nothing when revoking what is not granted ('not-granted')", async () => {
    const since = client.applyEdits.mark();
    const result = await revoke(client, { ...current(), permission: 'invoice_write' });
    assert.equal(result.status, 'not-granted');
    assert.equal(client.applyEdits.mark(), since);
    assert.equal(client.text(MANIFEST_URI), CLEAN_MANIFEST);
  });

  it("refuses a stale version and sends no edit ('stale')", async () => {
    await client.change(MANIFEST_URI, CLEAN_MANIFEST.replace('"1.0.0"', '"1.0.1"'));
    const since = client.applyEdits.mark();
    const granted = await grant(client, {
      uri: MANIFEST_URI,
      version: 1,
      permission: 'invoice_write',
      purpose: 'Adds shipping line items to invoices.',
    });
    const revoked = await revoke(client, {
      uri: MANIFEST_URI,
      version: 1,
      permission: 'customer_read',
    });
    assert.deepEqual([granted.status, revoked.status], ['stale', 'stale']);
    assert.equal(client.applyEdits.mark(), since);
    assert.equal(client.text(MANIFEST_URI), CLEAN_MANIFEST.replace('"1.0.0"', '"1.0.1"'));
  });

  it("reports an edit the client did not apply ('not-applied')", async () => {
    client.applyEditAnswer = { applied: false, failureReason: 'the file is read-only' };
    const since = client.applyEdits.mark();
    const result = await revoke(client, { ...current(), permission: 'customer_read' });
    assert.equal(result.status, 'not-applied');
    assert.match(result.message, /the file is read-only/);
    assert.equal(client.applyEdits.mark(), since + 1);
    assert.equal(client.text(MANIFEST_URI), CLEAN_MANIFEST);
  });

  it("answers 'no-document' for a manifest that is not open and 'invalid' for bad arguments", async () => {
    const missing = await grant(client, {
      uri: 'file:///elsewhere/stripe-app.json',
      version: 1,
      permission: 'invoice_write',
      purpose: 'Adds shipping line items to invoices.',
    });
    assert.equal(missing.status, 'no-document');
    const invalid = await execute<PermissionCommandResult>(
      client,
      ServerCommands.revokePermission,
      { uri: MANIFEST_URI },
    );
    assert.equal(invalid.status, 'invalid');
    const nothing = await execute<PermissionCommandResult>(
      client,
      ServerCommands.grantPermission,
      undefined,
    );
    assert.equal(nothing.status, 'invalid');
  });

  it('sorts the permission entries (stripeApps.server.sortPermissions)', async () => {
    await client.change(MANIFEST_URI, entries(INVOICE, CUSTOMER, CHARGE));
    const result = await execute<SortPermissionsResult>(client, ServerCommands.sortPermissions, {
      ...current(),
    } satisfies SortPermissionsParams);
    assert.equal(result.status, 'sorted');
    assert.equal(client.text(MANIFEST_URI), entries(CHARGE, CUSTOMER, INVOICE));
    const again = await execute<SortPermissionsResult>(client, ServerCommands.sortPermissions, {
      ...current(),
    } satisfies SortPermissionsParams);
    assert.equal(again.status, 'unchanged');
  });
});

describe('server commands for a client without documentChanges', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ pull: false, documentChanges: false });
    await client.open(MANIFEST_URI, CLEAN_MANIFEST);
  });
  after(() => {
    client.dispose();
  });

  it('sends a plain changes map', async () => {
    const since = client.applyEdits.mark();
    const result = await revoke(client, {
      uri: MANIFEST_URI,
      version: 1,
      permission: 'charge_read',
    });
    assert.equal(result.status, 'revoked');
    const request = client.applyEdits.events[since];
    assert.ok(request);
    assert.equal(request.edit.documentChanges, undefined);
    assert.deepEqual(Object.keys(request.edit.changes ?? {}), [MANIFEST_URI]);
    assert.equal(client.text(MANIFEST_URI), entries(CUSTOMER));
  });
});

describe('v2 manifests: manifestInfo lists every permission list, and grant/revoke take one', () => {
  const V2_URI = 'file:///workspace/v2-app/stripe-app.yaml';
  const V2 = [
    'id: com.example.v2',
    'version: 0.0.1',
    'name: Example',
    'declarations:',
    '  stripe_api_access:',
    '    permissions:',
    '      - permission: customer_read',
    '        purpose: Shows the customer in the drawer.',
    'extensions:',
    '  - id: billing',
    '    permissions: []',
    '',
  ].join('\n');
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ pull: true });
    await client.open(V2_URI, V2, 'yaml');
  });
  after(() => {
    client.dispose();
  });

  it('answers each list with its label, path and granted names, the app list first', async () => {
    const info = await client.connection.sendRequest<ManifestInfoResult | null>(
      ManifestInfoRequest,
      { uri: V2_URI },
    );
    assert.deepEqual(info?.lists, [
      {
        label: 'permissions',
        path: ['declarations', 'stripe_api_access', 'permissions'],
        scope: 'app',
        granted: [{ permission: 'customer_read', purpose: 'Shows the customer in the drawer.' }],
      },
      {
        label: 'extension "billing"',
        path: ['extensions', 0, 'permissions'],
        scope: 'extension',
        granted: [],
      },
    ]);
    assert.deepEqual(info.granted, info.lists[0]?.granted);
  });

  it("grants into an extension's list and revokes from it, giving back the bytes", async () => {
    const list = ['extensions', 0, 'permissions'];
    const granted = await grant(client, {
      uri: V2_URI,
      permission: 'invoice_read',
      purpose: 'Reads invoices for the billing extension.',
      list,
    });
    assert.equal(granted.status, 'granted');
    assert.equal(
      client.text(V2_URI),
      V2.replace(
        '    permissions: []\n',
        '    permissions:\n      - permission: invoice_read\n        purpose: Reads invoices for the billing extension.\n',
      ),
    );
    const revoked = await revoke(client, { uri: V2_URI, permission: 'invoice_read', list });
    assert.equal(revoked.status, 'revoked');
    assert.equal(client.text(V2_URI), V2);
  });

  it("sorts the list it is given (an extension's), then every list", async () => {
    const unsorted = V2.replace(
      '      - permission: customer_read\n        purpose: Shows the customer in the drawer.\n',
      '      - permission: invoice_read\n        purpose: Lists the invoices.\n      - permission: customer_read\n        purpose: Shows the customer in the drawer.\n',
    ).replace(
      '    permissions: []\n',
      '    permissions:\n      # the coupon field\n      - permission: coupon_read\n        purpose: Shows the coupons.\n      - permission: charge_read\n        purpose: Lists the charges.\n',
    );
    await client.change(V2_URI, unsorted);
    const list = ['extensions', 0, 'permissions'];
    const extension = await execute<SortPermissionsResult>(client, ServerCommands.sortPermissions, {
      uri: V2_URI,
      version: client.version(V2_URI),
      list,
    } satisfies SortPermissionsParams);
    assert.deepEqual(extension, {
      status: 'sorted',
      message: 'Sorted the permissions of extension "billing" by name.',
    });
    const extensionSorted = unsorted.replace(
      '      # the coupon field\n      - permission: coupon_read\n        purpose: Shows the coupons.\n      - permission: charge_read\n        purpose: Lists the charges.\n',
      '      - permission: charge_read\n        purpose: Lists the charges.\n      # the coupon field\n      - permission: coupon_read\n        purpose: Shows the coupons.\n',
    );
    assert.equal(client.text(V2_URI), extensionSorted);
    const all = await execute<SortPermissionsResult>(client, ServerCommands.sortPermissions, {
      uri: V2_URI,
    } satisfies SortPermissionsParams);
    assert.deepEqual(all, { status: 'sorted', message: 'Sorted the permissions by name.' });
    assert.equal(
      client.text(V2_URI),
      extensionSorted.replace(
        '      - permission: invoice_read\n        purpose: Lists the invoices.\n      - permission: customer_read\n        purpose: Shows the customer in the drawer.\n',
        '      - permission: customer_read\n        purpose: Shows the customer in the drawer.\n      - permission: invoice_read\n        purpose: Lists the invoices.\n',
      ),
    );
    await client.change(V2_URI, V2);
  });

  it('refuses a list path that is not a path', async () => {
    const result = await execute<PermissionCommandResult>(client, ServerCommands.revokePermission, {
      uri: V2_URI,
      permission: 'customer_read',
      list: 'extensions',
    });
    assert.equal(result.status, 'invalid');
    assert.match(result.message, /The list must be a path of keys and indexes/);
  });
});
