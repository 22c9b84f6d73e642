/**
 * Adversarial inputs, one named test each, with the behaviour expected of the service: absurd
 * nesting and sizes, binary garbage, byte order marks, lone surrogates, every line ending,
 * emoji before a name (exact UTF-16 ranges), thousands of duplicates, huge purposes, every wrong
 * shape of `permissions` and its entries, and hovers that try to inject markdown.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind } from 'vscode-languageserver-types';
import type { Diagnostic, MarkupContent } from 'vscode-languageserver-types';
import { catalog, createManifestLanguageService } from '../../server/src/service';
import type { ManifestLanguageService } from '../../server/src/service';
import { MAX_NESTING_DEPTH } from '../../server/src/service/manifestDocument';
import {
  assertParses,
  checkAndApply,
  checkRange,
  doc,
  exerciseEverything,
  probeOffsets,
} from './fuzzUtil';
import { manifestWith } from './util';

// These tests count every diagnostic: no `maxNumberOfProblems` cut.
const ALL_PROBLEMS = { maxNumberOfProblems: 0 };

const GOOD_PURPOSE = "Shows the customer's name next to each invoice.";

/** A diagnostic's message (the service writes plain strings). */
function messageOf(diagnostic: Diagnostic | undefined): string {
  const message = diagnostic?.message;
  assert.equal(typeof message, 'string');
  return message as string;
}

function summary(diagnostic: Diagnostic): {
  code: unknown;
  message: string;
  range: Diagnostic['range'];
  data: unknown;
} {
  const data: unknown = diagnostic.data;
  return { code: diagnostic.code, message: messageOf(diagnostic), range: diagnostic.range, data };
}

function analyse(
  text: string,
  service: ManifestLanguageService = createManifestLanguageService(),
): {
  document: TextDocument;
  service: ManifestLanguageService;
  diagnostics: Diagnostic[];
  codes: string[];
} {
  const document = doc(text);
  const manifest = service.parseManifest(document);
  const diagnostics = service.doValidation(document, manifest, { syntaxErrors: true });
  for (const diagnostic of diagnostics) checkRange(document, diagnostic.range, 'diagnostic');
  return {
    document,
    service,
    diagnostics,
    codes: diagnostics.map((diagnostic) => String(diagnostic.code)),
  };
}

/** Every feature answers nothing (and grant/revoke refuse) for a text that is not analysed. */
function assertNotAnalysed(service: ManifestLanguageService, text: string, why: RegExp): void {
  const document = doc(text);
  const manifest = service.parseManifest(document);
  const position = document.positionAt(Math.floor(text.length / 2));
  assert.deepEqual(service.doComplete(document, position, manifest).items, []);
  assert.equal(service.doHover(document, position, manifest), null);
  assert.deepEqual(service.getCodeLenses(document, manifest), []);
  assert.deepEqual(service.getFixAllEdits(document, manifest), []);
  assert.deepEqual(service.getSortEntriesEdits(document, manifest), []);
  const diagnostics = service.doValidation(document, manifest);
  assert.deepEqual(
    service.getCodeActions(
      document,
      { start: position, end: position },
      {
        diagnostics,
        only: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll, CodeActionKind.Refactor],
      },
      manifest,
    ),
    [],
  );
  const grant = service.grant(document, manifest, 'charge_read', 'Lists the charges.');
  assert.equal(grant.status, 'invalid');
  assert.match(grant.message, why);
  const revoke = service.revoke(document, manifest, 'charge_read');
  assert.equal(revoke.status, 'invalid');
  assert.match(revoke.message, why);
}

/** The smallest of a few timings of `fn`, in milliseconds. */
function fastest(fn: () => void, times = 3): number {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < times; run++) {
    const started = performance.now();
    fn();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

function entriesText(count: number, entry: (index: number) => string): string {
  return manifestWith(
    `[\n${Array.from({ length: count }, (_, i) => `    ${entry(i)}`).join(',\n')}\n  ]`,
  );
}

describe('adversarial: nesting', () => {
  const deep = 100_000;
  const texts: [string, string][] = [
    ['arrays', `${'['.repeat(deep)}${']'.repeat(deep)}`],
    ['objects', `${'{"a":'.repeat(deep)}1${'}'.repeat(deep)}`],
    ['unclosed arrays in permissions', `{"permissions": ${'['.repeat(deep)}`],
    ['arrays and objects', `{"permissions": [${'{"purpose":['.repeat(deep / 2)}`],
  ];

  it('100 000 arrays with stray braces: the parser gives up early, so only its syntax errors', () => {
    // jsonc-parser stops at the first `}` it cannot place: one shallow array, nothing nested.
    const text = '[}'.repeat(deep);
    const { codes } = analyse(text);
    assert.ok(codes.length > 0);
    assert.deepEqual([...new Set(codes)], ['syntax-error']);
  });
  for (const [what, text] of texts) {
    it(`100 000 nested ${what}: one clear document-too-large (too-deep), no stack overflow`, () => {
      const service = createManifestLanguageService();
      const { diagnostics } = analyse(text, service);
      assert.deepEqual(diagnostics.map(summary), [
        {
          code: 'document-too-large',
          message: 'File not analysed: nested too deeply to parse.',
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
          data: { reason: 'too-deep', limit: MAX_NESTING_DEPTH },
        },
      ]);
      assertNotAnalysed(service, text, /nested too deeply to edit/);
      // Still alive: the same service analyses a normal manifest next.
      assert.deepEqual(
        analyse(manifestWith('[{ "permission": "customers_read" }]'), service).codes,
        ['missing-purpose', 'unknown-permission'],
      );
    });
  }

  it(`${MAX_NESTING_DEPTH} levels are analysed, with every feature; one more is not`, () => {
    const nested = (levels: number): string =>
      manifestWith(`[{ "permission": "customer_read", "purpose": "${GOOD_PURPOSE}" }]`).replace(
        '"ui_extension": { "views": [] }',
        `"ui_extension": ${'['.repeat(levels)}${']'.repeat(levels)}`,
      );
    // The root object is one level.
    const deepest = nested(MAX_NESTING_DEPTH - 1);
    const service = createManifestLanguageService();
    assert.deepEqual(analyse(deepest, service).codes, []);
    exerciseEverything(service, deepest, { offsets: probeOffsets(deepest, 60, 1) });
    const document = doc(deepest);
    const grant = service.grant(
      document,
      service.parseManifest(document),
      'charge_read',
      GOOD_PURPOSE,
    );
    assert.equal(grant.status, 'granted');
    const granted = doc(checkAndApply(document, grant.edits, 'grant'), 2);
    const revoke = service.revoke(granted, service.parseManifest(granted), 'charge_read');
    assert.equal(checkAndApply(granted, revoke.edits, 'revoke'), deepest);

    assert.deepEqual(analyse(nested(MAX_NESTING_DEPTH), service).codes, ['document-too-large']);
  });
});

describe('adversarial: size', () => {
  it('a 50 MB manifest: one clear document-too-large (too-large), answered at once', () => {
    const entry = `{ "permission": "customer_read", "purpose": "${GOOD_PURPOSE}" }`;
    const count = Math.ceil((50 * 1024 * 1024) / (entry.length + 6));
    const text = entriesText(count, () => entry);
    assert.ok(text.length > 50 * 1024 * 1024);
    const service = createManifestLanguageService();
    const started = performance.now();
    const { diagnostics } = analyse(text, service);
    assertNotAnalysed(service, text, /too large to edit \(\d+ characters; the limit is 10485760\)/);
    const elapsed = performance.now() - started;
    assert.deepEqual(
      diagnostics.map(summary).map(({ code, message, data }) => ({ code, message, data })),
      [
        {
          code: 'document-too-large',
          message: `File not analysed: ${text.length.toLocaleString('en-US')} characters, over stripeApps.maxDocumentSize (10,485,760).`,
          data: { reason: 'too-large', size: text.length, limit: 10 * 1024 * 1024 },
        },
      ],
    );
    // Nothing is parsed, so no hang (speed itself is the benchmark's to measure).
    assert.ok(elapsed < 10_000, `took ${Math.round(elapsed)} ms`);
  });

  it('a closed document is forgotten: the cache does not keep its text', () => {
    const service = createManifestLanguageService();
    const big = doc(`{"permissions": [], "x": "${'x'.repeat(11 * 1024 * 1024)}"}`);
    const first = service.parseManifest(big);
    assert.equal(service.parseManifest(big), first, 'cached while open');
    service.forget(big.uri);
    assert.notEqual(service.parseManifest(big), first, 'parsed afresh after forget');
  });

  it('a 1 MB manifest on one line is analysed: exact duplicates, ranges far along the line', () => {
    const names = catalog.permissions.map((info) => info.name);
    const entries: { permission: string; purpose: string }[] = [];
    let length = 0;
    while (length < 1024 * 1024) {
      const permission = names[entries.length % names.length] ?? 'customer_read';
      const entry = { permission, purpose: `${GOOD_PURPOSE} (${entries.length})` };
      entries.push(entry);
      length += JSON.stringify(entry).length + 1;
    }
    const text = JSON.stringify({ id: 'com.example.app', version: '1.0.0', permissions: entries });
    assert.ok(text.length > 1024 * 1024 && !text.includes('\n'));
    const service = createManifestLanguageService(ALL_PROBLEMS);
    const started = performance.now();
    const { diagnostics, document } = analyse(text, service);
    const elapsed = performance.now() - started;
    const duplicates = diagnostics.filter((d) => d.code === 'duplicate-permission');
    assert.equal(duplicates.length, entries.length - names.length);
    assert.ok(elapsed < 10_000, `analysis took ${Math.round(elapsed)} ms`);

    // The last entry's name: hover and completion answer with its exact range on line 0.
    const last = entries[entries.length - 1];
    assert.ok(last);
    const needle = `"permission":${JSON.stringify(last.permission)}`;
    const start = text.lastIndexOf(needle) + '"permission":'.length;
    const manifest = service.parseManifest(document);
    const range = {
      start: { line: 0, character: start },
      end: { line: 0, character: start + last.permission.length + 2 },
    };
    assert.ok(range.start.character > 1_000_000);
    const hover = service.doHover(document, { line: 0, character: start + 3 }, manifest);
    assert.deepEqual(hover?.range, range);
    const completion = service.doComplete(document, { line: 0, character: start + 3 }, manifest);
    const item = completion.items[0];
    assert.ok(item?.textEdit && 'range' in item.textEdit);
    assert.deepEqual(item.textEdit.range, range);
  });

  it('10 000 entries with the same name: 9 999 duplicates, found in linear time; revoke takes all', () => {
    const entry = (i: number): string =>
      `{ "permission": "customer_read", "purpose": "${GOOD_PURPOSE} ${i}" }`;
    const small = entriesText(1000, entry);
    const large = entriesText(10_000, entry);
    const service = createManifestLanguageService(ALL_PROBLEMS);
    const { diagnostics, document } = analyse(large, service);
    assert.equal(diagnostics.length, 9_999);
    assert.ok(diagnostics.every((d) => d.code === 'duplicate-permission'));
    // Each points back at the first entry, on line 6.
    assert.ok(diagnostics.every((d) => d.relatedInformation?.[0]?.location.range.start.line === 6));
    // Linear: ten times the entries may cost ten times the time, not a hundred (slack for noise).
    const validateTime = (text: string): number =>
      fastest(() => {
        const fresh = createManifestLanguageService(ALL_PROBLEMS);
        const d = doc(text);
        fresh.doValidation(d, fresh.parseManifest(d));
      });
    const ratio = validateTime(large) / Math.max(1, validateTime(small));
    // Quadratic would be 100×; the slack absorbs a loaded machine's noise.
    assert.ok(ratio < 60, `10 000 entries took ${ratio.toFixed(1)}× as long as 1 000`);

    const manifest = service.parseManifest(document);
    const lenses = service.getCodeLenses(document, manifest);
    assert.equal(lenses[0]?.command?.title, '1 permission (1 read, 0 write)');
    const started = performance.now();
    const revoke = service.revoke(document, manifest, 'customer_read');
    assert.equal(revoke.removed, 10_000);
    assert.equal(checkAndApply(document, revoke.edits, 'revoke'), manifestWith('[]'));
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 5000, `revoke took ${Math.round(elapsed)} ms`);

    // Fix-all (no safe fix here: the purposes differ) answers promptly, changing nothing.
    const fixStarted = performance.now();
    assert.deepEqual(service.getFixAllEdits(document, manifest), []);
    const fixElapsed = performance.now() - fixStarted;
    assert.ok(fixElapsed < 10_000, `fix-all took ${Math.round(fixElapsed)} ms`);
  });

  it('10 000 identical entries: fix-all removes duplicates within its work budget', () => {
    const entry = `{ "permission": "customer_read", "purpose": "${GOOD_PURPOSE}" }`;
    const text = entriesText(10_000, () => entry);
    const service = createManifestLanguageService();
    const document = doc(text);
    const started = performance.now();
    const edits = service.getFixAllEdits(document, service.parseManifest(document));
    const elapsed = performance.now() - started;
    const value = assertParses(checkAndApply(document, edits, 'fix all'), 'fix all');
    const left = (value as { permissions: unknown[] }).permissions.length;
    assert.ok(left < 10_000 && left >= 1, `${left} entries left`);
    assert.ok(elapsed < 10_000, `fix-all took ${Math.round(elapsed)} ms`);
  });

  it('quick fixes for a selection over 2 000 diagnostics: the first ones, promptly', () => {
    const names = catalog.permissions.map((info) => info.name);
    const text = entriesText(2000, (i) => {
      const name = i % 3 === 0 ? 'customers_read' : (names[(i * 7919) % names.length] ?? '');
      return `{ "permission": "${name}", "purpose": "Lists things for the drawer ${i}." }`;
    });
    const service = createManifestLanguageService(ALL_PROBLEMS);
    const document = doc(text);
    const manifest = service.parseManifest(document);
    const diagnostics = service.doValidation(document, manifest);
    assert.ok(diagnostics.length > 2000);
    const started = performance.now();
    const actions = service.getCodeActions(
      document,
      { start: { line: 0, character: 0 }, end: document.positionAt(text.length) },
      { diagnostics, only: [CodeActionKind.QuickFix] },
      manifest,
    );
    const elapsed = performance.now() - started;
    // It took 27 s before the work per request was bounded.
    assert.ok(elapsed < 5000, `took ${Math.round(elapsed)} ms`);
    assert.ok(actions.length > 0);
    // The fixes answered are those of the first diagnostics, in order.
    const fixed = actions.map((action) => {
      const [diagnostic] = action.diagnostics ?? [];
      return diagnostic ? diagnostics.indexOf(diagnostic) : -1;
    });
    assert.deepEqual(
      fixed,
      [...fixed].sort((a, b) => a - b),
    );
    assert.equal(fixed[0], 0);
  });

  it('a purpose of 1 MB: long-purpose and purpose-whitespace, short messages, every feature', () => {
    const purpose = 'Shows the charges. '.repeat(55_200);
    assert.ok(purpose.length > 1024 * 1024);
    const text = manifestWith(
      `[{ "permission": "charge_read", "purpose": ${JSON.stringify(purpose)} }]`,
    );
    const service = createManifestLanguageService();
    const started = performance.now();
    const { diagnostics, document } = analyse(text, service);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['long-purpose', 'purpose-whitespace'],
    );
    const purposeStart = text.indexOf('"Shows') + 1;
    // long-purpose marks what is past the limit (300 characters).
    assert.deepEqual(diagnostics[0]?.range, {
      start: document.positionAt(purposeStart + 300),
      end: document.positionAt(purposeStart + purpose.length - 1),
    });
    assert.ok(diagnostics.every((d) => messageOf(d).length <= 1000));
    exerciseEverything(service, text, { offsets: probeOffsets(text, 12, 3) });
    const findings = service.checkPurpose('charge_read', purpose);
    assert.deepEqual(
      findings.map((finding) => finding.code),
      ['long-purpose', 'purpose-whitespace'],
    );
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 20_000, `took ${Math.round(elapsed)} ms`);
  });

  it('a 1 MB purpose of control characters and escape sequences is scanned in linear time', () => {
    const purpose = ' TODO \u001b[5m a\u0007 '.repeat(60_000);
    const service = createManifestLanguageService();
    const started = performance.now();
    const findings = service.checkPurpose('charge_read', purpose);
    const elapsed = performance.now() - started;
    assert.deepEqual(findings.map((finding) => finding.code).sort(), [
      'long-purpose',
      'placeholder-purpose',
      'purpose-control-characters',
      'purpose-whitespace',
    ]);
    assert.ok(findings.every((finding) => finding.message.length <= 1000));
    // It took 30 s before the scan was linear.
    assert.ok(elapsed < 5000, `took ${Math.round(elapsed)} ms`);
  });

  it('a permission name of 1 MB: the message quotes its start and end, not all of it', () => {
    const name = `${'charge_'.repeat(150_000)}read`;
    const text = manifestWith(`[{ "permission": "${name}", "purpose": "${GOOD_PURPOSE}" }]`);
    const { diagnostics } = analyse(text);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['unknown-permission'],
    );
    const message = messageOf(diagnostics[0]);
    assert.ok(message.length <= 1000, `${message.length} characters`);
    assert.match(message, /^Unknown permission "charge_charge_/);
    assert.match(message, / … [a-z_]+_read": did you mean "charge_read"\?$/);
  });
});

describe('adversarial: characters', () => {
  it('NUL bytes in a name and a purpose: syntax errors, the name unknown, the controls flagged', () => {
    const text =
      '{"permissions": [{"permission": "charge_read\u0000", "purpose": "Lists\u0000 the charges of a customer."}]}\u0000';
    const { codes } = analyse(text);
    assert.deepEqual(codes, [
      'syntax-error',
      'unknown-permission',
      'syntax-error',
      'purpose-control-characters',
      'syntax-error',
    ]);
    exerciseEverything(createManifestLanguageService(), text);
  });

  it('binary garbage (seeded random bytes read as UTF-8 and Latin-1) through every feature', () => {
    let state = 0x5eed;
    const next = (): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state >>> 24;
    };
    const service = createManifestLanguageService();
    for (let round = 0; round < 6; round++) {
      const bytes = Buffer.from(Array.from({ length: 3000 }, next));
      for (const text of [bytes.toString('utf8'), bytes.toString('latin1')]) {
        exerciseEverything(service, text, { offsets: probeOffsets(text, 80, round) });
        // Glued to a real manifest: the manifest part is still judged.
        const glued = `${manifestWith(`[{ "permission": "customers_read", "purpose": "${GOOD_PURPOSE}" }]`)}${text}`;
        exerciseEverything(service, glued, { offsets: probeOffsets(glued, 40, round) });
        assert.ok(analyse(glued, service).codes.includes('unknown-permission'));
      }
    }
  });

  it('a UTF-8 byte order mark: analysed as if absent (as the CLI does), ranges shifted by one', () => {
    const plain = manifestWith(`[
    { "permission": "customers_read", "purpose": "test" }
  ]`);
    const withBom = `\ufeff${plain}`;
    const service = createManifestLanguageService();
    const a = analyse(plain, service);
    const b = analyse(withBom, createManifestLanguageService());
    // No syntax error for the mark; the same findings; only line 0 would shift (none is there).
    assert.deepEqual(b.codes, ['unknown-permission', 'placeholder-purpose']);
    assert.deepEqual(b.diagnostics, a.diagnostics);
    // Hover and completion as without the mark.
    const position = { line: 6, character: 26 };
    const bomDocument = doc(withBom);
    const manifest = service.parseManifest(bomDocument);
    const plainManifest = service.parseManifest(a.document);
    const hover = service.doHover(bomDocument, position, manifest);
    assert.ok(hover);
    assert.deepEqual(hover, service.doHover(a.document, position, plainManifest));
    const completion = service.doComplete(bomDocument, position, manifest);
    // The names matching the word at the cursor (ranked for it since issue 12), as without it.
    assert.ok(completion.items.length > 0);
    assert.deepEqual(completion, service.doComplete(a.document, position, plainManifest));
    // Grant and revoke work and keep the mark.
    const grant = service.grant(bomDocument, manifest, 'charge_read', GOOD_PURPOSE);
    assert.equal(grant.status, 'granted');
    const granted = checkAndApply(bomDocument, grant.edits, 'grant');
    assert.ok(granted.startsWith('\ufeff{'));
    const next = doc(granted, 2);
    const revoke = service.revoke(next, service.parseManifest(next), 'charge_read');
    assert.equal(checkAndApply(next, revoke.edits, 'revoke'), withBom);
    // A mark anywhere else is not white space.
    assert.deepEqual(analyse(`{\ufeff"permissions": []}`).codes, ['syntax-error']);
  });

  it('lone surrogates: escaped in messages, replaced in hovers, positions valid', () => {
    const text = manifestWith(
      `[{ "permission": "\ud800x", "purpose": "\udfff${GOOD_PURPOSE}" }, { "permission": "\\ud800", "purpose": "${GOOD_PURPOSE}" }]`,
    );
    const service = createManifestLanguageService();
    const { diagnostics, document } = analyse(text, service);
    const ending = ': remove it, or allow it in settings.';
    assert.deepEqual(
      diagnostics.map((d) => [
        d.code,
        messageOf(d),
        d.range.start.character,
        d.range.end.character,
      ]),
      [
        ['unknown-permission', `Unknown permission "\\ud800x"${ending}`, 34, 38],
        ['unknown-permission', `Unknown permission "\\ud800"${ending}`, 121, 129],
      ],
    );
    const manifest = service.parseManifest(document);
    const hover = service.doHover(
      document,
      document.positionAt(text.indexOf('\ud800x') + 1),
      manifest,
    );
    const value = (hover?.contents as MarkupContent | undefined)?.value ?? '';
    assert.match(value, /^\*\*Unknown permission\*\* \uFFFDx\n/);
    assert.doesNotMatch(value, /[\uD800-\uDFFF]/);
    exerciseEverything(service, text);
  });

  it('a hover never truncates through a surrogate pair', () => {
    // "Permission " + 187 letters puts the emoji's first half where the hover cuts the text.
    const name = `${'a'.repeat(187)}\u{1F600}${'b'.repeat(20)}`;
    const text = manifestWith(`[{ "permission": "${name}", "purpose": "${GOOD_PURPOSE}" }]`);
    const service = createManifestLanguageService();
    const document = doc(text);
    const hover = service.doHover(
      document,
      document.positionAt(text.indexOf(name) + 3),
      service.parseManifest(document),
    );
    const value = (hover?.contents as MarkupContent | undefined)?.value ?? '';
    assert.match(value, /\*\*Permission a{187}…\*\*/);
    assert.doesNotMatch(
      value,
      /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/,
    );
  });

  for (const [what, eol] of [
    ['CRLF', '\r\n'],
    ['CR-only', '\r'],
  ] as const) {
    it(`${what} line endings: the same ranges as LF; edits keep the line ending`, () => {
      const lf = manifestWith(`[
    { "permission": "customers_read", "purpose": "test" }
  ]`);
      const text = lf.replace(/\n/g, eol);
      const service = createManifestLanguageService();
      const expected = analyse(lf, service).diagnostics.map((d) => [d.code, d.range]);
      const { diagnostics, document } = analyse(text, service);
      assert.deepEqual(
        diagnostics.map((d) => [d.code, d.range]),
        expected,
      );
      assert.deepEqual(diagnostics[0]?.range, {
        start: { line: 6, character: 20 },
        end: { line: 6, character: 36 },
      });
      const manifest = service.parseManifest(document);
      const grant = service.grant(document, manifest, 'charge_read', GOOD_PURPOSE);
      const granted = checkAndApply(document, grant.edits, 'grant');
      assert.equal(granted.replace(new RegExp(eol, 'g'), ''), granted.replace(/\r\n|\r|\n/g, ''));
      assert.equal(granted.split(eol).length, text.split(eol).length + 1);
      const fixed = checkAndApply(document, service.getFixAllEdits(document, manifest), 'fix all');
      assert.equal(fixed, text.replace('customers_read', 'customer_read'));
      exerciseEverything(service, text);
    });
  }

  it('CR-only with an empty "permissions": the granted entry gets CR line breaks too', () => {
    const text = manifestWith('[]').replace(/\n/g, '\r');
    const service = createManifestLanguageService();
    const document = doc(text);
    const grant = service.grant(
      document,
      service.parseManifest(document),
      'charge_read',
      GOOD_PURPOSE,
    );
    const granted = checkAndApply(document, grant.edits, 'grant');
    assert.ok(!granted.includes('\n'), JSON.stringify(granted));
    assert.equal(
      granted,
      text.replace(
        '"permissions": []',
        `"permissions": [\r    {\r      "permission": "charge_read",\r      "purpose": "${GOOD_PURPOSE}"\r    }\r  ]`,
      ),
    );
  });

  it('a purpose update between two emoji of one surrogate block: the edit keeps pairs whole', () => {
    // U+16800 and U+16801 share their high surrogate: a character-wise common prefix would end
    // between the two halves of the first emoji.
    const text = manifestWith(
      '[{ "permission": "charge_read", "purpose": "\u{16800} lists charges" }]',
    );
    const service = createManifestLanguageService();
    const document = doc(text);
    const purpose = '\u{16801} lists charges';
    const grant = service.grant(document, service.parseManifest(document), 'charge_read', purpose);
    assert.equal(grant.status, 'updated');
    const start = text.indexOf('\u{16800}');
    assert.deepEqual(grant.edits, [
      {
        range: { start: document.positionAt(start), end: document.positionAt(start + 2) },
        newText: '\u{16801}',
      },
    ]);
    assert.equal(
      checkAndApply(document, grant.edits, 'grant'),
      text.replace('\u{16800}', '\u{16801}'),
    );
  });

  it('emoji and combining characters before a permission on its line: exact UTF-16 ranges', () => {
    // Line 2: 4 spaces, `{ "purpose": "` (14), a family emoji (8 UTF-16 units: 3 surrogate
    // pairs and 2 joiners), " e" + U+0301 (3), " café" (5), `", "permission": ` (17), then the
    // name at character 51: not 44 (graphemes) nor 48 (code points).
    const text =
      '{\n  "permissions": [\n    { "purpose": "\u{1F469}\u200D\u{1F469}\u200D\u{1F467} e\u0301 caf\u00e9", "permission": "customers_read" }\n  ]\n}\n';
    const service = createManifestLanguageService();
    const { diagnostics, document } = analyse(text, service);
    const name = { start: { line: 2, character: 51 }, end: { line: 2, character: 67 } };
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range]),
      [
        ['short-purpose', { start: { line: 2, character: 18 }, end: { line: 2, character: 34 } }],
        ['unknown-permission', name],
      ],
    );
    const manifest = service.parseManifest(document);
    const inside = { line: 2, character: 55 };
    assert.deepEqual(service.doHover(document, inside, manifest)?.range, name);
    const item = service.doComplete(document, inside, manifest).items[0];
    assert.ok(item?.textEdit && 'range' in item.textEdit);
    assert.deepEqual(item.textEdit.range, name);
    const fix = service
      .getCodeActions(
        document,
        name,
        { diagnostics: diagnostics.slice(1, 2), only: [CodeActionKind.QuickFix] },
        manifest,
      )
      .find((action) => action.isPreferred === true);
    assert.deepEqual(fix?.edit?.changes?.[document.uri], [
      {
        range: { start: { line: 2, character: 60 }, end: { line: 2, character: 61 } },
        newText: '',
      },
    ]);
  });
});

describe('adversarial: wrong shapes', () => {
  const shapes: [string, string][] = [
    ['a string', '"charge_read"'],
    ['a number', '42'],
    ['null', 'null'],
    ['an object', '{ "permission": "charge_read", "purpose": "Lists the charges." }'],
    ['true', 'true'],
  ];
  for (const [what, value] of shapes) {
    it(`"permissions" as ${what}: permissions-not-array on the value; grant and revoke refuse`, () => {
      const text = manifestWith(value);
      const service = createManifestLanguageService();
      const { diagnostics, document } = analyse(text, service);
      const start = text.indexOf(value);
      assert.deepEqual(
        diagnostics.map((d) => [d.code, d.range]),
        [
          [
            'permissions-not-array',
            { start: document.positionAt(start), end: document.positionAt(start + value.length) },
          ],
        ],
      );
      const manifest = service.parseManifest(document);
      assert.deepEqual(service.getCodeLenses(document, manifest), []);
      assert.deepEqual(service.grant(document, manifest, 'charge_read', GOOD_PURPOSE), {
        status: 'invalid',
        edits: [],
        message: 'Cannot grant charge_read: "permissions" is not an array; make it one first.',
      });
      assert.equal(
        service.revoke(document, manifest, 'charge_read').message,
        'Cannot revoke charge_read: "permissions" is not an array.',
      );
      exerciseEverything(service, text);
    });
  }

  it('entries as arrays, numbers, null, booleans and strings: invalid-permission-entry each', () => {
    const items = ['["charge_read"]', '42', 'null', 'true', '"charge_read"'];
    const text = manifestWith(`[${items.join(', ')}]`);
    const service = createManifestLanguageService();
    const { diagnostics, document } = analyse(text, service);
    let from = text.indexOf('"permissions"');
    const ranges = items.map((item) => {
      const start = text.indexOf(item, from);
      from = start + item.length;
      return { start: document.positionAt(start), end: document.positionAt(from) };
    });
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range]),
      ranges.map((range) => ['invalid-permission-entry', range]),
    );
    assert.equal(
      messageOf(diagnostics[4]),
      'Entry is a bare string: write { "permission": "charge_read", "purpose": "…" }.',
    );
    // Nothing is granted by them; a grant appends a proper entry.
    const manifest = service.parseManifest(document);
    assert.equal(service.revoke(document, manifest, 'charge_read').status, 'not-granted');
    const grant = service.grant(document, manifest, 'charge_read', GOOD_PURPOSE);
    const value = assertParses(checkAndApply(document, grant.edits, 'grant'), 'grant');
    assert.deepEqual((value as { permissions: unknown[] }).permissions, [
      ['charge_read'],
      42,
      null,
      true,
      'charge_read',
      { permission: 'charge_read', purpose: GOOD_PURPOSE },
    ]);
    exerciseEverything(service, text);
  });

  it('"permission" as a number, an object, a list or null: invalid-permission-entry on it', () => {
    const values = ['7', '{ "name": "charge_read" }', '["charge_read", "customer_read"]', 'null'];
    const text = manifestWith(
      `[${values.map((value) => `{ "permission": ${value}, "purpose": "${GOOD_PURPOSE}" }`).join(', ')}]`,
    );
    const service = createManifestLanguageService();
    const { diagnostics, document } = analyse(text, service);
    const ranges = values.map((value) => {
      const start = text.indexOf(`"permission": ${value}`) + '"permission": '.length;
      return { start: document.positionAt(start), end: document.positionAt(start + value.length) };
    });
    assert.deepEqual(
      diagnostics.filter((d) => d.code !== 'reused-purpose').map((d) => [d.code, d.range]),
      ranges.map((range) => ['invalid-permission-entry', range]),
    );
    assert.equal(
      messageOf(diagnostics.find((d) => d.range.start.character === ranges[2]?.start.character)),
      '"permission" holds one name, not a list: one entry per permission.',
    );
    exerciseEverything(service, text);
  });

  it('a key repeated inside an entry: the last one counts (as JSON.parse), everywhere alike', () => {
    const text = manifestWith(`[
    { "permission": "charge_read", "permission": "customer_read", "purpose": "TODO", "purpose": "${GOOD_PURPOSE}" }
  ]`);
    const service = createManifestLanguageService();
    const { diagnostics, document } = analyse(text, service);
    // Judged on the last values: customer_read with a good purpose. The earlier keys are
    // reported (issue 12, point 19: this was no diagnostic at all before), as the CLI has no
    // JSON support of its own to say so.
    assert.deepEqual(
      diagnostics.map((d) => [
        d.code,
        text.slice(document.offsetAt(d.range.start), document.offsetAt(d.range.end)),
      ]),
      [
        ['duplicate-entry-property', '"permission"'],
        ['duplicate-entry-property', '"purpose"'],
      ],
    );
    assert.equal(
      document.offsetAt(diagnostics[0]?.range.start ?? { line: 0, character: 0 }),
      text.indexOf('"permission"'),
    );
    assert.equal(
      document.offsetAt(diagnostics[1]?.range.start ?? { line: 0, character: 0 }),
      text.indexOf('"purpose"'),
    );
    const manifest = service.parseManifest(document);
    assert.deepEqual([...manifest.granted.keys()], ['customer_read']);
    // Hover: the shadowed name has none; the counting one has its documentation.
    const shadowed = document.positionAt(text.indexOf('"charge_read"') + 2);
    const counting = document.positionAt(text.indexOf('"customer_read"') + 2);
    assert.equal(service.doHover(document, shadowed, manifest), null);
    assert.match(
      (service.doHover(document, counting, manifest)?.contents as MarkupContent).value,
      /^`customer_read` · \*\*read\*\* access/,
    );
    // charge_read is not granted: grant adds an entry; revoking customer_read removes the entry.
    assert.equal(service.revoke(document, manifest, 'charge_read').status, 'not-granted');
    assert.equal(service.grant(document, manifest, 'charge_read', GOOD_PURPOSE).status, 'granted');
    const revoke = service.revoke(document, manifest, 'customer_read');
    assert.equal(checkAndApply(document, revoke.edits, 'revoke'), manifestWith('[]'));
    exerciseEverything(service, text);
  });
});

describe('adversarial: hover markdown from user text', () => {
  const reference =
    '[Permissions reference](https://docs.stripe.com/stripe-apps/reference/permissions)';
  function hoverOn(name: string, settings?: Record<string, unknown>): string {
    const text = manifestWith(
      `[{ "permission": ${JSON.stringify(name)}, "purpose": "${GOOD_PURPOSE}" }]`,
    );
    const service = createManifestLanguageService(settings);
    const document = doc(text);
    const position = document.positionAt(text.indexOf(JSON.stringify(name)) + 1);
    const hover = service.doHover(document, position, service.parseManifest(document));
    const contents = hover?.contents as MarkupContent | undefined;
    assert.equal(contents?.kind, 'markdown');
    return contents.value;
  }

  it('a link to a command: URI is shown as escaped text (exact output)', () => {
    const name = '[click](command:workbench.action.terminal.new)';
    const escaped = '\\[click\\]\\(command\\:workbench\\.action\\.terminal\\.new\\)';
    assert.equal(
      hoverOn(name),
      [
        `**Unknown permission** ${escaped}`,
        `Not in the Stripe Apps permissions reference (${catalog.permissions.length} names), so upload fails with **Permission ${escaped} does not exist**.`,
        'If Stripe accepts this name for your account, add it to the `stripeApps.allowedPermissions` setting.',
        reference,
      ].join('\n\n'),
    );
  });

  it('a name allowed by the settings is shown as escaped text too (exact output)', () => {
    const name = '[ok](command:workbench.action.quit)';
    assert.equal(
      hoverOn(name, { allowedPermissions: [name] }),
      [
        '\\[ok\\]\\(command\\:workbench\\.action\\.quit\\) · allowed by your settings',
        'Not in the Stripe Apps permissions reference; the `stripeApps.allowedPermissions` setting accepts it.',
        reference,
      ].join('\n\n'),
    );
  });

  it('HTML is shown as escaped text (exact output)', () => {
    const value = hoverOn('<img src=x onerror=alert(1)><a href="command:x">y</a>');
    assert.equal(
      value.split('\n\n')[0],
      '**Unknown permission** \\<img src\\=x onerror\\=alert\\(1\\)\\>\\<a href\\="command\\:x"\\>y\\</a\\>',
    );
  });

  const attempts = [
    '![img](https://evil.example/x.png)',
    '<https://evil.example>',
    'https://evil.example/path',
    'javascript:alert(1)',
    '[a]: command:workbench.action.quit',
    '# Heading\n- item\n> quote',
    '`code` **bold** _it_ ~~s~~',
    '\\](command:x)',
    '&lt;script&gt;',
    'a\u202eb\u2066c',
  ];
  for (const name of attempts) {
    it(`no live link, HTML, command URI or structure from ${JSON.stringify(name)}`, () => {
      const value = hoverOn(name);
      // The user's text, wherever it is quoted: no unescaped markdown or HTML character.
      const quoted = [
        /^\*\*Unknown permission\*\* (.*)$/m.exec(value)?.[1],
        /\*\*Permission (.*) does not exist\*\*/.exec(value)?.[1],
      ];
      for (const text of quoted) {
        assert.ok(text !== undefined);
        assert.doesNotMatch(text, /(?<!\\)[[\]()<>&:!*_`#~|]/);
      }
      // The only link is the reference's.
      assert.equal(value.split('](').length, 2);
      assert.ok(value.endsWith(reference));
      assert.ok(
        value.split('\n\n').every((paragraph) => !paragraph.includes('\n')),
        'a line break inside a paragraph',
      );
      assert.doesNotMatch(value, /[\u202a-\u202e\u2066-\u2069]/);
      // Title, explanation, (suggestions,) settings hint, reference: no paragraph of its own.
      const paragraphs = value.split('\n\n');
      assert.equal(paragraphs.length, value.includes('\n\nDid you mean ') ? 5 : 4);
    });
  }
});
