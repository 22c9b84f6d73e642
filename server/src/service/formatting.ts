import type { FormattingOptions } from 'jsonc-parser';

/** How a document is laid out, so edits can be written in the same style. */
export type DetectedFormatting = FormattingOptions & {
  /** The line break most of the document's lines end with: `\n`, `\r\n` or (old Mac files) `\r`. */
  eol: string;
  /** Whether the text ends with a line break (edits keep that as it is). */
  insertFinalNewline: boolean;
};

const DEFAULT_TAB_SIZE = 2;
/** Indentation steps wider than this are alignment, not indentation. */
const MAX_STEP = 8;

/**
 * Detects indentation (tabs or n spaces: the most common step between the indentation of
 * consecutive lines, 2 spaces when nothing tells), line breaks and the final newline.
 * One linear pass over the text, no regular expressions.
 */
export function detectFormatting(text: string): DetectedFormatting {
  let crlf = 0;
  let lf = 0;
  let cr = 0;
  let tabLines = 0;
  let spaceLines = 0;
  // stepCounts[n]: how often a line is indented n spaces deeper than the previous indented one.
  const stepCounts = new Array<number>(MAX_STEP + 1).fill(0);
  let previousSpaces = 0;

  let index = 0;
  const length = text.length;
  while (index < length) {
    // At the start of a line: measure its indentation.
    let spaces = 0;
    let tabs = 0;
    while (index < length) {
      const char = text.charCodeAt(index);
      if (char === 0x20) spaces++;
      else if (char === 0x09) tabs++;
      else break;
      index++;
    }
    const blank =
      index >= length || text.charCodeAt(index) === 0x0a || text.charCodeAt(index) === 0x0d;
    if (!blank) {
      if (tabs > 0 && spaces === 0) {
        tabLines++;
      } else if (spaces > 0 && tabs === 0) {
        spaceLines++;
        const step = spaces - previousSpaces;
        if (step > 0 && step <= MAX_STEP) stepCounts[step] = (stepCounts[step] ?? 0) + 1;
      }
      if (tabs === 0) previousSpaces = spaces;
    }
    // Skip to the end of the line and count its line break.
    while (index < length) {
      const char = text.charCodeAt(index);
      if (char === 0x0a) {
        lf++;
        index++;
        break;
      }
      if (char === 0x0d) {
        if (text.charCodeAt(index + 1) === 0x0a) {
          crlf++;
          index += 2;
        } else {
          cr++; // A lone CR (old Mac files): a line break of its own kind.
          index++;
        }
        break;
      }
      index++;
    }
  }

  const last = text.charCodeAt(text.length - 1);
  const insertFinalNewline = last === 0x0a || last === 0x0d;
  const eol = cr > lf && cr > crlf ? '\r' : crlf > lf ? '\r\n' : '\n';
  if (tabLines > spaceLines) {
    return { tabSize: 4, insertSpaces: false, eol, insertFinalNewline };
  }
  let tabSize = DEFAULT_TAB_SIZE;
  let best = 0;
  for (let step = 1; step <= MAX_STEP; step++) {
    const count = stepCounts[step] ?? 0;
    // Ties go to the smaller step: 2 and 4 tie when a file nests by 2 and aligns by 4.
    if (count > best) {
      best = count;
      tabSize = step;
    }
  }
  return { tabSize, insertSpaces: true, eol, insertFinalNewline };
}

/** One indentation step in the detected style. */
export function indentUnit(formatting: FormattingOptions): string {
  return formatting.insertSpaces === false ? '\t' : ' '.repeat(formatting.tabSize ?? 2);
}
