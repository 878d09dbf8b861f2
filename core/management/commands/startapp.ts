// `startapp name` (also `npx manouche startapp name`): writes name/app.js, a working single-file starter.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { CommandError } from '../../conf/errors';
import type { CommandSpec } from './registry';

/**
 * The starter app.js: settings, an HTML page from an inline template, a JSON route, a test, and run().
 * @example fs.writeFileSync('blog/app.js', starterApp('blog'))
 */
export function starterApp(name: string): string {
  return `// ${name}/app.js: a manouche app in one file. Try \`node app.js runserver\`, \`node app.js test\`, \`node app.js help\`.
const assert = require('node:assert');
const { configure, route, run, template, render, test } = require('manouche');

// Development settings. In production set DEBUG: false and the SECRET_KEY environment variable.
configure({ DEBUG: true });

template.add('index.html', \`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ title }}</title></head>
<body>
  <h1>{{ title }}</h1>
  <p>Edit app.js: the server restarts with your changes; refresh to see them. The JSON API lives at <a href="{{ url('api-hello') }}">{{ url('api-hello') }}</a>.</p>
</body>
</html>
\`);

route('', (req) => render(req, 'index.html', { title: 'Welcome to ${name}' }), { name: 'index' });

route('api/hello/', (req) => ({ message: \`Hello, \${req.query.name || 'world'}!\` }), { name: 'api-hello' });

test('the home page renders', async ({ client }) => {
  const res = await client.get('/');
  assert.equal(res.status, 200);
  assert.match(res.text, /Welcome to ${name}/);
}, { db: false });

test('the API says hello', async ({ client }) => {
  const res = await client.get('/api/hello/', { query: { name: 'Django' } });
  assert.equal(res.status, 200);
  assert.deepEqual(res.json(), { message: 'Hello, Django!' });
}, { db: false });

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
  help: 'Creates name/app.js: a working single-file app with a page, a JSON route and tests.',
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
    ctx.stdout.write(`${ctx.style.success(`Created ${path.join(rel, 'app.js')}.`)}\nNext:\n  cd ${rel}\n  node app.js runserver\n  node app.js test\n`);
    return 0;
  },
};

export default startapp;
