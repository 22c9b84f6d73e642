import type { ApiCall, CallAnalysis, UnresolvedCall } from '../analysis/callAnalysis';
import type { ExpandItem } from '../analysis/fileSummary';
import {
  allApiMethods,
  apiMethod,
  expandPermissions,
  type ApiMethodPermissions,
} from './apiPermissions';
import { catalog } from './catalog';
import { lastProperty, type ManifestDocument } from './manifestDocument';
import type { CodeAnalysisSettings } from './settings';

/*
 * The app's code against its permissions: which permission each Stripe API call of the UI
 * extension needs (and each object its `expand` pulls in), whether the manifest grants it, and,
 * the other way round, which granted permission no call needs. Pure data: the call analysis
 * (server/src/analysis) and the manifest model in, the verdicts out; the diagnostics, fixes,
 * hovers and lenses (diagnostics/codeUsageRules.ts, codeUsageFeatures.ts) read this.
 */

/** The permissions an app has: the lists of the manifest that is in force. */
export interface EffectivePermissions {
  /** Every granted name, trimmed: the app's list and (v2) every extension's list. */
  readonly names: ReadonlySet<string>;
  /** The names of the app's own list (what `unused-permission` judges). */
  readonly appNames: ReadonlySet<string>;
  /** The manifest whose lists these are (the base one when a local manifest inherits them). */
  readonly manifest: ManifestDocument;
  /** A local manifest without `permissions`: the base manifest's lists apply. */
  readonly inherited: boolean;
}

/**
 * The effective permissions of `manifest`: its own lists, or, for a local manifest without
 * `permissions`, those of `base` (the manifest it extends), which replace nothing. Undefined when
 * the tool cannot know what is granted: such a local manifest without its base, or a manifest
 * (or base) with syntax errors, too large or not an object; a list half-parsed while the user
 * types would otherwise flash warnings over every call.
 */
export function effectivePermissions(
  manifest: ManifestDocument,
  base?: ManifestDocument,
): EffectivePermissions | undefined {
  if (!isReadable(manifest)) return undefined;
  if (manifest.kind === 'local' && !manifest.appList) {
    if (!base || base.kind === 'local' || !isReadable(base)) return undefined;
    return { ...grantedNames(base), manifest: base, inherited: true };
  }
  return { ...grantedNames(manifest), manifest, inherited: false };
}

function isReadable(manifest: ManifestDocument): boolean {
  return (
    manifest.limit === undefined &&
    manifest.syntaxErrors.length === 0 &&
    manifest.root?.type === 'object'
  );
}

function grantedNames(manifest: ManifestDocument): { names: Set<string>; appNames: Set<string> } {
  const names = new Set<string>();
  for (const list of manifest.lists) for (const name of list.granted.keys()) names.add(name);
  return { names, appNames: new Set(manifest.appList?.granted.keys()) };
}

/** The manifest's file name as the user knows it (`stripe-app.json`, `stripe-app.yaml`). */
export function manifestFileName(manifest: ManifestDocument): string {
  const path = manifest.uri.split(/[?#]/)[0] ?? manifest.uri;
  const name = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/**
 * How the granted permissions meet a need (any one of `permissions`):
 * - `granted`: one of them is granted (`by`);
 * - `implied`: a granted permission documented to include one (`balance_transaction_source_read`);
 * - `write-assumed`: only the write twin of a read is granted and the settings count it;
 * - `write-unconfirmed`: only the write twin is granted, and the settings do not count it;
 * - `missing`: none.
 */
export type Verdict =
  | {
      readonly kind: 'granted' | 'implied' | 'write-assumed' | 'write-unconfirmed';
      readonly by: readonly string[];
    }
  | { readonly kind: 'missing' };

/** An object an `expand` item pulls in, and the permission that reads it. */
export interface ExpandNeed {
  readonly item: ExpandItem;
  /** The expand path up to this object (`data.product`). */
  readonly path: string;
  readonly object: string;
  readonly permissions: readonly string[];
  readonly verdict: Verdict;
}

export interface CallNeed {
  readonly call: ApiCall;
  /** The table's row; undefined for a method the table does not know. */
  readonly method: ApiMethodPermissions | undefined;
  /** For a method an app can call (`status: permission`). */
  readonly verdict?: Verdict;
  readonly expands: readonly ExpandNeed[];
}

/** Where a permission is needed: a call, or one of its expand items. */
export interface UsageSite {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly accessor: string;
  /** The expand path, when the need comes from an `expand` item. */
  readonly expand?: string;
}

/** Why `unused-permission` says nothing about a granted name that no resolved call needs. */
export type ExemptReason =
  /** No API method or expandable object needs it (`user_email_read`: the SDK's user context). */
  | 'not-for-calls'
  /** `event_read`, or an event's object permission while `event_read` is granted. */
  | 'events'
  /** An unresolved call (or an `expand` that is not a literal) may need it. */
  | 'unresolved-call'
  /** Granted only in a v2 extension's list: that extension's own code uses it, not the UI's. */
  | 'extension';

export interface CodeUsage {
  readonly grants: EffectivePermissions;
  readonly settings: CodeAnalysisSettings;
  readonly needs: readonly CallNeed[];
  readonly unresolved: readonly UnresolvedCall[];
  /** Each permission a call or an expand needs (every alternative), with its sites. */
  readonly neededBy: ReadonlyMap<string, readonly UsageSite[]>;
  /** Each granted name that satisfies a need (directly, by implication or as a write for a read). */
  readonly usedBy: ReadonlyMap<string, readonly UsageSite[]>;
  /** Granted names that no call needs: those `unused-permission` reports. */
  readonly unused: readonly string[];
  /** Granted names no call needs that are not reported, and why. */
  readonly exempt: ReadonlyMap<string, ExemptReason>;
  /**
   * Why `unused-permission` says nothing at all: no resolved call of a UI client was found (the
   * app talks to its backend only, or has no UI code), or a call whose endpoint is unknown.
   */
  readonly unusedSilenced?: 'no-calls' | 'raw-request';
  /** The app calls a backend (a non-Stripe `connect-src`), which may use permissions too. */
  readonly hasBackend: boolean;
}

/** Every name some API method or expandable object needs: what calls can reveal. */
const CALL_PERMISSIONS: ReadonlySet<string> = (() => {
  const names = new Set<string>();
  for (const method of allApiMethods()) for (const name of method.permissions) names.add(name);
  return names;
})();

/** Every permission an event type needs (events come to a backend, never through calls). */
const EVENT_PERMISSIONS: ReadonlySet<string> = new Set(
  catalog.eventTypes.flatMap((type) => catalog.eventPermissions(type) ?? []),
);

const READ_SUFFIX = '_read';

function writeTwin(name: string): string | undefined {
  return name.endsWith(READ_SUFFIX) ? `${name.slice(0, -READ_SUFFIX.length)}_write` : undefined;
}

/** How `granted` meets a need of any one of `permissions`. */
export function judgeNeed(
  permissions: readonly string[],
  access: 'read' | 'write',
  granted: ReadonlySet<string>,
  settings: Pick<CodeAnalysisSettings, 'writeCoversRead'>,
): Verdict {
  const direct = permissions.filter((name) => granted.has(name));
  if (direct.length > 0) return { kind: 'granted', by: direct };
  const implied = unique(
    permissions.flatMap((name) => catalog.impliedBy(name)).filter((name) => granted.has(name)),
  );
  if (implied.length > 0) return { kind: 'implied', by: implied };
  if (access === 'read') {
    const twins = unique(
      permissions
        .map(writeTwin)
        .filter((name): name is string => name !== undefined && granted.has(name)),
    );
    if (twins.length > 0) {
      return { kind: settings.writeCoversRead ? 'write-assumed' : 'write-unconfirmed', by: twins };
    }
  }
  return { kind: 'missing' };
}

/** The objects of one expand item, each with what reads it. */
function expandNeeds(
  call: ApiCall,
  item: ExpandItem,
  granted: ReadonlySet<string>,
  settings: CodeAnalysisSettings,
): ExpandNeed[] {
  const resolution = expandPermissions(call.accessor, item.path);
  if (!resolution) return [];
  const needs: ExpandNeed[] = [];
  for (const step of resolution.steps) {
    for (const object of step.objects) {
      // An object no GET method returns alone has no permission the tool can name.
      if (object.permissions.length === 0) continue;
      needs.push({
        item,
        path: step.path,
        object: object.object,
        permissions: object.permissions,
        verdict: judgeNeed(object.permissions, 'read', granted, settings),
      });
    }
  }
  return needs;
}

/**
 * Judges every call of the analysis against the effective permissions. Cheap (no parsing): run it
 * again whenever the analysis, the manifest or the settings change.
 */
export function analyzeCodeUsage(
  analysis: CallAnalysis,
  grants: EffectivePermissions,
  settings: CodeAnalysisSettings,
): CodeUsage {
  const granted = grants.names;
  const needs: CallNeed[] = [];
  const neededBy = new Map<string, UsageSite[]>();
  const usedBy = new Map<string, UsageSite[]>();
  const add = (map: Map<string, UsageSite[]>, name: string, site: UsageSite): void => {
    const sites = map.get(name);
    if (sites) sites.push(site);
    else map.set(name, [site]);
  };
  const record = (permissions: readonly string[], verdict: Verdict, site: UsageSite): void => {
    for (const name of permissions) add(neededBy, name, site);
    // A write standing in for a read is used either way: it is what the call relies on.
    if (verdict.kind !== 'missing') for (const name of verdict.by) add(usedBy, name, site);
  };

  for (const call of analysis.calls) {
    const method = apiMethod(call.accessor);
    const site: UsageSite = {
      file: call.file,
      start: call.start,
      end: call.end,
      accessor: call.accessor,
    };
    let verdict: Verdict | undefined;
    if (method?.status === 'permission') {
      verdict = judgeNeed(method.permissions, method.access, granted, settings);
      record(method.permissions, verdict, site);
    }
    const expands = method
      ? call.expand.flatMap((item) => expandNeeds(call, item, granted, settings))
      : [];
    for (const need of expands) {
      record(need.permissions, need.verdict, {
        file: call.file,
        start: need.item.start,
        end: need.item.end,
        accessor: call.accessor,
        expand: need.path,
      });
    }
    needs.push({ call, method, expands, ...(verdict ? { verdict } : {}) });
  }

  const unresolvedNames = namesUnresolvedCallsMayNeed(analysis);
  const silenced: CodeUsage['unusedSilenced'] =
    analysis.calls.length === 0
      ? 'no-calls'
      : analysis.unresolved.some((call) => call.knownPath === '')
        ? 'raw-request'
        : undefined;
  const unused: string[] = [];
  const exempt = new Map<string, ExemptReason>();
  if (!silenced) {
    for (const name of granted) {
      if (usedBy.has(name) || !catalog.has(name)) continue;
      const reason = grants.appNames.has(name)
        ? exemptReason(name, granted, unresolvedNames)
        : 'extension';
      if (reason) exempt.set(name, reason);
      else unused.push(name);
    }
  }
  return {
    grants,
    settings,
    needs,
    unresolved: analysis.unresolved,
    neededBy,
    usedBy,
    unused,
    exempt,
    hasBackend: hasBackend(grants.manifest),
    ...(silenced ? { unusedSilenced: silenced } : {}),
  };
}

function exemptReason(
  name: string,
  granted: ReadonlySet<string>,
  unresolvedNames: ReadonlySet<string> | 'all-reads',
): ExemptReason | undefined {
  if (name === 'event_read' || (granted.has('event_read') && EVENT_PERMISSIONS.has(name))) {
    return 'events';
  }
  // Objects' permissions come from their GET methods: CALL_PERMISSIONS holds them too.
  if (!CALL_PERMISSIONS.has(name)) return 'not-for-calls';
  if (unresolvedNames === 'all-reads' ? name.endsWith(READ_SUFFIX) : unresolvedNames.has(name)) {
    return 'unresolved-call';
  }
  return undefined;
}

/**
 * The names unresolved calls may need: every permission (and write twin) of the methods under
 * the known part of their path (`customers` for `stripe.customers[op]()`). A call with an
 * `expand` the tool cannot read may expand anything: every read name.
 */
function namesUnresolvedCallsMayNeed(analysis: CallAnalysis): ReadonlySet<string> | 'all-reads' {
  if (analysis.calls.some((call) => call.expandIncomplete)) return 'all-reads';
  const names = new Set<string>();
  const prefixes = analysis.unresolved.map((call) => call.knownPath).filter((path) => path !== '');
  if (prefixes.length === 0) return names;
  for (const method of allApiMethods()) {
    const matches = prefixes.some(
      (prefix) => method.accessor === prefix || method.accessor.startsWith(`${prefix}.`),
    );
    if (!matches) continue;
    for (const name of method.permissions) {
      names.add(name);
      const twin = writeTwin(name);
      if (twin) names.add(twin);
    }
  }
  return names;
}

/**
 * Whether the UI extension talks to a backend: a `connect-src` of its content security policy
 * outside stripe.com. A backend may use permissions no UI call reveals.
 */
function hasBackend(manifest: ManifestDocument): boolean {
  const ui = lastProperty(manifest.rootProperties, 'ui_extension')?.value;
  const policy = lastProperty(ui?.properties ?? [], 'content_security_policy')?.value;
  const sources = lastProperty(policy?.properties ?? [], 'connect-src')?.value;
  return (sources?.items ?? []).some((item) => {
    if (item.type !== 'string') return false;
    const host = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)/i.exec(String(item.value))?.[1]?.toLowerCase();
    return host !== undefined && host !== 'stripe.com' && !host.endsWith('.stripe.com');
  });
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}
