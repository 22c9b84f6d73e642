import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CompletionItemTag,
  InsertTextFormat,
  InsertTextMode,
  type CompletionItem,
  type CompletionList,
  type MarkupContent,
  type TextEdit,
} from 'vscode-languageserver-types';
import { catalog } from '../../server/src/service/catalog';
import { createManifestLanguageService } from '../../server/src/service/languageService';
import { applyEdits, doc, rangeOf, withCursor } from './util';

function complete(
  textWithCursor: string,
  settings: unknown = {},
): { document: TextDocument; list: CompletionList; offset: number } {
  const { document, position, offset } = withCursor(textWithCursor);
  const service = createManifestLanguageService(settings);
  const list = service.doComplete(document, position, service.parseManifest(document));
  return { document, offset, list };
}

const resolveCompletion = (item: CompletionItem): CompletionItem =>
  createManifestLanguageService().doResolve(item);

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

/** The document after accepting an item (its snippet text taken literally). */
function accept(document: TextDocument, completion: CompletionItem): string {
  return applyEdits(document, [edit(completion), ...(completion.additionalTextEdits ?? [])]);
}

function labels(list: CompletionList): string[] {
  return list.items.map((candidate) => candidate.label);
}

/** The labels in the order VS Code shows them: every filterText starts with the typed text, so
 * all score alike and sortText decides. */
function ranked(list: CompletionList): string[] {
  return [...list.items]
    .sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''))
    .map((candidate) => candidate.label);
}

/**
 * VS Code's filter, reduced to what decides whether an item shows: the text typed from the start
 * of the replace range to the cursor must have its first character at a word start of
 * `filterText` (its start, or after `_`, `-`, `.`, a space or a quote) and the rest in order.
 */
function vscodeShows(typed: string, filterText: string): boolean {
  const pattern = typed.toLowerCase();
  const word = filterText.toLowerCase();
  if (pattern === '') return true;
  for (let start = 0; start < word.length; start++) {
    if (word[start] !== pattern[0]) continue;
    if (start > 0 && !/[_\-. "]/.test(word[start - 1] ?? '')) continue;
    let matched = 1;
    for (let index = start + 1; index < word.length && matched < pattern.length; index++) {
      if (word[index] === pattern[matched]) matched++;
    }
    if (matched === pattern.length) return true;
  }
  return false;
}

function shown(document: TextDocument, offset: number, list: CompletionList): string[] {
  return list.items
    .filter((candidate) => {
      const typed = document.getText({
        start: edit(candidate).range.start,
        end: document.positionAt(offset),
      });
      return vscodeShows(typed, candidate.filterText ?? candidate.label);
    })
    .map((candidate) => candidate.label);
}

const ALL_NAMES = catalog.permissions.map((info) => info.name);

describe('completion: permission value', () => {
  it('replaces the whole string, quotes included, on a partial word', () => {
    const { document, list } = complete(
      '{ "permissions": [ { "permission": "cu|st", "purpose": "Reads customers." } ] }',
    );
    // Ranked here for the typed "cu" (names first, Core first), asked again on each keystroke.
    assert.equal(list.isIncomplete, true);
    assert.deepEqual(ranked(list).slice(0, 4), [
      'customer_read',
      'customer_write',
      'customer_session_read',
      'customer_session_write',
    ]);
    const customer = item(list, 'customer_read');
    assert.deepEqual(edit(customer).range, rangeOf(document, '"cust"'));
    assert.equal(edit(customer).newText, '"customer_read"');
    assert.equal(customer.insertTextFormat, InsertTextFormat.PlainText);
    assert.equal(
      accept(document, customer),
      '{ "permissions": [ { "permission": "customer_read", "purpose": "Reads customers." } ] }',
    );
  });

  it('inside empty quotes', () => {
    const { document, list } = complete('{ "permissions": [ { "permission": "|" } ] }');
    assert.deepEqual(edit(item(list, 'coupon_read')).range, rangeOf(document, '""'));
  });

  it('inserts a quoted name when no quotes are typed, with a space after a bare colon', () => {
    let { document, list } = complete('{ "permissions": [ { "permission": | } ] }');
    assert.equal(
      accept(document, item(list, 'coupon_read')),
      '{ "permissions": [ { "permission": "coupon_read" } ] }',
    );
    ({ document, list } = complete('{ "permissions": [ { "permission":| } ] }'));
    assert.equal(
      accept(document, item(list, 'coupon_read')),
      '{ "permissions": [ { "permission": "coupon_read" } ] }',
    );
  });

  it('replaces a bare word typed without quotes', () => {
    const { document, list } = complete('{ "permissions": [ { "permission": coup|on } ] }');
    const coupon = item(list, 'coupon_read');
    assert.deepEqual(edit(coupon).range, rangeOf(document, 'coupon'));
    assert.equal(
      accept(document, coupon),
      '{ "permissions": [ { "permission": "coupon_read" } ] }',
    );
  });

  it('replaces an unterminated string up to the end of the word, not the line', () => {
    const { document, list } = complete('{ "permissions": [ { "permission": "cou|p } ] }');
    const coupon = item(list, 'coupon_read');
    assert.deepEqual(edit(coupon).range, rangeOf(document, '"coup'));
    assert.equal(
      accept(document, coupon),
      '{ "permissions": [ { "permission": "coupon_read" } ] }',
    );
  });

  it('leaves out granted names but keeps the one being edited', () => {
    const { list } = complete(`{ "permissions": [
      { "permission": "customer_read", "purpose": "a" },
      { "permission": "|coupon_read", "purpose": "b" },
      { "permission": " invoice_read ", "purpose": "c" }
    ] }`);
    const names = labels(list);
    assert.ok(!names.includes('customer_read'));
    assert.ok(!names.includes('invoice_read'), 'granted names are compared trimmed');
    assert.ok(names.includes('coupon_read'));
    assert.equal(names.length, 136 - 2);
  });

  it('offers the names allowed by settings, after the catalog', () => {
    const { list } = complete('{ "permissions": [ { "permission": "|" } ] }', {
      allowedPermissions: ['beta_thing_read', 'customer_read'],
    });
    assert.equal(list.items.length, 137);
    const beta = item(list, 'beta_thing_read');
    assert.equal(beta.detail, 'Allowed by your settings');
    assert.deepEqual(beta.data, { permission: 'beta_thing_read', allowed: true });
    const sorted = [...list.items].sort((a, b) =>
      (a.sortText ?? '').localeCompare(b.sortText ?? ''),
    );
    assert.equal(sorted.at(-1)?.label, 'beta_thing_read');
  });

  it('describes each name: detail, kind, sortText with Core first, legacy tag', () => {
    const { list } = complete('{ "permissions": [ { "permission": "|" } ] }');
    const charge = item(list, 'charge_read');
    assert.equal(charge.detail, 'Core · Charges and Refunds · read');
    assert.equal(item(list, 'charge_write').detail, 'Core · Charges and Refunds · write');
    assert.equal(charge.tags, undefined);
    assert.deepEqual(item(list, 'source_read').tags, [CompletionItemTag.Deprecated]);
    assert.deepEqual(item(list, 'usage_record_write').tags, [CompletionItemTag.Deprecated]);

    const sorted = ranked(list);
    const products = sorted.map((name) => catalog.get(name)?.product);
    const order = [...new Set(products)];
    assert.deepEqual(
      order,
      ['Core', ...catalog.products.filter((product) => product !== 'Core')],
      'Core first (what most apps need), then the reference order, each product in one run',
    );
    assert.deepEqual(
      sorted.slice(0, ALL_NAMES.filter((name) => catalog.get(name)?.product === 'Core').length),
      ALL_NAMES.filter((name) => catalog.get(name)?.product === 'Core'),
      'Core names in reference order',
    );
    assert.equal(list.items.filter((candidate) => candidate.preselect === true).length, 1);
    assert.equal(item(list, sorted[0] ?? '').preselect, true);
  });
  it('ranks name and resource matches above description matches: refund → charge_*', () => {
    const quoted = complete('{ "permissions": [ { "permission": "refund|" } ] }');
    assert.deepEqual(ranked(quoted.list), [
      'charge_read',
      'charge_write',
      'application_fee_read',
      'application_fee_write',
      'balance_transaction_source_read',
    ]);
    // Every filterText starts with the typed text: VS Code shows them all and keeps this order.
    assert.equal(item(quoted.list, 'charge_read').filterText, '"refundcharge_read');
    assert.deepEqual(shown(quoted.document, quoted.offset, quoted.list), labels(quoted.list));
    assert.equal(item(quoted.list, 'charge_read').preselect, true);

    const bare = complete('{ "permissions": [ { "permission": refund| } ] }');
    assert.equal(item(bare.list, 'charge_read').filterText, 'refundcharge_read');
    assert.deepEqual(ranked(bare.list).slice(0, 2), ['charge_read', 'charge_write']);

    const prefix = complete('{ "permissions": [ { "permission": "customer_r|" } ] }');
    assert.deepEqual(ranked(prefix.list), ['customer_read']);
    const radar = complete('{ "permissions": [ { "permission": "radar|" } ] }');
    assert.deepEqual(ranked(radar.list).slice(0, 2), ['review_read', 'review_write']);
    const legacy = complete('{ "permissions": [ { "permission": "usage rec|" } ] }');
    // The resource first; the meter events whose description mentions usage records after.
    assert.deepEqual(ranked(legacy.list), [
      'usage_record_read',
      'usage_record_write',
      'billing_meter_event_read',
      'billing_meter_event_write',
    ]);
  });

  it("preselects the granted name's other access: cust with customer_read granted", () => {
    const { list } = complete(`{ "permissions": [
      { "permission": "customer_read", "purpose": "a" },
      { "permission": "cust|" }
    ] }`);
    assert.deepEqual(ranked(list).slice(0, 3), [
      'customer_write',
      'customer_session_read',
      'customer_session_write',
    ]);
    assert.ok(!labels(list).includes('customer_read'));
    assert.deepEqual(
      list.items.filter((candidate) => candidate.preselect === true).map((c) => c.label),
      ['customer_write'],
    );
  });

  it('offers the nearest names for a wrong one: refund_read → charge_read', () => {
    const { list } = complete('{ "permissions": [ { "permission": "refund_read|" } ] }');
    assert.deepEqual(ranked(list), ['charge_read']);
  });

  it('resolves documentation lazily', () => {
    const { list } = complete('{ "permissions": [ { "permission": "|" } ] }');
    const customer = item(list, 'customer_read');
    assert.equal(customer.documentation, undefined);
    assert.deepEqual(customer.data, { permission: 'customer_read' });
    const resolved = resolveCompletion(customer);
    const docs = resolved.documentation as MarkupContent;
    assert.equal(docs.kind, 'markdown');
    assert.equal(
      docs.value,
      [
        '`customer_read` · **read** access',
        'Core › Customers',
        'Customers store payment methods and transaction history for repeat buyers\\. Read access lets you list and retrieve customer details\\. Write access lets you create, update, and delete customers\\.',
        'Sibling: `customer_write` (write access)',
        '[Customers API reference](https://docs.stripe.com/api/customers) · [Permissions reference](https://docs.stripe.com/stripe-apps/reference/permissions)',
      ].join('\n\n'),
    );
    const text = (name: string): string =>
      (resolveCompletion(item(list, name)).documentation as MarkupContent).value;
    assert.match(text('source_read'), /\*\*Legacy API\.\*\* Sources is a legacy API/);
    assert.match(text('webhook_write'), /\*\*Restricted\.\*\* Upload fails/);
    assert.match(text('webhook_write'), /\*\*Sensitive\.\*\* It allows subscribing/);
    assert.match(text('balance_read'), /Also granted by `balance_transaction_source_read`\./);
    assert.match(
      text('balance_transaction_source_read'),
      /Also grants read access to Application Fees \(`application_fee_read`\), Balance \(`balance_read`\), /,
    );
    // No docs URL in the row: the reference link only.
    assert.match(
      text('v2_account_card_creator_read'),
      /\n\n\[Permissions reference\]\(https:\/\/docs\.stripe\.com\/stripe-apps\/reference\/permissions\)$/,
    );
  });

  it('resolve leaves other items alone and checks the data it gets back', () => {
    const plain: CompletionItem = { label: 'x' };
    assert.equal(resolveCompletion(plain), plain);
    const junk: CompletionItem = { label: 'x', data: { permission: 42 } };
    assert.equal(resolveCompletion(junk), junk);
    const unknown: CompletionItem = { label: 'x', data: { permission: 'nope_read' } };
    assert.equal(resolveCompletion(unknown).documentation, undefined);
    const allowed = resolveCompletion({
      label: 'beta',
      data: { permission: 'beta_read', allowed: true },
    });
    assert.match(
      (allowed.documentation as MarkupContent).value,
      /^`beta_read` · allowed by your settings/,
    );
  });

  it('offers nothing after the closing quote or on a non-string value', () => {
    assert.equal(
      complete('{ "permissions": [ { "permission": "coupon_read"| } ] }').list.items.length,
      0,
    );
    assert.equal(complete('{ "permissions": [ { "permission": 12| } ] }').list.items.length, 0);
    assert.equal(complete('{ "permissions": [ { "permission": true| } ] }').list.items.length, 0);
  });
});

describe('completion: entry keys', () => {
  it('offers both keys in an empty entry, permission reopening suggestions', () => {
    const { document, list } = complete('{ "permissions": [ {|} ] }');
    assert.deepEqual(labels(list), ['permission', 'purpose']);
    const permission = item(list, 'permission');
    assert.equal(edit(permission).newText, '"permission": "$1"');
    assert.equal(permission.insertTextFormat, InsertTextFormat.Snippet);
    assert.deepEqual(permission.command, {
      title: 'Suggest',
      command: 'editor.action.triggerSuggest',
    });
    assert.equal(accept(document, permission), '{ "permissions": [ {"permission": "$1"} ] }');
    assert.equal(edit(item(list, 'purpose')).newText, '"purpose": "$1"');
  });

  it('offers only the missing key, with a suggested purpose for the entry name', () => {
    const { document, list } = complete(
      '{ "name": "Acme CRM", "permissions": [ { "permission": "customer_read", | } ] }',
    );
    assert.deepEqual(labels(list), ['purpose']);
    assert.equal(
      accept(document, item(list, 'purpose')),
      '{ "name": "Acme CRM", "permissions": [ { "permission": "customer_read", "purpose": "${1:Allows Acme CRM to list and retrieve customer details when you use it in the Stripe Dashboard.}" } ] }',
    );
  });

  it('replaces a partially typed key, adding the comma the previous property lacks', () => {
    const { document, list } = complete(
      '{ "permissions": [ {\n  "permission": "coupon_read"\n  "pu|"\n} ] }',
    );
    const purpose = item(list, 'purpose');
    assert.deepEqual(edit(purpose).range, rangeOf(document, '"pu"'));
    assert.equal(purpose.filterText, '"purpose');
    assert.equal(
      accept(document, purpose),
      '{ "permissions": [ {\n  "permission": "coupon_read",\n  "purpose": "${1:Allows this app to list and retrieve coupons when you use it in the Stripe Dashboard.}"\n} ] }',
    );
  });

  it('adds a comma when a property follows, and inserts only the key when a colon is there', () => {
    let { document, list } = complete('{ "permissions": [ { | "purpose": "x" } ] }');
    assert.deepEqual(labels(list), ['permission']);
    assert.equal(
      accept(document, item(list, 'permission')),
      '{ "permissions": [ { "permission": "$1", "purpose": "x" } ] }',
    );
    ({ document, list } = complete('{ "permissions": [ { "perm|": "coupon_read" } ] }'));
    const permission = item(list, 'permission');
    assert.equal(permission.insertTextFormat, InsertTextFormat.PlainText);
    assert.equal(permission.command, undefined);
    assert.equal(
      accept(document, permission),
      '{ "permissions": [ { "permission": "coupon_read" } ] }',
    );
  });

  it('escapes snippet syntax in the suggested purpose', () => {
    const { list } = complete(
      '{ "name": "Acme $5 \\\\ \\"Pro\\"", "permissions": [ { "permission": "coupon_read", | } ] }',
    );
    // JSON escapes \ and ", then the snippet escapes \ and $: "Acme $5 \ "Pro"".
    assert.equal(
      edit(item(list, 'purpose')).newText,
      '"purpose": "${1:Allows Acme \\$5 \\\\\\\\ \\\\"Pro\\\\" to list and retrieve coupons when you use it in the Stripe Dashboard.}"',
    );
  });
});

describe('completion: whole entries in the permissions array', () => {
  const base = (body: string): string => `{\n  "name": "Acme",\n  "permissions": [${body}]\n}\n`;

  it('opens up an empty array with an entry per name not yet granted', () => {
    const { document, list } = complete(base('|'));
    assert.equal(list.items.length, 136);
    const coupon = item(list, 'coupon_read');
    assert.equal(coupon.insertTextFormat, InsertTextFormat.Snippet);
    assert.equal(coupon.insertTextMode, InsertTextMode.asIs);
    assert.equal(coupon.detail, 'Billing · Coupons · read');
    assert.deepEqual(coupon.data, { permission: 'coupon_read' });
    assert.equal(
      accept(document, coupon),
      base(
        '\n    {\n      "permission": "coupon_read",\n      "purpose": "${1:Allows Acme to list and retrieve coupons when you use it in the Stripe Dashboard.}"\n    }\n  ',
      ),
    );
  });

  it('adds the comma the previous entry lacks, on a line of its own', () => {
    const { document, list } = complete(
      base('\n    { "permission": "customer_read", "purpose": "a b c" }\n    |\n  '),
    );
    assert.ok(!labels(list).includes('customer_read'));
    assert.equal(
      accept(document, item(list, 'coupon_read')),
      base(
        '\n    { "permission": "customer_read", "purpose": "a b c" },\n    {\n      "permission": "coupon_read",\n      "purpose": "${1:Allows Acme to list and retrieve coupons when you use it in the Stripe Dashboard.}"\n    }\n  ',
      ),
    );
  });

  it('adds a trailing comma when an entry follows', () => {
    const { document, list } = complete(
      base('\n    |\n    { "permission": "customer_read", "purpose": "a b c" }\n  '),
    );
    assert.equal(
      accept(document, item(list, 'coupon_read')),
      base(
        '\n    {\n      "permission": "coupon_read",\n      "purpose": "${1:Allows Acme to list and retrieve coupons when you use it in the Stripe Dashboard.}"\n    },\n    { "permission": "customer_read", "purpose": "a b c" }\n  ',
      ),
    );
  });

  it('writes a one-line entry after other text on the line', () => {
    const { document, list } = complete(
      base('{ "permission": "customer_read", "purpose": "a b c" }, |'),
    );
    assert.equal(
      accept(document, item(list, 'coupon_read')),
      base(
        '{ "permission": "customer_read", "purpose": "a b c" }, { "permission": "coupon_read", "purpose": "${1:Allows Acme to list and retrieve coupons when you use it in the Stripe Dashboard.}" }',
      ),
    );
  });

  it('follows tabs and CRLF', () => {
    const text = '{\r\n\t"permissions": [\r\n\t\t|\r\n\t]\r\n}\r\n';
    const { document, list } = complete(text);
    assert.equal(
      accept(document, item(list, 'coupon_read')),
      '{\r\n\t"permissions": [\r\n\t\t{\r\n\t\t\t"permission": "coupon_read",\r\n\t\t\t"purpose": "${1:Allows this app to list and retrieve coupons when you use it in the Stripe Dashboard.}"\r\n\t\t}\r\n\t]\r\n}\r\n',
    );
  });

  it('follows a 4-space indentation', () => {
    const { document, list } = complete('{\n    "permissions": [\n        |\n    ]\n}');
    assert.equal(
      accept(document, item(list, 'coupon_read')),
      '{\n    "permissions": [\n        {\n            "permission": "coupon_read",\n            "purpose": "${1:Allows this app to list and retrieve coupons when you use it in the Stripe Dashboard.}"\n        }\n    ]\n}',
    );
  });

  it('replaces a string typed as an array element', () => {
    const { document, list } = complete(base('"coup|"'));
    const coupon = item(list, 'coupon_read');
    assert.deepEqual(edit(coupon).range, rangeOf(document, '"coup"'));
    assert.equal(coupon.filterText, '"coupcoupon_read');
    assert.equal(
      accept(document, coupon),
      base(
        '\n    {\n      "permission": "coupon_read",\n      "purpose": "${1:Allows Acme to list and retrieve coupons when you use it in the Stripe Dashboard.}"\n    }\n  ',
      ),
    );
  });
});

describe('completion: purpose value', () => {
  it('suggests a purpose from the catalog and the app name, replacing the string', () => {
    const { document, list } = complete(
      '{ "name": "Acme CRM", "permissions": [ { "permission": "customer_read", "purpose": "Al|" } ] }',
    );
    assert.deepEqual(labels(list), [
      'Allows Acme CRM to list and retrieve customer details when you use it in the Stripe Dashboard.',
    ]);
    const [suggestion] = list.items;
    assert.ok(suggestion);
    assert.deepEqual(edit(suggestion).range, rangeOf(document, '"Al"'));
    assert.equal(
      suggestion.filterText,
      '"Allows Acme CRM to list and retrieve customer details when you use it in the Stripe Dashboard.',
    );
    assert.equal(
      accept(document, suggestion),
      '{ "name": "Acme CRM", "permissions": [ { "permission": "customer_read", "purpose": "Allows Acme CRM to list and retrieve customer details when you use it in the Stripe Dashboard." } ] }',
    );
  });

  it('inserts after a bare colon and JSON-escapes the text', () => {
    const { document, list } = complete(
      '{ "name": "A \\"B\\"", "permissions": [ { "permission": "coupon_read", "purpose":| } ] }',
    );
    assert.equal(
      accept(document, list.items[0] ?? { label: '' }),
      '{ "name": "A \\"B\\"", "permissions": [ { "permission": "coupon_read", "purpose": "Allows A \\"B\\" to list and retrieve coupons when you use it in the Stripe Dashboard." } ] }',
    );
  });

  it('suggests for an English locale of a locale map only', () => {
    const en = complete(
      '{ "permissions": [ { "permission": "coupon_read", "purpose": { "en-US": "|" } } ] }',
    );
    assert.deepEqual(labels(en.list), [
      'Allows this app to list and retrieve coupons when you use it in the Stripe Dashboard.',
    ]);
    const fr = complete(
      '{ "permissions": [ { "permission": "coupon_read", "purpose": { "fr-FR": "|" } } ] }',
    );
    assert.equal(fr.list.items.length, 0);
  });

  it('offers nothing without a permission name', () => {
    assert.equal(complete('{ "permissions": [ { "purpose": "|" } ] }').list.items.length, 0);
  });
});

describe('completion: root keys', () => {
  it('offers permissions when absent, as an array snippet', () => {
    const { document, list } = complete('{\n  "name": "Acme",\n  |\n}');
    assert.deepEqual(labels(list), ['permissions']);
    const permissions = item(list, 'permissions');
    assert.equal(permissions.insertTextFormat, InsertTextFormat.Snippet);
    assert.equal(permissions.command?.command, 'editor.action.triggerSuggest');
    assert.equal(
      accept(document, permissions),
      '{\n  "name": "Acme",\n  "permissions": [\n    $0\n  ]\n}',
    );
  });

  it('replaces a partial key, adding the commas around it', () => {
    const { document, list } = complete('{\n  "name": "Acme"\n  "perm|"\n  "version": "1"\n}');
    const permissions = item(list, 'permissions');
    assert.deepEqual(edit(permissions).range, rangeOf(document, '"perm"'));
    assert.equal(
      accept(document, permissions),
      '{\n  "name": "Acme",\n  "permissions": [\n    $0\n  ],\n  "version": "1"\n}',
    );
  });

  it('writes a one-line array after other text, with tabs the same', () => {
    const { document, list } = complete('{ "name": "Acme", | }');
    assert.equal(
      accept(document, item(list, 'permissions')),
      '{ "name": "Acme", "permissions": [$0] }',
    );
  });

  it('offers nothing when permissions is there', () => {
    assert.equal(complete('{ "permissions": [], | }').list.items.length, 0);
    assert.equal(complete('{ "permissions": [], "na|" }').list.items.length, 0);
  });
});

describe('completion: robustness', () => {
  it('offers nothing elsewhere', () => {
    assert.equal(complete('{ "name": "|" }').list.items.length, 0);
    assert.equal(complete('{ "ui_extension": { | } }').list.items.length, 0);
    assert.equal(complete('[ | ]').list.items.length, 0);
    assert.equal(complete('|').list.items.length, 0);
    assert.equal(complete('{ "permissions": { | } }').list.items.length, 0);
    assert.equal(complete('{ "permissions": [ [ | ] ] }').list.items.length, 0);
  });

  it('offers nothing on a document over the size limit', () => {
    const { list } = complete('{ "permissions": [ { "permission": "|" } ] }', {
      maxDocumentSize: 10,
    });
    assert.equal(list.items.length, 0);
  });

  it('never throws, at any offset of complete, truncated and garbled texts', () => {
    const full = `{
  // comment
  "name": "Acme",
  "permissions": [
    { "permission": "customer_read", "purpose": { "en-US": "Reads customers." } },
    { "permission": "coupon_read, coupon_write", "purpose": "x" },
    "stray",
    42,
    { "permission": },
  ],
  "ui_extension": { "views": [] }
}`;
    const texts = [
      full,
      '{"permissions":[{"permission":"\\',
      '"',
      '{',
      '[',
      '{"permissions":[{"',
      '\u0000{',
    ];
    for (let cut = 0; cut <= full.length; cut += 7) texts.push(full.slice(0, cut));
    const service = createManifestLanguageService();
    for (const text of texts) {
      const document = doc(text);
      const manifest = service.parseManifest(document);
      for (let offset = 0; offset <= text.length; offset++) {
        const list = service.doComplete(document, document.positionAt(offset), manifest);
        for (const candidate of list.items) {
          const { range } = edit(candidate);
          assert.equal(
            range.start.line,
            range.end.line,
            `single-line range at ${offset} in ${JSON.stringify(text)}`,
          );
          const start = document.offsetAt(range.start);
          const end = document.offsetAt(range.end);
          assert.ok(start <= offset && offset <= end, `range contains the cursor at ${offset}`);
          resolveCompletion(candidate);
        }
      }
    }
  });
});
