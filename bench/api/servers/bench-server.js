// What every API bench server shares: the Book model's fields and the runner's protocol (listen on PORT, say
// 'listening', answer 'cpu' with the process's CPU usage, stop when the runner disconnects).
'use strict';

/** The Book model's fields, for sequelize.define() and manouche's model() alike. */
function bookFields(DataTypes) {
  return {
    title: { type: DataTypes.STRING(200), allowNull: false },
    isbn: { type: DataTypes.STRING(13), allowNull: false, unique: true },
    genre: { type: DataTypes.ENUM('novel', 'essay', 'poetry'), allowNull: false },
    price: { type: DataTypes.DECIMAL(6, 2), allowNull: true },
    available: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
  };
}

/** The columns each server lists, in this order. */
const LIST_ATTRIBUTES = ['id', 'title', 'isbn', 'genre', 'price', 'available', 'createdAt'];

/** Serves `handler` (an express app or a node:http server) for bench/api/run.js. */
function serveForBench(handler) {
  const server = handler.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('listening'));
  process.on('message', (m) => { if (m === 'cpu') process.send({ cpu: process.cpuUsage() }); });
  process.on('disconnect', () => server.close(() => process.exit(0)));
  return server;
}

module.exports = { bookFields, LIST_ATTRIBUTES, serveForBench };
