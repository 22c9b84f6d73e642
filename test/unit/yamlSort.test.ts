/**
 * Sorting permission lists in YAML: each entry moves with its comments while blank lines, line
 * breaks, indentation and the final newline stay (sort then the inverse order gives the original
 * bytes).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  applyRawEdits,
  expectedValue,
  type EditOperation,
  type ValuePath,
} from '../../server/src/service/edits';
import { createManifestLanguageService } from '../../server/src/service/languageService';
import { yamlEditor } from '../../server/src/service/yaml/yamlEditor';
import { applyEdits } from './util';

const URI = 'file:///app/stripe-app.yaml';
const APP: ValuePath = ['declarations', 'stripe_api_access', 'permissions'];
const service = createManifestLanguageService();

function yamlDoc(text: string): TextDocument {
  return TextDocument.create(URI, 'yaml', 1, text);
}

/** The text after sorting the app's list (the service's own sort). */
function sorted(text: string): string {
  const document = yamlDoc(text);
  return applyEdits(
    document,
    service.getSortEntriesEdits(document, service.parseManifest(document)),
  );
}

/** The text after the YAML editor reorders the list at `list`, its value checked. */
function reordered(text: string, list: ValuePath, order: readonly number[]): string {
  const operation: EditOperation = { kind: 'reorder', list, order };
  const edits = yamlEditor.apply(text, operation);
  assert.ok(edits, `reorder ${order.join(',')}`);
  const next = applyRawEdits(text, edits);
  const before = yamlEditor.valueOf(text);
  const after = next === undefined ? undefined : yamlEditor.valueOf(next);
  assert.ok(next !== undefined && before && after);
  assert.deepEqual(after.value, expectedValue(before.value, operation)?.value);
  return next;
}

/** The order that puts back what `order` moved. */
function inverse(order: readonly number[]): number[] {
  const back: number[] = [];
  order.forEach((index, position) => {
    back[index] = position;
  });
  return back;
}

/** The order the sort applies: by name, stable. */
function sortOrder(text: string, list: ValuePath = APP): number[] {
  const manifest = service.parseManifest(yamlDoc(text));
  const entries = manifest.lists.find(
    (candidate) => candidate.path.join() === list.join(),
  )?.entries;
  assert.ok(entries);
  const names = entries.map((entry) => entry.name ?? '');
  const name = (index: number): string => names[index] ?? '';
  return names
    .map((_, index) => index)
    .sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : a - b));
}

function permutations(items: readonly number[]): number[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [
      item,
      ...rest,
    ]),
  );
}

/** Hand-written: 2 spaces, items indented under their key, comments and blank lines. */
const HAND_WRITTEN = `id: com.example.app
declarations:
  stripe_api_access:
    permissions: # what the app reads and writes
      # Invoices: the drawer lists them
      - permission: invoice_read
        purpose: Lists the invoices. # shown first
        # reviewed with support in May

      # needed for refunds
      - permission: charge_write
        purpose: Refunds a charge.

      - permission: customer_read # the header
        purpose: Shows the customer.
      # nothing after this line is an entry
extensions: []
`;

const HAND_WRITTEN_SORTED = `id: com.example.app
declarations:
  stripe_api_access:
    permissions: # what the app reads and writes
      # needed for refunds
      - permission: charge_write
        purpose: Refunds a charge.

      - permission: customer_read # the header
        purpose: Shows the customer.

      # Invoices: the drawer lists them
      - permission: invoice_read
        purpose: Lists the invoices. # shown first
        # reviewed with support in May
      # nothing after this line is an entry
extensions: []
`;

/** CLI-written: 4 spaces, items indented, CRLF, the list last and no final line break. */
const CLI_WRITTEN = [
  'id: com.example.app',
  'extensions: []',
  'declarations:',
  '    stripe_api_access:',
  '        permissions:',
  '            # the list view',
  '            -   permission: subscription_read',
  '                purpose: Lists the subscriptions.',
  '            # coupons',
  '            # (both of them)',
  '            -   permission: coupon_read',
  "                purpose: 'Shows the coupon''s code.' # quoted",
].join('\r\n');

const CLI_WRITTEN_SORTED = [
  'id: com.example.app',
  'extensions: []',
  'declarations:',
  '    stripe_api_access:',
  '        permissions:',
  '            # coupons',
  '            # (both of them)',
  '            -   permission: coupon_read',
  "                purpose: 'Shows the coupon''s code.' # quoted",
  '            # the list view',
  '            -   permission: subscription_read',
  '                purpose: Lists the subscriptions.',
].join('\r\n');

/** Items at their key's column (sequences not indented), a comment separated by a blank line. */
const NOT_INDENTED = `declarations:
  stripe_api_access:
    permissions:
    - permission: payout_read
      purpose: Lists the payouts.
    # balance: the dashboard card

    - permission: balance_read
      purpose: Shows the balance.
    - permission: event_read
      purpose: Receives the events.
extensions: []
`;

const NOT_INDENTED_SORTED = `declarations:
  stripe_api_access:
    permissions:
    # balance: the dashboard card

    - permission: balance_read
      purpose: Shows the balance.
    - permission: event_read
      purpose: Receives the events.
    - permission: payout_read
      purpose: Lists the payouts.
extensions: []
`;

describe('YAML sort: each entry moves with its comments', () => {
  it('hand-written: comments above an entry and after it travel, blank lines stay', () => {
    assert.equal(sorted(HAND_WRITTEN), HAND_WRITTEN_SORTED);
  });

  it('CLI-written (4 spaces, CRLF, no final line break): the end stays without one', () => {
    assert.equal(sorted(CLI_WRITTEN), CLI_WRITTEN_SORTED);
  });

  it('items not indented under their key; a comment moves with the blank line under it', () => {
    assert.equal(sorted(NOT_INDENTED), NOT_INDENTED_SORTED);
  });

  it('a sorted list: no edit, not a byte changes', () => {
    for (const text of [HAND_WRITTEN_SORTED, CLI_WRITTEN_SORTED, NOT_INDENTED_SORTED]) {
      const document = yamlDoc(text);
      assert.deepEqual(service.getSortEntriesEdits(document, service.parseManifest(document)), []);
      const count = service.parseManifest(document).entries.length;
      assert.equal(reordered(text, APP, [...Array(count).keys()]), text);
    }
  });

  it('sort then the inverse order gives the original bytes', () => {
    for (const text of [HAND_WRITTEN, CLI_WRITTEN, NOT_INDENTED]) {
      assert.equal(reordered(sorted(text), APP, inverse(sortOrder(text))), text);
    }
  });

  it('every order of four entries, and back, with and without a final line break', () => {
    const four = HAND_WRITTEN.replace(
      'extensions: []\n',
      '      - permission: balance_read\n        purpose: Shows the balance.\nextensions: []\n',
    );
    const lastInFile = `extensions: []\n${HAND_WRITTEN.replace('extensions: []\n', '').trimEnd()}`;
    for (const text of [four, lastInFile, lastInFile.replace(/\n/g, '\r\n')]) {
      const count = service.parseManifest(yamlDoc(text)).entries.length;
      for (const order of permutations([...Array(count).keys()])) {
        const moved = reordered(text, APP, order);
        assert.equal(reordered(moved, APP, inverse(order)), text, order.join(','));
      }
    }
  });

  it('the last entry gives its line break to the one that leaves the end', () => {
    const text = `extensions: []
declarations:
  stripe_api_access:
    permissions:
      - permission: invoice_read
        purpose: Lists the invoices.
      # charges
      - permission: charge_read
        purpose: Lists the charges. # last line`;
    assert.equal(
      sorted(text),
      `extensions: []
declarations:
  stripe_api_access:
    permissions:
      # charges
      - permission: charge_read
        purpose: Lists the charges. # last line
      - permission: invoice_read
        purpose: Lists the invoices.`,
    );
  });

  it('a flow list: the items swap, commas and comments stay', () => {
    const text = `declarations:
  stripe_api_access:
    permissions: [
      {permission: invoice_read, purpose: Lists the invoices.}, # first
      {permission: charge_read, purpose: "Lists the charges."}
    ]
extensions: []
`;
    assert.equal(
      sorted(text),
      `declarations:
  stripe_api_access:
    permissions: [
      {permission: charge_read, purpose: "Lists the charges."}, # first
      {permission: invoice_read, purpose: Lists the invoices.}
    ]
extensions: []
`,
    );
  });
});
