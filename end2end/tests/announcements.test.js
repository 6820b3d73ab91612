// Announcements and questions to the project team, in the browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, login, waitForHydration, assertAccessible } from './helpers.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('the project team writes an Erbach announcement; Erbach acknowledges, Michelstadt never sees it', async () => {
  const title = `Neue Scanner in Erbach ${Date.now().toString(36)}`;

  const team = await newPage(browser);
  await login(team, 'projekt.mic');
  await team.goto(`${BASE}/neuigkeiten/neu`);
  await team.getByRole('heading', { level: 1, name: 'Neue Mitteilung' }).waitFor();
  await waitForHydration(team);
  await team.getByLabel('Titel').fill(title);
  await team.getByLabel('Text (Markdown)').fill('Ab Montag bitte **nur noch** am neuen Gerät scannen.\n\n<script>alert(1)</script>');
  // The live preview renders Markdown and shows HTML as text.
  const preview = team.getByRole('region', { name: 'Vorschau' });
  await preview.locator('strong', { hasText: 'nur noch' }).waitFor();
  assert.match(await preview.innerText(), /<script>alert\(1\)<\/script>/);
  assert.equal(await preview.locator('script').count(), 0);
  await team.getByLabel('Erbach').check();
  await team.getByLabel('Kenntnisnahme erforderlich').check();
  await assertAccessible(team, 'Editor');
  await team.getByRole('button', { name: 'Veröffentlichen' }).click();
  await team.getByRole('heading', { level: 1, name: 'Mitteilungen verwalten' }).waitFor();
  const row = team.getByRole('row', { name: new RegExp(title) });
  await row.waitFor();
  assert.match(await row.innerText(), /Erbach · alle Rollen/);

  // Erbach: badge and banner, one click acknowledges.
  const erbach = await newPage(browser);
  await login(erbach, 'sachbearbeitung.erb');
  await erbach.goto(`${BASE}/`);
  await waitForHydration(erbach);
  // The badge's hidden words make the name „Neuigkeiten, 1 ungelesen“ (spacing as the browser computes it).
  await erbach.getByRole('link', { name: /^Neuigkeiten\s*,\s*\d+\s+ungelesen$/ }).waitFor();
  const banner = erbach.getByRole('region', { name: 'Wichtige Mitteilungen' });
  const item = banner.getByRole('listitem').filter({ hasText: title });
  await item.waitFor();
  await item.getByRole('button', { name: 'Zur Kenntnis genommen' }).click();
  await item.waitFor({ state: 'detached' });
  await erbach.goto(`${BASE}/neuigkeiten`);
  const article = erbach.getByRole('article', { name: new RegExp(title) });
  await article.getByText(/Zur Kenntnis genommen am/).waitFor();
  assert.equal(await article.locator('script').count(), 0);
  await waitForHydration(erbach);
  await assertAccessible(erbach, 'Neuigkeiten');

  // Michelstadt: not on the page, not in the banner, not counted.
  const michelstadt = await newPage(browser);
  await login(michelstadt, 'sachbearbeitung.mic');
  await michelstadt.goto(`${BASE}/neuigkeiten`);
  await michelstadt.getByRole('heading', { level: 1, name: 'Neuigkeiten' }).waitFor();
  await waitForHydration(michelstadt);
  assert.equal(await michelstadt.getByText(title).count(), 0);
  assert.equal(await michelstadt.getByRole('link', { name: /ungelesen/ }).count(), 0);

  // Statistics: one acknowledgement, in Erbach.
  await team.reload();
  await team.getByRole('link', { name: `Statistik zu „${title}“` }).click();
  const table = team.getByRole('table', { name: 'Lesestand je Gemeinde' });
  await table.waitFor();
  const erbachRow = table.getByRole('row', { name: /^Erbach/ });
  assert.match(await erbachRow.innerText(), /\t1 \(\d+ %\)\s*$/);
  const total = table.getByRole('row', { name: /^Gesamt/ });
  assert.match(await total.innerText(), /\t1 \(\d+ %\)\s*$/);
  assert.equal(await table.getByRole('row', { name: /^Michelstadt/ }).count(), 0);
  await assertAccessible(team, 'Statistik');

  for (const page of [team, erbach, michelstadt]) await page.context().close();
});

test('a question from any page is answered in a thread the asker sees', async () => {
  const question = `Wie finde ich alte Bauanträge? ${Date.now().toString(36)}`;
  const asker = await newPage(browser);
  await login(asker, 'sachbearbeitung.bro');
  await asker.goto(`${BASE}/suche`);
  await waitForHydration(asker);
  await asker.getByRole('button', { name: 'Frage an das Projektteam' }).click();
  const dialog = asker.getByRole('dialog', { name: 'Frage an das Projektteam' });
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /„\/suche“/);
  await dialog.getByLabel('Ihre Frage').fill(question);
  await dialog.getByRole('button', { name: 'Frage senden' }).click();
  await dialog.getByText('Ihre Frage ist beim Projektteam angekommen.', { exact: false }).waitFor();
  await assertAccessible(asker, 'Fragedialog');
  await dialog.getByRole('button', { name: 'Schließen' }).click();

  const team = await newPage(browser);
  await login(team, 'projekt.obz');
  await team.goto(`${BASE}/fragen`);
  await team.getByRole('link', { name: question }).click();
  await team.getByRole('heading', { level: 1, name: /Frage vom/ }).waitFor();
  await waitForHydration(team);
  assert.match(await team.locator('dl.facts').innerText(), /\/suche/);
  await team.getByLabel('Antwort des Projektteams').fill('Über die Suche mit dem Filter „Akte“.');
  await team.getByRole('button', { name: 'Senden' }).click();
  await team.getByText('Ihre Nachricht wurde gesendet.').waitFor();
  await team.getByRole('button', { name: 'Als FAQ übernehmen' }).click();
  await team.getByRole('link', { name: 'Eintrag ansehen und bearbeiten' }).waitFor();

  await asker.goto(`${BASE}/`);
  await waitForHydration(asker);
  await asker.getByRole('link', { name: /^Fragen\s*,\s*\d+\s+neue Antworte?n?$/ }).click();
  await asker.getByRole('link', { name: question }).click();
  await asker.getByText('Über die Suche mit dem Filter „Akte“.').waitFor();
  await waitForHydration(asker);
  await assertAccessible(asker, 'Frage mit Antwort');
  await asker.goto(`${BASE}/fragen/faq`);
  await asker.getByRole('heading', { level: 2, name: question }).waitFor();

  for (const page of [asker, team]) await page.context().close();
});
