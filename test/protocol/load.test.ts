/**
 * The live server under load (`node dist/server.js --stdio`, via the TestClient): thousands of
 * edits with requests interleaved and cancelled, a grant racing the user's typing, close and
 * reopen, settings changed mid-stream, and a failure injected into each handler in turn. Every
 * wait is on an event (an answer, a notification); nothing sleeps.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import {
  CancellationTokenSource,
  CodeActionKind,
  CodeActionRequest,
  CodeActionResolveRequest,
  CodeLensRequest,
  CompletionRequest,
  CompletionResolveRequest,
  DocumentDiagnosticRequest,
  ExecuteCommandRequest,
  HoverRequest,
  MessageType,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import {
  CheckPurposeRequest,
  ManifestInfoRequest,
  ServerCommands,
} from '../../server/src/protocol';
import { doc } from '../unit/util';
import { TestClient } from './client';
import { CLEAN_MANIFEST, FLAWED_MANIFEST, MANIFEST_URI } from './manifests';
import { seededRandom as random } from '../support/seededRandom';
import { freshDiagnostics, outcome, rssKb, type Outcome } from './expectations';

const SEED = Number(process.env.FUZZ_SEED ?? 20261126);

const PIECES = [
  'a',
  'e',
  '_',
  '"',
  ',',
  ' ',
  '\n',
  '{',
  '}',
  '[',
  ']',
  ':',
  '"charge_read"',
  '{ "permission": "customer_read", "purpose": "Shows the customer." },',
  '\u{1F680}',
  'e\u0301',
];

/** A typing-like edit of the client's current text: insert a piece, or delete a few characters. */
function typingEdit(text: string, next: () => number): TextEdit {
  const document = doc(text);
  const at = Math.floor(next() * (text.length + 1));
  // Keep the text around its size: delete as often as insert once it has grown.
  if (next() < (text.length > 1200 ? 0.7 : 0.4) && text.length > 0) {
    const end = Math.min(text.length, at + 1 + Math.floor(next() * 4));
    return {
      range: { start: document.positionAt(at), end: document.positionAt(end) },
      newText: '',
    };
  }
  const piece = PIECES[Math.floor(next() * PIECES.length)] ?? 'a';
  const position = document.positionAt(at);
  return { range: { start: position, end: position }, newText: piece };
}

/** Every request is answered, or refused as cancelled (-32800); nothing else. */
async function settle(requests: readonly Promise<Outcome>[]): Promise<Map<Outcome, number>> {
  const counts = new Map<Outcome, number>();
  for (const result of await Promise.all(requests)) {
    counts.set(result, (counts.get(result) ?? 0) + 1);
  }
  const failed = [...counts.keys()].filter((key) => key !== 'answered' && key !== 'cancelled');
  assert.deepEqual(failed, [], 'a request failed otherwise than cancelled');
  return counts;
}

function noErrorsLogged(client: TestClient): void {
  assert.deepEqual(
    client.logs.events.filter((log) => log.type === MessageType.Error),
    [],
  );
}

describe('load: 5 000 changes in quick succession (pull client)', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ pull: true });
  });
  after(() => {
    client.dispose();
  });

  it('answers or cancels every request, ends with the right diagnostics, memory settles', async (t: TestContext) => {
    const started = Date.now();
    const next = random(SEED);
    const uri = MANIFEST_URI;
    const textDocument = { uri };
    await client.open(uri, FLAWED_MANIFEST);
    const requests: Promise<Outcome>[] = [];
    const checkpoints: number[] = [];
    const total = 5000;
    for (let change = 1; change <= total; change++) {
      await client.edit(uri, [typingEdit(client.text(uri), next)]);
      const current = doc(client.text(uri));
      const position = current.positionAt(Math.floor(next() * (current.getText().length + 1)));
      if (change % 5 === 0) {
        const source = new CancellationTokenSource();
        requests.push(
          outcome(
            client.connection.sendRequest(
              CompletionRequest.type,
              { textDocument, position },
              source.token,
            ),
          ),
        );
        // Every third one is cancelled straight away, as the editor does while typing.
        if (change % 15 === 0) source.cancel();
      }
      if (change % 11 === 0) {
        requests.push(
          outcome(client.connection.sendRequest(HoverRequest.type, { textDocument, position })),
        );
      }
      if (change % 50 === 0) {
        const source = new CancellationTokenSource();
        requests.push(
          outcome(
            client.connection.sendRequest(
              DocumentDiagnosticRequest.type,
              { textDocument },
              source.token,
            ),
          ),
        );
        if (change % 100 === 0) source.cancel();
      }
      if (change % 1000 === 0) {
        // Wait for the server to catch up (an answer), then read its memory.
        await client.connection.sendRequest(HoverRequest.type, { textDocument, position });
        checkpoints.push(rssKb(client.process.pid));
      }
    }
    const outcomes = await settle(requests);
    const answered = outcomes.get('answered') ?? 0;
    const cancelled = outcomes.get('cancelled') ?? 0;
    assert.equal(answered + cancelled, requests.length);
    assert.ok(answered > 0);

    // The final diagnostics are those of a fresh analysis of the final text.
    const finalText = client.text(uri);
    const report = await client.connection.sendRequest(DocumentDiagnosticRequest.type, {
      textDocument,
    });
    assert.equal(report.kind, 'full');
    assert.deepEqual('items' in report ? report.items : undefined, freshDiagnostics(finalText));

    // Memory settles: the second half of the run does not keep growing (generous bounds).
    const [first, , , , last] = checkpoints;
    assert.ok(first !== undefined && last !== undefined);
    const peak = Math.max(...checkpoints);
    assert.ok(last < first + 64 * 1024, `RSS grew from ${first} kB to ${last} kB`);
    assert.ok(peak < 400 * 1024, `RSS peaked at ${peak} kB`);
    noErrorsLogged(client);
    t.diagnostic(
      `seed ${SEED}: ${total} changes, ${requests.length} requests (${answered} answered, ${cancelled} cancelled), RSS kB at each 1000: ${checkpoints.join(', ')}, ${Date.now() - started} ms`,
    );
  });
});

describe('load: 5 000 changes with settings changed mid-stream (push client)', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ pull: false });
  });
  after(() => {
    client.dispose();
  });

  it('pushes, for the final version, what a fresh analysis with the new settings reports', async (t: TestContext) => {
    const next = random(SEED + 1);
    const uri = MANIFEST_URI;
    await client.open(uri, FLAWED_MANIFEST);
    const settings = {
      severity: { 'placeholder-purpose': 'off', 'unknown-permission': 'hint' },
      allowedPermissions: ['customers_write'],
      purpose: { minWords: 5 },
    };
    for (let change = 1; change <= 5000; change++) {
      await client.edit(uri, [typingEdit(client.text(uri), next)]);
      if (change === 2500) await client.changeSettings(settings);
    }
    const version = client.version(uri);
    const pushed = await client.nextDiagnostics(uri, 0, (params) => params.version === version);
    assert.deepEqual(pushed.diagnostics, freshDiagnostics(client.text(uri), { settings }));
    // And a known text last: the new settings are the ones in force.
    const since = client.diagnostics.mark();
    await client.change(uri, FLAWED_MANIFEST);
    const last = client.version(uri);
    const known = await client.nextDiagnostics(uri, since, (params) => params.version === last);
    const expected = freshDiagnostics(FLAWED_MANIFEST, { settings });
    assert.deepEqual(known.diagnostics, expected);
    assert.notDeepEqual(expected, freshDiagnostics(FLAWED_MANIFEST));
    noErrorsLogged(client);
    t.diagnostic(
      `seed ${SEED + 1}: final version ${version}, ${pushed.diagnostics.length} diagnostics`,
    );
  });
});

describe('load: a grant racing the user', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ pull: true });
  });
  after(() => {
    client.dispose();
  });

  function grant(version: number): Promise<unknown> {
    return client.connection.sendRequest(ExecuteCommandRequest.type, {
      command: ServerCommands.grantPermission,
      arguments: [
        {
          uri: MANIFEST_URI,
          version,
          permission: 'invoice_read',
          purpose: 'Lists the invoices of the customer.',
        },
      ],
    });
  }

  function statusOf(result: unknown): string {
    assert.ok(typeof result === 'object' && result !== null && 'status' in result);
    return String(result.status);
  }

  it('a stale version is refused and nothing is edited; a retry with the new one succeeds', async () => {
    const uri = MANIFEST_URI;
    await client.open(uri, CLEAN_MANIFEST);
    const stale = client.version(uri);
    await client.change(uri, CLEAN_MANIFEST.replace('"charge_read"', '"charge_write"'));
    const typed = client.text(uri);
    const edits = client.applyEdits.mark();
    assert.equal(statusOf(await grant(stale)), 'stale');
    assert.equal(client.applyEdits.mark(), edits, 'no edit was even proposed');
    assert.equal(client.text(uri), typed);
    assert.equal(statusOf(await grant(client.version(uri))), 'granted');
    const value = JSON.parse(client.text(uri)) as { permissions: { permission: string }[] };
    assert.deepEqual(
      value.permissions.map((entry) => entry.permission),
      ['customer_read', 'charge_write', 'invoice_read'],
    );
    await client.close(uri);
  });

  it('50 grants sent together with a user edit: stale or not applied, never a corrupt file', async (t: TestContext) => {
    const uri = MANIFEST_URI;
    await client.open(uri, CLEAN_MANIFEST);
    const outcomes = new Map<string, number>();
    for (let round = 0; round < 50; round++) {
      const version = client.version(uri);
      const before = client.text(uri);
      // The command and the user's keystroke sent together (not awaited between), in either
      // order: the server sees the edit first (stale), or proposes an edit that the client
      // refuses because its document moved on (not-applied).
      const typed = `${before.slice(0, -2)} ${before.slice(-2)}`;
      let command: Promise<unknown>;
      if (round % 2 === 0) {
        command = grant(version);
        await client.change(uri, typed);
      } else {
        const changed = client.change(uri, typed);
        command = grant(version);
        await changed;
      }
      const status = statusOf(await command);
      outcomes.set(status, (outcomes.get(status) ?? 0) + 1);
      assert.ok(status === 'stale' || status === 'not-applied', status);
      assert.equal(client.text(uri), typed, 'only the user edit is in the document');
    }
    // Then the retry, against the document as it is.
    assert.equal(statusOf(await grant(client.version(uri))), 'granted');
    const value = JSON.parse(client.text(uri)) as { permissions: { permission: string }[] };
    assert.equal(
      value.permissions.filter((entry) => entry.permission === 'invoice_read').length,
      1,
    );
    assert.ok([...outcomes.values()].reduce((a, b) => a + b, 0) === 50);
    t.diagnostic(`outcomes: ${JSON.stringify(Object.fromEntries(outcomes))}`);
    noErrorsLogged(client);
    await client.close(uri);
  });
});

describe('load: close and reopen', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ pull: false });
  });
  after(() => {
    client.dispose();
  });

  it('clears on close, answers nothing for the closed file, analyses the reopened text afresh', async () => {
    const uri = MANIFEST_URI;
    const textDocument = { uri };
    const position = { line: 7, character: 25 };
    for (let round = 0; round < 20; round++) {
      const since = client.diagnostics.mark();
      // Reopened at version 1 each time, alternating texts: a cache keyed by URI and version
      // alone would answer the previous text.
      const text = round % 2 === 0 ? FLAWED_MANIFEST : CLEAN_MANIFEST;
      await client.open(uri, text);
      const opened = await client.nextDiagnostics(
        uri,
        since,
        (p) => p.diagnostics.length > 0 || round % 2 === 1,
      );
      assert.deepEqual(opened.diagnostics, freshDiagnostics(text));
      const closing = client.diagnostics.mark();
      await client.close(uri);
      const cleared = await client.nextDiagnostics(uri, closing);
      assert.deepEqual(cleared.diagnostics, []);
      // Closed: empty answers, and a command is refused.
      assert.deepEqual(
        await client.connection.sendRequest(CompletionRequest.type, { textDocument, position }),
        { isIncomplete: false, items: [] },
      );
      assert.equal(
        await client.connection.sendRequest(HoverRequest.type, { textDocument, position }),
        null,
      );
      const result: unknown = await client.connection.sendRequest(ExecuteCommandRequest.type, {
        command: ServerCommands.grantPermission,
        arguments: [{ uri, version: 1, permission: 'charge_read', purpose: 'Lists charges.' }],
      });
      assert.ok(typeof result === 'object' && result !== null && 'status' in result);
      assert.equal(result.status, 'no-document');
    }
    noErrorsLogged(client);
  });
});

describe('load: an exception injected in one handler leaves the others working', () => {
  const position = { line: 6, character: 25 };
  const textDocument = { uri: MANIFEST_URI };
  const SORT_ACTION = {
    title: 'Sort permissions by name',
    kind: CodeActionKind.RefactorRewrite,
    data: { uri: MANIFEST_URI, version: 1, action: 'sort' },
  };

  /** Each handler's default answer when it fails, and a request that reaches it. */
  const handlers: {
    name: string;
    call: (client: TestClient) => Promise<unknown>;
    fallback: unknown;
  }[] = [
    {
      name: 'completion',
      call: (client) =>
        client.connection.sendRequest(CompletionRequest.type, { textDocument, position }),
      fallback: { isIncomplete: false, items: [] },
    },
    {
      name: 'completionResolve',
      call: (client) =>
        client.connection.sendRequest(CompletionResolveRequest.type, {
          label: 'charge_read',
          data: { permission: 'charge_read' },
        }),
      fallback: { label: 'charge_read', data: { permission: 'charge_read' } },
    },
    {
      name: 'diagnostics',
      call: (client) =>
        client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument }),
      fallback: { kind: 'full', items: [] },
    },
    {
      name: 'codeAction',
      call: (client) =>
        client.connection.sendRequest(CodeActionRequest.type, {
          textDocument,
          range: { start: position, end: position },
          context: { diagnostics: [], only: [CodeActionKind.RefactorRewrite] },
        }),
      fallback: [],
    },
    {
      // Sorting FLAWED_MANIFEST (out of order, still at version 1): answered with the edit.
      name: 'codeActionResolve',
      call: (client) => client.connection.sendRequest(CodeActionResolveRequest.type, SORT_ACTION),
      fallback: SORT_ACTION,
    },
    {
      name: 'codeLens',
      call: (client) => client.connection.sendRequest(CodeLensRequest.type, { textDocument }),
      fallback: [],
    },
    {
      name: 'executeCommand',
      call: (client) =>
        client.connection.sendRequest(ExecuteCommandRequest.type, {
          command: ServerCommands.sortPermissions,
          arguments: [{ uri: MANIFEST_URI, version: 1 }],
        }),
      fallback: null,
    },
    {
      name: 'manifestInfo',
      call: (client) => client.connection.sendRequest(ManifestInfoRequest, { uri: MANIFEST_URI }),
      fallback: null,
    },
    {
      name: 'checkPurpose',
      call: (client) =>
        client.connection.sendRequest(CheckPurposeRequest, {
          permission: 'charge_read',
          purpose: 'test',
        }),
      fallback: { suggestion: '' },
    },
  ];

  for (const handler of handlers) {
    it(`STRIPE_APPS_TEST_FAIL_HANDLER=${handler.name}`, async () => {
      const client = await TestClient.start({
        pull: true,
        env: { STRIPE_APPS_TEST_FAIL_HANDLER: handler.name },
      });
      try {
        await client.open(MANIFEST_URI, FLAWED_MANIFEST);
        const since = client.logs.mark();
        // Twice: the failure is not a one-off that leaves the handler broken differently.
        for (let attempt = 0; attempt < 2; attempt++) {
          assert.deepEqual(await handler.call(client), handler.fallback);
        }
        const logged = await client.logs.next(
          (log) => log.type === MessageType.Error && log.message.includes('Injected failure'),
          since,
        );
        assert.match(logged.message, new RegExp(`the ${handler.name} handler`));
        // Every other handler answers normally.
        for (const other of handlers) {
          if (other.name === handler.name) continue;
          if (other.name === 'executeCommand') continue; // it edits; checked below
          const answer = await other.call(client);
          if (other.name !== 'codeAction') assert.notDeepEqual(answer, other.fallback, other.name);
        }
        const hover: unknown = await client.connection.sendRequest(HoverRequest.type, {
          textDocument,
          position: { line: 7, character: 26 },
        });
        assert.ok(hover !== null, 'hover still answers');
        if (handler.name !== 'diagnostics') {
          const report = await client.connection.sendRequest(DocumentDiagnosticRequest.type, {
            textDocument,
          });
          assert.deepEqual(
            'items' in report ? report.items : [],
            freshDiagnostics(FLAWED_MANIFEST),
          );
        }
        assert.equal(client.process.exitCode, null);
        assert.equal(await client.shutdown(), 0);
      } finally {
        client.dispose();
      }
    });
  }
});
