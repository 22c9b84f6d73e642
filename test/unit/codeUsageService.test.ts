/**
 * The code-usage API as the server and the CLI call it: the language service's methods (with its
 * current settings) and the blocking source reader the CLI uses, with other UI folders.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  analyzeAppFolder,
  analyzeAppFolderSync,
  createCallAnalyzer,
  readSourceFiles,
  readSourceFilesSync,
} from '../../server/src/analysis';
import { createManifestLanguageService } from '../../server/src/service';
import { manifestWith } from './util';

const root = mkdtempSync(join(tmpdir(), 'stripe-app-code-usage-'));
after(() => {
  rmSync(root, { recursive: true, force: true });
});

function write(dir: string, files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
  }
  return dir;
}

const CLIENT = `import Stripe from 'stripe';
import { createHttpClient, STRIPE_API_KEY } from '@stripe/ui-extension-sdk/http_client';
export const stripe = new Stripe(STRIPE_API_KEY, { httpClient: createHttpClient() });
export const list = () => stripe.customers.list();
`;

describe('reading the UI sources', () => {
  const app = write(join(root, 'app'), {
    'src/a.ts': CLIENT,
    'src/a.test.ts': CLIENT,
    'src/node_modules/x/index.js': CLIENT,
    'src/big.ts': `// ${'x'.repeat(2_000)}\n`,
    'packages/ui/src/b.tsx': CLIENT,
    'packages/ui/src/__tests__/c.tsx': CLIENT,
    'server/index.ts': CLIENT,
  });
  symlinkSync(join(app, 'src'), join(app, 'src', 'loop'));
  const limits = { maxFileSize: 1_000, maxFiles: 100 };

  it('reads the same files blocking as not, in src by default', async () => {
    const sync = readSourceFilesSync(app, limits);
    assert.deepEqual(sync, await readSourceFiles(app, limits));
    assert.deepEqual(
      sync.files.map((file) => file.file),
      ['src/a.ts'],
    );
    assert.deepEqual(sync.notes, [
      {
        kind: 'file-too-large',
        file: 'src/big.ts',
        detail: '2004 bytes, more than the 1000 analysed',
      },
    ]);
  });

  it('reads the folders it is given, and analyses them alike', async () => {
    const folders = ['packages/ui/src', 'src'];
    const sync = readSourceFilesSync(app, limits, folders);
    assert.deepEqual(sync, await readSourceFiles(app, limits, folders));
    assert.deepEqual(
      sync.files.map((file) => file.file),
      ['packages/ui/src/b.tsx', 'src/a.ts'],
    );
    const { files, ...analysis } = analyzeAppFolderSync(app, { limits, folders });
    assert.equal(files.length, 2);
    assert.deepEqual(analysis, await analyzeAppFolder(app, { limits, folders }));
    assert.deepEqual(
      analysis.calls.map((call) => `${call.file} ${call.accessor}`),
      ['packages/ui/src/b.tsx customers.list', 'src/a.ts customers.list'],
    );
  });
});

describe('the language service methods', () => {
  it('judge with the current settings, and see a reconfiguration', () => {
    const service = createManifestLanguageService({});
    const manifestDocument = TextDocument.create(
      'file:///app/stripe-app.json',
      'json',
      1,
      manifestWith(
        '[{ "permission": "customer_write", "purpose": "Updates customer notes in the view" }]',
      ),
    );
    const manifest = service.parseManifest(manifestDocument);
    const grants = service.effectivePermissions(manifest);
    assert.ok(grants);
    const analysis = createCallAnalyzer().analyze([{ file: 'src/a.ts', text: CLIENT }]);
    const source = TextDocument.create('file:///app/src/a.ts', 'typescript', 1, CLIENT);
    const before = service.codeUsage(analysis, grants);
    assert.deepEqual(
      service.codeUsageDiagnostics(before, 'src/a.ts', source).map((d) => d.code),
      ['read-via-write'],
    );
    const actions = service.grantActions(
      service.codeUsageDiagnostics(before, 'src/a.ts', source),
      () => ({ document: manifestDocument, manifest }),
    );
    assert.deepEqual(
      actions.map((action) => action.title),
      ['Grant customer_read'],
    );
    service.configure({ codeAnalysis: { writeCoversRead: true } });
    const after = service.codeUsage(analysis, grants);
    assert.deepEqual(service.codeUsageDiagnostics(after, 'src/a.ts', source), []);
    assert.deepEqual(service.unusedPermissionDiagnostics(after, manifest, manifestDocument), []);
    const hover = service.callHover(after, 'src/a.ts', source, { line: 3, character: 30 });
    assert.deepEqual(hover?.contents, {
      kind: 'markdown',
      value:
        '`customers.list` · `GET /v1/customers`\n\nNeeds `customer_read`: only `customer_write` is granted, assumed to cover reads (`stripeApps.codeAnalysis.writeCoversRead`; Stripe does not document it).',
    });
  });
});
