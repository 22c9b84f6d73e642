/**
 * Shared by the fuzz and adversarial tests: the corpus, checks that every range a feature
 * answers lies inside the document at valid UTF-16 positions, a driver that runs every feature
 * of the service on one text, and fast-check arbitraries for manifests in many layouts and for
 * mutations of real files.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { getNodeValue, parseTree, type ParseError } from 'jsonc-parser';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  type CompletionItem,
  type Diagnostic,
  type Position,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-types';
import { catalog, createManifestLanguageService } from '../../server/src/service';
import type { ManifestLanguageService } from '../../server/src/service';

export const MANIFEST_URI = 'file:///app/stripe-app.json';

/** `FUZZ_SEED` / `FUZZ_SCALE` (a multiplier of the run counts) reproduce or widen a run. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261126);
export const FUZZ_SCALE = Math.max(0.01, Number(process.env.FUZZ_SCALE ?? 1));

export function runs(count: number): number {
  return Math.max(1, Math.round(count * FUZZ_SCALE));
}

/**
 * `fc.assert` with the failure's own message in the error (node:test prints only the message,
 * and fast-check's names the counterexample but not what was wrong with it).
 */
export function assertProperty<Ts>(property: fc.IProperty<Ts>, numRuns: number): void {
  const details = fc.check(property, { seed: FUZZ_SEED, numRuns });
  if (!details.failed) return;
  const cause = details.errorInstance;
  const message = cause instanceof Error ? cause.message : String(cause);
  throw new Error(`${fc.defaultReportMessage(details) ?? 'property failed'}\n\nError: ${message}`);
}

// ---- the corpus ----------------------------------------------------------------------------

export { corpusFiles, corpusSkipReason } from '../support/corpus';

// ---- positions and ranges ------------------------------------------------------------------

export function doc(text: string, version = 1, uri = MANIFEST_URI): TextDocument {
  return TextDocument.create(uri, 'json', version, text);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** The offset of a position that must lie in the document and not split a surrogate pair. */
export function checkPosition(document: TextDocument, position: Position, what: string): number {
  assert.ok(
    Number.isInteger(position.line) && Number.isInteger(position.character),
    `${what}: ${JSON.stringify(position)} is not a position`,
  );
  assert.ok(
    position.line >= 0 && position.character >= 0 && position.line < document.lineCount,
    `${what}: ${JSON.stringify(position)} is outside the document (${document.lineCount} lines)`,
  );
  const offset = document.offsetAt(position);
  // offsetAt clamps a character past the end of its line: the round trip shows it.
  assert.deepEqual(
    document.positionAt(offset),
    position,
    `${what}: ${JSON.stringify(position)} is past the end of its line`,
  );
  assert.ok(
    !splitsSurrogatePair(document.getText(), offset),
    `${what}: ${JSON.stringify(position)} splits a surrogate pair`,
  );
  return offset;
}

/** Whether an offset lies between the two halves of a surrogate pair. */
export function splitsSurrogatePair(text: string, offset: number): boolean {
  return (
    offset > 0 &&
    isHighSurrogate(text.charCodeAt(offset - 1)) &&
    isLowSurrogate(text.charCodeAt(offset))
  );
}

export function checkRange(document: TextDocument, range: Range, what: string): void {
  const start = checkPosition(document, range.start, `${what} (start)`);
  const end = checkPosition(document, range.end, `${what} (end)`);
  assert.ok(start <= end, `${what}: ${JSON.stringify(range)} ends before it starts`);
}

/** Checks the edits' ranges, that they do not overlap, and answers the edited text. */
export function checkAndApply(
  document: TextDocument,
  edits: readonly TextEdit[],
  what: string,
): string {
  const spans = edits.map((edit, index) => {
    checkRange(document, edit.range, `${what} edit ${index}`);
    return { start: document.offsetAt(edit.range.start), end: document.offsetAt(edit.range.end) };
  });
  spans.sort((a, b) => a.start - b.start || a.end - b.end);
  for (let index = 1; index < spans.length; index++) {
    const previous = spans[index - 1];
    const span = spans[index];
    assert.ok(
      previous && span && previous.end <= span.start,
      `${what}: edits overlap (${JSON.stringify(previous)} and ${JSON.stringify(span)})`,
    );
  }
  return TextDocument.applyEdits(document, [...edits]);
}

/** The edits of a workspace edit for the document (and nothing for any other file). */
export function editsFor(document: TextDocument, edit: WorkspaceEdit | undefined): TextEdit[] {
  if (!edit) return [];
  const uris = Object.keys(edit.changes ?? {});
  assert.ok(
    uris.every((uri) => uri === document.uri),
    `an edit for another file: ${uris.join(', ')}`,
  );
  assert.equal(edit.documentChanges, undefined, 'the service answers plain changes');
  return edit.changes?.[document.uri] ?? [];
}

// ---- parsing ---------------------------------------------------------------------------------

/** jsonc parse as the service does it (comments, trailing commas and a leading BOM allowed). */
export function parseJsonc(text: string): { value: unknown; errors: ParseError[] } {
  const errors: ParseError[] = [];
  const source = text.startsWith('\ufeff') ? ` ${text.slice(1)}` : text;
  const root = parseTree(source, errors, { allowTrailingComma: true, disallowComments: false });
  // Plain objects (jsonc-parser builds them without a prototype), for deepEqual.
  const value = root ? (JSON.parse(JSON.stringify(getNodeValue(root))) as unknown) : undefined;
  return { value, errors };
}

export function assertParses(text: string, what: string): unknown {
  const { value, errors } = parseJsonc(text);
  assert.deepEqual(
    errors.map((error) => error.error),
    [],
    `${what}: the result does not parse:\n${text}`,
  );
  return value;
}

// ---- every feature on one text ----------------------------------------------------------------

export interface ExerciseOptions {
  /** Where to ask for completion, hover and code actions (default: every offset). */
  readonly offsets?: readonly number[];
  /** Also run the edits (fix-all, sort, grant, revoke, quick fixes), checking their results. */
  readonly edits?: boolean;
}

export interface ExerciseResult {
  readonly diagnostics: Diagnostic[];
  /** How many feature calls were made. */
  readonly calls: number;
}

/** Offsets to probe in a text: all of them when short, else a spread plus every quote. */
export function probeOffsets(text: string, limit: number, seed: number): number[] {
  if (text.length <= limit) return Array.from({ length: text.length + 1 }, (_, i) => i);
  const offsets = new Set<number>([0, text.length]);
  let state = seed >>> 0 || 1;
  const quotes: number[] = [];
  for (let index = 0; index < text.length; index++) {
    if (text.charCodeAt(index) === 0x22) quotes.push(index);
  }
  while (offsets.size < limit) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const pick = state % 3;
    if (pick === 0 && quotes.length > 0) {
      const quote = quotes[state % quotes.length] ?? 0;
      offsets.add(Math.min(text.length, quote + ((state >>> 8) % 3)));
    } else {
      offsets.add((state >>> 4) % (text.length + 1));
    }
  }
  return [...offsets].sort((a, b) => a - b);
}

/**
 * Runs every feature of the service on `text`; asserts that nothing throws (the caller sees the
 * exception), that every range lies in the document at valid positions and that every edit set
 * applies. Answers the diagnostics.
 */
export function exerciseEverything(
  service: ManifestLanguageService,
  text: string,
  options: ExerciseOptions = {},
): ExerciseResult {
  const document = doc(text);
  const manifest = service.parseManifest(document);
  let calls = 1;
  const diagnostics = service.doValidation(document, manifest);
  const withSyntax = service.doValidation(document, manifest, { syntaxErrors: true });
  calls += 2;
  for (const diagnostic of [...diagnostics, ...withSyntax]) {
    checkRange(document, diagnostic.range, `diagnostic ${String(diagnostic.code)}`);
    for (const related of diagnostic.relatedInformation ?? []) {
      assert.equal(related.location.uri, document.uri);
      checkRange(document, related.location.range, `related of ${String(diagnostic.code)}`);
    }
  }
  for (const lens of service.getCodeLenses(document, manifest)) {
    checkRange(document, lens.range, 'code lens');
  }
  calls++;

  const offsets = options.offsets ?? probeOffsets(text, Number.POSITIVE_INFINITY, 1);
  let resolved = 0;
  for (const offset of offsets) {
    const position = document.positionAt(offset);
    // No editor puts the cursor inside a surrogate pair; asked there anyway, the features must
    // not throw, but their ranges may echo the position.
    const check = !splitsSurrogatePair(text, offset);
    const list = service.doComplete(document, position, manifest);
    calls++;
    for (const item of list.items) {
      if (check) checkCompletionItem(document, item);
      // Resolve a few (it is a catalog look-up, the same for every offset).
      if (resolved < 20) {
        const full = service.doResolve(item);
        calls++;
        resolved++;
        assert.equal(full.label, item.label);
      }
    }
    const hover = service.doHover(document, position, manifest);
    calls++;
    if (hover) {
      if (hover.range && check) checkRange(document, hover.range, 'hover');
      assert.equal(typeof hover.contents, 'object');
    }
    const range: Range = { start: position, end: position };
    const overlapping = diagnostics.filter(
      (diagnostic) =>
        document.offsetAt(diagnostic.range.start) <= offset &&
        offset <= document.offsetAt(diagnostic.range.end),
    );
    const actions = service.getCodeActions(
      document,
      range,
      { diagnostics: overlapping, only: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
      manifest,
    );
    calls++;
    for (const action of actions) {
      const edits = editsFor(document, action.edit);
      if (check) checkAndApply(document, edits, `code action "${action.title}"`);
    }
  }

  if (options.edits !== false) {
    const fixAll = service.getFixAllEdits(document, manifest);
    const sorted = service.getSortEntriesEdits(document, manifest);
    calls += 2;
    const wasClean = manifest.syntaxErrors.length === 0 && manifest.limit === undefined;
    for (const [what, edits] of [
      ['fix all', fixAll],
      ['sort', sorted],
    ] as const) {
      const after = checkAndApply(document, edits, what);
      if (edits.length > 0) {
        assert.ok(wasClean, `${what} edited a document with syntax errors`);
        assertParses(after, what);
      }
    }
    const granted = [...manifest.granted.keys()];
    const names = ['charge_read', granted[0] ?? 'customer_read', 'not_a_permission_x'];
    for (const name of names) {
      const grant = service.grant(document, manifest, name, 'Shows the charges in the drawer.', {
        force: true,
      });
      const revoke = service.revoke(document, manifest, name);
      calls += 2;
      for (const [what, result] of [
        [`grant ${name}`, grant],
        [`revoke ${name}`, revoke],
      ] as const) {
        const after = checkAndApply(document, result.edits, what);
        if (result.edits.length > 0) assertParses(after, what);
        assert.equal(typeof result.message, 'string');
      }
    }
  }
  const purpose = manifest.entries[0]?.purposeTexts[0]?.text ?? 'x';
  service.checkPurpose(manifest.entries[0]?.name ?? 'charge_read', purpose, manifest);
  service.suggestPurpose(manifest.entries[0]?.name ?? 'charge_read', manifest);
  calls += 2;
  return { diagnostics, calls };
}

function checkCompletionItem(document: TextDocument, item: CompletionItem): void {
  const edit = item.textEdit;
  if (edit) {
    if ('range' in edit) {
      checkRange(document, edit.range, `completion ${item.label}`);
    } else {
      checkRange(document, edit.insert, `completion ${item.label} (insert)`);
      checkRange(document, edit.replace, `completion ${item.label} (replace)`);
    }
  }
  for (const extra of item.additionalTextEdits ?? []) {
    checkRange(document, extra.range, `completion ${item.label} (additional edit)`);
  }
}

/** Two fresh services agree on the diagnostics of a text (with and without syntax errors). */
export function assertDeterministic(text: string): void {
  const first = createManifestLanguageService();
  const second = createManifestLanguageService();
  const a = doc(text);
  const b = doc(text);
  assert.deepEqual(
    second.doValidation(b, second.parseManifest(b), { syntaxErrors: true }),
    first.doValidation(a, first.parseManifest(a), { syntaxErrors: true }),
  );
}

// ---- mutations of real files ----------------------------------------------------------------

/** Characters that stress a JSON scanner and UTF-16 positions. */
export const NASTY_CHARACTERS = [
  '{',
  '}',
  '[',
  ']',
  ':',
  ',',
  '"',
  '\\',
  '/',
  '*',
  '\n',
  '\r',
  '\r\n',
  '\t',
  ' ',
  '\u0000',
  '\u001b',
  '\ufeff',
  '\u2028',
  '\ud83d\ude00',
  '\ud83d',
  '\ude00',
  'e\u0301',
  '\u200b',
  '0',
  '-',
  'e',
  'true',
  'null',
  '"permission"',
  '"purpose"',
  '"permissions"',
  '"charge_read"',
  '//',
  '/*',
  '*/',
];

export type Mutation =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'truncate'; at: number };

export function mutationArbitrary(): fc.Arbitrary<Mutation> {
  const at = fc.double({ min: 0, max: 1, noNaN: true });
  return fc.oneof(
    fc.record({
      kind: fc.constant('delete' as const),
      at,
      length: fc.integer({ min: 1, max: 8 }),
    }),
    fc.record({
      kind: fc.constant('duplicate' as const),
      at,
      length: fc.integer({ min: 1, max: 40 }),
    }),
    fc.record({
      kind: fc.constant('insert' as const),
      at,
      text: fc.oneof(
        fc.constantFrom(...NASTY_CHARACTERS),
        fc.string({ unit: 'binary', maxLength: 4 }),
      ),
    }),
    fc.record({ kind: fc.constant('truncate' as const), at }),
  );
}

/** A property over real manifests with one to four mutations each (the file's index given too). */
export function mutatedCorpusProperty(
  corpus: readonly { readonly text: string }[],
  check: (text: string, index: number) => void,
): fc.IPropertyWithHooks<[number, Mutation[]]> {
  return fc.property(
    fc.nat({ max: corpus.length - 1 }),
    fc.array(mutationArbitrary(), { minLength: 1, maxLength: 4 }),
    (index, mutations) => {
      const file = corpus[index];
      assert.ok(file);
      check(mutations.reduce(mutate, file.text), index);
    },
  );
}

/** Applies a mutation; `at` is a fraction of the text length. */
export function mutate(text: string, mutation: Mutation): string {
  const at = Math.min(text.length, Math.floor(mutation.at * (text.length + 1)));
  switch (mutation.kind) {
    case 'delete':
      return text.slice(0, at) + text.slice(at + mutation.length);
    case 'duplicate':
      return text.slice(0, at + mutation.length) + text.slice(at);
    case 'insert':
      return text.slice(0, at) + mutation.text + text.slice(at);
    case 'truncate':
      return text.slice(0, at);
  }
}

// ---- manifests in many layouts ----------------------------------------------------------------

export interface Layout {
  /** One indentation step; '' writes the whole manifest on one line. */
  readonly indent: string;
  readonly eol: '\n' | '\r\n' | '\r';
  readonly trailingCommas: boolean;
  readonly comments: boolean;
  readonly finalNewline: boolean;
  /** Entries on one line each (`{ "permission": …, "purpose": … }`) or one property per line. */
  readonly inlineEntries: boolean;
  /** The whole `permissions` array on one line. */
  readonly inlineArray: boolean;
  readonly purposeFirst: boolean;
  readonly colon: string;
}

export type PurposeSpec = string | { readonly [locale: string]: string } | undefined;

export interface EntrySpec {
  readonly permission: string;
  readonly purpose: PurposeSpec;
  /** Written as is instead (an entry of the wrong shape). */
  readonly raw?: string;
}

export interface ManifestSpec {
  readonly layout: Layout;
  readonly appName: string;
  /** undefined: no `permissions` key at all. */
  readonly entries: readonly EntrySpec[] | undefined;
  /** Other top-level properties after `permissions`. */
  readonly after: boolean;
  /** A comment as the only content of an empty `permissions` array. */
  readonly commentInEmptyArray: boolean;
}

export const layoutArbitrary: fc.Arbitrary<Layout> = fc.record({
  indent: fc.constantFrom('  ', '    ', '\t', '   ', ''),
  eol: fc.constantFrom('\n' as const, '\r\n' as const, '\r' as const),
  trailingCommas: fc.boolean(),
  comments: fc.boolean(),
  finalNewline: fc.boolean(),
  inlineEntries: fc.boolean(),
  inlineArray: fc.boolean(),
  purposeFirst: fc.boolean(),
  colon: fc.constantFrom(': ', ':', ' : '),
});

const WORDS = [
  'Shows',
  'the',
  'customer',
  'charges',
  'in',
  'drawer',
  'and',
  'lists',
  'refunds',
  'for',
  'support',
  'agents',
  'café',
  'naïve',
  '日本語',
  'Ελληνικά',
  '🚀',
  '👩‍👩‍👧',
  '🇫🇷',
  'e\u0301',
  '"quoted"',
  'back\\slash',
  'tab\there',
  '<b>html</b>',
  '[link](command:workbench.action.quit)',
];

/** Purposes: plain sentences, sentences with unicode and emoji, and arbitrary graphemes. */
export const purposeTextArbitrary: fc.Arbitrary<string> = fc.oneof(
  fc
    .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 12 })
    .map((words) => words.join(' ')),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
  fc.constantFrom('', ' ', 'TODO', 'test', 'Charge read', ' padded purpose text here ', 'x'),
);

const NAMES = catalog.permissions.map((info) => info.name);

/** Names: mostly catalog names, sometimes the misspellings and mistakes real files have. */
export const permissionNameArbitrary: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...NAMES) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'customers_read',
      'Customer_Read',
      ' charge_read ',
      'charge read',
      'elements_write',
      'mandate_read',
      'customer.created',
      'invoice.paid',
      'coupon_read, coupon_write',
      'payment_intents_read',
      'not_a_real_permission',
      '',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
);

const purposeSpecArbitrary: fc.Arbitrary<PurposeSpec> = fc.oneof(
  { weight: 8, arbitrary: purposeTextArbitrary },
  {
    weight: 1,
    arbitrary: fc
      .tuple(purposeTextArbitrary, purposeTextArbitrary)
      .map(([en, fr]) => ({ 'en-US': en, 'fr-FR': fr })),
  },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

/** Entries of the wrong shape, as real files have them. */
const RAW_ENTRIES = [
  '42',
  'null',
  'true',
  '"charge_read"',
  '["charge_read"]',
  '{}',
  '{ "permission": 5, "purpose": "Lists the charges here." }',
  '{ "permission": ["charge_read", "customer_read"], "purpose": "Lists the charges here." }',
  '{ "permission": null }',
  '{ "purpose": "Lists the charges of the customer." }',
  '{ "permission": "charge_read", "purpose": 7 }',
  '{ "permission": "charge_read", "purpose": { "en-US": 7 } }',
  '{ "permission": "charge_read", "purpose": {} }',
  '{ "permission": "charge_read", "purpose": "Lists the charges here.", "extra": true }',
  '{ "permission": "customers_read", "permission": "charge_read", "purpose": "TODO" }',
];

export const entryArbitrary: fc.Arbitrary<EntrySpec> = fc.oneof(
  {
    weight: 9,
    arbitrary: fc.record({ permission: permissionNameArbitrary, purpose: purposeSpecArbitrary }),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(...RAW_ENTRIES)
      .map((raw): EntrySpec => ({ permission: '', purpose: undefined, raw })),
  },
);

/** Entries with valid catalog names and purposes, for edit round trips. */
export const validEntryArbitrary: fc.Arbitrary<EntrySpec> = fc.record({
  permission: fc.constantFrom(...NAMES),
  purpose: purposeTextArbitrary.filter((text) => text.trim() !== ''),
});

export function manifestArbitrary(entry: fc.Arbitrary<EntrySpec>): fc.Arbitrary<ManifestSpec> {
  return fc.record({
    layout: layoutArbitrary,
    appName: fc.oneof(fc.constant('Example App'), fc.string({ unit: 'grapheme', maxLength: 12 })),
    entries: fc.oneof(
      { weight: 9, arbitrary: fc.array(entry, { maxLength: 8 }) },
      { weight: 1, arbitrary: fc.constant(undefined) },
    ),
    after: fc.boolean(),
    commentInEmptyArray: fc.boolean(),
  });
}

/** Writes a manifest in its layout. */
export function renderManifest(spec: ManifestSpec): string {
  const { layout } = spec;
  const oneLine = layout.indent === '';
  const eol = oneLine ? '' : layout.eol;
  const sep = oneLine ? ' ' : '';
  const ind = (level: number): string => layout.indent.repeat(level);
  const key = (name: string): string => `${JSON.stringify(name)}${layout.colon}`;
  const trailing = layout.trailingCommas ? ',' : '';

  const purposeText = (purpose: Exclude<PurposeSpec, undefined>): string =>
    typeof purpose === 'string'
      ? JSON.stringify(purpose)
      : `{ ${Object.entries(purpose)
          .map(([locale, text]) => `${key(locale)}${JSON.stringify(text)}`)
          .join(', ')} }`;

  const entryText = (entry: EntrySpec, level: number): string => {
    if (entry.raw !== undefined) return entry.raw;
    const fields: string[] = [`${key('permission')}${JSON.stringify(entry.permission)}`];
    if (entry.purpose !== undefined) {
      const purpose = `${key('purpose')}${purposeText(entry.purpose)}`;
      if (layout.purposeFirst) fields.unshift(purpose);
      else fields.push(purpose);
    }
    if (layout.inlineEntries || layout.inlineArray || oneLine) {
      return `{ ${fields.join(', ')}${layout.trailingCommas ? ',' : ''} }`;
    }
    const inner = fields.map((field) => `${ind(level + 1)}${field}`).join(`,${eol}`);
    return `{${eol}${inner}${trailing}${eol}${ind(level)}}`;
  };

  const properties: string[] = [
    `${key('id')}"com.example.app"`,
    `${key('version')}"1.0.0"`,
    `${key('name')}${JSON.stringify(spec.appName)}`,
  ];
  if (spec.entries !== undefined) {
    const entries = spec.entries;
    let array: string;
    if (entries.length === 0) {
      array = spec.commentInEmptyArray ? '[ /* none yet */ ]' : '[]';
    } else if (layout.inlineArray || oneLine) {
      const comment = layout.comments ? ' /* needed */' : '';
      array = `[${entries.map((entry) => entryText(entry, 0)).join(`,${comment} `)}${trailing}]`;
    } else {
      const lines = entries.map((entry, index) => {
        const last = index === entries.length - 1;
        const comma = last ? trailing : ',';
        const comment = layout.comments && index % 2 === 0 ? ' // why' : '';
        const above = layout.comments && index === 1 ? `${ind(2)}/* the rest */${eol}` : '';
        return `${above}${ind(2)}${entryText(entry, 2)}${comma}${comment}`;
      });
      array = `[${eol}${lines.join(eol)}${eol}${ind(1)}]`;
    }
    const comment = layout.comments && !oneLine ? `// What the app may do.${eol}${ind(1)}` : '';
    properties.push(`${comment}${key('permissions')}${array}`);
  }
  if (spec.after) properties.push(`${key('ui_extension')}{ ${key('views')}[] }`);
  const body = properties.map((property) => `${ind(1)}${property}`).join(`,${eol}${sep}`);
  const final = layout.finalNewline ? layout.eol : '';
  return `{${eol}${sep}${body}${trailing}${eol}${sep}}${final}`;
}
