import catalogJson from '../catalog/catalog.json';
import eventsJson from '../catalog/events.json';
import sourceJson from '../catalog/source.json';
import {
  implications,
  legacy,
  restricted,
  retired,
  schemaMisspellings,
  sensitive,
  type Annotation,
  type ImpliedResource,
  type RetiredName,
} from '../catalog/annotations';

export type Access = 'read' | 'write';

export interface PermissionInfo {
  readonly name: string;
  readonly access: Access;
  readonly product: string;
  readonly resource: string;
  readonly description: string;
  readonly docsUrl?: string;
  /** The other names of the same reference row (usually the read/write twin). */
  readonly siblings: readonly string[];
}

export interface CatalogSource {
  readonly title: string;
  readonly url: string;
  readonly copied: string;
  readonly sha256: string;
}

/** The permission catalog: the generated reference table plus the hand-written annotations. */
export interface Catalog {
  readonly source: CatalogSource;
  readonly permissions: readonly PermissionInfo[];
  /** Product names in the order of the reference table. */
  readonly products: readonly string[];
  get(name: string): PermissionInfo | undefined;
  has(name: string): boolean;
  restricted(name: string): Annotation | undefined;
  sensitive(name: string): Annotation | undefined;
  legacy(name: string): Annotation | undefined;
  retired(name: string): RetiredName | undefined;
  /** The correct name for one of the misspellings in Stripe's own schema. */
  schemaMisspelling(name: string): (Annotation & { correct: string }) | undefined;
  /** Names this permission also grants. */
  implies(name: string): readonly string[];
  /** The resources this permission also grants, with their permission when they have one. */
  impliedResources(name: string): readonly ImpliedResource[];
  /** The permissions that grant this one besides itself. */
  impliedBy(name: string): readonly string[];
  implicationNote(name: string): Annotation | undefined;
  /** Permissions an event type needs, or undefined when it is not a known event type. */
  eventPermissions(eventType: string): readonly string[] | undefined;
  readonly eventTypes: readonly string[];
}

/** A lookup of a record's own keys (never `constructor` or `__proto__` from the prototype). */
function lookup<T>(record: Readonly<Record<string, T>>): (key: string) => T | undefined {
  const map = new Map(Object.entries(record));
  return (key) => map.get(key);
}

function createCatalog(): Catalog {
  const permissions: readonly PermissionInfo[] = catalogJson.permissions.map((entry) => ({
    ...entry,
    access: entry.access === 'write' ? 'write' : 'read',
  }));
  const byName = new Map(permissions.map((info) => [info.name, info]));
  const products = [...new Set(permissions.map((info) => info.product))];
  const impliedByMap = new Map<string, string[]>();
  for (const [name, implication] of Object.entries(implications)) {
    for (const implied of implication.implies) {
      impliedByMap.set(implied, [...(impliedByMap.get(implied) ?? []), name]);
    }
  }
  const events: Readonly<Record<string, readonly string[]>> = eventsJson;
  const implication = lookup(implications);
  return {
    source: { ...sourceJson, sha256: catalogJson.source.sha256 },
    permissions,
    products,
    get: (name) => byName.get(name),
    has: (name) => byName.has(name),
    restricted: lookup(restricted),
    sensitive: lookup(sensitive),
    legacy: lookup(legacy),
    retired: lookup(retired),
    schemaMisspelling: lookup(schemaMisspellings),
    implies: (name) => implication(name)?.implies ?? [],
    impliedResources: (name) => implication(name)?.grants ?? [],
    impliedBy: (name) => impliedByMap.get(name) ?? [],
    implicationNote: implication,
    eventPermissions: lookup(events),
    eventTypes: Object.keys(events),
  };
}

/** The one catalog, built once: it is immutable data compiled into the bundle. */
export const catalog: Catalog = createCatalog();
