/** The one copy of jsonc-parser's token kinds and scan errors, against the package's own. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as jsonc from 'jsonc-parser';
import { JsonScanError, JsonToken } from '../../server/src/service/json/jsoncTokens';

describe('jsonc token kinds', () => {
  it('are the values jsonc-parser exports at run time', () => {
    // The package's enums exist at run time; only TypeScript's isolated modules cannot read them.
    const runtime = jsonc as unknown as {
      SyntaxKind: Record<string, number>;
      ScanError: Record<string, number>;
    };
    const kind = (name: string): number | undefined => runtime.SyntaxKind[name];
    assert.equal(JsonToken.OpenBrace, kind('OpenBraceToken'));
    assert.equal(JsonToken.CloseBrace, kind('CloseBraceToken'));
    assert.equal(JsonToken.OpenBracket, kind('OpenBracketToken'));
    assert.equal(JsonToken.CloseBracket, kind('CloseBracketToken'));
    assert.equal(JsonToken.Comma, kind('CommaToken'));
    assert.equal(JsonToken.Colon, kind('ColonToken'));
    assert.equal(JsonToken.Null, kind('NullKeyword'));
    assert.equal(JsonToken.True, kind('TrueKeyword'));
    assert.equal(JsonToken.False, kind('FalseKeyword'));
    assert.equal(JsonToken.String, kind('StringLiteral'));
    assert.equal(JsonToken.Number, kind('NumericLiteral'));
    assert.equal(JsonToken.LineComment, kind('LineCommentTrivia'));
    assert.equal(JsonToken.BlockComment, kind('BlockCommentTrivia'));
    assert.equal(JsonToken.LineBreak, kind('LineBreakTrivia'));
    assert.equal(JsonToken.Trivia, kind('Trivia'));
    assert.equal(JsonToken.Unknown, kind('Unknown'));
    assert.equal(JsonToken.EOF, kind('EOF'));
    for (const [name, value] of Object.entries(JsonScanError)) {
      assert.equal(value, runtime.ScanError[name], name);
    }
  });

  it('name what the scanner returns', () => {
    const scanner = jsonc.createScanner('{"a": [1, null] // c\n}', false);
    const kinds: number[] = [];
    for (let kind: number = scanner.scan(); kind !== JsonToken.EOF; kind = scanner.scan()) {
      kinds.push(kind);
    }
    const T = JsonToken;
    assert.deepEqual(kinds, [
      T.OpenBrace,
      T.String,
      T.Colon,
      T.Trivia,
      T.OpenBracket,
      T.Number,
      T.Comma,
      T.Trivia,
      T.Null,
      T.CloseBracket,
      T.Trivia,
      T.LineComment,
      T.LineBreak,
      T.CloseBrace,
    ]);
    const open = jsonc.createScanner('"abc', false);
    assert.equal(open.scan(), JsonToken.String);
    assert.equal(open.getTokenError(), JsonScanError.UnexpectedEndOfString);
  });
});
