/**
 * A buggy client: requests with impossible positions, missing or mistyped parameters, unknown
 * methods and commands, notifications for documents that are not open, a change whose range
 * lies past the end. Every request gets an answer (a default result or a JSON-RPC error, never
 * silence), and the server keeps serving normal requests afterwards.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DocumentDiagnosticRequest,
  ErrorCodes,
  ResponseError,
} from 'vscode-languageserver-protocol/node';
import { createManifestLanguageService } from '../../server/src/service';
import { doc } from '../unit/util';
import { TestClient } from './client';
import { FLAWED_MANIFEST, MANIFEST_URI } from './manifests';

const textDocument = { uri: MANIFEST_URI };
const range = { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } };

/** [what, method, params, the expected answer or the expected JSON-RPC error code]. */
const REQUESTS: [string, string, unknown, { result: unknown } | { error: number }][] = [
  [
    'hover at a negative position',
    'textDocument/hover',
    { textDocument, position: { line: -1, character: -5 } },
    { result: null },
  ],
  [
    'hover far past the end',
    'textDocument/hover',
    { textDocument, position: { line: 1e9, character: 1e9 } },
    { result: null },
  ],
  [
    'hover at a fractional position',
    'textDocument/hover',
    { textDocument, position: { line: 6.5, character: 25.5 } },
    { result: null },
  ],
  [
    'hover without a position',
    'textDocument/hover',
    { textDocument, position: null },
    { result: null },
  ],
  [
    'completion at a string position',
    'textDocument/completion',
    { textDocument, position: 'x' },
    { result: { isIncomplete: false, items: [] } },
  ],
  [
    'completion without a document',
    'textDocument/completion',
    { position: { line: 1, character: 1 } },
    { result: { isIncomplete: false, items: [] } },
  ],
  [
    'code actions without a context',
    'textDocument/codeAction',
    { textDocument, range },
    { result: [] },
  ],
  [
    'code actions for nonsense diagnostics',
    'textDocument/codeAction',
    {
      textDocument,
      range,
      context: {
        diagnostics: [
          {
            code: 'unknown-permission',
            source: 'stripe-apps',
            range: { start: { line: 99, character: 0 }, end: { line: 99, character: 3 } },
            message: 'x',
          },
          { code: 'unknown-permission', source: 'stripe-apps', message: 'no range' },
          null,
          5,
        ],
      },
    },
    { result: [] },
  ],
  [
    'grant with arguments of the wrong type',
    'workspace/executeCommand',
    { command: 'stripeApps.server.grantPermission', arguments: [42, 'x'] },
    {
      result: {
        status: 'invalid',
        permission: '',
        message:
          'Invalid arguments for Grant Permission. Give a permission name: (permission, purpose?, uri?) or { uri, permission, purpose? }.',
      },
    },
  ],
  [
    'revoke without arguments',
    'workspace/executeCommand',
    { command: 'stripeApps.server.revokePermission' },
    {
      result: {
        status: 'invalid',
        permission: '',
        message:
          'Invalid arguments for Revoke Permission. Give a permission name: (permission, uri?) or { uri, permission }.',
      },
    },
  ],
  [
    'an unknown command',
    'workspace/executeCommand',
    { command: 'nope', arguments: [] },
    { result: null },
  ],
  [
    'diagnostics of a document never opened',
    'textDocument/diagnostic',
    { textDocument: { uri: 'file:///x/stripe-app.json' } },
    { result: { kind: 'full', items: [] } },
  ],
  [
    'code lenses for a URI that is no URL',
    'textDocument/codeLens',
    { textDocument: { uri: '%%%' } },
    { result: [] },
  ],
  ['an unknown method', 'stripeApps/nope', {}, { error: ErrorCodes.MethodNotFound }],
  [
    'code action resolve with mistyped data',
    'codeAction/resolve',
    { title: 5, data: { uri: 7, version: 'x' } },
    { result: { title: 5, data: { uri: 7, version: 'x' } } },
  ],
  [
    'code action resolve with nonsense data for the open manifest',
    'codeAction/resolve',
    {
      title: 'Replace with "customer_write"',
      data: { uri: MANIFEST_URI, version: 1, action: 'quickfix', code: 'x', offset: -4, fix: 1e9 },
    },
    {
      result: {
        title: 'Replace with "customer_write"',
        data: {
          uri: MANIFEST_URI,
          version: 1,
          action: 'quickfix',
          code: 'x',
          offset: -4,
          fix: 1e9,
        },
      },
    },
  ],
  [
    'code action resolve without an action',
    'codeAction/resolve',
    null,
    { error: ErrorCodes.InvalidParams },
  ],
  [
    'resolve of an item with mistyped data',
    'completionItem/resolve',
    { label: 5, data: { permission: 7 } },
    { result: { label: 5, data: { permission: 7 } } },
  ],
];

describe('robustness: a buggy client', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ pull: true });
    await client.open(MANIFEST_URI, FLAWED_MANIFEST);
  });
  after(() => {
    client.dispose();
  });

  for (const [what, method, params, expected] of REQUESTS) {
    it(`${what}: answered`, async () => {
      let answer: { result: unknown } | { error: number };
      try {
        answer = { result: await client.connection.sendRequest(method, params) };
      } catch (error) {
        assert.ok(error instanceof ResponseError, String(error));
        answer = { error: error.code };
      }
      assert.deepEqual(answer, expected);
    });
  }

  it('ignores changes and closes of documents that are not open, and clamps a change past the end', async () => {
    const { connection } = client;
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: 'file:///none/stripe-app.json', version: 3 },
      contentChanges: [{ text: 'x' }],
    });
    await connection.sendNotification(DidCloseTextDocumentNotification.type, {
      textDocument: { uri: 'file:///none2/stripe-app.json' },
    });
    // A range past the end: the text lands at the end (as the protocol's documents clamp).
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: MANIFEST_URI, version: 2 },
      contentChanges: [
        {
          range: { start: { line: 500, character: 0 }, end: { line: 600, character: 0 } },
          text: ' ',
        },
      ],
    });
    const report = await connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument });
    const service = createManifestLanguageService();
    const expected = doc(`${FLAWED_MANIFEST} `, MANIFEST_URI, 2);
    assert.deepEqual(
      'items' in report ? report.items : [],
      JSON.parse(JSON.stringify(service.doValidation(expected, service.parseManifest(expected)))),
    );
    assert.equal(client.process.exitCode, null);
    assert.equal(await client.shutdown(), 0);
  });
});

describe('robustness: sort on a manifest it cannot sort', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ pull: true });
  });
  after(() => {
    client.dispose();
  });

  const cases: [string, string, { status: string; message: string }][] = [
    [
      'a syntax error',
      '{"permissions": [{"permission": "charge_read", "purpose": "x"}',
      { status: 'invalid', message: 'Fix the JSON syntax errors first; nothing was sorted.' },
    ],
    [
      '"permissions" not an array',
      '{"permissions": "charge_read"}',
      { status: 'invalid', message: 'There is no "permissions" array to sort.' },
    ],
    [
      'nesting too deep',
      `{"permissions": [], "x": ${'['.repeat(1000)}${']'.repeat(1000)}}`,
      {
        status: 'invalid',
        message: 'The manifest is too large or nested too deeply to edit; nothing was sorted.',
      },
    ],
    [
      'sorted entries',
      '{"permissions": [{"permission": "charge_read"}, {"permission": "customer_read"}]}',
      { status: 'unchanged', message: 'The permissions are already sorted.' },
    ],
  ];
  for (const [what, text, expected] of cases) {
    it(`${what}: ${expected.status}, with the reason, and no edit`, async () => {
      await client.open(MANIFEST_URI, text);
      const since = client.applyEdits.mark();
      const result: unknown = await client.connection.sendRequest('workspace/executeCommand', {
        command: 'stripeApps.server.sortPermissions',
        arguments: [{ uri: MANIFEST_URI, version: client.version(MANIFEST_URI) }],
      });
      assert.deepEqual(result, expected);
      assert.equal(client.applyEdits.mark(), since);
      assert.equal(client.text(MANIFEST_URI), text);
      await client.close(MANIFEST_URI);
    });
  }
});
