// The same list hand-written in express 5 + sequelize, as a tutorial would: count + findAll, res.json of the instances.
// sequelize's SQLite dialect asks for the sqlite3 package, which manouche no longer installs: the peer gets the same
// driver manouche runs on (its sqlite3-compatible adapter over @photostructure/sqlite), so the two differ only above it.
'use strict';
const express = require('express');
const { Sequelize, DataTypes } = require('sequelize');
const { sqliteDriver } = require('../../../dist/core/db/sqlite-driver');
const books = require('./data');
const { bookFields, LIST_ATTRIBUTES, serveForBench } = require('./bench-server');

const sequelize = new Sequelize({ dialect: 'sqlite', storage: ':memory:', logging: false, dialectModule: sqliteDriver() });
const Book = sequelize.define('Book', bookFields(DataTypes));

const app = express();
app.get('/api/books/', async (req, res, next) => {
  try {
    const pageSize = 50;
    const page = Number(req.query.page ?? 1);
    const [count, results] = await Promise.all([
      Book.count(),
      Book.findAll({ attributes: LIST_ATTRIBUTES, order: [['id', 'ASC']], limit: pageSize, offset: (page - 1) * pageSize }),
    ]);
    res.json({ count, next: null, previous: null, results });
  } catch (err) { next(err); }
});

(async () => {
  await sequelize.sync();
  await Book.bulkCreate(books);
  serveForBench(app);
})();
