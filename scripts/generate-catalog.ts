/**
 * Generates server/src/catalog/catalog.json and events.json from the project's copies of the
 * Stripe Apps permissions reference page and the event → permissions table.
 *
 *   npm run generate-catalog           write the files
 *   npm run generate-catalog -- --check fail when the committed files are stale
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CatalogRow {
  product: string;
  resource: string;
  description: string;
  docsTitle?: string;
  docsUrl?: string;
  permissions: string[];
}

export interface CatalogPermission {
  name: string;
  access: 'read' | 'write';
  product: string;
  resource: string;
  description: string;
  docsUrl?: string;
  siblings: string[];
}

export interface GeneratedCatalog {
  source: { file: string; url: string; sha256: string };
  rowCount: number;
  permissionCount: number;
  rows: CatalogRow[];
  permissions: CatalogPermission[];
}

const TABLE_HEADER = 'Product | Resource | Permissions | Description ';
const TABLE_END = ' ## Event permissions';
const SOURCE_URL = 'https://docs.stripe.com/stripe-apps/reference/permissions';
// "See Billing Meters|https://docs.stripe.com/api/billing/meter." at the end of a description.
const SEE_LINK = /\s*See ([^|]+)\|(https:\/\/\S+?)\.?$/;
const PERMISSION_NAME = /^[a-z0-9_]+_(read|write)$/;

export const catalogDir = join(__dirname, '..', 'server', 'src', 'catalog');

/**
 * The page is one line of flattened markdown, so the table's cells are separated by " | " and a
 * row's description runs straight into the next row's product: "…lets you list events. Billing".
 */
export function parseReferenceTable(page: string): CatalogRow[] {
  const start = page.indexOf(TABLE_HEADER);
  const end = page.indexOf(TABLE_END);
  if (start < 0 || end < start) {
    throw new Error('permissions table not found in the reference page');
  }
  const cells = page.slice(start + TABLE_HEADER.length, end).split(' | ');
  if ((cells.length - 1) % 3 !== 0) {
    throw new Error(`unexpected cell count ${cells.length} in the permissions table`);
  }
  const rows: CatalogRow[] = [];
  let product = cells[0] ?? '';
  for (let i = 1; i + 2 < cells.length; i += 3) {
    const resource = cells[i] ?? '';
    const names = (cells[i + 1] ?? '').split(',').map((name) => name.trim());
    let description = cells[i + 2] ?? '';
    let nextProduct = '';
    if (i + 3 < cells.length) {
      const boundary = description.lastIndexOf('. ');
      if (boundary < 0) throw new Error(`cannot split the row after "${resource}"`);
      nextProduct = description.slice(boundary + 2);
      description = description.slice(0, boundary + 1);
    }
    for (const name of names) {
      if (!PERMISSION_NAME.test(name)) throw new Error(`"${name}" is not a permission name`);
    }
    const row: CatalogRow = { product, resource, description, permissions: names };
    const link = SEE_LINK.exec(description);
    if (link) {
      row.description = description.slice(0, link.index).trim();
      row.docsTitle = link[1];
      row.docsUrl = link[2];
    }
    rows.push(row);
    product = nextProduct;
  }
  return rows;
}

export function generateCatalog(page: string): GeneratedCatalog {
  const rows = parseReferenceTable(page);
  const permissions: CatalogPermission[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const name of row.permissions) {
      if (seen.has(name)) throw new Error(`"${name}" appears twice in the table`);
      seen.add(name);
      permissions.push({
        name,
        access: name.endsWith('_write') ? 'write' : 'read',
        product: row.product,
        resource: row.resource,
        description: row.description,
        ...(row.docsUrl ? { docsUrl: row.docsUrl } : {}),
        siblings: row.permissions.filter((other) => other !== name),
      });
    }
  }
  return {
    source: {
      file: 'permissions-reference.md',
      url: SOURCE_URL,
      sha256: createHash('sha256').update(page).digest('hex'),
    },
    rowCount: rows.length,
    permissionCount: permissions.length,
    rows,
    permissions,
  };
}

/** event type → permissions, from the tab-separated table (header: event_type, permissions). */
export function generateEvents(tsv: string): Record<string, string[]> {
  const events: Record<string, string[]> = {};
  const lines = tsv.split(/\r?\n/).filter((line) => line.trim() !== '');
  for (const line of lines.slice(1)) {
    const [eventType, permissions = ''] = line.split('\t');
    if (!eventType) throw new Error(`bad event line: ${line}`);
    // Some events need no permission beyond event_read: their list is empty.
    events[eventType.trim()] = permissions
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '');
  }
  return Object.fromEntries(Object.entries(events).sort(([a], [b]) => a.localeCompare(b)));
}

export function renderGeneratedFiles(): Record<string, string> {
  const page = readFileSync(join(catalogDir, 'permissions-reference.md'), 'utf8');
  const tsv = readFileSync(join(catalogDir, 'event-permissions.tsv'), 'utf8');
  return {
    'catalog.json': JSON.stringify(generateCatalog(page), null, 2) + '\n',
    'events.json': JSON.stringify(generateEvents(tsv), null, 2) + '\n',
  };
}

function main(): void {
  const check = process.argv.includes('--check');
  let stale = false;
  for (const [file, text] of Object.entries(renderGeneratedFiles())) {
    const path = join(catalogDir, file);
    if (check) {
      let current = '';
      try {
        current = readFileSync(path, 'utf8');
      } catch {
        // A missing file is stale.
      }
      if (current !== text) {
        console.error(`${path} is stale: run npm run generate-catalog`);
        stale = true;
      }
    } else {
      writeFileSync(path, text);
      console.log(`wrote ${path}`);
    }
  }
  if (stale) process.exitCode = 1;
}

if (require.main === module) main();
