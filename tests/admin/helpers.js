// Shared set-up for the admin tests: an app with posts, tags and comments, a test database, users with permissions.
'use strict';
const { before, after, beforeEach } = require('node:test');
const path = require('node:path');

process.env.MANOUCHE_TESTING = '1';
const m = require('manouche');

/** Settings of every admin test app: the admin on, label `blog`, cheap hashing, the database from DATABASE_URL. */
function adminTestSettings(extra = {}) {
  return {
    DEBUG: false,
    SECRET_KEY: 'admin-tests-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz',
    ALLOWED_HOSTS: ['testserver', 'localhost'],
    SCRYPT_PARAMS: { N: 1024, r: 8, p: 1 },
    SESSION_STORE: 'memory',
    APP_LABEL: 'blog',
    MEDIA_ROOT: path.join(require('node:os').tmpdir(), `manouche-admin-media-${process.pid}`),
    DATABASE_URL: process.env.DATABASE_URL || 'sqlite::memory:',
    admin: true,
    ...extra,
  };
}

/** Configures a blog-like app with posts, tags (many-to-many), comments (FK) and authors (FK to User). */
function setupBlog(extra = {}) {
  m.configure(adminTestSettings(extra));
  const { DataTypes, model } = m;
  const Tag = model('Tag', { name: { type: DataTypes.STRING(50), allowNull: false, unique: true } }, { ordering: ['name'] });
  const Post = model('Post', {
    title: { type: DataTypes.STRING(200), allowNull: false, helpText: 'A short, catchy title.' },
    body: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
    status: { type: DataTypes.ENUM('draft', 'published'), allowNull: false, defaultValue: 'draft' },
    published: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    rating: { type: DataTypes.DECIMAL(4, 2), allowNull: true },
    pubDate: { type: DataTypes.DATEONLY, allowNull: true },
    meta: { type: DataTypes.JSON, allowNull: true },
    email: { type: DataTypes.STRING(100), allowNull: true, validate: { isEmail: true } },
  }, { ordering: ['-id'] });
  const Comment = model('Comment', {
    body: { type: DataTypes.STRING(200), allowNull: false },
    approved: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
  });
  Post.belongsTo(m.User, { as: 'author', foreignKey: { name: 'authorId', allowNull: true }, onDelete: 'SET NULL' });
  // The join table is a model of its own, so that migrations (and the test database) know it.
  const PostTag = model('PostTag', {}, { tableName: 'blog_post_tags', timestamps: false });
  Post.belongsToMany(Tag, { through: PostTag, as: 'tags', foreignKey: 'postId', otherKey: 'tagId' });
  Tag.belongsToMany(Post, { through: PostTag, as: 'posts', foreignKey: 'tagId', otherKey: 'postId' });
  Comment.belongsTo(Post, { as: 'post', foreignKey: { name: 'postId', allowNull: false }, onDelete: 'CASCADE' });
  Post.hasMany(Comment, { as: 'comments', foreignKey: 'postId' });
  return { m, Tag, Post, Comment };
}

/** Runs the framework's test lifecycle (create + migrate the test database, flush before each test, drop after). */
function useTestDatabase() {
  const { state, closeAll } = require('../../dist/core/conf/state');
  before(async () => { for (const h of state.testLifecycle) await h.beforeAll?.(); });
  beforeEach(async () => { for (const h of state.testLifecycle) await h.beforeEach?.({ db: true }); });
  after(async () => {
    for (const h of state.testLifecycle) await h.afterAll?.();
    await closeAll();
  });
}

/** A logged-in test client for a new superuser (or a staff user with the given permission codenames). */
async function clientFor({ username = 'admin', superuser = true, staff = true, perms = [] } = {}) {
  const { User, Permission, Client } = m;
  const user = await User.createUser({ username, password: 'correct horse battery', isStaff: staff, isSuperuser: superuser, email: `${username}@example.com` });
  if (perms.length) {
    const rows = await Permission.findAll({ where: { codename: perms.map((p) => p.split('.').pop()) } });
    await user.setUserPermissions(rows);
  }
  const client = new Client();
  await client.forceLogin(user);
  return { client, user };
}

module.exports = { adminTestSettings, setupBlog, useTestDatabase, clientFor };
