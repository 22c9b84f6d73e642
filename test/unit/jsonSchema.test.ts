/**
 * What VS Code's own JSON support (vscode-json-languageservice, the library its JSON extension
 * runs) does in a manifest with and without the schema the extension associates: with it, JSON
 * proposes, hovers and reports nothing in `permissions`, so the suggest widget, hovers and
 * diagnostics there are the extension's alone.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  getLanguageService,
  TextDocument,
  type JSONSchema,
  type LanguageService,
} from 'vscode-json-languageservice';
import type { Diagnostic } from 'vscode-languageserver-types';
import { withCursor } from './util';

const root = join(__dirname, '..', '..');
const contribution = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    contributes: { jsonValidation: { fileMatch: string[]; url: string }[] };
  }
).contributes.jsonValidation;
const schema = JSON.parse(
  readFileSync(join(root, contribution[0]?.url ?? 'missing'), 'utf8'),
) as JSONSchema;
const SCHEMA_URI = 'vscode://schemas/stripe-app';
const STRIPE_SCHEMA_URI = 'https://stripe.com/stripe-app.schema.json';
/** The shape of Stripe's published schema (2022): an enum of the names of its day. */
const stripeSchema: JSONSchema = {
  type: 'object',
  properties: {
    permissions: {
      type: 'array',
      items: {
        type: 'object',
        properties: { permission: { type: 'string', enum: ['customer_read', 'mandate_read'] } },
      },
    },
  },
};

function jsonService(withSchema: boolean): { service: LanguageService; requested: string[] } {
  const requested: string[] = [];
  const service = getLanguageService({
    schemaRequestService: (uri) => {
      requested.push(uri);
      return uri === STRIPE_SCHEMA_URI
        ? Promise.resolve(JSON.stringify(stripeSchema))
        : Promise.reject(new Error(`no network: ${uri}`));
    },
  });
  service.configure({
    validate: true,
    schemas: withSchema
      ? (contribution[0]?.fileMatch ?? []).map((pattern) => ({
          uri: SCHEMA_URI,
          // VS Code's JSON client prefixes patterns without a slash with `**/`.
          fileMatch: [`**/${pattern}`],
          schema,
        }))
      : [],
  });
  return { service, requested };
}

async function labelsAt(textWithCursor: string, withSchema: boolean, file = 'stripe-app.json') {
  const { service } = jsonService(withSchema);
  const { document: cursorDocument, position } = withCursor(textWithCursor);
  const document = TextDocument.create(`file:///app/${file}`, 'json', 1, cursorDocument.getText());
  const list = await service.doComplete(document, position, service.parseJSONDocument(document));
  return (list?.items ?? []).map((item) => item.label);
}

const MANIFEST = `{
  "id": "com.example.notes",
  "permissions": [
    { "permission": "customer_read", "purpose": "Shows the customer." },
    { "permission": "cust|" }
  ]
}`;

describe("VS Code JSON and the extension's schema", () => {
  it('without a schema, JSON proposes the quoted document values in a permission value', async () => {
    // Granted already: accepting it would grant it twice.
    assert.deepEqual(await labelsAt(MANIFEST, false), ['"customer_read"']);
  });

  it('with the schema, JSON proposes nothing in a permission value (base and local manifests)', async () => {
    assert.deepEqual(await labelsAt(MANIFEST, true), []);
    assert.deepEqual(await labelsAt(MANIFEST, true, 'stripe-app.dev.json'), []);
  });

  it('with the schema, JSON proposes no keys in a new entry (ours are the only ones)', async () => {
    const entry = '{ "permissions": [ { | } ] }';
    assert.deepEqual(await labelsAt(entry, false), []);
    const beside = '{ "permissions": [ { "permission": "a", "purpose": "b" }, { | } ] }';
    assert.deepEqual(await labelsAt(beside, false), ['permission', 'purpose']);
    assert.deepEqual(await labelsAt(beside, true), []);
  });

  it('with the schema, JSON neither hovers nor reports anything in a manifest', async () => {
    const { service } = jsonService(true);
    const text = readFileSync(
      join(root, 'test', 'fixtures', 'workspaces', 'basic', 'stripe-app.json'),
      'utf8',
    );
    const document = TextDocument.create('file:///app/stripe-app.json', 'json', 1, text);
    const parsed = service.parseJSONDocument(document);
    assert.deepEqual(await service.doValidation(document, parsed), []);
    for (const word of ['"customer_read"', '"permissions"', '"purpose"', '"id"']) {
      const position = document.positionAt(text.indexOf(word) + 2);
      const hover = await service.doHover(document, position, parsed);
      // An empty hover, which VS Code does not show (it drops empty markdown).
      const contents = hover ? [hover.contents].flat() : [];
      assert.ok(
        contents.every((part) => (typeof part === 'string' ? part : part.value) === ''),
        `${word}: ${JSON.stringify(hover)}`,
      );
    }
  });

  it("an in-file $schema wins over every association: Stripe's stale list comes back", async () => {
    const { service, requested } = jsonService(true);
    const text = `{ "$schema": "${STRIPE_SCHEMA_URI}", "permissions": [ { "permission": "v2_account_card_creator_read", "purpose": "x" } ] }`;
    const document = TextDocument.create('file:///app/stripe-app.json', 'json', 1, text);
    const parsed = service.parseJSONDocument(document);
    const diagnostics: Diagnostic[] = await service.doValidation(document, parsed);
    assert.deepEqual(requested, [STRIPE_SCHEMA_URI]);
    // Stripe's 2022 enum rejects a name the current reference lists.
    assert.match(
      JSON.stringify(diagnostics.map((diagnostic) => diagnostic.message)),
      /Value is not accepted/,
    );
  });
});
