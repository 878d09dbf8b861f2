// The same list as a hand-written manouche route over countRows() + rows() (plain typed rows, the documented way), beside
// manouche-findall.js: the issue asks plain rows ≥ 2× findAll on this route.
'use strict';
const { configure, model, DataTypes, route, db, getApp, rows, countRows } = require('manouche');
const books = require('./data');

configure({ SECRET_KEY: 'bench-only-secret-key', ALLOWED_HOSTS: ['*'], DATABASE_URL: 'sqlite::memory:', APP_LABEL: 'bench' });
const Book = model('Book', {
  title: { type: DataTypes.STRING(200), allowNull: false },
  isbn: { type: DataTypes.STRING(13), allowNull: false, unique: true },
  genre: { type: DataTypes.ENUM('novel', 'essay', 'poetry'), allowNull: false },
  price: { type: DataTypes.DECIMAL(6, 2), allowNull: true },
  available: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
});
route('api/books/', async () => {
  const [count, results] = await Promise.all([
    countRows(Book),
    rows(Book, { attributes: ['id', 'title', 'isbn', 'genre', 'price', 'available', 'createdAt'], order: [['id', 'ASC']], limit: 50, offset: 0 }),
  ]);
  return { count, next: null, previous: null, results };
});

(async () => {
  await db.sync();
  await Book.bulkCreate(books);
  const server = getApp().listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('listening'));
  process.on('message', (m) => { if (m === 'cpu') process.send({ cpu: process.cpuUsage() }); });
  process.on('disconnect', () => server.close(() => process.exit(0)));
})();
