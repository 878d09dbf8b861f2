// The same list in raw node:http + manouche's SQLite package used directly (DatabaseSync): two prepared queries,
// booleans and decimals converted by hand.
'use strict';
const http = require('node:http');
const { DatabaseSync } = require('@photostructure/sqlite');
const books = require('./data');
const { serveForBench } = require('./bench-server');

const db = new DatabaseSync(':memory:');
const run = async (sql, params = []) => { db.prepare(sql).run(...params); };
const all = async (stmt, params) => stmt.all(...params);

(async () => {
  await run('CREATE TABLE books (id INTEGER PRIMARY KEY AUTOINCREMENT, title VARCHAR(200) NOT NULL, isbn VARCHAR(13) NOT NULL UNIQUE, genre TEXT NOT NULL, price DECIMAL(6,2), available TINYINT(1) NOT NULL, createdAt DATETIME NOT NULL, updatedAt DATETIME NOT NULL)');
  for (const b of books) await run('INSERT INTO books (title, isbn, genre, price, available, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?)', [b.title, b.isbn, b.genre, b.price, b.available ? 1 : 0, b.createdAt.toISOString(), b.updatedAt.toISOString()]);
  const countStmt = db.prepare('SELECT COUNT(*) AS n FROM books');
  const listStmt = db.prepare('SELECT id, title, isbn, genre, price, available, createdAt FROM books ORDER BY id LIMIT ? OFFSET ?');
  const server = http.createServer(async (req, res) => {
    if (req.method !== 'GET' || !req.url.startsWith('/api/books/')) { res.writeHead(404).end(); return; }
    try {
      const [[{ n }], rows] = await Promise.all([all(countStmt, []), all(listStmt, [50, 0])]);
      const results = rows.map((r) => ({ id: r.id, title: r.title, isbn: r.isbn, genre: r.genre, price: r.price === null ? null : Number(r.price).toFixed(2), available: r.available === 1, createdAt: new Date(r.createdAt) }));
      const body = JSON.stringify({ count: n, next: null, previous: null, results });
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
    } catch (err) { res.writeHead(500).end(String(err)); }
  });
  serveForBench(server);
})();
