/**
 * Completion in a v2 manifest (`stripe-app.yaml`): names in `permission:` values (plain, single-
 * and double-quoted, partial, empty), the missing keys of an entry, a new entry in the file's
 * own layout, a suggested purpose, on the app's list and on each extension's.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MarkupKind } from 'vscode-languageserver-types';
import {
  InsertTextFormat,
  type CompletionItem,
  type CompletionList,
  type TextEdit,
} from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ClientFeatures } from '../../server/src/service/clientFeatures';
import { createManifestLanguageService } from '../../server/src/service/languageService';
import { suggestPurpose } from '../../server/src/service/purposeSuggestion';
import { assertProperty, runs } from './fuzzUtil';
import { applyEdits, doc, rangeOf, withCursor } from './util';

const URI = 'file:///app/stripe-app.yaml';
const PLAIN_TEXT_CLIENT: ClientFeatures = {
  snippets: false,
  completionDocumentation: MarkupKind.PlainText,
  hoverContent: MarkupKind.PlainText,
  vscodeClient: false,
};

function complete(
  textWithCursor: string,
  features?: ClientFeatures,
): { document: TextDocument; list: CompletionList; offset: number } {
  const { document, position, offset } = withCursor(textWithCursor, URI);
  const service = createManifestLanguageService({}, features);
  const list = service.doComplete(document, position, service.parseManifest(document));
  return { document, offset, list };
}

function edit(item: CompletionItem): TextEdit {
  const textEdit = item.textEdit;
  assert.ok(textEdit && 'range' in textEdit, `${item.label} has a TextEdit`);
  return textEdit;
}

function item(list: CompletionList, label: string): CompletionItem {
  const found = list.items.find((candidate) => candidate.label === label);
  assert.ok(found, `no item "${label}" among ${list.items.length}`);
  return found;
}

function labels(list: CompletionList): string[] {
  return list.items.map((candidate) => candidate.label);
}

function ranked(list: CompletionList): string[] {
  return [...list.items]
    .sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''))
    .map((candidate) => candidate.label);
}

/**
 * A snippet as the editor inserts it, its tab stops' text left in place: one pass, since an
 * escaped character (`\\`, `\$`, `\}`) stands for itself and a bare `}` closes a tab stop.
 */
function expand(snippet: string): string {
  return snippet.replace(/\\(.)|\$\{\d+:|\$\d+|\}/g, (_, escaped?: string) => escaped ?? '');
}

/** The document after accepting an item, its snippet expanded. */
function accept(document: TextDocument, completion: CompletionItem): string {
  const textEdit = edit(completion);
  const newText =
    completion.insertTextFormat === InsertTextFormat.Snippet
      ? expand(textEdit.newText)
      : textEdit.newText;
  return applyEdits(document, [{ ...textEdit, newText }]);
}

/** A hand-written manifest (2 spaces, sequences indented) with `line` as the app list's last. */
function handWritten(line: string): string {
  return `id: com.example.app
name: Example App
declarations:
  stripe_api_access:
    permissions:
      - permission: invoice_read
        purpose: Lists the invoices.
${line}
extensions:
  - id: ext
    permissions: []
`;
}

const PURPOSE = (name: string): string => suggestPurpose(name, 'Example App');

describe('YAML completion: permission names', () => {
  it('replaces a plain partial word, ranked as in JSON, asked again as the user types', () => {
    const { document, list } = complete(handWritten('      - permission: cu|st'));
    assert.equal(list.isIncomplete, true);
    assert.deepEqual(ranked(list).slice(0, 4), [
      'customer_read',
      'customer_write',
      'customer_session_read',
      'customer_session_write',
    ]);
    const customer = item(list, 'customer_read');
    assert.equal(customer.preselect, true);
    assert.deepEqual(edit(customer).range, rangeOf(document, 'cust'));
    assert.equal(edit(customer).newText, 'customer_read');
    assert.equal(customer.insertTextFormat, InsertTextFormat.PlainText);
    assert.equal(customer.filterText, 'cucustomer_read');
    assert.equal(accept(document, customer), handWritten('      - permission: customer_read'));
  });

  it('keeps single quotes, the whole scalar replaced', () => {
    const { document, list } = complete(handWritten("      - permission: 'ch|'"));
    const charge = item(list, 'charge_read');
    assert.deepEqual(edit(charge).range, rangeOf(document, "'ch'"));
    assert.equal(edit(charge).newText, "'charge_read'");
    assert.equal(charge.filterText, "'chcharge_read");
    assert.equal(ranked(list)[0], 'charge_read');
    assert.equal(accept(document, charge), handWritten("      - permission: 'charge_read'"));
  });

  it('keeps double quotes, in empty quotes too', () => {
    const { document, list } = complete(handWritten('      - permission: "|"'));
    const coupon = item(list, 'coupon_read');
    assert.deepEqual(edit(coupon).range, rangeOf(document, '""'));
    assert.equal(accept(document, coupon), handWritten('      - permission: "coupon_read"'));
  });

  it('an unterminated quote: replaced up to the end of the word after the cursor', () => {
    const { document, list } = complete(handWritten('      - permission: "cou|p'));
    const coupon = item(list, 'coupon_read');
    assert.deepEqual(edit(coupon).range, rangeOf(document, '"coup'));
    assert.equal(accept(document, coupon), handWritten('      - permission: "coupon_read"'));
  });

  it('an empty value: the name without quotes, with a space after a bare colon', () => {
    let { document, list } = complete(handWritten('      - permission: |'));
    assert.equal(
      accept(document, item(list, 'coupon_read')),
      handWritten('      - permission: coupon_read'),
    );
    ({ document, list } = complete(handWritten('      - permission:|')));
    assert.equal(
      accept(document, item(list, 'coupon_read')),
      handWritten('      - permission: coupon_read'),
    );
  });

  it('keeps a comment after the value', () => {
    const { document, list } = complete(handWritten('      - permission: cou|p # for the drawer'));
    const coupon = item(list, 'coupon_read');
    assert.deepEqual(edit(coupon).range, rangeOf(document, 'coup'));
    assert.equal(
      accept(document, coupon),
      handWritten('      - permission: coupon_read # for the drawer'),
    );
  });

  it('on a second line of an entry, and on the key of the entry being edited', () => {
    const { document, list } = complete(
      handWritten('      - purpose: Lists the charges.\n        permission: charge_r|'),
    );
    assert.equal(ranked(list)[0], 'charge_read');
    assert.equal(
      accept(document, item(list, 'charge_read')),
      handWritten('      - purpose: Lists the charges.\n        permission: charge_read'),
    );
  });

  it('leaves out the names granted in the same list only, keeping the one being edited', () => {
    const app = complete(handWritten('      - permission: |'));
    assert.ok(!labels(app.list).includes('invoice_read'));
    assert.equal(app.list.items.length, 136 - 1);
    const edited = complete(
      handWritten('').replace('permission: invoice_read', 'permission: invoice_re|ad'),
    );
    assert.ok(labels(edited.list).includes('invoice_read'));
    // An extension's list is its own: the app's names are offered there.
    const inExtension = (value: string): string =>
      handWritten('').replace('permissions: []', `permissions:\n      - permission: ${value}`);
    assert.equal(complete(inExtension('|')).list.items.length, 136);
    const extension = complete(inExtension('invoice_r|'));
    assert.equal(ranked(extension.list)[0], 'invoice_read');
    assert.equal(
      accept(extension.document, item(extension.list, 'invoice_read')),
      handWritten('').replace('permissions: []', 'permissions:\n      - permission: invoice_read'),
    );
  });

  it('nothing outside the permission lists, nor after a closing quote', () => {
    for (const text of [
      'id: com.example.app\nname: |\nextensions: []\n',
      handWritten('').replace('id: ext', 'id: |'),
      handWritten('  distribution_type: |'),
      handWritten("      - permission: 'coupon_read' |"),
    ]) {
      assert.deepEqual(complete(text).list.items, [], text);
    }
  });
});

describe('YAML completion: keys of an entry', () => {
  it('offers the missing purpose, with a suggested text as tab stop', () => {
    const text = handWritten('      - permission: charge_read\n        |');
    const { document, list } = complete(text);
    assert.deepEqual(labels(list), ['purpose']);
    const purpose = item(list, 'purpose');
    assert.equal(purpose.insertTextFormat, InsertTextFormat.Snippet);
    assert.equal(edit(purpose).newText, `purpose: \${1:${PURPOSE('charge_read')}}`);
    assert.deepEqual(edit(purpose).range, {
      start: document.positionAt(text.indexOf('|')),
      end: document.positionAt(text.indexOf('|')),
    });
    assert.equal(
      accept(document, purpose),
      handWritten(`      - permission: charge_read\n        purpose: ${PURPOSE('charge_read')}`),
    );
  });

  it('replaces the partial key; offers permission (then suggests again) when only purpose is there', () => {
    const partial = complete(handWritten('      - permission: charge_read\n        purp|'));
    assert.deepEqual(
      edit(item(partial.list, 'purpose')).range,
      rangeOf(partial.document, 'purp', 1),
    );
    const { document, list } = complete(
      handWritten('      - purpose: Lists the charges.\n        |'),
    );
    assert.deepEqual(labels(list), ['permission']);
    const permission = item(list, 'permission');
    assert.equal(edit(permission).newText, 'permission: $1');
    assert.equal(permission.command?.command, 'editor.action.triggerSuggest');
    assert.equal(
      accept(document, permission),
      handWritten('      - purpose: Lists the charges.\n        permission: '),
    );
  });

  it('a key that has its colon: only the key is replaced, as plain text', () => {
    const { document, list } = complete(
      handWritten('      - permission: charge_read\n        purp|: Lists the charges.'),
    );
    const purpose = item(list, 'purpose');
    assert.equal(purpose.insertTextFormat, InsertTextFormat.PlainText);
    assert.equal(edit(purpose).newText, 'purpose');
    assert.equal(purpose.command, undefined);
    assert.equal(
      accept(document, purpose),
      handWritten('      - permission: charge_read\n        purpose: Lists the charges.'),
    );
  });

  it('nothing when the entry has both keys', () => {
    assert.deepEqual(complete(handWritten('        |')).list.items, []);
  });
});

describe('YAML completion: a new entry', () => {
  it('after a typed "- ": the entry, its purpose a tab stop, ranked and preselected', () => {
    const { document, list } = complete(handWritten('      - |'));
    assert.equal(list.isIncomplete, true);
    const coupon = item(list, 'coupon_read');
    assert.equal(coupon.insertTextFormat, InsertTextFormat.Snippet);
    assert.equal(
      edit(coupon).newText,
      `permission: coupon_read\n        purpose: \${1:${PURPOSE('coupon_read')}}`,
    );
    assert.equal(
      accept(document, coupon),
      handWritten(`      - permission: coupon_read\n        purpose: ${PURPOSE('coupon_read')}`),
    );
    assert.equal(list.items.filter((candidate) => candidate.preselect === true).length, 1);
    const typed = complete(handWritten('      - refu|'));
    assert.equal(ranked(typed.list)[0], 'charge_read');
    assert.deepEqual(edit(item(typed.list, 'charge_read')).range, rangeOf(typed.document, 'refu'));
  });

  it('on an empty line: the whole item at the column of the list items', () => {
    for (const indent of ['', '    ', '      ']) {
      const { document, list } = complete(handWritten(`${indent}|`));
      assert.equal(
        accept(document, item(list, 'coupon_read')),
        handWritten(`      - permission: coupon_read\n        purpose: ${PURPOSE('coupon_read')}`),
        JSON.stringify(indent),
      );
    }
  });

  it('in a CLI-written file (4 spaces, sequences indented)', () => {
    const cli = (line: string): string => `id: com.example.app
name: Example App
declarations:
    stripe_api_access:
        permissions:
            - permission: invoice_read
              purpose: Lists the invoices.
${line}
extensions: []
`;
    const { document, list } = complete(cli('            |'));
    assert.equal(
      accept(document, item(list, 'coupon_read')),
      cli(
        `            - permission: coupon_read\n              purpose: ${PURPOSE('coupon_read')}`,
      ),
    );
  });

  it('in a list whose items are not indented under their key', () => {
    const flat = (line: string): string =>
      `name: Example App\ndeclarations:\n  stripe_api_access:\n    permissions:\n    - permission: invoice_read\n      purpose: Lists the invoices.\n${line}\nextensions: []\n`;
    const { document, list } = complete(flat('    - |'));
    assert.equal(
      accept(document, item(list, 'coupon_read')),
      flat(`    - permission: coupon_read\n      purpose: ${PURPOSE('coupon_read')}`),
    );
  });

  it('under an empty "permissions:", at the file\'s own indentation', () => {
    const empty = (line: string): string =>
      `name: Example App\ndeclarations:\n    stripe_api_access:\n        permissions:\n${line}\nui_extension:\n    views:\n        - viewport: stripe.dashboard.home.overview\nextensions: []\n`;
    const { document, list } = complete(empty('|'));
    assert.equal(
      accept(document, item(list, 'coupon_read')),
      empty(
        `            - permission: coupon_read\n              purpose: ${PURPOSE('coupon_read')}`,
      ),
    );
  });

  it('in an empty flow list "[]": the block list grant would write', () => {
    const text = handWritten('').replace('permissions: []', 'permissions: [|]');
    const { document, list } = complete(text);
    const coupon = item(list, 'coupon_read');
    const accepted = accept(document, coupon);
    const service = createManifestLanguageService();
    const plain = withCursor(text, URI).document;
    const granted = service.grant(
      plain,
      service.parseManifest(plain),
      'coupon_read',
      PURPOSE('coupon_read'),
      { list: ['extensions', 0, 'permissions'] },
    );
    assert.equal(granted.status, 'granted');
    assert.equal(accepted, applyEdits(plain, granted.edits));
    assert.equal(
      accepted,
      handWritten('').replace(
        'permissions: []',
        `permissions:\n      - permission: coupon_read\n        purpose: ${PURPOSE('coupon_read')}`,
      ),
    );
  });

  it('a purpose that needs quotes is quoted around its tab stop', () => {
    const text = handWritten('      - |').replace('Example App', '"Acme: Tools"');
    const { list } = complete(text);
    const purpose = suggestPurpose('coupon_read', 'Acme: Tools');
    assert.equal(
      edit(item(list, 'coupon_read')).newText,
      `permission: coupon_read\n        purpose: "\${1:${purpose}}"`,
    );
  });

  it('CRLF files get CRLF', () => {
    const text = handWritten('      - |').replace(/\n/g, '\r\n');
    const { document, list } = complete(text);
    assert.equal(
      accept(document, item(list, 'coupon_read')),
      handWritten(
        `      - permission: coupon_read\n        purpose: ${PURPOSE('coupon_read')}`,
      ).replace(/\n/g, '\r\n'),
    );
  });

  it('plain text for a client without snippets: the purpose written out', () => {
    const { document, list } = complete(handWritten('      - |'), PLAIN_TEXT_CLIENT);
    const coupon = item(list, 'coupon_read');
    assert.equal(coupon.insertTextFormat, InsertTextFormat.PlainText);
    assert.equal(coupon.filterText, undefined);
    assert.equal(
      edit(coupon).newText,
      `permission: coupon_read\n        purpose: ${PURPOSE('coupon_read')}`,
    );
    assert.equal(
      accept(document, coupon),
      handWritten(`      - permission: coupon_read\n        purpose: ${PURPOSE('coupon_read')}`),
    );
    const key = complete(handWritten('      - purpose: Lists.\n        |'), PLAIN_TEXT_CLIENT);
    assert.equal(edit(item(key.list, 'permission')).newText, 'permission: ');
    assert.equal(item(key.list, 'permission').command, undefined);
  });
});

describe('YAML completion: a suggested purpose', () => {
  it('in an empty purpose value, plain', () => {
    const text = handWritten('      - permission: charge_read\n        purpose: |');
    const { document, list } = complete(text);
    assert.deepEqual(labels(list), [PURPOSE('charge_read')]);
    assert.equal(list.isIncomplete, false);
    assert.equal(
      accept(document, item(list, PURPOSE('charge_read'))),
      handWritten(`      - permission: charge_read\n        purpose: ${PURPOSE('charge_read')}`),
    );
  });

  it("in single quotes, the user's quotes kept (an apostrophe doubled)", () => {
    const text = handWritten("      - permission: coupon_read\n        purpose: '|'").replace(
      'Example App',
      "Bob's App",
    );
    const { document, list } = complete(text);
    const suggestion = suggestPurpose('coupon_read', "Bob's App");
    const purpose = item(list, suggestion);
    assert.equal(purpose.filterText, `'${suggestion}`);
    assert.deepEqual(edit(purpose).range, rangeOf(document, "''"));
    assert.equal(edit(purpose).newText, `'${suggestion.replace(/'/g, "''")}'`);
  });

  it('on an extension list too', () => {
    const text = handWritten('').replace(
      'permissions: []',
      'permissions:\n      - permission: invoice_read\n        purpose: "|"',
    );
    const { document, list } = complete(text);
    assert.equal(
      accept(document, item(list, PURPOSE('invoice_read'))),
      handWritten('').replace(
        'permissions: []',
        `permissions:\n      - permission: invoice_read\n        purpose: "${PURPOSE('invoice_read')}"`,
      ),
    );
  });
});

describe('YAML completion: locale maps and any text', () => {
  it('an English locale of a purpose map gets the suggestion; another locale nothing', () => {
    const text = (locale: string, value: string): string =>
      handWritten(
        `      - permission: charge_read\n        purpose:\n          ${locale}: ${value}`,
      );
    const { document, list } = complete(text('en-US', '|'));
    assert.equal(
      accept(document, item(list, PURPOSE('charge_read'))),
      text('en-US', PURPOSE('charge_read')),
    );
    assert.deepEqual(complete(text('fr-FR', '|')).list.items, []);
  });

  it('lines of manifest pieces, the cursor anywhere: every edit inside the text, no throw', () => {
    const piece = fc.constantFrom(
      'declarations:',
      '  stripe_api_access:',
      '    permissions:',
      '    permissions: []',
      '    permissions: [',
      '      - permission: customer_read',
      "      - permission: 'cust",
      '      - permission: "',
      '        purpose: Shows the plan.',
      '        purpose: |',
      '          en-US: ',
      '      - ',
      '      -',
      '    - permission: x',
      '\t- permission: y',
      'extensions:',
      '  - id: ext',
      '    permissions:',
      '      - purpose: "a',
      '',
      '  ',
      '# comment',
      '---',
      'a: &a [1]',
      'b: *a',
    );
    const eol = fc.constantFrom('\n', '\r\n', '\r');
    assertProperty(
      fc.property(fc.array(piece, { maxLength: 14 }), eol, fc.nat(), (lines, lineBreak, at) => {
        const text = lines.join(lineBreak);
        const document = doc(text, URI);
        const service = createManifestLanguageService();
        const offset = text.length === 0 ? 0 : at % (text.length + 1);
        const list = service.doComplete(
          document,
          document.positionAt(offset),
          service.parseManifest(document),
        );
        for (const candidate of list.items) {
          const { range } = edit(candidate);
          const start = document.offsetAt(range.start);
          const end = document.offsetAt(range.end);
          assert.ok(start <= offset && offset <= end, `${candidate.label} covers the cursor`);
          assert.ok(end <= text.length);
        }
      }),
      runs(300),
    );
  });

  it('a new entry is the text grant writes, whatever the app name', () => {
    const name = fc
      .array(
        fc.constantFrom('a', 'Z', '0', ' ', "'", ':', '#', '-', ',', '.', '"', '\\', '$', '}'),
        {
          minLength: 1,
          maxLength: 12,
        },
      )
      .map((chars) => chars.join(''));
    assertProperty(
      fc.property(name, (appName) => {
        const text = `name: ${JSON.stringify(appName)}\nextensions:\n  - id: ext\n    permissions: [|]\n`;
        const { document, list } = complete(text);
        const accepted = accept(document, item(list, 'coupon_read'));
        const service = createManifestLanguageService();
        const plain = withCursor(text, URI).document;
        const manifest = service.parseManifest(plain);
        const granted = service.grant(
          plain,
          manifest,
          'coupon_read',
          service.suggestPurpose('coupon_read', manifest),
          { list: ['extensions', 0, 'permissions'] },
        );
        assert.equal(accepted, applyEdits(plain, granted.edits));
      }),
      runs(100),
    );
  });
});

describe("trigger characters: a typed ' asks only where it opens a YAML value", () => {
  it("permission: ' (unterminated or closed by the editor) lists the names in single quotes", () => {
    for (const typed of ["'|", "'|'"]) {
      const { document, list } = complete(handWritten(`      - permission: ${typed}`));
      assert.equal(list.items.length, 136 - 1, typed);
      const coupon = item(list, 'coupon_read');
      assert.equal(edit(coupon).newText, "'coupon_read'");
      assert.equal(accept(document, coupon), handWritten("      - permission: 'coupon_read'"));
    }
  });

  it("purpose: ' gets the suggested purpose in the user's quotes", () => {
    const { document, list } = complete(
      handWritten("      - permission: charge_read\n        purpose: '|"),
    );
    assert.equal(
      accept(document, item(list, PURPOSE('charge_read'))),
      handWritten(`      - permission: charge_read\n        purpose: '${PURPOSE('charge_read')}'`),
    );
  });

  it('an apostrophe in a purpose, a doubled quote, a comment: nothing', () => {
    for (const line of [
      "      - permission: charge_read\n        purpose: Shows the customer'|s charges.",
      "      - permission: charge_read\n        purpose: 'Shows the customer''|s charges.'",
      "      - permission: charge_read # the customer'|s",
      "      # the customer'|s",
    ]) {
      assert.deepEqual(complete(handWritten(line)).list.items, [], line);
    }
  });

  it("in stripe-app.json a ' opens nothing: no item after it anywhere", () => {
    const json = (line: string): string => `{
  "id": "com.example.app",
  "name": "Example App",
  "permissions": [
    { "permission": "invoice_read", "purpose": "Lists the invoices." },
${line}
  ],
  "ui_extension": { "views": [] }
}
`;
    const service = createManifestLanguageService();
    const itemsAt = (line: string): CompletionItem[] => {
      const { document, position } = withCursor(json(line));
      return service.doComplete(document, position, service.parseManifest(document)).items;
    };
    // Without the quote, each place offers something: the quote is what silences it.
    assert.ok(itemsAt(`    { "permission": | }`).length > 0);
    assert.ok(
      itemsAt(`    { "permission": "charge_read", "purpose": "Shows the customer|" }`).length > 0,
    );
    for (const line of [
      `    { "permission": '| }`,
      `    { "permission": "cu'|" }`,
      `    { "permission": "charge_read", "purpose": "Shows the customer'|" }`,
      `    { '| }`,
      `    '|`,
      `    { "permission": "charge_read", "purpose": "" }, // it'|s`,
    ]) {
      assert.deepEqual(itemsAt(line), [], line);
    }
  });
});
