// The quick start app with `admin: true` and one model registered, as the cold start bench serves it.
const { configure, route, run, model, DataTypes, admin } = require('manouche');

configure({ admin: true, SECRET_KEY: 'bench-only-secret-key-bench-only-secret-key-1234', ALLOWED_HOSTS: ['*'], DATABASE_URL: process.env.DATABASE_URL || 'sqlite::memory:' });

const Post = model('Post', { title: { type: DataTypes.STRING(200), allowNull: false } });
admin.register(Post, { listDisplay: ['title'] });

route('', (req) => `Hello, ${req.query.name ?? 'World'}!`, { name: 'homepage' });

module.exports = run();
