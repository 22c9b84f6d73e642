import { MarkupKind, type MarkupContent } from 'vscode-languageserver-types';

/**
 * What the editor on the other end can take, as the service needs it: the LSP glue reads it from
 * the client's declared capabilities (the service never sees the protocol). The defaults are what
 * this extension's VS Code client takes, so the CLI and the unit tests see VS Code's results.
 */
export interface ClientFeatures {
  /** Completion items may be snippets (`completionItem.snippetSupport`); else plain text. */
  readonly snippets: boolean;
  /** The format of completion documentation (`completionItem.documentationFormat`). */
  readonly completionDocumentation: MarkupKind;
  /** The format of hover contents (`hover.contentFormat`). */
  readonly hoverContent: MarkupKind;
  /**
   * This extension's VS Code client: it runs VS Code's `editor.action.triggerSuggest` and the
   * extension's palette commands (code lenses), and filters completion fuzzily on the text from
   * the start of an item's range (the opening quote). Other editors get server commands and a
   * `filterText` that prefix matching on the word at the cursor finds.
   */
  readonly vscodeClient: boolean;
}

export const VSCODE_FEATURES: ClientFeatures = {
  snippets: true,
  completionDocumentation: MarkupKind.Markdown,
  hoverContent: MarkupKind.Markdown,
  vscodeClient: true,
};

/**
 * Markdown content in the requested format. The service's markdown is built from a few shapes
 * (see markdown.ts): backslash escapes, code spans, `**bold**` and `[text](https://…)` links, so
 * the plain text reads the same words with the links' addresses after them.
 */
export function inFormat(content: MarkupContent, format: MarkupKind): MarkupContent {
  if (content.kind === format || format !== MarkupKind.PlainText) return content;
  return { kind: MarkupKind.PlainText, value: markdownToPlainText(content.value) };
}

export function markdownToPlainText(markdown: string): string {
  let result = '';
  let index = 0;
  while (index < markdown.length) {
    const char = markdown.charAt(index);
    if (char === '\\' && index + 1 < markdown.length) {
      result += markdown.charAt(index + 1);
      index += 2;
    } else if (char === '`') {
      const close = markdown.indexOf('`', index + 1);
      if (close < 0) {
        result += markdown.slice(index);
        break;
      }
      result += markdown.slice(index + 1, close);
      index = close + 1;
    } else if (markdown.startsWith('**', index)) {
      index += 2;
    } else if (char === '[') {
      // A link's text follows; its `](url)` is turned into ` (url)` below.
      index += 1;
    } else if (markdown.startsWith('](', index)) {
      const close = markdown.indexOf(')', index + 2);
      if (close < 0) {
        result += markdown.slice(index);
        break;
      }
      result += ` (${markdown.slice(index + 2, close)})`;
      index = close + 1;
    } else {
      result += char;
      index += 1;
    }
  }
  return result;
}
