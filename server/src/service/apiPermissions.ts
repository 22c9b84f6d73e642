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
