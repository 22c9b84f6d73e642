import { catalog } from '../catalog';
import type { ManifestDocument } from '../manifestDocument';
import { normalizePermissionName, singular } from '../nameSuggestions';
import type { ManifestServiceSettings, SeverityName } from '../settings';
import { severityFor, type CodeInfo } from './common';
import type { DiagnosticCode } from './registry';

/** The codes of the rules on one purpose text (purposeDiagnostics.ts runs them on a manifest). */
export const PURPOSE_TEXT_CODES = {
  'empty-purpose': {
    severity: 'error',
    description: 'An empty purpose.',
    docs: 'the purpose is empty or only white space.',
    reference: 'manifest',
  },
  'placeholder-purpose': {
    severity: 'warning',
    description: 'A placeholder left as the purpose.',
    docs: 'a placeholder purpose (`TODO`, `test`, `EXPLANATION`, `[YOUR APP]`…).',
    reference: 'manifest',
  },
  'purpose-restates-permission': {
    severity: 'warning',
    description: 'A purpose that only restates the permission name.',
    docs: 'the purpose only restates the name (`"Payment intent read"`).',
    reference: 'manifest',
  },
  'short-purpose': {
    severity: 'warning',
    description: 'A purpose too short to say what the app does with the permission.',
    docs: 'a purpose with fewer words than `#stripeApps.purpose.minWords#`.',
    reference: 'manifest',
  },
  'long-purpose': {
    severity: 'warning',
    description: 'A purpose longer than the install dialog shows well.',
    docs: 'a purpose longer than `#stripeApps.purpose.maxLength#` characters.',
    reference: 'manifest',
  },
  'purpose-control-characters': {
    severity: 'error',
    description: 'Control characters in a purpose.',
    docs: 'control characters (ESC, NUL, line breaks…) in a purpose.',
    reference: 'manifest',
  },
  'purpose-escape-leftover': {
    severity: 'warning',
    description: 'Leftovers of a terminal escape sequence (such as ";5B") in a purpose.',
    docs: 'what a terminal left of an escape sequence without its ESC byte (`;5B`, `[200~`) in a purpose.',
    reference: 'manifest',
  },
  'purpose-whitespace': {
    severity: 'hint',
    description: 'Leading, trailing or repeated white space in a purpose.',
    docs: 'leading or trailing white space in a purpose.',
    reference: 'manifest',
  },
} as const satisfies Record<string, CodeInfo>;

export type PurposeTextCode = keyof typeof PURPOSE_TEXT_CODES;

/** Findings that say the text must be rewritten (such a text is not also "reused"). */
export const REWRITE_CODES: ReadonlySet<string> = new Set([
  'empty-purpose',
  'placeholder-purpose',
  'purpose-restates-permission',
]);

/**
 * The purpose rules, on one text: the diagnostics map the findings into the string node, and
 * the grant command checks what the user typed with the same function.
 */
export interface PurposeFinding {
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly severity: SeverityName;
  /** offsets relative to the text */
  readonly start: number;
  readonly end: number;
  readonly data?: unknown;
}

// ESC sequences (CSI, OSC, two-character), the C1 CSI, then any other C0/C1 control or DEL.
const ESCAPE_SEQUENCE =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])?|\x9b[0-?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\x00-\x1f\x7f-\x9f]/g;
// What is left of an escape sequence when the terminal ate the ESC (and sometimes the "[1"):
// "^[[A" (caret notation), "[5~" and "[200~" (paste), "[1;5B", and ";5B" as in
// "Integrate POS ;5Btransactions". The forms with "~" or ";" are distinctive anywhere; a bare
// "[2A" only standing alone. Digits are required, so "[YOUR APP]" or "[2]" never match.
const ESCAPE_LEFTOVER = new RegExp(
  [
    String.raw`\^\[\[?[0-9;]*[A-Za-z~]?`,
    String.raw`\[\d{1,3}(?:;\d{1,2})*~`,
    String.raw`\[\d{1,2}(?:;\d{1,2})+[A-DFH]`,
    String.raw`(?<![\w\]])\[\d{1,2}[A-DFH](?!\])`,
    String.raw`(?<![\w;[]);\d{1,2}[A-DFH~]`,
  ].join('|'),
  'g',
);

// Placeholders that give a text away wherever they appear. "TODO" only in capitals or as
// "todo:", because "store todo items" is a real purpose.
const PLACEHOLDER_ANYWHERE: readonly RegExp[] = [
  /\bTODO\b/,
  /\btodo\s*:/i,
  /\b(?:TBD|FIXME|x{3,})\b/i,
  /\bEXPLANATION\b/,
  /lorem\s+ipsum/i,
  /\[\s*(?:your|insert|app|company|product|reason|purpose|explanation|description)\b[^\]\n]{0,40}\]/i,
  // A template's instruction in brackets: "[Explain why you need this]",
  // "<describe why your app needs this permission>".
  /\[\s*(?:explain|describe|enter|add|write|state)\b[^\]\n]{0,80}\]/i,
  /<\s*(?:your|insert|app|explain|describe|enter|add|write|state)\b[^>\n]{0,80}>/i,
  /\{\{[^{}\n]{1,40}\}\}/,
  /\bYOUR_APP(?:_NAME)?\b/i,
];

// Texts that are a placeholder as a whole (lower case, outer punctuation removed). A sentence
// that merely contains "test" ("Grants access to Test clocks") is not one.
const PLACEHOLDER_WHOLE: readonly RegExp[] = [
  /^(?:(?:just|for|a|only)\s+)*test(?:s|ing|ed)?(?:[\s_-]*(?:\d+|purposes?|only|app|permission|description|explanation|text|test(?:ing)?))*$/,
  /^(?:(?:your|the|a|an|some|add|enter|insert|write|my)\s+){0,3}(?:explanation|purpose|description|reason|permission|placeholder|justification)(?:\s+(?:here|goes here|text|todo|tbd))?$/,
  // A template's instruction left in place: "Explain why your app needs this permission.",
  // "Describe what this permission is used for". A real purpose says what the app does; it
  // does not ask the reader to explain something about "your app" or "this permission".
  /^(?:please\s+)?(?:explain|describe|state|say|tell us|enter|write|add)\s+(?:here\s+)?(?:why|what|how)\b.{0,80}\b(?:your app|the app|this app|this permission|the permission|you need|it is needed|it's needed)\b.{0,40}$/,
  /^(?:n\/?a|n\.a|na|none|nothing|null|nil|undefined|tbd|todo|fixme|wip|tk|temp|tmp|dummy|sample|example|change ?me|hello(?: world)?)$/,
  /^(?:asdf\w*|qwerty\w*|foo|bar|baz|foo ?bar|lorem|blah(?:\s+blah)*|abc|abcd|xyz)$/,
  // One character repeated ("aaaa", "xxx") or only digits.
  /^(.)\1{2,}$/,
  /^\d+$/,
];

// Words that say nothing beyond "this app may use the permission": articles, pronouns,
// reading verbs and generic nouns. Singular forms, as the text's words are singularised first.
const FILLER = new Set(
  [
    'a an the to of for and or in on at by with from into about as via this that these those',
    'it its all any every each some our your their my his her we you they us them be is are can',
    'will may also',
    'read reading access accessing view viewing see get getting fetch retrieve retrieving list',
    'listing use using need needed require required grant granted allow allowed let enable',
    'enabled',
    'permission app application stripe data information info detail record object api',
  ]
    .join(' ')
    .split(' '),
);
// What write access means: filler for a _write permission, but a read permission's purpose
// that says "create" says something (even if it is wrong).
const WRITE_FILLER = new Set(
  'write writing written create creating update updating edit editing manage managing modify delete'.split(
    ' ',
  ),
);

const WORD_SEGMENTER = new Intl.Segmenter('en', { granularity: 'word' });
// ASCII letters bounded by ASCII white space; not \s, which has U+FEFF (a Format character,
// which the segmenter skips inside a word).
const PLAIN_WORD = /(?<![^ \t\n\r])[A-Za-z]+(?![^ \t\n\r])/g;

// Every keystroke re-validates texts that did not change; findings depend only on the
// permission, the text, the app's name and the settings (a new settings object on every
// configure, so the WeakMap drops stale results by itself). Kept because it is measured: without
// it, diagnostics of a realistic 100-entry manifest take about 3× as long (the purpose rules are
// most of their cost). Nested maps, not a joined key: building a key string per purpose was
// itself a cost on large manifests.
type FindingsByText = Map<string, readonly PurposeFinding[]>;
const memo = new WeakMap<ManifestServiceSettings, Map<string, Map<string, FindingsByText>>>();
let remembered = 0;
const MEMO_LIMIT = 20_000;

/** Judges one purpose text. One finding per rule at most, the most important first. */
export function checkPurposeText(
  permission: string,
  text: string,
  settings: ManifestServiceSettings,
  manifest?: ManifestDocument,
): readonly PurposeFinding[] {
  let byApp = memo.get(settings);
  if (!byApp || remembered >= MEMO_LIMIT) {
    byApp = new Map();
    memo.set(settings, byApp);
    remembered = 0;
  }
  const appName = manifest?.appName ?? '';
  let byPermission = byApp.get(appName);
  if (!byPermission) {
    byPermission = new Map();
    byApp.set(appName, byPermission);
  }
  let byText = byPermission.get(permission);
  if (!byText) {
    byText = new Map();
    byPermission.set(permission, byText);
  }
  const known = byText.get(text);
  if (known) return known;
  const findings = judgePurposeText(permission, text, settings, manifest);
  // Huge texts are rare and would pin memory: only ordinary ones are remembered.
  if (text.length <= 10_000) {
    byText.set(text, findings);
    remembered++;
  }
  return findings;
}

function judgePurposeText(
  permission: string,
  text: string,
  settings: ManifestServiceSettings,
  manifest?: ManifestDocument,
): PurposeFinding[] {
  const findings: PurposeFinding[] = [];
  const emit = (
    code: PurposeTextCode,
    start: number,
    end: number,
    message: string,
    data?: unknown,
  ): boolean => {
    const severity = severityFor(code, settings, PURPOSE_TEXT_CODES);
    if (!severity) return false;
    findings.push({ code, message, severity, start, end, ...(data !== undefined ? { data } : {}) });
    return true;
  };
  const name = permission.trim();
  const why = name ? `say why the app needs "${name}"` : 'say why the app needs it';

  const leading = /^\s*/.exec(text)?.[0].length ?? 0;
  const trailingStart = leading === text.length ? text.length : text.trimEnd().length;
  const controls = findControls(text, leading, trailingStart);
  // Real control characters (ESC, NUL, a line break inside) are errors; what a terminal left of
  // an escape sequence without its ESC (";5B") is printable text Stripe accepts: a warning.
  const leftovers = controls.spans.filter((span) => span.kind === 'leftover');
  const real = controls.spans.filter((span) => span.kind !== 'leftover');
  const firstReal = real[0];
  const lastReal = real[real.length - 1];
  if (firstReal && lastReal) {
    const sample = JSON.stringify(text.slice(firstReal.start, firstReal.end));
    const what =
      firstReal.kind === 'break'
        ? 'Line break or tab in the purpose: write it on one line'
        : firstReal.kind === 'escape'
          ? `Terminal escape ${clip(sample)} in the purpose: remove it`
          : `Control character ${sample} in the purpose: remove it`;
    emit(
      'purpose-control-characters',
      firstReal.start,
      lastReal.end,
      `${what}${real.length > 1 ? ` (${real.length} places)` : ''}.`,
      { cleaned: controls.cleaned },
    );
  }
  const firstLeftover = leftovers[0];
  const lastLeftover = leftovers[leftovers.length - 1];
  if (firstLeftover && lastLeftover) {
    const sample = text.slice(firstLeftover.start, firstLeftover.end);
    emit(
      'purpose-escape-leftover',
      firstLeftover.start,
      lastLeftover.end,
      `Terminal leftover ${JSON.stringify(clip(sample))} in the purpose: remove it.`,
      { cleaned: controls.cleaned, leftover: sample },
    );
  }
  const clean = controls.cleaned;
  if (clean.trim() === '') {
    emit('empty-purpose', 0, text.length, `Empty purpose: ${why}.`);
    return findings;
  }
  // Other rules judge the text without controls; their range is the trimmed text unless a
  // rule can point at something narrower.
  const whole = { start: leading, end: trailingStart };

  let judged = false;
  const placeholder = findPlaceholder(text, clean);
  if (placeholder) {
    const span = placeholder.whole ? whole : placeholder;
    const quoted = JSON.stringify(clip(placeholder.text));
    const appName = manifest?.appName;
    judged = emit(
      'placeholder-purpose',
      span.start,
      span.end,
      placeholder.whole
        ? `Placeholder purpose ${quoted}: ${why}.`
        : `Placeholder ${quoted} in the purpose: replace it${placeholder.text.toLowerCase().includes('app') && appName ? ` with ${JSON.stringify(clip(appName))}` : ' with real text'}.`,
      { placeholder: placeholder.text },
    );
  }
  if (!judged && name) {
    const restated = restatement(name, clean, manifest?.appName);
    if (restated === 'filler') {
      // "Required", "Needed for the app": nothing but words any purpose could have. The same
      // code as a restatement (it says nothing beyond the permission), its own message.
      judged = emit(
        'purpose-restates-permission',
        whole.start,
        whole.end,
        `Purpose ${JSON.stringify(clip(clean.trim()))} says nothing: ${why}.`,
        { filler: true },
      );
    } else if (restated === 'restates') {
      judged = emit(
        'purpose-restates-permission',
        whole.start,
        whole.end,
        `Purpose only restates "${name}": name the feature that needs it.`,
      );
    }
  }
  const minWords = settings.purpose.minWords;
  // Exact below minWords (the only case the count is reported), capped at minWords above it.
  const words = countWords(clean, minWords);
  if (!judged && words < minWords) {
    emit(
      'short-purpose',
      whole.start,
      whole.end,
      `Purpose too short (${words} word${words === 1 ? '' : 's'}, at least ${minWords}): ${why}.`,
      { words, minWords },
    );
  }
  const maxLength = settings.purpose.maxLength;
  const length = clean.trim().length;
  // 0 turns the rule off: no purpose is useful at zero characters.
  if (maxLength > 0 && length > maxLength) {
    const start =
      controls.spans.length > 0 ? whole.start : Math.min(whole.start + maxLength, whole.end);
    emit(
      'long-purpose',
      start,
      whole.end,
      `Purpose too long (${length} characters, at most ${maxLength}): keep it to a sentence or two.`,
      { length, maxLength },
    );
  }
  if (leading > 0 || trailingStart < text.length) {
    const where =
      leading > 0 && trailingStart < text.length
        ? 'Leading and trailing'
        : leading > 0
          ? 'Leading'
          : 'Trailing';
    emit(
      'purpose-whitespace',
      leading > 0 && trailingStart < text.length ? 0 : leading > 0 ? 0 : trailingStart,
      leading > 0 && trailingStart < text.length
        ? text.length
        : leading > 0
          ? leading
          : text.length,
      `${where} white space in the purpose: trim it.`,
      { trimmed: text.trim() },
    );
  }
  return findings;
}

/** User text quoted in a message, cut so the message stays readable in the Problems panel. */
function clip(text: string, max = 30): string {
  if (text.length <= max) return text;
  const cut = /[\uD800-\uDBFF]/.test(text.charAt(max - 2)) ? max - 2 : max - 1;
  return `${text.slice(0, cut).trimEnd()}…`;
}

type ControlKind = 'escape' | 'leftover' | 'break' | 'control';

interface ControlScan {
  readonly spans: readonly { start: number; end: number; kind: ControlKind }[];
  /** The text with escapes removed and line breaks or tabs made spaces. */
  readonly cleaned: string;
}

/**
 * Control characters and terminal escape leftovers. White space controls (line breaks, tabs)
 * at either end are only white space, left to purpose-whitespace; inside the text they are
 * flagged, because the purpose is shown as one line of prose to the administrator.
 */
/** A text without its control characters and terminal leftovers: what their fixes write. */
export function withoutControls(text: string): string {
  const leading = /^\s*/.exec(text)?.[0].length ?? 0;
  const trailingStart = leading === text.length ? text.length : text.trimEnd().length;
  return findControls(text, leading, trailingStart).cleaned;
}

function findControls(text: string, trimmedStart: number, trimmedEnd: number): ControlScan {
  const spans: { start: number; end: number; kind: ControlKind }[] = [];
  // Which offsets a span already covers: one look-up per match, however many spans there are.
  const mask = new Uint8Array(text.length);
  const covered = (offset: number): boolean => mask[offset] === 1;
  for (const match of text.matchAll(ESCAPE_SEQUENCE)) {
    const end = match.index + match[0].length;
    spans.push({ start: match.index, end, kind: 'escape' });
    mask.fill(1, match.index, end);
  }
  for (const match of text.matchAll(ESCAPE_LEFTOVER)) {
    if (!covered(match.index)) {
      const end = match.index + match[0].length;
      spans.push({ start: match.index, end, kind: 'leftover' });
      mask.fill(1, match.index, end);
    }
  }
  for (const match of text.matchAll(CONTROL)) {
    const offset = match.index;
    if (covered(offset)) continue;
    const isSpace = /\s/.test(match[0]);
    if (isSpace && (offset < trimmedStart || offset >= trimmedEnd)) continue;
    spans.push({ start: offset, end: offset + 1, kind: isSpace ? 'break' : 'control' });
  }
  spans.sort((a, b) => a.start - b.start);
  if (spans.length === 0) return { spans, cleaned: text };

  let cleaned = '';
  let at = 0;
  for (const span of spans) {
    cleaned += text.slice(at, span.start) + (span.kind === 'break' ? ' ' : '');
    at = span.end;
  }
  cleaned = (cleaned + text.slice(at)).replace(/ {2,}/g, ' ');

  return { spans, cleaned };
}

function findPlaceholder(
  text: string,
  clean: string,
): { start: number; end: number; text: string; whole: boolean } | undefined {
  const bare = clean
    .trim()
    .toLowerCase()
    .replace(/^["'`([]+|["'`)\].!?:;,]+$/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  // Nothing but punctuation: "-", "...", "…", "?".
  if (!/[\p{L}\p{N}]/u.test(clean) || PLACEHOLDER_WHOLE.some((pattern) => pattern.test(bare))) {
    return { start: 0, end: text.length, text: clean.trim(), whole: true };
  }
  for (const pattern of PLACEHOLDER_ANYWHERE) {
    const match = pattern.exec(text);
    if (match) {
      return {
        start: match.index,
        end: match.index + match[0].length,
        text: match[0],
        // A template that is the whole text ("[Explain why you need this]") is a placeholder
        // purpose, not a placeholder inside one.
        whole: match[0].trim() === text.trim(),
      };
    }
  }
  return undefined;
}

/**
 * Words as a reader counts them, in any script (Japanese has no spaces between words). Stops
 * at `limit`: segmenting is the costliest purpose check, and the rules only need to know
 * whether a text has fewer than `minWords` words.
 */
export function countWords(text: string, limit = Infinity): number {
  // Fast path: a run of ASCII letters between ASCII white space (or the ends) is one word for
  // the segmenter too, so `limit` such runs settle it without segmenting.
  if (limit !== Infinity) {
    let plain = 0;
    PLAIN_WORD.lastIndex = 0;
    while (plain < limit && PLAIN_WORD.test(text)) plain++;
    if (plain >= limit) return limit;
  }
  let count = 0;
  for (const segment of WORD_SEGMENTER.segment(text)) {
    if (segment.isWordLike && ++count >= limit) break;
  }
  return count;
}

function textWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 1)
    .map(singular);
}

/** The words of a normalised permission name, and of its resource and product when known. */
function ownWords(normalized: string): ReadonlySet<string> {
  const own = new Set(
    normalized
      .split('_')
      .filter((word) => word !== '')
      .map(singular),
  );
  const info = catalog.get(normalized);
  if (info) for (const word of textWords(`${info.resource} ${info.product}`)) own.add(word);
  return own;
}

// "Allows <an app> to …", "Lets <an app> …": the subject slot of the docs' own template. A
// forked app keeps its parent's name there, so any name counts, not only this manifest's:
// capitalised words ("PIMMS", "Solomon AI") or words ending in "app" ("billingo app").
const SUBJECT_SLOT =
  /^\s*(?:[Tt]his\s+(?:permission\s+)?)?(?:[Aa]llows?|[Ll]ets?|[Ee]nables?|[Pp]ermits?)\s+((?:[\p{Lu}\p{N}][\p{L}\p{N}.&'-]*\s+){1,4}|(?:[\p{L}\p{N}.&'-]+\s+){0,3}(?:app|application|integration|extension|plugin)\s+)(?=to\b|\p{Ll})/u;
// Endings that add no reason: "for an account", "on your behalf", "in Stripe".
const FILLER_ENDING =
  /(?:\s+(?:for|in|on|from|within|across)\s+(?:an?|the|your|their|this|my|our|each|every)\s+(?:stripe\s+)?(?:account|dashboard)s?|\s+on\s+(?:your|their|its|the user'?s?|the merchant'?s?)\s+behalf|\s+(?:in|from|on)\s+stripe)+[\s.!]*$/i;

/** What a text says about its permission: nothing at all, only its name, or more. */
export function restatement(
  permission: string,
  text: string,
  appName?: string,
): 'filler' | 'restates' | undefined {
  const slot = SUBJECT_SLOT.exec(text);
  const body = (slot ? text.slice(slot[0].length) : text).replace(FILLER_ENDING, '');
  const words = textWords(body);
  if (words.length === 0 && !slot) return undefined;
  const normalized = normalizePermissionName(permission);
  const own = ownWords(normalized);
  const app = new Set(appName ? textWords(appName) : []);
  const isWrite = !normalized.endsWith('_read');
  const filler = (word: string): boolean => FILLER.has(word) || (isWrite && WRITE_FILLER.has(word));
  // A text of the app's name ("schedules" in an app called Subscription Schedules) restates
  // nothing; one of only filler ("Allows the app to read") says nothing, which is as bad.
  const appOnly = words.filter((word) => app.has(word) && !own.has(word) && !filler(word));
  if (appOnly.length > 0 && !words.some((word) => own.has(word))) return undefined;
  if (!words.every((word) => filler(word) || own.has(word) || app.has(word))) return undefined;
  // The subject slot named an app (capitalised, or ending in "app"): its words are dropped, so
  // "Allows Customer Insights to read customers" still restates.
  // Filler only when nothing but filler is left (a word of the app's name restates it).
  return words.every(filler) ? 'filler' : 'restates';
}

/** True when the text only restates the permission or says nothing (see `restatement`). */
export function restatesPermission(permission: string, text: string, appName?: string): boolean {
  return restatement(permission, text, appName) !== undefined;
}
