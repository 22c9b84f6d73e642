/**
 * Finding the Stripe API calls of a UI extension, one call form per test, with inline sources.
 * Every call is checked with its exact callee span, accessor path, expand items and client origin.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createCallAnalyzer,
  type CallAnalysis,
  type PathAlias,
  type SourceFile,
} from '../../server/src/analysis';

type Sources = Record<string, string>;

function analyze(sources: Sources, aliases: PathAlias[] = []): CallAnalysis {
  const files: SourceFile[] = Object.entries(sources).map(([file, text]) => ({ file, text }));
  return createCallAnalyzer().analyze(files, aliases);
}

/** `[start, end]` of the nth occurrence of `needle` in `text`. */
function span(text: string, needle: string, occurrence = 0): [number, number] {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`"${needle}" not found (occurrence ${occurrence})`);
  }
  return [offset, offset + needle.length];
}

/** Calls as `file [start,end] accessor expand=… client=kind@file[start,end]`. */
function calls(result: CallAnalysis): string[] {
  return result.calls.map(
    (call) =>
      `${call.file} [${call.start},${call.end}] ${call.accessor}` +
      (call.expand.length
        ? ` expand=${call.expand.map((item) => `${item.path}[${item.start},${item.end}]`).join(',')}`
        : '') +
      (call.expandIncomplete ? ' expand-incomplete' : '') +
      ` client=${call.client.kind}@${call.client.file}[${call.client.start},${call.client.end}]`,
  );
}

function at(file: string, text: string, needle: string, occurrence = 0): string {
  const [start, end] = span(text, needle, occurrence);
  return `${file} [${start},${end}]`;
}

const HEADER = `import Stripe from 'stripe';
import { createHttpClient, STRIPE_API_KEY } from '@stripe/ui-extension-sdk/http_client';
`;
const CLIENT = `new Stripe(STRIPE_API_KEY, {
  httpClient: createHttpClient() as Stripe.HttpClient,
  apiVersion: '2023-08-16',
})`;

describe('call analysis: a client made in the same file', () => {
  it('finds a direct call with its callee span and the new Stripe(…) as origin', () => {
    const text = `${HEADER}const stripe = ${CLIENT};
export async function load() {
  return await stripe.customers.list({ limit: 3 });
}
`;
    const result = analyze({ 'src/views/App.tsx': text });
    const client = span(text, CLIENT);
    assert.deepEqual(calls(result), [
      `${at('src/views/App.tsx', text, 'stripe.customers.list')} customers.list client=ui-extension@src/views/App.tsx[${client[0]},${client[1]}]`,
    ]);
    assert.deepEqual(result.unresolved, []);
    assert.deepEqual(result.notes, []);
  });

  it('accepts a named Stripe import, a renamed createHttpClient and a namespace import', () => {
    const text = `import { Stripe as StripeClient } from 'stripe';
import * as sdk from '@stripe/ui-extension-sdk/http_client';
import { createHttpClient as makeHttp } from '@stripe/ui-extension-sdk/http_client';
const a = new StripeClient(sdk.STRIPE_API_KEY, { httpClient: sdk.createHttpClient() });
const b = new StripeClient(sdk.STRIPE_API_KEY, { httpClient: makeHttp() });
a.invoices.retrieve('in_1');
b.billing.meters.list();
`;
    const result = analyze({ 'src/a.ts': text });
    assert.deepEqual(
      result.calls.map((call) => [call.accessor, call.client.kind, call.start]),
      [
        ['invoices.retrieve', 'ui-extension', span(text, 'a.invoices.retrieve')[0]],
        ['billing.meters.list', 'ui-extension', span(text, 'b.billing.meters.list')[0]],
      ],
    );
  });

  it('reads chained deep accessors, aliases, destructuring, optional chaining and for await', () => {
    const text = `${HEADER}const stripe = ${CLIENT};
const secrets = stripe.apps.secrets;
const { customers } = stripe;
async function run(id: string) {
  await stripe.apps.secrets.find({ scope: { type: 'account' }, name: 'token' });
  await secrets.deleteWhere({ scope: { type: 'account' }, name: 'token' });
  await customers.retrieve(id);
  await stripe?.billing.meters.list();
  await stripe.customers.list().autoPagingEach(() => undefined);
  for await (const product of stripe.products.list({ limit: 100 })) console.log(product);
  await stripe['prices'].list();
  stripe.on('request', () => undefined);
}
`;
    const file = 'src/run.ts';
    assert.deepEqual(
      analyze({ [file]: text }).calls.map(
        (call) => `${call.file} [${call.start},${call.end}] ${call.accessor}`,
      ),
      [
        `${at(file, text, 'stripe.apps.secrets.find')} apps.secrets.find`,
        `${at(file, text, 'secrets.deleteWhere')} apps.secrets.deleteWhere`,
        `${at(file, text, 'customers.retrieve')} customers.retrieve`,
        `${at(file, text, 'stripe?.billing.meters.list')} billing.meters.list`,
        `${at(file, text, 'stripe.customers.list')} customers.list`,
        `${at(file, text, 'stripe.products.list')} products.list`,
        `${at(file, text, "stripe['prices'].list")} prices.list`,
      ],
    );
  });

  it('records literal expand items with their spans, and flags an expand it cannot read', () => {
    const text = `${HEADER}const stripe = ${CLIENT};
const fields = ['customer'];
stripe.prices.list({ active: true, expand: ['data.product', \`customer\`] });
stripe.invoices.retrieve('in_1', { expand: fields });
stripe.charges.retrieve('ch_1', { expand: ['customer', fields[0]] });
`;
    const file = 'src/expand.ts';
    const client = span(text, CLIENT);
    const origin = `client=ui-extension@${file}[${client[0]},${client[1]}]`;
    const [p0, p1] = span(text, "'data.product'");
    const [c0, c1] = span(text, '`customer`');
    const [d0, d1] = span(text, "'customer'", 1);
    assert.deepEqual(calls(analyze({ [file]: text })), [
      `${at(file, text, 'stripe.prices.list')} prices.list expand=data.product[${p0},${p1}],customer[${c0},${c1}] ${origin}`,
      `${at(file, text, 'stripe.invoices.retrieve')} invoices.retrieve expand-incomplete ${origin}`,
      `${at(file, text, 'stripe.charges.retrieve')} charges.retrieve expand=customer[${d0},${d1}] expand-incomplete ${origin}`,
    ]);
  });

  it('does not report a shadowing variable, an untyped parameter or a component prop of unknown type', () => {
    const text = `${HEADER}const stripe = ${CLIENT};
function a(stripe: any) { return stripe.customers.list(); }
function b() { const stripe = makeSomethingElse(); return stripe.customers.list(); }
function c(props: { client: unknown }) { return (props.client as any).customers.list(); }
`;
    const result = analyze({ 'src/shadow.ts': text });
    assert.deepEqual(result.calls, []);
    assert.deepEqual(result.unresolved, []);
  });
});

describe('call analysis: a client made elsewhere', () => {
  const stripeModule = `${HEADER}export const stripe: Stripe = ${CLIENT};
export default stripe;
export { stripe as client };
`;

  it('follows default, named and renamed imports, and re-exports', () => {
    const view = `import stripe from '../stripe';
import { client } from '../stripe';
import * as clients from '../clients';
import { stripe as again } from '../clients/index';
export const run = async () => {
  await stripe.customers.list();
  await client.subscriptions.retrieve('sub_1');
  await clients.stripe.products.list();
  await again.apps.secrets.list({ scope: { type: 'account' } });
};
`;
    const result = analyze({
      'src/stripe.ts': stripeModule,
      'src/clients/index.ts': `export * from '../stripe';\n`,
      'src/views/View.tsx': view,
    });
    const client = span(stripeModule, CLIENT);
    const origin = `client=ui-extension@src/stripe.ts[${client[0]},${client[1]}]`;
    const file = 'src/views/View.tsx';
    assert.deepEqual(calls(result), [
      `${at(file, view, 'stripe.customers.list')} customers.list ${origin}`,
      `${at(file, view, 'client.subscriptions.retrieve')} subscriptions.retrieve ${origin}`,
      `${at(file, view, 'clients.stripe.products.list')} products.list ${origin}`,
      `${at(file, view, 'again.apps.secrets.list')} apps.secrets.list ${origin}`,
    ]);
    assert.deepEqual(result.notes, []);
  });

  it('resolves a path alias and a `.js` specifier naming a `.ts` file', () => {
    const view = `import { stripe } from '@/stripe';
import { client } from '../stripe.js';
stripe.coupons.list();
client.coupons.create({ percent_off: 10 });
`;
    const result = analyze({ 'src/stripe.ts': stripeModule, 'src/views/View.tsx': view }, [
      { prefix: '@/', targets: ['src/'] },
    ]);
    assert.deepEqual(
      result.calls.map((call) => call.accessor),
      ['coupons.list', 'coupons.create'],
    );
  });

  it('notes an import of a source file it cannot find, once', () => {
    const view = `import { stripe } from './missing';
stripe.customers.list();
stripe.customers.retrieve('cus_1');
`;
    const result = analyze({ 'src/views/View.tsx': view });
    assert.deepEqual(result.calls, []);
    assert.deepEqual(result.notes, [
      {
        kind: 'unresolved-import',
        file: 'src/views/View.tsx',
        detail: "'./missing' is not among the analysed source files",
      },
    ]);
  });

  it('follows a client returned by a factory, in the same file and across files', () => {
    const factory = `${HEADER}export function getStripe() {
  return ${CLIENT};
}
export const makeClient = () => getStripe();
`;
    const view = `import { getStripe, makeClient } from './factory';
async function run() {
  await getStripe().customers.list();
  const s = makeClient();
  await s.billing.meters.list();
  const t = await Promise.resolve(getStripe());
  await t.customers.del('cus_1');
}
`;
    const result = analyze({ 'src/factory.ts': factory, 'src/view.ts': view });
    const client = span(factory, CLIENT);
    const origin = `client=ui-extension@src/factory.ts[${client[0]},${client[1]}]`;
    // `Promise.resolve(getStripe())` hides the client: not a call the tool can follow.
    assert.deepEqual(calls(result), [
      `${at('src/view.ts', view, 'getStripe().customers.list')} customers.list ${origin}`,
      `${at('src/view.ts', view, 's.billing.meters.list')} billing.meters.list ${origin}`,
    ]);
  });

  it('counts a parameter typed Stripe, plain or destructured, as the UI extension client', () => {
    const helper = `import Stripe from 'stripe';
import type * as S from 'stripe';
export async function getSecret({ stripe, name }: { stripe: Stripe; name: string }) {
  return stripe.apps.secrets.find({ name, scope: { type: 'account' }, expand: ['payload'] });
}
export const list = (client: Stripe) => client.customers.list();
export function retrieve(client: S.Stripe, id: string) {
  return client.customers.retrieve(id);
}
export function notStripe(client: Stripe.Customer) {
  return client.metadata.toString();
}
`;
    const file = 'src/helpers.ts';
    const param1 = span(helper, 'stripe: Stripe');
    const param2 = span(helper, 'client: Stripe');
    const param3 = span(helper, 'client: S.Stripe');
    const [e0, e1] = span(helper, "'payload'");
    assert.deepEqual(calls(analyze({ [file]: helper })), [
      `${at(file, helper, 'stripe.apps.secrets.find')} apps.secrets.find expand=payload[${e0},${e1}] client=parameter@${file}[${param1[0]},${param1[1]}]`,
      `${at(file, helper, 'client.customers.list')} customers.list client=parameter@${file}[${param2[0]},${param2[1]}]`,
      `${at(file, helper, 'client.customers.retrieve')} customers.retrieve client=parameter@${file}[${param3[0]},${param3[1]}]`,
    ]);
  });
});

describe('call analysis: React patterns', () => {
  it('follows a client made in useMemo and a prop typed Stripe through an interface or alias', () => {
    const text = `import React, { useMemo } from 'react';
import * as R from 'react';
${HEADER}
interface Props { stripe: Stripe; id: string }
type AliasProps = { client: Stripe };
export function A({ stripe, id }: Props) {
  stripe.customers.retrieve(id);
}
export const B = ({ client }: AliasProps) => client.invoices.list();
export function C() {
  const memo = useMemo(() => ${CLIENT}, []);
  const viaReact = React.useMemo(() => ${CLIENT}, []);
  const viaNamespace = R.useMemo(() => { return ${CLIENT}; }, []);
  memo.products.list();
  viaReact.prices.list();
  viaNamespace.coupons.list();
}
`;
    const file = 'src/views/A.tsx';
    assert.deepEqual(
      analyze({ [file]: text }).calls.map(
        (call) =>
          `${call.accessor} ${call.client.kind} ${text.slice(call.client.start, call.client.end).split('\n')[0] ?? ''}`,
      ),
      [
        'customers.retrieve parameter stripe: Stripe',
        'invoices.list parameter client: Stripe',
        'products.list ui-extension new Stripe(STRIPE_API_KEY, {',
        'prices.list ui-extension new Stripe(STRIPE_API_KEY, {',
        'coupons.list ui-extension new Stripe(STRIPE_API_KEY, {',
      ],
    );
  });
});

describe('call analysis: calls that need no app permission', () => {
  it('ignores fetch to the app backend and a backend client with its own key', () => {
    const backend = `import Stripe from 'stripe';
export const stripe = new Stripe(process.env.STRIPE_SECRET_KEY as string, { apiVersion: '2022-08-01' });
const bare = new Stripe('sk_test_x');
export async function handler() {
  await stripe.customers.search({ query: 'x' });
  await bare.checkout.sessions.create({ mode: 'payment' });
}
`;
    const view = `import { stripe } from '../backend/app';
import fetchStripeSignature from '@stripe/ui-extension-sdk/signature';
export async function load() {
  await fetch('https://api.example.com/items', { headers: { 'Stripe-Signature': await fetchStripeSignature() } });
  await stripe.customers.list();
}
`;
    const result = analyze({ 'src/backend/app.ts': backend, 'src/views/View.tsx': view });
    assert.deepEqual(result.calls, []);
    assert.deepEqual(result.unresolved, []);
  });
});

describe('call analysis: calls it cannot resolve', () => {
  it('reports computed members, rawRequest and a client whose options it cannot read', () => {
    const text = `${HEADER}const stripe = ${CLIENT};
export async function run(resource: string, method: 'list' | 'create', options: Stripe.StripeConfig) {
  await stripe[resource].list();
  await stripe.customers[method]();
  await stripe.rawRequest('GET', '/v1/customers');
  const other = new Stripe(STRIPE_API_KEY, options);
  await other.customers.list();
}
`;
    const file = 'src/dynamic.ts';
    const result = analyze({ [file]: text });
    assert.deepEqual(result.calls, []);
    const site = (needle: string): { file: string; start: number; end: number } => {
      const [start, end] = span(text, needle);
      return { file, start, end };
    };
    assert.deepEqual(result.unresolved, [
      { ...site('stripe[resource].list'), knownPath: '', reason: 'computed-member' },
      { ...site('stripe.customers[method]'), knownPath: 'customers', reason: 'computed-member' },
      { ...site('stripe.rawRequest'), knownPath: '', reason: 'raw-request' },
      {
        ...site('other.customers.list'),
        knownPath: 'customers.list',
        reason: 'undetermined-client',
      },
    ]);
  });
});

describe('call analysis: robustness and the cache', () => {
  it('survives syntax errors: keeps the calls it can read and notes the file', () => {
    const text = `${HEADER}const stripe = ${CLIENT};
stripe.customers.list();
const x = ;
export function View({ items }) {
  return <Box>{items.map((item) => <Item key={item.id} />}</Box>;
}
async function later() { await stripe.invoices.list({ expand: ['data.customer' }); }
stripe.prices.list(
`;
    const result = analyze({ 'src/broken.tsx': text, 'src/empty.ts': '' });
    const [e0, e1] = span(text, "'data.customer'");
    assert.deepEqual(
      result.calls.map((call) => [call.accessor, call.expand, call.start]),
      [
        ['customers.list', [], span(text, 'stripe.customers.list')[0]],
        [
          'invoices.list',
          [{ path: 'data.customer', start: e0, end: e1 }],
          span(text, 'stripe.invoices.list')[0],
        ],
        ['prices.list', [], span(text, 'stripe.prices.list')[0]],
      ],
    );
    assert.deepEqual(result.notes, [
      {
        kind: 'syntax-errors',
        file: 'src/broken.tsx',
        detail: 'the file has syntax errors; calls in the broken part may be missed',
      },
    ]);
  });

  it('gives the same result whatever the order of the files, sorted by file and offset', () => {
    const sources: Sources = {
      'src/b.ts': `import stripe from './stripe';\nstripe.products.list();\nstripe.customers.list();\n`,
      'src/a.ts': `import stripe from './stripe';\nstripe.prices.list();\n`,
      'src/stripe.ts': `${HEADER}export default ${CLIENT};\n`,
    };
    const forward = analyze(sources);
    const reversed = analyze(Object.fromEntries(Object.entries(sources).reverse()));
    assert.deepEqual(forward, reversed);
    assert.deepEqual(
      forward.calls.map((call) => `${call.file} ${call.accessor}`),
      ['src/a.ts prices.list', 'src/b.ts products.list', 'src/b.ts customers.list'],
    );
  });

  it('re-analyses an edited file, keeps the others, and forgets removed files', () => {
    const analyzer = createCallAnalyzer();
    const stripeModule: SourceFile = {
      file: 'src/stripe.ts',
      text: `${HEADER}export default ${CLIENT};\n`,
    };
    const view = (body: string): SourceFile => ({
      file: 'src/view.ts',
      text: `import stripe from './stripe';\n${body}\n`,
    });
    const first = analyzer.analyze([stripeModule, view('stripe.customers.list();')]);
    assert.deepEqual(
      first.calls.map((call) => call.accessor),
      ['customers.list'],
    );
    const second = analyzer.analyze([stripeModule, view('stripe.customers.create({});')]);
    assert.deepEqual(
      second.calls.map((call) => call.accessor),
      ['customers.create'],
    );
    // The client module turns into a backend client: the view's unchanged summary now resolves
    // to nothing.
    const backend = {
      file: 'src/stripe.ts',
      text: `import Stripe from 'stripe';\nexport default new Stripe('sk');\n`,
    };
    assert.deepEqual(analyzer.analyze([backend, view('stripe.customers.create({});')]).calls, []);
    assert.equal(analyzer.cachedFiles, 2);
    analyzer.analyze([view('stripe.customers.create({});')]);
    assert.equal(analyzer.cachedFiles, 1);
  });

  it('updates one file at a time: its own calls, and the files that read it, follow', () => {
    const analyzer = createCallAnalyzer();
    const clientText = `${HEADER}export const stripe = ${CLIENT};\n`;
    const reexport = `export * from './stripe';\n`;
    const view = `import { stripe } from './clients';\nstripe.customers.list();\n`;
    analyzer.analyze([
      { file: 'src/stripe.ts', text: clientText },
      { file: 'src/clients.ts', text: reexport },
      { file: 'src/view.ts', text: view },
    ]);
    const accessors = (file: string): string[] =>
      analyzer.fileAnalysis(file).calls.map((call) => call.accessor);
    assert.deepEqual(accessors('src/view.ts'), ['customers.list']);

    analyzer.update({ file: 'src/view.ts', text: `${view}stripe.invoices.list();\n` });
    assert.deepEqual(accessors('src/view.ts'), ['customers.list', 'invoices.list']);

    // The client two files away becomes a backend client: the view, which read it, follows.
    analyzer.update({
      file: 'src/stripe.ts',
      text: `import Stripe from 'stripe';\nexport const stripe = new Stripe('sk');\n`,
    });
    assert.deepEqual(accessors('src/view.ts'), []);
    analyzer.update({ file: 'src/stripe.ts', text: clientText });
    assert.deepEqual(accessors('src/view.ts'), ['customers.list', 'invoices.list']);

    // A new file that the view imports by a name the re-export did not resolve before.
    analyzer.update({
      file: 'src/other.ts',
      text: `export { stripe as other } from './stripe';\n`,
    });
    analyzer.update({
      file: 'src/view.ts',
      text: `import { other } from './other';\nother.prices.list();\n`,
    });
    assert.deepEqual(
      analyzer.current().calls.map((call) => `${call.file} ${call.accessor}`),
      ['src/view.ts prices.list'],
    );
    analyzer.remove('src/other.ts');
    assert.deepEqual(analyzer.current().calls, []);
    assert.deepEqual(analyzer.current().notes, [
      {
        kind: 'unresolved-import',
        file: 'src/view.ts',
        detail: "'./other' is not among the analysed source files",
      },
    ]);
    assert.deepEqual(analyzer.fileAnalysis('src/missing.ts'), {
      calls: [],
      unresolved: [],
      notes: [],
    });
    // A version, when given, decides alone whether the file changed.
    analyzer.update({ file: 'src/view.ts', text: 'stripe.x.y();', version: 7 });
    analyzer.update({
      file: 'src/view.ts',
      text: 'import { stripe } from "./stripe"; stripe.a.b();',
      version: 7,
    });
    assert.deepEqual(analyzer.current().calls, []);
  });

  it('does not loop on circular imports and self-referencing bindings', () => {
    const result = analyze({
      'src/a.ts': `export * from './b';\nexport { x as y } from './b';\nimport { z } from './b';\nz.customers.list();\n`,
      'src/b.ts': `export * from './a';\nexport { y as x, y as z } from './a';\n`,
      'src/c.ts': `const a = b; const b = a;\na.customers.list();\nfunction f(): any { return f(); }\nf().customers.list();\n`,
    });
    assert.deepEqual(result.calls, []);
  });
});
