// The payload every server answers on GET /api/characters/: the same list of 20 small objects.
'use strict';
const NAMES = ['Rick Sanchez', 'Morty Smith', 'Summer Smith', 'Beth Smith', 'Jerry Smith'];
module.exports = Array.from({ length: 20 }, (_, i) => ({ id: i + 1, name: NAMES[i % NAMES.length], age: 14 + i, alive: i % 3 !== 0 }));
