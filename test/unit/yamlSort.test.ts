/**
 * Sorting permission lists: in YAML each entry moves with its comments while blank lines, line
 * breaks, indentation and the final newline stay (sort then the inverse order gives the original
 * bytes); in a v2 manifest every list is sortable, the code action sorting the list the cursor
 * is in and the command every list, or the one it names.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, type CodeAction } from 'vscode-languageserver-types';
import {
  applyRawEdits,
  expectedValue,
  type EditOperation,
  type ValuePath,
} from '../../server/src/service/edits';
import { ServerCommands } from '../../server/src/protocol';
import { VSCODE_FEATURES } from '../../server/src/service/clientFeatures';
import { createManifestLanguageService } from '../../server/src/service/languageService';
import { sortPermissions } from '../../server/src/service/permissionSummary';
import { yamlEditor } from '../../server/src/service/yaml/yamlEditor';
import { assertProperty, runs } from './fuzzUtil';
import { applyEdits, rangeOf, withCursor } from './util';

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

/** One generated entry: its comment lines above, the blank lines before them, its comments. */
interface GeneratedEntry {
  blanks: number;
  above: string[];
  name: string;
  trailing: string | undefined;
  under: string[];
}

const generatedEntry = fc.record({
  blanks: fc.nat(2),
  above: fc.array(fc.constantFrom('# one', '#two', '# three ', "# it's"), { maxLength: 2 }),
  name: fc.constantFrom('charge_read', 'coupon_read', 'customer_read', 'invoice_read', 'zz'),
  trailing: fc.option(fc.constantFrom('# t', '#   t2'), { nil: undefined }),
  under: fc.array(fc.constantFrom('# under', '#u'), { maxLength: 1 }),
});

/** A v2 manifest whose app list holds `entries`, in one of the layouts real files use. */
function generatedManifest(
  entries: readonly GeneratedEntry[],
  layout: { indent: 2 | 4; indentSeq: boolean; eol: string; finalBreak: boolean; last: boolean },
): string {
  const pad = (depth: number): string => ' '.repeat(depth * layout.indent);
  const dash = layout.indentSeq ? pad(3) : pad(2);
  const inner = `${dash}${' '.repeat(layout.indent)}`;
  const lines = ['id: com.example.app'];
  if (layout.last) lines.push('extensions: []');
  lines.push('declarations:', `${pad(1)}stripe_api_access:`, `${pad(2)}permissions:`);
  for (const entry of entries) {
    for (let blank = 0; blank < entry.blanks; blank++) lines.push('');
    lines.push(...entry.above.map((comment) => `${dash}${comment}`));
    const space = layout.indent === 4 ? '   ' : ' ';
    lines.push(`${dash}-${space}permission: ${entry.name}`);
    lines.push(`${inner}purpose: Uses ${entry.name}.${entry.trailing ? ` ${entry.trailing}` : ''}`);
    lines.push(...entry.under.map((comment) => `${inner}${comment}`));
  }
  if (!layout.last) lines.push('extensions: []');
  return lines.join(layout.eol) + (layout.finalBreak || !layout.last ? layout.eol : '');
}

describe('YAML sort: generated lists', () => {
  it('any order and back gives the bytes; a sort keeps every line; sorting again changes nothing', () => {
    const layout = fc.record({
      indent: fc.constantFrom(2 as const, 4 as const),
      indentSeq: fc.boolean(),
      eol: fc.constantFrom('\n', '\r\n'),
      finalBreak: fc.boolean(),
      last: fc.boolean(),
    });
    const entries = fc.array(generatedEntry, { minLength: 1, maxLength: 5 });
    assertProperty(
      fc.property(entries, layout, fc.infiniteStream(fc.nat()), (list, style, random) => {
        const text = generatedManifest(list, style);
        // A random order: a Fisher-Yates shuffle driven by the stream.
        const order = [...list.keys()];
        for (let index = order.length - 1; index > 0; index--) {
          const other = (random.next().value as number) % (index + 1);
          [order[index], order[other]] = [order[other] ?? 0, order[index] ?? 0];
        }
        const moved = reordered(text, APP, order);
        assert.equal(reordered(moved, APP, inverse(order)), text);
        const sortedText = sorted(text);
        const lines = (value: string): string[] => value.split(/\r\n|\n/).sort();
        assert.deepEqual(lines(sortedText), lines(text));
        assert.equal(sorted(sortedText), sortedText);
      }),
      runs(200),
    );
  });
});

/** The app and extension "ext" each have an unsorted list; extension "sorted" a sorted one. */
const TWO_UNSORTED = `id: com.example.app
declarations:
  stripe_api_access:
    permissions:
      - permission: invoice_read
        purpose: Lists the invoices.
      - permission: customer_read
        purpose: Shows the customer.
extensions:
  - id: ext
    permissions:
      # for the coupon field
      - permission: coupon_read
        purpose: Shows the coupons.
      - permission: charge_read
        purpose: Lists the charges.
  - id: sorted
    permissions:
      - permission: balance_read
        purpose: Shows the balance.
`;

const APP_SORTED = TWO_UNSORTED.replace(
  `      - permission: invoice_read
        purpose: Lists the invoices.
      - permission: customer_read
        purpose: Shows the customer.`,
  `      - permission: customer_read
        purpose: Shows the customer.
      - permission: invoice_read
        purpose: Lists the invoices.`,
);

const EXT_SORTED = TWO_UNSORTED.replace(
  `      # for the coupon field
      - permission: coupon_read
        purpose: Shows the coupons.
      - permission: charge_read
        purpose: Lists the charges.`,
  `      - permission: charge_read
        purpose: Lists the charges.
      # for the coupon field
      - permission: coupon_read
        purpose: Shows the coupons.`,
);

const BOTH_SORTED = EXT_SORTED.replace(
  TWO_UNSORTED.slice(0, TWO_UNSORTED.indexOf('extensions:')),
  APP_SORTED.slice(0, APP_SORTED.indexOf('extensions:')),
);

function sortActions(textWithCursor: string, lazy = false): CodeAction[] {
  const { document, position } = withCursor(textWithCursor, URI);
  const manifest = service.parseManifest(document);
  const context = { diagnostics: [], only: [CodeActionKind.RefactorRewrite] };
  const range = { start: position, end: position };
  if (!lazy) return service.getCodeActions(document, range, context, manifest);
  return service
    .getCodeActions(document, range, context, manifest, { lazy: true })
    .map((action) => {
      assert.equal(action.edit, undefined);
      return service.resolveCodeAction(document, manifest, action);
    });
}

describe('v2: every permission list is sortable', () => {
  it("the code action in an extension's list sorts that list only", () => {
    for (const lazy of [false, true]) {
      const actions = sortActions(TWO_UNSORTED.replace('coupon_read', 'coupon|_read'), lazy);
      assert.deepEqual(
        actions.map((action) => [action.title, action.kind]),
        [['Sort the permissions of extension "ext" by name', 'refactor.rewrite']],
      );
      const edits = actions[0]?.edit?.changes?.[URI];
      assert.ok(edits);
      assert.equal(applyEdits(yamlDoc(TWO_UNSORTED), edits), EXT_SORTED);
    }
  });

  it("the code action in the app's list sorts the app's list only, as in v1", () => {
    for (const lazy of [false, true]) {
      const actions = sortActions(TWO_UNSORTED.replace('invoice_read', 'invoice|_read'), lazy);
      assert.deepEqual(
        actions.map((action) => action.title),
        ['Sort permissions by name'],
      );
      const edits = actions[0]?.edit?.changes?.[URI];
      assert.ok(edits);
      assert.equal(applyEdits(yamlDoc(TWO_UNSORTED), edits), APP_SORTED);
    }
  });

  it('no sort offered in a sorted list, nor outside the lists', () => {
    assert.deepEqual(sortActions(TWO_UNSORTED.replace('balance_read', 'balance|_read')), []);
    assert.deepEqual(sortActions(TWO_UNSORTED.replace('id: ext', 'id: e|xt')), []);
    assert.deepEqual(sortActions(BOTH_SORTED.replace('coupon_read', 'coupon|_read')), []);
  });

  it('a lazy sort whose list is gone, or whose data names no list, resolves to no edit', () => {
    const document = yamlDoc(TWO_UNSORTED);
    const manifest = service.parseManifest(document);
    const data = { uri: URI, version: 1, action: 'sort' };
    for (const list of [['extensions', 5, 'permissions'], ['extensions', -1], 'extensions']) {
      const action = { title: 'Sort', data: { ...data, list } };
      assert.equal(service.resolveCodeAction(document, manifest, action).edit, undefined);
    }
  });

  it('the command sorts every list, or the one it names, and says which', () => {
    const outcome = (text: string, list?: ValuePath) => {
      const document = yamlDoc(text);
      const result = sortPermissions(service.parseManifest(document), document, list);
      return {
        status: result.status,
        message: result.message,
        text: applyEdits(document, result.edits),
      };
    };
    assert.deepEqual(outcome(TWO_UNSORTED), {
      status: 'sorted',
      message: `Sorted the app's permissions and the permissions of extension "ext" by name.`,
      text: BOTH_SORTED,
    });
    assert.deepEqual(outcome(TWO_UNSORTED, ['extensions', 0, 'permissions']), {
      status: 'sorted',
      message: 'Sorted the permissions of extension "ext" by name.',
      text: EXT_SORTED,
    });
    assert.deepEqual(outcome(TWO_UNSORTED, APP), {
      status: 'sorted',
      message: 'Sorted the permissions by name.',
      text: APP_SORTED,
    });
    assert.deepEqual(outcome(APP_SORTED), {
      status: 'sorted',
      message: 'Sorted the permissions of extension "ext" by name.',
      text: BOTH_SORTED,
    });
    assert.deepEqual(outcome(BOTH_SORTED), {
      status: 'unchanged',
      message: 'The permissions are already sorted.',
      text: BOTH_SORTED,
    });
    assert.deepEqual(outcome(BOTH_SORTED, ['extensions', 1, 'permissions']), {
      status: 'unchanged',
      message: 'The permissions of extension "sorted" are already sorted.',
      text: BOTH_SORTED,
    });
    assert.deepEqual(outcome(TWO_UNSORTED, ['extensions', 2, 'permissions']), {
      status: 'invalid',
      message: 'There is no permission list at "extensions.2.permissions" to sort.',
      text: TWO_UNSORTED,
    });
  });

  it("other editors' sort lens shows when any list is out of order, as the command sorts them all", () => {
    const otherEditor = createManifestLanguageService(
      {},
      { ...VSCODE_FEATURES, vscodeClient: false },
    );
    const sortLens = (text: string) => {
      const document = yamlDoc(text);
      return otherEditor
        .getCodeLenses(document, otherEditor.parseManifest(document))
        .filter((lens) => lens.command?.command === ServerCommands.sortPermissions)
        .map((lens) => ({ range: lens.range, arguments: lens.command?.arguments }));
    };
    const expected = (text: string) => [
      { range: rangeOf(yamlDoc(text), 'permissions', 0), arguments: [{ uri: URI }] },
    ];
    assert.deepEqual(sortLens(APP_SORTED), expected(APP_SORTED));
    assert.deepEqual(sortLens(EXT_SORTED), expected(EXT_SORTED));
    assert.deepEqual(sortLens(BOTH_SORTED), []);
  });

  it('without an app list, the extension lists are still sorted', () => {
    const text = EXT_SORTED.replace(/declarations:[\s\S]*?(?=extensions:)/, '');
    const document = yamlDoc(text);
    const unsorted = TWO_UNSORTED.replace(/declarations:[\s\S]*?(?=extensions:)/, '');
    const unsortedDocument = yamlDoc(unsorted);
    const result = sortPermissions(service.parseManifest(unsortedDocument), unsortedDocument);
    assert.equal(result.message, 'Sorted the permissions of extension "ext" by name.');
    assert.equal(applyEdits(unsortedDocument, result.edits), document.getText());
    const none = yamlDoc('id: com.example.app\nextensions: []\n');
    assert.deepEqual(sortPermissions(service.parseManifest(none), none), {
      status: 'invalid',
      edits: [],
      message: 'There is no "declarations.stripe_api_access.permissions" list to sort.',
    });
  });
});
