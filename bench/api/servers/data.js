// The rows every API bench server serves: 20 books, the same in each database.
'use strict';
const GENRES = ['novel', 'essay', 'poetry'];
module.exports = Array.from({ length: 20 }, (_, i) => ({
  title: `Book number ${i + 1}`,
  isbn: String(9780000000000 + i),
  genre: GENRES[i % 3],
  price: (5 + i * 0.25).toFixed(2),
  available: i % 2 === 0,
  createdAt: new Date(Date.UTC(2024, 0, 1 + i)),
  updatedAt: new Date(Date.UTC(2024, 0, 1 + i)),
}));
