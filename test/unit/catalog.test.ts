import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { catalogDir, renderGeneratedFiles } from '../../scripts/generate-catalog';
import {
  implications,
  legacy,
  restricted,
  retired,
  schemaMisspellings,
  sensitive,
} from '../../server/src/catalog/annotations';
import { catalog } from '../../server/src/service/catalog';

describe('catalog', () => {
  it('is exactly what the generator makes of the committed reference page', () => {
    const rendered = renderGeneratedFiles();
    assert.deepEqual(Object.keys(rendered).sort(), ['catalog.json', 'events.json']);
    for (const [file, text] of Object.entries(rendered)) {
      const committed = readFileSync(join(catalogDir, file), 'utf8');
      assert.ok(committed === text, `${file} is stale: run npm run generate-catalog`);
    }
  });

  it('holds the 77 rows and 136 names of the reference', () => {
    const generated = JSON.parse(renderGeneratedFiles()['catalog.json'] ?? '{}') as {
      rowCount: number;
      permissionCount: number;
      rows: unknown[];
    };
    assert.equal(generated.rowCount, 77);
    assert.equal(generated.rows.length, 77);
    assert.equal(generated.permissionCount, 136);
    const names = catalog.permissions.map((info) => info.name);
    assert.equal(names.length, 136);
    assert.equal(new Set(names).size, 136);
  });

  it('names end in _read or _write, matching their access', () => {
    for (const info of catalog.permissions) {
      assert.match(info.name, /^[a-z0-9_]+_(read|write)$/);
      assert.equal(info.access, info.name.endsWith('_write') ? 'write' : 'read', info.name);
      for (const sibling of info.siblings) assert.ok(catalog.has(sibling), sibling);
    }
  });

  it('annotates only catalog names (restricted, sensitive, legacy, implications)', () => {
    const annotated = [
      ...Object.keys(restricted),
      ...Object.keys(sensitive),
      ...Object.keys(legacy),
      ...Object.keys(implications),
      ...Object.values(implications).flatMap((implication) => implication.implies),
    ];
    assert.ok(annotated.length > 0);
    for (const name of annotated) assert.ok(catalog.has(name), `${name} is not in the catalog`);
  });

  it('keeps retired names and schema misspellings out of the catalog', () => {
    const outside = [...Object.keys(retired), ...Object.keys(schemaMisspellings)];
    assert.deepEqual(outside.sort(), [
      'apply_pay_domain_read',
      'apply_pay_domain_write',
      'elements_write',
      'mandate_read',
      'mandate_write',
      'shpping_rate_write',
      'stripecli_session_write',
    ]);
    for (const name of outside) assert.equal(catalog.has(name), false, name);
    for (const misspelling of Object.values(schemaMisspellings)) {
      assert.ok(catalog.has(misspelling.correct), misspelling.correct);
    }
    for (const name of Object.values(retired).flatMap((entry) => entry.replacements)) {
      assert.ok(catalog.has(name), name);
    }
  });

  it('answers lookups', () => {
    assert.equal(catalog.get('charge_read')?.resource, 'Charges and Refunds');
    assert.deepEqual(catalog.get('customer_read')?.siblings, ['customer_write']);
    assert.deepEqual(catalog.impliedBy('payout_read'), ['balance_transaction_source_read']);
    assert.deepEqual(catalog.eventPermissions('charge.captured'), ['charge_read']);
    assert.equal(catalog.eventPermissions('customer_read'), undefined);
    assert.equal(catalog.schemaMisspelling('shpping_rate_write')?.correct, 'shipping_rate_write');
  });
});
