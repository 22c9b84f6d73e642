/**
 * The language server driven by real third-party LSP clients, headless: Neovim 0.7's built-in
 * client (test/clients/neovim.lua) and Emacs' eglot (test/clients/eglot.el), as Debian ships
 * them (`npm run test:clients` installs them when missing and builds dist/server.js). Each
 * script edits a copy of test/clients/workspace/stripe-app.json through the server (completion
 * of a partial word, a quick fix, a code lens or a grant command) and writes what it saw and the
 * final buffer text to a JSON file, checked here. No sleeps: each script waits on the server's
 * answers with a deadline, and this test waits for the editor to exit.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = resolve(__dirname, '../..');
const SERVER_JS = join(ROOT, 'dist/server.js');
const WORKSPACE_MANIFEST = join(__dirname, 'workspace/stripe-app.json');
/** The longest an editor run may take before it is killed and the test fails. */
const RUN_DEADLINE_MS = 120_000;

interface ClientRun {
  diagnostics: { code: string; line: number; character: number }[];
  completion: { matched: string[] };
  hover: { kind: string; value: string };
  quickFix: string;
  grant: { status: string; permission: string; message: string };
  text: string;
  error?: string;
  lenses?: string[];
  sort?: { status: string; message: string };
}

/** Runs an editor on a fresh copy of the manifest; answers what its script wrote. */
async function runClient(
  command: string,
  args: string[],
  directory: string,
): Promise<{ run: ClientRun; output: string }> {
  const manifest = join(directory, 'stripe-app.json');
  const result = join(directory, 'result.json');
  copyFileSync(WORKSPACE_MANIFEST, manifest);
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, SERVER_JS, MANIFEST: manifest, RESULT: result },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: RUN_DEADLINE_MS,
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const code = await new Promise<number | null>((resolveExit, reject) => {
    child.once('error', reject);
    child.once('exit', resolveExit);
  });
  assert.ok(existsSync(result), `${command} wrote no result (exit ${code}):\n${output}`);
  const run = JSON.parse(readFileSync(result, 'utf8')) as ClientRun;
  assert.equal(run.error, undefined, `${command} failed: ${run.error ?? ''}\n${output}`);
  assert.equal(code, 0, `${command} exited with ${code}:\n${output}`);
  // The file on disk is untouched: every edit went to the editor's buffer.
  assert.equal(readFileSync(manifest, 'utf8'), readFileSync(WORKSPACE_MANIFEST, 'utf8'));
  return { run, output };
}

const DIAGNOSTICS = [
  { code: 'unknown-permission', line: 6, character: 20 },
  { code: 'unknown-permission', line: 8, character: 20 },
];
const CUST_NAMES = [
  'customer_portal_read',
  'customer_portal_write',
  'customer_read',
  'customer_session_read',
  'customer_session_write',
  'customer_write',
];
const CHARGES =
  'Charges represent completed or attempted payments, and Refunds return funds to a customer. Read access lets you list and retrieve charges and refunds. Write access lets you create, update, capture, and redact charges, and create, update, and cancel refunds.';
const GRANTED = {
  status: 'granted',
  permission: 'invoice_read',
  message: 'Granted invoice_read.',
};

function manifest(entries: string[]): string {
  return `{
  "id": "com.example.app",
  "version": "1.0.0",
  "name": "Example App",
  "icon": "./icon.png",
  "permissions": [
${entries.map((entry) => `    ${entry}`).join(',\n')}
  ],
  "ui_extension": { "views": [] }
}
`;
}
const CUSTOMER_WRITE = `{ "permission": "customer_write", "purpose": "Tags customers with their loyalty tier." }`;
const CHARGE_READ = `{ "permission": "charge_read", "purpose": "Lists the charges of the customer in the drawer." }`;
const CUSTOMER_READ = `{ "permission": "customer_read", "purpose": "Shows the customer's name next to each invoice." }`;
const INVOICE_READ = `{ "permission": "invoice_read", "purpose": "Lists the invoices of the customer." }`;

describe('real third-party clients', () => {
  let directory: string;
  before(() => {
    assert.ok(existsSync(SERVER_JS), 'dist/server.js is built (npm run build)');
    directory = mkdtempSync(join(tmpdir(), 'stripe-apps-clients-'));
  });
  after(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('Neovim 0.7: diagnostics, completion, hover, a range-only quick fix, the sort lens, grant', async () => {
    const { run } = await runClient(
      'nvim',
      ['--headless', '-u', 'NONE', '-c', 'luafile test/clients/neovim.lua'],
      directory,
    );
    assert.deepEqual(run.diagnostics, DIAGNOSTICS);
    assert.deepEqual(run.completion.matched, CUST_NAMES);
    assert.deepEqual(run.hover, {
      kind: 'markdown',
      value: [
        '`charge_read` · **read** access',
        'Core › Charges and Refunds',
        CHARGES.replace(/\./g, '\\.'),
        'Sibling: `charge_write` (write access, not granted)',
        '[Charges and Refunds API reference](https://docs.stripe.com/api/charges) · [Permissions reference](https://docs.stripe.com/stripe-apps/reference/permissions)',
      ].join('\n\n'),
    });
    assert.equal(run.quickFix, 'Replace with "customer_write"');
    assert.deepEqual(run.lenses, ['3 permissions (2 read, 1 write)', 'Sort permissions']);
    assert.deepEqual(run.sort, { status: 'sorted', message: 'Sorted the permissions by name.' });
    assert.deepEqual(run.grant, GRANTED);
    assert.equal(run.text, manifest([CHARGE_READ, CUSTOMER_READ, CUSTOMER_WRITE, INVOICE_READ]));
  });

  it('Emacs eglot: diagnostics, completion, plain-text hover, a quick fix, grant', async () => {
    const { run } = await runClient('emacs', ['--batch', '-l', 'test/clients/eglot.el'], directory);
    assert.deepEqual(run.diagnostics, DIAGNOSTICS);
    assert.deepEqual(run.completion.matched, CUST_NAMES);
    assert.deepEqual(run.hover, {
      kind: 'plaintext',
      value: [
        'charge_read · read access',
        'Core › Charges and Refunds',
        CHARGES,
        'Sibling: charge_write (write access, not granted)',
        'Charges and Refunds API reference (https://docs.stripe.com/api/charges) · Permissions reference (https://docs.stripe.com/stripe-apps/reference/permissions)',
      ].join('\n\n'),
    });
    assert.equal(run.quickFix, 'Replace with "customer_write"');
    assert.deepEqual(run.grant, GRANTED);
    assert.equal(run.text, manifest([CUSTOMER_WRITE, CHARGE_READ, CUSTOMER_READ, INVOICE_READ]));
  });
});
