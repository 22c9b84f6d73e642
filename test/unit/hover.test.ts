import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Hover, MarkupContent } from 'vscode-languageserver-types';
import { createManifestLanguageService } from '../../server/src/service/languageService';
import { code, escapeMarkdown, link } from '../../server/src/service/markdown';
import { suggestPermissionNames } from '../../server/src/service/nameSuggestions';
import { manifestWith, rangeOf, withCursor } from './util';

const REFERENCE =
  '[Permissions reference](https://docs.stripe.com/stripe-apps/reference/permissions)';

function hover(textWithCursor: string, settings: unknown = {}): Hover | null {
  const { document, position } = withCursor(textWithCursor);
  const service = createManifestLanguageService(settings);
  return service.doHover(document, position, service.parseManifest(document));
}

function markdownOf(result: Hover | null): string {
  assert.ok(result, 'a hover');
  const contents = result.contents as MarkupContent;
  assert.equal(contents.kind, 'markdown');
  return contents.value;
}

/** A manifest granting `names`; the cursor goes inside the first one. */
function granting(...names: string[]): string {
  const entries = names.map(
    (name, index) =>
      `{ "permission": ${JSON.stringify(name).replace(/^"/, index === 0 ? '"|' : '"')}, "purpose": "Reads data for the dashboard." }`,
  );
  return manifestWith(`[\n    ${entries.join(',\n    ')}\n  ]`);
}

function hoverOn(...names: string[]): string {
  return markdownOf(hover(granting(...names), { allowedPermissions: ['beta_thing_read'] }));
}

describe('hover on a permission name', () => {
  it('describes a catalog permission, its sibling with grant status, and links', () => {
    const text = granting('customer_read', 'customer_write');
    const result = hover(text);
    const { document } = withCursor(text);
    assert.deepEqual(result?.range, rangeOf(document, '"customer_read"'));
    assert.equal(
      markdownOf(result),
      [
        '`customer_read` · **read** access',
        'Core › Customers',
        'Customers store payment methods and transaction history for repeat buyers\\. Read access lets you list and retrieve customer details\\. Write access lets you create, update, and delete customers\\.',
        'Sibling: `customer_write` (write access, granted)',
        `[Customers API reference](https://docs.stripe.com/api/customers) · ${REFERENCE}`,
      ].join('\n\n'),
    );
    assert.match(
      hoverOn('customer_write'),
      /Sibling: `customer_read` \(read access, not granted\)/,
    );
  });

  it('works anywhere inside the string, and not on its key or purpose', () => {
    const text = manifestWith(
      '[{ "permission": "coupon_read", "purpose": "Reads coupons for x." }]',
    );
    const at = (needle: string, shift: number): Hover | null => {
      const offset = text.indexOf(needle) + shift;
      return hover(text.slice(0, offset) + '|' + text.slice(offset));
    };
    assert.ok(at('"coupon_read"', 0));
    assert.ok(at('"coupon_read"', 12));
    assert.equal(at('"coupon_read"', 13), null, 'after the closing quote');
    assert.equal(at('"permission"', 3), null);
    assert.equal(at('Reads coupons', 2), null);
    assert.equal(at('"name"', 2), null);
  });

  it('notes legacy, restricted and sensitive permissions', () => {
    assert.match(
      hoverOn('source_read'),
      /\n\n\*\*Legacy API\.\*\* Sources is a legacy API; new integrations use Payment Methods\\\.\n\n/,
    );
    const webhook = hoverOn('webhook_write');
    assert.match(
      webhook,
      /\n\n\*\*Restricted\.\*\* Upload fails with "requesting webhook\\_write permission is disallowed" unless Stripe Support enabled it for your app; most apps do not need it\\\.\n\n/,
    );
    assert.match(
      webhook,
      /\n\n\*\*Sensitive\.\*\* It allows subscribing to events across the whole account\\\.\n\n/,
    );
    assert.doesNotMatch(hoverOn('customer_read'), /Legacy|Restricted|Sensitive\./);
  });

  it('states implications both ways', () => {
    assert.match(
      hoverOn('balance_read', 'balance_transaction_source_read'),
      /\n\nAlready granted by `balance_transaction_source_read`: this entry is redundant\.\n\n/,
    );
    assert.match(
      hoverOn('balance_read'),
      /\n\nAlso granted by `balance_transaction_source_read`\.\n\n/,
    );
    assert.match(
      hoverOn('balance_transaction_source_read', 'payout_read'),
      /\n\nAlso grants read access to Application Fees \(`application_fee_read`\), Balance \(`balance_read`\), Financing Transactions \(`capital_for_platforms_financing_transaction_read`\), Payouts \(`payout_read`\), Transfers \(`transfer_read`\) and Balance Transfers \(no permission of its own\)\. Listing `payout_read` as well is redundant\.\n\n/,
    );
  });

  it('lists every resource the description says is implied, from the one list', () => {
    // The reference row names six resources; "Also grants" names the same six (issue 12, 12).
    const hover = hoverOn('balance_transaction_source_read');
    const described = /This also implies (.*?)\\\.\n/.exec(hover)?.[1] ?? '';
    const resources = [
      ...described.matchAll(/(?:, and |, |^)([A-Z][A-Za-z ]+?) \\\(Read\\\)/g),
    ].map((match) => match[1]);
    assert.deepEqual(resources, [
      'Application Fees',
      'Balance',
      'Financing Transactions',
      'Payouts',
      'Transfers',
      'Balance Transfers',
    ]);
    const also = /\n\nAlso grants read access to (.*?)\.\n\n/.exec(hover)?.[1] ?? '';
    assert.deepEqual(
      [...also.matchAll(/(?:, | and |^)([A-Z][A-Za-z ]+?) \(/g)].map((match) => match[1]),
      resources,
    );
  });

  it('offers the nearest names for an unknown name', () => {
    const suggestions = suggestPermissionNames('customers_read', ['beta_thing_read']);
    assert.ok(suggestions.includes('customer_read'));
    const expected = suggestions.map((name) => `\`${name}\``);
    const list =
      expected.length === 1
        ? expected[0]
        : `${expected.slice(0, -1).join(', ')} or ${expected.at(-1) ?? ''}`;
    assert.equal(
      hoverOn('customers_read'),
      [
        '**Unknown permission** `customers_read`',
        'Not in the Stripe Apps permissions reference (136 names), so upload fails with **Permission customers\\_read does not exist**.',
        `Did you mean ${list ?? ''}?`,
        'If Stripe accepts this name for your account, add it to the `stripeApps.allowedPermissions` setting.',
        REFERENCE,
      ].join('\n\n'),
    );
    assert.match(hoverOn('refund_read'), /\n\nDid you mean `charge_read`\?\n\n/);
    assert.match(hoverOn(''), /^\*\*Unknown permission\*\* \(empty\)\n\n/);
  });

  it('explains names allowed by settings, retired names and schema misspellings', () => {
    assert.equal(
      hoverOn('beta_thing_read'),
      [
        '`beta_thing_read` · allowed by your settings',
        'Not in the Stripe Apps permissions reference; the `stripeApps.allowedPermissions` setting accepts it.',
        REFERENCE,
      ].join('\n\n'),
    );
    assert.equal(
      hoverOn('mandate_read'),
      [
        '**Retired permission** `mandate_read`',
        'No longer in the permissions reference, so upload may refuse it\\.',
        REFERENCE,
      ].join('\n\n'),
    );
    assert.equal(
      hoverOn('apply_pay_domain_read'),
      [
        '**Misspelled permission** `apply_pay_domain_read`',
        "A typo in Stripe's manifest schema for apple\\_pay\\_domain\\_read\\.",
        'Use `apple_pay_domain_read`.',
        REFERENCE,
      ].join('\n\n'),
    );
  });

  it('names the permissions an event type needs', () => {
    assert.equal(
      hoverOn('customer.created'),
      [
        '`customer.created` is an **event type**, not a permission.',
        'To receive this event, request `event_read` and `customer_read`.',
        REFERENCE,
      ].join('\n\n'),
    );
    assert.match(
      hoverOn('account.application.authorized'),
      /\n\nTo receive this event, request `event_read`\.\n\n/,
    );
  });

  it('splits several names written in one string', () => {
    assert.match(
      hoverOn('coupon_read, coupon_write'),
      /^\*\*Several permissions in one entry\*\*: `coupon_read`, `coupon_write`\n\n/,
    );
  });

  it('escapes user text: no link, command URI, image or HTML gets through', () => {
    const attacks = [
      '[x](command:foo)',
      '<img src=x onerror=alert(1)>',
      '![i](https://evil.example/i.png)',
      '<command:workbench.action.terminal.new>',
      '`code` **bold** _em_ # heading ~~del~~',
      'line\n# Heading\r\n[y]: https://evil.example',
      '$(alert) &lt;b&gt;',
    ];
    for (const attack of attacks) {
      const value = hoverOn(attack).replace(`\n\n${REFERENCE}`, '');
      assert.doesNotMatch(value, /(?<!\\)\](?:\(|:)/, `${attack}: link syntax`);
      assert.doesNotMatch(value, /(?<!\\)[<[]/, `${attack}: unescaped < or [ in ${value}`);
      assert.doesNotMatch(value, /(?<!\\)\$\(/, attack);
      assert.ok(!/\n#/.test(value), `${attack}: no heading`);
      assert.equal(value.split('\n\n')[0]?.includes('\n'), false, `${attack}: one line`);
    }
    assert.match(
      hoverOn('[x](command:foo)'),
      /^\*\*Unknown permission\*\* \\\[x\\\]\\\(command\\:foo\\\)\n\n/,
    );
    assert.match(
      hoverOn('<img src=x onerror=alert(1)>'),
      /^\*\*Unknown permission\*\* \\<img src\\=x onerror\\=alert\\\(1\\\)\\>\n\n/,
    );
  });
});

describe('hover on the permissions key', () => {
  it('summarises the counts and links the reference', () => {
    const text = manifestWith(`[
    { "permission": "customer_read", "purpose": "a b c" },
    { "permission": "customer_write", "purpose": "a b c" },
    { "permission": "coupon_read", "purpose": "a b c" },
    { "permission": "coupon_read", "purpose": "a b c" },
    { "permission": "oddity", "purpose": "a b c" }
  ]`).replace('"permissions"', '"permi|ssions"');
    const result = hover(text);
    const { document } = withCursor(text);
    assert.deepEqual(result?.range, rangeOf(document, '"permissions"'));
    assert.equal(
      markdownOf(result),
      [
        '**3 permissions (2 read, 1 write), 1 invalid**',
        'Each entry names a permission and the purpose shown to the account administrator who installs the app. Request the minimum your app needs.',
        REFERENCE,
      ].join('\n\n'),
    );
  });

  it('says nothing when permissions is not an array, or the document is over the limit', () => {
    assert.equal(hover('{ "permi|ssions": {} }'), null);
    assert.equal(hover(granting('customer_read'), { maxDocumentSize: 10 }), null, 'not analysed');
    assert.equal(hover('|'), null);
    assert.match(markdownOf(hover('{ "permissions": [ { "permission": "c|u')), /^\*\*Unknown/);
  });
});

describe('markdown escaping', () => {
  it('backslash-escapes every markdown special and keeps text on one line', () => {
    assert.equal(
      escapeMarkdown('[a](b) <c> *d* _e_ `f` # g ! h | i \\ j'),
      '\\[a\\]\\(b\\) \\<c\\> \\*d\\* \\_e\\_ \\`f\\` \\# g \\! h \\| i \\\\ j',
    );
    assert.equal(escapeMarkdown('a\n\n# b\u0000c\u202ed'), 'a \\# b\uFFFDc\uFFFDd');
    assert.equal(escapeMarkdown('x'.repeat(300)).length, 200);
  });

  it('uses code spans only for identifier-like text', () => {
    assert.equal(code('customer_read'), '`customer_read`');
    assert.equal(code('a`b'), 'a\\`b');
    assert.equal(code(''), '');
  });

  it('links only to safe https URLs', () => {
    assert.equal(
      link('Docs', 'https://docs.stripe.com/api'),
      '[Docs](https://docs.stripe.com/api)',
    );
    assert.equal(link('Docs', 'command:workbench.action.terminal.new'), 'Docs');
    assert.equal(link('Docs', 'https://x.example/a)b'), 'Docs');
    assert.equal(link('[x]', undefined), '\\[x\\]');
  });
});
