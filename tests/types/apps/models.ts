// Models typed from their definition: attributes, nullability, what create() needs, findAll() rows.
import { configure, model, DataTypes, route, json, Http404 } from 'manouche';
import type { InstanceOf } from 'manouche';

configure({ DEBUG: true });

const Post = model('Post', {
  title: { type: DataTypes.STRING(255), allowNull: false },
  slug: { type: DataTypes.STRING(255), allowNull: false, unique: true },
  content: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
  status: { type: DataTypes.ENUM('draft', 'published'), allowNull: false, defaultValue: 'draft' },
  views: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
  publishedAt: { type: DataTypes.DATE },
}, { ordering: ['-createdAt'] });

async function examples() {
  const post = await Post.create({ title: 'Hello', slug: 'hello' });
  const title: string = post.title;
  const status: 'draft' | 'published' = post.status;
  const id: number = post.id;
  const created: Date = post.createdAt;
  // @ts-expect-error publishedAt may be null (allowNull is not false)
  const published: Date = post.publishedAt;
  // @ts-expect-error no such attribute
  post.titel;
  // @ts-expect-error title is required by create()
  await Post.create({ slug: 'no-title' });
  // @ts-expect-error views is a number
  await Post.create({ title: 'x', slug: 'x', views: 'many' });
  // @ts-expect-error not a status
  await Post.create({ title: 'x', slug: 'x', status: 'archived' });
  const posts = await Post.findAll({ where: { status: 'published' } });
  const titles: string[] = posts.map((p) => p.title);
  // @ts-expect-error where is checked against the attributes
  await Post.findAll({ where: { titel: 'x' } });
  const one = await Post.findOne({ where: { slug: 'hello' } });
  const maybe: string | undefined = one?.content;
  return [title, status, id, created, published, titles, maybe];
}

const Tag = model('Tag', {
  name: { type: DataTypes.STRING(50), allowNull: false, primaryKey: true },
}, { timestamps: false });

async function tags() {
  const tag = await Tag.create({ name: 'news' });
  // @ts-expect-error a primary key of its own: no implicit id
  tag.id;
  // @ts-expect-error timestamps: false
  tag.createdAt;
  return tag.name.toUpperCase();
}

type PostRow = InstanceOf<typeof Post>;
function headline(post: PostRow): string {
  return `${post.title} (${post.views} views)`;
}

route('posts/<slug:slug>/', async (req, { slug }) => {
  const post = await Post.findOne({ where: { slug } });
  if (!post) throw new Http404(`No post ${slug}`);
  return json({ title: post.title, headline: headline(post) });
});

void examples; void tags;
