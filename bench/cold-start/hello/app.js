// The README's quick start app, as the cold start bench serves it (`serve --workers 1`).
const { configure, route, run } = require('manouche');

configure({ DEBUG: false, SECRET_KEY: 'bench-only-secret-key-bench-only-secret-key-1234', ALLOWED_HOSTS: ['*'] });

route('', (req) => `Hello, ${req.query.name ?? 'World'}!`, { name: 'homepage' });

module.exports = run();
