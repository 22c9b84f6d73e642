/**
 * The layout of a new permission entry: one definition (json/objectLayout.ts) for completion's
 * snippet and grant's insertion, with the document's own line breaks.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VSCODE_FEATURES } from '../../server/src/service/clientFeatures';
import { ONE_LINE_SPACING, objectText } from '../../server/src/service/json/objectLayout';
import { createManifestLanguageService } from '../../server/src/service/languageService';
import { applyEdits, doc, withCursor } from './util';

describe('objectText', () => {
  it('writes one property per line with the given line break and indentation', () => {
    assert.equal(
      objectText(['"permission": "customer_read"', '"purpose": "x"'], {
        multiline: true,
        indent: '    ',
        step: '  ',
        eol: '\r\n',
        ...ONE_LINE_SPACING,
      }),
      '{\r\n      "permission": "customer_read",\r\n      "purpose": "x"\r\n    }',
    );
  });

  it('writes a one-line object with its spacing', () => {
    const layout = { multiline: false, indent: '', step: '', eol: '\n' };
    assert.equal(
      objectText(['"a": 1', '"b": 2'], { ...layout, ...ONE_LINE_SPACING }),
      '{ "a": 1, "b": 2 }',
    );
    assert.equal(
      objectText(['"a": 1', '"b": 2'], { ...layout, open: '', between: '', close: '' }),
      '{"a": 1,"b": 2}',
    );
  });
});

describe('a new entry in a CRLF manifest', () => {
  const lines = (...text: string[]): string => text.join('\r\n');
  const head = ['{', '  "id": "com.example.app",', '  "permissions": ['];
  const first = [
    '    {',
    '      "permission": "invoice_read",',
    `      "purpose": "Lists the customer's invoices."`,
    '    },',
  ];
  const tail = ['  ]', '}', ''];

  it('is the same text from completion and from grant', () => {
    const service = createManifestLanguageService();
    service.setClientFeatures({ ...VSCODE_FEATURES, snippets: false });
    const { document, position } = withCursor(lines(...head, ...first, '    |', ...tail));
    const items = service.doComplete(document, position, service.parseManifest(document)).items;
    const item = items.find((candidate) => candidate.label === 'customer_read');
    assert.ok(item?.textEdit && 'range' in item.textEdit);
    const completed = applyEdits(document, [item.textEdit]);
    const suggested = service.suggestPurpose('customer_read');

    const base = doc(lines(...head, ...first.slice(0, -1), '    }', ...tail));
    const granted = service.grant(base, service.parseManifest(base), 'customer_read', suggested);
    assert.equal(granted.status, 'granted');
    const expected = lines(
      ...head,
      ...first,
      '    {',
      '      "permission": "customer_read",',
      `      "purpose": ${JSON.stringify(suggested)}`,
      '    }',
      ...tail,
    );
    assert.equal(applyEdits(base, granted.edits), expected);
    assert.equal(completed, expected);
    assert.ok(!/[^\r]\n/.test(completed));
  });
});
