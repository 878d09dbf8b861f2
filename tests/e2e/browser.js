// Debian's Chromium under playwright-core, started the one way this machine allows (no sandbox, no background network).
'use strict';
const { chromium } = require('playwright-core');

/** Launches headless Chromium and opens one 1280×800 page with a 10 s default timeout. */
async function openPage() {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.setDefaultTimeout(10000);
  return { browser, page };
}

/**
 * Serves `app` on a free loopback port, opens Chromium and logs in to the admin as `username`.
 * @returns {{ server, base, browser, page }}
 */
async function serveAndLogIn(app, username, password) {
  const server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  const base = `http://127.0.0.1:${server.address().port}`;
  const { browser, page } = await openPage();
  await page.goto(`${base}/admin/login/`);
  await page.fill('#id_username', username);
  await page.fill('#id_password', password);
  await Promise.all([page.waitForNavigation(), page.click('input[type=submit]')]);
  return { server, base, browser, page };
}

module.exports = { openPage, serveAndLogIn };
