// Relations the way Django's admin edits them, in Chromium on the shop (1,100 products): an order line added in the
// browser searches its product, a failed save keeps every pick, the 🔍 popup picks a customer and shows the name,
// "+" creates a category into the field, the two-box picker chooses tags; "+" beside a many-to-many and the stacked
// picker (filterVertical); the side menu beside the change form.
'use strict';
process.env.MANOUCHE_TESTING = '1';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');
const { serveAndLogIn } = require('./browser');
const { app, seed, Product, Category, Order, OrderLine, Customer } = require('./fixtures/shop/app');
const { User } = require('manouche');
const { state, closeAll } = require('../../dist/core/conf/state');

const SHOTS = process.env.UPDATE_SCREENSHOTS === '1'
  ? path.join(__dirname, '..', '..', 'docs', 'screenshots')
  : fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'manouche-shop-shots-'));
let server; let base; let browser; let page;

before(async () => {
  for (const hooks of state.testLifecycle) await hooks.beforeAll?.();
  await seed();
  await User.createSuperuser({ username: 'admin', password: 'correct-horse-42', email: 'admin@example.com' });
  ({ server, base, browser, page } = await serveAndLogIn(app, 'admin', 'correct-horse-42'));
});

after(async () => {
  await browser?.close();
  if (process.env.UPDATE_SCREENSHOTS !== '1') fs.rmSync(SHOTS, { recursive: true, force: true });
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  for (const hooks of state.testLifecycle) await hooks.afterAll?.();
  await closeAll();
});

const shot = (name) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
const save = () => Promise.all([page.waitForNavigation(), page.locator('input[type=submit].default').first().click()]);

test('an order line added in the browser searches its product; a failed save keeps it; the next save stores it', async () => {
  const order = await Order.findOne({ order: [['id', 'ASC']] });
  await page.goto(`${base}/admin/shop/order/${order.id}/change/`);
  await page.click('button.add-row');
  const row = page.locator('#orderline_set-1');
  await row.locator('.autocomplete-input').fill('Product 1099');
  await row.locator('.autocomplete-results li:text-is("Product 1099")').click();
  await row.locator('input[name="orderline_set-1-quantity"]').fill('0');
  await save();
  assert.match(await page.textContent('#orderline_set-1'), /Ensure this value is greater than or equal to 1\./);
  assert.equal(await page.locator('#orderline_set-1 select option:checked').textContent(), 'Product 1099', 'the pick survives the error');
  await shot('inline-autocomplete-error');
  await page.fill('input[name="orderline_set-1-quantity"]', '3');
  await save();
  assert.match(await page.textContent('.messagelist'), /was changed successfully/);
  const line = await OrderLine.findOne({ where: { orderId: order.id, productId: 1099 } });
  assert.equal(line?.quantity, 3);
});

test('the 🔍 lookup opens a popup; clicking a customer fills the id and shows the name', async () => {
  const order = await Order.findOne({ order: [['id', 'ASC']] });
  const chloe = await Customer.findOne({ where: { name: 'Chloe' } });
  await page.goto(`${base}/admin/shop/order/${order.id}/change/`);
  assert.equal(await page.textContent('.field-customerId .related-label'), 'Ada');
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#lookup_id_customerId')]);
  await popup.waitForLoadState();
  assert.equal(await popup.locator('#user-tools').count(), 0, 'a popup has no header');
  await Promise.all([popup.waitForEvent('close'), popup.click('#result_list a:text-is("Chloe")')]);
  assert.equal(await page.inputValue('#id_customerId'), String(chloe.id));
  assert.equal(await page.textContent('.field-customerId .related-label'), 'Chloe');
  await save();
  assert.equal((await Order.findByPk(order.id)).customerId, chloe.id);
});

test('product: "+" creates a category into the field, the two-box picker chooses tags, a bad price keeps both', async () => {
  await page.goto(`${base}/admin/shop/product/add/`);
  await page.fill('#id_name', 'Trowel');
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#add_id_categoryId')]);
  await popup.waitForLoadState();
  await popup.fill('#id_name', 'Garden');
  assert.equal(await popup.inputValue('#id_slug'), 'garden', 'prepopulatedFields: the slug follows the name');
  assert.equal(await popup.isVisible('#id_notes'), false, 'a collapse fieldset starts closed');
  await Promise.all([popup.waitForEvent('close'), popup.click('input[type=submit].default')]);
  const garden = await Category.findOne({ where: { name: 'Garden' } });
  assert.equal(await page.inputValue('#id_categoryId'), String(garden.id));
  assert.equal(await page.isVisible('#change_id_categoryId'), true, 'the pencil shows once a category is chosen');
  await page.fill('#id_tags_input', 'sa');
  await page.selectOption('#id_tags_from', { label: 'sale' });
  await page.click('#id_tags_add');
  assert.deepEqual(await page.locator('#id_tags_from option').allTextContents(), [], 'the filter shows only matching tags');
  assert.deepEqual(await page.locator('#id_tags_to option').allTextContents(), ['sale']);
  await page.fill('#id_tags_input', '');
  await page.dblclick('#id_tags_from >> text=gift');
  assert.deepEqual(await page.locator('#id_tags_to option').allTextContents(), ['gift', 'sale']);
  await page.fill('#id_price', '-5');
  await page.fill('#id_stock', '4');
  await shot('product-form');
  await save();
  assert.match(await page.textContent('.field-price'), /Ensure this value is greater than or equal to 0\./);
  assert.equal(await page.locator('#id_categoryId option:checked').textContent(), 'Garden');
  assert.deepEqual(await page.locator('#id_tags_to option').allTextContents(), ['gift', 'sale']);
  await shot('product-form-errors');
  await page.fill('#id_price', '94.9');
  await save();
  const trowel = await Product.findOne({ where: { name: 'Trowel' } });
  assert.equal(trowel.categoryId, garden.id);
  assert.deepEqual((await trowel.getTags()).map((t) => t.name).sort(), ['gift', 'sale']);
  await page.goto(`${base}/admin/shop/product/?q=Trowel`);
  assert.match(await page.textContent('#result_list'), /94\.90/);
});

test('delete page: join rows listed, buttons below the list; small screens fold the sidebar; the current model stands out', async () => {
  await page.goto(`${base}/admin/shop/product/`);
  assert.equal((await page.textContent('#nav-sidebar tr.current-model th')).trim(), 'Products');
  await page.goto(`${base}/admin/shop/product/3/delete/`);
  assert.match(await page.textContent('.deleted-objects'), /Product-tag relationship: Product 0003 – sale/);
  const lastItem = await page.locator('.deleted-objects li').last().boundingBox();
  const button = await page.locator('input[type=submit].danger').boundingBox();
  assert.ok(button.y >= lastItem.y + lastItem.height, 'the buttons sit below the list');
  await shot('delete-product');
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto(`${base}/admin/shop/product/`);
  assert.equal(await page.getAttribute('#nav-sidebar', 'open'), null, 'the sidebar is folded at 375 px');
  assert.equal(await page.isVisible('#result_list'), true);
  await shot('small-screen');
  await page.setViewportSize({ width: 1280, height: 800 });
});

test('customer: filterVertical stacks the two boxes; "+" beside the many-to-many creates a tag straight into the chosen box', async () => {
  const eve = await Customer.findOne({ where: { name: 'Eve' } });
  await page.goto(`${base}/admin/shop/customer/${eve.id}/change/`);
  assert.equal(await page.locator('.field-interests .selector.stacked').count(), 1, 'filterVertical: the stacked picker');
  const from = await page.locator('#id_interests_from').boundingBox();
  const to = await page.locator('#id_interests_to').boundingBox();
  assert.ok(to.y >= from.y + from.height, 'the chosen box sits below the available one');
  assert.equal(await page.textContent('#id_interests_add'), '↓ Choose');
  await page.selectOption('#id_interests_from', { label: 'eco' });
  await page.click('#id_interests_add');
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#add_id_interests')]);
  await popup.waitForLoadState();
  assert.equal(await popup.locator('#nav-sidebar').count(), 0, 'a popup has no side menu');
  await popup.fill('#id_name', 'vip');
  await Promise.all([popup.waitForEvent('close'), popup.click('input[type=submit].default')]);
  assert.deepEqual(await page.locator('#id_interests_to option').allTextContents(), ['eco', 'vip'], 'the new tag is chosen');
  assert.equal(await page.locator('#id_interests_from option:text-is("vip")').count(), 0);
  await shot('customer-filter-vertical');
  await save();
  assert.match(await page.textContent('.messagelist'), /was changed successfully/);
  assert.deepEqual((await (await Customer.findByPk(eve.id)).getInterests()).map((t) => t.name).sort(), ['eco', 'vip']);
});

test('the change form has the side menu too, the current model highlighted; it folds at 375 px', async () => {
  await page.goto(`${base}/admin/shop/product/3/change/`);
  assert.equal(await page.isVisible('#nav-sidebar'), true);
  assert.equal((await page.textContent('#nav-sidebar tr.current-model th')).trim(), 'Products');
  assert.equal(await page.getAttribute('#nav-sidebar tr.current-model a', 'aria-current'), 'page');
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto(`${base}/admin/shop/product/3/change/`);
  assert.equal(await page.getAttribute('#nav-sidebar', 'open'), null, 'the sidebar is folded at 375 px');
  assert.equal(await page.isVisible('#id_name'), true, 'the form is not hidden under the menu');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${base}/admin/`);
  assert.equal(await page.locator('#nav-sidebar').count(), 0, 'the index is the same list: no side menu there');
});

test('an order in Tokyo time: the list and the form show local time, a typed time is stored in UTC; "Save as new" and the buttons on top', async () => {
  const order = await Order.create({ customerId: (await Customer.findOne({ where: { name: 'Chloe' } })).id, placedAt: new Date('2025-10-19T15:30:00Z') });
  await OrderLine.create({ orderId: order.id, productId: 5, quantity: 1 }); // the inline's minNum is 1
  await page.goto(`${base}/admin/shop/order/`);
  const row = page.locator(`#result_list tr:has(input[value="${order.id}"])`);
  assert.match(await row.textContent(), /Oct 20, 2025, 12:30\s?AM/, 'shown in Tokyo (UTC+9), formatted for en-us');
  await page.goto(`${base}/admin/shop/order/${order.id}/change/`);
  assert.equal(await page.locator('.submit-row').count(), 2, 'saveOnTop: the buttons above the form as well as below');
  assert.match(await page.inputValue('#id_placedAt'), /^2025-10-20T00:30(:00)?$/, 'the form shows Tokyo time');
  await page.fill('#id_placedAt', '2025-12-24T09:15:00');
  await save();
  assert.match(await page.textContent('.messagelist'), /was changed successfully/);
  assert.equal((await Order.findByPk(order.id)).placedAt.toISOString(), '2025-12-24T00:15:00.000Z', 'stored in UTC');
  await page.goto(`${base}/admin/shop/order/${order.id}/change/`);
  const before = await Order.count();
  await Promise.all([page.waitForNavigation(), page.locator('input[name=_saveasnew]').last().click()]);
  assert.equal(await Order.count(), before + 1, '"Save as new" adds a copy');
  const copy = await Order.findOne({ order: [['id', 'DESC']] });
  assert.notEqual(copy.id, order.id);
  assert.equal(copy.placedAt.toISOString(), '2025-12-24T00:15:00.000Z');
  assert.equal(await OrderLine.count({ where: { orderId: copy.id } }), await OrderLine.count({ where: { orderId: order.id } }), 'with its lines');
  assert.match(page.url(), new RegExp(`/admin/shop/order/${copy.id}/change/$`), 'the copy opens');
});

test('"View on site" links to the customer\'s getAbsoluteUrl(); a model without one has no link', async () => {
  const eve = await Customer.findOne({ where: { name: 'Eve' } });
  await page.goto(`${base}/admin/shop/customer/${eve.id}/change/`);
  const link = page.locator('a.viewsitelink');
  assert.equal(await link.count(), 1);
  assert.equal(await link.getAttribute('href'), `/customers/${eve.id}/`);
  assert.equal((await link.textContent()).trim(), 'View on site');
  await page.goto(`${base}/admin/shop/tag/1/change/`);
  assert.equal(await page.locator('a.viewsitelink').count(), 0, 'no link for a model without getAbsoluteUrl()');
});
