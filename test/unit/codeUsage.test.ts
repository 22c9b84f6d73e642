/**
 * The app's code against its permissions: inline sources through the call analysis, judged
 * against inline manifests (v1, v2, local), with exact ranges, messages and final texts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver-types';
import { createCallAnalyzer } from '../../server/src/analysis';
import {
  analyzeCodeUsage,
  effectivePermissions,
  type CodeUsage,
} from '../../server/src/service/codeUsage';
import {
  callHover,
  grantActions,
  permissionUsageHover,
  permissionUsageLenses,
  permissionUsageMarkdown,
  revokeUnusedActions,
  type SourceLocator,
} from '../../server/src/service/codeUsageFeatures';
import {
  codeUsageDiagnostics,
  unusedPermissionDiagnostics,
} from '../../server/src/service/diagnostics/codeUsageRules';
import { parseManifest, type ManifestDocument } from '../../server/src/service/manifestDocument';
import { resolveSettings, type ManifestServiceSettings } from '../../server/src/service/settings';
import { applyEdits, manifestWith, rangeOf } from './util';

const CLIENT_MODULE = `import Stripe from 'stripe';
import { createHttpClient, STRIPE_API_KEY } from '@stripe/ui-extension-sdk/http_client';
export const stripe = new Stripe(STRIPE_API_KEY, { httpClient: createHttpClient() });
`;

/** A v1 manifest granting these names, each with a purpose. */
function grantsJson(...names: string[]): string {
  const entries = names.map(
    (name) => `\n    { "permission": "${name}", "purpose": "Shows data in the dashboard view" }`,
  );
  return manifestWith(names.length === 0 ? '[]' : `[${entries.join(',')}\n  ]`);
}

interface App {
  usage: CodeUsage;
  settings: ManifestServiceSettings;
  manifest: ManifestDocument;
  manifestDocument: TextDocument;
  sources: Map<string, TextDocument>;
  /** The diagnostics of one source file. */
  code(file: string): Diagnostic[];
  /** The manifest's `unused-permission` diagnostics. */
  unused(): Diagnostic[];
  locator: SourceLocator;
}

function makeApp(
  files: Record<string, string>,
  manifestText: string,
  options: {
    uri?: string;
    base?: { uri: string; text: string };
    settings?: unknown;
  } = {},
): App {
  const settings = resolveSettings(options.settings ?? {});
  const uri = options.uri ?? 'file:///app/stripe-app.json';
  const manifestDocument = TextDocument.create(uri, 'json', 1, manifestText);
  const manifest = parseManifest(manifestDocument, Number.POSITIVE_INFINITY);
  const base = options.base
    ? parseManifest(
        TextDocument.create(options.base.uri, 'json', 1, options.base.text),
        Number.POSITIVE_INFINITY,
      )
    : undefined;
  const grants = effectivePermissions(manifest, base);
  assert.ok(grants, 'the effective permissions are known');
  const analysis = createCallAnalyzer({ clientNames: settings.codeAnalysis.clientNames }).analyze(
    Object.entries(files).map(([file, text]) => ({ file, text })),
  );
  const usage = analyzeCodeUsage(analysis, grants, settings.codeAnalysis);
  const sources = new Map(
    Object.entries(files).map(([file, text]) => [
      file,
      TextDocument.create(`file:///app/${file}`, 'typescript', 1, text),
    ]),
  );
  const locator: SourceLocator = {
    uri: (file) => `file:///app/${file}`,
    position: (file, offset) => sources.get(file)?.positionAt(offset),
  };
  return {
    usage,
    settings,
    manifest,
    manifestDocument,
    sources,
    locator,
    code: (file) => {
      const document = sources.get(file);
      assert.ok(document);
      return codeUsageDiagnostics(usage, file, document, settings);
    },
    unused: () => unusedPermissionDiagnostics(usage, manifest, manifestDocument, settings),
  };
}

function summary(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map(
    (d) => `${String(d.code)}: ${typeof d.message === 'string' ? d.message : d.message.value}`,
  );
}

describe('code usage: missing permissions in the code', () => {
  const APP = `import { stripe } from '../stripe';
export async function load() {
  return stripe.customers.list({ limit: 3 });
}
`;

  it('warns at the callee, names the manifest, and carries what the fix needs', () => {
    const app = makeApp({ 'src/stripe.ts': CLIENT_MODULE, 'src/views/App.tsx': APP }, grantsJson());
    const diagnostics = app.code('src/views/App.tsx');
    const document = app.sources.get('src/views/App.tsx');
    assert.ok(document);
    assert.deepEqual(diagnostics, [
      {
        range: rangeOf(document, 'stripe.customers.list'),
        severity: DiagnosticSeverity.Warning,
        code: 'missing-permission',
        source: 'stripe-apps',
        message: '"customers.list" needs "customer_read", which stripe-app.json does not grant',
        codeDescription: { href: 'https://docs.stripe.com/stripe-apps/reference/permissions' },
        data: {
          permissions: ['customer_read'],
          manifestUri: 'file:///app/stripe-app.json',
          accessor: 'customers.list',
        },
      },
    ]);
    // The client module itself makes no call.
    assert.deepEqual(app.code('src/stripe.ts'), []);
  });

  it('is quiet when the permission is granted, and the hover says so', () => {
    const app = makeApp(
      { 'src/stripe.ts': CLIENT_MODULE, 'src/views/App.tsx': APP },
      grantsJson('customer_read'),
    );
    assert.deepEqual(app.code('src/views/App.tsx'), []);
    assert.deepEqual(app.unused(), []);
    const document = app.sources.get('src/views/App.tsx');
    assert.ok(document);
    const hover = callHover(
      app.usage,
      'src/views/App.tsx',
      document,
      rangeOf(document, 'customers').start,
    );
    assert.deepEqual(hover, {
      contents: {
        kind: 'markdown',
        value:
          '`customers.list` · `GET /v1/customers`\n\nNeeds `customer_read`: granted in stripe\\-app\\.json.',
      },
      range: rangeOf(document, 'stripe.customers.list'),
    });
    assert.equal(
      callHover(app.usage, 'src/views/App.tsx', document, rangeOf(document, 'limit').start),
      null,
    );
  });

  it('offers "Grant customer_read" that adds it to the manifest with a suggested purpose', () => {
    const manifestText = grantsJson('product_read');
    const app = makeApp({ 'src/stripe.ts': CLIENT_MODULE, 'src/views/App.tsx': APP }, manifestText);
    const diagnostics = app.code('src/views/App.tsx');
    const actions = grantActions(
      diagnostics,
      (uri) =>
        uri === app.manifestDocument.uri
          ? { document: app.manifestDocument, manifest: app.manifest }
          : undefined,
      app.settings,
    );
    assert.equal(actions.length, 1);
    const [action] = actions;
    assert.equal(action?.title, 'Grant customer_read');
    assert.equal(action.kind, 'quickfix');
    assert.equal(action.isPreferred, true);
    assert.deepEqual(action.diagnostics, diagnostics);
    const edits = action.edit?.changes?.['file:///app/stripe-app.json'];
    assert.ok(edits);
    assert.equal(
      applyEdits(app.manifestDocument, edits),
      manifestWith(`[
    { "permission": "product_read", "purpose": "Shows data in the dashboard view" },
    { "permission": "customer_read", "purpose": "Allows Example App to list and retrieve customer details when you use it in the Stripe Dashboard." }
  ]`),
    );
    // No manifest at hand (closed, deleted): no fix rather than a wrong one.
    assert.deepEqual(
      grantActions(diagnostics, () => undefined, app.settings),
      [],
    );
  });

  it('judges each expand item: an expanded object needs its own permission', () => {
    const source = `import { stripe } from '../stripe';
export const prices = () => stripe.prices.list({ expand: ['data.product'] });
`;
    const app = makeApp(
      { 'src/stripe.ts': CLIENT_MODULE, 'src/views/Prices.tsx': source },
      grantsJson('plan_read'),
    );
    const document = app.sources.get('src/views/Prices.tsx');
    assert.ok(document);
    const diagnostics = app.code('src/views/Prices.tsx');
    assert.deepEqual(summary(diagnostics), [
      'missing-permission: Expanding "data.product" (product) needs "product_read", which stripe-app.json does not grant',
    ]);
    assert.deepEqual(diagnostics[0]?.range, rangeOf(document, "'data.product'"));
    assert.deepEqual(diagnostics[0].data, {
      permissions: ['product_read'],
      manifestUri: 'file:///app/stripe-app.json',
      accessor: 'prices.list',
      expand: 'data.product',
    });
    // The hover on the expand item names both needs.
    const hover = callHover(
      app.usage,
      'src/views/Prices.tsx',
      document,
      rangeOf(document, 'data.product').start,
    );
    assert.equal(
      (hover?.contents as { value: string }).value,
      '`prices.list` · `GET /v1/prices`\n\nNeeds `plan_read`: granted in stripe\\-app\\.json.\n\n' +
        'Expanding `data.product` (product) needs `product_read`: **not granted** in stripe\\-app\\.json.',
    );
  });

  it('asks for one of several names when any satisfies the call, with a fix for each', () => {
    const source = `import { stripe } from './stripe';
export const key = () => stripe.apps.secrets.find({ name: 'key', scope: { type: 'account' } });
`;
    const app = makeApp({ 'src/stripe.ts': CLIENT_MODULE, 'src/key.ts': source }, grantsJson());
    const diagnostics = app.code('src/key.ts');
    assert.deepEqual(summary(diagnostics), [
      'missing-permission: "apps.secrets.find" needs "secret_read" or "secret_write"; stripe-app.json grants neither',
    ]);
    const actions = grantActions(
      diagnostics,
      () => ({ document: app.manifestDocument, manifest: app.manifest }),
      app.settings,
    );
    assert.deepEqual(
      actions.map((action) => [action.title, action.isPreferred ?? false]),
      [
        ['Grant secret_read', true],
        ['Grant secret_write', false],
      ],
    );
  });

  it('reports a method no app permission grants, and one the table does not know', () => {
    const source = `import { stripe } from './stripe';
stripe.accountSessions.create({ account: 'acct_1' });
stripe.accounts.create({ type: 'express' });
stripe.customers.frobnicate();
`;
    const app = makeApp({ 'src/stripe.ts': CLIENT_MODULE, 'src/a.ts': source }, grantsJson());
    const diagnostics = app.code('src/a.ts');
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.severity, d.message]),
      [
        [
          'no-app-permission',
          DiagnosticSeverity.Warning,
          '"accountSessions.create" (POST /v1/account_sessions) is not open to Stripe Apps: no permission grants it',
        ],
        [
          'no-app-permission',
          DiagnosticSeverity.Warning,
          '"accounts.create" (POST /v1/accounts) is not open to Stripe Apps: the Accounts permissions only read',
        ],
        [
          'unresolved-call',
          DiagnosticSeverity.Information,
          '"customers.frobnicate" is not a method of stripe 23.2.0 or 13.11.0: its permission is not checked',
        ],
      ],
    );
  });

  it('reports unresolved calls as information, never a guess', () => {
    const source = `import { stripe } from './stripe';
export const run = (op: 'list' | 'search') => stripe.customers[op]({});
export const raw = () => stripe.rawRequest('GET', '/v1/customers');
export const dyn = (expand: string[]) => stripe.invoices.list({ expand });
`;
    const app = makeApp(
      { 'src/stripe.ts': CLIENT_MODULE, 'src/a.ts': source },
      grantsJson('invoice_read'),
    );
    const document = app.sources.get('src/a.ts');
    assert.ok(document);
    const diagnostics = app.code('src/a.ts');
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.severity, d.message, document.getText(d.range)]),
      [
        [
          'unresolved-call',
          DiagnosticSeverity.Information,
          'Cannot tell which Stripe API method this calls ("customers"): a computed name; its permission is not checked',
          'stripe.customers[op]',
        ],
        [
          'unresolved-call',
          DiagnosticSeverity.Information,
          'A raw request names its endpoint at run time: its permission is not checked',
          'stripe.rawRequest',
        ],
        [
          'unresolved-call',
          DiagnosticSeverity.Information,
          'The "expand" of "invoices.list" is not a list of strings: what it expands is not checked',
          'stripe.invoices.list',
        ],
      ],
    );
    // A raw request may need anything: nothing is called unused.
    assert.equal(app.usage.unusedSilenced, 'raw-request');
  });

  it('counts a backend client and fetch as needing no app permission', () => {
    const backend = `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? '');
export const list = () => stripe.customers.list();
export const viaBackend = () => fetch('https://api.example.com/customers');
`;
    const app = makeApp({ 'src/backend/app.ts': backend }, grantsJson('customer_read'));
    assert.deepEqual(app.code('src/backend/app.ts'), []);
    assert.equal(app.usage.needs.length, 0);
    // No UI call at all: the tool says nothing about unused permissions rather than everything.
    assert.equal(app.usage.unusedSilenced, 'no-calls');
    assert.deepEqual(app.unused(), []);
  });

  it('follows a client from a factory in another module, passed to a helper typed Stripe', () => {
    const factory = `import Stripe from 'stripe';
import { createHttpClient, STRIPE_API_KEY } from '@stripe/ui-extension-sdk/http_client';
export function getStripe() {
  return new Stripe(STRIPE_API_KEY, { httpClient: createHttpClient() });
}
`;
    const helper = `import type Stripe from 'stripe';
export const retrieve = (client: Stripe, id: string) => client.invoices.retrieve(id);
`;
    const view = `import { getStripe } from '../lib/factory';
import { retrieve } from '../lib/helper';
export const load = (id: string) => retrieve(getStripe(), id);
`;
    const app = makeApp(
      { 'src/lib/factory.ts': factory, 'src/lib/helper.ts': helper, 'src/views/View.tsx': view },
      grantsJson(),
    );
    assert.deepEqual(summary(app.code('src/lib/helper.ts')), [
      'missing-permission: "invoices.retrieve" needs "invoice_read", which stripe-app.json does not grant',
    ]);
  });

  it('takes the names of stripeApps.codeAnalysis.clientNames as the UI client', () => {
    const source = `import { uiStripe } from '@acme/stripe-ui';
export const list = () => uiStripe.products.list();
export const other = () => getClient().products.retrieve('prod_1');
`;
    const without = makeApp({ 'src/a.ts': source }, grantsJson());
    assert.deepEqual(without.code('src/a.ts'), []);
    const named = makeApp({ 'src/a.ts': source }, grantsJson(), {
      settings: { codeAnalysis: { clientNames: ['uiStripe', 'getClient'] } },
    });
    assert.deepEqual(summary(named.code('src/a.ts')), [
      'missing-permission: "products.list" needs "product_read", which stripe-app.json does not grant',
      'missing-permission: "products.retrieve" needs "product_read", which stripe-app.json does not grant',
    ]);
  });

  it('says nothing when stripeApps.codeAnalysis.enabled is false', () => {
    const app = makeApp(
      { 'src/stripe.ts': CLIENT_MODULE, 'src/views/App.tsx': APP },
      grantsJson(),
      {
        settings: { codeAnalysis: { enabled: false } },
      },
    );
    assert.deepEqual(app.code('src/views/App.tsx'), []);
  });

  it('honours a severity setting of off', () => {
    const app = makeApp(
      { 'src/stripe.ts': CLIENT_MODULE, 'src/views/App.tsx': APP },
      grantsJson(),
      {
        settings: { severity: { 'missing-permission': 'off' } },
      },
    );
    assert.deepEqual(app.code('src/views/App.tsx'), []);
  });
});

describe('code usage: write covers read', () => {
  const SOURCE = `import { stripe } from './stripe';
export const list = () => stripe.customers.list();
`;

  it('by default reports a read that relies on a granted write, saying what is unknown', () => {
    const app = makeApp(
      { 'src/stripe.ts': CLIENT_MODULE, 'src/a.ts': SOURCE },
      grantsJson('customer_write'),
    );
    const diagnostics = app.code('src/a.ts');
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.severity, d.message]),
      [
        [
          'read-via-write',
          DiagnosticSeverity.Information,
          '"customers.list" needs "customer_read", which stripe-app.json does not grant; "customer_write" is granted, and Stripe does not document whether it covers reads',
        ],
      ],
    );
    // The write is what the call relies on: it is not unused.
    assert.deepEqual(app.unused(), []);
    assert.deepEqual(
      grantActions(
        diagnostics,
        () => ({ document: app.manifestDocument, manifest: app.manifest }),
        app.settings,
      ).map((action) => action.title),
      ['Grant customer_read'],
    );
  });

  it('with writeCoversRead, counts the write and says the hover assumes it', () => {
    const app = makeApp(
      { 'src/stripe.ts': CLIENT_MODULE, 'src/a.ts': SOURCE },
      grantsJson('customer_write'),
      { settings: { codeAnalysis: { writeCoversRead: true } } },
    );
    assert.deepEqual(app.code('src/a.ts'), []);
    assert.deepEqual(app.unused(), []);
    const document = app.sources.get('src/a.ts');
    assert.ok(document);
    const hover = callHover(app.usage, 'src/a.ts', document, rangeOf(document, 'list()').start);
    assert.match(
      (hover?.contents as { value: string }).value,
      /only `customer_write` is granted, assumed to cover reads \(`stripeApps\.codeAnalysis\.writeCoversRead`; Stripe does not document it\)/,
    );
  });

  it('takes a documented implication as granted (balance_transaction_source_read)', () => {
    const source = `import { stripe } from './stripe';
export const payouts = () => stripe.payouts.list();
`;
    const app = makeApp(
      { 'src/stripe.ts': CLIENT_MODULE, 'src/a.ts': source },
      grantsJson('balance_transaction_source_read'),
    );
    assert.deepEqual(app.code('src/a.ts'), []);
    assert.deepEqual(app.unused(), []);
  });
});

describe('code usage: unused permissions in the manifest', () => {
  const SOURCE = `import { stripe } from './stripe';
export const list = () => stripe.customers.list();
`;

  it('reports a granted name no call needs, on its name, with a revoke fix', () => {
    const manifestText = grantsJson('customer_read', 'product_write');
    const app = makeApp({ 'src/stripe.ts': CLIENT_MODULE, 'src/a.ts': SOURCE }, manifestText);
    const diagnostics = app.unused();
    assert.deepEqual(diagnostics, [
      {
        range: rangeOf(app.manifestDocument, '"product_write"'),
        severity: DiagnosticSeverity.Information,
        code: 'unused-permission',
        source: 'stripe-apps',
        message: 'No UI call needs product_write; revoke it (App Review asks for the minimum set)',
        codeDescription: { href: 'https://docs.stripe.com/stripe-apps/reference/permissions' },
        tags: [DiagnosticTag.Unnecessary],
        data: {
          permission: 'product_write',
          manifestUri: 'file:///app/stripe-app.json',
          list: ['permissions'],
        },
      },
    ]);
    const actions = revokeUnusedActions(diagnostics, app.manifest, app.manifestDocument);
    assert.equal(actions[0]?.title, 'Revoke product_write');
    const edits = actions[0].edit?.changes?.['file:///app/stripe-app.json'];
    assert.ok(edits);
    assert.equal(applyEdits(app.manifestDocument, edits), grantsJson('customer_read'));
  });

  it('says the backend may use it when the UI talks to a backend (connect-src)', () => {
    const manifestText = grantsJson('customer_read', 'product_write').replace(
      '"ui_extension": { "views": [] }',
      '"ui_extension": { "views": [], "content_security_policy": { "connect-src": ["https://api.example.com/"] } }',
    );
    const app = makeApp({ 'src/stripe.ts': CLIENT_MODULE, 'src/a.ts': SOURCE }, manifestText);
    assert.deepEqual(summary(app.unused()), [
      'unused-permission: No UI call needs product_write; revoke it unless your backend uses it',
    ]);
  });

  it('leaves out what calls cannot reveal: events, user_email_read, unresolved calls', () => {
    const withEvents = makeApp(
      { 'src/stripe.ts': CLIENT_MODULE, 'src/a.ts': SOURCE },
      grantsJson('customer_read', 'event_read', 'invoice_read', 'user_email_read', 'product_write'),
    );
    assert.deepEqual(summary(withEvents.unused()), [
      'unused-permission: No UI call needs product_write; revoke it (App Review asks for the minimum set)',
    ]);
    assert.deepEqual(
      [...withEvents.usage.exempt],
      [
        ['event_read', 'events'],
        ['invoice_read', 'events'],
        ['user_email_read', 'not-for-calls'],
      ],
    );
    // Without event_read, an invoice permission no call needs is unused.
    const withoutEvents = makeApp(
      { 'src/stripe.ts': CLIENT_MODULE, 'src/a.ts': SOURCE },
      grantsJson('customer_read', 'invoice_read'),
    );
    assert.deepEqual(withoutEvents.usage.unused, ['invoice_read']);
    // `stripe.products[op]()` may need any products permission.
    const unresolved = makeApp(
      {
        'src/stripe.ts': CLIENT_MODULE,
        'src/a.ts': `${SOURCE}export const any = (op: 'list') => stripe.products[op]();\n`,
      },
      grantsJson('customer_read', 'product_write'),
    );
    assert.deepEqual(unresolved.usage.unused, []);
    assert.equal(unresolved.usage.exempt.get('product_write'), 'unresolved-call');
  });

  it('lists the call sites of a permission in its hover and lens, as escaped links', () => {
    const app = makeApp(
      {
        'src/stripe.ts': CLIENT_MODULE,
        'src/a.ts': SOURCE,
        'src/[b](x).ts': `import { stripe } from './stripe';\n\nstripe.customers.retrieve('cus_1');\n`,
      },
      grantsJson('customer_read', 'product_write'),
    );
    assert.equal(
      permissionUsageMarkdown(app.usage, 'customer_read', app.locator),
      'Used by 2 calls of the UI code:\n\n' +
        '- [src/\\[b\\]\\(x\\)\\.ts\\:3](file:///app/src/%5Bb%5D%28x%29.ts#L3) `customers.retrieve`\n' +
        '- [src/a\\.ts\\:2](file:///app/src/a.ts#L2) `customers.list`',
    );
    const hover = permissionUsageHover(
      app.usage,
      app.manifest,
      app.manifestDocument,
      rangeOf(app.manifestDocument, 'product_write').start,
      app.locator,
    );
    assert.deepEqual(hover, {
      contents: { kind: 'markdown', value: 'No call of the UI code needs it.' },
      range: rangeOf(app.manifestDocument, '"product_write"'),
    });
    const lenses = permissionUsageLenses(
      app.usage,
      app.manifest,
      app.manifestDocument,
      app.locator,
    );
    assert.deepEqual(
      lenses.map((lens) => [lens.permission, lens.title, lens.locations.map((l) => l.uri)]),
      [
        ['customer_read', '2 calls', ['file:///app/src/[b](x).ts', 'file:///app/src/a.ts']],
        ['product_write', 'no UI call', []],
      ],
    );
    assert.deepEqual(lenses[0]?.range, rangeOf(app.manifestDocument, '"customer_read"'));
  });
});

describe('code usage: which manifest is in force', () => {
  const SOURCE = `import { stripe } from './stripe';
export const list = () => stripe.customers.list();
`;
  const BASE = { uri: 'file:///app/stripe-app.json', text: grantsJson('customer_read') };

  it('a local manifest without permissions inherits the base list, and the fix grants there', () => {
    const local = `{ "extends": "stripe-app.json", "ui_extension": { "views": [] } }\n`;
    const app = makeApp({ 'src/stripe.ts': CLIENT_MODULE, 'src/a.ts': SOURCE }, local, {
      uri: 'file:///app/stripe-app.dev.json',
      base: { uri: BASE.uri, text: grantsJson('product_read') },
    });
    assert.equal(app.usage.grants.inherited, true);
    assert.equal(app.usage.grants.manifest.uri, 'file:///app/stripe-app.json');
    const [diagnostic] = app.code('src/a.ts');
    assert.equal(
      diagnostic?.message,
      '"customers.list" needs "customer_read", which stripe-app.json does not grant',
    );
    assert.equal((diagnostic.data as { manifestUri: string }).manifestUri, BASE.uri);
    // The local manifest has no entries of its own to call unused.
    assert.deepEqual(app.unused(), []);
    // Without the base, the tool does not know what is granted.
    assert.equal(
      effectivePermissions(
        parseManifest(
          TextDocument.create('file:///app/stripe-app.dev.json', 'json', 1, local),
          Number.POSITIVE_INFINITY,
        ),
      ),
      undefined,
    );
  });

  it('a local manifest with permissions replaces the base list', () => {
    const local = `{
  "extends": "stripe-app.json",
  "permissions": [{ "permission": "product_read", "purpose": "Shows products in the view" }]
}
`;
    const app = makeApp({ 'src/stripe.ts': CLIENT_MODULE, 'src/a.ts': SOURCE }, local, {
      uri: 'file:///app/stripe-app.dev.json',
      base: BASE,
    });
    assert.equal(app.usage.grants.inherited, false);
    assert.deepEqual(summary(app.code('src/a.ts')), [
      'missing-permission: "customers.list" needs "customer_read", which stripe-app.dev.json does not grant',
    ]);
    assert.deepEqual(summary(app.unused()), [
      'unused-permission: No UI call needs product_read; revoke it (App Review asks for the minimum set)',
    ]);
  });

  it('v2: the app list and the extensions lists count, and the messages name stripe-app.yaml', () => {
    const yaml = `id: com.example.app
name: Example App
version: 0.0.1
declarations:
  stripe_api_access:
    permissions:
      - permission: product_read
        purpose: Shows the products of the account
extensions:
  - id: sync
    permissions:
      - permission: invoice_read
        purpose: Reads invoices to sync them
      - permission: charge_read
        purpose: Reads charges to sync them
`;
    const source = `import { stripe } from './stripe';
stripe.invoices.list();
stripe.customers.list();
`;
    const app = makeApp({ 'src/stripe.ts': CLIENT_MODULE, 'src/a.ts': source }, yaml, {
      uri: 'file:///app/stripe-app.yaml',
    });
    assert.deepEqual(summary(app.code('src/a.ts')), [
      'missing-permission: "customers.list" needs "customer_read", which stripe-app.yaml does not grant',
    ]);
    assert.deepEqual(summary(app.unused()), [
      'unused-permission: No UI call needs product_read; revoke it (App Review asks for the minimum set)',
    ]);
    const actions = grantActions(
      app.code('src/a.ts'),
      () => ({ document: app.manifestDocument, manifest: app.manifest }),
      app.settings,
    );
    const edits = actions[0]?.edit?.changes?.['file:///app/stripe-app.yaml'];
    assert.ok(edits);
    assert.equal(
      applyEdits(app.manifestDocument, edits),
      yaml.replace(
        '        purpose: Shows the products of the account\n',
        '        purpose: Shows the products of the account\n' +
          '      - permission: customer_read\n' +
          '        purpose: Allows Example App to list and retrieve customer details when you use it in the Stripe Dashboard.\n',
      ),
    );
    const revoke = revokeUnusedActions(app.unused(), app.manifest, app.manifestDocument);
    assert.equal(revoke[0]?.title, 'Revoke product_read');
    // An extension's own code (not read) may use what its list grants.
    assert.equal(app.usage.exempt.get('charge_read'), 'extension');
  });
});

describe('code usage: a manifest the tool cannot read', () => {
  it('gives no effective permissions rather than a half-parsed list', () => {
    const parse = (uri: string, text: string) =>
      parseManifest(TextDocument.create(uri, 'json', 1, text), Number.POSITIVE_INFINITY);
    const broken = grantsJson('customer_read').replace('"customer_read",', '"customer_read"');
    assert.equal(effectivePermissions(parse('file:///app/stripe-app.json', broken)), undefined);
    assert.equal(effectivePermissions(parse('file:///app/stripe-app.json', '[]')), undefined);
    const local = parse('file:///app/stripe-app.dev.json', '{ "extends": "stripe-app.json" }');
    assert.equal(
      effectivePermissions(local, parse('file:///app/stripe-app.json', broken)),
      undefined,
    );
    assert.deepEqual(
      [
        ...(effectivePermissions(parse('file:///app/stripe-app.json', grantsJson('customer_read')))
          ?.names ?? []),
      ],
      ['customer_read'],
    );
  });
});

describe('code usage settings', () => {
  it('defaults and cleans stripeApps.codeAnalysis', () => {
    assert.deepEqual(resolveSettings({}).codeAnalysis, {
      enabled: true,
      uiFolders: ['src'],
      clientNames: [],
      writeCoversRead: false,
    });
    assert.deepEqual(
      resolveSettings({
        codeAnalysis: {
          enabled: 'yes',
          uiFolders: ['./app/ui/', '../outside', '/abs', 7, 'packages\\web\\src'],
          clientNames: [' stripeClient ', '', 3],
          writeCoversRead: true,
        },
      }).codeAnalysis,
      {
        enabled: true,
        uiFolders: ['app/ui', 'packages/web/src'],
        clientNames: ['stripeClient'],
        writeCoversRead: true,
      },
    );
  });
});
