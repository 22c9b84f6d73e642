import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  catalogDir,
  generateApiPermissions,
  renderApiTables,
} from '../../scripts/generate-api-permissions';
import { readStripePackage, UnknownStripeFormError } from '../../scripts/stripeMethods';
import {
  apiMethod,
  apiMethodReturns,
  expandPermissions,
  objectPermissions,
  satisfiedBy,
} from '../../server/src/service/apiPermissions';

/** An in-memory stripe package: path → text. */
function fakePackage(
  version: string,
  files: Record<string, string>,
): (path: string) => string | undefined {
  const all: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'stripe', version }),
    ...files,
  };
  return (path) => all[path];
}

const CORE_WITH = (resourceFile: string): Record<string, string> => ({
  'cjs/stripe.core.js': `
    const Customers_js_1 = require("./resources/Customers.js");
    function Stripe(key) { this.customers = new Customers_js_1.CustomerResource(this); }`,
  'cjs/resources/Customers.js': resourceFile,
});

describe('API permissions table', () => {
  it('is exactly what the generator makes of the pinned stripe packages', () => {
    const rendered = renderApiTables();
    assert.deepEqual(Object.keys(rendered).sort(), ['api-objects.json', 'api-permissions.json']);
    for (const [file, text] of Object.entries(rendered)) {
      const committed = readFileSync(join(catalogDir, file), 'utf8');
      assert.ok(committed === text, `${file} is stale: run npm run generate-api-permissions`);
    }
  });

  it('maps ordinary methods by path prefix and verb', () => {
    const cases: [string, string, string, string[]][] = [
      ['customers.retrieve', 'GET', '/v1/customers/{customer}', ['customer_read']],
      ['customers.update', 'POST', '/v1/customers/{customer}', ['customer_write']],
      ['customers.del', 'DELETE', '/v1/customers/{customer}', ['customer_write']],
      ['billing.meters.list', 'GET', '/v1/billing/meters', ['billing_meter_read']],
      ['checkout.sessions.list', 'GET', '/v1/checkout/sessions', ['checkout_session_read']],
      ['paymentIntents.create', 'POST', '/v1/payment_intents', ['payment_intent_write']],
      ['subscriptions.list', 'GET', '/v1/subscriptions', ['subscription_read']],
      [
        'accounts.createLoginLink',
        'POST',
        '/v1/accounts/{account}/login_links',
        ['edit_link_write'],
      ],
    ];
    for (const [accessor, verb, path, permissions] of cases) {
      const method = apiMethod(accessor);
      assert.ok(method, accessor);
      assert.deepEqual(
        [method.verb, method.path, method.status, method.permissions],
        [verb, path, 'permission', permissions],
        accessor,
      );
    }
  });

  it('applies the hand-written exceptions', () => {
    assert.deepEqual(apiMethod('refunds.create')?.permissions, ['charge_write']);
    assert.equal(apiMethod('refunds.list')?.resource, 'Charges and Refunds');
    assert.deepEqual(apiMethod('prices.list')?.permissions, ['plan_read']);
    assert.deepEqual(apiMethod('plans.create')?.permissions, ['plan_write']);
    assert.deepEqual(apiMethod('apps.secrets.find')?.permissions, ['secret_read', 'secret_write']);
    assert.deepEqual(apiMethod('apps.secrets.list')?.permissions, ['secret_read', 'secret_write']);
    assert.deepEqual(apiMethod('apps.secrets.create')?.permissions, ['secret_write']);
    assert.deepEqual(apiMethod('apps.secrets.deleteWhere')?.permissions, ['secret_write']);
    assert.deepEqual(apiMethod('webhookEndpoints.create')?.permissions, ['webhook_write']);
    assert.deepEqual(apiMethod('webhookEndpoints.list')?.permissions, ['webhook_read']);
    assert.deepEqual(apiMethod('subscriptionItems.list')?.permissions, ['subscription_read']);
    assert.deepEqual(apiMethod('subscriptionItems.createUsageRecord')?.permissions, [
      'usage_record_write',
    ]);
  });

  it('keeps methods of stripe 13.11 that later versions removed', () => {
    const upcoming = apiMethod('invoices.retrieveUpcoming');
    assert.deepEqual(
      [upcoming?.path, upcoming?.permissions, upcoming?.stripeVersions],
      ['/v1/invoices/upcoming', ['invoice_read'], ['13.11.0']],
    );
  });

  it('lists methods without an app permission, and rows without the verb', () => {
    const oauth = apiMethod('oauth.token');
    assert.deepEqual([oauth?.status, oauth?.permissions], ['no-app-permission', []]);
    assert.deepEqual(apiMethod('exchangeRates.list')?.status, 'no-app-permission');
    const create = apiMethod('accounts.create');
    assert.deepEqual(
      [create?.status, create?.resource, create?.permissions],
      ['no-permission-for-verb', 'Accounts', []],
    );
    assert.equal(apiMethod('events.list')?.status, 'permission');
  });

  it('follows stripe-node aliases and knows no invented method', () => {
    // stripe 23 aliases account to accounts; stripe 13.11 exports Account as a resource itself.
    assert.deepEqual(apiMethod('account.createLoginLink')?.permissions, ['edit_link_write']);
    assert.deepEqual(apiMethod('account.retrieve')?.permissions, ['connected_account_read']);
    assert.equal(apiMethod('customers.fly'), undefined);
    assert.equal(apiMethod('constructor'), undefined);
  });

  it('leaves write-covers-read to the caller', () => {
    const list = apiMethod('customers.list');
    assert.ok(list);
    const granted = new Set(['customer_write']);
    assert.deepEqual(satisfiedBy(list, granted, { writeCoversRead: false }), []);
    assert.deepEqual(satisfiedBy(list, granted, { writeCoversRead: true }), ['customer_write']);
    const find = apiMethod('apps.secrets.find');
    assert.ok(find);
    assert.deepEqual(satisfiedBy(find, new Set(['secret_write']), { writeCoversRead: false }), [
      'secret_write',
    ]);
  });
});

describe('expand paths', () => {
  it('knows what methods return', () => {
    assert.deepEqual(apiMethodReturns('customers.retrieve'), {
      objects: ['customer'],
      list: false,
    });
    assert.deepEqual(apiMethodReturns('prices.list'), { objects: ['price'], list: true });
    assert.deepEqual(objectPermissions('price'), ['plan_read']);
    assert.deepEqual(objectPermissions('test_helpers.test_clock'), ['billing_clock_read']);
  });

  it('follows an expand path hop by hop, through lists and nested fields', () => {
    assert.deepEqual(expandPermissions('prices.list', 'data.product'), {
      steps: [
        { path: 'data.product', objects: [{ object: 'product', permissions: ['product_read'] }] },
      ],
    });
    assert.deepEqual(expandPermissions('subscriptions.retrieve', 'latest_invoice.customer'), {
      steps: [
        { path: 'latest_invoice', objects: [{ object: 'invoice', permissions: ['invoice_read'] }] },
        {
          path: 'latest_invoice.customer',
          objects: [{ object: 'customer', permissions: ['customer_read'] }],
        },
      ],
    });
    assert.deepEqual(
      expandPermissions('customers.retrieve', 'invoice_settings.default_payment_method'),
      {
        steps: [
          {
            path: 'invoice_settings.default_payment_method',
            objects: [{ object: 'payment_method', permissions: ['payment_method_read'] }],
          },
        ],
      },
    );
  });

  it('says what it cannot resolve', () => {
    assert.deepEqual(expandPermissions('apps.secrets.find', 'payload'), {
      steps: [],
      unresolved: 'payload',
    });
    assert.deepEqual(expandPermissions('prices.list', 'product'), {
      steps: [],
      unresolved: 'product',
    });
    assert.equal(expandPermissions('customers.fly', 'customer'), undefined);
  });
});

describe('reading stripe packages', () => {
  it('reads the _makeRequest form, placeholders included', () => {
    const read = fakePackage(
      '23.0.0',
      CORE_WITH(`
      class CustomerResource extends StripeResource_js_1.StripeResource {
        retrieve(id, params, options) {
          return this._makeRequest('GET', \`/v1/customers/\${encodeURIComponent(id)}\`, params, options);
        }
      }`),
    );
    assert.deepEqual(readStripePackage(read).methods, [
      {
        accessor: 'customers.retrieve',
        verb: 'GET',
        path: '/v1/customers/{id}',
        declaredIn: { file: 'cjs/resources/Customers.js', className: 'CustomerResource' },
      },
    ]);
  });

  it('reads the bare placeholders of stripe 22.0', () => {
    const read = fakePackage(
      '22.0.0',
      CORE_WITH(`
      class CustomerResource extends StripeResource_js_1.StripeResource {
        listSources(customerId, params, options) {
          return this._makeRequest('GET', \`/v1/customers/\${customerId}/sources\`, params, options);
        }
      }`),
    );
    assert.deepEqual(
      readStripePackage(read).methods.map((method) => method.path),
      ['/v1/customers/{customerId}/sources'],
    );
  });

  it('reads the stripeMethod form', () => {
    const read = fakePackage('13.11.0', {
      'cjs/resources.js': `
        var Customers_js_1 = require("./resources/Customers.js");
        Object.defineProperty(exports, "Customers", { enumerable: true, get: function () { return Customers_js_1.Customers; } });`,
      'cjs/resources/Customers.js': `
        exports.Customers = StripeResource_js_1.StripeResource.extend({
          list: stripeMethod({ method: 'GET', fullPath: '/v1/customers', methodType: 'list' }),
        });`,
    });
    assert.deepEqual(readStripePackage(read).methods, [
      { accessor: 'customers.list', verb: 'GET', path: '/v1/customers' },
    ]);
  });

  it('fails loudly on a method form it does not know', () => {
    const read = fakePackage(
      '23.0.0',
      CORE_WITH(`
      class CustomerResource extends StripeResource_js_1.StripeResource {
        retrieve(id, params, options) {
          return this._request({ method: 'GET', path: '/v1/customers/' + id });
        }
      }`),
    );
    assert.throws(() => readStripePackage(read), {
      name: 'UnknownStripeFormError',
      message: /customers\.retrieve makes no _makeRequest call/,
    });
  });

  it('fails loudly on a verb that is not a literal and on an unknown major version', () => {
    const read = fakePackage(
      '23.0.0',
      CORE_WITH(`
      class CustomerResource extends StripeResource_js_1.StripeResource {
        list(params, options) { return this._makeRequest(VERB, '/v1/customers', params, options); }
      }`),
    );
    assert.throws(() => readStripePackage(read), /HTTP verb is not a literal/);
    assert.throws(() => readStripePackage(fakePackage('24.0.0', {})), UnknownStripeFormError);
  });

  it('fails on a hand-written prefix that places no method', () => {
    const pkg = {
      version: '23.0.0',
      form: '_makeRequest' as const,
      aliases: {},
      methods: [{ accessor: 'customers.list', verb: 'GET' as const, path: '/v1/customers' }],
    };
    assert.throws(
      () => generateApiPermissions([pkg]),
      /PREFIX_RULES entries that place no method: \/v1\/refunds, /,
    );
    const table = generateApiPermissions([pkg], undefined, ['stripe'], false);
    assert.deepEqual(
      table.methods.map((method) => method.permissions),
      [['customer_read']],
    );
  });

  it('fails on a resource no prefix places', () => {
    const pkg = {
      version: '23.0.0',
      form: '_makeRequest' as const,
      aliases: {},
      methods: [{ accessor: 'teleports.create', verb: 'POST' as const, path: '/v1/teleports' }],
    };
    assert.throws(
      () => generateApiPermissions([pkg], undefined, ['stripe'], false),
      /teleports\.create POST \/v1\/teleports: no prefix places it/,
    );
  });
});
