/**
 * Manifest v2 (`stripe-app.yaml`): the YAML adapter's model (lists, entries, exact spans, block
 * scalars, hostile inputs) and the YAML side of the edit port (grant, revoke, set, sort), checked
 * on final texts and on the real v2 files.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createManifestLanguageService } from '../../server/src/service/languageService';
import {
  MAX_NESTING_DEPTH,
  parseManifest,
  type ManifestDocument,
  type ValueSpan,
} from '../../server/src/service/manifestDocument';
import { parseYamlManifest } from '../../server/src/service/yaml/yamlManifest';
import { corpusSkipReason, v2CorpusFiles } from '../support/corpus';
import { applyEdits } from './util';

const URI = 'file:///app/stripe-app.yaml';
const service = createManifestLanguageService();

function yamlDoc(text: string, version = 1): TextDocument {
  return TextDocument.create(URI, 'yaml', version, text);
}

function parse(text: string): ManifestDocument {
  return parseManifest(yamlDoc(text), Number.MAX_SAFE_INTEGER);
}

function grant(text: string, name: string, purpose: string, list?: (string | number)[]) {
  const document = yamlDoc(text);
  const result = service.grant(document, service.parseManifest(document), name, purpose, {
    ...(list ? { list } : {}),
  });
  return { ...result, text: applyEdits(document, result.edits) };
}

function revoke(text: string, name: string, list?: (string | number)[]) {
  const document = yamlDoc(text);
  const result = service.revoke(document, service.parseManifest(document), name, list);
  return { ...result, text: applyEdits(document, result.edits) };
}

const HAND_WRITTEN = `# A hand-written manifest (2 spaces)
id: com.example.app
name: Example App
version: 0.1.0
declarations:
  distribution_type: public
  stripe_api_access:
    permissions:
      # the drawer
      - permission: customer_read
        purpose: 'Shows the customer''s plan.'
      - permission: "invoice_read"
        purpose: |
          Lists the customer's
          invoices.
extensions:
  - id: ext
    permissions: []
`;

const CLI_WRITTEN = `id: com.example.app
declarations:
    stripe_api_access:
        permissions:
            - permission: customer_read
              purpose: Shows the customer's plan.
extensions: []
`;

describe('manifest v2: the model', () => {
  it('reads the app list and each extension list with exact spans', () => {
    const text = HAND_WRITTEN;
    const manifest = parse(text);
    assert.equal(manifest.format, 'yaml');
    assert.deepEqual(manifest.syntaxErrors, []);
    assert.deepEqual(
      manifest.lists.map((list) => [list.scope, list.label, list.path]),
      [
        ['app', 'permissions', ['declarations', 'stripe_api_access', 'permissions']],
        ['extension', 'extension "ext"', ['extensions', 0, 'permissions']],
      ],
    );
    const [first, second] = manifest.entries;
    assert.ok(first && second);
    assert.equal(first.name, 'customer_read');
    assert.equal(first.permissionValue?.offset, text.indexOf('customer_read'));
    assert.equal(first.permissionValue.length, 'customer_read'.length);
    assert.equal(first.node.offset, text.indexOf('permission: customer_read'));
    assert.equal(second.name, 'invoice_read');
    assert.equal(second.permissionValue?.offset, text.indexOf('"invoice_read"'));
    assert.equal(first.purposeTexts[0]?.text, "Shows the customer's plan.");
    // A block scalar's line breaks are layout: one line of text, no trailing line break.
    assert.equal(second.purposeTexts[0]?.text, "Lists the customer's invoices.");
    assert.deepEqual([...manifest.granted.keys()], ['customer_read', 'invoice_read']);
  });

  it('hostile texts: an alias bomb, deep nesting, tabs, several documents, a BOM, CR line breaks', () => {
    const bomb = [
      'a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]',
      ...['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map(
        (name, index) =>
          `${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[index]}`).join(', ')}]`,
      ),
      'declarations: {stripe_api_access: {permissions: *i}}',
    ].join('\n');
    const bombed = parse(bomb);
    assert.equal(bombed.entries.length, 0);
    // An edit would have to expand it: refused with a message, the file untouched.
    const refused = grant(`${bomb}\nextensions: []\n`, 'customer_read', 'Shows the plan.');
    assert.equal(refused.status, 'invalid');
    assert.deepEqual(refused.edits, []);
    assert.deepEqual(parse('['.repeat(100_000)).limit, { reason: 'too-deep', limit: 512 });
    const tabs = parse('declarations:\n\tstripe_api_access: {}\n');
    assert.ok(tabs.syntaxErrors.length > 0);
    const several = parse('id: a\n---\nid: b\n');
    assert.deepEqual(
      several.syntaxErrors.map((problem) => problem.message),
      ['a manifest is one YAML document; remove the "---" and what follows it'],
    );
    const bom = parse(`\uFEFF${CLI_WRITTEN}`);
    assert.equal(bom.entries[0]?.permissionValue?.offset, CLI_WRITTEN.indexOf('customer_read') + 1);
    const cr = parse(CLI_WRITTEN.replace(/\n/g, '\r'));
    assert.deepEqual(
      cr.syntaxErrors.map((problem) => [problem.message, problem.offset]),
      [
        [
          'this file breaks lines with CR alone (old Mac style); save it with LF or CRLF',
          CLI_WRITTEN.indexOf('\n'),
        ],
      ],
    );
    const crlf = CLI_WRITTEN.replace(/\n/g, '\r\n');
    const crlfGranted = grant(crlf, 'charge_read', 'Lists the charges.');
    assert.equal(revoke(crlfGranted.text, 'charge_read').text, crlf);
    assert.ok(crlfGranted.text.split('\r\n').length > crlf.split('\r\n').length);
    assert.ok(!/[^\r]\n/.test(crlfGranted.text), 'CRLF stays CRLF');
  });
});

describe('manifest v2: the value tree of one walk', () => {
  const tree = (text: string, maxDepth = MAX_NESTING_DEPTH): ValueSpan | undefined =>
    parseYamlManifest(text, maxDepth).root;

  it('a flow map or sequence left open ends where its last value does', () => {
    const parsed = parseYamlManifest('{a: [1, {b: 2', MAX_NESTING_DEPTH);
    assert.deepEqual(parsed.root, {
      type: 'object',
      offset: 0,
      length: 13,
      properties: [
        {
          key: 'a',
          keyOffset: 1,
          keyLength: 1,
          colonOffset: 2,
          value: {
            type: 'array',
            offset: 4,
            length: 9,
            items: [
              { type: 'number', offset: 5, length: 1, value: 1 },
              {
                type: 'object',
                offset: 8,
                length: 5,
                properties: [
                  {
                    key: 'b',
                    keyOffset: 9,
                    keyLength: 1,
                    colonOffset: 10,
                    value: { type: 'number', offset: 12, length: 1, value: 2 },
                  },
                ],
              },
            ],
          },
        },
      ],
    });
    assert.deepEqual(
      parsed.problems.map((problem) => [problem.code, problem.offset]),
      [
        ['BAD_INDENT', 13],
        ['BAD_INDENT', 13],
        ['MISSING_CHAR', 13],
      ],
    );
  });

  it('a key without a value: `a:` holds a null, `? a` has no value and no colon', () => {
    assert.deepEqual(tree('a:\nb: 1\n')?.properties, [
      {
        key: 'a',
        keyOffset: 0,
        keyLength: 1,
        colonOffset: 1,
        value: { type: 'null', offset: 2, length: 0, value: null },
      },
      {
        key: 'b',
        keyOffset: 3,
        keyLength: 1,
        colonOffset: 4,
        value: { type: 'number', offset: 6, length: 1, value: 1 },
      },
    ]);
    assert.deepEqual(tree('? a\n'), {
      type: 'object',
      offset: 0,
      length: 3,
      properties: [{ key: 'a', keyOffset: 2, keyLength: 1 }],
    });
    const spaced = 'permission   : x';
    assert.equal(tree(spaced)?.properties?.[0]?.colonOffset, spaced.indexOf(':'));
  });

  it('spans end before trailing white space; a block scalar keeps its value', () => {
    assert.deepEqual(tree('a: x \t\n\n')?.properties?.[0]?.value, {
      type: 'string',
      offset: 3,
      length: 1,
      value: 'x',
    });
    assert.deepEqual(tree('a: |\n  x\n\n')?.properties?.[0]?.value, {
      type: 'string',
      offset: 3,
      length: 5,
      value: 'x\n',
      block: true,
    });
  });

  it('a byte order mark shifts nothing', () => {
    assert.deepEqual(tree('\uFEFFa: 1'), {
      type: 'object',
      offset: 1,
      length: 4,
      properties: [
        {
          key: 'a',
          keyOffset: 1,
          keyLength: 1,
          colonOffset: 2,
          value: { type: 'number', offset: 4, length: 1, value: 1 },
        },
      ],
    });
  });

  it('refuses one level past the limit, in flow and block style', () => {
    assert.equal(
      tree('a: {b: [1]}', 3)?.properties?.[0]?.value?.properties?.[0]?.value?.type,
      'array',
    );
    assert.deepEqual(parseYamlManifest('a: {b: [[1]]}', 3), {
      root: undefined,
      problems: [],
      tooDeep: true,
    });
    assert.deepEqual(
      tree('a:\n  b:\n    - 1\n', 3)?.properties?.[0]?.value?.properties?.[0]?.value,
      {
        type: 'array',
        offset: 12,
        length: 3,
        items: [{ type: 'number', offset: 14, length: 1, value: 1 }],
      },
    );
    assert.equal(parseYamlManifest('a:\n  b:\n    - - 1\n', 3).tooDeep, true);
  });

  it('an alias reads as the last node with its anchor before it, not expanded', () => {
    const text = 'a: &x 1\nb: &x [2]\nc: *x\nd: *y\n? &k [e, &j f]\n: 1\ng: *j\n';
    const values = (tree(text)?.properties ?? []).map((property) => [property.key, property.value]);
    assert.deepEqual(values, [
      ['a', { type: 'number', offset: 6, length: 1, value: 1 }],
      [
        'b',
        {
          type: 'array',
          offset: 14,
          length: 3,
          items: [{ type: 'number', offset: 15, length: 1, value: 2 }],
        },
      ],
      // The second `&x`, a sequence: read as an empty one.
      ['c', { type: 'array', offset: 21, length: 2, items: [] }],
      ['d', { type: 'null', offset: 27, length: 2, value: null }],
      // An anchor inside a key that is a sequence (no property of its own) still counts.
      ['g', { type: 'string', offset: text.indexOf('*j'), length: 2, value: 'f' }],
    ]);
  });
});

describe('manifest v2: grant and revoke keep the file', () => {
  it('hand-written (2 spaces): grant appends in the list style, revoke gives the bytes back', () => {
    const granted = grant(HAND_WRITTEN, 'charge_read', 'Lists the charges: "recent" ones.');
    assert.equal(granted.status, 'granted', granted.message);
    assert.equal(
      granted.text,
      HAND_WRITTEN.replace(
        '          invoices.\n',
        `          invoices.\n      - permission: charge_read\n        purpose: 'Lists the charges: "recent" ones.'\n`,
      ),
    );
    const revoked = revoke(granted.text, 'charge_read');
    assert.equal(revoked.status, 'revoked', revoked.message);
    assert.equal(revoked.text, HAND_WRITTEN);
  });

  it('CLI-written (4 spaces, sequences indented): the same', () => {
    const granted = grant(CLI_WRITTEN, 'charge_read', 'Lists the charges.');
    assert.equal(
      granted.text,
      CLI_WRITTEN.replace(
        'plan.\n',
        'plan.\n            - permission: charge_read\n              purpose: Lists the charges.\n',
      ),
    );
    assert.equal(revoke(granted.text, 'charge_read').text, CLI_WRITTEN);
  });

  it("an extension's empty list on request: [] becomes a block list and comes back as []", () => {
    const granted = grant(HAND_WRITTEN, 'charge_read', 'Lists the charges.', [
      'extensions',
      0,
      'permissions',
    ]);
    assert.equal(granted.status, 'granted', granted.message);
    assert.equal(
      granted.text,
      HAND_WRITTEN.replace(
        '    permissions: []\n',
        '    permissions:\n      - permission: charge_read\n        purpose: Lists the charges.\n',
      ),
    );
    const manifest = parse(granted.text);
    // The same name in the app list and in an extension's list: two lists, no duplicate.
    assert.deepEqual(
      manifest.lists.map((list) => [...list.granted.keys()]),
      [['customer_read', 'invoice_read'], ['charge_read']],
    );
    assert.equal(
      revoke(granted.text, 'charge_read', ['extensions', 0, 'permissions']).text,
      HAND_WRITTEN,
    );
  });

  it('creates declarations.stripe_api_access.permissions when missing', () => {
    const text =
      'id: com.example.app\ndeclarations:\n  distribution_type: public\nextensions: []\n';
    const granted = grant(text, 'customer_read', 'Shows the plan.');
    assert.equal(granted.status, 'granted', granted.message);
    assert.equal(
      granted.text,
      'id: com.example.app\ndeclarations:\n  distribution_type: public\n' +
        '  stripe_api_access:\n    permissions:\n      - permission: customer_read\n' +
        '        purpose: Shows the plan.\nextensions: []\n',
    );
    assert.match(granted.message, /added the "declarations\.stripe_api_access\.permissions" list/);
  });

  it('an update keeps the quoting style when it can', () => {
    const updated = grant(HAND_WRITTEN, 'customer_read', "Shows the customer's tier.");
    assert.equal(updated.status, 'updated');
    assert.equal(
      updated.text,
      HAND_WRITTEN.replace("'Shows the customer''s plan.'", "'Shows the customer''s tier.'"),
    );
    const plain = grant(CLI_WRITTEN, 'customer_read', 'Shows: the plan');
    assert.equal(
      plain.text,
      CLI_WRITTEN.replace("Shows the customer's plan.", '"Shows: the plan"'),
    );
  });

  it('gives back the original bytes of every real v2 file', { skip: corpusSkipReason }, () => {
    const files = v2CorpusFiles();
    assert.ok(files.length >= 4);
    for (const file of files) {
      const manifest = parse(file.text);
      const list = manifest.appList ?? manifest.lists[0];
      const path = list ? [...list.path] : undefined;
      const granted = grant(file.text, 'charge_read', 'Lists the charges.', path);
      assert.equal(granted.status, 'granted', `${file.name}: ${granted.message}`);
      assert.equal(parse(granted.text).syntaxErrors.length, 0, file.name);
      const revoked = revoke(granted.text, 'charge_read', path);
      assert.equal(revoked.text, file.text, file.name);
    }
  });
});

describe('manifest v2: structure findings', () => {
  const validate = (text: string, uri = URI) => {
    const document = TextDocument.create(uri, uri.endsWith('.yaml') ? 'yaml' : 'json', 1, text);
    return service
      .doValidation(document, service.parseManifest(document), { maxProblems: 0 })
      .map((d) => ({ code: d.code, message: d.message, text: document.getText(d.range) }));
  };

  it('the real v2 files have nothing to report', { skip: corpusSkipReason }, () => {
    for (const file of v2CorpusFiles()) assert.deepEqual(validate(file.text), [], file.name);
  });

  it('extensions missing; v1 keys at the top of a v2 file; a list that is not a list', () => {
    const text =
      'id: com.example.app\npermissions:\n  - permission: customer_read\n    purpose: Shows the plan.\n' +
      'distribution_type: public\n';
    assert.deepEqual(validate(text), [
      {
        code: 'missing-extensions',
        message: 'No "extensions" list: add "extensions: []" (upload requires it).',
        text: 'id',
      },
      {
        code: 'manifest-version-mix',
        message:
          'v1 "permissions" in stripe-app.yaml is ignored: move it to declarations.stripe_api_access.permissions.',
        text: 'permissions',
      },
      {
        code: 'manifest-version-mix',
        message:
          'v1 "distribution_type" in stripe-app.yaml is ignored: move it to declarations.distribution_type.',
        text: 'distribution_type',
      },
    ]);
    const notList = 'id: x\nextensions:\n  - id: ext\n    permissions: customer_read\n';
    assert.deepEqual(validate(notList), [
      {
        code: 'permissions-not-array',
        message: 'the permissions of extension "ext" must be a list of entries, not a string.',
        text: 'customer_read',
      },
    ]);
  });

  it('v2 declarations in stripe-app.json: the hybrid upload leaves', () => {
    const text =
      '{\n  "id": "x",\n  "permissions": [],\n  "declarations": { "distribution_type": "public" }\n}\n';
    assert.deepEqual(validate(text, 'file:///app/stripe-app.json'), [
      {
        code: 'manifest-version-mix',
        message: 'v2 "declarations" in stripe-app.json: move its keys to the top level.',
        text: '"declarations"',
      },
    ]);
  });
});
