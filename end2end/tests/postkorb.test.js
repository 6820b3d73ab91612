// The Postkorb: a clerk sets a Wiedervorlage for tomorrow on a Vorgang;
// the server's clock moves a day on (a test-only clock file); the item is
// due in the Postkorb, counted in the navigation and on the start page,
// and done with one click.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { BASE, api, launch, newPage, login, assertAccessible, waitForHydration } from './helpers.js';

const CLOCK = process.env.AKTENWERK_TEST_CLOCK_FILE;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  // Later tests run at the real time again.
  if (CLOCK) await writeFile(CLOCK, '0');
  await browser?.close();
});

/** Moves the server's clock `seconds` ahead of the real time and waits until it follows. */
async function moveClock(seconds) {
  assert.ok(CLOCK, 'AKTENWERK_TEST_CLOCK_FILE is set by scripts/test.sh');
  await writeFile(CLOCK, String(seconds));
  await new Promise((resolve) => setTimeout(resolve, 600));
}


test('a Wiedervorlage for tomorrow is due in the Postkorb when the day comes, and done with one click', async () => {
  await moveClock(0);
  const page = await newPage(browser);
  await login(page, 'sachbearbeitung.erb');
  const explorer = await api(page, 'load_explorer', { code: '621.1' });
  const akte = await api(page, 'create_akte', {
    position_id: String(explorer.selected.id),
    title: 'Bauantrag Wiedervorlage',
    responsible: 'Bauamt',
    opened_on: '2026-12-01',
  });
  const vorgang = await api(page, 'open_vorgang', {
    akte_id: String(akte.id),
    title: 'Nachforderung Brandschutz',
    opened_on: '2026-12-01',
  });

  await page.goto(`${BASE}/vorgaenge/${vorgang.id}`);
  await page.getByRole('heading', { level: 1, name: 'Nachforderung Brandschutz' }).waitFor();
  await waitForHydration(page);
  const panel = page.getByRole('region', { name: 'Wiedervorlage und Zuweisung' });
  const date = panel.getByLabel('Wiedervorlage am');
  // Tomorrow by the server's calendar (the field's minimum is its today).
  const today = await date.getAttribute('min');
  const tomorrow = new Date(`${today}T12:00:00Z`);
  tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
  await date.fill(tomorrow.toISOString().slice(0, 10));
  await panel.getByLabel('Grund').fill('Frist für die Nachreichung prüfen');
  await panel.getByRole('button', { name: 'Wiedervorlage setzen' }).click();
  await panel.getByText('Die Wiedervorlage ist gesetzt.').waitFor();
  await panel.getByText('Frist für die Nachreichung prüfen').waitFor();
  await assertAccessible(page, 'Vorgang mit Wiedervorlage');

  // Today it is still to come.
  await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: /^Postkorb/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Postkorb' }).waitFor();
  const upcoming = page.getByRole('region', { name: /^Demnächst/ });
  await upcoming.getByRole('link', { name: 'Nachforderung Brandschutz' }).waitFor();
  const due = page.getByRole('region', { name: /^Heute fällig/ });
  assert.equal(await due.getByRole('link', { name: 'Nachforderung Brandschutz' }).count(), 0);

  // The next day: due, counted, first thing on the start page.
  await moveClock(24 * 3600);
  // A day without a click ends any session: sign in again.
  await login(page, 'sachbearbeitung.erb');
  await page.goto(`${BASE}/`);
  const today_box = page.getByRole('region', { name: 'Heute für Sie' });
  await today_box.getByRole('region', { name: /^Heute fällig/ }).getByRole('link', { name: 'Nachforderung Brandschutz' }).waitFor();
  const nav = page.getByRole('navigation', { name: 'Hauptnavigation' });
  // The badge's hidden words make the name „Postkorb, 1 wartend“.
  await nav.getByRole('link', { name: /^Postkorb\s*,\s*1\s+wartend$/ }).waitFor();
  await waitForHydration(page);
  await assertAccessible(page, 'Startseite mit Postkorb');

  await page.goto(`${BASE}/postkorb`);
  await waitForHydration(page);
  const item = page.getByRole('region', { name: /^Heute fällig/ }).getByRole('listitem').filter({ hasText: 'Nachforderung Brandschutz' });
  await item.getByText('Heute fällig').waitFor();
  await assertAccessible(page, 'Postkorb');
  await item.getByRole('button', { name: 'Erledigt: Nachforderung Brandschutz' }).click();
  await item.waitFor({ state: 'detached' });
  await page.getByText('Keine fälligen Wiedervorlagen.').waitFor();
  await nav.getByRole('link', { name: 'Postkorb', exact: true }).waitFor();
  await page.context().close();
});
