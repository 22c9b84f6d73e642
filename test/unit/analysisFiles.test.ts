/**
 * Which files the call analysis reads from an app folder, and how it survives what real folders
 * hold: build output, node_modules, tests, huge generated files, link loops, dangling links,
 * thousands of files, a `tsconfig.json` with path aliases.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  analyzeAppFolder,
  isUiSourceFile,
  readPathAliases,
  readSourceFiles,
} from '../../server/src/analysis';

const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A temporary app folder holding the given files (paths relative to it). */
function appFolder(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'stripe-app-calls-'));
  roots.push(root);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

const CLIENT_MODULE = `import Stripe from 'stripe';
import { createHttpClient, STRIPE_API_KEY } from '@stripe/ui-extension-sdk/http_client';
export const stripe = new Stripe(STRIPE_API_KEY, { httpClient: createHttpClient() });
`;

describe('call analysis: source files', () => {
  it('takes src/** scripts only: no node_modules, build output, hidden folders, tests or .d.ts', () => {
    assert.deepEqual(
      [
        'src/views/App.tsx',
        'src/a.ts',
        'src/b.js',
        'src/c.jsx',
        'src/node_modules/x/index.ts',
        'src/dist/bundle.js',
        'src/build/x.ts',
        'src/.cache/x.ts',
        'src/views/App.test.tsx',
        'src/__tests__/x.ts',
        'src/types.d.ts',
        'src/style.css',
        'backend/server.ts',
        'stripe-app.json',
      ].filter(isUiSourceFile),
      ['src/views/App.tsx', 'src/a.ts', 'src/b.js', 'src/c.jsx'],
    );
  });

  it('reads the folder sorted, and notes a file above the size limit', async () => {
    const root = appFolder({
      'src/views/B.tsx': 'b',
      'src/views/A.tsx': 'a',
      'src/generated/huge.ts': 'x'.repeat(2_000),
      'src/node_modules/lib/index.ts': 'no',
      'dist/index.js': 'no',
      'node_modules/stripe/index.js': 'no',
    });
    const { files, notes } = await readSourceFiles(root, { maxFileSize: 1_000, maxFiles: 100 });
    assert.deepEqual(files, [
      { file: 'src/views/A.tsx', text: 'a' },
      { file: 'src/views/B.tsx', text: 'b' },
    ]);
    assert.deepEqual(notes, [
      {
        kind: 'file-too-large',
        file: 'src/generated/huge.ts',
        detail: '2000 bytes, more than the 1000 analysed',
      },
    ]);
  });

  it('survives a link loop, a dangling link and a link out of the app folder', async () => {
    const outside = appFolder({ 'src/secret.ts': 'outside' });
    const root = appFolder({ 'src/a.ts': 'a' });
    symlinkSync(path.join(root, 'src'), path.join(root, 'src', 'loop'));
    symlinkSync(path.join(root, 'src', 'gone.ts'), path.join(root, 'src', 'dangling.ts'));
    symlinkSync(path.join(outside, 'src'), path.join(root, 'src', 'elsewhere'));
    symlinkSync(path.join(root, 'src', 'a.ts'), path.join(root, 'src', 'alias.ts'));
    const { files, notes } = await readSourceFiles(root);
    assert.deepEqual(files, [
      { file: 'src/a.ts', text: 'a' },
      { file: 'src/alias.ts', text: 'a' },
    ]);
    assert.deepEqual(notes, []);
  });

  it('returns nothing for a folder without src or that does not exist', async () => {
    assert.deepEqual(await readSourceFiles(appFolder({ 'stripe-app.json': '{}' })), {
      files: [],
      notes: [],
    });
    assert.deepEqual(await readSourceFiles('/nonexistent/app/folder'), { files: [], notes: [] });
  });

  it('analyses thousands of files, and stops at the file limit with a note', async () => {
    const files: Record<string, string> = { 'src/stripe.ts': CLIENT_MODULE };
    for (let i = 0; i < 3_000; i++) {
      const folder = `src/f${String(Math.floor(i / 100)).padStart(2, '0')}`;
      files[`${folder}/m${String(i).padStart(4, '0')}.ts`] =
        `import { stripe } from '../stripe';\nexport const m${i} = () => stripe.customers.retrieve('cus_${i}');\n`;
    }
    const root = appFolder(files);
    const all = await analyzeAppFolder(root);
    assert.equal(all.calls.length, 3_000);
    assert.deepEqual(all.notes, []);
    const first = files['src/f00/m0000.ts'] ?? '';
    const callee = first.indexOf('stripe.customers.retrieve');
    const client = CLIENT_MODULE.indexOf('new Stripe(');
    assert.deepEqual(all.calls[0], {
      file: 'src/f00/m0000.ts',
      start: callee,
      end: callee + 'stripe.customers.retrieve'.length,
      accessor: 'customers.retrieve',
      expand: [],
      expandIncomplete: false,
      client: {
        kind: 'ui-extension',
        file: 'src/stripe.ts',
        start: client,
        end: CLIENT_MODULE.indexOf(';\n', client),
      },
    });
    const capped = await analyzeAppFolder(root, {
      limits: { maxFileSize: 1_000_000, maxFiles: 10 },
    });
    // The first ten files in path order: the client module comes after src/f…, so none resolves.
    assert.deepEqual(capped.calls, []);
    assert.deepEqual(
      capped.notes.filter((note) => note.kind !== 'unresolved-import'),
      [
        {
          kind: 'too-many-files',
          file: '',
          detail: 'only the first 10 source files were analysed',
        },
      ],
    );
  });

  it("follows the app's tsconfig paths, and maps @/ to src/ when there is no tsconfig", async () => {
    const view = `import { stripe } from '~lib/stripe';\nstripe.products.list();\n`;
    const root = appFolder({
      'tsconfig.json': `{
  // comments are allowed
  "compilerOptions": { "baseUrl": ".", "paths": { "~lib/*": ["src/lib/*"] } },
}`,
      'src/lib/stripe.ts': CLIENT_MODULE,
      'src/views/View.tsx': view,
    });
    assert.deepEqual(await readPathAliases(root), [{ prefix: '~lib/', targets: ['src/lib/'] }]);
    const result = await analyzeAppFolder(root);
    assert.deepEqual(
      result.calls.map((call) => `${call.file} ${call.accessor}`),
      ['src/views/View.tsx products.list'],
    );
    assert.deepEqual(await readPathAliases(appFolder({})), [{ prefix: '@/', targets: ['src/'] }]);
  });
});
