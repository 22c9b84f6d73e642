import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'jsonc-parser';
import type { TextEdit } from 'vscode-languageserver-types';
import { createManifestLanguageService } from '../../server/src/service/languageService';
import { minimalEdits } from '../../server/src/service/edits';
import {
  type GrantOptions,
  type GrantResult,
  type RevokeResult,
} from '../../server/src/service/grantRevoke';
import { applyEdits, doc, manifestWith } from './util';
import { corpusFiles, corpusSkipReason } from '../support/corpus';

const service = createManifestLanguageService();
const withAllowed = createManifestLanguageService({ allowedPermissions: ['beta_widget_read'] });

const BASE = 'file:///app/stripe-app.json';
const LOCAL = 'file:///app/stripe-app.dev.json';

function grant(
  text: string,
  name: string,
  purpose: string,
  options: GrantOptions = {},
  uri = BASE,
  svc = service,
): GrantResult & { text: string } {
  const document = doc(text, uri);
  const result = svc.grant(document, svc.parseManifest(document), name, purpose, options);
  return { ...result, text: applyEdits(document, result.edits) };
}

function revoke(text: string, name: string, uri = BASE): RevokeResult & { text: string } {
  const document = doc(text, uri);
  const result = service.revoke(document, service.parseManifest(document), name);
  return { ...result, text: applyEdits(document, result.edits) };
}

/** Grants `name`, checks the text, revokes it and checks the original bytes come back. */
function roundTrip(original: string, name: string, purpose: string, expected: string): void {
  const granted = grant(original, name, purpose);
  assert.equal(granted.status, 'granted', granted.message);
  assert.equal(granted.text, expected);
  assert.ok(granted.edits.every(isInsertion), 'grant only inserts');
  const revoked = revoke(granted.text, name);
  assert.ok(
    revoked.edits.every((edit) => edit.newText === ''),
    'revoke only deletes',
  );
  assert.equal(revoked.status, 'revoked', revoked.message);
  assert.equal(revoked.removed, 1);
  assert.equal(revoked.text, original);
}

const CUSTOMER = `{
      "permission": "customer_read",
      "purpose": "Shows the customer's plan in the drawer."
    }`;
const CHARGE_PURPOSE = 'Shows the recent charges of the customer.';

describe('grant and revoke: layouts', () => {
  it('2 spaces: appends a multi-line entry like its neighbours', () => {
    roundTrip(
      manifestWith(`[\n    ${CUSTOMER}\n  ]`),
      'charge_read',
      CHARGE_PURPOSE,
      manifestWith(`[
    ${CUSTOMER},
    {
      "permission": "charge_read",
      "purpose": "Shows the recent charges of the customer."
    }
  ]`),
    );
  });

  it('4 spaces', () => {
    const original = `{
    "id": "com.example.app",
    "permissions": [
        {
            "permission": "customer_read",
            "purpose": "Shows the customer's plan."
        }
    ]
}
`;
    roundTrip(
      original,
      'charge_read',
      CHARGE_PURPOSE,
      `{
    "id": "com.example.app",
    "permissions": [
        {
            "permission": "customer_read",
            "purpose": "Shows the customer's plan."
        },
        {
            "permission": "charge_read",
            "purpose": "Shows the recent charges of the customer."
        }
    ]
}
`,
    );
  });

  it('tabs', () => {
    const original =
      '{\n\t"id": "com.example.app",\n\t"permissions": [\n\t\t{\n\t\t\t"permission": "customer_read",\n\t\t\t"purpose": "Shows the plan."\n\t\t}\n\t]\n}\n';
    roundTrip(
      original,
      'charge_read',
      CHARGE_PURPOSE,
      '{\n\t"id": "com.example.app",\n\t"permissions": [\n\t\t{\n\t\t\t"permission": "customer_read",\n\t\t\t"purpose": "Shows the plan."\n\t\t},\n\t\t{\n\t\t\t"permission": "charge_read",\n\t\t\t"purpose": "Shows the recent charges of the customer."\n\t\t}\n\t]\n}\n',
    );
  });

  it('tabs, into an empty array', () => {
    roundTrip(
      '{\n\t"id": "com.example.app",\n\t"permissions": []\n}',
      'charge_read',
      CHARGE_PURPOSE,
      '{\n\t"id": "com.example.app",\n\t"permissions": [\n\t\t{\n\t\t\t"permission": "charge_read",\n\t\t\t"purpose": "Shows the recent charges of the customer."\n\t\t}\n\t]\n}',
    );
  });

  it('CRLF line breaks stay CRLF', () => {
    const crlf = (text: string): string => text.replace(/\n/g, '\r\n');
    roundTrip(
      crlf(manifestWith(`[\n    ${CUSTOMER}\n  ]`)),
      'charge_read',
      CHARGE_PURPOSE,
      crlf(
        manifestWith(`[
    ${CUSTOMER},
    {
      "permission": "charge_read",
      "purpose": "Shows the recent charges of the customer."
    }
  ]`),
      ),
    );
    roundTrip(
      crlf(manifestWith('[]')),
      'charge_read',
      CHARGE_PURPOSE,
      crlf(
        manifestWith(`[
    {
      "permission": "charge_read",
      "purpose": "Shows the recent charges of the customer."
    }
  ]`),
      ),
    );
  });

  it('no final newline stays without one', () => {
    const original = manifestWith(`[\n    ${CUSTOMER}\n  ]`).trimEnd();
    const granted = grant(original, 'charge_read', CHARGE_PURPOSE);
    assert.ok(granted.text.endsWith('}'));
    assert.equal(revoke(granted.text, 'charge_read').text, original);
  });

  it('an empty array gets a multi-line entry and comes back as []', () => {
    roundTrip(
      manifestWith('[]'),
      'charge_read',
      CHARGE_PURPOSE,
      manifestWith(`[
    {
      "permission": "charge_read",
      "purpose": "Shows the recent charges of the customer."
    }
  ]`),
    );
  });

  it('a single-line array stays on one line', () => {
    roundTrip(
      manifestWith('[{ "permission": "customer_read", "purpose": "Shows the plan." }]'),
      'charge_read',
      CHARGE_PURPOSE,
      manifestWith(
        '[{ "permission": "customer_read", "purpose": "Shows the plan." }, { "permission": "charge_read", "purpose": "Shows the recent charges of the customer." }]',
      ),
    );
    roundTrip(
      manifestWith('[{"permission":"customer_read","purpose":"Shows the plan."}]'),
      'charge_read',
      'Reads.',
      manifestWith(
        '[{"permission":"customer_read","purpose":"Shows the plan."}, {"permission":"charge_read","purpose":"Reads."}]',
      ),
    );
  });

  it('one-line entries on lines of their own get a one-line entry', () => {
    roundTrip(
      manifestWith(`[
    { "permission": "customer_read", "purpose": "Shows the plan." },
    { "purpose": "Lists invoices.", "permission": "invoice_read" }
  ]`),
      'charge_read',
      CHARGE_PURPOSE,
      manifestWith(`[
    { "permission": "customer_read", "purpose": "Shows the plan." },
    { "purpose": "Lists invoices.", "permission": "invoice_read" },
    { "purpose": "Shows the recent charges of the customer.", "permission": "charge_read" }
  ]`),
    );
  });

  it('a trailing comma stays a trailing comma', () => {
    roundTrip(
      manifestWith(`[\n    ${CUSTOMER},\n  ]`),
      'charge_read',
      CHARGE_PURPOSE,
      manifestWith(`[
    ${CUSTOMER},
    {
      "permission": "charge_read",
      "purpose": "Shows the recent charges of the customer."
    },
  ]`),
    );
    roundTrip(
      manifestWith('[{ "permission": "customer_read", "purpose": "Shows the plan." },]'),
      'charge_read',
      'Reads.',
      manifestWith(
        '[{ "permission": "customer_read", "purpose": "Shows the plan." }, { "permission": "charge_read", "purpose": "Reads." },]',
      ),
    );
  });

  it('comments stay where they are (LF and CRLF, spaces and tabs)', () => {
    const original = manifestWith(`[
    // Billing
    { "permission": "customer_read", "purpose": "Shows the plan." }, /* the drawer */
    { "permission": "invoice_read", "purpose": "Lists invoices." } // the list view
    // more to come
  ]`);
    const expected = manifestWith(`[
    // Billing
    { "permission": "customer_read", "purpose": "Shows the plan." }, /* the drawer */
    { "permission": "invoice_read", "purpose": "Lists invoices." }, // the list view
    { "permission": "charge_read", "purpose": "Shows the recent charges of the customer." }
    // more to come
  ]`);
    const variants: ((text: string) => string)[] = [
      (text) => text,
      (text) => text.replace(/\n/g, '\r\n'),
      (text) => text.replace(/^ {4}/gm, '\t\t').replace(/^ {2}/gm, '\t'),
    ];
    for (const variant of variants) {
      roundTrip(variant(original), 'charge_read', CHARGE_PURPOSE, variant(expected));
    }
  });

  it('an array holding only a comment: the entry goes after it', () => {
    roundTrip(
      manifestWith('[\n    // Your app permissions here\n  ]'),
      'charge_read',
      CHARGE_PURPOSE,
      manifestWith(`[
    // Your app permissions here
    {
      "permission": "charge_read",
      "purpose": "Shows the recent charges of the customer."
    }
  ]`),
    );
  });

  it('escapes the purpose as JSON', () => {
    const granted = grant(manifestWith('[]'), 'charge_read', 'Shows "recent" charges — \\ ok');
    assert.match(granted.text, /"purpose": "Shows \\"recent\\" charges — \\\\ ok"/);
    assert.deepEqual((parse(granted.text) as { permissions: unknown[] }).permissions[0], {
      permission: 'charge_read',
      purpose: 'Shows "recent" charges — \\ ok',
    });
  });
});

describe('grant: missing permissions', () => {
  const original = `{
  "id": "com.example.app",
  "name": "Example App" // shown in the Dashboard
}
`;
  const created = `{
  "id": "com.example.app",
  "name": "Example App", // shown in the Dashboard
  "permissions": [
    {
      "permission": "charge_read",
      "purpose": "Shows the recent charges of the customer."
    }
  ]
}
`;

  it('creates "permissions" as the last property; revoking leaves it empty', () => {
    const granted = grant(original, 'charge_read', CHARGE_PURPOSE);
    assert.equal(granted.status, 'granted');
    assert.equal(granted.message, 'Granted charge_read (added the "permissions" array).');
    assert.equal(granted.text, created);
    // The key is the user's now (and a base manifest requires it): revoke keeps it, empty.
    assert.equal(
      revoke(created, 'charge_read').text,
      `{
  "id": "com.example.app",
  "name": "Example App", // shown in the Dashboard
  "permissions": []
}
`,
    );
  });

  it('in an empty object', () => {
    assert.equal(
      grant('{}', 'charge_read', 'Reads.').text,
      '{\n  "permissions": [\n    {\n      "permission": "charge_read",\n      "purpose": "Reads."\n    }\n  ]\n}',
    );
  });

  it('in a one-line object', () => {
    assert.equal(
      grant('{ "id": "x" }', 'charge_read', 'Reads.').text,
      '{ "id": "x", "permissions": [{ "permission": "charge_read", "purpose": "Reads." }] }',
    );
  });

  it('refuses in a local manifest, which inherits the base list, unless asked', () => {
    const local = '{\n  "extends": "stripe-app.json",\n  "id": "com.example.dev"\n}\n';
    const refused = grant(local, 'charge_read', CHARGE_PURPOSE, {}, LOCAL);
    assert.equal(refused.status, 'invalid');
    assert.deepEqual(refused.edits, []);
    assert.match(refused.message, /inherits the list of stripe-app\.json/);
    const forced = grant(local, 'charge_read', 'Reads.', { replaceInherited: true }, LOCAL);
    assert.equal(forced.status, 'granted');
    assert.equal(
      forced.text,
      '{\n  "extends": "stripe-app.json",\n  "id": "com.example.dev",\n  "permissions": [\n    {\n      "permission": "charge_read",\n      "purpose": "Reads."\n    }\n  ]\n}\n',
    );
    // A local manifest that has its own list is edited like any other.
    const own = '{\n  "extends": "stripe-app.json",\n  "permissions": []\n}\n';
    assert.equal(grant(own, 'charge_read', 'Reads.', {}, LOCAL).status, 'granted');
  });
});

describe('grant: already granted', () => {
  const original = manifestWith(`[\n    ${CUSTOMER}\n  ]`);

  it('updates the purpose in place', () => {
    const result = grant(original, ' customer_read ', '  Shows the plan and its renewal date. ');
    assert.equal(result.status, 'updated');
    assert.equal(result.message, 'customer_read was already granted: updated its purpose.');
    assert.equal(
      result.text,
      original.replace(
        "Shows the customer's plan in the drawer.",
        'Shows the plan and its renewal date.',
      ),
    );
  });

  it('changes nothing when the purpose is the same', () => {
    const result = grant(original, 'customer_read', "Shows the customer's plan in the drawer.");
    assert.equal(result.status, 'unchanged');
    assert.deepEqual(result.edits, []);
    assert.equal(result.message, 'customer_read is already granted with this purpose.');
  });

  it('updates the first of two entries and says so', () => {
    const twice = manifestWith(`[
    { "permission": "customer_read", "purpose": "One." },
    { "permission": "customer_read", "purpose": "Two." }
  ]`);
    const result = grant(twice, 'customer_read', 'Three.');
    assert.equal(result.status, 'updated');
    assert.equal(result.text, twice.replace('One.', 'Three.'));
    assert.match(result.message, /granted 2 times; only the first entry changed/);
  });

  it('a locale map: updates its en-US text, else its first', () => {
    const localized = manifestWith(`[
    {
      "permission": "customer_read",
      "purpose": { "fr-FR": "Affiche le forfait.", "en-US": "Shows the plan." }
    }
  ]`);
    const result = grant(localized, 'customer_read', 'Shows the plan and renewal.');
    assert.equal(result.status, 'updated');
    assert.equal(result.text, localized.replace('Shows the plan.', 'Shows the plan and renewal.'));
    assert.match(result.message, /the en-US text; check the other locales: fr-FR/);
    const french = localized.replace('"en-US": "Shows the plan."', '"de-DE": "Zeigt den Plan."');
    assert.equal(
      grant(french, 'customer_read', 'Montre le forfait.').text,
      french.replace('Affiche le forfait.', 'Montre le forfait.'),
    );
    assert.equal(grant(localized, 'customer_read', 'Shows the plan.').status, 'unchanged');
  });

  it('an entry without a purpose gets one', () => {
    const bare = manifestWith(`[
    { "permission": "customer_read" },
    {
      "permission": "invoice_read"
    }
  ]`);
    assert.equal(
      grant(bare, 'customer_read', 'Shows the plan.').text,
      bare.replace(
        '{ "permission": "customer_read" }',
        '{ "permission": "customer_read", "purpose": "Shows the plan." }',
      ),
    );
    const updated = grant(bare, 'invoice_read', 'Lists invoices.');
    assert.equal(updated.status, 'updated');
    assert.equal(
      updated.text,
      bare.replace(
        '"permission": "invoice_read"\n',
        '"permission": "invoice_read",\n      "purpose": "Lists invoices."\n',
      ),
    );
  });
});

describe('grant: refusals', () => {
  it('refuses an unknown name with suggestions', () => {
    const result = grant(manifestWith('[]'), 'customers_read', 'Reads.');
    assert.equal(result.status, 'unknown');
    assert.deepEqual(result.edits, []);
    assert.equal(result.suggestions?.[0], 'customer_read');
    assert.match(
      result.message,
      /^Unknown permission "customers_read"\. Did you mean customer_read/,
    );
    assert.match(result.message, /force it or add it to the allowed permissions/);
  });

  it('an event type names the permissions it needs', () => {
    const result = grant(manifestWith('[]'), 'customer.created', 'Reads.');
    assert.equal(result.status, 'unknown');
    assert.ok(result.suggestions?.includes('customer_read'));
    assert.match(result.message, /is an event type, not a permission/);
  });

  it('force grants it anyway; an allowed name needs no force', () => {
    const forced = grant(manifestWith('[]'), 'beta_widget_read', 'Reads.', { force: true });
    assert.equal(forced.status, 'granted');
    assert.equal(
      forced.message,
      'Granted beta_widget_read (forced: the catalog does not know it).',
    );
    assert.equal(
      forced.text,
      manifestWith(
        '[\n    {\n      "permission": "beta_widget_read",\n      "purpose": "Reads."\n    }\n  ]',
      ),
    );
    const allowed = grant(manifestWith('[]'), 'beta_widget_read', 'Reads.', {}, BASE, withAllowed);
    assert.equal(allowed.status, 'granted');
    assert.equal(allowed.text, forced.text);
  });

  it('refuses an empty name, a purpose that is not a text, an empty purpose', () => {
    const text = manifestWith('[]');
    assert.equal(grant(text, '  ', 'Reads.').status, 'invalid');
    assert.equal(grant(text, 'charge_read', 42 as unknown as string).status, 'invalid');
    const empty = grant(text, 'charge_read', '   ');
    assert.equal(empty.status, 'invalid');
    assert.match(empty.message, /Give a purpose for charge_read/);
  });

  it('refuses a manifest it cannot edit safely', () => {
    const notArray = grant(manifestWith('{}'), 'charge_read', 'Reads.');
    assert.equal(notArray.status, 'invalid');
    assert.match(notArray.message, /"permissions" is not an array/);
    const broken = grant('{\n  "permissions": [\n', 'charge_read', 'Reads.');
    assert.equal(broken.status, 'invalid');
    assert.match(broken.message, /fix the JSON syntax error at line 3, column 1/);
    assert.equal(grant('[]', 'charge_read', 'Reads.').status, 'invalid');
    // A parse of another text is never used to edit this one.
    const stale = service.parseManifest(doc(manifestWith('[]'), 'file:///other/stripe-app.json'));
    const outOfDate = service.grant(doc(manifestWith('[ ]')), stale, 'charge_read', 'Reads.');
    assert.equal(outOfDate.status, 'invalid');
    assert.match(outOfDate.message, /out of date/);
    for (const result of [notArray, broken]) assert.deepEqual(result.edits, []);
  });
});

describe('revoke', () => {
  it('says so and changes nothing when the name is not granted', () => {
    const result = revoke(manifestWith(`[\n    ${CUSTOMER}\n  ]`), 'charge_read');
    assert.equal(result.status, 'not-granted');
    assert.deepEqual(result.edits, []);
    assert.equal(result.removed, 0);
    assert.equal(result.message, 'charge_read is not granted; nothing changed.');
    const inherited = revoke('{ "extends": "stripe-app.json" }', 'charge_read', LOCAL);
    assert.match(inherited.message, /inherits its permissions from stripe-app\.json/);
  });

  it('removes every entry of the name, as a few minimal edits', () => {
    const original = manifestWith(`[
    { "permission": "customer_read", "purpose": "One." },
    { "permission": "invoice_read", "purpose": "Lists invoices." }, // invoices
    { "permission": " customer_read", "purpose": "Two." }
  ]`);
    const result = revoke(original, 'customer_read');
    assert.equal(result.status, 'revoked');
    assert.equal(result.removed, 2);
    assert.equal(result.message, 'Revoked customer_read (2 entries).');
    assert.equal(
      result.text,
      manifestWith(`[
    { "permission": "invoice_read", "purpose": "Lists invoices." } // invoices
  ]`),
    );
    assert.equal(result.edits.length, 3);
  });

  it('removes many entries in one pass: adjacent lines, the last one and its comma, CRLF', () => {
    const entry = (name: string, purpose: string): string =>
      `{\n      "permission": "${name}",\n      "purpose": "${purpose}"\n    }`;
    const original = manifestWith(`[
    ${entry('customer_read', 'One.')},
    ${entry('customer_read', 'Two.')}, // two
    ${entry('invoice_read', 'Lists invoices.')},
    ${entry('customer_read', 'Three.')},
    /* kept */
    ${entry('charge_read', 'Lists charges.')},
    ${entry('customer_read', 'Four.')}
  ]`);
    const expected = manifestWith(`[
    ${entry('invoice_read', 'Lists invoices.')},
    /* kept */
    ${entry('charge_read', 'Lists charges.')}
  ]`);
    for (const eol of ['\n', '\r\n']) {
      const result = revoke(original.replace(/\n/g, eol), 'customer_read');
      assert.equal(result.status, 'revoked', result.message);
      assert.equal(result.removed, 4);
      assert.equal(result.text, expected.replace(/\n/g, eol));
      // The first two lines go as one edit; the last entry takes the comma before it along.
      assert.deepEqual(
        result.edits.map(({ range: { start, end }, newText }) => [
          start.line,
          start.character,
          end.line,
          end.character,
          newText,
        ]),
        [
          [5, 18, 13, 13, ''],
          [17, 6, 21, 6, ''],
          [26, 5, 30, 5, ''],
        ],
      );
    }
  });

  it('leaves the net change as minimal edits: one per changed run, no CRLF split', () => {
    const text = '{\r\n  "a": "xy",\r\n  "b": [1, 2, 3]\r\n}\r\n';
    const document = doc(text);
    const next = '{\r\n  "a": "xBAy",\r\n  "b": [1, 4]\r\n}\r\n';
    const edits = minimalEdits(document, next);
    assert.deepEqual(edits, [
      {
        range: { start: { line: 1, character: 9 }, end: { line: 1, character: 9 } },
        newText: 'BA',
      },
      {
        range: { start: { line: 2, character: 11 }, end: { line: 2, character: 15 } },
        newText: '4',
      },
    ]);
    assert.equal(applyEdits(document, edits), next);
  });

  it('removes the only entry of a single-line array', () => {
    const result = revoke(
      manifestWith('[{ "permission": "customer_read", "purpose": "x" }]'),
      'customer_read',
    );
    assert.equal(result.text, manifestWith('[]'));
  });

  it('removes the first of inline entries with its separator', () => {
    const result = revoke(
      manifestWith('[{ "permission": "customer_read" }, { "permission": "invoice_read" }]'),
      'customer_read',
    );
    assert.equal(result.text, manifestWith('[{ "permission": "invoice_read" }]'));
  });

  it('refuses a manifest it cannot edit safely', () => {
    assert.equal(revoke('{ "permissions": "customer_read" }', 'customer_read').status, 'invalid');
    assert.equal(revoke('{ "permissions": [', 'customer_read').status, 'invalid');
    assert.equal(revoke(manifestWith('[]'), ' ').status, 'invalid');
  });
});

describe('grant then revoke on the real-world corpus', { skip: corpusSkipReason }, () => {
  it('gives back the original bytes of every file that has a permissions array', () => {
    const files = corpusFiles();
    assert.ok(files.length >= 160, `expected the 166 corpus files, found ${files.length}`);
    let exact = 0;
    let created = 0;
    let refused = 0;
    for (const { name: file, text: original } of files) {
      // "owner__repo__dir__stripe-app.dev.json": the last part is the file's real name.
      const uri = `file:///corpus/${file}/${file.split('__').pop() ?? file}`;
      const document = doc(original, uri);
      const manifest = service.parseManifest(document);
      const name =
        service.catalog.permissions.find((info) => !manifest.granted.has(info.name))?.name ?? '';
      const granted = service.grant(document, manifest, name, 'Shows "data" — for the app.', {
        replaceInherited: true,
      });
      if (manifest.syntaxErrors.length > 0) {
        assert.equal(granted.status, 'invalid', file);
        refused++;
        continue;
      }
      assert.equal(granted.status, 'granted', `${file}: ${granted.message}`);
      const grantedText = applyEdits(document, granted.edits);
      const grantedDocument = doc(grantedText, uri, 2);
      const revoked = service.revoke(grantedDocument, service.parseManifest(grantedDocument), name);
      assert.equal(revoked.status, 'revoked', file);
      const final = applyEdits(grantedDocument, revoked.edits);
      if (manifest.permissionsArray) {
        assert.ok(granted.edits.every(isInsertion), file);
        assert.equal(final, original, file);
        exact++;
      } else {
        // Created by the grant: revoke leaves "permissions": [], inserted and nothing else.
        const value = parse(original, [], { allowTrailingComma: true }) as Record<string, unknown>;
        assert.deepEqual(parse(final, [], { allowTrailingComma: true }), {
          ...value,
          permissions: [],
        });
        assert.ok(insertsOnly(original, final), file);
        created++;
      }
    }
    assert.equal(exact + created + refused, files.length);
    assert.ok(exact >= 150, `only ${exact} exact round trips`);
  });
});

function isInsertion(edit: TextEdit): boolean {
  return (
    edit.range.start.line === edit.range.end.line &&
    edit.range.start.character === edit.range.end.character
  );
}

/** True when `after` is `before` with one piece of text inserted. */
function insertsOnly(before: string, after: string): boolean {
  let prefix = 0;
  while (prefix < before.length && before[prefix] === after[prefix]) prefix++;
  return after.endsWith(before.slice(prefix));
}

describe('revoke several names at once', () => {
  const text = `{
  "permissions": [
    { "permission": "customer_read", "purpose": "Shows the customer." },
    { "permission": "charge_read", "purpose": "Lists charges." },
    { "permission": "customer_read", "purpose": "Links notes." },
    { "permission": "invoice_read", "purpose": "Shows invoices." }
  ]
}
`;

  it('removes every entry of every name in one edit set, counting entries per name', () => {
    const document = doc(text, BASE);
    const result = service.revokeAll(document, service.parseManifest(document), [
      'customer_read',
      'charge_read',
      'refund_read',
    ]);
    assert.deepEqual(result.outcomes, [
      {
        permission: 'customer_read',
        status: 'revoked',
        removed: 2,
        message: 'Revoked customer_read (2 entries).',
      },
      { permission: 'charge_read', status: 'revoked', removed: 1, message: 'Revoked charge_read.' },
      {
        permission: 'refund_read',
        status: 'not-granted',
        removed: 0,
        message: 'refund_read is not granted; nothing changed.',
      },
    ]);
    assert.equal(
      applyEdits(document, result.edits),
      `{
  "permissions": [
    { "permission": "invoice_read", "purpose": "Shows invoices." }
  ]
}
`,
    );
  });

  it('gives no edit when no name is granted', () => {
    const document = doc(text, BASE);
    const result = service.revokeAll(document, service.parseManifest(document), ['refund_read']);
    assert.deepEqual(result.edits, []);
    assert.equal(result.outcomes[0]?.status, 'not-granted');
  });
});
