// The books list as an api.resource(): paginated, typed, from plain rows through the resource's compiled reader.
'use strict';
const { configure, model, DataTypes, api, db, getApp } = require('manouche');
const books = require('./data');

configure({ SECRET_KEY: 'bench-only-secret-key', ALLOWED_HOSTS: ['*'], DATABASE_URL: 'sqlite::memory:', APP_LABEL: 'bench', api: true });
const Book = model('Book', {
  title: { type: DataTypes.STRING(200), allowNull: false },
  isbn: { type: DataTypes.STRING(13), allowNull: false, unique: true },
  genre: { type: DataTypes.ENUM('novel', 'essay', 'poetry'), allowNull: false },
  price: { type: DataTypes.DECIMAL(6, 2), allowNull: true },
  available: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
});
api.resource(Book, { path: 'books', read: 'public', fields: ['id', 'title', 'isbn', 'genre', 'price', 'available', 'createdAt'] });

(async () => {
  await db.sync();
  await Book.bulkCreate(books);
  const server = getApp().listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('listening'));
  process.on('message', (m) => { if (m === 'cpu') process.send({ cpu: process.cpuUsage() }); });
  process.on('disconnect', () => server.close(() => process.exit(0)));
})();
