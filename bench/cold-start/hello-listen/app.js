// The quick start app served without the command line: `getApp().listen()`, as an app embedded in a program (or a
// process manager's entry file) starts it. Beside the `serve` case, it shows what the command line costs.
const { configure, route, getApp } = require('manouche');

configure({ DEBUG: false, SECRET_KEY: 'bench-only-secret-key-bench-only-secret-key-1234', ALLOWED_HOSTS: ['*'] });

route('', (req) => `Hello, ${req.query.name ?? 'World'}!`, { name: 'homepage' });

getApp().listen(Number(process.env.PORT), '127.0.0.1');
