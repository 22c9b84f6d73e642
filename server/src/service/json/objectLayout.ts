/**
 * The layout of a new JSON object (a permission entry): one definition for completion's snippet
 * and the edit port's insertion (grant, a split entry), so both write the same text.
 */

export interface ObjectLayout {
  /** One property per line, or all on one line. */
  readonly multiline: boolean;
  /** Multi-line: the indentation of the object's own line (its closing brace's). */
  readonly indent: string;
  /** Multi-line: each property's indentation beyond `indent`. */
  readonly step: string;
  /** Multi-line: the document's line break (detected, so CRLF files stay CRLF). */
  readonly eol: string;
  /** One line: the white space after `{`, after each comma and before `}`. */
  readonly open: string;
  readonly between: string;
  readonly close: string;
}

/** A one-line object's spacing when no existing entry shows another: `{ "a": 1, "b": 2 }`. */
export const ONE_LINE_SPACING = { open: ' ', between: ' ', close: ' ' } as const;

/** An object's text from its properties' texts (`"key": value`), in a layout. */
export function objectText(properties: readonly string[], layout: ObjectLayout): string {
  if (layout.multiline) {
    const inner = layout.indent + layout.step;
    const lines = properties.map((property) => layout.eol + inner + property);
    return `{${lines.join(',')}${layout.eol}${layout.indent}}`;
  }
  return `{${layout.open}${properties.join(`,${layout.between}`)}${layout.close}}`;
}
