import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range, TextEdit } from 'vscode-languageserver-types';

/**
 * A document from inline text with the cursor marked by `|` (the only `|` in the text).
 * `uri` defaults to a base manifest.
 */
export function withCursor(
  textWithCursor: string,
  uri = 'file:///app/stripe-app.json',
): { document: TextDocument; offset: number; position: Position } {
  const offset = textWithCursor.indexOf('|');
  if (offset < 0 || textWithCursor.indexOf('|', offset + 1) >= 0) {
    throw new Error('mark the cursor with exactly one |');
  }
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  const document = TextDocument.create(uri, 'json', 1, text);
  return { document, offset, position: document.positionAt(offset) };
}

export function doc(text: string, uri = 'file:///app/stripe-app.json', version = 1): TextDocument {
  return TextDocument.create(uri, 'json', version, text);
}

export function applyEdits(document: TextDocument, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(document, [...edits]);
}

/** The range of the first (or nth) occurrence of `needle` in the document. */
export function rangeOf(document: TextDocument, needle: string, occurrence = 0): Range {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) {
    offset = document.getText().indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`"${needle}" not found (occurrence ${occurrence})`);
  }
  return { start: document.positionAt(offset), end: document.positionAt(offset + needle.length) };
}

/** A manifest text with the given permissions array body, formatted as the Stripe CLI does. */
export function manifestWith(permissionsJson: string): string {
  return `{
  "id": "com.example.app",
  "version": "1.0.0",
  "name": "Example App",
  "icon": "./icon.png",
  "permissions": ${permissionsJson},
  "ui_extension": { "views": [] }
}
`;
}
