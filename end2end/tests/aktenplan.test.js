// The Aktenplan explorer: keyboard-only tree navigation, search-as-you-type,
// opening an Akte, and an accessibility scan.
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

/** The accessible name of the focused element and its role. */
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return {
      role: el?.getAttribute('role'),
      text: el?.querySelector('.tree-title')?.textContent ?? el?.textContent?.trim(),
      expanded: el?.getAttribute('aria-expanded'),
      level: el?.getAttribute('aria-level'),
    };
  });
}

/** Waits until the tree reacts to keys (the WASM has hydrated it). */
async function waitForHydratedTree(page) {
  const tree = page.getByRole('tree', { name: 'Aktenplan' });
  await tree.waitFor();
  const first = page.getByRole('treeitem').first();
  await first.focus();
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    await page.keyboard.press('ArrowDown');
    if ((await focused(page)).text !== 'Allgemeine Verwaltung') return;
    await page.waitForTimeout(250);
  }
  assert.fail('tree never reacted to the keyboard');
}

test('the tree is usable with the keyboard alone', async () => {
  const page = await newPage(browser);
  await login(page, 'sachbearbeitung.mic');
  await page.goto(`${BASE}/aktenplan`);
  await waitForHydratedTree(page);
  assert.equal((await focused(page)).text, 'Öffentliche Sicherheit und Ordnung');

  await page.keyboard.press('Home');
  assert.equal((await focused(page)).text, 'Allgemeine Verwaltung');
  await page.keyboard.press('End');
  assert.equal((await focused(page)).text, 'Finanzen und Steuern');
  // Type-ahead jumps to the next title starting with the letter.
  await page.keyboard.press('b');
  let now = await focused(page);
  assert.equal(now.text, 'Bau- und Vermessungswesen');
  assert.equal(now.expanded, 'false');

  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-expanded') === 'true');
  await page.locator('[role=group] [role=treeitem]').first().waitFor();
  await page.keyboard.press('ArrowRight');
  now = await focused(page);
  assert.equal(now.level, '2', 'moved into the first child');
  await page.keyboard.press('ArrowLeft');
  now = await focused(page);
  assert.equal(now.text, 'Bau- und Vermessungswesen', 'back to the parent');
  await page.keyboard.press('ArrowLeft');
  assert.equal((await focused(page)).expanded, 'false', 'collapsed');

  await page.keyboard.press('Enter');
  await page.waitForURL(`${BASE}/aktenplan/6`);
  await page.getByRole('heading', { level: 2, name: '6 Bau- und Vermessungswesen' }).waitFor();
  await page.context().close();
});

test('search for Bauantrag, open the hit, open an Akte under it', async () => {
  const page = await newPage(browser);
  await login(page, 'sachbearbeitung.bro');
  await page.goto(`${BASE}/aktenplan`);
  await page.getByRole('tree', { name: 'Aktenplan' }).waitFor();
  // Typing before hydration would go to a field without its handler.
  await waitForHydration(page);
  const search = page.getByLabel('Im Aktenplan suchen');
  await search.fill('Bauantrag');
  const hits = page.getByRole('list', { name: 'Treffer im Aktenplan' });
  const first = hits.getByRole('link').first();
  await first.waitFor();
  assert.match(await first.innerText(), /621\.1\s+Bauanträge und Baugenehmigungen/);
  assert.ok((await first.locator('mark').count()) > 0, 'the match is highlighted');
  assert.match(page.url(), /suche=Bauantrag/, 'the query is in the URL');

  await first.click();
  await page.waitForURL(/\/aktenplan\/621\.1\?suche=Bauantrag/);
  await page.getByRole('heading', { level: 2, name: '621.1 Bauanträge und Baugenehmigungen' }).waitFor();
  const selected = page.locator('[role=treeitem][aria-selected=true]');
  assert.match(await selected.innerText(), /Bauanträge und Baugenehmigungen/);
  const crumbs = page.getByRole('navigation', { name: 'Pfad im Aktenplan' });
  assert.match(await crumbs.innerText(), /6 Bau- und Vermessungswesen/);

  // A reload shows the same view: it lives in the URL.
  await page.reload();
  await page.getByRole('heading', { level: 2, name: '621.1 Bauanträge und Baugenehmigungen' }).waitFor();
  assert.equal(await page.getByLabel('Im Aktenplan suchen').inputValue(), 'Bauantrag');

  await waitForHydration(page);
  await page.getByText('Neue Akte anlegen').click();
  await page.getByLabel('Titel der Akte').fill('Neubau Einfamilienhaus, Am Bach 3');
  await page.getByRole('button', { name: 'Akte anlegen' }).click();
  const created = page.getByRole('link', { name: /^BRO 621\.1-\d{4}$/ }).first();
  await created.waitFor();
  await page.getByRole('cell', { name: 'Neubau Einfamilienhaus, Am Bach 3' }).first().waitFor();
  await created.click();
  await page.getByRole('heading', { level: 1, name: 'Neubau Einfamilienhaus, Am Bach 3' }).waitFor();
  // Before hydration the form would post without JavaScript and reload
  // the page, which closes the Akte but shows no notice.
  await waitForHydration(page);

  // A Vorgang in the Akte: numbered within it, then taken into work.
  await page.getByLabel('Neuer Vorgang').fill('Nachforderung Statik');
  await page.getByRole('button', { name: 'Vorgang anlegen' }).click();
  const vorgang = page.getByRole('row', { name: /Nachforderung Statik/ });
  await vorgang.getByRole('cell', { name: /^BRO 621\.1-\d{4}\/1$/ }).waitFor();
  assert.match(await vorgang.innerText(), /offen/);
  await vorgang.getByRole('button', { name: /^In Bearbeitung nehmen/ }).click();
  await vorgang.getByRole('cell', { name: 'in Bearbeitung' }).waitFor();
  await assertAccessible(page, 'Akte mit Vorgängen');

  // Its own page: a file dropped onto it is filed into the Vorgang.
  const zeichen = (await vorgang.getByRole('link', { name: /\/1$/ }).innerText()).trim();
  await vorgang.getByRole('link', { name: zeichen }).click();
  await page.getByRole('heading', { level: 1, name: 'Nachforderung Statik' }).waitFor();
  await page.locator('.upload-zone[data-ready="true"]').first().waitFor();
  await page.evaluate(() => {
    const file = new File(['Statische Berechnung Am Bach 3'], 'Statik-Am-Bach.txt', { type: 'text/plain' });
    const transfer = new DataTransfer();
    transfer.items.add(file);
    const zone = document.querySelector('.upload-zone');
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  });
  await page.getByText('Fertig: 1 von 1 Dateien hochgeladen.').waitFor();
  await page.locator('table.documents tbody tr', { hasText: 'Statik-Am-Bach' }).waitFor();
  await assertAccessible(page, 'Vorgang');

  // A Wiedervorlage still waits: zdA is refused until the clerk confirms
  // that it ends with it.
  const followUp = page.getByRole('region', { name: 'Wiedervorlage und Zuweisung' });
  const due = followUp.getByLabel('Wiedervorlage am');
  await due.fill(await due.getAttribute('min'));
  await followUp.getByLabel('Grund').fill('Statik nachprüfen');
  await followUp.getByRole('button', { name: 'Wiedervorlage setzen' }).click();
  await followUp.getByText('Die Wiedervorlage ist gesetzt.').waitFor();
  await page.getByRole('button', { name: 'Zu den Akten verfügen' }).click();
  await page.getByText(/Im Vorgang wartet noch etwas: 1 offene Wiedervorlage\(n\) und 0 laufende\(r\) Laufweg\(e\)\./).waitFor();
  await page.getByLabel('Offene Wiedervorlagen und Laufwege dabei abbrechen').check();
  await assertAccessible(page, 'zdA mit Rückfrage');

  // zdA when the work is done; then nothing more is filed into it.
  await page.getByRole('button', { name: 'Zu den Akten verfügen' }).click();
  await page.getByText(/Der Vorgang ist zu den Akten verfügt\. Aufbewahrung bis \d{2}\.\d{2}\.\d{4}\./).waitFor();
  await page.getByText('Der Vorgang ist zu den Akten verfügt; es kann nichts mehr abgelegt werden.').waitFor();
  assert.equal(await page.locator('.upload-zone').count(), 0, 'no upload into a closed Vorgang');

  // Back in the Akte: the document shows its Vorgang, and the Akte can
  // now be closed because nothing in it is still open.
  await page.getByRole('link', { name: /Neubau Einfamilienhaus, Am Bach 3/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Neubau Einfamilienhaus, Am Bach 3' }).waitFor();
  const filed = page.locator('table.documents tbody tr', { hasText: 'Statik-Am-Bach' });
  await filed.getByRole('link', { name: zeichen }).waitFor();
  await page.getByRole('row', { name: /Nachforderung Statik/ }).getByRole('cell', { name: 'zdA' }).waitFor();
  await waitForHydration(page);

  // Closing (zdA) starts the 30-year retention of 621.1.
  // The field starts at today's date in Michelstadt (Europe/Berlin), which
  // around midnight UTC differs from the test machine's date.
  const closedOn = await page.getByLabel('Geschlossen am').inputValue();
  const year = Number(closedOn.slice(0, 4));
  await page.getByRole('button', { name: 'Akte schließen' }).click();
  await page.getByText(new RegExp(`Die Akte ist geschlossen\\. Aufbewahrung bis ${year + 30}-\\d{2}-\\d{2}\\.`)).waitFor();
  await page.getByText('geschlossen (zdA)').waitFor();
  await page.context().close();
});

test('the explorer has no serious accessibility violations', async () => {
  const page = await newPage(browser);
  await login(page, 'projekt.obz');
  await page.goto(`${BASE}/aktenplan/621.1?suche=Bau`);
  await page.getByRole('heading', { level: 2, name: /^621\.1 / }).waitFor();
  await page.waitForLoadState('networkidle');
  await assertAccessible(page, 'Aktenplan explorer');
  await page.context().close();
});
