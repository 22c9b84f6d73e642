import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkPurposeText,
  countWords,
  restatement,
  restatesPermission,
  type PurposeFinding,
} from '../../server/src/service/diagnostics/purposeRules';
import { parseManifest } from '../../server/src/service/manifestDocument';
import { resolveSettings } from '../../server/src/service/settings';
import { doc, manifestWith } from './util';

/** The item at `index`, failing the test when there is none. */
function at<T>(list: readonly T[], index: number): T {
  const item = list[index];
  assert.ok(item !== undefined, `no item ${index} in ${JSON.stringify(list)}`);
  return item;
}

const defaults = resolveSettings({});

function check(
  text: string,
  permission = 'customer_read',
  settings: unknown = {},
): readonly PurposeFinding[] {
  return checkPurposeText(permission, text, resolveSettings(settings));
}

/** code, start and end of each finding */
function codes(findings: readonly PurposeFinding[]): [string, number, number][] {
  return findings.map((finding) => [finding.code, finding.start, finding.end]);
}

describe('checkPurposeText', () => {
  it('accepts good purposes', () => {
    for (const [permission, text] of [
      ['customer_read', 'Allows the app to read customer data to show it in the sidebar'],
      ['customer_read', "Shows the customer's open invoices next to each support ticket."],
      ['invoice_read', 'Runs a nightly test-mode reconciliation of invoices against the ledger'],
      ['customer_write', 'Uses the customer metadata to store todo items'],
      ['billing_clock_read', 'Lets you pick a test clock to preview renewals before they happen'],
      ['charge_read', 'Lecture des charges pour le suivi du revenu.'],
      ['charge_read', '顧客の支払い履歴をサイドバーに表示します'],
      ['secret_write', 'Store and refresh Zendesk OAuth tokens securely in Stripe Secret Store'],
      ['customer_read', 'Allows [the] app to sync customers'],
    ] as const) {
      assert.deepEqual(codes(check(text, permission)), [], text);
    }
  });

  it('reports an empty purpose, and nothing else about it', () => {
    assert.deepEqual(codes(check('')), [['empty-purpose', 0, 0]]);
    assert.deepEqual(codes(check('   ')), [['empty-purpose', 0, 3]]);
    const finding = at(check(''), 0);
    assert.equal(finding.severity, 'error');
    assert.equal(finding.message, 'Empty purpose: say why the app needs "customer_read".');
  });

  it('reports whole-text placeholders, case-insensitively, over the trimmed text', () => {
    for (const text of [
      'test',
      'Test',
      'TESTING',
      'test purpose',
      'for testing',
      'EXPLANATION',
      'explanation',
      'purpose',
      'Description',
      'TODO',
      'todo',
      'TBD',
      'FIXME',
      'xxx',
      '...',
      '…',
      '-',
      'n/a',
      'N/A',
      'na',
      'none',
      'asdf',
      'foo',
      'bar',
      'permission',
      'lorem ipsum',
      'placeholder',
      'aaaa',
      '123',
    ]) {
      const findings = check(text);
      assert.deepEqual(codes(findings), [['placeholder-purpose', 0, text.length]], text);
      assert.equal(at(findings, 0).severity, 'warning');
    }
    assert.deepEqual(codes(check(' test ')), [
      ['placeholder-purpose', 1, 5],
      ['purpose-whitespace', 0, 6],
    ]);
    assert.equal(
      at(check('test'), 0).message,
      'Placeholder purpose "test": say why the app needs "customer_read".',
    );
  });

  it('reports placeholders left inside a sentence, at the placeholder', () => {
    const text = 'Allows [YOUR APP] to add shipping line items to an invoice.';
    const findings = check(text, 'invoice_write');
    assert.deepEqual(codes(findings), [['placeholder-purpose', 7, 17]]);
    assert.deepEqual(at(findings, 0).data, { placeholder: '[YOUR APP]' });
    assert.equal(
      at(findings, 0).message,
      'Placeholder "[YOUR APP]" in the purpose: replace it with real text.',
    );
    const manifest = parseManifest(doc(manifestWith('[]')), 1e6);
    assert.equal(
      at(checkPurposeText('invoice_write', text, defaults, manifest), 0).message,
      'Placeholder "[YOUR APP]" in the purpose: replace it with "Example App".',
    );
    assert.deepEqual(codes(check('Reads customers to TODO finish this sentence')), [
      ['placeholder-purpose', 19, 23],
    ]);
    assert.deepEqual(codes(check('todo: explain why we need customers')), [
      ['placeholder-purpose', 0, 5],
    ]);
    assert.deepEqual(codes(check('Lorem ipsum dolor sit amet, consectetur')), [
      ['placeholder-purpose', 0, 11],
    ]);
  });

  it('reports purposes that only restate the permission', () => {
    for (const [permission, text] of [
      ['payment_intent_read', 'Payment intent read'],
      ['customer_read', 'customer_read'],
      ['customer_read', 'Read customers'],
      ['customer_read', 'Read customer data'],
      ['customer_read', 'Allows the app to access the customer.'],
      ['invoice_write', 'Write invoices'],
      ['invoice_write', 'Create and update invoices'],
      ['billing_clock_read', 'Grants access to Test clocks'],
      ['charge_read', 'Access refund details'],
      ['webhook_write', 'Create and manage webhook endpoints'],
      ['customer_read', 'Allows the app to read'],
    ] as const) {
      const findings = check(text, permission);
      assert.deepEqual(codes(findings), [['purpose-restates-permission', 0, text.length]], text);
    }
    assert.equal(
      at(check('Read customers'), 0).message,
      'Purpose only restates "customer_read": name the feature that needs it.',
    );
    // A read permission's purpose that says "create" says something, even if it is odd.
    assert.deepEqual(codes(check('Needed to create a payment method', 'payment_method_read')), []);
  });

  it("treats the app's name as filler, but not a text of only the app's name", () => {
    assert.equal(
      restatesPermission('customer_read', 'Allows Buzz to read customer info', 'Buzz'),
      true,
    );
    // Issue 12, point 16 (this assertion was false before): any name in the "Allows X to" slot,
    // not only this manifest's, as forked apps keep their parent's name.
    assert.equal(restatesPermission('customer_read', 'Allows Buzz to read customer info'), true);
    assert.equal(
      restatesPermission('subscription_write', 'schedules', 'Subscription Schedules'),
      false,
    );
  });

  it('sees restatements in disguise: any app name in the slot, filler endings', () => {
    for (const [permission, text] of [
      ['webhook_read', 'Allows PIMMS to read webhook information.'],
      ['webhook_read', 'Allows Solomon AI to read webhook information.'],
      ['coupon_write', 'Allows Dub to create coupons for an account.'],
      ['customer_read', 'Allows this example app to read details of a customer'],
      ['payment_method_read', 'Allows billingo app to read payment method details'],
      ['charge_read', 'Lets Engyne read your Stripe charges'],
      ['invoice_read', 'Reads invoices on your behalf.'],
      ['customer_read', 'Allows Zlicx to read customers in Stripe'],
    ] as const) {
      assert.deepEqual(
        codes(check(text, permission)),
        [['purpose-restates-permission', 0, text.length]],
        text,
      );
    }
    // A reason after the restatement, or a subject that is a feature, saves it.
    for (const [permission, text] of [
      ['webhook_read', 'Allows Solomon AI to read webhook information for real-time updates.'],
      ['charge_read', 'Allows Dub to read charges to detect refunded payments.'],
      ['customer_read', 'Allows the home page to read the list of customers'],
      ['secret_write', 'Allows storing PIMMS access tokens in Stripe for an account.'],
      ['customer_read', 'Allows customers to see their invoices in the portal'],
    ] as const) {
      assert.deepEqual(codes(check(text, permission)), [], text);
    }
  });

  it('says a purpose of filler only says nothing', () => {
    // A word of the app's name is not filler: "write subs" in an app called Sub Manager restates.
    assert.equal(restatement('subscription_write', 'write subs', 'Sub Manager'), 'restates');
    assert.equal(restatement('subscription_write', 'Needed for writing', 'Sub Manager'), 'filler');
    for (const text of ['Required', 'Needed.', 'Required for the app', 'Allows the app to read']) {
      const findings = check(text);
      assert.deepEqual(codes(findings), [['purpose-restates-permission', 0, text.length]], text);
      assert.equal(
        at(findings, 0).message,
        `Purpose ${JSON.stringify(text)} says nothing: say why the app needs "customer_read".`,
      );
      assert.deepEqual(at(findings, 0).data, { filler: true });
    }
  });

  it('reports unfilled templates as placeholders', () => {
    for (const [text, placeholder] of [
      [
        '<describe why your app needs this permission>',
        '<describe why your app needs this permission>',
      ],
      [
        'Explain why your app needs this permission.',
        'Explain why your app needs this permission.',
      ],
      ['[Explain why you need this]', '[Explain why you need this]'],
      ['Lets YOUR_APP_NAME show invoices', 'YOUR_APP_NAME'],
      ['Purpose goes here', 'Purpose goes here'],
      ['Enter a description here', 'Enter a description here'],
      ['Describe what this permission is used for', 'Describe what this permission is used for'],
    ] as const) {
      const findings = check(text);
      assert.equal(at(findings, 0).code, 'placeholder-purpose', text);
      assert.deepEqual(at(findings, 0).data, { placeholder }, text);
    }
    assert.equal(
      at(check('<describe why your app needs this permission>'), 0).message,
      'Placeholder purpose "<describe why your app needs…": say why the app needs "customer_read".',
    );
    // Real purposes that start with such a verb.
    for (const text of [
      'Explains charges to customers in the support sidebar',
      'Describes what each invoice line means to the account owner',
      'Shows <b>bold</b> invoice totals',
    ]) {
      assert.deepEqual(
        codes(check(text, 'charge_read')).filter(([code]) => code === 'placeholder-purpose'),
        [],
        text,
      );
    }
  });

  it('reports short purposes by words, in any script', () => {
    const findings = check('get subs', 'subscription_read');
    assert.deepEqual(codes(findings), [['short-purpose', 0, 8]]);
    assert.deepEqual(at(findings, 0).data, { words: 2, minWords: 3 });
    assert.equal(
      at(findings, 0).message,
      'Purpose too short (2 words, at least 3): say why the app needs "subscription_read".',
    );
    assert.deepEqual(codes(check('Checkout', 'payment_intent_write')), [['short-purpose', 0, 8]]);
    assert.deepEqual(codes(check('Shows plan names', 'plan_read')), []);
    assert.deepEqual(codes(check('Shows plan names', 'plan_read', { purpose: { minWords: 4 } })), [
      ['short-purpose', 0, 16],
    ]);
    assert.deepEqual(
      codes(check('Checkout', 'payment_intent_write', { purpose: { minWords: 0 } })),
      [],
    );
    assert.equal(countWords('products-choice'), 2);
    assert.equal(countWords('Integrate POS transactions.'), 3);
    assert.ok(countWords('顧客の支払い履歴をサイドバーに表示します') >= 3);
  });

  it('lets placeholder and restates suppress short, unless they are off', () => {
    assert.deepEqual(codes(check('test')), [['placeholder-purpose', 0, 4]]);
    assert.deepEqual(
      codes(check('test', 'customer_read', { severity: { 'placeholder-purpose': 'off' } })),
      [['short-purpose', 0, 4]],
    );
    assert.deepEqual(codes(check('Read customers')), [['purpose-restates-permission', 0, 14]]);
    assert.deepEqual(
      codes(
        check('Read customers', 'customer_read', {
          severity: { 'purpose-restates-permission': 'off' },
        }),
      ),
      [['short-purpose', 0, 14]],
    );
  });

  it('reports long purposes from where they pass the limit', () => {
    const text = `Shows ${'the customer invoices '.repeat(14)}here`;
    assert.equal(text.length, 318);
    const findings = check(text);
    assert.deepEqual(codes(findings), [['long-purpose', 300, 318]]);
    assert.deepEqual(at(findings, 0).data, { length: 318, maxLength: 300 });
    assert.equal(
      at(findings, 0).message,
      'Purpose too long (318 characters, at most 300): keep it to a sentence or two.',
    );
    assert.deepEqual(codes(check(text.slice(0, 300))), []);
    assert.deepEqual(
      codes(check('Shows the open invoices', 'invoice_read', { purpose: { maxLength: 10 } })),
      [['long-purpose', 10, 23]],
    );
    assert.deepEqual(codes(check(text, 'customer_read', { purpose: { maxLength: 0 } })), []);
  });

  it('reports control characters and terminal escape leftovers', () => {
    const leftover = check('Integrate POS ;5Btransactions', 'terminal_reader_read');
    // Printable text Stripe accepts (issue 12, point 18): a warning of its own.
    assert.deepEqual(codes(leftover), [['purpose-escape-leftover', 14, 17]]);
    assert.deepEqual(at(leftover, 0).data, {
      cleaned: 'Integrate POS transactions',
      leftover: ';5B',
    });
    assert.equal(at(leftover, 0).severity, 'warning');
    assert.equal(at(leftover, 0).message, 'Terminal leftover ";5B" in the purpose: remove it.');
    assert.deepEqual(codes(check('Shows \u001b[1;5Ccustomer invoices')), [
      ['purpose-control-characters', 6, 12],
    ]);
    assert.deepEqual(codes(check('Shows customer[5~ invoices in the sidebar')), [
      ['purpose-escape-leftover', 14, 17],
    ]);
    assert.deepEqual(codes(check('Shows ^[[A customer invoices')), [
      ['purpose-escape-leftover', 6, 10],
    ]);
    // A real control character stays an error, beside a leftover in the same text.
    const both = check('Shows \u0007customer ;5Binvoices here');
    assert.deepEqual(codes(both), [
      ['purpose-control-characters', 6, 7],
      ['purpose-escape-leftover', 16, 19],
    ]);
    assert.deepEqual(
      both.map((finding) => [finding.severity, finding.message]),
      [
        ['error', 'Control character "\\u0007" in the purpose: remove it.'],
        ['warning', 'Terminal leftover ";5B" in the purpose: remove it.'],
      ],
    );
    const controls = check('Shows customer\u0007 invoices\u0000 here');
    assert.deepEqual(codes(controls), [['purpose-control-characters', 14, 25]]);
    assert.deepEqual(at(controls, 0).data, { cleaned: 'Shows customer invoices here' });
    // A line break inside the text: the purpose is one line of prose.
    const lineBreak = check('Shows customer invoices\nin the sidebar');
    assert.deepEqual(codes(lineBreak), [['purpose-control-characters', 23, 24]]);
    assert.deepEqual(at(lineBreak, 0).data, { cleaned: 'Shows customer invoices in the sidebar' });
    // Only escapes: nothing is left, so the purpose is empty as well.
    assert.deepEqual(codes(check('\u001b[5~')), [
      ['purpose-control-characters', 0, 4],
      ['empty-purpose', 0, 4],
    ]);
  });

  it('does not mistake brackets, numbers or semicolons for escapes', () => {
    for (const text of [
      'Shows [2] open invoices per customer',
      'Reads invoices; 5 Bytes of metadata are stored',
      'Shows section [A] of each customer profile',
      'Reads invoices (see note [12]) for the ledger',
    ]) {
      assert.deepEqual(codes(check(text)), [], text);
    }
  });

  it('reports leading and trailing white space, with the trimmed text', () => {
    const trailing = check('Shows customer invoices  ');
    assert.deepEqual(codes(trailing), [['purpose-whitespace', 23, 25]]);
    assert.deepEqual(at(trailing, 0).data, { trimmed: 'Shows customer invoices' });
    assert.equal(at(trailing, 0).severity, 'hint');
    assert.equal(at(trailing, 0).message, 'Trailing white space in the purpose: trim it.');
    assert.deepEqual(codes(check('  Shows customer invoices')), [['purpose-whitespace', 0, 2]]);
    assert.deepEqual(codes(check(' Shows customer invoices\n')), [['purpose-whitespace', 0, 25]]);
  });

  it('honours severity settings', () => {
    const findings = check('test  ', 'customer_read', {
      severity: { 'placeholder-purpose': 'error', 'purpose-whitespace': 'off' },
    });
    assert.deepEqual(
      findings.map((finding) => [finding.code, finding.severity]),
      [['placeholder-purpose', 'error']],
    );
  });

  it('orders findings by importance', () => {
    assert.deepEqual(
      check(' get\u0007 subs ', 'subscription_read').map((finding) => finding.code),
      ['purpose-control-characters', 'short-purpose', 'purpose-whitespace'],
    );
  });
});
