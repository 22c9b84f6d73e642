import apiObjectsJson from '../catalog/api-objects.json';
import apiPermissionsJson from '../catalog/api-permissions.json';

/**
 * The permissions a Stripe API method needs, from the generated table
 * (scripts/generate-api-permissions.ts over the pinned stripe packages).
 *
 * Read and write: a GET needs one of the row's `_read` names, a POST or DELETE one of its `_write`
 * names. Whether a granted `customer_write` also covers a read is undocumented; the table does not
 * decide it: `permissions` lists only what is documented to satisfy the call, and
 * `satisfiedBy(method, granted, { writeCoversRead })` leaves the choice to its caller (a setting).
 * Where Stripe documents a write covering a read (the secret store), `permissions` says so.
 */

export type ApiMethodStatus = 'permission' | 'no-app-permission' | 'no-permission-for-verb';

export interface ApiMethodPermissions {
  /** `customers.retrieve`, `apps.secrets.find`. */
  readonly accessor: string;
  readonly verb: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly access: 'read' | 'write';
  /**
   * `permission`: any one of `permissions` satisfies the call. `no-app-permission`: no catalog
   * permission grants the API, so an app cannot call it. `no-permission-for-verb`: the catalog row
   * exists but has no permission of this access (`accounts.create`: connected_account_read only).
   */
  readonly status: ApiMethodStatus;
  readonly permissions: readonly string[];
  /** The catalog row's resource name, when one covers the API. */
  readonly resource?: string;
  /** Why: the mapping rule's source, or why no permission exists. */
  readonly note: string;
  readonly stripeVersions: readonly string[];
}

export interface SatisfyOptions {
  /** Count a granted `X_write` as covering a read that needs `X_read` (undocumented by Stripe). */
  readonly writeCoversRead: boolean;
}

function toMethod(entry: (typeof apiPermissionsJson.methods)[number]): ApiMethodPermissions {
  return {
    accessor: entry.accessor,
    verb: entry.verb === 'GET' ? 'GET' : entry.verb === 'DELETE' ? 'DELETE' : 'POST',
    path: entry.path,
    access: entry.access === 'read' ? 'read' : 'write',
    status:
      entry.status === 'permission'
        ? 'permission'
        : entry.status === 'no-app-permission'
          ? 'no-app-permission'
          : 'no-permission-for-verb',
    permissions: entry.permissions,
    ...('resource' in entry && typeof entry.resource === 'string'
      ? { resource: entry.resource }
      : {}),
    note: entry.note,
    stripeVersions: entry.stripeVersions,
  };
}

const methods: ReadonlyMap<string, ApiMethodPermissions> = new Map(
  apiPermissionsJson.methods.map((entry) => [entry.accessor, toMethod(entry)]),
);
const aliases: ReadonlyMap<string, string> = new Map(Object.entries(apiPermissionsJson.aliases));

/** The stripe versions the table was generated from. */
export const apiTableSource: readonly { name: string; version: string }[] =
  apiPermissionsJson.source.packages;

/**
 * The method at an accessor path (`customers.list`, `stripe.`-less), following stripe-node's
 * aliases (`account.retrieve` is `accounts.retrieve`). Undefined for an unknown method.
 */
export function apiMethod(accessor: string): ApiMethodPermissions | undefined {
  const direct = methods.get(accessor);
  if (direct) return direct;
  const dot = accessor.indexOf('.');
  const target = dot > 0 ? aliases.get(accessor.slice(0, dot)) : undefined;
  return target ? methods.get(`${target}${accessor.slice(dot)}`) : undefined;
}

export function allApiMethods(): IterableIterator<ApiMethodPermissions> {
  return methods.values();
}

/**
 * The granted names that satisfy the call: those of `permissions`, plus, when the caller counts a
 * write as covering a read, the `_write` twins of its `_read` names. Empty when none is granted.
 */
export function satisfiedBy(
  method: ApiMethodPermissions,
  granted: ReadonlySet<string>,
  options: SatisfyOptions,
): string[] {
  const candidates = [...method.permissions];
  if (options.writeCoversRead && method.access === 'read') {
    for (const name of method.permissions) {
      if (name.endsWith('_read')) candidates.push(`${name.slice(0, -'_read'.length)}_write`);
    }
  }
  return [...new Set(candidates)].filter((name) => granted.has(name));
}

/** An object an expand path reaches, with the permissions that read it (any one of them). */
export interface ExpandedObject {
  /** The API object type: `customer`, `apps.secret`. */
  readonly object: string;
  /** Empty when no GET method returns this object alone: the tool cannot name its permission. */
  readonly permissions: readonly string[];
}

export interface ExpandStep {
  /** The expand path up to this object: `latest_invoice`, then `latest_invoice.payment_intent`. */
  readonly path: string;
  /** What the field may expand to (several for a polymorphic field such as `default_source`). */
  readonly objects: readonly ExpandedObject[];
}

export interface ExpandResolution {
  readonly steps: readonly ExpandStep[];
  /** The rest of the path that names no expandable object field (`payload` of a secret). */
  readonly unresolved?: string;
}

interface ObjectInfo {
  readonly permissions: readonly string[];
  readonly expandable: Readonly<Record<string, readonly string[]>>;
}

const objects: ReadonlyMap<string, ObjectInfo> = new Map(Object.entries(apiObjectsJson.objects));
const returns: ReadonlyMap<string, { objects: readonly string[]; list: boolean }> = new Map(
  Object.entries(apiObjectsJson.returns),
);

function canonicalAccessor(accessor: string): string {
  return apiMethod(accessor)?.accessor ?? accessor;
}

/** The object types a method returns, when its types name them (stripe's own declarations). */
export function apiMethodReturns(
  accessor: string,
): { readonly objects: readonly string[]; readonly list: boolean } | undefined {
  return returns.get(canonicalAccessor(accessor));
}

/** The permissions that read an API object type (`customer` → customer_read). */
export function objectPermissions(object: string): readonly string[] | undefined {
  return objects.get(object)?.permissions;
}

/**
 * The objects an `expand` entry of a call pulls in, hop by hop: for `subscriptions.retrieve` and
 * `latest_invoice.payment_intent`, the invoice (invoice_read) and then the payment intent. A list
 * method's paths start with `data.`, as Stripe requires. Undefined for a method whose result is
 * unknown; `unresolved` holds what is left when a segment names no expandable object field.
 */
export function expandPermissions(
  accessor: string,
  expandPath: string,
): ExpandResolution | undefined {
  const result = apiMethodReturns(accessor);
  if (!result) return undefined;
  let rest = expandPath;
  if (result.list) {
    if (!rest.startsWith('data.')) return { steps: [], unresolved: rest };
    rest = rest.slice('data.'.length);
  }
  const consumed = expandPath.slice(0, expandPath.length - rest.length);
  let current: readonly string[] = result.objects;
  let path = consumed;
  const steps: ExpandStep[] = [];
  while (rest !== '') {
    let field: string | undefined;
    const reached = new Set<string>();
    for (const object of current) {
      const expandable = objects.get(object)?.expandable ?? {};
      for (const candidate of Object.keys(expandable)) {
        const matches = rest === candidate || rest.startsWith(`${candidate}.`);
        if (matches && (field === undefined || candidate.length > field.length)) field = candidate;
      }
    }
    if (field === undefined) return { steps, unresolved: rest };
    for (const object of current) {
      const expandable = objects.get(object)?.expandable ?? {};
      const targets = Object.hasOwn(expandable, field) ? (expandable[field] ?? []) : [];
      for (const target of targets) reached.add(target);
    }
    path += field;
    steps.push({
      path,
      objects: [...reached].map((object) => ({
        object,
        permissions: objects.get(object)?.permissions ?? [],
      })),
    });
    rest = rest.slice(field.length);
    if (rest.startsWith('.')) {
      rest = rest.slice(1);
      path += '.';
    }
    current = [...reached];
  }
  return { steps };
}
