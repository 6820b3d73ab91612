// Guided tours in the browser: a brand-new clerk is offered tours at the
// first sign-in and follows "Dokument hochladen und ablegen" to the end
// (waiting for a real upload and a real filing, with a reload in between),
// and the casework tours "Wiedervorlage setzen" and "Ein Schreiben
// mitzeichnen lassen" (waiting for a set Wiedervorlage, a started Laufweg);
// every anchor the shipped tours use exists on its page; a step edited in
// the editor (with live preview) is what the next person sees; the open
// popover passes axe and works with the keyboard alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, api, launch, newPage, login, waitForHydration, assertAccessible } from './helpers.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const suffix = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;

/** The open tour popover (a non-modal dialog named by the step's title). */
const popover = (page) => page.locator('section.tour-popover[role="dialog"]');

async function expectStep(page, n, of, title) {
  const dialog = page.getByRole('dialog', { name: title });
  await dialog.waitFor();
  await dialog.getByText(`Schritt ${n} von ${of}`).waitFor();
  return dialog;
}

/** Presses Tab until `locator` has the focus, as a keyboard user would. */
async function tabTo(page, locator, what, key = 'Tab') {
  for (let i = 0; i < 40; i++) {
    if (await locator.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press(key);
  }
  assert.fail(`${what} is not reachable with the keyboard`);
}

async function focusedId(page) {
  return page.evaluate(() => document.activeElement?.id ?? '');
}

test('a new clerk is offered tours and follows "Dokument hochladen und ablegen" to the end', async () => {
  const admin = await newPage(browser);
  await login(admin, 'admin.mic');
  const username = `neu.${suffix()}`;
  const created = await api(admin, 'create_user', {
    username, display_name: 'Nora Neu', email: '', municipality_id: '1', role: 'sachbearbeitung',
  });
  await admin.context().close();

  // First sign-in: a new password first, as for every new account.
  const page = await newPage(browser);
  await login(page, username, created.password);
  await page.getByLabel('Bisheriges Passwort').fill(created.password);
  await page.getByLabel('Neues Passwort', { exact: true }).fill('Ein langer Satz als Passwort');
  await page.getByLabel('Neues Passwort wiederholen').fill('Ein langer Satz als Passwort');
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Passwort ändern' }).click();
  await page.getByText('Ihr Passwort wurde geändert.').waitFor();

  // An open Akte to file into.
  const explorer = await api(page, 'load_explorer', { code: '621.1' });
  const akte = await api(page, 'create_akte', {
    position_id: explorer.selected.id, title: `Tour-Akte ${suffix()}`, responsible: 'Bauamt', opened_on: '2026-11-03',
  });

  await page.goto(`${BASE}/`);
  await waitForHydration(page);
  const offer = page.getByRole('region', { name: 'Möchten Sie einen kurzen Rundgang machen?' });
  await offer.waitFor();
  await offer.getByRole('button', { name: 'Starten: Dokument hochladen und ablegen' }).click();

  // Step 1 waits for a click on "Posteingang" in the navigation.
  const first = await expectStep(page, 1, 6, 'Zum Posteingang');
  await first.getByText('Es geht weiter, sobald Sie auf das markierte Element klicken.').waitFor();
  assert.equal(await page.locator('html').getAttribute('data-tour-ziel'), 'nav-posteingang');
  assert.equal(await focusedId(page), 'tour-schritt-titel', 'the focus moves into the popover');
  await page.locator('[data-tour="nav-posteingang"] a').click();
  await page.waitForURL(`${BASE}/posteingang`);
  const second = await expectStep(page, 2, 6, 'Hier kommt die Post hinein');
  await page.locator('html[data-tour-ziel="upload-bereich"]').waitFor({ state: 'attached' });
  await second.getByRole('button', { name: 'Weiter' }).click();
  await expectStep(page, 3, 6, 'Laden Sie ein Dokument hoch');

  // The tour survives a reload.
  await page.reload();
  await waitForHydration(page);
  const third = await expectStep(page, 3, 6, 'Laden Sie ein Dokument hoch');
  await third.getByText('Es geht weiter, sobald eine Datei hochgeladen ist.').waitFor();

  // The wait-for step goes on by itself once the upload is done.
  const name = `Tour-Probe-${suffix()}`;
  await page.locator('.upload-zone[data-ready="true"]').first().waitFor();
  await page.locator('.upload-panel input[type=file]').first().setInputFiles({
    name: `${name}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`Probe für den Rundgang ${name}\n`),
  });
  const fourth = await expectStep(page, 4, 6, 'Ihr Dokument im Posteingang');
  await page.getByRole('checkbox', { name: `${name} auswählen` }).check();
  await fourth.getByRole('button', { name: 'Weiter' }).click();

  // Filing waits for the document to land in the Akte.
  await expectStep(page, 5, 6, 'In die Akte legen');
  await page.getByLabel('Akte oder Vorgang suchen (Zeichen oder Titel)').fill(akte.aktenzeichen);
  await page.getByRole('button', { name: `Ausgewählte ablegen in ${akte.aktenzeichen}` }).click();
  const last = await expectStep(page, 6, 6, 'Geschafft');
  await last.getByRole('button', { name: 'Fertig' }).click();
  await page.getByRole('dialog', { name: 'Rundgang abgeschlossen' }).waitFor();

  // The record says so, on the Schulung page too.
  await page.goto(`${BASE}/schulung`);
  const row = page.locator('[data-tour="schulung-rundgaenge"] tbody tr', { hasText: 'Dokument hochladen und ablegen' });
  await row.getByText('abgeschlossen').waitFor();
  await page.locator('[data-tour="schulung-nachweis"]').getByRole('cell', { name: 'abgeschlossen' }).waitFor();
  await page.getByRole('link', { name: 'Zum Übungsbereich' }).waitFor();
  await waitForHydration(page);
  await assertAccessible(page, 'Schulung');
  await page.context().close();
});

/** Does the browser path show the tour page pattern (`:name` = any segment)? */
function pageMatches(pattern, path) {
  const wanted = pattern.split('/');
  const given = path.split('/');
  return wanted.length === given.length && wanted.every((w, i) => w === given[i] || (w.startsWith(':') && given[i] !== ''));
}

const ROLE_USER = {
  Sachbearbeitung: 'sachbearbeitung.mic',
  Projektteam: 'projekt.mic',
  Administration: 'admin.mic',
  Schulung: 'schulung.mic',
};

/** Uploads a small document of the signed-in person; its id. */
async function probeDocument(page) {
  const reply = await page.request.post(`${BASE}/dokumente/hochladen?name=Rundgang-Probe-${suffix()}.txt`, {
    headers: { Origin: BASE },
    data: Buffer.from(`Probe für die Anker der Rundgänge ${suffix()}`),
  });
  assert.equal(reply.status(), 201, await reply.text());
  return (await reply.json()).id;
}

test('a clerk follows "Wiedervorlage setzen" and "Ein Schreiben mitzeichnen lassen" to the end', async () => {
  const admin = await newPage(browser);
  await login(admin, 'admin.mic');
  const username = `wv.${suffix()}`;
  const created = await api(admin, 'create_user', {
    username, display_name: 'Wilma Wiedervorlage', email: '', municipality_id: '1', role: 'sachbearbeitung',
  });
  await admin.context().close();
  const page = await newPage(browser);
  await login(page, username, created.password);
  await api(page, 'change_password', { current: created.password, new_password: 'Ein langer Satz als Passwort', repeat: 'Ein langer Satz als Passwort' });
  const document = await probeDocument(page);

  await page.goto(`${BASE}/schulung`);
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Starten: Wiedervorlage setzen' }).click();
  const first = await expectStep(page, 1, 4, 'Ihr Postkorb');
  await first.getByText('Es geht weiter, sobald Sie auf das markierte Element klicken.').waitFor();
  await page.locator('[data-tour="nav-postkorb"] a').click();
  await page.waitForURL(`${BASE}/postkorb`);
  const second = await expectStep(page, 2, 4, 'Heute fällig');
  await page.locator('html[data-tour-ziel="postkorb-faellig"]').waitFor({ state: 'attached' });
  await second.getByRole('button', { name: 'Weiter' }).click();
  // The step belongs to a document: the tour says so and where to find one.
  const third = await expectStep(page, 3, 4, 'Wiedervorlage am …');
  await third.getByText('Dieser Schritt gehört zur Seite „Dokument (über den Posteingang)“.').waitFor();
  await page.goto(`${BASE}/dokumente/${document}`);
  await waitForHydration(page);
  await expectStep(page, 3, 4, 'Wiedervorlage am …');
  await page.locator('html[data-tour-ziel="wiedervorlage"]').waitFor({ state: 'attached' });
  const panel = page.getByRole('region', { name: 'Wiedervorlage und Zuweisung' });
  const date = panel.getByLabel('Wiedervorlage am');
  await date.fill(await date.getAttribute('min'));
  await panel.getByLabel('Grund').fill('Antwort des Antragstellers prüfen');
  await panel.getByRole('button', { name: 'Wiedervorlage setzen' }).click();
  const done = await expectStep(page, 4, 4, 'Geschafft');
  await done.getByRole('button', { name: 'Fertig' }).click();
  await page.getByRole('dialog', { name: 'Rundgang abgeschlossen' }).waitFor();

  // The second tour starts on the document and waits for a started Laufweg.
  await page.goto(`${BASE}/schulung`);
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Starten: Ein Schreiben mitzeichnen lassen' }).click();
  await expectStep(page, 1, 4, 'Mitzeichnung und Freigabe');
  await page.goto(`${BASE}/dokumente/${document}`);
  await waitForHydration(page);
  const intro = await expectStep(page, 1, 4, 'Mitzeichnung und Freigabe');
  await page.locator('html[data-tour-ziel="laufweg"]').waitFor({ state: 'attached' });
  await intro.getByRole('button', { name: 'Weiter' }).click();
  const form = await expectStep(page, 2, 4, 'Den Laufweg festlegen');
  await form.getByText('Es geht weiter, sobald der Laufweg gestartet ist.').waitFor();
  const laufweg = page.getByRole('region', { name: 'Mitzeichnung und Freigabe' });
  await laufweg.locator('summary', { hasText: 'Laufweg starten' }).click();
  await laufweg.getByLabel('Betreff').fill('Antwort an Herrn Keller');
  const step = laufweg.getByRole('group', { name: 'Schritt 1' });
  await step.getByLabel('Person').selectOption({ index: 1 });
  await step.getByLabel('Art').selectOption('mitzeichnung');
  await laufweg.getByRole('button', { name: 'Laufweg starten' }).click();
  const follow = await expectStep(page, 3, 4, 'Die Antworten verfolgen');
  await follow.getByRole('button', { name: 'Weiter' }).click();
  const last = await expectStep(page, 4, 4, 'Im Postkorb');
  await last.getByRole('button', { name: 'Fertig' }).click();
  await page.getByRole('dialog', { name: 'Rundgang abgeschlossen' }).waitFor();

  await page.goto(`${BASE}/schulung`);
  for (const title of ['Wiedervorlage setzen', 'Ein Schreiben mitzeichnen lassen']) {
    const row = page.locator('[data-tour="schulung-rundgaenge"] tbody tr', { hasText: title });
    await row.getByText('abgeschlossen').waitFor();
  }
  await page.context().close();
});

test('every anchor the shipped tours point at exists on its page for every role the tour is for', async () => {
  const team = await newPage(browser);
  await login(team, 'projekt.mic');
  const editor = await api(team, 'tour_editor');
  await team.context().close();
  const anchors = new Map(editor.anchors.map((a) => [a.id, a]));
  const pages = new Map(editor.pages.map((p) => [p.path, p]));
  // user → url → [{ anchor, where }]
  const visits = new Map();
  let steps = 0;
  for (const tour of editor.tours) {
    tour.steps.forEach((step, i) => {
      steps += 1;
      const anchor = anchors.get(step.anchor);
      assert.ok(anchor, `${tour.title}, Schritt ${i + 1}: unknown anchor ${step.anchor}`);
      const probe = anchor.probe.split('?')[0];
      const url = pageMatches(step.page, probe) ? anchor.probe : pages.get(step.page).example;
      for (const role of tour.roles) {
        const user = ROLE_USER[role];
        if (!visits.has(user)) visits.set(user, new Map());
        const byUrl = visits.get(user);
        if (!byUrl.has(url)) byUrl.set(url, []);
        byUrl.get(url).push({ anchor: step.anchor, where: `${tour.title}, Schritt ${i + 1} (${role})` });
      }
    });
  }
  assert.ok(steps >= 25, `only ${steps} shipped steps`);
  for (const [user, byUrl] of visits) {
    const page = await newPage(browser);
    await login(page, user);
    let documentId;
    for (const [url, wanted] of byUrl) {
      let address = url;
      // A document's page: one of the person's own, made for the check.
      if (address.includes(':id')) {
        documentId ??= await probeDocument(page);
        address = address.replace(':id', documentId);
      }
      await page.goto(`${BASE}${address}`);
      await waitForHydration(page);
      for (const { anchor, where } of wanted) {
        await page
          .locator(`[data-tour="${anchor}"]`)
          .first()
          .waitFor({ state: 'attached', timeout: 10000 })
          .catch(() => assert.fail(`${where}: [data-tour="${anchor}"] is missing on ${url} for ${user}`));
      }
    }
    await page.context().close();
  }
});

test('a step edited in the form shows in the live preview and is what the next person sees', async () => {
  const team = await newPage(browser);
  await login(team, 'projekt.mic');
  await team.goto(`${BASE}/schulung/rundgaenge`);
  await waitForHydration(team);
  // The offer to a first-time user is answered: it goes away.
  const offer = team.getByRole('region', { name: 'Möchten Sie einen kurzen Rundgang machen?' });
  await offer.getByRole('button', { name: 'Später' }).click();
  await offer.waitFor({ state: 'detached' });
  await team.getByRole('link', { name: 'Bearbeiten: Suchen und finden' }).click();
  await team.getByRole('heading', { level: 1, name: 'Rundgang bearbeiten: Suchen und finden' }).waitFor();
  const text = `Hier stehen Ihre Treffer – neu geschrieben ${suffix()}.`;
  const field = team.locator('#schritt-2-text');
  await field.fill(text);
  const preview = team.getByRole('group', { name: 'Vorschau von Schritt 2' });
  await preview.getByText(text).waitFor();
  await preview.getByText('Schritt 2 von 4').waitFor();
  await assertAccessible(team, 'Rundgang bearbeiten');
  await team.getByRole('button', { name: 'Rundgang speichern' }).click();
  await team.getByText('Der Rundgang ist gespeichert.').waitFor();
  await team.context().close();

  // The next person starts it from the help menu.
  const clerk = await newPage(browser);
  await login(clerk, 'sachbearbeitung.erb');
  await waitForHydration(clerk);
  await clerk.getByText('Hilfe', { exact: true }).click();
  await clerk.locator('.help-menu').getByRole('button', { name: 'Suchen und finden' }).click();
  const first = await expectStep(clerk, 1, 4, 'Suchen von überall');
  await first.getByRole('button', { name: 'Weiter' }).click();
  await clerk.waitForURL(`${BASE}/suche`);
  const second = await expectStep(clerk, 2, 4, 'Die Treffer');
  await second.getByText(text).waitFor();
  await clerk.context().close();
});

test('the open popover passes axe and works with the keyboard alone', async () => {
  const page = await newPage(browser);
  await login(page, 'sachbearbeitung.obz');
  await waitForHydration(page);
  const offer = page.getByRole('region', { name: 'Möchten Sie einen kurzen Rundgang machen?' });
  await offer.waitFor();
  const start = offer.getByRole('button', { name: 'Starten: Erste Schritte' });
  await tabTo(page, start, 'the start button');
  await page.keyboard.press('Enter');
  const dialog = await expectStep(page, 1, 6, 'Die Hauptnavigation');
  await dialog.getByRole('button', { name: 'Zum markierten Element' }).waitFor();
  assert.equal(await focusedId(page), 'tour-schritt-titel');
  await assertAccessible(page, 'Startseite mit offenem Rundgang');

  // Weiter with Tab and Enter; the focus follows into the next step.
  await tabTo(page, dialog.getByRole('button', { name: 'Weiter' }), 'Weiter');
  await page.keyboard.press('Enter');
  const second = await expectStep(page, 2, 6, 'Ihre Gemeinde');
  await page.waitForFunction(() => document.activeElement?.id === 'tour-schritt-titel');
  assert.equal(await page.locator('html').getAttribute('data-tour-ziel'), 'gemeinde');
  await page.getByRole('status').filter({ hasText: 'Schritt 2 von 6: Ihre Gemeinde' }).waitFor({ state: 'attached' });

  // "Zum markierten Element" takes the focus to the marked element.
  await tabTo(page, second.getByRole('button', { name: 'Zum markierten Element' }), 'Zum markierten Element');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.closest('[data-tour="gemeinde"]') !== null);

  // Zurück, then Escape ends the tour.
  await page.getByRole('dialog', { name: 'Ihre Gemeinde' }).getByRole('button', { name: 'Zurück' }).focus();
  await page.keyboard.press('Enter');
  await expectStep(page, 1, 6, 'Die Hauptnavigation');
  await page.waitForFunction(() => document.activeElement?.id === 'tour-schritt-titel');
  await page.keyboard.press('Escape');
  await popover(page).waitFor({ state: 'detached' });
  await page.getByRole('status').filter({ hasText: 'Rundgang „Erste Schritte“ beendet.' }).waitFor({ state: 'attached' });

  // Recorded as skipped at step 1, and nothing is running after a reload.
  const record = await api(page, 'load_training_page');
  const run = record.runs.find((r) => r.tour_title === 'Erste Schritte');
  assert.equal(run.status, 'Skipped');
  assert.equal(run.step, 1);
  const state = await api(page, 'load_tour_state');
  assert.equal(state.active, null);
  assert.deepEqual(state.offer, []);
  await page.context().close();
});
