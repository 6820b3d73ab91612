// Finding a scanned letter: a page of German text is "scanned" (rendered by
// the browser into a PNG without any text layer), dropped onto the
// Posteingang, read by OCR in the background until the page says
// "durchsuchbar", then found through the header search (key "/") and opened
// with the word marked in the recognised text.
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

/** A PNG "scan" of a short German letter; `mark` keeps it unique per run. */
async function scannedLetter(mark) {
  const page = await newPage(browser, { viewport: { width: 1000, height: 500 } });
  await page.setContent(`<body style="margin:0;background:#fff">
    <div style="font: 44px 'DejaVu Sans', sans-serif; color:#000; padding: 40px; line-height: 1.5">
      Stadt Michelstadt – Bürgerbüro<br>
      Bescheid über den Straßenausbaubeitrag<br>
      <span style="font-size: 28px">Vorgang ${mark}</span>
    </div></body>`);
  const png = await page.screenshot({ type: 'png' });
  await page.context().close();
  return png;
}

test('a scanned page becomes searchable and opens with the word marked', async () => {
  const mark = `${Date.now()}`;
  const png = await scannedLetter(mark);
  const page = await newPage(browser);
  await login(page, 'sachbearbeitung.mic');
  await page.goto(`${BASE}/posteingang`);
  await page.locator('.upload-zone[data-ready="true"]').first().waitFor();
  const name = `Scan-Beitragsbescheid-${mark}.png`;
  await page.evaluate(async ({ bytes, name }) => {
    const file = new File([new Uint8Array(bytes)], name, { type: 'image/png' });
    const transfer = new DataTransfer();
    transfer.items.add(file);
    const zone = document.querySelector('.upload-zone');
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, { bytes: [...png], name });
  await page.getByText('Fertig: 1 von 1 Dateien hochgeladen.').waitFor();

  // The document page follows the OCR by itself, without a reload.
  const row = page.locator('table.documents tbody tr', { hasText: mark });
  await row.locator('a').first().click();
  await page.waitForURL(/\/dokumente\/\d+$/);
  const documentUrl = page.url();
  const state = page.locator('.text-state');
  await page.locator('.text-state[data-state="durchsuchbar"]').waitFor({ timeout: 90000 });
  assert.match(await state.innerText(), /durchsuchbar/);
  assert.match(await state.innerText(), /Texterkennung \(OCR\)/);

  // "/" jumps into the header search; suggestions appear while typing.
  await page.locator('main h1').click();
  await page.keyboard.press('/');
  const field = page.getByRole('combobox', { name: 'Dokumente durchsuchen' });
  assert.equal(await field.evaluate((el) => el === document.activeElement), true, '"/" focuses the search');
  await field.pressSequentially('Beitragsbesch', { delay: 20 });
  await page.getByRole('listbox', { name: 'Vorschläge' }).getByRole('option', { name: new RegExp(mark) }).waitFor();
  await field.fill('Strassenausbaubeitrag Bürgerbüro');
  await field.press('Enter');
  await page.waitForURL(/\/suche\?q=/);
  const hit = page.locator('.hit', { hasText: mark });
  await hit.waitFor();
  assert.ok((await hit.locator('mark').count()) > 0, 'the hit shows marked words');
  assert.match(await page.locator('.result-count').innerText(), /Treffer/);
  await assertAccessible(page, 'Suchergebnisse');

  await hit.locator('.hit-title a').click();
  await page.waitForURL(/markieren=/);
  assert.ok(page.url().startsWith(documentUrl));
  const marked = page.locator('.found-text mark', { hasText: /Straßenausbaubeitrag/ });
  await marked.first().waitFor();
  await assertAccessible(page, 'Dokument mit markiertem Suchwort');
});

test('the results page keeps words and sorting in the URL and says when nothing is found', async () => {
  const page = await newPage(browser);
  await login(page, 'sachbearbeitung.mic');
  await page.goto(`${BASE}/suche?q=Zzyzxquatsch&sortierung=neueste`);
  assert.match(await page.locator('.result-count').innerText(), /Keine Treffer/);
  assert.equal(await page.locator('#suche-q').inputValue(), 'Zzyzxquatsch');
  assert.equal(await page.locator('#suche-sortierung').inputValue(), 'neueste');
  await assertAccessible(page, 'Suche ohne Treffer');
});
