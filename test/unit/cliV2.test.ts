/**
 * The CLI's grant and revoke on v2 manifests (stripe-app.yaml): the app's own list by default,
 * an extension's with --extension ID, the default manifest of a v2 folder, and clear refusals.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../server/src/cli';
import { corpusSkipReason, v2CorpusFiles } from '../support/corpus';

const root = mkdtempSync(join(tmpdir(), 'stripe-app-cli-v2-'));
after(() => {
  rmSync(root, { recursive: true, force: true });
});

let folderCount = 0;
/** A fresh folder holding the given files. */
function folder(files: Record<string, string>): string {
  const dir = join(root, `case-${folderCount++}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
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

/** The ids of the extensions that have a `permissions:` list, read from the text. */
function extensionIdsWithLists(text: string): string[] {
  const ids: string[] = [];
  let current: string | undefined;
  for (const line of text.split('\n')) {
    const id = /^\s*- id: (\S+)$/.exec(line);
    if (id) current = id[1];
    else if (current && /^\s+permissions:/.test(line)) {
      ids.push(current);
      current = undefined;
    }
  }
  return ids;
}

const V2 = `id: com.example.notes
name: Notes
version: 0.0.1
declarations:
    stripe_api_access:
        permissions:
            - permission: customer_read
              purpose: Shows the customer's name beside each note.
extensions:
    - id: discount
      permissions: []
    - id: proration
      name: No list of its own
`;

describe('cli grant and revoke on stripe-app.yaml', () => {
  it(
    'gives back the bytes of every corpus file, on the app list and on each extension list',
    { skip: corpusSkipReason },
    () => {
      const files = v2CorpusFiles();
      assert.equal(files.length, 4);
      const roundTrips: string[] = [];
      for (const { name, text: original } of files) {
        const cwd = folder({ 'stripe-app.yaml': original });
        const path = join(cwd, 'stripe-app.yaml');
        // The lists the file has (a grant into a missing app list creates it: see below).
        const targets = [
          ...(/^ +stripe_api_access:$/m.test(original) ? [[]] : []),
          ...extensionIdsWithLists(original).map((id) => ['--extension', id]),
        ];
        for (const target of targets) {
          const what = `${name} ${target.join(' ')}`;
          const granted = cli(
            [
              'grant',
              'permission',
              'invoice_read',
              'Lists the invoices of the customer.',
              ...target,
            ],
            cwd,
          );
          assert.equal(granted.code, 0, `${what}: ${granted.stderr}`);
          assert.match(
            readFileSync(path, 'utf8'),
            /- permission: invoice_read\n\s+purpose: Lists the invoices of the customer\.\n/,
            what,
          );
          const revoked = cli(['revoke', 'permission', 'invoice_read', ...target], cwd);
          assert.equal(revoked.code, 0, `${what}: ${revoked.stderr}`);
          assert.equal(readFileSync(path, 'utf8'), original, what);
          roundTrips.push(what);
        }
      }
      // 01 and 02 have an app list; 03 one extension list, 04 two (the stored copy's).
      assert.equal(roundTrips.length, 5, roundTrips.join(', '));
    },
  );

  it('creates the app list in a file without one (Stripe billing-extensions)', () => {
    const cwd = folder({
      'stripe-app.yaml': `id: com.stripe.billing.extensions
declarations:
  distribution_type: public
extensions:
  - id: prorate_by_custom_interval
    permissions: []
`,
    });
    const granted = cli(['grant', 'permission', 'invoice_read', 'Lists the invoices.'], cwd);
    assert.equal(granted.code, 0, granted.stderr);
    assert.equal(
      granted.stdout,
      'Granted invoice_read (added the "declarations.stripe_api_access.permissions" list).\n',
    );
    assert.equal(
      readFileSync(join(cwd, 'stripe-app.yaml'), 'utf8'),
      `id: com.stripe.billing.extensions
declarations:
  distribution_type: public
  stripe_api_access:
    permissions:
      - permission: invoice_read
        purpose: Lists the invoices.
extensions:
  - id: prorate_by_custom_interval
    permissions: []
`,
    );
  });

  it('edits the app list by default and an extension list with --extension, in the file style', () => {
    const cwd = folder({ 'stripe-app.yaml': V2 });
    const app = cli(
      ['grant', 'permission', 'invoice_read', 'Lists the invoices of the customer.'],
      cwd,
    );
    assert.equal(app.code, 0, app.stderr);
    const extension = cli(
      [
        'grant',
        'permission',
        'coupon_read',
        'Reads the coupon to discount.',
        '--extension',
        'discount',
      ],
      cwd,
    );
    assert.equal(extension.code, 0, extension.stderr);
    assert.equal(
      readFileSync(join(cwd, 'stripe-app.yaml'), 'utf8'),
      `id: com.example.notes
name: Notes
version: 0.0.1
declarations:
    stripe_api_access:
        permissions:
            - permission: customer_read
              purpose: Shows the customer's name beside each note.
            - permission: invoice_read
              purpose: Lists the invoices of the customer.
extensions:
    - id: discount
      permissions:
          - permission: coupon_read
            purpose: Reads the coupon to discount.
    - id: proration
      name: No list of its own
`,
    );
    // The same name in another list is another grant; revoke takes it from the named list only.
    const revoked = cli(['revoke', 'permission', 'customer_read', '--extension', 'discount'], cwd);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stdout, /not granted/i);
    assert.match(
      readFileSync(join(cwd, 'stripe-app.yaml'), 'utf8'),
      /- permission: customer_read\n/,
    );
  });

  it('refuses what it cannot do, changing nothing, and says why', () => {
    const cwd = folder({ 'stripe-app.yaml': V2 });
    const cases: [string[], string][] = [
      [
        [
          'grant',
          'permission',
          'coupon_read',
          'Reads the coupon to discount.',
          '--extension',
          'nope',
        ],
        'Cannot grant coupon_read: stripe-app.yaml has no extension "nope"; its extensions are "discount" and "proration".\n',
      ],
      [
        ['revoke', 'permission', 'coupon_read', '--extension', 'proration'],
        'Cannot revoke coupon_read: The extension "proration" has no permissions list; add "permissions: []" to it first.\n',
      ],
    ];
    for (const [args, message] of cases) {
      const result = cli(args, cwd);
      assert.equal(result.code, 1, args.join(' '));
      assert.equal(result.stderr, message);
      assert.equal(result.stdout, '');
      assert.equal(readFileSync(join(cwd, 'stripe-app.yaml'), 'utf8'), V2);
    }

    const duplicate = folder({
      'stripe-app.yaml': `extensions:\n  - id: a\n    permissions: []\n  - id: a\n    permissions: []\n`,
    });
    const twice = cli(
      ['grant', 'permission', 'coupon_read', 'Reads the coupon.', '--extension', 'a'],
      duplicate,
    );
    assert.equal(twice.code, 1);
    assert.equal(
      twice.stderr,
      'Cannot grant coupon_read: stripe-app.yaml has 2 extensions with the id "a"; give each its own id first.\n',
    );

    const v1 = folder({ 'stripe-app.json': '{ "permissions": [] }\n' });
    const onV1 = cli(['revoke', 'permission', 'coupon_read', '--extension', 'a'], v1);
    assert.equal(onV1.code, 1);
    assert.equal(
      onV1.stderr,
      'Cannot revoke coupon_read: --extension works on a v2 manifest (stripe-app.yaml); stripe-app.json has one permission list.\n',
    );
    assert.equal(readFileSync(join(v1, 'stripe-app.json'), 'utf8'), '{ "permissions": [] }\n');
  });

  it('edits stripe-app.yaml when the folder has no stripe-app.json, and asks when it has both', () => {
    const both = folder({ 'stripe-app.yaml': V2, 'stripe-app.json': '{ "permissions": [] }\n' });
    const ambiguous = cli(['revoke', 'permission', 'customer_read'], both);
    assert.equal(ambiguous.code, 2);
    assert.match(
      ambiguous.stderr,
      /^stripe-apps-manifest: both stripe-app.json and stripe-app.yaml are here: say which to edit with --manifest\n/,
    );
    const chosen = cli(
      ['revoke', 'permission', 'customer_read', '--manifest', 'stripe-app.yaml'],
      both,
    );
    assert.equal(chosen.code, 0, chosen.stderr);
    assert.doesNotMatch(readFileSync(join(both, 'stripe-app.yaml'), 'utf8'), /customer_read/);

    const v2Only = folder({ 'stripe-app.yaml': V2 });
    const revoked = cli(['revoke', 'permission', 'customer_read'], v2Only);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal(revoked.stdout, 'Revoked customer_read.\n');
    assert.doesNotMatch(readFileSync(join(v2Only, 'stripe-app.yaml'), 'utf8'), /customer_read/);
  });
});
