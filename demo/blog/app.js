// django-micro's "full-featured" example, in manouche: posts, tags, comments and authors, with a rich admin.
// Run it:   npm run demo   (node demo/blog/app.js dev: migrations, an admin user, runserver)
// A first post: node demo/blog/app.js seed        Test it:  node demo/blog/app.js test
const assert = require('node:assert/strict');
const {
  configure, route, run, model, DataTypes, Op, admin, ModelAdmin, User, render, Http404, command, template, test,
} = require('manouche');

configure({ DEBUG: process.env.DEBUG !== '0', admin: true });

// Models ----------------------------------------------------------------------------------------------------

const Tag = model('Tag', {
  name: { type: DataTypes.STRING(50), allowNull: false, unique: true },
}, { ordering: ['name'] });

const Post = model('Post', {
  title: { type: DataTypes.STRING(200), allowNull: false },
  slug: { type: DataTypes.STRING(200), allowNull: false, unique: true, helpText: 'The post’s address: /posts/<slug>/.' },
  content: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
  status: { type: DataTypes.ENUM('draft', 'published'), allowNull: false, defaultValue: 'draft' },
  featured: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
  publishedAt: { type: DataTypes.DATE, allowNull: true, helpText: 'Empty until the post is published.' },
}, { ordering: ['-createdAt'] });

// The join table is a model of its own so that makemigrations writes it.
const PostTag = model('PostTag', {}, { tableName: 'blog_post_tags', timestamps: false });

const Comment = model('Comment', {
  name: { type: DataTypes.STRING(80), allowNull: false },
  email: { type: DataTypes.STRING(254), allowNull: false, validate: { isEmail: true } },
  body: { type: DataTypes.TEXT, allowNull: false },
  approved: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
}, { ordering: ['createdAt'], display: (c) => `${c.name}: ${String(c.body).slice(0, 40)}` });

Post.belongsTo(User, { as: 'author', foreignKey: { name: 'authorId', allowNull: true }, onDelete: 'SET NULL' });
Post.belongsToMany(Tag, { through: PostTag, as: 'tags', foreignKey: 'postId', otherKey: 'tagId' });
Tag.belongsToMany(Post, { through: PostTag, as: 'posts', foreignKey: 'tagId', otherKey: 'postId' });
Comment.belongsTo(Post, { as: 'post', foreignKey: { name: 'postId', allowNull: false }, onDelete: 'CASCADE' });
Post.hasMany(Comment, { as: 'comments', foreignKey: 'postId' });

// Admin -----------------------------------------------------------------------------------------------------

admin.site.siteHeader = 'Blog administration';
admin.site.siteTitle = 'Blog admin';

class CommentInline extends admin.TabularInline {
  model = Comment;
  fields = ['name', 'email', 'body', 'approved'];
  extra = 1;
}

async function publish(modelAdmin, req, queryset) {
  await queryset.update({ status: 'published', publishedAt: new Date() });
}
async function unpublish(modelAdmin, req, queryset) {
  await queryset.update({ status: 'draft', publishedAt: null });
}

// A computed column: any function of the object, labelled by its description.
const commentCount = Object.assign(async function commentCount(post) {
  return Comment.count({ where: { postId: post.id } });
}, { description: 'comments' });

admin.register(Post, class PostAdmin extends ModelAdmin {
  listDisplay = ['title', 'author', 'status', 'featured', commentCount, 'createdAt'];
  listFilter = ['status', 'featured', 'createdAt', 'author', 'tags'];
  searchFields = ['title', 'content', 'author__username'];
  dateHierarchy = 'createdAt';
  listEditable = ['featured'];
  fieldsets = [
    [null, { fields: ['title', 'slug', 'content'] }],
    ['Publishing', { fields: [['status', 'featured'], 'publishedAt', 'authorId', 'tags'] }],
  ];
  inlines = [CommentInline];
  actions = [
    admin.action(publish, { description: 'Mark selected posts as published', permissions: ['change'] }),
    admin.action(unpublish, { description: 'Mark selected posts as drafts', permissions: ['change'] }),
  ];

  // New posts belong to whoever writes them.
  async saveModel(req, post, form, change) {
    if (!change && !post.authorId) post.authorId = req.user.id;
    await super.saveModel(req, post, form, change);
  }
});

admin.register(Tag, { listDisplay: ['name'], searchFields: ['name'] });
admin.register(Comment, {
  listDisplay: ['name', 'post', 'approved', 'createdAt'],
  listFilter: ['approved', 'createdAt'],
  searchFields: ['name', 'email', 'body'],
  autocompleteFields: ['postId'],
});

// Pages -----------------------------------------------------------------------------------------------------

template.filter('excerpt', (text, words = 30) => {
  const parts = String(text ?? '').split(/\s+/);
  return parts.length > words ? `${parts.slice(0, words).join(' ')}…` : parts.join(' ');
});

const published = { status: 'published' };

route('', async (req) => render(req, 'index.html', {
  posts: await Post.findAll({ where: published, include: ['author', 'tags'], order: [['publishedAt', 'DESC'], ['id', 'DESC']] }),
}), { name: 'homepage' });

route('posts/<slug:slug>/', async (req, { slug }) => {
  const post = await Post.findOne({ where: { slug, ...published }, include: ['author', 'tags'] });
  if (!post) throw new Http404(`No post “${slug}”.`);
  const comments = await Comment.findAll({ where: { postId: post.id, approved: true } });
  return render(req, 'post.html', { post, comments });
}, { name: 'post-detail' });

route('tags/<str:name>/', async (req, { name }) => {
  const tag = await Tag.findOne({ where: { name } });
  if (!tag) throw new Http404(`No tag “${name}”.`);
  const posts = await tag.getPosts({ where: published, include: ['author', 'tags'] });
  return render(req, 'index.html', { posts, tag });
}, { name: 'tag-detail' });

// Commands --------------------------------------------------------------------------------------------------

command('seed', async (cmd) => {
  const [js, django] = await Promise.all(['javascript', 'django'].map((name) => Tag.findOrCreate({ where: { name } }).then(([t]) => t)));
  const [post] = await Post.findOrCreate({
    where: { slug: 'hello-manouche' },
    defaults: { title: 'Hello, manouche', content: 'Django’s batteries, in one Node.js file.', status: 'published', publishedAt: new Date() },
  });
  await post.setTags([js, django]);
  cmd.stdout.write(cmd.style.success('Seeded one post with two tags.\n'));
}, { help: 'Adds a published post with tags, for a first look.' });

// Tests (node demo/blog/app.js test) ------------------------------------------------------------------------

test('the homepage lists published posts only', async ({ client }) => {
  await Post.create({ title: 'Out', slug: 'out', status: 'published', publishedAt: new Date() });
  await Post.create({ title: 'Hidden', slug: 'hidden' });
  const res = await client.get('/');
  assert.equal(res.status, 200);
  assert.match(res.text, /Out/);
  assert.doesNotMatch(res.text, /Hidden/);
});

test('a post page shows approved comments and 404s for drafts', async ({ client }) => {
  const post = await Post.create({ title: 'Talk', slug: 'talk', status: 'published' });
  await Comment.bulkCreate([
    { postId: post.id, name: 'Ann', email: 'ann@example.com', body: 'Approved <b>comment</b>', approved: true },
    { postId: post.id, name: 'Spam', email: 'spam@example.com', body: 'Buy now' },
  ]);
  const res = await client.get('/posts/talk/');
  assert.match(res.text, /Approved &lt;b&gt;comment&lt;\/b&gt;/);
  assert.doesNotMatch(res.text, /Buy now/);
  await Post.create({ title: 'Draft', slug: 'draft' });
  assert.equal((await client.get('/posts/draft/')).status, 404);
});

test('a superuser adds a post with a comment inline in the admin', async ({ client }) => {
  const user = await User.createSuperuser({ username: 'editor', password: 'correct horse battery', email: 'e@example.com' });
  await client.forceLogin(user);
  const res = await client.post('/admin/blog/post/add/', {
    title: 'From the admin', slug: 'from-the-admin', content: 'Hi', status: 'published',
    'comment_set-TOTAL_FORMS': '1', 'comment_set-INITIAL_FORMS': '0',
    'comment_set-0-name': 'Ann', 'comment_set-0-email': 'ann@example.com', 'comment_set-0-body': 'First!',
  });
  assert.equal(res.status, 302);
  const post = await Post.findOne({ where: { slug: 'from-the-admin' }, include: ['comments'] });
  assert.equal(post.authorId, user.id);
  assert.equal(post.comments.length, 1);
});

module.exports = run();
