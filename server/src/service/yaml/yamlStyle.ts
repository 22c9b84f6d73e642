import { stringify } from 'yaml';

/*
 * How a YAML manifest is laid out, and the text of new block values in that layout: one
 * definition for the YAML editor (grant's new entry, a new property) and for completion's entry
 * snippet, so both write a new entry the same way.
 */

/** How the file indents: the step, whether sequence items sit deeper than their key, its EOL. */
export interface YamlStyle {
  readonly indent: number;
  readonly indentSeq: boolean;
  readonly eol: string;
}

export function detectYamlStyle(text: string): YamlStyle {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let indent = 0;
  let indentSeq: boolean | undefined;
  const lines = text.split(/\r\n|\r|\n/);
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const previous = lines[index - 1] ?? '';
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const depth = line.length - line.trimStart().length;
    const previousDepth = previous.length - previous.trimStart().length;
    if (indent === 0 && depth > 0 && !line.trimStart().startsWith('- ')) indent = depth;
    if (indentSeq === undefined && line.trimStart().startsWith('- ') && /:\s*$/.test(previous)) {
      indentSeq = depth > previousDepth;
    }
    if (indent !== 0 && indentSeq !== undefined) break;
  }
  return { indent: indent === 2 || indent === 4 ? indent : 2, indentSeq: indentSeq ?? true, eol };
}

/** The YAML text of a block value, each line indented by `indent` spaces. */
export function yamlBlockText(value: unknown, indent: number, style: YamlStyle): string {
  const raw = stringify(value, { indent: style.indent, indentSeq: style.indentSeq, lineWidth: 0 });
  const pad = ' '.repeat(indent);
  return raw
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => (line ? pad + line : line))
    .join(style.eol);
}

/** The column of the items of a new block list under a key at `keyColumn`. */
export function newItemColumn(keyColumn: number, style: YamlStyle): number {
  return keyColumn + (style.indentSeq ? style.indent : 0);
}

/**
 * A new permission entry as a block sequence item (`- permission: …` then `purpose: …`) with
 * its dash at `column`: the text grant inserts for a new entry.
 */
export function yamlEntryText(
  permission: string,
  purpose: string,
  column: number,
  style: YamlStyle,
): string {
  return yamlBlockText([{ permission, purpose }], column, style);
}
