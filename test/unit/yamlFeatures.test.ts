/**
 * Manifest v2 (`stripe-app.yaml`): every feature on every permission list (the app's and each
 * extension's), and every feature on hostile YAML (huge, invalid UTF-8, BOM, CRLF and CR, tabs,
 * several documents, deep nesting, alias bombs) returning in bounded time without throwing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  MarkupContent,
  type CodeAction,
  type Diagnostic,
} from 'vscode-languageserver-types';
import { ClientCommands } from '../../server/src/protocol';
import { createManifestLanguageService } from '../../server/src/service/languageService';
import { applyEdits, rangeOf } from './util';

const URI = 'file:///app/stripe-app.yaml';
const service = createManifestLanguageService();

function yamlDoc(text: string, version = 1): TextDocument {
  return TextDocument.create(URI, 'yaml', version, text);
}

function diagnosticsOf(text: string): { document: TextDocument; diagnostics: Diagnostic[] } {
  const document = yamlDoc(text);
  return { document, diagnostics: service.doValidation(document, service.parseManifest(document)) };
}

function quickFixes(text: string, diagnostic: Diagnostic): CodeAction[] {
  const document = yamlDoc(text);
  return service.getCodeActions(
    document,
    diagnostic.range,
    { diagnostics: [diagnostic], only: [CodeActionKind.QuickFix] },
    service.parseManifest(document),
  );
}

function applied(text: string, action: CodeAction | undefined): string {
  const edits = action?.edit?.changes?.[URI];
  assert.ok(edits, `${action?.title ?? 'no action'} has edits`);
  return applyEdits(yamlDoc(text), edits);
}

/** The app grants customer_read and invoice_read; extension "ext" grants `extension`. */
function twoLists(extension: string): string {
  return `id: com.example.app
name: Example App
declarations:
  stripe_api_access:
    permissions:
      - permission: customer_read
        purpose: Shows the customer's plan.
      - permission: invoice_read
        purpose: Lists the customer's invoices.
extensions:
  - id: ext
    permissions:
${extension}
`;
}

describe('manifest v2: rules on every list', () => {
  it('an unknown name in an extension list, its data naming the list', () => {
    const text = twoLists(
      '      - permission: invoce_read\n        purpose: Lists the invoices in the extension.',
    );
    const { document, diagnostics } = diagnosticsOf(text);
    assert.deepEqual(
      diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range, diagnostic.message]),
      [
        [
          'unknown-permission',
          rangeOf(document, 'invoce_read'),
          'Unknown permission "invoce_read": did you mean "invoice_read"?',
        ],
      ],
    );
    assert.deepEqual(diagnostics[0]?.data, {
      index: 0,
      list: ['extensions', 0, 'permissions'],
      name: 'invoce_read',
      suggestions: ['invoice_read'],
    });
  });

  it('a name of the app list again in an extension list is no duplicate; twice in one list is', () => {
    const again = twoLists(
      '      - permission: customer_read\n        purpose: Shows the plan in the extension.',
    );
    assert.deepEqual(diagnosticsOf(again).diagnostics, []);
    const twice = twoLists(
      [
        '      - permission: customer_read',
        '        purpose: Shows the plan in the extension.',
        '      - permission: customer_read',
        '        purpose: Shows the plan in the extension.',
      ].join('\n'),
    );
    const { document, diagnostics } = diagnosticsOf(twice);
    assert.deepEqual(
      diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range, diagnostic.message]),
      [
        [
          'duplicate-permission',
          rangeOf(document, 'customer_read', 2),
          'Duplicate of line 13: remove this entry.',
        ],
      ],
    );
    assert.deepEqual(diagnostics[0]?.data, {
      index: 1,
      list: ['extensions', 0, 'permissions'],
      name: 'customer_read',
      firstIndex: 0,
    });
    const [first] = diagnostics.at(0)?.relatedInformation ?? [];
    assert.deepEqual(first?.location.range, rangeOf(document, 'customer_read', 1));
  });

  it('purpose rules in an extension list, with exact spans in plain and quoted scalars', () => {
    const text = twoLists(
      [
        '      - permission: coupon_read',
        "        purpose: 'Shows the coupons.  '",
        '      - permission: charge_read',
        '        purpose: TODO',
      ].join('\n'),
    );
    const { document, diagnostics } = diagnosticsOf(text);
    assert.deepEqual(
      diagnostics.map((diagnostic) => [
        diagnostic.code,
        diagnostic.range,
        document.getText(diagnostic.range),
      ]),
      [
        [
          'purpose-whitespace',
          {
            start: document.positionAt(text.indexOf("coupons.  '") + 'coupons.'.length),
            end: document.positionAt(text.indexOf("coupons.  '") + 'coupons.  '.length),
          },
          '  ',
        ],
        ['placeholder-purpose', rangeOf(document, 'TODO'), 'TODO'],
      ],
    );
    assert.deepEqual(diagnostics[1]?.data, {
      index: 1,
      list: ['extensions', 0, 'permissions'],
      permission: 'charge_read',
      placeholder: 'TODO',
    });
  });

  it('v1 findings keep their data (no list named for the only list)', () => {
    const document = TextDocument.create(
      'file:///app/stripe-app.json',
      'json',
      1,
      '{ "permissions": [ { "permission": "invoce_read", "purpose": "Lists invoices." } ] }',
    );
    const [diagnostic] = service.doValidation(document, service.parseManifest(document));
    assert.deepEqual(diagnostic?.data, {
      index: 0,
      name: 'invoce_read',
      suggestions: ['invoice_read'],
    });
  });
});

describe('manifest v2: hover, code lens and fixes on extension lists', () => {
  it('hover on a name of an extension list and on its key', () => {
    const text = twoLists(
      '      - permission: invoce_read\n        purpose: Lists the invoices in the extension.',
    );
    const document = yamlDoc(text);
    const manifest = service.parseManifest(document);
    const onName = service.doHover(
      document,
      document.positionAt(text.indexOf('invoce_read') + 3),
      manifest,
    );
    assert.deepEqual(onName?.range, rangeOf(document, 'invoce_read'));
    assert.ok(MarkupContent.is(onName.contents));
    assert.match(onName.contents.value, /^\*\*Unknown permission\*\* `invoce_read`/);
    const key = text.lastIndexOf('permissions:');
    const onKey = service.doHover(document, document.positionAt(key + 2), manifest);
    assert.deepEqual(onKey?.range, rangeOf(document, 'permissions', 1));
    assert.ok(MarkupContent.is(onKey.contents));
    assert.match(onKey.contents.value, /^\*\*0 permissions, 1 invalid\*\* · extension "ext"\n/);
  });

  it('a count lens per list: the app list clickable, an extension list a label', () => {
    const text = twoLists(
      '      - permission: coupon_read\n        purpose: Shows the coupons in the extension.',
    );
    const document = yamlDoc(text);
    const found = service.getCodeLenses(document, service.parseManifest(document));
    assert.deepEqual(
      found.map((lens) => [lens.range, lens.command?.title, lens.command?.command]),
      [
        [
          rangeOf(document, 'permissions', 0),
          '2 permissions (2 read, 0 write)',
          ClientCommands.revokePermission,
        ],
        [rangeOf(document, 'permissions', 0), 'Grant permission…', ClientCommands.grantPermission],
        [
          rangeOf(document, 'permissions', 1),
          '1 permission (1 read, 0 write) · extension "ext"',
          '',
        ],
      ],
    );
  });

  it('a quick fix in an extension list edits that list', () => {
    const text = twoLists(
      '      - permission: invoce_read\n        purpose: Lists the invoices in the extension.',
    );
    const { diagnostics } = diagnosticsOf(text);
    const [diagnostic] = diagnostics;
    assert.ok(diagnostic);
    const actions = quickFixes(text, diagnostic);
    assert.deepEqual(
      actions.map((action) => action.title),
      ['Replace with "invoice_read"'],
    );
    assert.equal(
      applied(text, actions[0]),
      twoLists(
        '      - permission: invoice_read\n        purpose: Lists the invoices in the extension.',
      ),
    );
  });

  it('fix-all removes a same-purpose duplicate of an extension list, keeps one with another purpose', () => {
    const entry = (purpose: string): string =>
      `      - permission: coupon_read\n        purpose: ${purpose}`;
    const same = twoLists([entry('Shows the coupons.'), entry('shows the coupons')].join('\n'));
    const document = yamlDoc(same);
    assert.equal(
      applyEdits(document, service.getFixAllEdits(document, service.parseManifest(document))),
      twoLists(entry('Shows the coupons.')),
    );
    const other = twoLists(
      [entry('Shows the coupons.'), entry('Lists the coupons of the customer.')].join('\n'),
    );
    const otherDocument = yamlDoc(other);
    assert.deepEqual(
      service.getFixAllEdits(otherDocument, service.parseManifest(otherDocument)),
      [],
    );
    const [duplicate] = diagnosticsOf(other).diagnostics;
    assert.ok(duplicate);
    assert.deepEqual(
      quickFixes(other, duplicate).map((action) => [action.title, action.isPreferred]),
      [['Remove duplicate "coupon_read" (and its purpose)', undefined]],
    );
  });

  it('sort orders the app list of a YAML manifest, a comment after an entry staying on its line', () => {
    const text = `declarations:
  stripe_api_access:
    permissions:
      - permission: invoice_read # the drawer
        purpose: Lists the invoices.
      - permission: charge_read
        purpose: Lists the charges.
extensions: []
`;
    const document = yamlDoc(text);
    assert.equal(
      applyEdits(document, service.getSortEntriesEdits(document, service.parseManifest(document))),
      `declarations:
  stripe_api_access:
    permissions:
      - permission: charge_read
        purpose: Lists the charges.
      - permission: invoice_read # the drawer
        purpose: Lists the invoices.
extensions: []
`,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Hostile inputs

const VALID = `id: com.example.app
name: Example App
declarations:
  stripe_api_access:
    permissions:
      - permission: customer_read
        purpose: Shows the customer's plan.
      - permission: invoce_read
        purpose: TODO
extensions:
  - id: ext
    permissions:
      - permission: charge_read
        purpose: Lists the charges.
`;

function aliasBomb(): string {
  const levels = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
  return [
    'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
    ...levels
      .slice(1)
      .map((name, index) => `${name}: &${name} [${Array(9).fill(`*${levels[index]}`).join(', ')}]`),
    'declarations:',
    '  stripe_api_access:',
    '    permissions: *i',
    'extensions:',
    '  - id: ext',
    '    permissions:',
    '      - permission: *a',
    '        purpose: *i',
    '',
  ].join('\n');
}

let tenMegabyteText: string | undefined;

/** About 10 MB of entries, under the default maxDocumentSize (10 MiB): analysed in full. */
function tenMegabytes(): string {
  tenMegabyteText ??= buildTenMegabytes();
  return tenMegabyteText;
}

function buildTenMegabytes(): string {
  const names = service.catalog.permissions.map((info) => info.name);
  const parts = ['id: com.example.app\ndeclarations:\n  stripe_api_access:\n    permissions:\n'];
  let size = parts[0]?.length ?? 0;
  for (let index = 0; size < 10_000_000; index++) {
    const entry = `      - permission: ${names[index % names.length] ?? ''}\n        purpose: Shows the thing number ${index}.\n`;
    parts.push(entry);
    size += entry.length;
  }
  parts.push('extensions: []\n');
  return parts.join('');
}

const HOSTILE: readonly (readonly [string, () => string])[] = [
  ['invalid UTF-8 as the server receives it (U+FFFD)', () => VALID.replace(/e/g, '\uFFFD')],
  ['U+FFFD inside names and purposes', () => VALID.replace('customer_read', 'cust\uFFFDomer_read')],
  ['a byte order mark', () => `\uFEFF${VALID}`],
  ['CRLF line breaks', () => VALID.replace(/\n/g, '\r\n')],
  ['CR line breaks', () => VALID.replace(/\n/g, '\r')],
  ['tabs as indentation', () => VALID.replace(/^ {6}/gm, '\t\t')],
  ['tabs after the dash', () => VALID.replace(/- /g, '-\t')],
  ['several documents', () => `${VALID}---\n${VALID}...\n---\n${VALID}`],
  ['deep nesting of flow lists', () => `declarations: ${'['.repeat(50_000)}`],
  [
    'deep nesting of block maps',
    () => Array.from({ length: 3_000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n'),
  ],
  [
    'deep nesting of block lists',
    () => Array.from({ length: 3_000 }, (_, i) => `${' '.repeat(i)}-`).join('\n'),
  ],
  ['an alias bomb', aliasBomb],
  [
    'an anchor on the list and aliases of entries',
    () =>
      VALID.replace(
        'permissions:\n      - permission: charge_read',
        'permissions: &p\n      - permission: charge_read',
      ).concat('other: *p\n'),
  ],
  ['10 MB', tenMegabytes],
];

/** Every feature on a text, each one timed. */
function everyFeature(text: string): Map<string, number> {
  const times = new Map<string, number>();
  const timed = <T>(name: string, run: () => T): T => {
    const start = performance.now();
    const result = run();
    times.set(name, performance.now() - start);
    return result;
  };
  // The shared service: a later test of the same text reads its cached parse.
  const local = service;
  const document = yamlDoc(text);
  const manifest = timed('parse', () => local.parseManifest(document));
  const diagnostics = timed('diagnostics', () =>
    local.doValidation(document, manifest, { syntaxErrors: true }),
  );
  // Every offset of a small text (the cursor anywhere); a few of a large one.
  const offsets =
    text.length <= 2_000
      ? Array.from({ length: text.length + 1 }, (_, offset) => offset)
      : [0, 1, Math.floor(text.length / 3), Math.floor(text.length / 2), text.length];
  for (const marker of ['permission: ', 'purpose: ', '- ', '\n']) {
    const at = text.indexOf(marker);
    if (at >= 0) offsets.push(at + marker.length);
  }
  timed('completion', () => {
    for (const offset of offsets) local.doComplete(document, document.positionAt(offset), manifest);
  });
  timed('hover', () => {
    for (const offset of offsets) local.doHover(document, document.positionAt(offset), manifest);
  });
  timed('code lens', () => local.getCodeLenses(document, manifest));
  const whole = { start: document.positionAt(0), end: document.positionAt(text.length) };
  timed('code actions', () =>
    local.getCodeActions(document, whole, { diagnostics: diagnostics.slice(0, 20) }, manifest),
  );
  timed('fix-all', () => local.getFixAllEdits(document, manifest));
  timed('sort', () => local.getSortEntriesEdits(document, manifest));
  timed('grant', () => local.grant(document, manifest, 'coupon_read', 'Shows the coupons.'));
  timed('revoke', () => local.revoke(document, manifest, 'customer_read'));
  return times;
}

describe('manifest v2: hostile YAML, every feature returns in bounded time', () => {
  for (const [name, make] of HOSTILE) {
    it(name, () => {
      const text = make();
      const times = everyFeature(text);
      // Hang guards, generous for a loaded machine: the 10 MB parse alone takes seconds.
      for (const [feature, ms] of times) {
        assert.ok(ms < 20_000, `${feature} took ${Math.round(ms)} ms`);
      }
    });
  }

  it('10 MB: analysed, completion answers, edits refused with a reason', () => {
    const text = tenMegabytes();
    const document = yamlDoc(text);
    const manifest = service.parseManifest(document);
    assert.equal(manifest.limit, undefined);
    const last = text.lastIndexOf('permission: ') + 'permission: '.length;
    const list = service.doComplete(document, document.positionAt(last), manifest);
    assert.ok(list.items.length > 0);
    const granted = service.grant(document, manifest, 'coupon_read', 'Shows the coupons.');
    assert.equal(granted.status, 'invalid');
    assert.match(
      granted.message,
      /too large to edit \(\d+ characters; YAML edits stop at 1048576\)/,
    );
  });
  it('an alias bomb expands nowhere: no entries, no findings on its names', () => {
    const document = yamlDoc(aliasBomb());
    const manifest = service.parseManifest(document);
    assert.deepEqual(
      manifest.lists.map((list) => [list.label, list.entries.length]),
      [
        ['permissions', 0],
        ['extension "ext"', 1],
      ],
    );
    assert.deepEqual(
      service.grant(document, manifest, 'coupon_read', 'Shows the coupons.').edits,
      [],
    );
  });
});
