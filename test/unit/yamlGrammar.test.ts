/**
 * The YAML grammar injection under a real TextMate engine (vscode-textmate with Oniguruma, as in
 * VS Code) over a real YAML grammar (textmate/yaml.tmbundle from tm-grammars; VS Code ships its
 * own, which the e2e suite covers): the permission names of real v2 files get the access scopes,
 * and nothing else does.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { loadWASM, OnigScanner, OnigString } from 'vscode-oniguruma';
import { INITIAL, parseRawGrammar, Registry, type IGrammar } from 'vscode-textmate';
import { corpusSkipReason, V2_CORPUS_DIR } from '../support/corpus';

const root = join(__dirname, '..', '..');
const INJECTION = 'stripe-apps.permissions.yaml-injection';

let grammar: IGrammar;
before(async () => {
  await loadWASM(readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer);
  const files: Record<string, string> = {
    'source.yaml': require.resolve('tm-grammars/grammars/yaml.json'),
    [INJECTION]: join(root, 'syntaxes', 'stripe-app-permissions-yaml.tmLanguage.json'),
  };
  const registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new OnigScanner(patterns),
      createOnigString: (text) => new OnigString(text),
    }),
    loadGrammar: (scopeName) => {
      const file = files[scopeName];
      return Promise.resolve(file ? parseRawGrammar(readFileSync(file, 'utf8'), file) : null);
    },
    getInjections: (scopeName) => (scopeName === 'source.yaml' ? [INJECTION] : undefined),
  });
  const loaded = await registry.loadGrammar('source.yaml');
  assert.ok(loaded);
  grammar = loaded;
});

/** Every token of the text with its innermost scope, `line:text scope`, for the tokens asked. */
function tokens(text: string): { line: number; text: string; scopes: string[] }[] {
  const found: { line: number; text: string; scopes: string[] }[] = [];
  let state = INITIAL;
  for (const [index, line] of text.split('\n').entries()) {
    const result = grammar.tokenizeLine(line, state);
    for (const token of result.tokens) {
      found.push({
        line: index + 1,
        text: line.slice(token.startIndex, token.endIndex),
        scopes: token.scopes,
      });
    }
    state = result.ruleStack;
  }
  return found;
}

const permissionTokens = (text: string): string[] =>
  tokens(text)
    .filter((token) => token.scopes.some((scope) => scope.includes('.permission.')))
    .map(({ line, text: name, scopes }) => {
      const access = scopes.find((scope) => scope.startsWith('support.constant.permission.'));
      return `${line}:${name} ${access ?? scopes.join(' ')}`;
    });

describe('YAML grammar injection (vscode-textmate)', () => {
  it(
    'scopes every permission name of a CLI-written file, and nothing else',
    { skip: corpusSkipReason },
    () => {
      const text = readFileSync(
        join(V2_CORPUS_DIR, '01-bond-stripe__admin_toolkit.stripe-app.yaml'),
        'utf8',
      );
      assert.deepEqual(permissionTokens(text), [
        '12:subscription_read support.constant.permission.read.stripe-apps',
        '14:customer_read support.constant.permission.read.stripe-apps',
        '16:payment_method_read support.constant.permission.read.stripe-apps',
      ]);
      const key = tokens(text).find((token) => token.line === 12 && token.text === 'permission');
      assert.ok(key?.scopes.includes('entity.name.tag.yaml'), key?.scopes.join(' '));
    },
  );

  it('scopes quoted names and names before a comment, in a hand-written file', () => {
    const text = [
      'declarations:',
      '  stripe_api_access:',
      '    permissions:',
      "      - permission: 'customer_write' # notes",
      '        purpose: Reads customer_read data.',
      '      - purpose: Lists invoices.',
      '        permission: "invoice_read"',
      '      - permission: coupon_read, coupon_write',
      '      # - permission: charge_read',
      'extensions:',
      '  - id: discount',
      '    description: |',
      '      permission: charge_read',
      '    permissions:',
      '      - permission: coupon_read',
    ].join('\n');
    assert.deepEqual(permissionTokens(text), [
      '4:customer_write support.constant.permission.write.stripe-apps',
      '7:invoice_read support.constant.permission.read.stripe-apps',
      '15:coupon_read support.constant.permission.read.stripe-apps',
    ]);
  });
});
