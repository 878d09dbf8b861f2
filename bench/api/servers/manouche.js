// The books list as an api.resource(): paginated, typed, from plain rows through the resource's compiled reader.
'use strict';
const { configure, model, DataTypes, api, db, getApp } = require('manouche');
const books = require('./data');
const { bookFields, LIST_ATTRIBUTES, serveForBench } = require('./bench-server');

configure({ SECRET_KEY: 'bench-only-secret-key', ALLOWED_HOSTS: ['*'], DATABASE_URL: 'sqlite::memory:', APP_LABEL: 'bench', api: true });
const Book = model('Book', bookFields(DataTypes));
api.resource(Book, { path: 'books', read: 'public', fields: LIST_ATTRIBUTES });

(async () => {
  await db.sync();
  await Book.bulkCreate(books);
  serveForBench(getApp());
})();
