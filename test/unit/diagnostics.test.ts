import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DiagnosticSeverity,
  DiagnosticTag,
  type Diagnostic,
  type Range,
} from 'vscode-languageserver-types';
import { catalog } from '../../server/src/service/catalog';
import { validateManifest } from '../../server/src/service/diagnostics/validation';
import { parseManifest } from '../../server/src/service/manifestDocument';
import { resolveSettings } from '../../server/src/service/settings';
import fc from 'fast-check';
import {
  assertProperty,
  entryArbitrary,
  manifestArbitrary,
  renderManifest,
  runs,
} from './fuzzUtil';
import { doc, manifestWith, rangeOf } from './util';

/** The item at `index`, failing the test when there is none. */
function at<T>(list: readonly T[], index: number): T {
  const item = list[index];
  assert.ok(item !== undefined, `no item ${index} in ${JSON.stringify(list)}`);
  return item;
}

const BASE = 'file:///app/stripe-app.json';
const LOCAL = 'file:///app/stripe-app.dev.json';
const PERMISSIONS_URL = catalog.source.url;
const MANIFEST_URL = 'https://docs.stripe.com/stripe-apps/reference/app-manifest';
const GOOD = 'Shows the open invoices of the customer in the sidebar';

interface Options {
  uri?: string;
  settings?: unknown;
  syntaxErrors?: boolean;
  maxProblems?: number;
}

function validate(
  text: string,
  options: Options = {},
): { document: TextDocument; all: Diagnostic[] } {
  const document = doc(text, options.uri ?? BASE);
  const settings = resolveSettings(options.settings);
  const manifest = parseManifest(document, settings.maxDocumentSize);
  const all = validateManifest(manifest, document, settings, {
    syntaxErrors: options.syntaxErrors ?? false,
    ...(options.maxProblems !== undefined ? { maxProblems: options.maxProblems } : {}),
  });
  return { document, all };
}

/** A manifest whose permissions array holds these entries, as [permission, purpose] pairs. */
function entries(...pairs: [string, string][]): string {
  const body = pairs
    .map(
      ([permission, purpose]) =>
        `    { "permission": ${JSON.stringify(permission)}, "purpose": ${JSON.stringify(purpose)} }`,
    )
    .join(',\n');
  return manifestWith(`[\n${body}\n  ]`);
}

function codesOf(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((diagnostic) => String(diagnostic.code));
}

function messageOf(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

function only(diagnostics: readonly Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.code === code);
}

function single(diagnostics: readonly Diagnostic[], code: string): Diagnostic {
  const found = only(diagnostics, code);
  assert.equal(
    found.length,
    1,
    `expected one ${code}, got ${JSON.stringify(codesOf(diagnostics))}`,
  );
  return at(found, 0);
}

/** The range of `needle` moved by `from`/`to` characters (to point inside a string). */
function inner(document: TextDocument, needle: string, occurrence = 0): Range {
  const range = rangeOf(document, needle, occurrence);
  return {
    start: { line: range.start.line, character: range.start.character + 1 },
    end: { line: range.end.line, character: range.end.character - 1 },
  };
}

describe('validateManifest', () => {
  it('reports nothing for a valid manifest (comments, trailing commas, locale maps)', () => {
    const text = `{
  // The app
  "id": "com.example.app",
  "version": "1.0.0",
  "name": "Example App",
  "icon": "./icon.png",
  "permissions": [
    { "permission": "customer_read", "purpose": "Shows the customer's open invoices in the sidebar" },
    { "permission": "customer_write", "purpose": "Shows the customer's open invoices in the sidebar" },
    {
      "permission": "invoice_read",
      "purpose": {
        "en-US": "Lists overdue invoices so you can send reminders",
        "fr-FR": "Liste les factures en retard pour envoyer des relances"
      }
    },
    { "permission": "balance_transaction_source_read", "purpose": "Reconciles payouts with the bank statements each night" },
    { "permission": "event_read", "purpose": "Receives invoice events so reminders go out on time" },
  ],
  "ui_extension": { "views": [] },
  "connect_permissions": null,
  "extensions": null,
}
`;
    assert.deepEqual(validate(text, { syntaxErrors: true }).all, []);
    assert.deepEqual(validate(text, { uri: LOCAL }).all, []);
  });

  it('gives every diagnostic a source, code and severity, in document order', () => {
    const { all } = validate(
      entries(
        ['customers_read', 'test'],
        ['webhook_write', GOOD],
        ['customer_read', 'Read customers'],
      ),
    );
    assert.deepEqual(codesOf(all), [
      'unknown-permission',
      'placeholder-purpose',
      'restricted-permission',
      'purpose-restates-permission',
    ]);
    for (const diagnostic of all) {
      assert.equal(diagnostic.source, 'stripe-apps');
      assert.ok(diagnostic.severity);
      assert.ok(diagnostic.codeDescription?.href.startsWith('https://docs.stripe.com/'));
    }
  });

  describe('unknown-permission', () => {
    it('offers the nearest names', () => {
      const { document, all } = validate(entries(['customers_read', GOOD]));
      const diagnostic = single(all, 'unknown-permission');
      assert.deepEqual(diagnostic.range, rangeOf(document, '"customers_read"'));
      assert.equal(diagnostic.severity, DiagnosticSeverity.Error);
      assert.equal(
        diagnostic.message,
        'Unknown permission "customers_read": did you mean "customer_read"?',
      );
      assert.deepEqual(diagnostic.data, {
        index: 0,
        name: 'customers_read',
        suggestions: ['customer_read'],
      });
      assert.equal(diagnostic.codeDescription?.href, PERMISSIONS_URL);
      assert.equal(all.length, 1);
    });

    it('lists several suggestions', () => {
      const diagnostic = single(
        validate(entries(['customer_write_read', GOOD])).all,
        'unknown-permission',
      );
      assert.equal(
        diagnostic.message,
        'Unknown permission "customer_write_read": did you mean "customer_write" or "customer_read"?',
      );
    });

    it("names Stripe's schema typos", () => {
      const diagnostic = single(
        validate(entries(['apply_pay_domain_read', GOOD])).all,
        'unknown-permission',
      );
      assert.equal(
        diagnostic.message,
        `Misspelt permission "apply_pay_domain_read" (a typo in Stripe's schema): use "apple_pay_domain_read".`,
      );
    });

    it('says how to allow a name it cannot place', () => {
      const diagnostic = single(
        validate(entries(['datastore_write', GOOD])).all,
        'unknown-permission',
      );
      assert.equal(
        diagnostic.message,
        'Unknown permission "datastore_write": remove it, or allow it in settings.',
      );
      assert.deepEqual(diagnostic.data, { index: 0, name: 'datastore_write', suggestions: [] });
    });

    it('accepts names from allowedPermissions', () => {
      const settings = { allowedPermissions: ['datastore_write'] };
      assert.deepEqual(validate(entries(['datastore_write', GOOD]), { settings }).all, []);
    });

    it('flags white space around an otherwise valid name', () => {
      const { document, all } = validate(entries([' customer_read ', GOOD]));
      const diagnostic = single(all, 'unknown-permission');
      assert.deepEqual(diagnostic.range, rangeOf(document, '" customer_read "'));
      assert.equal(
        diagnostic.message,
        'White space makes " customer_read " unknown: write "customer_read".',
      );
      assert.deepEqual(diagnostic.data, {
        index: 0,
        name: ' customer_read ',
        suggestions: ['customer_read'],
      });
    });

    it('can be turned off or made a warning', () => {
      const text = entries(['customers_read', GOOD]);
      assert.deepEqual(
        validate(text, { settings: { severity: { 'unknown-permission': 'off' } } }).all,
        [],
      );
      const diagnostic = single(
        validate(text, { settings: { severity: { 'unknown-permission': 'warning' } } }).all,
        'unknown-permission',
      );
      assert.equal(diagnostic.severity, DiagnosticSeverity.Warning);
    });

    it('does not report catalog names', () => {
      assert.deepEqual(
        validate(entries(['customer_read', GOOD], ['payment_records_read', GOOD])).all,
        [],
      );
    });
  });

  describe('retired-permission', () => {
    it('reports names gone from the reference', () => {
      const { document, all } = validate(entries(['mandate_read', GOOD]));
      const diagnostic = single(all, 'retired-permission');
      assert.deepEqual(diagnostic.range, rangeOf(document, '"mandate_read"'));
      assert.equal(diagnostic.severity, DiagnosticSeverity.Warning);
      assert.deepEqual(diagnostic.tags, [DiagnosticTag.Deprecated]);
      assert.equal(
        diagnostic.message,
        'Retired permission "mandate_read": upload may refuse it; remove it.',
      );
      assert.deepEqual(diagnostic.data, { index: 0, name: 'mandate_read', replacements: [] });
      assert.equal(all.length, 1);
    });

    it('is silent for retired names the user allowed', () => {
      const settings = { allowedPermissions: ['elements_write'] };
      assert.deepEqual(validate(entries(['elements_write', GOOD]), { settings }).all, []);
    });
  });

  describe('multiple-permissions-in-entry', () => {
    it('reports two names in one string', () => {
      const { document, all } = validate(entries(['coupon_read, coupon_write', GOOD]));
      const diagnostic = single(all, 'multiple-permissions-in-entry');
      assert.deepEqual(diagnostic.range, rangeOf(document, '"coupon_read, coupon_write"'));
      assert.equal(diagnostic.severity, DiagnosticSeverity.Error);
      assert.equal(diagnostic.message, '2 permissions in one string: give each its own entry.');
      assert.deepEqual(diagnostic.data, {
        index: 0,
        name: 'coupon_read, coupon_write',
        names: ['coupon_read', 'coupon_write'],
      });
      assert.equal(all.length, 1);
    });

    it('splits on spaces, semicolons and bars too', () => {
      for (const name of [
        'coupon_read coupon_write',
        'coupon_read;coupon_write',
        'coupon_read | invoices_read',
      ]) {
        const diagnostic = single(
          validate(entries([name, GOOD])).all,
          'multiple-permissions-in-entry',
        );
        assert.equal((diagnostic.data as { names: string[] }).names.length, 2, name);
      }
    });

    it('treats words with a space as one misspelt name', () => {
      const { all } = validate(entries(['customer read', GOOD]));
      assert.deepEqual(codesOf(all), ['unknown-permission']);
      assert.deepEqual((at(all, 0).data as { suggestions: string[] }).suggestions, [
        'customer_read',
      ]);
    });
  });

  describe('event-type-as-permission', () => {
    it('names the permissions the event needs', () => {
      const { document, all } = validate(entries(['customer.created', GOOD]));
      const diagnostic = single(all, 'event-type-as-permission');
      assert.deepEqual(diagnostic.range, rangeOf(document, '"customer.created"'));
      assert.equal(diagnostic.severity, DiagnosticSeverity.Error);
      assert.equal(
        diagnostic.message,
        'Event type, not a permission: grant "event_read" and "customer_read" instead.',
      );
      assert.deepEqual(diagnostic.data, {
        index: 0,
        name: 'customer.created',
        needed: ['event_read', 'customer_read'],
        suggestions: ['event_read', 'customer_read'],
      });
      assert.equal(all.length, 1);
    });

    it('says what is already granted', () => {
      const partly = single(
        validate(entries(['event_read', GOOD], ['customer.created', GOOD])).all,
        'event-type-as-permission',
      );
      assert.equal(partly.message, 'Event type, not a permission: grant "customer_read" instead.');
      assert.deepEqual((partly.data as { suggestions: string[] }).suggestions, ['customer_read']);
      const all = single(
        validate(entries(['event_read', GOOD], ['account.application.authorized', GOOD])).all,
        'event-type-as-permission',
      );
      assert.equal(
        all.message,
        'Event type, not a permission: remove it ("event_read" already granted).',
      );
    });

    it('leaves out object permissions the catalog does not have', () => {
      const diagnostic = single(
        validate(entries(['issuing_personalization_design.activated', GOOD])).all,
        'event-type-as-permission',
      );
      assert.deepEqual((diagnostic.data as { needed: string[] }).needed, [
        'event_read',
        'issuing_card_read',
      ]);
    });

    it('leaves unknown dotted names to unknown-permission', () => {
      assert.deepEqual(codesOf(validate(entries(['customer.exploded', GOOD])).all), [
        'unknown-permission',
      ]);
    });
  });

  describe('duplicate-permission', () => {
    it('reports every later occurrence, pointing at the first', () => {
      const { document, all } = validate(
        entries(
          ['customer_read', GOOD],
          ['invoice_read', GOOD],
          ['customer_read', GOOD],
          ['customer_read', GOOD],
        ),
      );
      const found = only(all, 'duplicate-permission');
      assert.deepEqual(
        found.map((diagnostic) => diagnostic.range),
        [rangeOf(document, '"customer_read"', 1), rangeOf(document, '"customer_read"', 2)],
      );
      const second = at(found, 0);
      assert.equal(second.severity, DiagnosticSeverity.Warning);
      assert.equal(second.message, 'Duplicate of line 7: remove this entry.');
      assert.deepEqual(second.relatedInformation, [
        {
          location: { uri: BASE, range: rangeOf(document, '"customer_read"') },
          message: '"customer_read" first granted here',
        },
      ]);
      assert.deepEqual(second.data, { index: 2, name: 'customer_read', firstIndex: 0 });
      assert.equal(all.length, 2);
    });

    it('says when the repeat has another purpose (which fix-all leaves to a person)', () => {
      const { all } = validate(
        entries(
          ['customer_read', GOOD],
          ['customer_read', `${GOOD.toUpperCase()}.`],
          ['customer_read', 'Matches support tickets to their customers'],
        ),
      );
      assert.deepEqual(
        only(all, 'duplicate-permission').map((diagnostic) => diagnostic.message),
        [
          'Duplicate of line 7: remove this entry.',
          'Duplicate of line 7, another purpose: keep one, merge the reasons.',
        ],
      );
    });

    it('does not report a read/write pair', () => {
      assert.deepEqual(
        validate(entries(['customer_read', GOOD], ['customer_write', GOOD])).all,
        [],
      );
    });
  });

  describe('missing-permission-name', () => {
    it('reports an entry without "permission", once', () => {
      const text = manifestWith(`[{ "purpose": "${GOOD}" }]`);
      const { document, all } = validate(text);
      const diagnostic = single(all, 'missing-permission-name');
      assert.deepEqual(diagnostic.range, rangeOf(document, `{ "purpose": "${GOOD}" }`));
      assert.equal(diagnostic.severity, DiagnosticSeverity.Error);
      assert.equal(
        diagnostic.message,
        'Entry has no "permission": add the name it grants, e.g. "customer_read".',
      );
      assert.deepEqual(diagnostic.data, { index: 0 });
      assert.equal(all.length, 1);
      // Neither key: still one report, not a missing purpose as well.
      assert.deepEqual(codesOf(validate(manifestWith('[{}]')).all), ['missing-permission-name']);
    });

    it('reports an empty name', () => {
      const { document, all } = validate(entries(['  ', GOOD]));
      const diagnostic = single(all, 'missing-permission-name');
      assert.deepEqual(diagnostic.range, rangeOf(document, '"  "'));
      assert.equal(all.length, 1);
    });
  });

  describe('invalid-permission-entry', () => {
    it('reports entries that are not objects', () => {
      const { document, all } = validate(manifestWith('["customer_read", 42]'));
      assert.deepEqual(codesOf(all), ['invalid-permission-entry', 'invalid-permission-entry']);
      assert.deepEqual(at(all, 0).range, rangeOf(document, '"customer_read"'));
      assert.equal(
        at(all, 0).message,
        'Entry is a bare string: write { "permission": "customer_read", "purpose": "…" }.',
      );
      assert.deepEqual(at(all, 0).data, {
        index: 0,
        reason: 'entry-not-object',
        name: 'customer_read',
      });
      assert.deepEqual(at(all, 1).range, rangeOf(document, '42'));
      assert.equal(
        at(all, 1).message,
        'Entry must be an object such as { "permission": "customer_read", "purpose": "…" }, not a number (42).',
      );
      assert.equal(at(all, 0).codeDescription?.href, MANIFEST_URL);
    });

    it('reports a permission or purpose of the wrong type, on the value', () => {
      const text = manifestWith(`[
    { "permission": 7, "purpose": "${GOOD}" },
    { "permission": ["customer_read", "invoice_read"], "purpose": "${GOOD}" },
    { "permission": "customer_read", "purpose": 12 },
    { "permission": "invoice_read", "purpose": ["a", "b"] },
    { "permission": "plan_read", "purpose": { "en-US": true } }
  ]`);
      const { document, all } = validate(text);
      assert.deepEqual(codesOf(all), Array(5).fill('invalid-permission-entry'));
      assert.deepEqual(
        all.map((diagnostic) => diagnostic.range),
        [
          rangeOf(document, '7'),
          rangeOf(document, '["customer_read", "invoice_read"]'),
          rangeOf(document, '12'),
          rangeOf(document, '["a", "b"]'),
          rangeOf(document, 'true'),
        ],
      );
      assert.deepEqual(
        all.map((diagnostic) => diagnostic.message),
        [
          '"permission" must be a name such as "customer_read", not a number (7).',
          '"permission" holds one name, not a list: one entry per permission.',
          '"purpose" must be a string or a locale map, not a number (12).',
          '"purpose" must be a string or a locale map, not an array.',
          'Purpose for locale "en-US" must be a string, not true.',
        ],
      );
      assert.deepEqual(at(all, 2).data, { index: 2, reason: 'purpose-not-text' });
      assert.deepEqual(at(all, 4).data, { index: 4, reason: 'purpose-not-text', locale: 'en-US' });
    });
  });

  describe('unexpected-entry-property', () => {
    it('reports other keys, on the key', () => {
      const text = manifestWith(
        `[{ "permission": "customer_read", "purpose": "${GOOD}", "name": "Read customers" }]`,
      );
      const { document, all } = validate(text);
      const diagnostic = single(all, 'unexpected-entry-property');
      assert.deepEqual(diagnostic.range, rangeOf(document, '"name"', 1));
      assert.equal(diagnostic.severity, DiagnosticSeverity.Warning);
      assert.equal(
        diagnostic.message,
        'Unexpected key "name": an entry has only "permission" and "purpose".',
      );
      assert.deepEqual(diagnostic.data, { index: 0, key: 'name' });
      assert.equal(all.length, 1);
    });
  });

  describe('duplicate-entry-property', () => {
    it('reports an earlier "permission" or "purpose" key, which the last one overrides', () => {
      const text = manifestWith(
        `[{ "permission": "customer_read", "permission": "customer_write", "purpose": "${GOOD}", "purpose": "${GOOD}" }]`,
      );
      const { document, all } = validate(text);
      const found = only(all, 'duplicate-entry-property');
      assert.deepEqual(
        found.map((diagnostic): unknown[] => [
          diagnostic.range,
          diagnostic.message,
          diagnostic.data,
        ]),
        [
          [
            rangeOf(document, '"permission"'),
            'Duplicate "permission" key: only the last one counts; remove this one.',
            { index: 0, key: 'permission' },
          ],
          [
            rangeOf(document, '"purpose"'),
            'Duplicate "purpose" key: only the last one counts; remove this one.',
            { index: 0, key: 'purpose' },
          ],
        ],
      );
      assert.equal(at(found, 0).severity, DiagnosticSeverity.Warning);
      assert.equal(all.length, 2);
    });
  });

  describe('permissions-not-array', () => {
    it('reports any other value, on the value', () => {
      for (const [value, kind] of [
        ['{}', 'an object'],
        ['null', 'null'],
        ['"customer_read"', 'a string'],
      ] as const) {
        const { document, all } = validate(manifestWith(value));
        const diagnostic = single(all, 'permissions-not-array');
        assert.deepEqual(diagnostic.range, rangeOf(document, value));
        assert.equal(diagnostic.message, `"permissions" must be an array of entries, not ${kind}.`);
        assert.equal(all.length, 1);
      }
    });

    it('accepts an empty array', () => {
      assert.deepEqual(validate(manifestWith('[]')).all, []);
    });
  });

  describe('missing-permissions', () => {
    const text = '{\n  "id": "com.example.app",\n  "name": "Example"\n}\n';

    it('reports a base manifest without permissions on its "id" key', () => {
      // Issue 12, point 8: the lone `{` was easy to miss; the `id` key is what the user sees.
      const { document, all } = validate(text);
      const diagnostic = single(all, 'missing-permissions');
      assert.deepEqual(diagnostic.range, rangeOf(document, '"id"'));
      assert.equal(diagnostic.severity, DiagnosticSeverity.Error);
      assert.equal(
        diagnostic.message,
        'No "permissions" array: add one (empty if the app calls no Stripe API).',
      );
    });

    it('falls back to the first key, then to the brace', () => {
      const named = '{ "name": "Example", "version": "1.0.0" }';
      assert.deepEqual(
        single(validate(named).all, 'missing-permissions').range,
        rangeOf(doc(named), '"name"'),
      );
      assert.deepEqual(single(validate('{}').all, 'missing-permissions').range, {
        start: { line: 0, character: 0 },
        end: { line: 0, character: 1 },
      });
    });

    it('lets local manifests inherit the list', () => {
      assert.deepEqual(validate(text, { uri: LOCAL }).all, []);
      const extending = '{ "extends": "stripe-app.json", "name": "Dev" }';
      assert.deepEqual(validate(extending, { uri: 'file:///app/manifest.json' }).all, []);
    });

    it('does not judge documents that are not objects, or are broken', () => {
      assert.deepEqual(validate('[]').all, []);
      assert.deepEqual(validate('').all, []);
      assert.deepEqual(validate('{ "id": "x", ').all, []);
    });
  });

  describe('missing-purpose', () => {
    it('reports an entry without purpose, on its name', () => {
      const { document, all } = validate(manifestWith('[{ "permission": "customer_read" }]'));
      const diagnostic = single(all, 'missing-purpose');
      assert.deepEqual(diagnostic.range, rangeOf(document, '"customer_read"'));
      assert.equal(diagnostic.severity, DiagnosticSeverity.Error);
      assert.equal(
        diagnostic.message,
        'No purpose: add one saying why the app needs "customer_read".',
      );
      assert.deepEqual(diagnostic.data, { index: 0, permission: 'customer_read' });
      assert.equal(all.length, 1);
    });
  });

  describe('purpose rules in the document', () => {
    it('empty-purpose covers the whole string', () => {
      const { document, all } = validate(entries(['customer_read', ''], ['invoice_read', '   ']));
      assert.deepEqual(codesOf(all), ['empty-purpose', 'empty-purpose']);
      assert.deepEqual(at(all, 0).range, rangeOf(document, '""'));
      assert.deepEqual(at(all, 1).range, rangeOf(document, '"   "'));
      assert.equal(at(all, 0).severity, DiagnosticSeverity.Error);
      assert.deepEqual(at(all, 0).data, { index: 0, permission: 'customer_read' });
      assert.equal(at(all, 0).codeDescription?.href, MANIFEST_URL);
    });

    it('empty-purpose for a locale map without texts', () => {
      const { document, all } = validate(
        manifestWith('[{ "permission": "customer_read", "purpose": {} }]'),
      );
      const diagnostic = single(all, 'empty-purpose');
      assert.deepEqual(diagnostic.range, rangeOf(document, '{}'));
    });

    it('placeholder-purpose inside the quotes', () => {
      const { document, all } = validate(entries(['customer_read', 'test']));
      const diagnostic = single(all, 'placeholder-purpose');
      assert.deepEqual(diagnostic.range, inner(document, '"test"'));
      assert.equal(diagnostic.severity, DiagnosticSeverity.Warning);
      assert.deepEqual(diagnostic.data, {
        index: 0,
        permission: 'customer_read',
        placeholder: 'test',
      });
      assert.equal(all.length, 1);
      const sentence = validate(
        entries(['invoice_write', 'Allows [YOUR APP] to add shipping to invoices']),
      );
      assert.deepEqual(
        single(sentence.all, 'placeholder-purpose').range,
        rangeOf(sentence.document, '[YOUR APP]'),
      );
      assert.deepEqual(
        validate(entries(['invoice_read', 'Reconciles test-mode invoices with the ledger'])).all,
        [],
      );
    });

    it('purpose-restates-permission', () => {
      const { document, all } = validate(entries(['payment_intent_read', 'Payment intent read']));
      const diagnostic = single(all, 'purpose-restates-permission');
      assert.deepEqual(diagnostic.range, inner(document, '"Payment intent read"'));
      assert.equal(diagnostic.severity, DiagnosticSeverity.Warning);
      assert.equal(all.length, 1);
      // The app's own name counts as filler.
      const named = validate(
        entries(['customer_read', 'Allows Example App to read customer information.']),
      );
      assert.deepEqual(codesOf(named.all), ['purpose-restates-permission']);
      assert.deepEqual(
        validate(
          entries([
            'customer_read',
            'Allows the app to read customer data to show it in the sidebar',
          ]),
        ).all,
        [],
      );
    });

    it('short-purpose, with minWords from the settings', () => {
      const { document, all } = validate(entries(['subscription_read', 'get subs']));
      const diagnostic = single(all, 'short-purpose');
      assert.deepEqual(diagnostic.range, inner(document, '"get subs"'));
      assert.deepEqual(diagnostic.data, {
        index: 0,
        permission: 'subscription_read',
        words: 2,
        minWords: 3,
      });
      const text = entries(['subscription_read', 'Shows renewal dates']);
      assert.deepEqual(validate(text).all, []);
      assert.deepEqual(codesOf(validate(text, { settings: { purpose: { minWords: 4 } } }).all), [
        'short-purpose',
      ]);
    });

    it('long-purpose, from the character past maxLength', () => {
      const { document, all } = validate(entries(['invoice_read', GOOD]), {
        settings: { purpose: { maxLength: 20 } },
      });
      const diagnostic = single(all, 'long-purpose');
      const range = inner(document, `"${GOOD}"`);
      assert.deepEqual(diagnostic.range, {
        start: { ...range.start, character: range.start.character + 20 },
        end: range.end,
      });
      assert.deepEqual(diagnostic.data, {
        index: 0,
        permission: 'invoice_read',
        length: GOOD.length,
        maxLength: 20,
      });
      assert.deepEqual(validate(entries(['invoice_read', GOOD])).all, []);
    });

    it('purpose-control-characters maps escapes to the source text', () => {
      const text = manifestWith(
        '[{ "permission": "terminal_reader_read", "purpose": "Integrate \\"POS\\" \\u001b[5~transactions" }]',
      );
      const { document, all } = validate(text);
      const diagnostic = single(all, 'purpose-control-characters');
      assert.deepEqual(diagnostic.range, rangeOf(document, '\\u001b[5~'));
      assert.equal(diagnostic.severity, DiagnosticSeverity.Error);
      assert.deepEqual(diagnostic.data, {
        index: 0,
        permission: 'terminal_reader_read',
        cleaned: 'Integrate "POS" transactions',
      });
      // Issue 12, point 18: what is left without the ESC byte is printable text Stripe accepts:
      // its own code, a warning; a real control character stays an error.
      const leftover = validate(entries(['terminal_reader_read', 'Integrate POS ;5Btransactions']));
      const leftoverDiagnostic = single(leftover.all, 'purpose-escape-leftover');
      assert.deepEqual(leftoverDiagnostic.range, rangeOf(leftover.document, ';5B'));
      assert.equal(leftoverDiagnostic.severity, DiagnosticSeverity.Warning);
      assert.equal(
        leftoverDiagnostic.message,
        'Terminal leftover ";5B" in the purpose: remove it.',
      );
      assert.deepEqual(leftoverDiagnostic.data, {
        index: 0,
        permission: 'terminal_reader_read',
        cleaned: 'Integrate POS transactions',
        leftover: ';5B',
      });
      assert.equal(leftover.all.length, 1);
      assert.equal(diagnostic.message, 'Terminal escape "\\u001b[5~" in the purpose: remove it.');
      const lineBreak = validate(
        entries(['invoice_read', 'Lists overdue invoices\nto send reminders']),
      );
      assert.deepEqual(
        single(lineBreak.all, 'purpose-control-characters').range,
        rangeOf(lineBreak.document, '\\n'),
      );
    });

    it('purpose-whitespace on the white space itself', () => {
      const { document, all } = validate(entries(['invoice_read', `${GOOD}  `]));
      const diagnostic = single(all, 'purpose-whitespace');
      const range = rangeOf(document, `${GOOD}  "`);
      assert.deepEqual(diagnostic.range, {
        start: { line: range.start.line, character: range.start.character + GOOD.length },
        end: { line: range.end.line, character: range.end.character - 1 },
      });
      assert.equal(diagnostic.severity, DiagnosticSeverity.Hint);
      assert.deepEqual(diagnostic.data, { index: 0, permission: 'invoice_read', trimmed: GOOD });
      const escaped = validate(entries(['invoice_read', `${GOOD}\n`]));
      assert.deepEqual(
        single(escaped.all, 'purpose-whitespace').range,
        rangeOf(escaped.document, '\\n'),
      );
    });

    it('judges each text of a locale map', () => {
      const text = manifestWith(
        `[{ "permission": "invoice_read", "purpose": { "en-US": "test", "fr-FR": "Liste les factures en retard pour les relances" } }]`,
      );
      const { document, all } = validate(text);
      const diagnostic = single(all, 'placeholder-purpose');
      assert.deepEqual(diagnostic.range, inner(document, '"test"'));
      assert.deepEqual(diagnostic.data, {
        index: 0,
        permission: 'invoice_read',
        locale: 'en-US',
        placeholder: 'test',
      });
      assert.equal(all.length, 1);
    });

    it('severity settings apply to purpose rules', () => {
      const text = entries(['customer_read', 'test']);
      assert.deepEqual(
        validate(text, {
          settings: { severity: { 'placeholder-purpose': 'off', 'short-purpose': 'off' } },
        }).all,
        [],
      );
      const raised = single(
        validate(text, { settings: { severity: { 'placeholder-purpose': 'error' } } }).all,
        'placeholder-purpose',
      );
      assert.equal(raised.severity, DiagnosticSeverity.Error);
    });
  });

  describe('reused-purpose', () => {
    const shared = 'Handle payment transactions';

    it('reports a text that explains three resources, on each occurrence', () => {
      const { document, all } = validate(
        entries(
          ['charge_read', shared],
          ['customer_read', shared],
          ['payment_intent_read', `${shared}.`],
        ),
      );
      const found = only(all, 'reused-purpose');
      assert.equal(found.length, 3);
      assert.equal(all.length, 3);
      const first = at(found, 0);
      assert.deepEqual(first.range, rangeOf(document, `"${shared}"`));
      assert.equal(first.severity, DiagnosticSeverity.Information);
      assert.equal(
        first.message,
        'Reused purpose (2 other permissions): say why "charge_read" is needed.',
      );
      assert.deepEqual(first.data, {
        index: 0,
        permission: 'charge_read',
        permissions: ['customer_read', 'payment_intent_read'],
      });
      assert.deepEqual(
        first.relatedInformation?.map((info) => [
          info.location.uri,
          info.location.range,
          info.message,
        ]),
        [
          [BASE, rangeOf(document, `"${shared}"`, 1), 'The same purpose for "customer_read"'],
          [BASE, rangeOf(document, `"${shared}."`), 'The same purpose for "payment_intent_read"'],
        ],
      );
    });

    it('lets a read/write pair, or two resources, share a text', () => {
      assert.deepEqual(
        validate(entries(['customer_read', shared], ['customer_write', shared])).all,
        [],
      );
      assert.deepEqual(
        validate(entries(['customer_read', shared], ['charge_read', shared])).all,
        [],
      );
      assert.deepEqual(
        validate(
          entries(['customer_read', shared], ['customer_write', shared], ['charge_read', shared]),
        ).all,
        [],
      );
    });

    it('leaves placeholders to placeholder-purpose', () => {
      const { all } = validate(
        entries(['charge_read', 'test'], ['customer_read', 'test'], ['plan_read', 'test']),
      );
      assert.deepEqual(codesOf(all), Array(3).fill('placeholder-purpose'));
    });
  });

  describe('redundant-permission', () => {
    it('reports a permission another one grants', () => {
      const { document, all } = validate(
        entries(['balance_transaction_source_read', GOOD], ['payout_read', GOOD]),
      );
      const diagnostic = single(all, 'redundant-permission');
      assert.deepEqual(diagnostic.range, rangeOf(document, '"payout_read"'));
      // Information (issue 12, point 9): a hint never reaches the Problems panel.
      assert.equal(diagnostic.severity, DiagnosticSeverity.Information);
      assert.deepEqual(diagnostic.tags, [DiagnosticTag.Unnecessary]);
      assert.equal(
        diagnostic.message,
        'Redundant: "balance_transaction_source_read" already grants it; remove this entry.',
      );
      assert.deepEqual(diagnostic.data, {
        index: 1,
        name: 'payout_read',
        impliedBy: ['balance_transaction_source_read'],
      });
      assert.equal(all.length, 1);
    });

    it('does not report the permission alone', () => {
      assert.deepEqual(validate(entries(['payout_read', GOOD])).all, []);
    });
  });

  describe('legacy-permission', () => {
    it('reports legacy APIs as information, tagged deprecated', () => {
      const { document, all } = validate(entries(['source_read', GOOD]));
      const diagnostic = single(all, 'legacy-permission');
      assert.deepEqual(diagnostic.range, rangeOf(document, '"source_read"'));
      assert.equal(diagnostic.severity, DiagnosticSeverity.Information);
      assert.deepEqual(diagnostic.tags, [DiagnosticTag.Deprecated]);
      assert.equal(
        diagnostic.message,
        'Legacy API (Sources): keep "source_read" only if the app still uses it.',
      );
      assert.equal(
        diagnostic.codeDescription?.href,
        catalog.get('source_read')?.docsUrl ?? PERMISSIONS_URL,
      );
      assert.equal(all.length, 1);
    });
  });

  describe('restricted-permission', () => {
    it('reports webhook_write', () => {
      const { document, all } = validate(entries(['webhook_write', GOOD]));
      const diagnostic = single(all, 'restricted-permission');
      assert.deepEqual(diagnostic.range, rangeOf(document, '"webhook_write"'));
      assert.equal(diagnostic.severity, DiagnosticSeverity.Warning);
      assert.equal(
        messageOf(diagnostic),
        'Restricted permission "webhook_write": remove it unless Stripe enabled it.',
      );
      assert.deepEqual(diagnostic.data, { index: 0, name: 'webhook_write' });
      assert.equal(all.length, 1);
      assert.deepEqual(validate(entries(['webhook_read', GOOD])).all, []);
    });

    it('can be raised to an error', () => {
      const settings = { severity: { 'restricted-permission': 'error' } };
      const diagnostic = single(
        validate(entries(['webhook_write', GOOD]), { settings }).all,
        'restricted-permission',
      );
      assert.equal(diagnostic.severity, DiagnosticSeverity.Error);
    });
  });

  describe('syntax-error', () => {
    const broken = '{ "permissions": [ { "permission": "customer_read" "purpose": "x" } ] }';

    it('is reported only when asked', () => {
      assert.deepEqual(only(validate(broken).all, 'syntax-error'), []);
      const { document, all } = validate(broken, { syntaxErrors: true });
      const diagnostic = single(all, 'syntax-error');
      assert.deepEqual(diagnostic.range, rangeOf(document, '"purpose"'));
      assert.equal(diagnostic.message, 'Syntax error: comma expected.');
      assert.equal(diagnostic.severity, DiagnosticSeverity.Error);
      assert.deepEqual(diagnostic.data, { error: 'CommaExpected' });
    });

    it('reports one error once', () => {
      const { all } = validate('{ "permissions": [', { syntaxErrors: true });
      const messages = only(all, 'syntax-error').map((diagnostic) => diagnostic.message);
      assert.deepEqual(messages, [...new Set(messages)]);
    });
  });

  describe('document-too-large', () => {
    it('reports a single diagnostic instead of analysing', () => {
      const text = entries(['customers_read', 'test']);
      const { all } = validate(text, { settings: { maxDocumentSize: 100 } });
      assert.equal(all.length, 1);
      const diagnostic = at(all, 0);
      assert.equal(diagnostic.code, 'document-too-large');
      assert.equal(diagnostic.severity, DiagnosticSeverity.Warning);
      assert.deepEqual(diagnostic.range, {
        start: { line: 0, character: 0 },
        end: { line: 0, character: 1 },
      });
      assert.equal(
        diagnostic.message,
        `File not analysed: ${text.length} characters, over stripeApps.maxDocumentSize (100).`,
      );
      assert.deepEqual(diagnostic.data, { reason: 'too-large', size: text.length, limit: 100 });
      assert.deepEqual(
        validate(text, {
          settings: { maxDocumentSize: 100, severity: { 'document-too-large': 'off' } },
        }).all,
        [],
      );
    });

    it('explains absurd nesting', () => {
      const { all } = validate(`{"permissions": ${'['.repeat(200000)}`, { syntaxErrors: true });
      assert.deepEqual(
        all.map((diagnostic) => [diagnostic.code, diagnostic.message]),
        [['document-too-large', 'File not analysed: nested too deeply to parse.']],
      );
    });
  });

  describe('too-many-problems', () => {
    // A hint, an error, a warning and an error, in that order.
    const text = entries(
      ['invoice_read', 'Shows the open invoices of the customer in the sidebar '],
      ['customers_read', 'Shows the customers who paid late in the sidebar'],
      ['invoice_read', 'Shows the invoice history of the customer in the sidebar'],
      ['charges_read', 'Lists the charges that failed for each customer this week'],
    );

    it('keeps the most severe problems, in document order, and says how many are left out', () => {
      const { document, all } = validate(text, { maxProblems: 3 });
      assert.deepEqual(codesOf(all), [
        'too-many-problems',
        'unknown-permission',
        'duplicate-permission',
        'unknown-permission',
      ]);
      const summary = at(all, 0);
      assert.equal(summary.severity, DiagnosticSeverity.Information);
      assert.deepEqual(summary.range, rangeOf(document, '"permissions"'));
      assert.equal(
        summary.message,
        'Showing 3 of 4 problems, most severe first: see stripeApps.maxNumberOfProblems.',
      );
      assert.deepEqual(summary.data, { shown: 3, total: 4 });
      assert.deepEqual(at(all, 2).range, rangeOf(document, '"invoice_read"', 1));
    });

    it('cuts inside one severity by document order', () => {
      const { document, all } = validate(text, { maxProblems: 1 });
      assert.deepEqual(codesOf(all), ['too-many-problems', 'unknown-permission']);
      assert.deepEqual(at(all, 1).range, rangeOf(document, '"customers_read"'));
      assert.deepEqual(at(all, 0).data, { shown: 1, total: 4 });
    });

    it('reports everything at or under the limit, and with 0', () => {
      for (const maxProblems of [0, 4, 1000]) {
        const { all } = validate(text, { maxProblems });
        assert.deepEqual(
          codesOf(all),
          [
            'purpose-whitespace',
            'unknown-permission',
            'duplicate-permission',
            'unknown-permission',
          ],
          String(maxProblems),
        );
      }
    });

    it('keeps what a cut of every problem keeps, though it drops findings as they come', () => {
      // The most severe `max` of all problems, in document order: the rule, computed from the
      // uncut list, against the validation that never holds more than it must.
      const expectedCut = (all: readonly Diagnostic[], max: number): Diagnostic[] => {
        const bySeverity = [...all].sort((a, b) => (a.severity ?? 0) - (b.severity ?? 0));
        const kept = new Set(bySeverity.slice(0, max));
        return all.filter((diagnostic) => kept.has(diagnostic));
      };
      const check = (text: string, max: number): void => {
        const all = validate(text, { maxProblems: 0, syntaxErrors: true }).all;
        const cut = validate(text, { maxProblems: max, syntaxErrors: true }).all;
        const notes = cut.filter((diagnostic) => diagnostic.code === 'too-many-problems');
        assert.deepEqual(
          cut.filter((diagnostic) => diagnostic.code !== 'too-many-problems'),
          expectedCut(all, max),
        );
        assert.equal(notes.length, all.length > max ? 1 : 0);
        if (all.length > max) {
          assert.deepEqual(notes[0]?.data, { shown: Math.min(max, all.length), total: all.length });
        }
      };
      assertProperty(
        fc.property(
          manifestArbitrary(entryArbitrary),
          fc.integer({ min: 1, max: 6 }),
          (spec, max) => {
            check(renderManifest(spec), max);
          },
        ),
        runs(200),
      );
      check(text, 2);
    });

    it('counts the reused purposes it does not build', () => {
      const shared = 'Shows the records of the customer in the sidebar';
      const reusedText = entries(
        ['customers_read', GOOD],
        ['charges_read', GOOD],
        ['invoices_read', GOOD],
        ['customer_read', shared],
        ['charge_read', shared],
        ['invoice_read', shared],
      );
      const all = validate(reusedText, { maxProblems: 0 }).all;
      assert.deepEqual(codesOf(all), [
        'unknown-permission',
        'unknown-permission',
        'unknown-permission',
        'reused-purpose',
        'reused-purpose',
        'reused-purpose',
      ]);
      const three = validate(reusedText, { maxProblems: 3 }).all;
      assert.deepEqual(codesOf(three), [
        'too-many-problems',
        'unknown-permission',
        'unknown-permission',
        'unknown-permission',
      ]);
      assert.deepEqual(at(three, 0).data, { shown: 3, total: 6 });
      const four = validate(reusedText, { maxProblems: 4 }).all;
      assert.deepEqual(codesOf(four).slice(1), codesOf(all).slice(0, 4));
      assert.deepEqual(at(four, 4), at(all, 3));
      assert.deepEqual(at(four, 0).data, { shown: 4, total: 6 });
    });

    it('still cuts when the note is turned off', () => {
      const { all } = validate(text, {
        maxProblems: 2,
        settings: { severity: { 'too-many-problems': 'off' } },
      });
      assert.deepEqual(codesOf(all), ['unknown-permission', 'unknown-permission']);
    });

    it('puts the note at the top of a file without "permissions"', () => {
      const { all } = validate('{ "permissions": 1, "x": [', {
        maxProblems: 1,
        syntaxErrors: true,
      });
      const summary = single(all, 'too-many-problems');
      assert.deepEqual(summary.range, rangeOf(doc('{ "permissions"'), '"permissions"'));
      const { all: bare } = validate('[1 2 3', { maxProblems: 1, syntaxErrors: true });
      assert.deepEqual(codesOf(bare), ['too-many-problems', 'syntax-error']);
      assert.deepEqual(at(bare, 0).range, {
        start: { line: 0, character: 0 },
        end: { line: 0, character: 1 },
      });
    });
  });
});
