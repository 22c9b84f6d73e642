/**
 * Manifest v2 (`stripe-app.yaml`) over the protocol, on the real server: completion of names and
 * of a new entry, hover on a name of an extension's list, and that list's diagnostics.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CompletionRequest,
  DocumentDiagnosticRequest,
  HoverRequest,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type Position,
} from 'vscode-languageserver-protocol/node';
import { suggestPurpose } from '../../server/src/service/purposeSuggestion';
import { rangeOf } from '../unit/util';
import { TestClient } from './client';
import { APP_URI } from './manifests';

const URI = `${APP_URI}/v2/stripe-app.yaml`;
const TEXT = `id: com.example.app
name: Example App
declarations:
  stripe_api_access:
    permissions:
      - permission: charge_re
        purpose: Lists the charges of the customer in the drawer.
      - 
extensions:
  - id: ext
    permissions:
      - permission: invoce_read
        purpose: Lists the invoices in the extension.
`;

/** The position just after the first occurrence of `needle`. */
function endOf(document: TextDocument, needle: string): Position {
  const offset = document.getText().indexOf(needle);
  assert.ok(offset >= 0, `${needle} not in the document`);
  return document.positionAt(offset + needle.length);
}

describe('manifest v2 over the protocol', () => {
  let client: TestClient;
  let document: TextDocument;
  before(async () => {
    client = await TestClient.start({ pull: true });
    document = await client.open(URI, TEXT, 'yaml');
  });
  after(() => {
    client.dispose();
  });

  async function complete(position: Position): Promise<CompletionItem[]> {
    const list: CompletionList | CompletionItem[] | null = await client.connection.sendRequest(
      CompletionRequest.type,
      { textDocument: { uri: URI }, position },
    );
    return Array.isArray(list) ? list : (list?.items ?? []);
  }

  it('completes a permission name, replacing the whole plain scalar', async () => {
    const items = await complete(endOf(document, 'charge_re'));
    assert.equal(items.find((item) => item.preselect === true)?.label, 'charge_read');
    const read = items.find((item) => item.label === 'charge_read');
    assert.deepEqual(read?.textEdit, {
      range: rangeOf(document, 'charge_re'),
      newText: 'charge_read',
    });
  });

  it('completes a new entry after "- " in the file\'s layout, its purpose a tab stop', async () => {
    const dash = TEXT.indexOf('      - \n') + '      - '.length;
    const items = await complete(document.positionAt(dash));
    const coupon = items.find((item) => item.label === 'coupon_read');
    assert.equal(coupon?.insertTextFormat, InsertTextFormat.Snippet);
    assert.deepEqual(coupon.textEdit, {
      range: { start: document.positionAt(dash), end: document.positionAt(dash) },
      newText: `permission: coupon_read\n        purpose: \${1:${suggestPurpose('coupon_read', 'Example App')}}`,
    });
  });

  it('hovers a name of an extension list', async () => {
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: URI },
      position: endOf(document, 'invoce'),
    });
    assert.ok(hover);
    assert.deepEqual(hover.range, rangeOf(document, 'invoce_read'));
    assert.ok(typeof hover.contents === 'object' && 'kind' in hover.contents);
    assert.equal(hover.contents.kind, MarkupKind.Markdown);
    assert.match(hover.contents.value, /^\*\*Unknown permission\*\* `invoce_read`/);
  });

  it("reports an extension list's unknown name", async () => {
    const report = await client.connection.sendRequest(DocumentDiagnosticRequest.type, {
      textDocument: { uri: URI },
    });
    const items = 'items' in report ? report.items : [];
    const unknown = items.filter((item) => item.code === 'unknown-permission');
    assert.deepEqual(
      unknown.map((item) => [item.range, item.message]),
      [
        [
          rangeOf(document, 'charge_re'),
          'Unknown permission "charge_re": did you mean "charge_read" or "charge_write"?',
        ],
        [
          rangeOf(document, 'invoce_read'),
          'Unknown permission "invoce_read": did you mean "invoice_read"?',
        ],
      ],
    );
  });
});
