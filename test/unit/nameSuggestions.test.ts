import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalog } from '../../server/src/service/catalog';
import {
  defaultPermissionOrder,
  MatchKind,
  normalizePermissionName,
  rankPermissions,
  singular,
  suggestPermissionNames,
} from '../../server/src/service/nameSuggestions';

function suggest(name: string, allowed: readonly string[] = []): string[] {
  return suggestPermissionNames(name, allowed);
}

describe('suggestPermissionNames', () => {
  it('finds the name behind case, quotes, separators and camelCase', () => {
    for (const name of [
      'Customer_Read',
      'CUSTOMER_READ',
      ' customer_read ',
      '"customer_read"',
      "'customer_read'",
      'customer-read',
      'customer read',
      'customer.read',
      'customerRead',
    ]) {
      assert.deepEqual(suggest(name), ['customer_read'], name);
    }
    assert.deepEqual(suggest('PaymentIntentRead'), ['payment_intent_read']);
  });

  it('turns plurals into the catalog name, and the other way round', () => {
    assert.deepEqual(suggest('customers_read'), ['customer_read']);
    assert.deepEqual(suggest('subscriptions_read'), ['subscription_read']);
    assert.deepEqual(suggest('payment_methods_read'), ['payment_method_read']);
    assert.deepEqual(suggest('payment_record_read'), ['payment_records_read']);
    assert.deepEqual(suggest('payment_record_write'), ['payment_records_write']);
    assert.deepEqual(suggest('billing_meter_events_read'), ['billing_meter_event_read']);
    assert.deepEqual(suggest('payment_link_read'), ['payment_links_read']);
    assert.deepEqual(suggest('invoices_read'), ['invoice_read']);
  });

  it("corrects the misspellings in Stripe's own schema", () => {
    assert.deepEqual(suggest('apply_pay_domain_read'), ['apple_pay_domain_read']);
    assert.deepEqual(suggest('apply_pay_domain_write'), ['apple_pay_domain_write']);
    assert.deepEqual(suggest('shpping_rate_write'), ['shipping_rate_write']);
  });

  it('fixes the word order, and splits read and write', () => {
    assert.deepEqual(suggest('read_customer'), ['customer_read']);
    assert.deepEqual(suggest('read_customers'), ['customer_read']);
    assert.deepEqual(suggest('intent_payment_write'), ['payment_intent_write']);
    assert.deepEqual(suggest('customer_write_read'), ['customer_write', 'customer_read']);
    assert.deepEqual(suggest('customers'), ['customer_read', 'customer_write']);
  });

  it("maps invented names to the resource's words", () => {
    assert.deepEqual(suggest('refund_read'), ['charge_read']);
    assert.deepEqual(suggest('refunds_write'), ['charge_write']);
    assert.deepEqual(suggest('webhook_endpoint_write'), ['webhook_write']);
    assert.deepEqual(suggest('account_read'), ['connected_account_read']);
    assert.deepEqual(suggest('billing_portal_write'), ['customer_portal_write']);
    assert.deepEqual(suggest('price_read'), ['plan_read']);
    assert.deepEqual(suggest('secret_store_write'), ['secret_write']);
    assert.deepEqual(suggest('subscription_schedule_read'), ['subscription_read']);
  });

  it('offers the other access when the name exists only that way', () => {
    assert.deepEqual(suggest('report_runs_and_report_types_write'), [
      'report_runs_and_report_types_read',
    ]);
    assert.deepEqual(suggest('entitlement_write'), ['entitlement_read']);
    assert.deepEqual(suggest('event_write'), ['event_read']);
  });

  it('corrects typos by edit distance, preferring the same access', () => {
    assert.deepEqual(suggest('custmer_read'), ['customer_read']);
    assert.deepEqual(suggest('cusotmer_read'), ['customer_read']);
    assert.deepEqual(suggest('payment_intnet_read'), ['payment_intent_read']);
    assert.deepEqual(suggest('quota_read'), ['quote_read']);
    assert.equal(suggest('customer_raed')[0], 'customer_read');
  });

  it('suggests nothing for names that resemble nothing', () => {
    for (const name of ['datastore_write', 'api_key_write', 'foo_bar_read', 'x', '', '   ']) {
      assert.deepEqual(suggest(name), [], name);
    }
  });

  it('returns nothing for a valid or allowed name, and at most max', () => {
    assert.deepEqual(suggest('customer_read'), []);
    assert.deepEqual(suggest('my_custom_read', ['my_custom_read']), []);
    assert.equal(suggestPermissionNames('terminal_read', [], 3).length, 3);
    assert.equal(suggestPermissionNames('terminal_read', [], 1).length, 1);
    assert.deepEqual(suggestPermissionNames('customers_read', [], 0), []);
  });

  it('suggests allowed extra names too', () => {
    assert.deepEqual(suggest('my_customs_read', ['my_custom_read']), ['my_custom_read']);
    assert.deepEqual(suggest(' my_custom_read', ['my_custom_read']), ['my_custom_read']);
  });

  it('never suggests a name outside the catalog and the allowed names', () => {
    for (const name of ['mandate_read', 'elements_write', 'stripecli_session_write', 'card_read']) {
      for (const suggestion of suggest(name)) assert.ok(catalog.has(suggestion), suggestion);
    }
  });

  it('is fast enough to run on every keystroke', () => {
    const start = performance.now();
    for (let i = 0; i < 200; i++) suggest(`unknown_thing_${i}_read`);
    assert.ok(performance.now() - start < 1000);
  });
});

describe('normalizePermissionName and singular', () => {
  it('normalises', () => {
    assert.equal(normalizePermissionName('  "Payment-Intents.Read" '), 'payment_intents_read');
    assert.equal(normalizePermissionName('paymentIntentRead'), 'payment_intent_read');
  });

  it('singularises resource words', () => {
    assert.deepEqual(
      [
        'invoices',
        'entries',
        'addresses',
        'statuses',
        'boxes',
        'process',
        'prices',
        'analysis',
      ].map(singular),
      ['invoice', 'entry', 'address', 'status', 'box', 'process', 'price', 'analysis'],
    );
  });
});

describe('suggestPermissionNames with a misspelt access word', () => {
  it('puts the twin nearest to what was typed first', () => {
    assert.deepEqual(suggest('invoice_wrte'), ['invoice_write', 'invoice_read']);
    assert.deepEqual(suggest('invoice_raed'), ['invoice_read', 'invoice_write']);
  });
});

describe('rankPermissions (completion and the Grant Quick Pick)', () => {
  const names = (query: string, granted: readonly string[] = []): string[] =>
    rankPermissions(query, catalog.permissions, new Set(granted)).map(
      (match) => match.permission.name,
    );

  it('without a query: every name, Core first, then the reference order', () => {
    const all = names('');
    assert.equal(all.length, catalog.permissions.length);
    const core = catalog.permissions.filter((info) => info.product === 'Core');
    assert.deepEqual(
      all.slice(0, core.length),
      core.map((info) => info.name),
    );
    assert.deepEqual(
      defaultPermissionOrder(catalog.permissions).map((info) => info.name),
      all,
    );
  });

  it('name and resource matches before description matches: refund → charge_*', () => {
    assert.deepEqual(
      rankPermissions('refund', catalog.permissions).map((m) => [m.permission.name, m.match]),
      [
        ['charge_read', MatchKind.resource],
        ['charge_write', MatchKind.resource],
        ['application_fee_read', MatchKind.description],
        ['application_fee_write', MatchKind.description],
        ['balance_transaction_source_read', MatchKind.description],
      ],
    );
  });

  it("a granted name's other access first, then plainer names: cust", () => {
    assert.deepEqual(names('cust', ['customer_read']).slice(0, 4), [
      'customer_write',
      'customer_read',
      'customer_session_read',
      'customer_session_write',
    ]);
    assert.deepEqual(names('cust').slice(0, 2), ['customer_read', 'customer_write']);
  });

  it('the exact base first, quotes ignored: "invoice', () => {
    assert.deepEqual(names('"invoice').slice(0, 2), ['invoice_read', 'invoice_write']);
  });

  it('a wrong name gets the nearest names, marked as suggestions', () => {
    assert.deepEqual(
      rankPermissions('refund_read', catalog.permissions).map((m) => [m.permission.name, m.match]),
      [['charge_read', MatchKind.suggestion]],
    );
    assert.deepEqual(names('customers_read'), ['customer_read']);
  });

  it('ranks names allowed by settings (no catalog row) by their name', () => {
    const entries = [...catalog.permissions, { name: 'beta_widget_read' }];
    assert.deepEqual(
      rankPermissions('beta', entries).map((m) => m.permission.name),
      ['beta_widget_read'],
    );
  });
});
