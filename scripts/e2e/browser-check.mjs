// Browser checks run by scripts/e2e.sh against the migrated example app.
// Usage: node browser-check.mjs http://127.0.0.1:PORT
import { chromium } from 'playwright-core';

const baseURL = (process.argv[2] || process.env.BASE_URL || '').replace(/\/$/, '');
if (!baseURL) {
  console.error('usage: node browser-check.mjs <base-url>');
  process.exit(2);
}
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const TIMEOUT = 30_000;

let currentStep = 'launch chromium';
function step(name) {
  currentStep = name;
  console.log(`[browser] step: ${name}`);
}
function check(cond, message) {
  if (!cond) throw new Error(message);
}

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

let exitCode = 0;
try {
  const context = await browser.newContext();
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.log(`[browser] page error: ${err.message}`));
  // The delete button asks for confirmation with window.confirm().
  page.on('dialog', (dialog) => dialog.accept());

  step('empty title shows the validation error from the action state');
  let res = await page.goto(`${baseURL}/posts`, { waitUntil: 'networkidle' });
  check(res && res.status() === 200, `GET /posts returned ${res && res.status()}`);
  await page.getByLabel('Title').fill('');
  await page.getByRole('button', { name: 'Create post' }).click();
  // Scoped to the form: Next's route announcer is also role="alert".
  const alert = page.locator('form [role="alert"]');
  await alert.waitFor({ state: 'visible' });
  const alertText = (await alert.textContent())?.trim();
  check(alertText === 'Title is required', `expected "Title is required", got ${JSON.stringify(alertText)}`);
  check(new URL(page.url()).pathname === '/posts', `expected to stay on /posts, now on ${page.url()}`);

  step('valid title redirects to the new post (redirect not swallowed)');
  const title = `E2E post ${Date.now()}`;
  await page.getByLabel('Title').fill(title);
  await page.getByRole('button', { name: 'Create post' }).click();
  try {
    await page.waitForURL((url) => /^\/posts\/[^/]+$/.test(url.pathname), { timeout: TIMEOUT });
  } catch (err) {
    const shown = await page.locator('form [role="alert"]').textContent().catch(() => null);
    throw new Error(`no redirect to /posts/<id> (still on ${page.url()}, alert: ${JSON.stringify(shown)})`);
  }
  const postPath = new URL(page.url()).pathname;
  const postId = postPath.split('/').pop();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  console.log(`[browser]   created post ${postId} at ${postPath}`);

  step('like and pin the new post (the moved directive and the action made async)');
  await page.getByRole('button', { name: 'Like' }).click();
  await page.waitForFunction(
    () => document.querySelector('output[aria-label="Likes"]')?.textContent?.trim() === '1',
    null,
    { timeout: TIMEOUT },
  );
  await page.getByRole('button', { name: 'Pin' }).click();
  await page.getByText('Pinned', { exact: true }).waitFor();
  await page.reload({ waitUntil: 'networkidle' });
  const likes = (await page.locator('output[aria-label="Likes"]').textContent())?.trim();
  check(likes === '1', `expected 1 like after reload, got ${JSON.stringify(likes)}`);
  check((await page.getByText('Pinned', { exact: true }).count()) === 1, 'post not pinned after reload');

  step('delete the new post from the list (bound id reaches the server)');
  res = await page.goto(`${baseURL}/posts`, { waitUntil: 'networkidle' });
  check(res && res.status() === 200, `GET /posts returned ${res && res.status()}`);
  const item = page.locator(`li[data-post-id="${postId}"]`);
  await item.waitFor({ state: 'visible' });
  check((await item.textContent())?.includes(title), 'list item does not show the new title');
  const others = await page.locator('li[data-post-id]').count();
  await item.getByRole('button', { name: 'Delete' }).click();
  await item.waitFor({ state: 'detached' });
  // Reload: the post must be gone on the server, not only in the page.
  await page.reload({ waitUntil: 'networkidle' });
  check((await page.locator(`li[data-post-id="${postId}"]`).count()) === 0, 'post still listed after reload');
  check((await page.locator('li[data-post-id]').count()) === others - 1, 'another post was deleted too');
  res = await page.goto(`${baseURL}${postPath}`);
  check(res && res.status() === 404, `deleted post page returned ${res && res.status()}, expected 404`);

  step('missing post returns the 404 page');
  res = await page.goto(`${baseURL}/posts/does-not-exist`);
  check(res && res.status() === 404, `GET /posts/does-not-exist returned ${res && res.status()}, expected 404`);
  const body = await page.locator('body').innerText();
  check(body.includes('This page could not be found'), `404 page text missing; body: ${JSON.stringify(body.slice(0, 300))}`);

  // The next-learn shapes (app/notes): the actions module got its 'use server', the form its
  // state type, the delete action returns nothing, the onClick action is called without the event.
  step('notes: an empty note shows the error from the action state (the action ran on the server)');
  res = await page.goto(`${baseURL}/notes`, { waitUntil: 'networkidle' });
  check(res && res.status() === 200, `GET /notes returned ${res && res.status()}`);
  await page.getByLabel('Note').fill('');
  await page.getByRole('button', { name: 'Add note' }).click();
  const noteAlert = page.locator('form [role="alert"]');
  await noteAlert.waitFor({ state: 'visible' });
  const noteAlertText = (await noteAlert.textContent())?.trim();
  check(noteAlertText === 'Write something.', `expected "Write something.", got ${JSON.stringify(noteAlertText)}`);

  step('notes: add a note, then delete it with its bound form action');
  const noteText = `E2E note ${Date.now()}`;
  await page.getByLabel('Note').fill(noteText);
  await page.getByRole('button', { name: 'Add note' }).click();
  const noteItem = page.locator('li[data-note-id]', { hasText: noteText });
  await noteItem.waitFor({ state: 'visible' });
  await noteItem.getByRole('button', { name: 'Delete note' }).click();
  await noteItem.waitFor({ state: 'detached' });
  await page.reload({ waitUntil: 'networkidle' });
  check((await page.locator('li[data-note-id]', { hasText: noteText }).count()) === 0, 'note still listed after reload');

  step('notes: "Clear notes" (a Server Action on onClick) empties the list');
  await page.getByLabel('Note').fill(`${noteText} again`);
  await page.getByRole('button', { name: 'Add note' }).click();
  await page.locator('li[data-note-id]').first().waitFor({ state: 'visible' });
  await page.getByRole('button', { name: 'Clear notes' }).click();
  await page.getByText('No notes yet.').waitFor();
  await page.reload({ waitUntil: 'networkidle' });
  check((await page.locator('li[data-note-id]').count()) === 0, 'notes still listed after "Clear notes" and a reload');

  console.log('[browser] all steps passed');
} catch (err) {
  console.error(`[browser] FAILED step: ${currentStep}: ${err && err.message ? err.message : err}`);
  exitCode = 1;
} finally {
  await browser.close().catch(() => {});
}
process.exit(exitCode);
