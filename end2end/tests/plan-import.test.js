// The project team takes over an edited Aktenplan CSV in the browser:
// a broken file is refused line by line, a good one is previewed and then
// published as a new version.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, login, assertAccessible } from './helpers.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Chooses a file once the page is hydrated (before that, nothing reads it). */
async function chooseFile(page, name, text) {
  const input = page.getByLabel(/CSV-Datei/);
  const check = page.getByRole('button', { name: 'Datei prüfen' });
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    await input.setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });
    try {
      await page.waitForFunction((el) => !el.disabled, await check.elementHandle(), { timeout: 1000 });
      return;
    } catch {
      // Not hydrated yet: choose the file again.
    }
  }
  assert.fail('the import form never accepted the file; did hydration fail?');
}

test('a broken CSV is refused with line numbers, an edited one becomes a new version', async () => {
  const suffix = Date.now().toString(36);
  const page = await newPage(browser);
  await login(page, 'projekt.obz');
  await page.goto(`${BASE}/aktenplan`);
  await page.getByRole('link', { name: 'CSV übernehmen' }).click();
  await page.getByRole('heading', { level: 1, name: 'Aktenplan aus CSV übernehmen' }).waitFor();

  const exported = await (await page.request.get(`${BASE}/export/aktenplan.csv`)).text();
  assert.match(exported, /^Kennzeichen;Titel;/);

  const broken = exported.replace(/\n0;Allgemeine Verwaltung;/, '\nX0;Allgemeine Verwaltung;');
  await chooseFile(page, 'kaputt.csv', broken);
  await page.getByRole('button', { name: 'Datei prüfen' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  const report = await alert.innerText();
  assert.match(report, /nicht übernommen/);
  assert.match(report, /Zeile 2: /);

  const title = `Vorlagen für Sitzungen ${suffix}`;
  const edited = `${exported.trimEnd()}\n010.9;${title};Muster für Einladungen und Niederschriften.;Vorlage, Muster;5;Aktenschluss;V;ja\n`;
  await chooseFile(page, 'aktenplan.csv', edited);
  await page.getByRole('button', { name: 'Datei prüfen' }).click();
  await page.getByText('Die Datei ist in Ordnung. Diese Änderung würde übernommen:').waitFor();
  assert.match(await page.locator('.import-result .changelog').innerText(), new RegExp(`Neu: 010\\.9 ${title}`));
  await assertAccessible(page, 'CSV-Import');

  await page.getByLabel('Titel der neuen Version').fill(`Import ${suffix}`);
  await page.getByRole('button', { name: 'Als neue Version veröffentlichen' }).click();
  await page.getByText(/Version \d+ des Aktenplans ist veröffentlicht \(1 Änderung\)/).waitFor();
  await page.getByRole('link', { name: 'Zum Änderungsprotokoll' }).click();
  await page.getByRole('heading', { level: 2, name: new RegExp(`Import ${suffix}`) }).waitFor();

  await page.goto(`${BASE}/aktenplan/010.9`);
  await page.getByRole('heading', { level: 2, name: `010.9 ${title}` }).waitFor();
  await page.context().close();
});

test('staff outside the project team cannot import', async () => {
  const page = await newPage(browser);
  await login(page, 'sachbearbeitung.obz');
  await page.goto(`${BASE}/aktenplan/import`);
  await page.getByText('Einen ganzen Aktenplan übernehmen kann nur das Projektteam.').waitFor();
  assert.equal(await page.getByLabel(/CSV-Datei/).count(), 0);
  await page.context().close();
});
