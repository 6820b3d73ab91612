// Documents in the browser: a real PDF dropped onto the Posteingang, filed
// into an Akte by drag-and-drop, previewed, downloaded byte for byte, a new
// version uploaded and the old one restored; then the same with the
// keyboard only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { BASE, launch, newPage, login, assertAccessible } from './helpers.js';

const PDF_PATH = new URL('../fixtures/Bauantrag-Musterstrasse.pdf', import.meta.url);

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Opens an Akte under 621.1 through the server function; returns its id and Aktenzeichen. */
async function openAkte(page, title) {
  const headers = { Origin: BASE, 'Content-Type': 'application/x-www-form-urlencoded' };
  const explorer = await page.request.post(`${BASE}/api/load_explorer`, { headers, data: 'code=621.1' });
  const position = (await explorer.json()).selected.id;
  const form = new URLSearchParams({ position_id: position, title, responsible: 'Bauamt', opened_on: '2026-11-03' });
  const created = await page.request.post(`${BASE}/api/create_akte`, { headers, data: form.toString() });
  assert.equal(created.status(), 200, await created.text());
  return created.json();
}

/** A unique variant of the fixture PDF (a trailing comment keeps it valid). */
function variant(pdf, label) {
  return Buffer.concat([pdf, Buffer.from(`% ${label} ${Date.now()} ${Math.random()}\n`)]);
}

/** Presses Tab until `locator` has the focus, as a keyboard user would. */
async function tabTo(page, locator, what) {
  for (let i = 0; i < 80; i++) {
    if (await locator.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`${what} is not reachable with the Tab key`);
}

/**
 * Opens the focused file picker with the space bar. Under heavy load the
 * first key press can land before Chromium has settled the focus, so a
 * person (and this test) presses again after a pause.
 */
async function chooseWithSpace(page, picker, what) {
  for (let attempt = 0; attempt < 3; attempt++) {
    await tabTo(page, picker, what);
    try {
      const [chooser] = await Promise.all([page.waitForEvent('filechooser', { timeout: 5000 }), page.keyboard.press('Space')]);
      return chooser;
    } catch (error) {
      if (attempt === 2) throw error;
    }
  }
}

async function readyZone(page) {
  await page.locator('.upload-zone[data-ready="true"]').first().waitFor();
}

test('drop a PDF, file it by drag-and-drop, preview, download, new version, restore', async () => {
  const original = await readFile(PDF_PATH);
  const pdf = variant(original, 'maus');
  const page = await newPage(browser, { acceptDownloads: true });
  await login(page, 'sachbearbeitung.mic');
  const akte = await openAkte(page, `Bauantrag Musterstraße ${Date.now().toString(36)}`);

  await page.goto(`${BASE}/posteingang`);
  await readyZone(page);
  // A real drop event with a DataTransfer carrying the file.
  await page.evaluate(async ({ bytes, name }) => {
    const file = new File([new Uint8Array(bytes)], name, { type: 'application/pdf' });
    const transfer = new DataTransfer();
    transfer.items.add(file);
    const zone = document.querySelector('.upload-zone');
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, { bytes: [...pdf], name: 'Bauantrag-Musterstrasse.pdf' });
  await page.getByText('Fertig: 1 von 1 Dateien hochgeladen.').waitFor();
  const progress = page.getByRole('progressbar', { name: 'Fortschritt Bauantrag-Musterstrasse.pdf' });
  assert.equal(await progress.getAttribute('value'), '100');
  const row = page.locator('table.documents tbody tr', { hasText: 'Bauantrag-Musterstrasse' });
  await row.waitFor();
  await assertAccessible(page, 'Posteingang');

  // File it by dragging the row onto the Akte found in the picker.
  await page.getByLabel('Akte oder Vorgang suchen (Zeichen oder Titel)').fill(akte.aktenzeichen);
  const target = page.locator('.drop-target', { hasText: akte.aktenzeichen });
  await target.waitFor();
  await page.evaluate((aktenzeichen) => {
    const transfer = new DataTransfer();
    const row = [...document.querySelectorAll('table.documents tbody tr')].find((r) => r.textContent.includes('Bauantrag-Musterstrasse'));
    row.dispatchEvent(new DragEvent('dragstart', { dataTransfer: transfer, bubbles: true }));
    const drop = [...document.querySelectorAll('.drop-target')].find((t) => t.textContent.includes(aktenzeichen));
    drop.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    drop.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, akte.aktenzeichen);
  await page.getByText('Erledigt: 1 Dokument(e) geändert.').waitFor();
  await row.waitFor({ state: 'detached' });

  // It is in the Akte now; open it there.
  await page.goto(`${BASE}/akten/${akte.id}`);
  await page.getByRole('link', { name: 'Bauantrag-Musterstrasse' }).click();
  await page.getByRole('heading', { level: 1, name: 'Bauantrag-Musterstrasse' }).waitFor();
  const frame = page.locator('iframe.preview-frame');
  const src = await frame.getAttribute('src');
  assert.match(src, /ansicht=1/);
  const preview = await page.request.get(`${BASE}${src}`);
  assert.equal(preview.headers()['content-type'], 'application/pdf');
  assert.match(preview.headers()['content-disposition'], /^inline;/);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('.document-preview').getByRole('link', { name: 'Herunterladen' }).click(),
  ]);
  assert.deepEqual(await readFile(await download.path()), pdf);
  await assertAccessible(page, 'Dokument');

  // A new version through the picker, then the first one restored.
  const second = variant(original, 'zweite Fassung');
  await readyZone(page);
  await page.locator('.upload-panel input[type=file]').setInputFiles({ name: 'Bauantrag-v2.pdf', mimeType: 'application/pdf', buffer: second });
  await page.getByText('Version 2 ist hochgeladen.').waitFor();
  await page.getByRole('cell', { name: 'Bauantrag-v2.pdf' }).waitFor();
  await page.getByRole('button', { name: 'Wiederherstellen (Version 1)' }).click();
  await page.getByText('Die Fassung ist als Version 3 wiederhergestellt.').waitFor();
  const latest = await page.request.get(`${BASE}/dokumente/${src.match(/dokumente\/(\d+)/)[1]}/datei`);
  assert.deepEqual(Buffer.from(await latest.body()), pdf);
  await page.context().close();
});

test('the keyboard alone uploads, selects and files a document', async () => {
  const pdf = variant(await readFile(PDF_PATH), 'tastatur');
  const page = await newPage(browser, { acceptDownloads: true });
  await login(page, 'sachbearbeitung.erb');
  const akte = await openAkte(page, `Tastaturakte ${Date.now().toString(36)}`);
  await page.goto(`${BASE}/posteingang`);
  await readyZone(page);

  // Tab to the file picker and open it with the space bar.
  const picker = page.locator('.upload-panel input[type=file][multiple]');
  const chooser = await chooseWithSpace(page, picker, 'the file picker');
  await chooser.setFiles({ name: 'Tastatur-Eingang.pdf', mimeType: 'application/pdf', buffer: pdf });
  await page.getByText('Fertig: 1 von 1 Dateien hochgeladen.').waitFor();

  const box = page.getByRole('checkbox', { name: 'Tastatur-Eingang auswählen' });
  await tabTo(page, box, 'the row checkbox');
  await page.keyboard.press('Space');
  assert.ok(await box.isChecked());
  await tabTo(page, page.getByLabel('Akte oder Vorgang suchen (Zeichen oder Titel)'), 'the Akte search');
  await page.keyboard.type(akte.aktenzeichen);
  const fileButton = page.getByRole('button', { name: `Ausgewählte ablegen in ${akte.aktenzeichen}` });
  await fileButton.waitFor();
  await page.keyboard.press('Tab');
  assert.ok(await fileButton.evaluate((el) => el === document.activeElement), 'picker hit not next in tab order');
  await page.keyboard.press('Enter');
  await page.getByText('Erledigt: 1 Dokument(e) geändert.').waitFor();

  // In the Akte: open the document, download it, add a version, restore.
  await page.goto(`${BASE}/akten/${akte.id}`);
  const link = page.getByRole('link', { name: 'Tastatur-Eingang' });
  await tabTo(page, link, 'the document link');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Tastatur-Eingang' }).waitFor();
  await readyZone(page);
  const download = page.locator('.document-preview').getByRole('link', { name: 'Herunterladen' });
  await tabTo(page, download, 'the download link');
  const [file] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  assert.deepEqual(await readFile(await file.path()), pdf);

  const versionPicker = page.locator('.upload-panel input[type=file]');
  const second = variant(pdf, 'tastatur v2');
  const versionChooser = await chooseWithSpace(page, versionPicker, 'the version picker');
  await versionChooser.setFiles({ name: 'Tastatur-v2.pdf', mimeType: 'application/pdf', buffer: second });
  await page.getByText('Version 2 ist hochgeladen.').waitFor();
  const restore = page.getByRole('button', { name: 'Wiederherstellen (Version 1)' });
  await restore.waitFor();
  await tabTo(page, restore, 'the restore button');
  await page.keyboard.press('Enter');
  await page.getByText('Die Fassung ist als Version 3 wiederhergestellt.').waitFor();
  await page.context().close();
});

test('a refused file fails on its own while the others go on', async () => {
  const pdf = variant(await readFile(PDF_PATH), 'gemischt');
  const good = `Gut-${Date.now().toString(36)}`;
  const page = await newPage(browser);
  await login(page, 'sachbearbeitung.obz');
  await page.goto(`${BASE}/posteingang`);
  await readyZone(page);
  await page.locator('.upload-panel input[type=file][multiple]').setInputFiles([
    { name: `${good}.pdf`, mimeType: 'application/pdf', buffer: pdf },
    { name: 'Schlecht.pdf', mimeType: 'application/pdf', buffer: Buffer.from('GIF89a kein PDF') },
  ]);
  await page.getByText('Fertig: 1 von 2 Dateien hochgeladen, 1 nicht.').waitFor();
  const failed = page.locator('.upload-item.failed', { hasText: 'Schlecht.pdf' });
  assert.match(await failed.innerText(), /laut (ihrem )?Inhalt/);
  await page.locator('table.documents tbody tr', { hasText: good }).waitFor();
  await page.context().close();
});
