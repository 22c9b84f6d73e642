import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DiagnosticSeverity,
  type CodeAction,
  type CodeActionContext,
  type Diagnostic,
  type Range,
  type TextEdit,
} from 'vscode-languageserver-types';
import {
  createManifestLanguageService,
  type ManifestLanguageService,
} from '../../server/src/service/languageService';
import { isRecord } from '../../server/src/service/settings';
import { applyEdits, doc, manifestWith, rangeOf, withCursor } from './util';

const service = createManifestLanguageService();

function diagnosticsOf(text: string, svc = service): Diagnostic[] {
  const document = doc(text);
  return svc.doValidation(document, svc.parseManifest(document));
}

/** The quick fixes offered for the (first) diagnostic with `code`. */
function quickFixes(
  text: string,
  code: string,
  svc: ManifestLanguageService = service,
): { document: TextDocument; diagnostic: Diagnostic; actions: CodeAction[] } {
  const document = doc(text);
  const manifest = svc.parseManifest(document);
  const diagnostic = svc.doValidation(document, manifest).find((d) => d.code === code);
  assert.ok(diagnostic, `a ${code} diagnostic`);
  const actions = svc.getCodeActions(
    document,
    diagnostic.range,
    { diagnostics: [diagnostic], only: ['quickfix'] },
    manifest,
  );
  for (const action of actions) {
    assert.equal(action.kind, 'quickfix');
    assert.deepEqual(action.diagnostics, [diagnostic]);
  }
  return { document, diagnostic, actions };
}

function editsOf(action: CodeAction | undefined, document: TextDocument): TextEdit[] {
  assert.ok(action, 'an action');
  const edits = action.edit?.changes?.[document.uri];
  assert.ok(edits && edits.length > 0, 'edits for the document');
  return edits;
}

/**
 * Applies the action and checks the result: the exact text, the fixed diagnostic gone from
 * there and no error that was not there before.
 */
function assertFix(
  text: string,
  code: string,
  title: string,
  expected: string,
  options: { preferred?: boolean; svc?: ManifestLanguageService } = {},
): void {
  const svc = options.svc ?? service;
  const { document, actions } = quickFixes(text, code, svc);
  const action = actions.find((candidate) => candidate.title === title);
  assert.ok(action, `"${title}" among ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.equal(action.isPreferred === true, options.preferred ?? true, 'isPreferred');
  const fixed = applyEdits(document, editsOf(action, document));
  assert.equal(fixed, expected);
  const before = diagnosticsOf(text, svc);
  const after = diagnosticsOf(fixed, svc);
  assert.ok(
    after.filter((d) => d.code === code).length < before.filter((d) => d.code === code).length,
    `the ${code} diagnostic is gone`,
  );
  assertNoNewErrors(before, after);
}

function assertNoNewErrors(before: Diagnostic[], after: Diagnostic[]): void {
  const errors = (list: Diagnostic[], code: unknown): number =>
    list.filter((d) => d.severity === DiagnosticSeverity.Error && d.code === code).length;
  for (const diagnostic of after) {
    assert.ok(
      errors(after, diagnostic.code) <= errors(before, diagnostic.code),
      `a new ${String(diagnostic.code)} error`,
    );
  }
}

const PLAN = "Shows the customer's plan in the drawer.";
const INVOICES = "Lists the customer's invoices in the drawer.";
const entry = (name: string, purpose = PLAN): string =>
  `{ "permission": ${JSON.stringify(name)}, "purpose": ${JSON.stringify(purpose)} }`;
const list = (...entries: string[]): string =>
  manifestWith(`[\n    ${entries.join(',\n    ')}\n  ]`);

describe('quick fixes', () => {
  it('unknown-permission: replace with each suggestion; the normalisation is preferred', () => {
    const text = list(entry('customers_read'));
    const { actions } = quickFixes(text, 'unknown-permission');
    assert.equal(actions[0]?.title, 'Replace with "customer_read"');
    assert.equal(actions.filter((action) => action.isPreferred === true).length, 1);
    assertFix(
      text,
      'unknown-permission',
      'Replace with "customer_read"',
      list(entry('customer_read')),
    );
    assertFix(
      list(entry(' customer_read ')),
      'unknown-permission',
      'Replace with "customer_read"',
      list(entry('customer_read')),
    );
    assertFix(
      list(entry('apply_pay_domain_read')),
      'unknown-permission',
      'Replace with "apple_pay_domain_read"',
      list(entry('apple_pay_domain_read')),
    );
  });

  it('unknown-permission: a guess is offered but not preferred', () => {
    const { actions } = quickFixes(list(entry('refund_read')), 'unknown-permission');
    assert.ok(actions.length > 0);
    assert.ok(actions.every((action) => action.isPreferred !== true));
    // Renaming onto a name granted elsewhere would make a duplicate: not preferred either.
    const taken = quickFixes(
      list(entry('customer_read'), entry('customers_read', INVOICES)),
      'unknown-permission',
    );
    assert.equal(taken.actions[0]?.title, 'Replace with "customer_read"');
    assert.notEqual(taken.actions[0].isPreferred, true);
  });

  it('retired-permission without a replacement: remove the entry (not preferred)', () => {
    assertFix(
      list(entry('mandate_read'), entry('customer_read')),
      'retired-permission',
      'Remove retired permission "mandate_read"',
      list(entry('customer_read')),
      { preferred: false },
    );
  });

  it('event-type-as-permission: replace with the permissions the event needs', () => {
    const purpose = 'Syncs new customers to the CRM.';
    assertFix(
      list(entry('customer.created', purpose)),
      'event-type-as-permission',
      'Replace with "event_read" and "customer_read"',
      list(entry('event_read', purpose), entry('customer_read', purpose)),
    );
    assertFix(
      list(entry('event_read', 'Reads events.'), entry('customer.created', purpose)),
      'event-type-as-permission',
      'Replace with "customer_read"',
      list(entry('event_read', 'Reads events.'), entry('customer_read', purpose)),
    );
    assertFix(
      list(
        entry('event_read', 'Reads events.'),
        entry('customer.created', purpose),
        entry('customer_read'),
      ),
      'event-type-as-permission',
      'Remove "customer.created" ("event_read" and "customer_read" already granted)',
      list(entry('event_read', 'Reads events.'), entry('customer_read')),
    );
  });

  it('multiple-permissions-in-entry: one entry per name, same purpose, same layout', () => {
    const multiLine = (...names: string[]): string =>
      manifestWith(
        `[\n${names
          .map(
            (name) =>
              `    {\n      "permission": ${JSON.stringify(name)},\n      "purpose": "Creates and lists coupons for campaigns."\n    }`,
          )
          .join(',\n')}\n  ]`,
      );
    assertFix(
      multiLine('coupon_read, coupon_write'),
      'multiple-permissions-in-entry',
      'Split into one entry per permission',
      multiLine('coupon_read', 'coupon_write'),
    );
    assertFix(
      list(entry('coupon_read coupon_write;promotion_code_read'), entry('customer_read')),
      'multiple-permissions-in-entry',
      'Split into one entry per permission',
      list(
        entry('coupon_read'),
        entry('coupon_write'),
        entry('promotion_code_read'),
        entry('customer_read'),
      ),
    );
    assertFix(
      list(entry('coupon_read, coupon_write'), entry('coupon_read', 'Lists coupons.')),
      'multiple-permissions-in-entry',
      'Split into one entry per permission (without "coupon_read", already granted)',
      list(entry('coupon_write'), entry('coupon_read', 'Lists coupons.')),
    );
  });

  it('duplicate-permission: remove the later entry', () => {
    assertFix(
      list(entry('customer_read'), entry('invoice_read', INVOICES), entry('customer_read')),
      'duplicate-permission',
      'Remove duplicate "customer_read"',
      list(entry('customer_read'), entry('invoice_read', INVOICES)),
    );
    assertFix(
      list(entry('customer_read'), entry('customer_read', "Shows the customer's name.")),
      'duplicate-permission',
      'Remove duplicate "customer_read" (and its purpose)',
      list(entry('customer_read')),
      { preferred: false },
    );
  });

  it('duplicate-permission: a repeat whose purpose only needs rewriting is safe to remove', () => {
    assertFix(
      list(entry('customer_read'), entry('customer_read', 'test')),
      'duplicate-permission',
      'Remove duplicate "customer_read" (and its purpose)',
      list(entry('customer_read')),
    );
    // The same reason up to case and final punctuation is the same purpose.
    assertFix(
      list(entry('customer_read'), entry('customer_read', PLAN.toLowerCase().replace(/\.$/, ''))),
      'duplicate-permission',
      'Remove duplicate "customer_read"',
      list(entry('customer_read')),
    );
  });

  it('missing-permissions: add an empty array, or run Grant Permission…', () => {
    const text = '{\n  "id": "com.example.app",\n  "name": "Example"\n}\n';
    assertFix(
      text,
      'missing-permissions',
      'Add "permissions": []',
      '{\n  "id": "com.example.app",\n  "name": "Example",\n  "permissions": []\n}\n',
    );
    const { actions } = quickFixes(text, 'missing-permissions');
    const grant = actions.find((action) => action.title === 'Grant Permission…');
    assert.ok(grant, 'a Grant Permission… action');
    assert.deepEqual(grant.command, {
      title: 'Grant Permission…',
      command: 'stripeApps.grantPermission',
    });
    assert.equal(grant.edit, undefined);
    assert.equal(grant.isPreferred, undefined);
    // The lazy listing lists the command as it is: nothing to resolve.
    const document = doc(text);
    const manifest = service.parseManifest(document);
    const diagnostic = service.doValidation(document, manifest)[0];
    assert.ok(diagnostic);
    const lazy = service.getCodeActions(
      document,
      diagnostic.range,
      { diagnostics: [diagnostic], only: ['quickfix'] },
      manifest,
      { lazy: true },
    );
    assert.deepEqual(
      lazy.map((action) => [action.title, action.command?.command, action.data === undefined]),
      [
        ['Add "permissions": []', undefined, false],
        ['Grant Permission…', 'stripeApps.grantPermission', true],
      ],
    );
  });

  it('duplicate-entry-property: remove the earlier key, which the last one overrides', () => {
    assertFix(
      list(
        '{ "permission": "customer_read", "permission": "customer_write", "purpose": "Updates the customer\'s plan." }',
      ),
      'duplicate-entry-property',
      'Remove the earlier "permission" ("customer_read")',
      list('{ "permission": "customer_write", "purpose": "Updates the customer\'s plan." }'),
    );
  });

  it('purpose-escape-leftover: remove what the terminal left', () => {
    assertFix(
      list(entry('terminal_reader_read', 'Integrate POS ;5Btransactions in the drawer')),
      'purpose-escape-leftover',
      'Remove the terminal leftover from the purpose',
      list(entry('terminal_reader_read', 'Integrate POS transactions in the drawer')),
    );
  });

  it("missing-purpose: add a suggested purpose in the entry's layout", () => {
    const suggested =
      'Allows Example App to list and retrieve customer details when you use it in the Stripe Dashboard.';
    assertFix(
      list('{ "permission": "customer_read" }'),
      'missing-purpose',
      `Add purpose "${suggested}"`,
      list(`{ "permission": "customer_read", "purpose": "${suggested}" }`),
    );
    assertFix(
      manifestWith('[\n    {\n      "permission": "customer_read"\n    }\n  ]'),
      'missing-purpose',
      `Add purpose "${suggested}"`,
      manifestWith(
        `[\n    {\n      "permission": "customer_read",\n      "purpose": "${suggested}"\n    }\n  ]`,
      ),
    );
  });

  it('empty-purpose and placeholder-purpose: the suggested purpose', () => {
    const suggested =
      'Allows Example App to list and retrieve customer details when you use it in the Stripe Dashboard.';
    for (const [code, purpose] of [
      ['empty-purpose', ''],
      ['empty-purpose', '   '],
      ['placeholder-purpose', 'test'],
      ['placeholder-purpose', 'EXPLANATION'],
    ] as const) {
      assertFix(
        list(entry('customer_read', purpose)),
        code,
        `Replace with suggested purpose "${suggested}"`,
        list(entry('customer_read', suggested)),
      );
    }
  });

  it('placeholder-purpose: "[YOUR APP]" becomes the app\'s name', () => {
    const text = list(entry('customer_read', "Allows [YOUR APP] to show the customer's plan."));
    assertFix(
      text,
      'placeholder-purpose',
      'Replace "[YOUR APP]" with "Example App"',
      list(entry('customer_read', "Allows Example App to show the customer's plan.")),
    );
    const { actions } = quickFixes(text, 'placeholder-purpose');
    assert.deepEqual(
      actions.map((action) => [action.title, action.isPreferred === true]),
      [
        ['Replace "[YOUR APP]" with "Example App"', true],
        [
          'Replace with suggested purpose "Allows Example App to list and retrieve customer details when you use it in the Stripe Dashboard."',
          false,
        ],
      ],
    );
  });

  it('purpose-whitespace: trim, also inside a locale map', () => {
    assertFix(
      list(entry('customer_read', `  ${PLAN} `)),
      'purpose-whitespace',
      'Trim white space from the purpose',
      list(entry('customer_read')),
    );
    assertFix(
      list(
        `{ "permission": "customer_read", "purpose": { "en-US": "${PLAN}", "fr-FR": "Affiche le forfait du client. " } }`,
      ),
      'purpose-whitespace',
      'Trim white space from the purpose (fr-FR)',
      list(
        `{ "permission": "customer_read", "purpose": { "en-US": "${PLAN}", "fr-FR": "Affiche le forfait du client." } }`,
      ),
    );
  });

  it('redundant-permission: remove the entry', () => {
    const source = entry(
      'balance_transaction_source_read',
      'Reconciles payouts with their charges.',
    );
    assertFix(
      list(source, entry('payout_read', 'Lists the payouts of the account.')),
      'redundant-permission',
      'Remove "payout_read" ("balance_transaction_source_read" already grants it)',
      list(source),
    );
  });

  it('restricted-permission: remove the entry (not preferred)', () => {
    assertFix(
      list(entry('webhook_write', 'Registers the endpoint that receives events.')),
      'restricted-permission',
      'Remove restricted permission "webhook_write"',
      manifestWith('[]'),
      { preferred: false },
    );
  });

  it('ignores stale and foreign diagnostics', () => {
    const text = list(entry('customer_read'));
    const document = doc(text);
    const manifest = service.parseManifest(document);
    const range = rangeOf(document, '"customer_read"');
    const stale: Diagnostic = {
      range,
      message: 'old',
      code: 'unknown-permission',
      source: 'stripe-apps',
    };
    const foreign: Diagnostic = { ...stale, source: 'json' };
    assert.deepEqual(
      service.getCodeActions(
        document,
        range,
        { diagnostics: [stale, foreign], only: ['quickfix'] },
        manifest,
      ),
      [],
    );
  });

  it('offers nothing on a document with syntax errors', () => {
    const document = doc('{ "permissions": [ { "permission": "customers_read" }');
    const manifest = service.parseManifest(document);
    const range = rangeOf(document, '"customers_read"');
    const diagnostic: Diagnostic = {
      range,
      message: '',
      code: 'unknown-permission',
      source: 'stripe-apps',
    };
    assert.deepEqual(
      service.getCodeActions(document, range, { diagnostics: [diagnostic] }, manifest),
      [],
    );
    assert.deepEqual(service.getFixAllEdits(document, manifest), []);
  });
});

describe('fix all', () => {
  const messy = list(
    entry('customers_read', `${PLAN} `),
    entry('coupon_read, coupon_write', 'Creates and lists coupons for campaigns.'),
    entry('invoice_read', INVOICES),
    entry('invoice_read', INVOICES),
    entry('customer.created', 'Syncs new customers to the CRM.'),
    '{ "permission": "charge_read" }',
    entry('payout_read', 'test'),
    entry('balance_transaction_source_read', 'Reconciles payouts with their charges.'),
    entry('refund_read', 'Shows refunds of the customer.'),
  );

  it('applies the safe fixes only, as one consistent set of edits', () => {
    const document = doc(messy);
    const manifest = service.parseManifest(document);
    const edits = service.getFixAllEdits(document, manifest);
    assertNoOverlap(document, edits);
    const fixed = applyEdits(document, edits);
    assert.equal(
      fixed,
      list(
        entry('customer_read'),
        entry('coupon_read', 'Creates and lists coupons for campaigns.'),
        entry('coupon_write', 'Creates and lists coupons for campaigns.'),
        entry('invoice_read', INVOICES),
        // Judgements are left to the user: event type, missing and placeholder purposes,
        // redundant and unknown names without a certain match.
        entry('customer.created', 'Syncs new customers to the CRM.'),
        '{ "permission": "charge_read" }',
        entry('payout_read', 'test'),
        entry('balance_transaction_source_read', 'Reconciles payouts with their charges.'),
        entry('refund_read', 'Shows refunds of the customer.'),
      ),
    );
    assertNoNewErrors(diagnosticsOf(messy), diagnosticsOf(fixed));
    // Applying it again changes nothing more.
    const again = doc(fixed);
    assert.deepEqual(service.getFixAllEdits(again, service.parseManifest(again)), []);
  });

  it('is a source action only when asked for', () => {
    const { document, position } = withCursor(
      messy.replace('"customers_read"', '"customers|_read"'),
    );
    const manifest = service.parseManifest(document);
    const range = { start: position, end: position };
    const diagnostics = service.doValidation(document, manifest);
    const kinds = (only?: string[]): string[] =>
      service
        .getCodeActions(document, range, { diagnostics, ...(only ? { only } : {}) }, manifest)
        .map((action) => action.kind ?? '');
    assert.ok(!kinds().includes('source.fixAll.stripeApps'));
    assert.deepEqual(kinds(['source.fixAll']), ['source.fixAll.stripeApps']);
    assert.deepEqual(kinds(['source']), ['source.fixAll.stripeApps']);
    assert.deepEqual(kinds(['source.fixAll.stripeApps']), ['source.fixAll.stripeApps']);
    assert.ok(kinds(['quickfix']).every((kind) => kind === 'quickfix'));
    assert.deepEqual(kinds(['refactor']), ['refactor.rewrite']);
  });

  it('says in its title what it left to a person, and why', () => {
    const text = list(
      entry('customer_read'),
      entry('customer_read', 'Matches support tickets to their customers.'),
      entry('payout_read', INVOICES),
      entry('balance_transaction_source_read', 'Reconciles payouts with their charges.'),
      '{ "permission": "invoice_read", "permission": "invoice_read", "purpose": "Lists overdue invoices." }',
      entry('plan_read', ` ${PLAN}`),
    );
    const document = doc(text);
    const manifest = service.parseManifest(document);
    const actions = service.getCodeActions(
      document,
      { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      { diagnostics: [], only: ['source.fixAll'] },
      manifest,
    );
    assert.deepEqual(
      actions.map((action) => action.title),
      [
        'Fix all Stripe Apps manifest problems; left to you: 1 duplicate with another purpose, 1 redundant entry with its own purpose',
      ],
    );
    // The repeated key with the same value and the white space were fixed.
    assert.equal(
      applyEdits(document, service.getFixAllEdits(document, manifest)),
      text
        .replace('"permission": "invoice_read", "permission"', '"permission"')
        .replace(` ${PLAN}`, PLAN),
    );
  });

  it('follows the settings: a rule turned off is not fixed', () => {
    const quiet = createManifestLanguageService({ severity: { 'purpose-whitespace': 'off' } });
    const text = list(entry('customer_read', `${PLAN} `));
    const document = doc(text);
    assert.deepEqual(quiet.getFixAllEdits(document, quiet.parseManifest(document)), []);
  });

  it('does not rename onto a name granted elsewhere', () => {
    const text = list(entry('customer_read'), entry('customers_read', INVOICES));
    const document = doc(text);
    assert.deepEqual(service.getFixAllEdits(document, service.parseManifest(document)), []);
  });
});

describe('sort permissions', () => {
  function sorted(text: string): string {
    const document = doc(text);
    const edits = service.getSortEntriesEdits(document, service.parseManifest(document));
    assertNoOverlap(document, edits);
    return applyEdits(document, edits);
  }

  it('reorders one-line entries', () => {
    assert.equal(
      sorted(list(entry('invoice_read', INVOICES), entry('charge_read'), entry('customer_read'))),
      list(entry('charge_read'), entry('customer_read'), entry('invoice_read', INVOICES)),
    );
  });

  it('moves each entry with its comments; commas and layout stay', () => {
    assert.equal(
      sorted(
        manifestWith(`[ // what the app reads
    // Invoices
    {
      "permission": "invoice_read",
      "purpose": "${INVOICES}"
    }, // the list view
    /* Customers */ {
      "permission": "customer_read",
      "purpose": "${PLAN}"
    },
  ]`),
      ),
      manifestWith(`[ // what the app reads
    /* Customers */ {
      "permission": "customer_read",
      "purpose": "${PLAN}"
    },
    // Invoices
    {
      "permission": "invoice_read",
      "purpose": "${INVOICES}"
    }, // the list view
  ]`),
    );
  });

  it('a single-line array', () => {
    assert.equal(
      sorted(manifestWith(`[${entry('invoice_read', INVOICES)}, ${entry('charge_read')}]`)),
      manifestWith(`[${entry('charge_read')}, ${entry('invoice_read', INVOICES)}]`),
    );
  });

  it('entries without a name go last, in their order', () => {
    assert.equal(
      sorted(
        list('{ "purpose": "a" }', entry('invoice_read', INVOICES), '"x"', entry('charge_read')),
      ),
      list(entry('charge_read'), entry('invoice_read', INVOICES), '{ "purpose": "a" }', '"x"'),
    );
  });

  it('is offered in the permissions array when it is not sorted', () => {
    const unsorted = list(entry('invoice_read', INVOICES), entry('charge_read'));
    const offered = (text: string): string[] => {
      const { document, position } = withCursor(text);
      return service
        .getCodeActions(
          document,
          { start: position, end: position },
          { diagnostics: [] },
          service.parseManifest(document),
        )
        .map((action) => action.title);
    };
    assert.deepEqual(offered(unsorted.replace('"invoice_read"', '"invoice|_read"')), [
      'Sort permissions by name',
    ]);
    assert.deepEqual(offered(unsorted.replace('"id"', '"i|d"')), []);
    const inOrder = list(entry('charge_read'), entry('invoice_read', INVOICES));
    assert.deepEqual(offered(inOrder.replace('"invoice_read"', '"invoice|_read"')), []);
    const document = doc(inOrder);
    assert.deepEqual(service.getSortEntriesEdits(document, service.parseManifest(document)), []);
  });
});

describe('lazy code actions (codeAction/resolve)', () => {
  // Every fixable code at least once, several fixes for some diagnostics, and out of order.
  const messy = list(
    entry('customers_read', `${PLAN} `),
    entry('coupon_read, coupon_write', 'Creates and lists coupons for campaigns.'),
    entry('invoice_read', INVOICES),
    entry('invoice_read', "Lists the customer's invoices."),
    entry('customer.created', 'Syncs new customers to the CRM.'),
    '{ "permission": "charge_read" }',
    entry('payout_read', 'test'),
    entry('balance_transaction_source_read', 'Reconciles payouts with their charges.'),
    entry('refund_read', 'Shows refunds of the customer.'),
    entry('mandate_read', 'Shows the mandate of each payment.'),
    entry('webhook_write', 'Registers the endpoint that receives events.'),
    entry('subscription_read', 'Allows [YOUR APP] to show the plan.'),
  );
  const document = doc(messy);
  const manifest = service.parseManifest(document);
  const diagnostics = service.doValidation(document, manifest);
  // From inside "permissions" (so the sort is offered) to the end.
  const whole = {
    start: document.positionAt(messy.indexOf('"customers_read"')),
    end: document.positionAt(messy.length),
  };
  const at = (diagnostic: Diagnostic) => ({
    start: diagnostic.range.start,
    end: diagnostic.range.start,
  });

  /** What the listing promises: everything but the edit (and the lazy one's `data`). */
  const shape = (actions: readonly CodeAction[]) =>
    actions.map(({ title, kind, isPreferred, diagnostics: fixed }) => ({
      title,
      kind,
      isPreferred,
      diagnostics: fixed,
    }));

  function both(range: Range, context: CodeActionContext) {
    return {
      eager: service.getCodeActions(document, range, context, manifest),
      lazy: service.getCodeActions(document, range, context, manifest, { lazy: true }),
    };
  }

  it('lists the same actions as the eager listing, in the same order, without edits', () => {
    const codes = new Set(diagnostics.map((diagnostic) => diagnostic.code));
    for (const code of [
      'unknown-permission',
      'multiple-permissions-in-entry',
      'duplicate-permission',
      'event-type-as-permission',
      'missing-purpose',
      'placeholder-purpose',
      'purpose-whitespace',
      'redundant-permission',
      'retired-permission',
      'restricted-permission',
    ]) {
      assert.ok(codes.has(code), `the manifest has a ${code} diagnostic`);
    }
    // One diagnostic at a time (the light bulb), then all of them with every kind at once.
    const requests: [Range, CodeActionContext][] = [
      ...diagnostics.map((diagnostic): [Range, CodeActionContext] => [
        at(diagnostic),
        { diagnostics: [diagnostic] },
      ]),
      [whole, { diagnostics }],
    ];
    let fixes = 0;
    for (const [range, context] of requests) {
      const { eager, lazy } = both(range, context);
      assert.deepEqual(shape(lazy), shape(eager));
      for (const action of lazy) {
        assert.equal(action.edit, undefined, `${action.title} has no edit`);
        assert.ok(isRecord(action.data), `${action.title} has data`);
        assert.equal(action.data.uri, document.uri);
        assert.equal(action.data.version, document.version);
      }
      fixes += lazy.length;
    }
    assert.ok(fixes > diagnostics.length, `${fixes} actions`);
    const all = both(whole, { diagnostics }).lazy;
    assert.equal(all[all.length - 1]?.title, 'Sort permissions by name');
    assert.ok(all.filter((action) => action.title.startsWith('Replace with')).length >= 3);
  });

  it('resolves each action to exactly the eager edit', () => {
    const { eager, lazy } = both(whole, { diagnostics });
    assert.equal(lazy.length, eager.length);
    for (const [index, action] of lazy.entries()) {
      const resolved = service.resolveCodeAction(document, manifest, action);
      assert.ok(resolved.edit, `${action.title} resolves to an edit`);
      assert.deepEqual(resolved.edit, eager[index]?.edit, action.title);
      assert.deepEqual({ ...resolved, edit: undefined }, { ...action, edit: undefined });
    }
  });

  it('a resolved quick fix gives the exact final text', () => {
    const text = list(entry('customer_read'), entry('customers_write', INVOICES));
    const document = doc(text);
    const manifest = service.parseManifest(document);
    const diagnostic = service
      .doValidation(document, manifest)
      .find((candidate) => candidate.code === 'unknown-permission');
    assert.ok(diagnostic);
    const [fix, ...others] = service.getCodeActions(
      document,
      diagnostic.range,
      { diagnostics: [diagnostic], only: ['quickfix'] },
      manifest,
      { lazy: true },
    );
    assert.equal(fix?.title, 'Replace with "customer_write"');
    assert.equal(fix.isPreferred, true);
    assert.equal(fix.edit, undefined);
    assert.ok(others.every((action) => action.isPreferred !== true));
    const resolved = service.resolveCodeAction(document, manifest, fix);
    assert.equal(
      applyEdits(document, editsOf(resolved, document)),
      list(entry('customer_read'), entry('customer_write', INVOICES)),
    );
  });

  it('sorting: offered only when out of order, its edit computed on resolve', () => {
    const unsorted = list(
      entry('invoice_read', INVOICES),
      '{ "purpose": "no name" }',
      entry('charge_read'),
    );
    const offered = (text: string): CodeAction[] => {
      const { document, position } = withCursor(text);
      return service.getCodeActions(
        document,
        { start: position, end: position },
        { diagnostics: [] },
        service.parseManifest(document),
        { lazy: true },
      );
    };
    const [sort, ...rest] = offered(unsorted.replace('"charge_read"', '"charge|_read"'));
    assert.deepEqual(rest, []);
    assert.equal(sort?.title, 'Sort permissions by name');
    assert.equal(sort.kind, 'refactor.rewrite');
    assert.equal(sort.edit, undefined);
    const document = doc(unsorted);
    const resolved = service.resolveCodeAction(document, service.parseManifest(document), sort);
    assert.equal(
      applyEdits(document, editsOf(resolved, document)),
      list(entry('charge_read'), entry('invoice_read', INVOICES), '{ "purpose": "no name" }'),
    );
    // Already in order (entries without a name last), a single entry, or outside the array.
    const inOrder = list(entry('charge_read'), entry('charge_read'), '{ "purpose": "x" }', '"y"');
    assert.deepEqual(offered(inOrder.replace('"purpose": "x"', '"purpose": "|x"')), []);
    assert.deepEqual(offered(list(entry('invoice_|read'))), []);
    assert.deepEqual(offered(unsorted.replace('"id"', '"i|d"')), []);
  });

  it('fix-all stays eager (it is only computed when asked for)', () => {
    const [fixAll, ...rest] = service.getCodeActions(
      document,
      whole,
      { diagnostics: [], only: ['source.fixAll'] },
      manifest,
      { lazy: true },
    );
    assert.deepEqual(rest, []);
    assert.equal(fixAll?.kind, 'source.fixAll.stripeApps');
    assert.deepEqual(
      fixAll.edit?.changes?.[document.uri],
      service.getFixAllEdits(document, manifest),
    );
    assert.equal(service.resolveCodeAction(document, manifest, fixAll), fixAll);
  });

  it('resolves nothing for another version, another document or a fix that no longer applies', () => {
    const diagnostic = diagnostics.find((candidate) => candidate.code === 'unknown-permission');
    assert.ok(diagnostic);
    const context = { diagnostics: [diagnostic], only: ['quickfix'] };
    const [fix] = service.getCodeActions(document, diagnostic.range, context, manifest, {
      lazy: true,
    });
    assert.ok(fix);
    assert.ok(service.resolveCodeAction(document, manifest, fix).edit);
    const unchanged = (other: TextDocument, action: CodeAction = fix): void => {
      assert.equal(service.resolveCodeAction(other, service.parseManifest(other), action), action);
    };
    // The same text, a newer version: the listing is stale, so no edit.
    unchanged(doc(messy, document.uri, 2));
    unchanged(doc(messy, 'file:///other/stripe-app.json'));
    // The same version with other text (as if the version were reused): the name is fixed, so
    // its fix is gone; the name misspelt otherwise gets other fixes, none with this title.
    const fixed = messy.replace('"customers_read"', '"customer_read"');
    unchanged(doc(fixed, document.uri, document.version));
    unchanged(doc(messy.replace('"customers_read"', '"invoices_read"'), document.uri, 1));
    // Not ours, or tampered with.
    unchanged(document, { ...fix, data: undefined });
    unchanged(document, { ...fix, data: { ...(fix.data as object), fix: 7 } });
    unchanged(document, { ...fix, data: { ...(fix.data as object), action: 'other' } });
    unchanged(document, { ...fix, data: { ...(fix.data as object), offset: '3' } });
    unchanged(document, { ...fix, title: 'Replace with "coupon_read"' });
  });
});

function assertNoOverlap(document: TextDocument, edits: readonly TextEdit[]): void {
  const spans = edits
    .map(
      (edit) => [document.offsetAt(edit.range.start), document.offsetAt(edit.range.end)] as const,
    )
    .sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) {
    assert.ok((spans[i]?.[0] ?? 0) >= (spans[i - 1]?.[1] ?? 0), 'edits must not overlap');
  }
}

describe('quick fixes leave a suggested purpose selected (client command after the edit)', () => {
  const suggested =
    'Allows Example App to list and retrieve customer details when you use it in the Stripe Dashboard.';

  function fixWithCommand(
    text: string,
    code: string,
    title: string,
    selectCommand?: string,
  ): { document: TextDocument; action: CodeAction } {
    const document = doc(text);
    const manifest = service.parseManifest(document);
    const diagnostic = service.doValidation(document, manifest).find((d) => d.code === code);
    assert.ok(diagnostic, `a ${code} diagnostic`);
    const listing = (lazy: boolean): CodeAction | undefined =>
      service
        .getCodeActions(
          document,
          diagnostic.range,
          { diagnostics: [diagnostic], only: ['quickfix'] },
          manifest,
          { lazy, ...(selectCommand === undefined ? {} : { selectCommand }) },
        )
        .find((candidate) => candidate.title === title);
    const action = listing(false);
    assert.ok(action, title);
    // The lazy listing carries the same command: VS Code resolves only the edit.
    assert.deepEqual(listing(true)?.command, action.command);
    return { document, action };
  }

  /** What the client command selects: the body of the literal at or after the position. */
  function selected(after: string, document: TextDocument, args: unknown[]): string {
    const [uri, position, literal] = args as [string, { line: number; character: number }, string];
    assert.equal(uri, document.uri);
    const found = after.indexOf(literal, document.offsetAt(position));
    assert.ok(found >= 0, `${literal} found after the edit`);
    return after.slice(found + 1, found + literal.length - 1);
  }

  it('Add purpose: the command selects the inserted suggestion, in a one-line and a multi-line entry', () => {
    for (const text of [
      list('{ "permission": "customer_read" }'),
      manifestWith('[\n    {\n      "permission": "customer_read"\n    }\n  ]'),
    ]) {
      const { document, action } = fixWithCommand(
        text,
        'missing-purpose',
        `Add purpose "${suggested}"`,
        'stripeApps.selectText',
      );
      assert.equal(action.command?.command, 'stripeApps.selectText');
      const after = applyEdits(document, editsOf(action, document));
      assert.equal(selected(after, document, action.command.arguments ?? []), suggested);
    }
  });

  it('Replace with suggested purpose: the command selects the suggestion', () => {
    const { document, action } = fixWithCommand(
      list('{ "permission": "customer_read", "purpose": "test" }'),
      'placeholder-purpose',
      `Replace with suggested purpose "${suggested}"`,
      'stripeApps.selectText',
    );
    const after = applyEdits(document, editsOf(action, document));
    assert.equal(selected(after, document, action.command?.arguments ?? []), suggested);
  });

  it('no command for a client without one', () => {
    const { action } = fixWithCommand(
      list('{ "permission": "customer_read" }'),
      'missing-purpose',
      `Add purpose "${suggested}"`,
    );
    assert.equal(action.command, undefined);
  });
});
