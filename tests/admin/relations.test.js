// Issue 12 on the server: values that cannot be stored are form errors in people's words, a failed save gives back what
// was typed (autocomplete, raw id), inline autocomplete/minNum/maxNum, popups, and requests for what a user may not see.
'use strict';
process.env.MANOUCHE_TESTING = '1';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { seed, Product, Category, Order, OrderLine, Customer } = require('../e2e/fixtures/shop/app');
const { User, Permission, Client } = require('manouche');
const { state, closeAll } = require('../../dist/core/conf/state');

let admin; let staff;

before(async () => {
  for (const h of state.testLifecycle) await h.beforeAll?.();
  await seed();
  const boss = await User.createSuperuser({ username: 'boss', password: 'x-correct-horse-1', email: 'boss@example.com' });
  admin = new Client();
  await admin.forceLogin(boss);
  // A clerk who may change orders but see nothing of products.
  const clerk = await User.createUser({ username: 'clerk', password: 'x-correct-horse-1', isStaff: true });
  await clerk.setUserPermissions(await Permission.findAll({ where: { codename: ['view_order', 'change_order', 'add_order', 'view_orderline', 'change_orderline', 'add_orderline'] } }));
  staff = new Client();
  await staff.forceLogin(clerk);
});
after(async () => {
  for (const h of state.testLifecycle) await h.afterAll?.();
  await closeAll();
});

const errorsOf = (html) => [...html.matchAll(/<ul class="errorlist[^"]*"[^>]*>(.*?)<\/ul>/gs)].map((m) => m[1].replace(/<[^>]+>/g, ' ').trim());

test('a value below a validator minimum is an error in Django words, and the autocomplete choice comes back', async () => {
  const books = await Category.findOne({ where: { name: 'Books' } });
  const res = await admin.post('/admin/shop/product/add/', { name: 'Cheap', price: '-1', stock: '0', categoryId: String(books.id) });
  assert.equal(res.status, 200);
  assert.deepEqual(errorsOf(res.text), ['Ensure this value is greater than or equal to 0.']);
  assert.match(res.text, new RegExp(`<option value="${books.id}" selected>Books</option>`), 'the picked category is still selected');
  assert.equal(await Product.count({ where: { name: 'Cheap' } }), 0);
});

test('malformed and out-of-range values of every kind are form errors, never stored', async () => {
  const cat = String((await Category.findOne()).id);
  const cases = [
    [{ price: 'abc' }, 'Enter a number.'],
    [{ price: '1.234' }, 'Ensure that there are no more than 2 decimal places.'],
    [{ price: '12345678' }, 'Ensure that there are no more than 6 digits before the decimal point.'],
    [{ stock: '99999999999' }, 'Ensure this value is less than or equal to 2147483647.'],
    [{ stock: '1.5' }, 'Enter a whole number.'],
    [{ stock: '-' }, 'Enter a whole number.'],
    [{ releasedOn: '2024-02-30' }, 'Enter a valid date.'],
    [{ releasedOn: 'soon' }, 'Enter a valid date.'],
    [{ categoryId: '424242' }, 'Select a valid choice. That choice is not one of the available choices.'],
    [{ name: 'a\u0000b' }, 'Null characters are not allowed.'],
  ];
  for (const [fields, message] of cases) {
    const res = await admin.post('/admin/shop/product/add/', { name: 'Bad', price: '1', stock: '0', categoryId: cat, ...fields });
    assert.equal(res.status, 200, JSON.stringify(fields));
    assert.deepEqual(errorsOf(res.text), [message], JSON.stringify(fields));
  }
  assert.equal(await Product.count({ where: { name: 'Bad' } }), 0);
});

test('a decimal keeps its scale: 94.9 is stored and shown as 94.90', async () => {
  const cat = String((await Category.findOne()).id);
  const res = await admin.post('/admin/shop/product/add/', { name: 'Scaled', price: '94.9', stock: '1', categoryId: cat, _continue: '1' });
  assert.equal(res.status, 302, res.text);
  const page = await admin.get(res.headers.location);
  assert.match(page.text, /name="price" id="id_price"[^>]*value="94.90"/);
});

test('a cleared required datetime (dateJoined=) is "This field is required.", the row is untouched', async () => {
  const user = await User.findOne({ where: { username: 'clerk' } });
  const before = user.dateJoined.toISOString();
  const res = await admin.post(`/admin/auth/user/${user.id}/change/`, { username: 'clerk', isActive: 'on', isStaff: 'on', dateJoined: '', lastLogin: '' });
  assert.equal(res.status, 200);
  assert.ok(errorsOf(res.text).includes('This field is required.'), errorsOf(res.text).join(' | '));
  await user.reload();
  assert.equal(user.dateJoined.toISOString(), before);
  assert.equal((await admin.get(`/admin/auth/user/${user.id}/change/`)).status, 200);
});

test('inline rows search their own model: autocomplete names orderline, not order', async () => {
  const order = await Order.findOne({ order: [['id', 'ASC']] });
  const page = await admin.get(`/admin/shop/order/${order.id}/change/`);
  assert.match(page.text, /name="orderline_set-0-productId"[^>]*data-autocomplete-url="\/admin\/autocomplete\/" data-app-label="shop" data-model-name="orderline" data-field-name="productId"/);
  assert.match(page.text, /<option value="1" selected>Product 0001<\/option>/);
  assert.match(page.text, /<script src="\/static\/admin\/autocomplete.js" defer>/);
  const hit = await admin.get('/admin/autocomplete/?app_label=shop&model_name=orderline&field_name=productId&term=Product%201099');
  assert.equal(hit.status, 200);
  assert.deepEqual(hit.json().results.map((r) => r.text), ['Product 1099']);
  assert.equal((await admin.get('/admin/autocomplete/?app_label=shop&model_name=order&field_name=productId&term=x')).status, 404);
  assert.equal((await admin.get('/admin/autocomplete/?app_label=shop&model_name=productag&field_name=productId&term=x')).status, 404);
  // The clerk may edit orders but not see products: 403, and no rows in the answer.
  const denied = await staff.get('/admin/autocomplete/?app_label=shop&model_name=orderline&field_name=productId&term=Product');
  assert.equal(denied.status, 403);
  assert.doesNotMatch(denied.text, /Product 0/);
});

test('inline minNum and maxNum hold on the server; a forged row of another order is refused', async () => {
  const [first, second] = await Order.findAll({ order: [['id', 'ASC']] });
  const line = await OrderLine.findOne({ where: { orderId: first.id } });
  const other = await OrderLine.findOne({ where: { orderId: second.id } });
  const base = { customerId: String(first.customerId), status: 'new', placedAt: '2025-01-02T03:04', 'orderline_set-INITIAL_FORMS': '1' };
  const none = await admin.post(`/admin/shop/order/${first.id}/change/`, { ...base, 'orderline_set-TOTAL_FORMS': '1', 'orderline_set-0-id': String(line.id), 'orderline_set-0-productId': '1', 'orderline_set-0-quantity': '2', 'orderline_set-0-DELETE': 'on' });
  assert.equal(none.status, 200);
  assert.match(none.text, /Please submit 1 or more form\./);
  assert.ok(await OrderLine.findByPk(line.id));
  const many = { ...base, 'orderline_set-TOTAL_FORMS': '6', 'orderline_set-0-id': String(line.id), 'orderline_set-0-productId': '1', 'orderline_set-0-quantity': '2' };
  for (let i = 1; i < 6; i++) Object.assign(many, { [`orderline_set-${i}-productId`]: String(i + 10), [`orderline_set-${i}-quantity`]: '1' });
  const tooMany = await admin.post(`/admin/shop/order/${first.id}/change/`, many);
  assert.equal(tooMany.status, 200);
  assert.match(tooMany.text, /Please submit 5 or fewer forms\./);
  // Every row typed in comes back, with the product's name in its search box.
  assert.match(tooMany.text, /<option value="15" selected>Product 0015<\/option>/);
  assert.equal(await OrderLine.count({ where: { orderId: first.id } }), 1);
  const forged = await admin.post(`/admin/shop/order/${first.id}/change/`, { ...base, 'orderline_set-TOTAL_FORMS': '1', 'orderline_set-0-id': String(other.id), 'orderline_set-0-productId': '3', 'orderline_set-0-quantity': '9' });
  assert.equal(forged.status, 200);
  await other.reload();
  assert.equal(other.orderId, second.id);
  assert.equal(other.quantity, 1);
});

test('raw id: the name beside the id, the popup lookup link, and the typed id kept after an error', async () => {
  const order = await Order.findOne({ order: [['id', 'ASC']] });
  const ada = await Customer.findOne({ where: { name: 'Ada' } });
  const page = await admin.get(`/admin/shop/order/${order.id}/change/`);
  assert.match(page.text, new RegExp(`href="/admin/shop/customer/\\?_to_field=id&amp;_popup=1" class="related-lookup" id="lookup_id_customerId"`));
  assert.match(page.text, new RegExp(`<strong class="related-label"><a href="/admin/shop/customer/${ada.id}/change/">Ada</a></strong>`));
  // showChangeLink on the inline's saved rows.
  assert.match(page.text, /<a href="\/admin\/shop\/orderline\/\d+\/change\/" class="inlinechangelink">Change<\/a>/);
  const bad = await admin.post(`/admin/shop/order/${order.id}/change/`, { customerId: '99999', status: 'new', placedAt: '2025-01-02T03:04', 'orderline_set-TOTAL_FORMS': '0', 'orderline_set-INITIAL_FORMS': '0' });
  assert.equal(bad.status, 200);
  assert.match(bad.text, /name="customerId" id="id_customerId"[^>]*value="99999"/);
  const popup = await admin.get('/admin/shop/customer/?_popup=1&_to_field=id');
  assert.equal(popup.status, 200);
  assert.match(popup.text, /data-popup-opener="\d+"/);
  assert.doesNotMatch(popup.text, /id="user-tools"/);
});

test('"+" and pencil open popups for what the user may add or change; a saved popup hands the object back', async () => {
  const form = await admin.get('/admin/shop/product/add/');
  assert.match(form.text, /class="related-widget-wrapper-link add-related" id="add_id_categoryId" href="\/admin\/shop\/category\/add\/\?_to_field=id&amp;_popup=1"/);
  assert.match(form.text, /class="related-widget-wrapper-link change-related" id="change_id_categoryId" data-href-template="\/admin\/shop\/category\/__fk__\/change\/\?_to_field=id&amp;_popup=1"/);
  assert.match(form.text, /<select name="tags" id="id_tags" multiple size="6" class="selectfilter" data-field-name="tags" data-is-stacked="0">/);
  // The clerk cannot add customers: no "+" beside the order's customer.
  const clerkForm = await staff.get('/admin/shop/order/add/');
  assert.equal(clerkForm.status, 200);
  assert.doesNotMatch(clerkForm.text, /add_id_customerId/);
  const add = await admin.get('/admin/shop/category/add/?_to_field=id&_popup=1');
  assert.match(add.text, /<input type="hidden" name="_popup" value="1">/);
  assert.doesNotMatch(add.text, /name="_addanother"/);
  const saved = await admin.post('/admin/shop/category/add/?_to_field=id&_popup=1', { name: 'Garden', slug: 'garden', _popup: '1', _to_field: 'id' });
  assert.equal(saved.status, 200);
  const garden = await Category.findOne({ where: { name: 'Garden' } });
  assert.match(saved.text, new RegExp(`data-popup-response="\\{&quot;action&quot;:&quot;add&quot;,&quot;value&quot;:&quot;${garden.id}&quot;,&quot;obj&quot;:&quot;Garden&quot;`));
  assert.equal((await admin.get('/admin/shop/category/add/?_to_field=password&_popup=1')).status, 400);
});

test('the user admin picks groups and permissions with the two-box picker', async () => {
  const user = await User.findOne({ where: { username: 'clerk' } });
  const page = await admin.get(`/admin/auth/user/${user.id}/change/`);
  assert.match(page.text, /<select name="userPermissions" id="id_userPermissions"[^>]* multiple size="10" class="selectfilter" data-field-name="user permissions"/);
  assert.match(page.text, /<select name="groups" id="id_groups"[^>]* multiple[^>]*class="selectfilter"/);
});

test('the delete page lists many-to-many join rows among what goes', async () => {
  const res = await admin.get('/admin/shop/product/3/delete/');
  assert.equal(res.status, 200);
  assert.match(res.text, /Product-tag relationship: Product 0003 – new/);
  assert.match(res.text, /Product-tag relationship: Product 0003 – sale/);
  assert.match(res.text, /Product-tag relationships: 2/);
});

test('filterVertical is the stacked picker, with "+" beside the many-to-many; the popup\'s new tag comes back to it', async () => {
  const eve = await Customer.findOne({ where: { name: 'Eve' } });
  const page = await admin.get(`/admin/shop/customer/${eve.id}/change/`);
  assert.match(page.text, /<select name="interests" id="id_interests" multiple size="6" class="selectfilterstacked" data-field-name="interests" data-is-stacked="1">/);
  assert.match(page.text, /class="related-widget-wrapper-link add-related" id="add_id_interests" href="\/admin\/shop\/tag\/add\/\?_to_field=id&amp;_popup=1"/);
  const saved = await admin.post('/admin/shop/tag/add/?_to_field=id&_popup=1', { name: 'vip', _popup: '1', _to_field: 'id' });
  assert.match(saved.text, /data-popup-response="\{&quot;action&quot;:&quot;add&quot;,&quot;value&quot;:&quot;\d+&quot;,&quot;obj&quot;:&quot;vip&quot;/);
});

test('the change form has the side menu, its model marked current; not the index, not a popup', async () => {
  const form = await admin.get('/admin/shop/product/3/change/');
  assert.match(form.text, /<details class="nav-sidebar" id="nav-sidebar" open>/);
  assert.match(form.text, /<tr class="model-product current-model">\s*<th scope="row"><a href="\/admin\/shop\/product\/" aria-current="page">Products<\/a>/);
  assert.match(form.text, /<div class="main shifted" id="main">/);
  for (const url of ['/admin/shop/product/3/delete/', '/admin/shop/product/3/history/', '/admin/shop/product/add/']) {
    assert.match((await admin.get(url)).text, /id="nav-sidebar"/, url);
  }
  assert.doesNotMatch((await admin.get('/admin/')).text, /id="nav-sidebar"/);
  assert.doesNotMatch((await admin.get('/admin/shop/category/add/?_to_field=id&_popup=1')).text, /id="nav-sidebar"/);
});
