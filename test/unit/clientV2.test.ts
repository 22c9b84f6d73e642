/**
 * The VS Code client's v2 pieces that need no editor: the status item's text, the list Grant and
 * Revoke offer on a v2 manifest, and the YAML grammar injection's rules.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { listChoices } from '../../client/src/permissionLists';
import { statusText } from '../../client/src/statusText';
import type { ManifestInfoResult } from '../../server/src/protocol';

const catalog: ManifestInfoResult['catalog'] = {
  source: { title: 'Permissions reference', url: 'https://example.test', copied: '2026-05-01' },
  permissions: [
    {
      name: 'customer_read',
      access: 'read',
      product: 'Core',
      resource: 'Customers',
      description: 'Read customers',
    },
  ],
};

describe('status item text', () => {
  it('says "manifest v2" on stripe-app.yaml and keeps the v1 text on stripe-app.json', () => {
    assert.deepEqual(statusText('running', catalog, 2), {
      text: 'Stripe Apps (manifest v2): 1 permissions',
      detail: 'reference of 2026-05-01',
      severity: 'information',
      busy: false,
    });
    assert.equal(statusText('running', catalog, 1).text, 'Stripe Apps: 1 permissions');
    assert.equal(statusText('running', undefined, 1).text, 'Stripe Apps: ready');
    assert.deepEqual(statusText('starting', undefined, 2), {
      text: 'Stripe Apps (manifest v2): starting',
      detail: '',
      severity: 'information',
      busy: true,
    });
    assert.equal(statusText('failed', catalog, 2).severity, 'error');
    assert.equal(statusText('stopped', catalog, 1).text, 'Stripe Apps: stopped');
    assert.equal(statusText('not-started', undefined, 2).detail, 'not started');
  });
});

describe('the list Grant and Revoke work on', () => {
  const entry = (permission: string): { permission: string; purpose: string } => ({
    permission,
    purpose: `Reads ${permission}.`,
  });
  const v2: ManifestInfoResult = {
    version: 3,
    granted: [entry('customer_read')],
    catalog,
    lists: [
      {
        path: ['declarations', 'stripe_api_access', 'permissions'],
        scope: 'app',
        label: 'permissions',
        granted: [entry('customer_read')],
      },
      {
        path: ['extensions', 0, 'permissions'],
        scope: 'extension',
        label: 'extension "prorate"',
        granted: [],
      },
      {
        path: ['extensions', 1, 'permissions'],
        scope: 'extension',
        label: 'extension "discount"',
        granted: [entry('coupon_read'), entry('coupon_read')],
      },
    ],
  };

  it('asks on a v2 manifest with extension lists, the app list first and as default', () => {
    const choices = listChoices(v2, 'grant');
    assert.deepEqual(
      choices?.map(({ label, description, list }) => ({ label, description, list })),
      [
        {
          label: 'App permissions',
          description: 'declarations.stripe_api_access.permissions · 1 granted',
          list: undefined,
        },
        {
          label: 'Extension "prorate"',
          description: 'extensions[0].permissions · none granted',
          list: ['extensions', 0, 'permissions'],
        },
        {
          label: 'Extension "discount"',
          description: 'extensions[1].permissions · 1 granted',
          list: ['extensions', 1, 'permissions'],
        },
      ],
    );
    assert.deepEqual(choices[2]?.granted, [entry('coupon_read'), entry('coupon_read')]);
  });

  it('offers the app list even when the file has none yet (grant creates it)', () => {
    const noAppList = { ...v2, granted: [], lists: v2.lists?.slice(1) };
    const [app] = listChoices(noAppList, 'grant') ?? [];
    assert.deepEqual(app, {
      label: 'App permissions',
      description: 'declarations.stripe_api_access.permissions · none granted',
      granted: [],
    });
  });

  it('revokes only from lists that grant something, and asks only if an extension does', () => {
    assert.deepEqual(
      listChoices(v2, 'revoke')?.map((choice) => choice.label),
      ['App permissions', 'Extension "discount"'],
    );
    const onlyApp = { ...v2, lists: v2.lists?.slice(0, 2) };
    assert.equal(listChoices(onlyApp, 'revoke'), undefined);
    assert.equal(listChoices(onlyApp, 'grant')?.length, 2);
  });

  it('does not ask on v1, nor with a server that reports no lists', () => {
    const v1: ManifestInfoResult = {
      ...v2,
      lists: [{ path: ['permissions'], scope: 'app', label: 'permissions', granted: [] }],
    };
    assert.equal(listChoices(v1, 'grant'), undefined);
    const older: ManifestInfoResult = { version: v2.version, granted: v2.granted, catalog };
    assert.equal(listChoices(older, 'grant'), undefined);
    assert.equal(listChoices(older, 'revoke'), undefined);
  });
});

describe('YAML grammar injection', () => {
  interface Rule {
    match: string;
    captures: Record<string, { name: string }>;
  }
  const grammar = JSON.parse(
    readFileSync(
      join(__dirname, '..', '..', 'syntaxes', 'stripe-app-permissions-yaml.tmLanguage.json'),
      'utf8',
    ),
  ) as { injectionSelector: string; repository: { 'permission-line': { patterns: Rule[] } } };
  const rules = grammar.repository['permission-line'].patterns;

  /** The name's scope and text, as the first matching rule gives them (Oniguruma's syntax here is JavaScript's too). */
  function scopeOf(line: string): { scope: string; text: string } | undefined {
    for (const rule of rules) {
      const match = new RegExp(rule.match).exec(line);
      if (!match) continue;
      for (const [group, capture] of Object.entries(rule.captures)) {
        const text = match[Number(group)];
        if (text !== undefined && capture.name.includes('support.constant.permission')) {
          return { scope: capture.name, text };
        }
      }
    }
    return undefined;
  }

  it('scopes a permission name by access, plain or quoted, after a dash or not', () => {
    assert.equal(grammar.injectionSelector, 'L:source.yaml -comment -string');
    assert.deepEqual(scopeOf('            - permission: customer_read'), {
      scope: 'string.unquoted.plain.out.yaml support.constant.permission.read.stripe-apps',
      text: 'customer_read',
    });
    assert.deepEqual(scopeOf("  permission: 'customer_write'  # needed for notes"), {
      scope: 'string.quoted.single.yaml support.constant.permission.write.stripe-apps',
      text: 'customer_write',
    });
    assert.deepEqual(scopeOf('-\tpermission : "subscription_read"'), {
      scope: 'string.quoted.double.yaml support.constant.permission.read.stripe-apps',
      text: 'subscription_read',
    });
  });

  it('leaves everything else to YAML', () => {
    for (const line of [
      '- permission: customer_read extra',
      '- permission: "coupon_read, coupon_write"',
      '- permission: customer_read"',
      'permissions: []',
      '  purpose: customer_read',
      '- permission:customer_read',
      '- xpermission: customer_read',
      '- my_permission: customer_read',
      '- permission: customer.created',
    ]) {
      assert.equal(scopeOf(line), undefined, line);
    }
  });
});
