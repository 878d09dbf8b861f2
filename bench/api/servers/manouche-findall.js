// The same list as a hand-written manouche route over findAll + count (model instances), to isolate what rows() saves.
'use strict';
const { configure, model, DataTypes, route, db, getApp } = require('manouche');
const books = require('./data');
const { bookFields, LIST_ATTRIBUTES, serveForBench } = require('./bench-server');

configure({ SECRET_KEY: 'bench-only-secret-key', ALLOWED_HOSTS: ['*'], DATABASE_URL: 'sqlite::memory:', APP_LABEL: 'bench' });
const Book = model('Book', bookFields(DataTypes));
route('api/books/', async () => {
  const [count, results] = await Promise.all([
    Book.count(),
    Book.findAll({ attributes: LIST_ATTRIBUTES, order: [['id', 'ASC']], limit: 50, offset: 0 }),
  ]);
  return { count, next: null, previous: null, results };
});

(async () => {
  await db.sync();
  await Book.bulkCreate(books);
  serveForBench(getApp());
})();
