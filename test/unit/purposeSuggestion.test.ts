import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalog } from '../../server/src/service/catalog';
import { createManifestLanguageService } from '../../server/src/service/languageService';
import { suggestPurpose } from '../../server/src/service/purposeSuggestion';
import { doc } from './util';

const PLACEHOLDER =
  /\[your app\]|\b(?:todo|tbd|fixme|test|explanation|purpose|lorem|ipsum|xxx|n\/a)\b|\.\.\.|…/i;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function words(text: string): number {
  return text.split(/\s+/).filter((word) => word !== '').length;
}

describe('suggestPurpose', () => {
  it('gives every catalog name a usable purpose, with and without an app name', () => {
    assert.equal(catalog.permissions.length, 136);
    for (const { name } of catalog.permissions) {
      for (const app of [undefined, 'Acme CRM']) {
        const purpose = suggestPurpose(name, app);
        assert.ok(words(purpose) >= 3, `${name}: "${purpose}" has fewer than 3 words`);
        assert.ok(purpose.length <= 300, `${name}: ${purpose.length} characters`);
        assert.doesNotMatch(purpose, PLACEHOLDER, `${name}: "${purpose}" reads like a placeholder`);
        assert.doesNotMatch(purpose, CONTROL, name);
        assert.equal(purpose, purpose.trim(), `${name}: surrounding white space`);
        assert.match(purpose, /\.$/, `${name}: ends with a full stop`);
        assert.ok(
          !purpose.toLowerCase().includes(name.replace(/_/g, ' ')),
          `${name}: restates the name`,
        );
      }
    }
  });

  it('names the app, or "this app" without one', () => {
    assert.equal(
      suggestPurpose('customer_read', 'Acme CRM'),
      'Allows Acme CRM to list and retrieve customer details when you use it in the Stripe Dashboard.',
    );
    assert.equal(
      suggestPurpose('customer_read'),
      'Allows this app to list and retrieve customer details when you use it in the Stripe Dashboard.',
    );
  });

  it('uses write verbs for write permissions and read verbs for read ones', () => {
    assert.equal(
      suggestPurpose('customer_write', 'Acme CRM'),
      'Allows Acme CRM to create, update, and delete customers when you use it in the Stripe Dashboard.',
    );
    assert.equal(
      suggestPurpose('charge_read'),
      'Allows this app to list and retrieve charges and refunds when you use it in the Stripe Dashboard.',
    );
    for (const info of catalog.permissions) {
      for (const sibling of info.siblings) {
        assert.notEqual(suggestPurpose(info.name), suggestPurpose(sibling), info.name);
      }
    }
  });

  it('is specific where the reference sentence alone is vague', () => {
    assert.equal(
      suggestPurpose('billing_meter_event_read'),
      'Allows this app to list the usage events reported against billing meters when you use it in the Stripe Dashboard.',
    );
    assert.equal(
      suggestPurpose('webhook_write'),
      'Allows this app to create and manage webhook endpoints and event destinations when you use it in the Stripe Dashboard.',
    );
    assert.equal(
      suggestPurpose('secret_read', 'Acme'),
      'Allows Acme to retrieve the secrets it has stored when you use it in the Stripe Dashboard.',
    );
    assert.equal(
      suggestPurpose('billing_clock_write'),
      'Allows this app to create and advance billing simulation clocks when you use it in the Stripe Dashboard.',
    );
  });

  it('resolves the misspellings in Stripe schema to the catalog row', () => {
    assert.equal(
      suggestPurpose('apply_pay_domain_read'),
      'Allows this app to list the domains registered for Apple Pay when you use it in the Stripe Dashboard.',
    );
  });

  it('builds a generic sentence from the words of an unknown name', () => {
    assert.equal(
      suggestPurpose('refund_read'),
      'Allows this app to read refund data when you use it in the Stripe Dashboard.',
    );
    assert.equal(
      suggestPurpose('mandate_write', 'Acme'),
      'Allows Acme to create and update mandate data when you use it in the Stripe Dashboard.',
    );
    assert.equal(
      suggestPurpose('ledger'),
      'Allows this app to use ledger data when you use it in the Stripe Dashboard.',
    );
    assert.equal(
      suggestPurpose(''),
      'Allows this app to access the Stripe data it needs when you use it in the Stripe Dashboard.',
    );
    assert.equal(suggestPurpose('  customer_read  '), suggestPurpose('customer_read'));
    assert.ok(suggestPurpose('x_'.repeat(500) + 'read').length <= 300);
  });

  it('cleans the app name: control characters, terminal escapes, placeholders, length', () => {
    assert.equal(
      suggestPurpose('coupon_read', 'Acme\u001b[31m\n CRM\u202e'),
      'Allows Acme CRM to list and retrieve coupons when you use it in the Stripe Dashboard.',
    );
    assert.equal(
      suggestPurpose('coupon_read', '[YOUR APP]'),
      'Allows this app to list and retrieve coupons when you use it in the Stripe Dashboard.',
    );
    assert.equal(
      suggestPurpose('coupon_read', '   '),
      'Allows this app to list and retrieve coupons when you use it in the Stripe Dashboard.',
    );
    const long = suggestPurpose('coupon_read', 'Very '.repeat(100));
    assert.ok(long.length <= 300, long);
    assert.doesNotMatch(long, CONTROL);
  });

  it('is what the service suggests, with the app name from the manifest', () => {
    const service = createManifestLanguageService();
    const document = doc('{ "name": "Acme CRM", "permissions": [] }');
    assert.equal(
      service.suggestPurpose('invoice_read', service.parseManifest(document)),
      'Allows Acme CRM to list and retrieve invoice details when you use it in the Stripe Dashboard.',
    );
    assert.equal(service.suggestPurpose('invoice_read'), suggestPurpose('invoice_read'));
  });
});

describe('suggested purposes pass the purpose rules', () => {
  it('draws no finding for any catalog name, with or without an app name', () => {
    const service = createManifestLanguageService();
    for (const info of service.catalog.permissions) {
      for (const appName of [undefined, 'Acme CRM']) {
        const purpose = suggestPurpose(info.name, appName);
        assert.deepEqual(
          service.checkPurpose(info.name, purpose).map((finding) => finding.code),
          [],
          `${info.name}: ${purpose}`,
        );
      }
    }
  });
});
