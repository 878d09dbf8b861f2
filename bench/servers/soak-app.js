// The app bench/soak.js serves: a static JSON route, plain rows, model instances, a write, a 404 and a 400, DEBUG off,
// on a SQLite file. It answers 'mem' (memoryUsage() after a full collection; run it with --expose-gc) over IPC.
'use strict';
const { configure, model, DataTypes, route, getApp, rows, csrfExempt, BadRequest } = require('manouche');
const characters = require('./data');

configure({ DEBUG: false, APP_LABEL: 'soak', SECRET_KEY: 'soak-bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz',
  ALLOWED_HOSTS: ['127.0.0.1'], DATABASE_URL: `sqlite:${process.env.SOAK_DB}` });
const Item = model('Item', {
  name: { type: DataTypes.STRING(100), allowNull: false },
  qty: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
  active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
}, { ordering: ['-id'] });

route('api/characters/', () => ({ data: characters }), { name: 'characters' });
route('rows/', async () => ({ results: await rows(Item, { limit: 20 }) }), { name: 'rows' });
route('objects/', async () => ({ results: await Item.findAll({ limit: 20 }) }), { name: 'objects' });
route('bad/', () => { throw new BadRequest('Always a bad request.'); }, { name: 'bad' });
// Writes grow the table, not the heap: each adds one row.
route('write/', csrfExempt(async () => ({ id: (await Item.create({ name: 'soak', qty: 1 })).id })), { name: 'write', methods: ['POST'] });

(async () => {
  await require('../../dist/core/db/migrations').migrate({ quiet: true, syncUnmigrated: true });
  await Item.bulkCreate(Array.from({ length: 100 }, (_, i) => ({ name: `item ${i}`, qty: i })));
  const server = getApp().listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('listening'));
  process.on('disconnect', () => server.close(() => process.exit(0)));
})();
process.on('message', (m) => { if (m === 'mem') { global.gc?.(); process.send({ mem: process.memoryUsage() }); } });
