/**
 * Random sessions against the live server (fast-check, seeded): a sequence of typing, whole-text
 * replacements, completion and hover requests (some cancelled, none awaited), grants (some with
 * a stale version), revokes, sorts, fix-all applied from its code action, settings changes and
 * close/reopen. After each session every request was answered or cancelled, no command corrupted
 * the document (a refused command left it as it was; an applied one left it parseable), no
 * handler failed, and the server's diagnostics equal a fresh in-process analysis.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import fc from 'fast-check';
import {
  CancellationTokenSource,
  CodeActionRequest,
  CompletionRequest,
  DocumentDiagnosticRequest,
  ExecuteCommandRequest,
  HoverRequest,
  MessageType,
} from 'vscode-languageserver-protocol/node';
import { ServerCommands } from '../../server/src/protocol';
import { FIX_ALL_KIND } from '../../server/src/service/codeActions';
import { createManifestLanguageService } from '../../server/src/service';
import { doc } from '../unit/util';
import { TestClient, editsOf } from './client';
import { CLEAN_MANIFEST, FLAWED_MANIFEST } from './manifests';
import { freshDiagnostics, outcome, type Outcome } from './expectations';

const SEED = Number(process.env.FUZZ_SEED ?? 20261126);
const RUNS = Math.max(1, Math.round(100 * Number(process.env.FUZZ_SCALE ?? 1)));

const TEXTS = [
  FLAWED_MANIFEST,
  CLEAN_MANIFEST,
  FLAWED_MANIFEST.replace(/\n/g, '\r\n'),
  '{ "permissions": [ { "permission": "coupon_read, coupon_write", "purpose": "TODO" } ] }',
  '{ "permissions": "charge_read" }',
  '',
  '{"permissions": [',
];
const SETTINGS: Record<string, unknown>[] = [
  {},
  { severity: { 'placeholder-purpose': 'off', 'unknown-permission': 'warning' } },
  { allowedPermissions: ['customers_write'], purpose: { minWords: 6 } },
  { maxDocumentSize: 200 },
];
const NAMES = ['charge_read', 'customer_read', 'customers_write', 'invoice_write', 'not_real'];
const PIECES = ['"', ',', '{', '}', ']', ' ', '\n', 'x', '"charge_read"', '\u{1F680}'];

type Op =
  | { kind: 'type'; at: number; remove: number; insert: string }
  | { kind: 'replace'; text: number }
  | { kind: 'complete'; at: number; cancel: boolean }
  | { kind: 'hover'; at: number }
  | { kind: 'grant'; name: string; stale: boolean }
  | { kind: 'revoke'; name: string }
  | { kind: 'sort' }
  | { kind: 'fixAll' }
  | { kind: 'settings'; settings: number }
  | { kind: 'reopen' };

const fraction = fc.double({ min: 0, max: 1, noNaN: true });
const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('type' as const),
      at: fraction,
      remove: fc.nat({ max: 3 }),
      insert: fc.constantFrom(...PIECES, ''),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('replace' as const),
      text: fc.nat({ max: TEXTS.length - 1 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('complete' as const),
      at: fraction,
      cancel: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('hover' as const), at: fraction }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('grant' as const),
      name: fc.constantFrom(...NAMES),
      stale: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('revoke' as const),
      name: fc.constantFrom(...NAMES),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('sort' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('fixAll' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('settings' as const),
      settings: fc.nat({ max: SETTINGS.length - 1 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reopen' as const) }) },
);

function statusOf(result: unknown): string {
  assert.ok(typeof result === 'object' && result !== null && 'status' in result, String(result));
  return String(result.status);
}

/** Parses (jsonc, as the service) without errors. */
function parses(text: string): boolean {
  const service = createManifestLanguageService({ maxDocumentSize: Number.MAX_SAFE_INTEGER });
  const manifest = service.parseManifest(doc(text));
  return manifest.syntaxErrors.length === 0 && manifest.root !== undefined;
}

describe('robustness: random sessions against the live server', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ pull: true });
  });
  after(() => {
    client.dispose();
  });

  it('every request answered or cancelled, documents never corrupted, diagnostics right', async (t: TestContext) => {
    let run = 0;
    const statuses = new Map<string, number>();
    let requestCount = 0;
    let settingsIndex = 0;
    const property = fc.asyncProperty(
      fc.nat({ max: TEXTS.length - 1 }),
      fc.array(opArbitrary, { minLength: 5, maxLength: 40 }),
      async (first, ops) => {
        run++;
        const uri = `file:///session${run}/stripe-app.json`;
        const textDocument = { uri };
        await client.open(uri, TEXTS[first] ?? '');
        const requests: Promise<Outcome>[] = [];
        const position = (at: number): { line: number; character: number } => {
          const current = doc(client.text(uri));
          return current.positionAt(Math.floor(at * (current.getText().length + 1)));
        };
        const count = (status: string): void => {
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        };
        for (const op of ops) {
          switch (op.kind) {
            case 'type': {
              const current = doc(client.text(uri));
              const length = current.getText().length;
              const start = Math.floor(op.at * (length + 1));
              const end = Math.min(length, start + op.remove);
              await client.edit(uri, [
                {
                  range: { start: current.positionAt(start), end: current.positionAt(end) },
                  newText: op.insert,
                },
              ]);
              break;
            }
            case 'replace':
              await client.change(uri, TEXTS[op.text] ?? '');
              break;
            case 'complete': {
              const source = new CancellationTokenSource();
              requests.push(
                outcome(
                  client.connection.sendRequest(
                    CompletionRequest.type,
                    { textDocument, position: position(op.at) },
                    source.token,
                  ),
                ),
              );
              if (op.cancel) source.cancel();
              break;
            }
            case 'hover':
              requests.push(
                outcome(
                  client.connection.sendRequest(HoverRequest.type, {
                    textDocument,
                    position: position(op.at),
                  }),
                ),
              );
              break;
            case 'grant':
            case 'revoke':
            case 'sort': {
              const before = client.text(uri);
              const version = client.version(uri) - (op.kind === 'grant' && op.stale ? 1 : 0);
              const command =
                op.kind === 'grant'
                  ? ServerCommands.grantPermission
                  : op.kind === 'revoke'
                    ? ServerCommands.revokePermission
                    : ServerCommands.sortPermissions;
              const argument =
                op.kind === 'sort'
                  ? { uri, version }
                  : op.kind === 'grant'
                    ? { uri, version, permission: op.name, purpose: 'Shows it in the drawer.' }
                    : { uri, version, permission: op.name };
              const result: unknown = await client.connection.sendRequest(
                ExecuteCommandRequest.type,
                { command, arguments: [argument] },
              );
              const status = statusOf(result);
              count(`${op.kind} ${status}`);
              const after = client.text(uri);
              if (['granted', 'updated', 'revoked', 'sorted'].includes(status)) {
                assert.notEqual(after, before, `${op.kind} ${status} changed nothing`);
                assert.ok(parses(after), `${op.kind} left a broken document:\n${after}`);
              } else {
                assert.equal(after, before, `${op.kind} ${status} changed the document`);
              }
              if (op.kind === 'grant' && op.stale) assert.equal(status, 'stale');
              break;
            }
            case 'fixAll': {
              const before = client.text(uri);
              const version = client.version(uri);
              const end = doc(before).positionAt(before.length);
              const actions = await client.connection.sendRequest(CodeActionRequest.type, {
                textDocument,
                range: { start: { line: 0, character: 0 }, end },
                context: { diagnostics: [], only: [FIX_ALL_KIND] },
              });
              const action = actions?.find((item) => 'edit' in item && item.edit !== undefined);
              if (action && 'edit' in action && action.edit) {
                for (const [target, editVersion, edits] of editsOf(action.edit)) {
                  assert.equal(target, uri);
                  assert.equal(editVersion, version);
                  await client.edit(uri, edits);
                }
                assert.ok(parses(client.text(uri)), `fix-all left a broken document`);
                count('fixAll applied');
              }
              break;
            }
            case 'settings': {
              const since = client.refreshes.mark();
              settingsIndex = op.settings;
              await client.changeSettings(SETTINGS[op.settings] ?? {});
              await client.refreshes.next(() => true, since);
              break;
            }
            case 'reopen': {
              const text = client.text(uri);
              await client.close(uri);
              await client.open(uri, text);
              break;
            }
          }
        }
        requestCount += requests.length;
        const outcomes = await Promise.all(requests);
        assert.deepEqual(
          outcomes.filter((result) => result !== 'answered' && result !== 'cancelled'),
          [],
        );
        const report = await client.connection.sendRequest(DocumentDiagnosticRequest.type, {
          textDocument,
        });
        assert.deepEqual(
          'items' in report ? report.items : undefined,
          freshDiagnostics(client.text(uri), { uri, settings: SETTINGS[settingsIndex] }),
        );
        await client.close(uri);
      },
    );
    const details = await fc.check(property, { seed: SEED, numRuns: RUNS });
    if (details.failed) {
      const cause = details.errorInstance;
      throw new Error(
        `${fc.defaultReportMessage(details) ?? 'failed'}\n\nError: ${cause instanceof Error ? cause.message : String(cause)}`,
      );
    }
    assert.deepEqual(
      client.logs.events.filter((log) => log.type === MessageType.Error),
      [],
    );
    t.diagnostic(
      `seed ${SEED}: ${run} sessions, ${requestCount} requests, commands: ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
  });
});
