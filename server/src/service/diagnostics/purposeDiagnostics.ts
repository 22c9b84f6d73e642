import type { DiagnosticRelatedInformation } from 'vscode-languageserver-types';
import { catalog } from '../catalog';
import {
  nodeRange,
  type PermissionEntry,
  type PermissionList,
  type PurposeText,
  type ValueSpan,
} from '../manifestDocument';
import {
  isRecord,
  MANIFEST_REFERENCE_URL,
  makeFinding,
  type Finding,
  nodeSpan,
  type RuleContext,
  type Span,
  type CodeInfo,
  type Fix,
  type FixTarget,
  type Rule,
} from './common';
import { entryData, isAcceptedName } from './permissionRules';
import { accessBase } from '../nameSuggestions';
import { suggestPurpose } from '../purposeSuggestion';
import { findingEntry, findingPurpose, nameOf, setPurposeText } from './fixes';
import {
  PURPOSE_TEXT_CODES,
  REWRITE_CODES,
  checkPurposeText,
  withoutControls,
} from './purposeRules';

// One sentence for two related resources ("Required to read pricing data" for prices and
// products) is often honest; for three or more it is boilerplate (a real file explains 20
// permissions with "Handle payment transactions").
const MIN_REUSED_RESOURCES = 3;
const MAX_RELATED = 10;

interface Occurrence {
  readonly entry: PermissionEntry;
  /** Which of the entry's purpose texts (one per locale). */
  readonly text: number;
  readonly name: string;
  /** The catalog row (resource) the name belongs to: a read/write pair may share a purpose. */
  readonly resource: string;
}

/**
 * The purpose rules on every text (a locale map's too) of every list, plus purposes reused
 * across resources within a list.
 */
export function checkPurposes(context: RuleContext): Finding[] {
  const found: Finding[] = [];
  for (const list of context.manifest.lists) {
    for (const finding of checkList(context, list)) found.push(finding);
  }
  return found;
}

function checkList(context: RuleContext, list: PermissionList): Finding[] {
  const { manifest, settings } = context;
  const source = manifest.text;
  const yaml = manifest.format === 'yaml';
  const found: Finding[] = [];
  const groups = new Map<string, Occurrence[]>();
  for (const entry of list.entries) {
    const name = entry.name?.trim() ?? '';
    const texts = entry.purposeTexts;
    for (let text = 0; text < texts.length; text++) {
      const purpose = texts[text] as PurposeText;
      const findings = checkPurposeText(name, purpose.text, settings, manifest);
      for (const finding of findings) {
        const data: Record<string, unknown> = entryData(list, entry, { permission: name });
        if (purpose.locale !== undefined) data.locale = purpose.locale;
        if (isRecord(finding.data)) Object.assign(data, finding.data);
        const built = makeFinding(
          context,
          finding.code,
          findingSpan(source, purpose, finding, yaml),
          finding.message,
          { href: MANIFEST_REFERENCE_URL, data },
        );
        if (built) found.push(built);
      }
      const key = reuseKey(purpose.text);
      if (
        key !== '' &&
        isAcceptedName(name, context.allowed) &&
        !findings.some((finding) => REWRITE_CODES.has(finding.code))
      ) {
        const occurrence = { entry, text, name, resource: resourceOf(name) };
        const group = groups.get(key);
        if (group) group.push(occurrence);
        else groups.set(key, [occurrence]);
      }
    }
  }
  for (const group of groups.values()) {
    for (const finding of reused(context, list, group)) found.push(finding);
  }
  return found;
}

/**
 * One diagnostic on every occurrence of a purpose that explains permissions of several
 * resources: each of them needs its own reason, so none is singled out as "the original".
 */
function reused(
  context: RuleContext,
  list: PermissionList,
  group: readonly Occurrence[],
): Finding[] {
  if (
    group.length < MIN_REUSED_RESOURCES ||
    new Set(group.map((occurrence) => occurrence.resource)).size < MIN_REUSED_RESOURCES
  ) {
    return [];
  }
  const { document } = context;
  const purposeOf = (occurrence: Occurrence): PurposeText | undefined =>
    occurrence.entry.purposeTexts[occurrence.text];
  const found: Finding[] = [];
  // Each diagnostic links to a few of the others, not all: a sentence reused a thousand times
  // would otherwise cost a million related locations.
  const linked = group.slice(0, MAX_RELATED + 1).flatMap((other) => {
    const purpose = purposeOf(other);
    return purpose
      ? [{ other, location: { uri: document.uri, range: nodeRange(document, purpose.node) } }]
      : [];
  });
  const names = [...new Set(group.map((occurrence) => occurrence.name))];
  for (const occurrence of group) {
    // The other names are in the related information and `data`, not the message (short).
    const purpose = purposeOf(occurrence);
    if (!purpose) continue;
    const otherNames = names.filter((name) => name !== occurrence.name);
    const relatedInformation: DiagnosticRelatedInformation[] = linked
      .filter(({ other }) => other !== occurrence)
      .slice(0, MAX_RELATED)
      .map(({ other, location }) => ({
        location,
        message: `The same purpose for "${other.name}"`,
      }));
    const diagnostic = makeFinding(
      context,
      'reused-purpose',
      nodeSpan(purpose.node),
      `Reused purpose (${otherNames.length} other permission${otherNames.length === 1 ? '' : 's'}): say why "${occurrence.name}" is needed.`,
      {
        href: MANIFEST_REFERENCE_URL,
        relatedInformation,
        data: entryData(
          list,
          occurrence.entry,
          purpose.locale !== undefined
            ? { permission: occurrence.name, locale: purpose.locale, permissions: otherNames }
            : { permission: occurrence.name, permissions: otherNames },
        ),
      },
    );
    if (diagnostic) found.push(diagnostic);
  }
  return found;
}

// One string per name and one key per text, remembered: measured, without them diagnostics of
// a realistic 100-entry manifest take about 20 % longer (every text is normalised on every
// keystroke).
const resources = new Map<string, string>();
const reuseKeys = new Map<string, string>();

/** The catalog row (product › resource) of a name, or the name without its access. */
function resourceOf(name: string): string {
  let resource = resources.get(name);
  if (resource === undefined) {
    const info = catalog.get(name);
    resource = info ? `${info.product} › ${info.resource}` : accessBase(name);
    if (resources.size >= 10_000) resources.clear();
    resources.set(name, resource);
  }
  return resource;
}

/** Texts that differ only in case, spacing or final punctuation are the same text. */
function reuseKey(text: string): string {
  const known = reuseKeys.get(text);
  if (known !== undefined) return known;
  const key = normalizeForReuse(text);
  if (reuseKeys.size >= 20_000) reuseKeys.clear();
  if (text.length <= 10_000) reuseKeys.set(text, key);
  return key;
}

function normalizeForReuse(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[.!\s]+$/, '');
}

/**
 * Where a finding is in the source: the whole string node for a finding about the whole (empty)
 * text, else the finding's own characters, mapped from the value to the source by the format.
 */
function findingSpan(
  source: string,
  purpose: PurposeText,
  finding: { code: string; start: number; end: number },
  yaml: boolean,
): Span {
  const node = purpose.node;
  if (finding.start === finding.end || finding.code === 'empty-purpose') return nodeSpan(node);
  const span = (yaml ? yamlSpan : jsonSpan)(source, purpose, finding);
  return span ?? nodeSpan(node);
}

/**
 * A JSON string's value differs from its source when it has escapes (`\n`, `\u001b`), so value
 * offsets are mapped through the raw text; undefined when they cannot be.
 */
function jsonSpan(
  source: string,
  { node, text }: PurposeText,
  finding: { start: number; end: number },
): Span | undefined {
  const offsets = valueToSourceOffsets(source, node, text);
  const start = offsets === IDENTITY ? finding.start : offsets?.[finding.start];
  const end = offsets === IDENTITY ? finding.end : offsets?.[finding.end];
  if (start === undefined || end === undefined) return undefined;
  return { start: node.offset + 1 + start, end: node.offset + 1 + end };
}

/**
 * A YAML scalar: a plain scalar on one line, or a quoted one without escapes, holds its text as
 * written (after its quote); anything else (a block scalar, escapes, a folded line): undefined.
 */
function yamlSpan(
  source: string,
  { node, text }: PurposeText,
  finding: { start: number; end: number },
): Span | undefined {
  const raw = source.slice(node.offset, node.offset + node.length);
  const quote = raw.charAt(0);
  const quoted = (quote === '"' || quote === "'") && raw.length >= 2 && raw.endsWith(quote);
  const body = quoted ? raw.slice(1, -1) : raw;
  if (node.block || body !== text) return undefined;
  const start = node.offset + (quoted ? 1 : 0);
  return { start: start + finding.start, end: start + finding.end };
}

/** The mapping of a string without escapes: each value offset is its source offset. */
const IDENTITY: readonly number[] = [];

/**
 * For each offset in the string's value (and its end), the offset in the raw text after `"`;
 * `IDENTITY` when the two are the same.
 */
function valueToSourceOffsets(
  source: string,
  node: ValueSpan,
  value: string,
): readonly number[] | undefined {
  const closed = node.length >= 2 && source[node.offset + node.length - 1] === '"';
  const rawLength = node.length - (closed ? 2 : 1);
  // Every escape is longer in the source than in the value: same length, no escape.
  if (rawLength === value.length) return IDENTITY;
  const raw = source.slice(node.offset + 1, node.offset + 1 + rawLength);
  const offsets: number[] = [];
  let i = 0;
  while (i < raw.length) {
    offsets.push(i);
    if (raw[i] === '\\') i += raw[i + 1] === 'u' ? 6 : 2;
    else i += 1;
  }
  offsets.push(raw.length);
  // A malformed escape (the parser reported it) leaves the two out of step: no mapping.
  return offsets.length === value.length + 1 ? offsets : undefined;
}

// ---------------------------------------------------------------------------------------------
// The rule: its codes (those of the purpose text rules and reuse), its check and its fixes

export const PURPOSE_CODES = {
  ...PURPOSE_TEXT_CODES,
  'reused-purpose': {
    severity: 'information',
    description: 'The same purpose given for many permissions.',
    docs: 'the same text explains several different permissions.',
    reference: 'manifest',
  },
} as const satisfies Record<string, CodeInfo>;

export const purposeRule: Rule<keyof typeof PURPOSE_CODES> = {
  codes: PURPOSE_CODES,
  check: checkPurposes,
  fixes: {
    'purpose-control-characters': (target) =>
      cleanupFixes(target, 'Remove the control characters from the purpose'),
    'purpose-escape-leftover': (target) =>
      cleanupFixes(target, 'Remove the terminal leftover from the purpose'),
    'purpose-whitespace': whitespaceFixes,
    // Only while the text is still empty: the suggestion replaces it.
    'empty-purpose': (target) =>
      findingText(target)?.purpose.text.trim() === '' ? suggestionFixes(target) : [],
    'placeholder-purpose': placeholderFixes,
  },
};

/** The purpose text a finding is on, with its entry and the title's locale. */
function findingText(
  target: FixTarget,
): { entry: PermissionEntry; purpose: PurposeText; where: string } | undefined {
  const entry = findingEntry(target);
  const purpose = entry && findingPurpose(entry, target.offset);
  if (!entry || !purpose || (target.data.locale ?? undefined) !== purpose.locale) return undefined;
  return { entry, purpose, where: purpose.locale !== undefined ? ` (${purpose.locale})` : '' };
}

/**
 * The text without its control characters or terminal leftovers (`data.cleaned`), while it is
 * still what the text gives. A leftover is printable text: a person confirms it is not meant,
 * so neither is safe for fix-all.
 */
function cleanupFixes(target: FixTarget, title: string): Fix[] {
  const found = findingText(target);
  const cleaned = target.data.cleaned;
  if (!found || typeof cleaned !== 'string' || cleaned.trim() === '') return [];
  const { entry, purpose, where } = found;
  if (withoutControls(purpose.text) !== cleaned) return [];
  return [
    {
      title: `${title}${where}`,
      preferred: true,
      safe: false,
      apply: (edit) => setPurposeText(edit, entry, purpose, cleaned),
    },
  ];
}

function whitespaceFixes(target: FixTarget): Fix[] {
  const found = findingText(target);
  if (!found) return [];
  const { entry, purpose, where } = found;
  const trimmed = purpose.text.trim();
  if (trimmed !== target.data.trimmed) return [];
  return [
    {
      title: `Trim white space from the purpose${where}`,
      preferred: true,
      safe: true,
      apply: (edit) => setPurposeText(edit, entry, purpose, trimmed),
    },
  ];
}

/** The suggested purpose instead of the text, left selected for the user to rewrite. */
function suggestionFixes(target: FixTarget, preferred = true): Fix[] {
  const found = findingText(target);
  if (!found) return [];
  const { entry, purpose, where } = found;
  const suggested = suggestPurpose(nameOf(entry), target.manifest.appName);
  return [
    {
      title: `Replace with suggested purpose "${suggested}"${where}`,
      preferred,
      safe: false,
      apply: (edit) => setPurposeText(edit, entry, purpose, suggested),
      selects: { literal: JSON.stringify(suggested), from: purpose.node.offset },
    },
  ];
}

/** A placeholder about the app inside a sentence (`data.placeholder`): the app's name instead. */
function placeholderFixes(target: FixTarget): Fix[] {
  const found = findingText(target);
  const placeholder = target.data.placeholder;
  if (!found || typeof placeholder !== 'string') return [];
  const { entry, purpose, where } = found;
  const at = purpose.text.indexOf(placeholder);
  const appName = target.manifest.appName;
  if (at === -1) return [];
  if (placeholder.trim() === purpose.text.trim() || !appName || !/app/i.test(placeholder)) {
    return suggestionFixes(target);
  }
  const filled = purpose.text.slice(0, at) + appName + purpose.text.slice(at + placeholder.length);
  return [
    {
      title: `Replace "${placeholder}" with "${appName}"${where}`,
      preferred: true,
      safe: false,
      apply: (edit) => setPurposeText(edit, entry, purpose, filled),
    },
    ...suggestionFixes(target, false),
  ];
}
