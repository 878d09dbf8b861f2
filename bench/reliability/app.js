// The app the reliability bench serves: the admin on one model, a JSON write route, a slow route; DEBUG off.
const { configure, model, DataTypes, admin, ModelAdmin, route, run, csrfExempt } = require('manouche');

configure({
  admin: true,
  DEBUG: false,
  APP_LABEL: 'reliability',
  SECRET_KEY: 'reliability-bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz',
  ALLOWED_HOSTS: ['127.0.0.1'],
  // Cheaper password hashing: 50 logins are set-up here, not what is measured.
  SCRYPT_PARAMS: { N: 2 ** 14, r: 8, p: 1 },
});

const Item = model('Item', {
  name: { type: DataTypes.STRING(100), allowNull: false },
  qty: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
}, { ordering: ['-id'] });

class ItemAdmin extends ModelAdmin {
  listDisplay = ['name', 'qty'];
  listEditable = ['qty'];
}
admin.register(Item, ItemAdmin);

route('', async () => ({ items: await Item.count() }), { name: 'home' });
route('slow/', async () => { await new Promise((r) => setTimeout(r, 200)); return { ok: true }; }, { name: 'slow' });
// A write acknowledged only once committed: the id is what the kill -9 case checks.
route('write/', csrfExempt(async (req) => ({ id: (await Item.create({ name: String(req.body?.name ?? 'w').slice(0, 100), qty: 1 })).id })), { name: 'write', methods: ['POST'] });

module.exports = run();
