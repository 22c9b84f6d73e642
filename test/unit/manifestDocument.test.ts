/**
 * The model (built by the JSON adapter) against jsonc-parser's own tree of the same text, read
 * here independently: named cases, then the same comparison on real, mutated and generated
 * manifests.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseTree, type Node } from 'jsonc-parser';
import {
  MAX_NESTING_DEPTH,
  entryAtOffset,
  parseManifest,
  type ManifestDocument,
  type ValueSpan,
} from '../../server/src/service/manifestDocument';
import {
  assertProperty,
  corpusFiles,
  corpusSkipReason,
  entryArbitrary,
  manifestArbitrary,
  mutatedCorpusProperty,
  renderManifest,
  runs,
} from './fuzzUtil';
import { parseJsonManifest } from '../../server/src/service/json/jsonManifest';
import { doc } from './util';

const parse = (text: string, uri?: string): ManifestDocument =>
  parseManifest(doc(text, uri), Number.MAX_SAFE_INTEGER);

/** A span (of the model or of jsonc-parser's tree) as plain data. */
function span(
  value: { type: string; offset: number; length: number; value?: unknown } | undefined,
): unknown {
  return (
    value && {
      type: value.type,
      offset: value.offset,
      length: value.length,
      ...(value.type === 'string' || value.type === 'number' || value.type === 'boolean'
        ? { value: value.value }
        : {}),
    }
  );
}

/** What the model says, in plain data. */
function project(manifest: ManifestDocument): unknown {
  return {
    root: span(manifest.root),
    rootKeys: manifest.rootProperties.map((property) => [property.key, property.keyOffset]),
    permissionsKey: manifest.permissionsProperty?.keyOffset,
    permissionsArray: span(manifest.permissionsArray),
    entries: manifest.entries.map((entry) => ({
      node: span(entry.node),
      name: entry.name,
      permission: span(entry.permissionValue),
      permissionKey: entry.permissionProperty?.keyOffset,
      purposeKey: entry.purposeProperty?.keyOffset,
      purpose: span(entry.purposeValue),
      texts: entry.purposeTexts.map((text) => [text.locale, text.text, text.node.offset]),
      keys: entry.properties.map((property) => [
        property.key,
        property.keyOffset,
        property.keyLength,
        property.colonOffset,
      ]),
    })),
  };
}

/** The same, read from jsonc-parser's tree. */
function projectTree(text: string): unknown {
  const key = (property: Node): Node | undefined => property.children?.[0];
  const keyName = (property: Node): unknown => key(property)?.value as unknown;
  const last = (properties: readonly Node[], name: string): Node | undefined =>
    properties.filter((property) => key(property)?.value === name).pop();
  const source = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  const root = parseTree(source, [], { allowTrailingComma: true, disallowComments: false });
  const rootProperties = root?.type === 'object' ? (root.children ?? []) : [];
  const permissionsProperty = last(rootProperties, 'permissions');
  const permissionsValue = permissionsProperty?.children?.[1];
  const permissionsArray = permissionsValue?.type === 'array' ? permissionsValue : undefined;
  return {
    root: span(root),
    rootKeys: rootProperties.map((property): unknown[] => [keyName(property), property.offset]),
    permissionsKey: permissionsProperty?.offset,
    permissionsArray: span(permissionsArray),
    entries: (permissionsArray?.children ?? []).map((node) => {
      const properties = node.type === 'object' ? (node.children ?? []) : [];
      const permission = last(properties, 'permission');
      const purpose = last(properties, 'purpose');
      const permissionValue = permission?.children?.[1];
      const purposeValue = purpose?.children?.[1];
      const texts =
        purposeValue?.type === 'string'
          ? [[undefined, purposeValue.value as unknown, purposeValue.offset]]
          : purposeValue?.type === 'object'
            ? (purposeValue.children ?? [])
                .filter((property) => property.children?.[1]?.type === 'string')
                .map((property): unknown[] => [
                  keyName(property),
                  property.children?.[1]?.value as unknown,
                  property.children?.[1]?.offset,
                ])
            : [];
      return {
        node: span(node),
        name: permissionValue?.type === 'string' ? (permissionValue.value as unknown) : undefined,
        permission: span(permissionValue),
        permissionKey: permission?.offset,
        purposeKey: purpose?.offset,
        purpose: span(purposeValue),
        texts,
        keys: properties.map((property): unknown[] => [
          keyName(property),
          property.offset,
          key(property)?.length,
          property.colonOffset,
        ]),
      };
    }),
  };
}

function assertAgrees(text: string): void {
  const manifest = parse(text);
  if (manifest.limit) return;
  assert.deepEqual(project(manifest), projectTree(text), JSON.stringify(text));
}

describe('parseManifest: the scanned model', () => {
  it('reads entries, names, purposes, keys and colons with exact offsets', () => {
    const text = `{
  "name": "Example App",
  "permissions": [
    { "permission": "customer_read", "purpose": "Shows the customer" },
    { "permission" : "charge_read", "purpose": { "en-US": "Lists charges", "fr-FR": 3 } },
    "invoice_read"
  ]
}`;
    const manifest = parse(text);
    assert.equal(manifest.appName, 'Example App');
    assert.equal(manifest.permissionsProperty?.keyOffset, text.indexOf('"permissions"'));
    assert.equal(manifest.permissionsArray?.offset, text.indexOf('['));
    assert.equal(manifest.permissionsArray.length, text.lastIndexOf(']') + 1 - text.indexOf('['));
    const [first, second, third] = manifest.entries;
    assert.ok(first && second && third);
    assert.equal(first.name, 'customer_read');
    assert.equal(first.permissionValue?.offset, text.indexOf('"customer_read"'));
    assert.deepEqual(
      first.purposeTexts.map((purpose) => [purpose.text, purpose.node.offset]),
      [['Shows the customer', text.indexOf('"Shows the customer"')]],
    );
    assert.equal(second.properties[0]?.colonOffset, text.indexOf('" : "charge_read') + 2);
    assert.deepEqual(
      second.purposeTexts.map((purpose) => [purpose.locale, purpose.text]),
      [['en-US', 'Lists charges']],
    );
    assert.deepEqual(
      second.purposeValue?.properties?.map((property) => [property.key, property.value?.type]),
      [
        ['en-US', 'string'],
        ['fr-FR', 'number'],
      ],
    );
    assert.equal(third.isObject, false);
    assert.equal(third.node.value, 'invoice_read');
    assert.deepEqual([...manifest.granted.keys()], ['customer_read', 'charge_read']);
    assertAgrees(text);
  });

  it('keeps the last of a repeated key, as JSON.parse does', () => {
    const twice = parse(
      '{"permissions": [{"permission": "a_read"}], "permissions": [{"permission": "b_read", "permission": "c_read"}]}',
    );
    assert.deepEqual(
      twice.entries.map((entry) => [entry.name, entry.properties.length]),
      [['c_read', 2]],
    );
    const notArray = parse('{"permissions": [{"permission": "a_read"}], "permissions": 3}');
    assert.equal(notArray.permissionsArray, undefined);
    assert.equal(notArray.permissionsProperty?.value?.type, 'number');
    assert.deepEqual(notArray.entries, []);
  });

  it('knows where each list and entry lives, for the edit port', () => {
    const manifest = parse('{"permissions": [{"permission": "customer_read"}, "x"]}');
    assert.deepEqual(
      manifest.lists.map((list) => list.path),
      [['permissions']],
    );
    assert.equal(manifest.appList, manifest.lists[0]);
    assert.deepEqual(
      manifest.entries.map((entry) => entry.path),
      [
        ['permissions', 0],
        ['permissions', 1],
      ],
    );
  });

  it('finds the entry around an offset (after its start, up to its end)', () => {
    const text = '{"permissions": [{"permission": "a_read"}, {"permission": "b_read"}]}';
    const manifest = parse(text);
    const second = text.indexOf('{"permission": "b_read"}');
    assert.equal(entryAtOffset(manifest, second), undefined);
    assert.equal(entryAtOffset(manifest, second + 1)?.name, 'b_read');
    assert.equal(entryAtOffset(manifest, text.lastIndexOf('}]'))?.name, 'b_read');
    assert.equal(entryAtOffset(manifest, text.lastIndexOf('}]') + 1)?.name, 'b_read');
    assert.equal(entryAtOffset(manifest, Number.NaN), undefined);
  });

  it('finds the entry holding the character at an offset (from its start, before its end)', () => {
    const text = '{"permissions": [{"permission": "a_read"}, {"permission": "b_read"}]}';
    const manifest = parse(text);
    const second = text.indexOf('{"permission": "b_read"}');
    const end = text.lastIndexOf('}]') + 1;
    assert.equal(entryAtOffset(manifest, second - 1, 'character'), undefined);
    assert.equal(entryAtOffset(manifest, second, 'character')?.name, 'b_read');
    assert.equal(entryAtOffset(manifest, end - 1, 'character')?.name, 'b_read');
    assert.equal(entryAtOffset(manifest, end, 'character'), undefined);
    assert.equal(entryAtOffset(manifest, Number.NaN, 'character'), undefined);
  });

  it('counts nesting everywhere, not only in "permissions"', () => {
    const nested = (depth: number): string =>
      `{"x": ${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}, "permissions": []}`;
    assert.equal(parse(nested(MAX_NESTING_DEPTH)).limit, undefined);
    assert.deepEqual(parse(nested(MAX_NESTING_DEPTH + 1)).limit, {
      reason: 'too-deep',
      limit: MAX_NESTING_DEPTH,
    });
  });

  it('reads a byte order mark as white space', () => {
    const text = '\uFEFF{"permissions": [{"permission": "customer_read"}]}';
    const manifest = parse(text);
    assert.equal(manifest.syntaxErrors.length, 0);
    assert.equal(manifest.entries[0]?.permissionValue?.offset, text.indexOf('"customer_read"'));
  });

  it('agrees with the syntax tree on odd and broken texts', () => {
    for (const text of [
      '',
      '[]',
      '"x"',
      '{',
      '{"permissions": [',
      '{"permissions": [{"permission": }]}',
      '{"permissions": [{"permission" "a_read", "purpose" 3}]}',
      '{"permissions": [{"permission": "a_read",, "purpose": "x"}]}',
      '{"permissions": [[{"permission": "a_read"}], {"purpose": {"en": {"deep": "x"}}}]}',
      '{"permissions": [{"purpose": {"en": "a", "en": "b", "de": null}}]} {"permissions": []}',
      '{"a": {"permissions": [{"permission": "x"}]}, "permissions": [1, true, null, {}]}',
      '// comment\n{"permissions": [/* c */ {"permission": "a_read", /* d */ "purpose": "x",},],}',
    ]) {
      assertAgrees(text);
    }
  });

  it('agrees with the syntax tree on every real manifest', { skip: corpusSkipReason }, () => {
    for (const file of corpusFiles()) assertAgrees(file.text);
  });

  it('agrees with the syntax tree on mutated real manifests', { skip: corpusSkipReason }, () => {
    const corpus = corpusFiles();
    assertProperty(
      mutatedCorpusProperty(corpus, (text) => {
        assertAgrees(text);
      }),
      runs(500),
    );
  });

  it('agrees with the syntax tree on generated manifests in every layout', () => {
    assertProperty(
      fc.property(manifestArbitrary(entryArbitrary), (spec) => {
        assertAgrees(renderManifest(spec));
      }),
      runs(300),
    );
  });
});

describe('parseJsonManifest: the value tree of one pass', () => {
  const number = (offset: number, value: number): ValueSpan => ({
    type: 'number',
    offset,
    length: String(value).length,
    value,
  });

  it('an object or array left open ends at the end of the text', () => {
    const text = '{"a": [1, {"b": 2';
    assert.deepEqual(parseJsonManifest(text, MAX_NESTING_DEPTH), {
      root: {
        type: 'object',
        offset: 0,
        length: 17,
        properties: [
          {
            key: 'a',
            keyOffset: 1,
            keyLength: 3,
            colonOffset: 4,
            value: {
              type: 'array',
              offset: 6,
              length: 11,
              items: [
                number(7, 1),
                {
                  type: 'object',
                  offset: 10,
                  length: 7,
                  properties: [
                    {
                      key: 'b',
                      keyOffset: 11,
                      keyLength: 3,
                      colonOffset: 14,
                      value: number(16, 2),
                    },
                  ],
                },
              ],
            },
          },
        ],
      },
      // The inner object, the array, the outer object: each closed at the end of the text.
      problems: [
        { message: 'close brace expected', code: 'CloseBraceExpected', offset: 17, length: 0 },
        { message: 'close bracket expected', code: 'CloseBracketExpected', offset: 17, length: 0 },
        { message: 'close brace expected', code: 'CloseBraceExpected', offset: 17, length: 0 },
      ],
      tooDeep: false,
    });
  });

  it('a property without a value keeps its colon; without a colon, its key alone', () => {
    assert.deepEqual(parseJsonManifest('{"a": , "b" }', MAX_NESTING_DEPTH), {
      root: {
        type: 'object',
        offset: 0,
        length: 13,
        properties: [
          { key: 'a', keyOffset: 1, keyLength: 3, colonOffset: 4 },
          { key: 'b', keyOffset: 8, keyLength: 3 },
        ],
      },
      problems: [
        { message: 'value expected', code: 'ValueExpected', offset: 6, length: 1 },
        { message: 'colon expected', code: 'ColonExpected', offset: 12, length: 1 },
      ],
      tooDeep: false,
    });
    // The colon is where it is, spaces and comments around it.
    const spaced = '{"permission" /* c */ :\n "x"}';
    const [property] = parseJsonManifest(spaced, MAX_NESTING_DEPTH).root?.properties ?? [];
    assert.equal(property?.colonOffset, spaced.indexOf(':'));
    assert.deepEqual(property.value, {
      type: 'string',
      offset: spaced.indexOf('"x"'),
      length: 3,
      value: 'x',
    });
  });

  it('reads a byte order mark as one character of white space', () => {
    assert.deepEqual(parseJsonManifest('\uFEFF{"a": null}', MAX_NESTING_DEPTH), {
      root: {
        type: 'object',
        offset: 1,
        length: 11,
        properties: [
          {
            key: 'a',
            keyOffset: 2,
            keyLength: 3,
            colonOffset: 5,
            value: { type: 'null', offset: 7, length: 4, value: null },
          },
        ],
      },
      problems: [],
      tooDeep: false,
    });
  });

  it('refuses one level past the limit (a property is no level), and keeps the errors', () => {
    const atLimit = parseJsonManifest('{"a": {"b": [true]}}', 3);
    assert.equal(atLimit.tooDeep, false);
    assert.deepEqual(atLimit.root?.properties?.[0]?.value?.properties?.[0]?.value, {
      type: 'array',
      offset: 12,
      length: 6,
      items: [{ type: 'boolean', offset: 13, length: 4, value: true }],
    });
    assert.deepEqual(parseJsonManifest('{"a": {"b": [[1]]}}', 3), {
      root: undefined,
      problems: [],
      tooDeep: true,
    });
    assert.deepEqual(parseJsonManifest('[[[[', 3), {
      root: undefined,
      problems: Array(4).fill({
        message: 'close bracket expected',
        code: 'CloseBracketExpected',
        offset: 4,
        length: 0,
      }),
      tooDeep: true,
    });
    // Beyond what the parser's recursion can take: refused, not thrown.
    assert.deepEqual(parseJsonManifest('['.repeat(100_000), MAX_NESTING_DEPTH).tooDeep, true);
  });
});
