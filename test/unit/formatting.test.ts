import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectFormatting, indentUnit } from '../../server/src/service/formatting';
import { manifestWith } from './util';

describe('detectFormatting', () => {
  it('2 spaces, LF, final newline (the Stripe CLI layout)', () => {
    assert.deepEqual(detectFormatting(manifestWith('[]')), {
      tabSize: 2,
      insertSpaces: true,
      eol: '\n',
      insertFinalNewline: true,
    });
  });

  it('4 spaces, even with 2-space alignment inside', () => {
    const text = `{
    "id": "x",
    "permissions": [
      // aligned by 2 here
    ],
    "ui_extension": {
        "views": [
            { "viewport": "a" }
        ]
    }
}`;
    assert.deepEqual(detectFormatting(text), {
      tabSize: 4,
      insertSpaces: true,
      eol: '\n',
      insertFinalNewline: false,
    });
  });

  it('tabs', () => {
    const formatting = detectFormatting('{\n\t"a": {\n\t\t"b": 1\n\t}\n}\n');
    assert.equal(formatting.insertSpaces, false);
    assert.equal(indentUnit(formatting), '\t');
  });

  it('CRLF when most line breaks are CRLF', () => {
    assert.equal(detectFormatting('{\r\n  "a": 1\r\n}\r\n').eol, '\r\n');
    assert.equal(detectFormatting('{\r\n  "a": 1,\n  "b": 2\n}\n').eol, '\n');
    assert.equal(detectFormatting('{\r\n  "a": 1\r\n}\r\n').insertFinalNewline, true);
  });

  it('defaults to 2 spaces and LF when the text tells nothing', () => {
    for (const text of ['', '{}', '{ "a": [1, 2] }']) {
      assert.deepEqual(detectFormatting(text), {
        tabSize: 2,
        insertSpaces: true,
        eol: '\n',
        insertFinalNewline: false,
      });
    }
  });

  it('the most common step wins; ties go to the smaller one', () => {
    const threes = '{\n   "a": {\n      "b": 1\n   },\n   "c": 2\n}';
    assert.equal(detectFormatting(threes).tabSize, 3);
    const tie = '{\n  "a": {\n      "b": 1\n  }\n}';
    assert.equal(detectFormatting(tie).tabSize, 2);
  });

  it('is linear on large and hostile inputs', () => {
    const big = manifestWith(
      `[${Array.from({ length: 20000 }, (_, i) => `\n    { "permission": "p${i}", "purpose": "x" }`).join(',')}\n  ]`,
    );
    const spaces = ' '.repeat(200000) + '\n'.repeat(200000) + '\t'.repeat(200000);
    const start = performance.now();
    assert.equal(detectFormatting(big).tabSize, 2);
    detectFormatting(spaces);
    assert.ok(performance.now() - start < 1000);
  });
});
