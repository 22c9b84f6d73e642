import { MarkupKind, type MarkupContent } from 'vscode-languageserver-types';
import { catalog, type PermissionInfo } from './catalog';
import { listPhrase } from './listPhrase';

/**
 * Markdown for hovers and completion documentation. Hovers are never trusted by the server, but
 * escaping is what keeps user text (a permission name, an app name) from becoming a link, a
 * command URI, an image, HTML or a heading: every such text goes through `escapeMarkdown` or
 * `code`, and links are only built from catalog URLs that pass `safeUrl`.
 */

/** Characters with a meaning in CommonMark/GFM inline or block syntax, escaped with a backslash. */
const MARKDOWN_SPECIAL = /[\\`*_{}[\]()<>#+\-.!|~:&$=]/g;
/** Control characters, terminal escapes' ESC, line/paragraph separators and bidi overrides. */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** Half of a surrogate pair without the other half (not text; JSON-RPC would mangle it). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const DEFAULT_MAX_LENGTH = 200;

/** Makes text safe and single-line: invisible characters become U+FFFD, runs of space collapse. */
export function plainInline(text: string, maxLength = DEFAULT_MAX_LENGTH): string {
  const flat = text
    .replace(/\s+/g, ' ')
    .replace(INVISIBLE, '\uFFFD')
    .replace(LONE_SURROGATE, '\uFFFD');
  if (flat.length <= maxLength) return flat;
  // Cut before a surrogate pair rather than through it.
  const cut = /[\uD800-\uDBFF]/.test(flat.charAt(maxLength - 2)) ? maxLength - 2 : maxLength - 1;
  return `${flat.slice(0, cut)}…`;
}

/**
 * Escapes text for use inside markdown: every markdown special is backslash-escaped (so no link,
 * autolink, command URI, image, emphasis or HTML can form), and the text is kept on one line.
 */
export function escapeMarkdown(text: string, maxLength = DEFAULT_MAX_LENGTH): string {
  return plainInline(text, maxLength).replace(MARKDOWN_SPECIAL, (char) => `\\${char}`);
}

/** A code span for identifier-like text; anything else is escaped as plain text. */
export function code(text: string): string {
  return /^[A-Za-z0-9_.,\- ]{1,100}$/.test(text) && text.trim() !== ''
    ? `\`${text}\``
    : escapeMarkdown(text);
}

/** A bold, escaped text. */
export function bold(text: string): string {
  return `**${escapeMarkdown(text)}**`;
}

/** An https URL made only of characters that cannot end or break a markdown link. */
export function safeUrl(url: string | undefined): string | undefined {
  return url !== undefined && /^https:\/\/[A-Za-z0-9\-._~/?#@!$&'*+,;=%:]+$/.test(url)
    ? url
    : undefined;
}

/** A markdown link when the URL is safe, else just the escaped text. */
export function link(text: string, url: string | undefined): string {
  const safe = safeUrl(url);
  return safe === undefined ? escapeMarkdown(text) : `[${escapeMarkdown(text)}](${safe})`;
}

/** Joins paragraphs (skipping empty ones) into markdown content. */
export function markdown(paragraphs: readonly (string | undefined | false)[]): MarkupContent {
  return {
    kind: MarkupKind.Markdown,
    value: paragraphs
      .filter((part): part is string => typeof part === 'string' && part !== '')
      .join('\n\n'),
  };
}

/** "`a`, `b` and `c`" for catalog names. */
export function codeList(names: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  return listPhrase(names.map(code), conjunction);
}

/** The link to the permissions reference the catalog was generated from. */
export function referenceLink(): string {
  return link('Permissions reference', catalog.source.url);
}

export interface PermissionDocsOptions {
  /** Whether a name is granted in the manifest at hand; without it, grant status is not shown. */
  readonly isGranted?: (name: string) => boolean;
}

/**
 * The documentation of a catalog permission, as paragraphs: where it belongs, what it allows,
 * its sibling(s), implications, notes (legacy, restricted, sensitive) and links. Used by hover
 * (with grant status) and by completion resolve (without).
 */
export function permissionDocs(
  info: PermissionInfo,
  options: PermissionDocsOptions = {},
): string[] {
  const { isGranted } = options;
  const status = (name: string): string =>
    isGranted === undefined ? '' : isGranted(name) ? ', granted' : ', not granted';
  const siblings = info.siblings.map((sibling) => {
    const access = catalog.get(sibling)?.access;
    return `${code(sibling)} (${access === undefined ? 'same resource' : `${access} access`}${status(sibling)})`;
  });
  const implies = catalog.implies(info.name);
  // The resources, not only the names: one of them (Balance Transfers) has no permission.
  const impliedResources = catalog.impliedResources(info.name);
  const impliedBy = catalog.impliedBy(info.name);
  const grantedImplying = isGranted ? impliedBy.filter(isGranted) : [];
  const grantedImplied = isGranted ? implies.filter(isGranted) : [];
  const legacy = catalog.legacy(info.name);
  const restricted = catalog.restricted(info.name);
  const sensitive = catalog.sensitive(info.name);
  const docs = safeUrl(info.docsUrl);
  return [
    `${code(info.name)} · **${info.access}** access`,
    `${escapeMarkdown(info.product)} › ${escapeMarkdown(info.resource)}`,
    escapeMarkdown(info.description, 1000),
    siblings.length > 0 && `Sibling: ${siblings.join(', ')}`,
    impliedResources.length > 0 &&
      `Also grants read access to ${listPhrase(
        impliedResources.map(({ resource, permission }) =>
          permission === undefined
            ? `${escapeMarkdown(resource)} (no permission of its own)`
            : `${escapeMarkdown(resource)} (${code(permission)})`,
        ),
      )}.` +
        (grantedImplied.length > 0
          ? ` Listing ${codeList(grantedImplied)} as well is redundant.`
          : ''),
    grantedImplying.length > 0
      ? `Already granted by ${codeList(grantedImplying, 'or')}: this entry is redundant.`
      : impliedBy.length > 0 && `Also granted by ${codeList(impliedBy, 'or')}.`,
    legacy && `**Legacy API.** ${escapeMarkdown(legacy.note, 1000)}`,
    restricted && `**Restricted.** ${escapeMarkdown(restricted.note, 1000)}`,
    sensitive &&
      `**Sensitive.** ${escapeMarkdown(capitalize(sensitive.note.replace(/^sensitive:\s*/i, '')), 1000)}`,
    [docs !== undefined && link(`${info.resource} API reference`, docs), referenceLink()]
      .filter((part): part is string => typeof part === 'string')
      .join(' · '),
  ].filter((part): part is string => typeof part === 'string' && part !== '');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
