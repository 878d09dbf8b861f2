// The REST seed grown up: a library's JSON API from its models, with tokens, permissions, OpenAPI docs and tests.
// Run it:   node demo/library/app.js dev        then open http://127.0.0.1:8000/api/docs/
// A token:  node demo/library/app.js createtoken admin     Test it:   node demo/library/app.js test
const assert = require('node:assert/strict');
const { configure, model, DataTypes, api, z, User, Permission, command, test, run } = require('manouche');

configure({ DEBUG: process.env.DEBUG !== '0', admin: true, api: true });

const Author = model('Author', {
  name: { type: DataTypes.STRING(100), allowNull: false },
  born: { type: DataTypes.DATEONLY, allowNull: true },
}, { ordering: ['name'] });

const Book = model('Book', {
  title: { type: DataTypes.STRING(200), allowNull: false },
  isbn: { type: DataTypes.STRING(13), allowNull: false, unique: true, validate: { is: { args: /^\d{13}$/, msg: 'An ISBN is 13 digits.' } } },
  genre: { type: DataTypes.ENUM('novel', 'essay', 'poetry'), allowNull: false, defaultValue: 'novel' },
  price: { type: DataTypes.DECIMAL(6, 2), allowNull: true },
  available: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
}, { ordering: ['title'] });

Book.belongsTo(Author, { as: 'author', foreignKey: { name: 'authorId', allowNull: false }, onDelete: 'CASCADE' });
Book.belongsTo(User, { as: 'addedBy', foreignKey: { name: 'addedById', allowNull: true }, onDelete: 'SET NULL' });

// Anyone may read; writing needs the model permissions (blog-style: library.add_book …), by session or token.
api.resource(Author, { path: 'authors', fields: ['id', 'name', 'born'], read: 'public', searchFields: ['name'], orderingFields: ['name', 'born'] });
api.resource(Book, {
  path: 'books',
  fields: ['id', 'title', 'isbn', 'genre', 'price', 'available', 'authorId', 'addedById', 'createdAt'],
  readOnlyFields: ['addedById', 'createdAt'],
  filterFields: ['genre', 'available', 'authorId', 'price'],
  searchFields: ['title', '=isbn', 'author__name'],
  orderingFields: ['title', 'price', 'createdAt'],
  expand: ['author'],
  read: 'public',
  throttle: '600/minute',
  perform: { create: (req, data) => ({ ...data, addedById: req.user.id }) },
});

api.get('stats/', {
  query: z.object({ genre: z.enum(['novel', 'essay', 'poetry']).optional() }),
  response: z.object({ books: z.number().int(), available: z.number().int() }),
  summary: 'How many books, and how many can be borrowed',
}, async (req, { query }) => {
  const where = query.genre ? { genre: query.genre } : {};
  return { books: await Book.count({ where }), available: await Book.count({ where: { ...where, available: true } }) };
});

command('seed', async (cmd) => {
  const [ursula] = await Author.findOrCreate({ where: { name: 'Ursula K. Le Guin' }, defaults: { born: '1929-10-21' } });
  await Book.findOrCreate({ where: { isbn: '9780060512750' }, defaults: { title: 'The Dispossessed', authorId: ursula.id, price: '9.99' } });
  await Book.findOrCreate({ where: { isbn: '9780441478125' }, defaults: { title: 'The Left Hand of Darkness', authorId: ursula.id, price: '8.50' } });
  cmd.stdout.write(cmd.style.success('Seeded one author and two books.\n'));
}, { help: 'Adds an author and two books, for a first look at /api/books/.' });

// Tests (node demo/library/app.js test) ---------------------------------------------------------------------

async function librarian() {
  const user = await User.createUser({ username: 'librarian', password: 'correct horse battery' });
  await user.setUserPermissions(await Permission.findAll({ where: { codename: ['add_book', 'change_book', 'delete_book'] } }));
  return { user, headers: { authorization: `Token ${await api.createToken(user, 'tests')}` } };
}

test('anyone reads the books, paginated, with the author nested on request', async ({ client }) => {
  const author = await Author.create({ name: 'Ann' });
  await Book.create({ title: 'B', isbn: '1234567890123', authorId: author.id, price: '5.00' });
  const res = await client.get('/api/books/?expand=author');
  assert.equal(res.status, 200);
  const { count, results } = res.json();
  assert.equal(count, 1);
  assert.equal(results[0].price, '5.00');
  assert.deepEqual(results[0].author, { id: author.id, name: 'Ann', born: null });
});

test('a token with the add permission creates a book; validation speaks per field', async ({ client }) => {
  const author = await Author.create({ name: 'Ann' });
  const { user, headers } = await librarian();
  const bad = await client.post('/api/books/', { title: 'X', isbn: 'nope', authorId: author.id }, { json: true, headers });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.json().errors, { isbn: ['An ISBN is 13 digits.'] });
  const res = await client.post('/api/books/', { title: 'X', isbn: '9780000000001', authorId: author.id }, { json: true, headers });
  assert.equal(res.status, 201);
  assert.equal(res.json().addedById, user.id);
});

test('without credentials, writes are 401 and nothing changes', async ({ client }) => {
  const res = await client.post('/api/books/', { title: 'X' }, { json: true });
  assert.equal(res.status, 401);
  assert.equal(await Book.count(), 0);
});

module.exports = run();
