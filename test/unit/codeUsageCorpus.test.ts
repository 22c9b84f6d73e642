/**
 * The 23 real Stripe Apps (../shared/corpus/apps): what the code findings say about each, against
 * expectations written by reading each app's calls (analysisCorpus.expected.json) and manifest.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeAppFolder } from '../../server/src/analysis';
import { analyzeCodeUsage, effectivePermissions } from '../../server/src/service/codeUsage';
import {
  codeUsageDiagnostics,
  unusedPermissionDiagnostics,
} from '../../server/src/service/diagnostics/codeUsageRules';
import { parseManifest } from '../../server/src/service/manifestDocument';
import { resolveSettings } from '../../server/src/service/settings';
import { messageText } from '../../server/src/lintReport';

const APPS_DIR =
  process.env.STRIPE_APPS_CORPUS_APPS ??
  path.join(__dirname, '..', '..', '..', 'shared', 'corpus', 'apps');

const skip =
  existsSync(APPS_DIR) || process.env.CI
    ? undefined
    : `the real apps are not at ${APPS_DIR} (set STRIPE_APPS_CORPUS_APPS to run these)`;

/**
 * Read by hand: each app's calls with the permission they need, against its stripe-app.json.
 * Apps not listed make no call through a UI client (only fetch/axios to a backend, or no code):
 * they get no finding at all, and no `unused-permission` (the tool cannot see the backend).
 */
const EXPECTED: Record<string, { read: string; findings: string[] }> = {
  'benjasl-stripe__descriptify': {
    read: 'products.update (product_write), products.retrieve (product_read), secrets create/find/deleteWhere/list (secret_write): all granted, nothing else granted.',
    findings: [],
  },
  'getpimms__pim.ms': {
    read: 'Only secrets calls (secret_write). event_read is granted, so the event objects (customer, subscription, invoice, checkout session, account) may serve its webhooks; user_email_read serves the SDK, not calls; webhook_read serves no call and no event; connect-src names its backend.',
    findings: [
      'stripe-app.json:32 unused-permission No UI call needs webhook_read; revoke it unless your backend uses it',
    ],
  },
  'jamest-stripe__Subby': {
    read: 'subscriptionSchedules.list needs subscription_read: only subscription_write is granted. prices.list (plan_read) expands data.product (product_read), coupons.list (coupon_read), subscriptionSchedules.create (subscription_write): granted. No call touches customers: customer_write is unused.',
    findings: [
      'stripe-app.json:8 unused-permission No UI call needs customer_write; revoke it (App Review asks for the minimum set)',
      'src/views/App.tsx:51 read-via-write "subscriptionSchedules.list" needs "subscription_read", which stripe-app.json does not grant; "subscription_write" is granted, and Stripe does not document whether it covers reads',
    ],
  },
  'peterjunsworth__stripe-product-variants': {
    read: 'products.retrieve expands default_price (a price: plan_read) and prices.search needs plan_read: only plan_write is granted. prices.create (plan_write), products.* (product_read/product_write) granted. No secrets call: secret_write unused; its connect-src is dashboard.stripe.com only.',
    findings: [
      'stripe-app.json:8 unused-permission No UI call needs secret_write; revoke it (App Review asks for the minimum set)',
      'src/views/ProductDetailView.tsx:40 read-via-write Expanding "default_price" (price) needs "plan_read", which stripe-app.json does not grant; "plan_write" is granted, and Stripe does not document whether it covers reads',
      'src/views/ProductDetailView.tsx:47 read-via-write "prices.search" needs "plan_read", which stripe-app.json does not grant; "plan_write" is granted, and Stripe does not document whether it covers reads',
    ],
  },
  'shovkat888__billingo-stripe-app': {
    read: 'Only secrets calls (secret_write). The payment view sends ids to its backend through axios: payment_intent_read serves no UI call, and connect-src names the backend.',
    findings: [
      'stripe-app.json:8 unused-permission No UI call needs payment_intent_read; revoke it unless your backend uses it',
    ],
  },
  'spackleso__spackle-stripe': {
    read: 'customers.retrieve/list (customer_read), products.list/retrieve (product_read), prices.list (plan_read): granted. event_read is granted: invoice_read, charge_read, subscription_read may serve its webhooks; user_email_read serves the SDK.',
    findings: [],
  },
};

async function findings(app: string, settings: unknown): Promise<string[]> {
  const folder = path.join(APPS_DIR, app);
  const manifestFile = ['stripe-app.json', 'stripe-app.yaml'].find((name) =>
    existsSync(path.join(folder, name)),
  );
  assert.ok(manifestFile, `${app} has a manifest`);
  const manifestPath = path.join(folder, manifestFile);
  const document = TextDocument.create(
    pathToFileURL(manifestPath).href,
    'json',
    1,
    readFileSync(manifestPath, 'utf8'),
  );
  const manifest = parseManifest(document, Number.POSITIVE_INFINITY);
  const grants = effectivePermissions(manifest);
  assert.ok(grants);
  const resolved = resolveSettings(settings);
  const analysis = await analyzeAppFolder(folder);
  const usage = analyzeCodeUsage(analysis, grants, resolved.codeAnalysis);
  const lines: string[] = [];
  for (const diagnostic of unusedPermissionDiagnostics(usage, manifest, document, resolved)) {
    lines.push(
      `${manifestFile}:${diagnostic.range.start.line + 1} ${String(diagnostic.code)} ${messageText(diagnostic)}`,
    );
  }
  const files = [...new Set(analysis.calls.map((call) => call.file))].sort();
  for (const file of files) {
    const source = TextDocument.create(
      `file:///${file}`,
      'typescript',
      1,
      readFileSync(path.join(folder, file), 'utf8'),
    );
    for (const diagnostic of codeUsageDiagnostics(usage, file, source, resolved)) {
      lines.push(
        `${file}:${diagnostic.range.start.line + 1} ${String(diagnostic.code)} ${messageText(diagnostic)}`,
      );
    }
  }
  return lines;
}

describe('code usage: the real apps', { skip }, () => {
  const apps = skip ? [] : readdirSync(APPS_DIR).filter((name) => name.includes('__'));

  for (const app of apps) {
    it(app, async () => {
      assert.deepEqual(await findings(app, {}), EXPECTED[app]?.findings ?? []);
    });
  }

  it('with writeCoversRead, a granted write silences the reads it stands in for', async () => {
    assert.deepEqual(
      await findings('jamest-stripe__Subby', { codeAnalysis: { writeCoversRead: true } }),
      [
        'stripe-app.json:8 unused-permission No UI call needs customer_write; revoke it (App Review asks for the minimum set)',
      ],
    );
    assert.deepEqual(
      await findings('peterjunsworth__stripe-product-variants', {
        codeAnalysis: { writeCoversRead: true },
      }),
      [
        'stripe-app.json:8 unused-permission No UI call needs secret_write; revoke it (App Review asks for the minimum set)',
      ],
    );
  });

  it('a local manifest without permissions is judged by the base list (pim.ms, spackle)', () => {
    for (const app of ['getpimms__pim.ms', 'spackleso__spackle-stripe']) {
      const folder = path.join(APPS_DIR, app);
      const load = (name: string) => {
        const file = path.join(folder, name);
        const document = TextDocument.create(
          pathToFileURL(file).href,
          'json',
          1,
          readFileSync(file, 'utf8'),
        );
        return parseManifest(document, Number.POSITIVE_INFINITY);
      };
      const local = load('stripe-app.dev.json');
      const base = load('stripe-app.json');
      const grants = effectivePermissions(local, base);
      assert.equal(grants?.inherited, true);
      assert.equal(grants.manifest, base);
    }
  });
});
