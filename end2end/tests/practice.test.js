// Practice mode (Übungsmodus) in the browser: a clerk switches into the
// practice area (banner and colour on every page), uploads, resets and
// leaves; a trainee is always in practice and cannot leave. The banner
// passes the axe-core scan.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, login, waitForHydration, assertAccessible } from './helpers.js';

const BANNER = 'Übungsmodus – hier ist nichts echt';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

function banner(page) {
  return page.getByRole('complementary', { name: BANNER });
}

async function headerColour(page) {
  return page.locator('header.site-header').evaluate((el) => getComputedStyle(el).backgroundColor);
}

test('a clerk practises: enter, upload, reset, leave', async () => {
  const page = await newPage(browser);
  await login(page, 'sachbearbeitung.erb');
  await waitForHydration(page);
  assert.equal(await banner(page).count(), 0, 'no banner outside practice');
  const realColour = await headerColour(page);

  await page.getByRole('button', { name: 'Übungsmodus starten' }).click();
  await page.waitForURL(`${BASE}/uebung`);
  await banner(page).waitFor();
  await page.getByRole('heading', { level: 1, name: 'Übungsbereich' }).waitFor();
  const practiceColour = await headerColour(page);
  assert.equal(practiceColour, 'rgb(122, 46, 0)');
  assert.notEqual(practiceColour, realColour);
  assert.match(await page.locator('.municipality').innerText(), /Übung – /);
  await assertAccessible(page, 'Übungsbereich mit Banner');

  // The practice Posteingang holds the template's documents; upload one more.
  await page.goto(`${BASE}/posteingang`);
  await waitForHydration(page);
  await banner(page).waitFor();
  await page.locator('table.documents tbody tr', { hasText: 'Rechnung Streusalz Winterdienst' }).waitFor();
  await page.locator('.upload-zone[data-ready="true"]').first().waitFor();
  await page.locator('.upload-panel input[type=file][multiple]').setInputFiles({
    name: 'Uebungsnotiz.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from(`Meine Übungsnotiz ${Date.now()}`),
  });
  await page.getByText('Fertig: 1 von 1 Dateien hochgeladen.').waitFor();
  const mine = page.locator('table.documents tbody tr', { hasText: 'Uebungsnotiz' });
  await mine.waitFor();
  await assertAccessible(page, 'Posteingang im Übungsmodus');

  // Reset with confirmation, from the banner.
  await banner(page).getByRole('button', { name: 'Übungsbereich zurücksetzen' }).click();
  await banner(page).getByText('Alles, was Sie im Übungsbereich geändert haben').waitFor();
  await banner(page).getByRole('button', { name: 'Ja, zurücksetzen' }).click();
  await page.waitForURL(`${BASE}/uebung?zurueckgesetzt=1`);
  await page.getByText('Der Übungsbereich ist zurückgesetzt').waitFor();
  await page.goto(`${BASE}/posteingang`);
  await page.locator('table.documents tbody tr', { hasText: 'Rechnung Streusalz Winterdienst' }).waitFor();
  assert.equal(await mine.count(), 0, 'the upload is gone after the reset');

  // Leave: real work again, without banner and without practice documents.
  await waitForHydration(page);
  await banner(page).getByRole('button', { name: 'Übungsmodus verlassen' }).click();
  await page.waitForURL(`${BASE}/`);
  await page.getByRole('button', { name: 'Übungsmodus starten' }).waitFor();
  assert.equal(await banner(page).count(), 0);
  assert.equal(await headerColour(page), realColour);
  await page.goto(`${BASE}/posteingang`);
  await page.locator('.upload-zone').first().waitFor();
  assert.equal(await page.locator('table.documents tbody tr', { hasText: 'Rechnung Streusalz Winterdienst' }).count(), 0);
  await page.context().close();
});

test('a trainee is always in practice and cannot leave', async () => {
  const page = await newPage(browser);
  await login(page, 'schulung.bro');
  await waitForHydration(page);
  await banner(page).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Übungsmodus verlassen' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Übungsmodus starten' }).count(), 0);
  await page.goto(`${BASE}/uebung`);
  await banner(page).waitFor();
  await page.getByText('Schulungskonten arbeiten immer im Übungsbereich.').waitFor();
  await assertAccessible(page, 'Übungsbereich eines Schulungskontos');
  // Nor through the server function.
  const headers = { Origin: BASE, 'Content-Type': 'application/x-www-form-urlencoded' };
  const left = await page.request.post(`${BASE}/api/leave_practice`, { headers, data: '' });
  assert.equal(left.status(), 403);
  for (const path of ['/', '/aktenplan', '/suche', '/papierkorb']) {
    await page.goto(`${BASE}${path}`);
    await banner(page).waitFor();
  }
  await page.context().close();
});
