import { catalog } from '../catalog';
import type { ManifestDocument } from '../manifestDocument';
import { normalizePermissionName, singular } from '../nameSuggestions';
import type { DiagnosticCode, ManifestServiceSettings, SeverityName } from '../settings';
import { severityFor } from './common';

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
  /<\s*(?:your|insert|app)\b[^>\n]{0,40}>/i,
  /\{\{[^{}\n]{1,40}\}\}/,
  /\bYOUR_APP(?:_NAME)?\b/i,
];

// Texts that are a placeholder as a whole (lower case, outer punctuation removed). A sentence
// that merely contains "test" ("Grants access to Test clocks") is not one.
const PLACEHOLDER_WHOLE: readonly RegExp[] = [
  /^(?:(?:just|for|a|only)\s+)*test(?:s|ing|ed)?(?:[\s_-]*(?:\d+|purposes?|only|app|permission|description|explanation|text|test(?:ing)?))*$/,
  /^(?:(?:your|the|a|some|add|enter|insert|write|my)\s+)?(?:explanation|purpose|description|reason|permission|placeholder|justification)(?:\s+(?:here|goes here|text|todo|tbd))?$/,
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
const PURPOSE_DOCS_NOTE = 'the account administrator who installs the app';

// Every keystroke re-validates texts that did not change; findings depend only on the
// permission, the text, the app's name and the settings (a new settings object on every
// configure, so the WeakMap drops stale results by itself). Nested maps, not a joined key:
// building a key string per purpose was itself a cost on large manifests.
type FindingsByText = Map<string, readonly PurposeFinding[]>;
const memo = new WeakMap<ManifestServiceSettings, Map<string, Map<string, FindingsByText>>>();
let remembered = 0;
const MEMO_LIMIT = 20_000;
const NO_FINDINGS: readonly PurposeFinding[] = Object.freeze([]);

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
  const judged = judgePurposeText(permission, text, settings, manifest);
  // Most texts have no finding: one shared empty list for all of them.
  const findings = judged.length === 0 ? NO_FINDINGS : judged;
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
    code: DiagnosticCode,
    start: number,
    end: number,
    message: string,
    data?: unknown,
  ): boolean => {
    const severity = severityFor(code, settings);
    if (!severity) return false;
    findings.push({ code, message, severity, start, end, ...(data !== undefined ? { data } : {}) });
    return true;
  };
  const name = permission.trim();
  const forName = name ? ` for "${name}"` : '';

  const leading = /^\s*/.exec(text)?.[0].length ?? 0;
  const trailingStart = leading === text.length ? text.length : text.trimEnd().length;
  const controls = findControls(text, leading, trailingStart);
  if (controls.spans.length > 0) {
    const first = controls.spans[0];
    const last = controls.spans[controls.spans.length - 1];
    if (first && last) {
      emit(
        'purpose-control-characters',
        first.start,
        last.end,
        `${controls.description}: remove ${controls.spans.length > 1 ? 'them' : 'it'}.`,
        { cleaned: controls.cleaned },
      );
    }
  }
  const clean = controls.cleaned;
  if (clean.trim() === '') {
    emit(
      'empty-purpose',
      0,
      text.length,
      `The purpose${forName} is empty: say what the app does with this permission and why, for ${PURPOSE_DOCS_NOTE}.`,
    );
    return findings;
  }
  // Other rules judge the text without controls; their range is the trimmed text unless a
  // rule can point at something narrower.
  const whole = { start: leading, end: trailingStart };

  let judged = false;
  const placeholder = findPlaceholder(text, clean);
  if (placeholder) {
    const span = placeholder.whole ? whole : placeholder;
    judged = emit(
      'placeholder-purpose',
      span.start,
      span.end,
      placeholder.whole
        ? `"${placeholder.text}" is a placeholder, not a purpose: say what the app does with ${name ? `"${name}"` : 'this permission'} and why, for ${PURPOSE_DOCS_NOTE}.`
        : `The purpose still contains the placeholder "${placeholder.text}": replace it${placeholder.text.toLowerCase().includes('app') && manifest?.appName ? ` with "${manifest.appName}"` : ' with real text'}.`,
      { placeholder: placeholder.text },
    );
  }
  if (!judged && name && restatesPermission(name, clean, manifest?.appName)) {
    judged = emit(
      'purpose-restates-permission',
      whole.start,
      whole.end,
      `The purpose only restates the permission "${name}": say what the app does with it and why (which feature needs it), for ${PURPOSE_DOCS_NOTE}.`,
    );
  }
  const minWords = settings.purpose.minWords;
  // Exact below minWords (the only case the count is reported), capped at minWords above it.
  const words = countWords(clean, minWords);
  if (!judged && words < minWords) {
    emit(
      'short-purpose',
      whole.start,
      whole.end,
      `The purpose${forName} has ${words} word${words === 1 ? '' : 's'}; use at least ${minWords} to say what the app does with this permission and why.`,
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
      `The purpose is ${length} characters long, more than ${maxLength}: keep it to a sentence or two.`,
      { length, maxLength },
    );
  }
  if (leading > 0 || trailingStart < text.length) {
    const where =
      leading > 0 && trailingStart < text.length
        ? 'leading and trailing'
        : leading > 0
          ? 'leading'
          : 'trailing';
    emit(
      'purpose-whitespace',
      leading > 0 && trailingStart < text.length ? 0 : leading > 0 ? 0 : trailingStart,
      leading > 0 && trailingStart < text.length
        ? text.length
        : leading > 0
          ? leading
          : text.length,
      `The purpose has ${where} white space: remove it.`,
      { trimmed: text.trim() },
    );
  }
  return findings;
}

interface ControlScan {
  readonly spans: readonly { start: number; end: number }[];
  /** The text with escapes removed and line breaks or tabs made spaces. */
  readonly cleaned: string;
  readonly description: string;
}

/**
 * Control characters and terminal escape leftovers. White space controls (line breaks, tabs)
 * at either end are only white space, left to purpose-whitespace; inside the text they are
 * flagged, because the purpose is shown as one line of prose to the administrator.
 */
function findControls(text: string, trimmedStart: number, trimmedEnd: number): ControlScan {
  const spans: { start: number; end: number; kind: 'escape' | 'leftover' | 'break' | 'control' }[] =
    [];
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
  if (spans.length === 0) return { spans, cleaned: text, description: '' };

  let cleaned = '';
  let at = 0;
  for (const span of spans) {
    cleaned += text.slice(at, span.start) + (span.kind === 'break' ? ' ' : '');
    at = span.end;
  }
  cleaned = (cleaned + text.slice(at)).replace(/ {2,}/g, ' ');

  const first = spans[0];
  const sample = first ? JSON.stringify(text.slice(first.start, first.end)) : '';
  const description =
    first?.kind === 'break'
      ? `The purpose contains a line break or tab (${sample}); it is shown as one line of text`
      : first?.kind === 'leftover'
        ? `The purpose contains ${sample}, what is left of a terminal escape sequence (a key pressed while typing the purpose in a terminal)`
        : first?.kind === 'escape'
          ? `The purpose contains a terminal escape sequence (${sample})`
          : `The purpose contains a control character (${sample})`;
  return { spans, cleaned, description };
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
        whole: false,
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

// The words of catalog names (at most one set per catalog name) and of the last app name: the
// diagnostics ask for the same few on every entry.
const CATALOG_OWN_WORDS = new Map<string, ReadonlySet<string>>();
let lastApp: { name: string | undefined; words: ReadonlySet<string> } | undefined;

/** The words of a normalised permission name, and of its resource and product when known. */
function ownWords(normalized: string): ReadonlySet<string> {
  const cached = CATALOG_OWN_WORDS.get(normalized);
  if (cached) return cached;
  const own = new Set(
    normalized
      .split('_')
      .filter((word) => word !== '')
      .map(singular),
  );
  const info = catalog.get(normalized);
  if (info) {
    for (const word of textWords(`${info.resource} ${info.product}`)) own.add(word);
    CATALOG_OWN_WORDS.set(normalized, own);
  }
  return own;
}

function appWords(appName: string | undefined): ReadonlySet<string> {
  if (lastApp !== undefined && lastApp.name === appName) return lastApp.words;
  const words = new Set(appName ? textWords(appName) : []);
  lastApp = { name: appName, words };
  return words;
}

/**
 * True when the text's words, without filler ("Allows the app to read … data"), the app's own
 * name and the access verbs, are only words of the permission's name, resource or product:
 * "Payment intent read", "Read customers", "Grants access to Test clocks".
 */
export function restatesPermission(permission: string, text: string, appName?: string): boolean {
  const words = textWords(text);
  if (words.length === 0) return false;
  const normalized = normalizePermissionName(permission);
  const own = ownWords(normalized);
  const app = appWords(appName);
  const isWrite = !normalized.endsWith('_read');
  const filler = (word: string): boolean => FILLER.has(word) || (isWrite && WRITE_FILLER.has(word));
  // A text of the app's name ("schedules" in an app called Subscription Schedules) restates
  // nothing; one of only filler ("Allows the app to read") says nothing, which is as bad.
  const appOnly = words.filter((word) => app.has(word) && !own.has(word) && !filler(word));
  if (appOnly.length > 0 && !words.some((word) => own.has(word))) return false;
  return words.every((word) => filler(word) || own.has(word) || app.has(word));
}
