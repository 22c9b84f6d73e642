import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MarkupKind } from 'vscode-languageserver-types';
import { inFormat, markdownToPlainText } from '../../server/src/service/clientFeatures';
import { escapeMarkdown, link, markdown } from '../../server/src/service/markdown';

describe('markdown for clients that ask for plain text', () => {
  it('drops code spans, bold and escapes, and writes link addresses after their text', () => {
    const value = markdown([
      '`customer_read` · **read** access',
      escapeMarkdown('A *name* with [brackets](x) and \\ backslash `tick`'),
      link('Customers [API]', 'https://docs.stripe.com/api/customers'),
    ]).value;
    assert.equal(
      markdownToPlainText(value),
      'customer_read · read access\n\nA *name* with [brackets](x) and \\ backslash `tick`\n\nCustomers [API] (https://docs.stripe.com/api/customers)',
    );
  });

  it('leaves markdown alone for clients that take it', () => {
    const content = markdown(['**bold**']);
    assert.equal(inFormat(content, MarkupKind.Markdown), content);
    assert.deepEqual(inFormat(content, MarkupKind.PlainText), {
      kind: MarkupKind.PlainText,
      value: 'bold',
    });
  });
});
