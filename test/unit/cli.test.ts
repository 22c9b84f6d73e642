import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../server/src/cli';
import { manifestWith } from './util';

const root = mkdtempSync(join(tmpdir(), 'stripe-app-cli-'));
after(() => {
  rmSync(root, { recursive: true, force: true });
});

let folderCount = 0;
/** A fresh folder holding the given files. */
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

/** Runs the CLI in `cwd`; `env` stands for the process environment (none by default). */
function cli(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = main(
    args,
    {
      out: (text) => (stdout += text),
      err: (text) => (stderr += text),
    },
    cwd,
    env,
  );
  return { code, stdout, stderr };
}

const VALID = manifestWith(`[
    {
      "permission": "customer_read",
      "purpose": "Shows the customer's subscription history in the sidebar"
    }
  ]`);

const TYPO = manifestWith(`[
    {
      "permission": "customers_read",
      "purpose": "Shows the customer's subscription history in the sidebar"
    }
  ]`);

describe('cli lint', () => {
  it('exits 0 and prints nothing on stdout for a valid manifest', () => {
    const cwd = folder({ 'stripe-app.json': VALID });
    const result = cli(['lint'], cwd);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /1 manifest checked: 0 errors, 0 warnings/);
  });

  it('prints file:line:col severity code message and exits 1 on an error', () => {
    const cwd = folder({ 'stripe-app.json': TYPO });
    const result = cli(['lint', 'stripe-app.json'], cwd);
    assert.equal(result.code, 1);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? '', /^stripe-app\.json:8:21 error unknown-permission .*customer_read/);
  });

  it('prints JSON with zero-based LSP ranges and suggestions', () => {
    const cwd = folder({ 'stripe-app.json': TYPO });
    const result = cli(['lint', '--format', 'json'], cwd);
    assert.equal(result.code, 1);
    const reports = JSON.parse(result.stdout) as {
      file: string;
      diagnostics: { code: string; severity: string; range: unknown; suggestions?: string[] }[];
    }[];
    const [report] = reports;
    assert.equal(reports.length, 1);
    assert.equal(report?.file, 'stripe-app.json');
    const diagnostic = report.diagnostics[0];
    assert.equal(diagnostic?.code, 'unknown-permission');
    assert.equal(diagnostic.severity, 'error');
    assert.deepEqual(diagnostic.range, {
      start: { line: 7, character: 20 },
      end: { line: 7, character: 36 },
    });
    assert.equal(diagnostic.suggestions?.[0], 'customer_read');
  });

  it('searches folders for base and local manifests, skipping node_modules', () => {
    const cwd = folder({
      'app/stripe-app.json': VALID,
      'app/stripe-app.dev.json': '{ "extends": "stripe-app.json" }\n',
      'app/package.json': '{}',
      'node_modules/pkg/stripe-app.json': TYPO,
    });
    const result = cli(['lint', '.', '--format', 'json'], cwd);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const files = (JSON.parse(result.stdout) as { file: string }[]).map((report) => report.file);
    assert.deepEqual(files, ['app/stripe-app.dev.json', 'app/stripe-app.json']);
  });

  it('reports JSON syntax errors, which the editor leaves to its JSON support', () => {
    const cwd = folder({ 'stripe-app.json': '{ "permissions": [ }' });
    const result = cli(['lint'], cwd);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^stripe-app\.json:1:\d+ error syntax-error /m);
  });

  it('honours --allow and --severity', () => {
    const cwd = folder({ 'stripe-app.json': TYPO });
    assert.equal(cli(['lint', '--allow', 'customers_read'], cwd).code, 0);
    const silenced = cli(['lint', '--severity', 'unknown-permission=off'], cwd);
    assert.equal(silenced.code, 0);
    assert.equal(silenced.stdout, '');
    const softened = cli(['lint', '--severity', 'unknown-permission=warning'], cwd);
    assert.equal(softened.code, 0);
    assert.match(softened.stdout, / warning unknown-permission /);
  });

  it('exits 2 with a clear message, not a stack trace, on I/O and usage errors', () => {
    const cwd = folder({});
    const missing = cli(['lint'], cwd);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /ENOENT/);
    assert.doesNotMatch(missing.stderr, /\n\s+at /);
    const emptyFolder = cli(['lint', '.'], cwd);
    assert.equal(emptyFolder.code, 2);
    assert.match(emptyFolder.stderr, /no stripe-app\.json/);
    for (const args of [[], ['frobnicate'], ['lint', '--format', 'xml'], ['lint', '--nope']]) {
      const result = cli(args, cwd);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /Usage: stripe-apps-manifest/);
    }
  });
});

describe('cli grant and revoke', () => {
  it('grants in place, keeping comments, and revokes back to the original bytes', () => {
    const original = `{
  // The app
  "name": "Example App",
  "permissions": [
    { "permission": "customer_read", "purpose": "Shows the customer's plan in the sidebar" }
  ]
}
`;
    const cwd = folder({ 'stripe-app.json': original });
    const granted = cli(
      ['grant', 'permission', 'invoice_read', 'Lists the customer invoices in the sidebar'],
      cwd,
    );
    assert.equal(granted.code, 0, granted.stderr);
    const afterGrant = readFileSync(join(cwd, 'stripe-app.json'), 'utf8');
    assert.ok(afterGrant.includes('// The app'));
    assert.ok(afterGrant.includes('"invoice_read"'));
    assert.ok(afterGrant.includes('Lists the customer invoices in the sidebar'));
    const revoked = cli(['revoke', 'permission', 'invoice_read'], cwd);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal(readFileSync(join(cwd, 'stripe-app.json'), 'utf8'), original);
  });

  it('keeps a UTF-8 byte order mark and edits the --manifest file', () => {
    const cwd = folder({ 'app/stripe-app.dev.json': '\uFEFF' + VALID });
    const result = cli(
      [
        'grant',
        'permission',
        'invoice_read',
        'Lists the customer invoices in the sidebar',
        '--manifest',
        'app/stripe-app.dev.json',
      ],
      cwd,
    );
    assert.equal(result.code, 0, result.stderr);
    const text = readFileSync(join(cwd, 'app/stripe-app.dev.json'), 'utf8');
    assert.ok(text.startsWith('\uFEFF{'));
    assert.ok(text.includes('"invoice_read"'));
    assert.ok(!existsSync(join(cwd, 'app/stripe-app.dev.json.tmp')));
  });

  it('refuses an unknown name with suggestions and leaves the file alone', () => {
    const cwd = folder({ 'stripe-app.json': VALID });
    const result = cli(['grant', 'permission', 'invoices_read', 'Lists invoices'], cwd);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /invoice_read/);
    assert.equal(readFileSync(join(cwd, 'stripe-app.json'), 'utf8'), VALID);
    const forced = cli(['grant', 'permission', 'invoices_read', 'Lists invoices', '--force'], cwd);
    assert.equal(forced.code, 0, forced.stderr);
    assert.ok(readFileSync(join(cwd, 'stripe-app.json'), 'utf8').includes('"invoices_read"'));
  });

  it('says so when revoking a name that is not granted, changing nothing', () => {
    const cwd = folder({ 'stripe-app.json': VALID });
    const result = cli(['revoke', 'permission', 'invoice_read'], cwd);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /not granted/i);
    assert.equal(readFileSync(join(cwd, 'stripe-app.json'), 'utf8'), VALID);
  });

  it('checks its arguments like the Stripe CLI', () => {
    const cwd = folder({ 'stripe-app.json': VALID });
    assert.equal(cli(['grant', 'permission', 'invoice_read'], cwd).code, 2);
    assert.equal(cli(['grant', 'url', 'https://x', 'y'], cwd).code, 2);
    assert.equal(cli(['revoke', 'permission'], cwd).code, 2);
  });
});

describe('cli catalog', () => {
  it('lists the 136 permissions as JSON', () => {
    const result = cli(['catalog', '--format', 'json'], root);
    assert.equal(result.code, 0);
    const catalog = JSON.parse(result.stdout) as { permissions: { name: string }[] };
    assert.equal(catalog.permissions.length, 136);
  });

  it('lists them as text grouped by product', () => {
    const result = cli(['catalog'], root);
    assert.equal(result.code, 0);
    assert.match(
      result.stdout,
      /^Billing\n {2}billing_meter_event_read +read +Billing Meter Events$/m,
    );
    assert.match(result.stderr, /136 permissions/);
  });
});

describe('the bundled cli', () => {
  it('runs as an executable with a shebang', () => {
    const cli = join(__dirname, '..', '..', 'dist', 'cli.js');
    const result = spawnSync(cli, ['--version'], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^\d+\.\d+\.\d+\n$/);
  });
});
