import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sshdAlert } from '../../test/fixtures/alerts.ts';
import { renderTemplate, templateProblem } from './message-template.ts';

test('placeholders on dotted paths are filled from the alert; a missing field is empty', () => {
  assert.equal(
    renderTemplate('{{rule.description}} on {{ agent.name }} from {{data.srcip}} [{{rule.pci_dss}}]{{data.nope}}', sshdAlert()),
    'sshd: Attempt to login using a non-existent user on web01 from 1.2.3.4 [10.2.4, 10.2.5]',
  );
  assert.equal(renderTemplate('<{{data.srcuser}}>', sshdAlert({ data: { srcuser: '<b>' } }), (t) => t.toUpperCase()), '<<B>>');
});

test('a template with a broken placeholder is reported', () => {
  assert.equal(templateProblem('{{rule.id}} and {{agent.name}}'), undefined);
  assert.equal(templateProblem('{{rule.id} on {{agent.name}}'), "'{{rule.id}' is not a placeholder like {{rule.description}}");
  assert.equal(templateProblem('{{rule description}}'), "'{{rule description}}' is not a placeholder like {{rule.description}}");
});
