/**
 * The CLI on an app's code: `lint` in an app folder (or with --app) reports both directions,
 * `usage` prints permission → call sites and call → permission.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../server/src/cli';

const root = mkdtempSync(join(tmpdir(), 'stripe-app-cli-code-'));
after(() => {
  rmSync(root, { recursive: true, force: true });
});

let folderCount = 0;
function folder(files: Record<string, string>): string {
  const dir = join(root, `case-${folderCount++}`);
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

function cli(args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = main(
    args,
    { out: (text) => (stdout += text), err: (text) => (stderr += text) },
    cwd,
    {},
  );
  return { code, stdout, stderr };
}

const MANIFEST = `{
  "id": "com.example.app",
  "version": "1.0.0",
  "name": "Example App",
  "icon": "./icon.png",
  "permissions": [
    { "permission": "customer_write", "purpose": "Updates the customer's notes from the sidebar" },
    { "permission": "product_read", "purpose": "Shows the products of the customer in the view" }
  ],
  "ui_extension": { "views": [] }
}
`;

const CLIENT = `import Stripe from 'stripe';
import { createHttpClient, STRIPE_API_KEY } from '@stripe/ui-extension-sdk/http_client';
export const stripe = new Stripe(STRIPE_API_KEY, { httpClient: createHttpClient() });
`;

const VIEW = `import { stripe } from '../stripe';
export async function load(id: string) {
  await stripe.customers.update(id, { metadata: {} });
  return stripe.invoices.list({ customer: id, expand: ['data.customer'] });
}
`;

const APP = {
  'stripe-app.json': MANIFEST,
  'src/stripe.ts': CLIENT,
  'src/views/App.tsx': VIEW,
  // A backend with its own key: not the UI's client, nothing counts.
  'src/backend/server.ts': `import Stripe from 'stripe';\nnew Stripe('sk').products.del('p');\n`,
};

const FINDINGS = [
  'stripe-app.json:8:21 information unused-permission No UI call needs product_read; revoke it (App Review asks for the minimum set)',
  'src/views/App.tsx:4:10 warning missing-permission "invoices.list" needs "invoice_read", which stripe-app.json does not grant',
  'src/views/App.tsx:4:56 information read-via-write Expanding "data.customer" (customer) needs "customer_read", which stripe-app.json does not grant; "customer_write" is granted, and Stripe does not document whether it covers reads',
];

describe('cli lint on an app', () => {
  it('in an app folder, reports the manifest and the code, both directions', () => {
    const cwd = folder(APP);
    const result = cli(['lint'], cwd);
    assert.equal(result.code, 0);
    assert.deepEqual(result.stdout.trimEnd().split('\n'), FINDINGS);
    assert.equal(
      result.stderr,
      '1 manifest and 3 source files checked: 0 errors, 1 warning, 2 other\n',
    );
  });

  it('with --app DIR from elsewhere, with paths relative to the working folder', () => {
    const app = folder(APP);
    const result = cli(['lint', '--app', app], root);
    const name = app.slice(root.length + 1);
    assert.deepEqual(
      result.stdout.trimEnd().split('\n'),
      FINDINGS.map((line) => `${name}/${line}`),
    );
  });

  it('with --write-covers-read, the write stands in for the read', () => {
    const result = cli(['lint', '--write-covers-read'], folder(APP));
    assert.deepEqual(result.stdout.trimEnd().split('\n'), FINDINGS.slice(0, 2));
  });

  it('with an explicit manifest path, checks only the manifest (as before)', () => {
    const result = cli(['lint', 'stripe-app.json'], folder(APP));
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, '1 manifest checked: 0 errors, 0 warnings, 0 other\n');
  });

  it('reads the folders of --ui-folder instead of src', () => {
    const cwd = folder({
      'stripe-app.json': MANIFEST,
      'ui/stripe.ts': CLIENT,
      'ui/views/App.tsx': VIEW,
    });
    assert.equal(cli(['lint'], cwd).stdout, '');
    const result = cli(['lint', '--ui-folder', 'ui'], cwd);
    assert.deepEqual(
      result.stdout.trimEnd().split('\n'),
      FINDINGS.map((line) => line.replace('src/', 'ui/')),
    );
  });

  it('prints code findings as JSON with LSP ranges', () => {
    const result = cli(['lint', '--format', 'json'], folder(APP));
    const reports = JSON.parse(result.stdout) as {
      file: string;
      diagnostics: { code: string; severity: string; range: unknown }[];
    }[];
    assert.deepEqual(
      reports.map((report) => [report.file, report.diagnostics.map((d) => d.code)]),
      [
        ['stripe-app.json', ['unused-permission']],
        ['src/views/App.tsx', ['missing-permission', 'read-via-write']],
      ],
    );
    assert.deepEqual(reports[1]?.diagnostics[0]?.range, {
      start: { line: 3, character: 9 },
      end: { line: 3, character: 29 },
    });
  });

  it('annotates source lines on GitHub and describes the new rules in SARIF', () => {
    const cwd = folder(APP);
    const github = cli(['lint', '--format', 'github'], cwd);
    assert.match(
      github.stdout,
      /^::warning file=src\/views\/App\.tsx,line=4,col=10,endLine=4,endColumn=30,title=missing-permission \(stripe-apps-manifest\)::"invoices\.list" needs "invoice_read", which stripe-app\.json does not grant$/m,
    );
    const sarif = JSON.parse(cli(['lint', '--format', 'sarif'], cwd).stdout) as {
      runs: {
        tool: { driver: { rules: { id: string }[] } };
        results: {
          ruleId: string;
          locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
        }[];
      }[];
    };
    const run = sarif.runs[0];
    assert.ok(run);
    const ids = run.tool.driver.rules.map((rule) => rule.id);
    for (const code of ['missing-permission', 'read-via-write', 'unused-permission']) {
      assert.ok(ids.includes(code), code);
    }
    assert.deepEqual(
      run.results.map((result) => [
        result.ruleId,
        result.locations[0]?.physicalLocation.artifactLocation.uri,
      ]),
      [
        ['unused-permission', 'stripe-app.json'],
        ['missing-permission', 'src/views/App.tsx'],
        ['read-via-write', 'src/views/App.tsx'],
      ],
    );
  });
});

describe('cli usage', () => {
  it('prints permission → call sites and call → permission as text', () => {
    const result = cli(['usage'], folder(APP));
    assert.equal(result.code, 0);
    assert.equal(
      result.stdout,
      `Permissions of stripe-app.json
  customer_read: NOT GRANTED
    src/views/App.tsx:4:56 invoices.list expand data.customer
  customer_write: granted
    src/views/App.tsx:3:9 customers.update
    src/views/App.tsx:4:56 invoices.list expand data.customer
  invoice_read: NOT GRANTED
    src/views/App.tsx:4:10 invoices.list
  product_read: granted, no UI call needs it
Calls
  src/views/App.tsx:3:9 customers.update → customer_write: granted
  src/views/App.tsx:4:10 invoices.list → invoice_read: NOT GRANTED
    expand data.customer (customer) → customer_read: NOT GRANTED (customer_write is; Stripe does not say it covers reads)
`,
    );
  });

  it('prints the same as JSON, for --app DIR', () => {
    const app = folder(APP);
    const result = cli(['usage', '--app', app, '--format', 'json'], app);
    const usage = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.deepEqual(usage, {
      manifest: 'stripe-app.json',
      inherited: false,
      writeCoversRead: false,
      permissions: [
        {
          permission: 'customer_read',
          granted: false,
          status: 'not-granted',
          sites: [
            {
              file: 'src/views/App.tsx',
              line: 4,
              column: 56,
              accessor: 'invoices.list',
              expand: 'data.customer',
            },
          ],
        },
        {
          permission: 'customer_write',
          granted: true,
          status: 'used',
          sites: [
            { file: 'src/views/App.tsx', line: 3, column: 9, accessor: 'customers.update' },
            {
              file: 'src/views/App.tsx',
              line: 4,
              column: 56,
              accessor: 'invoices.list',
              expand: 'data.customer',
            },
          ],
        },
        {
          permission: 'invoice_read',
          granted: false,
          status: 'not-granted',
          sites: [{ file: 'src/views/App.tsx', line: 4, column: 10, accessor: 'invoices.list' }],
        },
        { permission: 'product_read', granted: true, status: 'unused', sites: [] },
      ],
      calls: [
        {
          file: 'src/views/App.tsx',
          line: 3,
          column: 9,
          accessor: 'customers.update',
          endpoint: 'POST /v1/customers/{customer}',
          status: 'permission',
          permissions: ['customer_write'],
          verdict: 'granted',
          expands: [],
        },
        {
          file: 'src/views/App.tsx',
          line: 4,
          column: 10,
          accessor: 'invoices.list',
          endpoint: 'GET /v1/invoices',
          status: 'permission',
          permissions: ['invoice_read'],
          verdict: 'missing',
          expands: [
            {
              path: 'data.customer',
              object: 'customer',
              permissions: ['customer_read'],
              verdict: 'write-unconfirmed',
            },
          ],
        },
      ],
      unresolved: [],
    });
  });

  it('exits 2 without a manifest, and refuses a PATH', () => {
    const empty = folder({ 'src/a.ts': 'export {};\n' });
    const missing = cli(['usage'], empty);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no stripe-app\.json or stripe-app\.yaml in /);
    assert.equal(cli(['usage', 'stripe-app.json'], folder(APP)).code, 2);
    const broken = cli(['usage'], folder({ ...APP, 'stripe-app.json': '{ "permissions": [ }' }));
    assert.equal(broken.code, 2);
    assert.match(
      broken.stderr,
      /cannot tell what is granted: stripe-app\.json \(or the manifest it extends\) is missing, has syntax errors or is not an object; run lint/,
    );
  });
});
