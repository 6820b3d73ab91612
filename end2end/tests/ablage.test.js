// The filing suggestion in the browser: letters about the Hundesteuer lie
// in an Akte of Brombachtal; a new one in the Posteingang gets that Akte
// suggested on its page, with the reason, and one click files it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, api, launch, newPage, login, assertAccessible, waitForHydration } from './helpers.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function upload(page, name, text, akte) {
  const target = akte ? `&akte=${akte}` : '';
  const reply = await page.request.post(`${BASE}/dokumente/hochladen?name=${encodeURIComponent(name)}${target}`, {
    headers: { Origin: BASE, Accept: 'application/json' },
    data: Buffer.from(text),
  });
  assert.equal(reply.status(), 201, await reply.text());
  return (await reply.json()).id;
}

test('a new letter gets the Akte of its like suggested, with the reason, and is filed with one click', async () => {
  const page = await newPage(browser);
  await login(page, 'sachbearbeitung.bro');
  const suffix = Date.now().toString(36);
  const explorer = await api(page, 'load_explorer', { code: '922' });
  const akte = await api(page, 'create_akte', {
    position_id: String(explorer.selected.id),
    title: `Hundesteuer ${suffix}`,
    responsible: 'Steueramt',
    opened_on: '2026-11-03',
  });
  for (const n of [1, 2]) {
    await upload(page, `Hund-${suffix}-${n}.txt`, `Anmeldung eines Hundes zur Hundesteuer, bitte eine Hundemarke senden (${suffix}, ${n}).`, akte.id);
  }
  const id = await upload(page, `Neu-${suffix}.txt`, `Ich melde meinen Hund zur Hundesteuer an und bitte um eine Hundemarke (${suffix}).`);

  // The suggestion needs the texts extracted and indexed.
  let shown = [];
  for (let i = 0; i < 60 && shown.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 500));
    const search = await api(page, 'search_documents', { 'params[q]': suffix, 'params[sort]': 'Relevance', 'params[page]': '1' });
    if (search.total >= 3) shown = [1];
  }
  await page.goto(`${BASE}/dokumente/${id}`);
  await waitForHydration(page);
  const panel = page.getByRole('region', { name: 'Ablagevorschlag' });
  await panel.getByText(akte.aktenzeichen, { exact: false }).first().waitFor();
  await panel.getByText('ähnlich wie 2 Dokumente', { exact: false }).first().waitFor();
  await assertAccessible(page, 'Dokument mit Ablagevorschlag');
  await panel.getByRole('button', { name: `Hier ablegen: ${akte.aktenzeichen}`, exact: false }).first().click();
  await page.getByRole('region', { name: 'Ablagevorschlag' }).waitFor({ state: 'detached' });
  const detail = await api(page, 'get_document', { id: String(id) });
  assert.equal(detail.summary.akte?.id, akte.id);
  await page.context().close();
});
