// `startapp name` (also `npx manouche startapp name`): writes name/app.js, a single-file starter with the admin on.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { CommandError } from '../../conf/errors';
import type { CommandSpec } from './registry';

/**
 * The starter app.js: the admin switched on, one model registered with it, a page listing the model's rows, a JSON
 * route, tests, and run(). `node app.js dev` makes its migration, creates a superuser and serves /admin/.
 * @example fs.writeFileSync('blog/app.js', starterApp('blog'))
 */
export function starterApp(name: string): string {
  const label = name.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return `// ${name}/app.js: a manouche app in one file. Start with \`node app.js dev\` (migrations, an admin user, the server),
// then \`node app.js test\` and \`node app.js help\`.
const assert = require('node:assert');
const { configure, model, DataTypes, admin, User, route, run, template, render, test } = require('manouche');

// Development settings. In production set DEBUG: false and the SECRET_KEY environment variable.
// admin: true switches on the admin at /admin/, and the auth and sessions it needs.
configure({ DEBUG: true, admin: true });

// A model: its table is ${label}_item. After changing it, \`node app.js makemigrations\` writes migrations/ and
// \`node app.js migrate\` applies them (\`dev\` does both).
const Item = model('Item', {
  name: { type: DataTypes.STRING(200), allowNull: false },
  description: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
}, { ordering: ['name'], display: (item) => item.name });

// The admin lists, searches, adds and edits items.
admin.register(Item, { listDisplay: ['name', 'createdAt'], searchFields: ['name', 'description'] });

template.add('index.html', \`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ title }}</title></head>
<body>
  <h1>{{ title }}</h1>
  <ul>{% for item in items %}<li>{{ item.name }}</li>{% else %}<li>No items yet: add some in the <a href="/admin/">admin</a>.</li>{% endfor %}</ul>
  <p>Edit app.js: the server restarts with your changes; refresh to see them. JSON: <a href="{{ url('api-items') }}">{{ url('api-items') }}</a>.</p>
</body>
</html>
\`);

route('', async (req) => render(req, 'index.html', { title: 'Welcome to ${name}', items: await Item.findAll() }), { name: 'index' });

route('api/items/', async () => ({ items: (await Item.findAll()).map((item) => ({ id: item.id, name: item.name })) }), { name: 'api-items' });

test('the home page lists the items', async ({ client }) => {
  await Item.create({ name: 'First item' });
  const res = await client.get('/');
  assert.equal(res.status, 200);
  assert.match(res.text, /First item/);
});

test('the admin lists items to a superuser', async ({ client }) => {
  await Item.create({ name: 'Listed in the admin' });
  await client.forceLogin(await User.createSuperuser({ username: 'boss', email: '', password: 'a long enough password' }));
  const res = await client.get('/admin/${label}/item/');
  assert.equal(res.status, 200);
  assert.match(res.text, /Listed in the admin/);
});

test('the API lists the items as JSON', async ({ client }) => {
  await Item.create({ name: 'Tea' });
  const res = await client.get('/api/items/');
  assert.equal(res.status, 200);
  assert.deepEqual(res.json().items.map((item) => item.name), ['Tea']);
});

module.exports = run();
`;
}

/**
 * Checks an app name: letters, digits, '_' and '-', starting with a letter (it becomes the folder and the app label).
 * @example validateAppName('blog') // undefined; validateAppName('1blog') // an error message
 */
export function validateAppName(name: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) {
    return `'${name}' is not a valid app name. Use letters, digits, '_' or '-', starting with a letter (e.g. blog).`;
  }
  return undefined;
}

const startapp: CommandSpec = {
  name: 'startapp',
  app: 'manouche',
  help: 'Creates name/app.js: a single-file app with a model, its admin, a page, a JSON route and tests.',
  addArguments(cmd: Command) {
    cmd.argument('<name>', 'the app\'s name, also its folder');
    cmd.argument('[directory]', 'where to create the folder (default: the current directory)');
  },
  handle(ctx, _options, name: string, directory?: string) {
    const invalid = validateAppName(name);
    if (invalid) throw new CommandError(invalid);
    const dir = path.resolve(directory ?? process.cwd(), name);
    if (fs.existsSync(dir)) throw new CommandError(`'${dir}' already exists. Pick another name or remove the folder.`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'app.js'), starterApp(name));
    const rel = path.relative(process.cwd(), dir) || '.';
    ctx.stdout.write(`${ctx.style.success(`Created ${path.join(rel, 'app.js')}.`)}\nNext:\n  cd ${rel}\n  node app.js dev     # migrations, an admin user (its password printed once), the server\n  node app.js test\n`);
    return 0;
  },
};

export default startapp;
