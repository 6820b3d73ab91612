// A plan change from proposal to published version, in the browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, login, assertAccessible, waitForHydration } from './helpers.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('staff propose a change, the project team approves and publishes it', async () => {
  const suffix = Date.now().toString(36);
  const newTitle = `Bauberatung und Voranfragen ${suffix}`;

  const staff = await newPage(browser);
  await login(staff, 'sachbearbeitung.mic');
  await staff.goto(`${BASE}/aktenplan/620`);
  await staff.getByRole('link', { name: 'Änderung an dieser Position vorschlagen' }).click();
  await staff.getByRole('heading', { level: 1, name: 'Änderungen am Aktenplan' }).waitFor();
  assert.equal(await staff.getByLabel('Betroffene Position (Kennzeichen)').inputValue(), '620');
  await staff.getByLabel('Was soll sich ändern?').selectOption('rename');
  await staff.getByLabel('Titel', { exact: true }).fill(newTitle);
  await staff.getByLabel('Begründung').fill('Voranfragen gehören sprachlich dazu.');
  await staff.getByRole('button', { name: 'Vorschlag einreichen' }).click();
  await staff.getByText(/Ihr Vorschlag Nr\. \d+ ist eingereicht/).waitFor();
  const proposal = staff.getByRole('article', { name: new RegExp(`umbenennen in „${newTitle}“`) });
  await proposal.waitFor();
  assert.match(await proposal.innerText(), /in Abstimmung/);
  assert.equal(await proposal.getByRole('button', { name: 'Entscheidung speichern' }).count(), 0);

  const team = await newPage(browser);
  await login(team, 'projekt.erb');
  await team.goto(`${BASE}/aktenplan/abstimmung`);
  // The confirmation below is shown by the hydrated page; a click before
  // the page's module has loaded submits the plain form instead.
  await waitForHydration(team);
  const item = team.getByRole('article', { name: new RegExp(`umbenennen in „${newTitle}“`) });
  await item.getByLabel('Kommentar').fill('Gute Idee.');
  await item.getByRole('button', { name: 'Kommentieren' }).click();
  await item.getByText('Gute Idee.').waitFor();
  await item.getByLabel('Entscheidung').selectOption('true');
  await item.getByRole('button', { name: 'Entscheidung speichern' }).click();
  await team.getByText('Die Entscheidung ist gespeichert.').waitFor();
  await team.getByLabel('Titel der Version').fill(`Aktenplan ${suffix}`);
  await team.getByRole('button', { name: 'Version veröffentlichen' }).click();
  await team.getByText(/Version \d+ des Aktenplans ist veröffentlicht/).waitFor();
  await team.getByRole('link', { name: 'Zum Änderungsprotokoll' }).click();
  const release = team.getByRole('heading', { level: 2, name: new RegExp(`Aktenplan ${suffix}`) });
  await release.waitFor();
  assert.match(await team.locator('.changelog').first().innerText(), new RegExp(`620.*${newTitle}`));

  // Staff see the new title in the explorer.
  await staff.goto(`${BASE}/aktenplan/620`);
  await staff.getByRole('heading', { level: 2, name: `620 ${newTitle}` }).waitFor();
  await assertAccessible(team, 'Versionen');
  await team.goto(`${BASE}/aktenplan/abstimmung`);
  await team.getByRole('heading', { level: 1 }).waitFor();
  await assertAccessible(team, 'Abstimmung');
  await staff.context().close();
  await team.context().close();
});
