/**
 * What Red Hat's YAML extension (its yaml-language-server) shows on the real v2 manifests, whose
 * `$schema:` line names https://stripe.com/stripe-app/v2.0.0/schema: the README's coexistence
 * section quotes these findings, and this test keeps them true when the dependency moves.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { redHatFindings, V2_CORPUS } from '../../scripts/bench/redHatStudy';
import { messageText, redHatYaml } from '../../scripts/bench/yamlLanguageServer';

const skip = existsSync(V2_CORPUS) || process.env.CI ? undefined : `no corpus at ${V2_CORPUS}`;

const short = (findings: { file: string; line: number; message: string }[]): string[] =>
  findings.map(({ file, line, message }) => `${file.slice(0, 2)}:${line} ${message}`);

describe("Red Hat's YAML extension on stripe-app.yaml", { skip }, () => {
  it("warns about every key Stripe's v2 schema lacks, when the URL serves that schema", async () => {
    assert.deepEqual(short(await redHatFindings(true)), [
      '01:7 Property icon is not allowed.',
      '01:8 Property declarations is not allowed.',
      '01:18 Property ui_extension is not allowed.',
      '03:7 Property icon is not allowed.',
      '03:8 Property declarations is not allowed.',
      '03:14 Property description is not allowed.',
      '03:18 Property configuration is not allowed.',
      '03:25 Property script is not allowed.',
      '03:30 Property prorate_items is not allowed.',
      '04:7 Property icon is not allowed.',
      '04:8 Property declarations is not allowed.',
      '04:14 Property description is not allowed.',
      '04:18 Property stripe_version is not allowed.',
      '04:19 Property configuration is not allowed.',
      '04:26 Property script is not allowed.',
      '04:31 Property compute_discounts is not allowed.',
      '04:35 Property description is not allowed.',
      '04:39 Property stripe_version is not allowed.',
      '04:40 Property configuration is not allowed.',
      '04:47 Property script is not allowed.',
      '04:52 Property compute_discounts is not allowed.',
    ]);
    assert.ok((await redHatFindings(true)).every((finding) => finding.severity === 'warning'));
  });

  it('says it cannot load the schema, on the $schema line, when the fetch fails', async () => {
    const url = 'https://stripe.com/stripe-app/v2.0.0/schema';
    assert.deepEqual(short(await redHatFindings(false)), [
      `01:3 Unable to load schema from '${url}': Request failed with status code 404 (${url}).`,
      `03:3 Unable to load schema from '${url}': Request failed with status code 404 (${url}).`,
      `04:3 Unable to load schema from '${url}': Request failed with status code 404 (${url}).`,
    ]);
  });

  it('lets an in-file $schema win over a schema associated by file name', async () => {
    // A stand-in for `contributes.yamlValidation` / `yaml.schemas`: every file must have `name`.
    const strict = JSON.stringify({ type: 'object', required: ['name'] });
    const service = await redHatYaml(
      (url) => (url === 'file:///strict.json' ? strict : '{ "type": "object" }'),
      [{ uri: 'file:///strict.json', fileMatch: ['stripe-app.yaml'] }],
    );
    // Each text in its own folder: the service keeps what it parsed for a URI and version.
    let folder = 0;
    const validate = async (text: string): Promise<string[]> => {
      const uri = `file:///app-${++folder}/stripe-app.yaml`;
      const document = TextDocument.create(uri, 'yaml', 1, text);
      return (await service.validate(document)).map(messageText);
    };
    assert.deepEqual(await validate('id: x\n'), ['Missing property "name".']);
    assert.deepEqual(await validate('$schema: https://example.test/other\nid: x\n'), []);
    // The README's way out of Stripe's schema for one file: a modeline wins over `$schema:`.
    assert.deepEqual(
      await validate(`# yaml-language-server: $schema=file:///strict.json\n$schema: x\nid: x\n`),
      ['Missing property "name".'],
    );
    assert.deepEqual(
      await validate(`# yaml-language-server: $schema=none\n$schema: file:///strict.json\nid: x\n`),
      [],
    );
  });
});
