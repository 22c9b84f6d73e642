import { distance } from 'fastest-levenshtein';
import { catalog, type Access } from './catalog';

/**
 * Nearest catalog names for a wrong permission name, best first. Tiers, in order:
 * the same name once normalised (case, quotes, separators, camelCase, plurals, word order),
 * Stripe's own schema misspellings and retired names' replacements, the resource's words
 * (`refund_read` → `charge_read`, because refunds live in the "Charges and Refunds" row),
 * then edit distance. Within a tier, names with the same access (read/write) come first.
 */

interface Candidate {
  readonly name: string;
  /** Read or write, when the name ends so; allowed extra names may not. */
  readonly access?: Access;
  /** The name without its access suffix, words singularised: `payment_record`. */
  readonly base: string;
  /** `base` with its words sorted, for word-order mistakes. */
  readonly sortedBase: string;
  /** Singular words of the resource column, e.g. charge + refund. */
  readonly resourceWords: ReadonlySet<string>;
  /** Singular words of the name's base, the resource and the product. */
  readonly allWords: ReadonlySet<string>;
  readonly productWords: ReadonlySet<string>;
  /** The base's words without filler ("and"). */
  readonly baseWords: ReadonlySet<string>;
}

interface ParsedName {
  /** Access words found anywhere in the name, in order (`customer_write_read` → write, read). */
  readonly accesses: readonly Access[];
  readonly baseWords: readonly string[];
  readonly base: string;
  readonly sortedBase: string;
  /** `baseWords` without filler ("and"), for matching against resource words. */
  readonly contentWords: readonly string[];
}

const READ_WORDS = new Set(['read', 'reads', 'readonly', 'view', 'get', 'list', 'reader']);
const WRITE_WORDS = new Set([
  'write',
  'writes',
  'writer',
  'edit',
  'update',
  'create',
  'manage',
  'modify',
  'delete',
]);
// Words of the resource column that say nothing about which resource it is.
const RESOURCE_FILLER = new Set(['and', 'or', 'of', 'the']);

/** Lower case, `-`/space/`.` → `_`, camelCase split, surrounding quotes and separators dropped. */
export function normalizePermissionName(name: string): string {
  return name
    .trim()
    .replace(/^["'`]+|["'`]+$/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** A crude English singular, enough for resource names: invoices, payment_methods, entries. */
export function singular(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return word.slice(0, -3) + 'y';
  if (/(?:ss|x|ch|sh|us)es$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !/(?:ss|us|is)$/.test(word)) {
    return word.slice(0, -1);
  }
  return word;
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '' && !RESOURCE_FILLER.has(word))
    .map(singular);
}

function accessOf(word: string): Access | undefined {
  if (READ_WORDS.has(word)) return 'read';
  if (WRITE_WORDS.has(word)) return 'write';
  return undefined;
}

function parseName(normalized: string): ParsedName {
  const accesses: Access[] = [];
  const baseWords: string[] = [];
  for (const word of normalized.split('_')) {
    if (word === '') continue;
    const access = accessOf(word);
    if (access) {
      if (!accesses.includes(access)) accesses.push(access);
    } else {
      baseWords.push(singular(word));
    }
  }
  return {
    accesses,
    baseWords,
    base: baseWords.join('_'),
    sortedBase: [...baseWords].sort().join('_'),
    contentWords: baseWords.filter((word) => !RESOURCE_FILLER.has(word)),
  };
}

function toCandidate(name: string, resource = '', product = '', access?: Access): Candidate {
  const match = /^(.*)_(read|write)$/.exec(name);
  const parsedAccess = access ?? (match?.[2] === 'write' ? 'write' : match ? 'read' : undefined);
  const baseWords = (match?.[1] ?? name)
    .split('_')
    .filter((word) => word !== '')
    .map(singular);
  const resourceWords = new Set(words(resource));
  const productWords = new Set(words(product));
  return {
    name,
    ...(parsedAccess ? { access: parsedAccess } : {}),
    base: baseWords.join('_'),
    sortedBase: [...baseWords].sort().join('_'),
    resourceWords,
    productWords,
    baseWords: new Set(baseWords.filter((word) => !RESOURCE_FILLER.has(word))),
    allWords: new Set([...baseWords, ...resourceWords, ...productWords]),
  };
}

// Built once at module load: suggestions run on every unknown name of every validation.
const CATALOG_CANDIDATES: readonly Candidate[] = catalog.permissions.map((info) =>
  toCandidate(info.name, info.resource, info.product, info.access),
);
const CATALOG_NAMES: ReadonlySet<string> = new Set(catalog.permissions.map((info) => info.name));

function candidatesFor(allowed: readonly string[]): readonly Candidate[] {
  const extra = allowed.filter((name) => !CATALOG_NAMES.has(name));
  return extra.length === 0
    ? CATALOG_CANDIDATES
    : [...CATALOG_CANDIDATES, ...extra.map((name) => toCandidate(name))];
}

/**
 * Orders the matches of one tier: the accesses the name asked for first, in the order written
 * (read before write when it named none). The other access only when the tier has nothing
 * better: `report_runs_and_report_types_write` → its `_read`, but `refund_read` → not
 * `charge_write`. Ties keep the order given.
 */
function byAccess(matches: readonly Candidate[], parsed: ParsedName): Candidate[] {
  const { accesses } = parsed;
  // No access word (or a misspelt one, `invoice_wrte`): the tier's own order decides.
  if (accesses.length === 0) return [...matches];
  const rank = (candidate: Candidate): number => {
    const index = candidate.access ? accesses.indexOf(candidate.access) : -1;
    return index >= 0 ? index : accesses.length;
  };
  const sorted = [...matches].sort((a, b) => rank(a) - rank(b));
  const asked = sorted.filter((candidate) => rank(candidate) < accesses.length);
  return accesses.length > 0 && asked.length > 0 ? asked : sorted;
}

// Diagnostics run on every keystroke and the same wrong names come back each time; edit
// distances against every catalog name are the costly part, so answers are remembered.
const remembered = new Map<string, readonly string[]>();
const REMEMBERED_LIMIT = 5_000;

/** Up to `max` nearest catalog names (and `allowed` names) for a name that is not one of them. */
export function suggestPermissionNames(
  name: string,
  allowed: readonly string[],
  max = 3,
): string[] {
  if (name.length > 200) return computeSuggestions(name, allowed, max);
  const key = `${String(max)}\u0000${allowed.join('\u0000')}\u0001${name}`;
  const known = remembered.get(key);
  if (known) return [...known];
  const suggestions = computeSuggestions(name, allowed, max);
  if (remembered.size >= REMEMBERED_LIMIT) remembered.clear();
  remembered.set(key, suggestions);
  return [...suggestions];
}

function computeSuggestions(name: string, allowed: readonly string[], max: number): string[] {
  // A valid name has nothing nearer than itself (and callers check before asking).
  if (max <= 0 || CATALOG_NAMES.has(name) || allowed.includes(name)) return [];
  const trimmed = name.trim();
  // Only white space around a valid name: that name is the one fix.
  if (trimmed !== name && (CATALOG_NAMES.has(trimmed) || allowed.includes(trimmed))) {
    return [trimmed];
  }
  const normalized = normalizePermissionName(name);
  if (normalized === '') return [];
  const candidates = candidatesFor(allowed);
  const parsed = parseName(normalized);
  // The first tier that finds anything wins: a plural's singular is the answer, and names
  // that merely look alike would only distract from it.
  const tiers: readonly (() => readonly string[])[] = [
    () => candidates.filter((c) => c.name === normalized).map((c) => c.name),
    () => {
      const correct = catalog.schemaMisspelling(normalized)?.correct;
      return correct ? [correct] : [];
    },
    () => catalog.retired(normalized)?.replacements ?? [],
    () => sameWords(candidates, parsed),
    () => resourceWords(candidates, parsed),
    () => narrowerName(candidates, parsed),
    () => typos(candidates, parsed, normalized),
  ];
  for (const tier of tiers) {
    const found = [...new Set(tier())].filter((suggestion) => suggestion !== name);
    if (found.length === 0) continue;
    // Without a recognisable access word (`invoice_wrte`), the name as typed is the best
    // guide between the read and write twins.
    if (parsed.accesses.length === 0 && found.length > 1) {
      const closeness = new Map(
        found.map((suggestion) => [suggestion, distance(normalized, suggestion)]),
      );
      found.sort((a, b) => (closeness.get(a) ?? 0) - (closeness.get(b) ?? 0));
    }
    return found.slice(0, max);
  }
  return [];
}

/** Plurals and word order: the same words, singularised, in the same or another order. */
function sameWords(candidates: readonly Candidate[], parsed: ParsedName): string[] {
  if (parsed.baseWords.length === 0) return [];
  const matches = candidates.filter(
    (c) => c.base === parsed.base || c.sortedBase === parsed.sortedBase,
  );
  return byAccess(matches, parsed).map((c) => c.name);
}

/**
 * Invented names whose words all belong to one resource: `refund` → "Charges and Refunds",
 * `webhook_endpoint` → "Webhook Endpoints", `billing_portal` → Billing › "Customer Portal".
 * Resource-column fits beat fits that need the product's or the name's own words.
 */
function resourceWords(candidates: readonly Candidate[], parsed: ParsedName): string[] {
  const wordsOfName = parsed.contentWords;
  if (wordsOfName.length === 0) return [];
  const scored = new Map<Candidate, number>();
  for (const candidate of candidates) {
    const score = wordScore(wordsOfName, candidate);
    if (score !== undefined) scored.set(candidate, score);
  }
  const best = Math.min(...scored.values());
  // Keep one quality of fit: a resource fit should not come with weaker, accidental ones.
  const matches = [...scored.keys()]
    .filter((c) => Math.floor(scored.get(c) ?? 0) === Math.floor(best))
    .sort((a, b) => (scored.get(a) ?? 0) - (scored.get(b) ?? 0));
  return byAccess(matches, parsed).map((c) => c.name);
}

/**
 * How well the name's words fit a candidate, lower is better (0: the resource exactly,
 * 1.x: the resource plus other words, 2.x: with the product's or the name's words);
 * undefined when some word is not the candidate's, or only product words matched ("billing").
 */
function wordScore(nameWords: readonly string[], candidate: Candidate): number | undefined {
  if (!nameWords.every((word) => candidate.allWords.has(word))) return undefined;
  const specific = nameWords.some(
    (word) => candidate.resourceWords.has(word) || candidate.baseWords.has(word),
  );
  if (!specific) return undefined;
  // A name that also names the product (terminal_read → Terminal › …) fits a little better.
  const productBonus = nameWords.some((word) => candidate.productWords.has(word)) ? 0.05 : 0;
  if (nameWords.every((word) => candidate.resourceWords.has(word))) {
    const extra = candidate.resourceWords.size - nameWords.length;
    return extra <= 0 ? 0 : Math.min(1.9, 1 + extra / 10 - productBonus);
  }
  return Math.min(2.9, 2 + (candidate.allWords.size - nameWords.length) / 10 - productBonus);
}

/**
 * A name more specific than a catalog one: `secret_store_write` → `secret_write`,
 * `subscription_schedule_read` → `subscription_read`. Most shared words first.
 */
function narrowerName(candidates: readonly Candidate[], parsed: ParsedName): string[] {
  const nameWords = new Set(parsed.contentWords);
  const matches = candidates.filter(
    (c) =>
      c.baseWords.size > 0 &&
      [...c.baseWords].every((word) => nameWords.has(word)) &&
      [...c.baseWords].some((word) => !c.productWords.has(word)),
  );
  matches.sort((a, b) => b.baseWords.size - a.baseWords.size);
  return byAccess(matches, parsed).map((c) => c.name);
}

/**
 * Typos: edit distance (base words, or the whole name when its access word is misspelt too),
 * within about a quarter of the length and within one of the best distance found.
 */
function typos(candidates: readonly Candidate[], parsed: ParsedName, normalized: string): string[] {
  const distances = new Map<Candidate, number>();
  const wholeDistances = new Map<Candidate, number>();
  for (const candidate of candidates) {
    const whole = distance(normalized, candidate.name);
    const base = parsed.base === '' ? whole : distance(parsed.base, candidate.base);
    const d = Math.min(whole, base);
    wholeDistances.set(candidate, whole);
    const length = Math.min(normalized.length, parsed.base.length || normalized.length);
    if (d <= Math.max(1, Math.round(length / 4))) distances.set(candidate, d);
  }
  if (distances.size === 0) return [];
  const best = Math.min(...distances.values());
  const matches = [...distances.keys()]
    .filter((c) => (distances.get(c) ?? 0) <= best + 1)
    .sort(
      (a, b) =>
        (distances.get(a) ?? 0) - (distances.get(b) ?? 0) ||
        (wholeDistances.get(a) ?? 0) - (wholeDistances.get(b) ?? 0),
    );
  return byAccess(matches, parsed).map((c) => c.name);
}

// ---------------------------------------------------------------------------------------------
// Ranking: the order in which completion and the Grant Quick Pick list names

/** What ranking reads of a permission: the catalog's row, or a bare name allowed by settings. */
export interface RankedPermission {
  readonly name: string;
  readonly product?: string;
  readonly resource?: string;
  readonly description?: string;
}

/** The product most apps need first (charges, customers, invoices…), then the reference's order. */
const FIRST_PRODUCT = 'Core';

/** Where a name stands in the default order: Core first, then the reference's order. */
function defaultRank(permissions: readonly RankedPermission[]): Map<string, number> {
  const ranks = new Map<string, number>();
  const core = permissions.filter((p) => p.product === FIRST_PRODUCT);
  const rest = permissions.filter((p) => p.product !== FIRST_PRODUCT);
  for (const permission of [...core, ...rest]) {
    if (!ranks.has(permission.name)) ranks.set(permission.name, ranks.size);
  }
  return ranks;
}

/** The names in the default order: Core first, then the reference's order (stable). */
export function defaultPermissionOrder<T extends RankedPermission>(permissions: readonly T[]): T[] {
  const ranks = defaultRank(permissions);
  return [...permissions].sort((a, b) => (ranks.get(a.name) ?? 0) - (ranks.get(b.name) ?? 0));
}

/** How a query matched a permission, best first. */
export const MatchKind = {
  /** The query is the name's base (`charge` → `charge_read`) or the whole name. */
  base: 0,
  /** The name starts with the query. */
  namePrefix: 1,
  /** A word of the name (after `_`) starts with the query, or the name contains it. */
  nameWord: 2,
  /** A word of the resource or the product starts with the query (`refund` → Charges and Refunds). */
  resource: 3,
  /** Only the description mentions it. */
  description: 4,
  /** Not a match: one of the nearest names for a wrong one (`refund_read` → `charge_read`). */
  suggestion: 5,
} as const;
export type MatchKind = (typeof MatchKind)[keyof typeof MatchKind];

export interface RankedMatch<T> {
  readonly permission: T;
  readonly match: MatchKind;
}

/**
 * The permissions matching `query`, best first: name matches, then resource or product matches,
 * then description matches; within each, the siblings of `granted` names first (typing `cust`
 * with `customer_read` granted: `customer_write`), then the default order. When nothing matches,
 * the nearest names for a wrong one (`refund_read` → `charge_read`), as the CLI's "Did you mean".
 * An empty query gives every permission in the default order. `granted` names themselves are
 * ranked like the others (callers drop them where they are not wanted).
 */
export function rankPermissions<T extends RankedPermission>(
  query: string,
  permissions: readonly T[],
  granted: ReadonlySet<string> = new Set(),
): RankedMatch<T>[] {
  const ranks = defaultRank(permissions);
  const typed = query
    .trim()
    .replace(/^["'`]+|["'`]+$/g, '')
    .toLowerCase();
  if (typed === '') {
    return defaultPermissionOrder(permissions).map((permission) => ({
      permission,
      match: MatchKind.base,
    }));
  }
  const grantedBases = new Set([...granted].map(accessBase));
  const siblingOfGranted = (name: string): boolean => {
    const base = accessBase(name);
    return base !== name && !granted.has(name) && grantedBases.has(base);
  };
  const matches: RankedMatch<T>[] = [];
  const typedWords = typed.split(/[^a-z0-9]+/).filter((word) => word !== '');
  for (const permission of permissions) {
    const match = matchKind(typed, typedWords, permission);
    if (match !== undefined) matches.push({ permission, match });
  }
  if (matches.length === 0) {
    const byName = new Map(permissions.map((p) => [p.name, p]));
    const allowed = permissions.filter((p) => !CATALOG_NAMES.has(p.name)).map((p) => p.name);
    for (const name of suggestPermissionNames(typed, allowed, 5)) {
      const permission = byName.get(name);
      if (permission) matches.push({ permission, match: MatchKind.suggestion });
    }
    return matches;
  }
  // Within a kind: a granted name's other access, then the plainer name (`customer_read`
  // before `customer_session_read` for `cu`), then the default order.
  // Each key once, not once per comparison.
  const keyed = matches.map((m) => ({
    m,
    key: [
      m.match,
      siblingOfGranted(m.permission.name) ? 0 : 1,
      accessBase(m.permission.name).split('_').length,
      ranks.get(m.permission.name) ?? 0,
    ],
  }));
  keyed.sort((a, b) => {
    for (let index = 0; index < a.key.length; index++) {
      const difference = (a.key[index] ?? 0) - (b.key[index] ?? 0);
      if (difference !== 0) return difference;
    }
    return 0;
  });
  return keyed.map(({ m }) => m);
}

/** A name without its access suffix: `customer_read` → `customer`. */
export function accessBase(name: string): string {
  return name.replace(/_(read|write)$/, '');
}

function matchKind(
  typed: string,
  typedWords: readonly string[],
  permission: RankedPermission,
): MatchKind | undefined {
  const name = permission.name.toLowerCase();
  const base = accessBase(name);
  if (typed === name || typed === base) return MatchKind.base;
  if (name.startsWith(typed)) return MatchKind.namePrefix;
  if (name.includes(`_${typed}`) || name.includes(typed)) return MatchKind.nameWord;
  const { rowWords, description } = searchable(permission);
  if (
    typedWords.length > 0 &&
    typedWords.every((word) => rowWords.some((rowWord) => rowWord.startsWith(word)))
  ) {
    return MatchKind.resource;
  }
  if (description.includes(typed)) return MatchKind.description;
  return undefined;
}

/** What matching reads of a permission, in lower case; worked out once per catalog entry. */
const SEARCHABLE = new WeakMap<RankedPermission, { rowWords: string[]; description: string }>();

function searchable(permission: RankedPermission): { rowWords: string[]; description: string } {
  let known = SEARCHABLE.get(permission);
  if (!known) {
    known = {
      rowWords: `${permission.resource ?? ''} ${permission.product ?? ''}`
        .toLowerCase()
        .split(/[^a-z0-9]+/),
      description: (permission.description ?? '').toLowerCase(),
    };
    SEARCHABLE.set(permission, known);
  }
  return known;
}
