// api.resource() options checked against the model's attributes, and against the resource's own `fields`.
import { configure, model, DataTypes, api, z, run } from 'manouche';
import type { ResourceOptions } from 'manouche';

configure({ DEBUG: true, admin: true, api: true });

const Entry = model('Entry', {
  title: { type: DataTypes.STRING(200), allowNull: false },
  body: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
  published: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
  authorId: { type: DataTypes.INTEGER, allowNull: true },
});

api.resource(Entry, {
  fields: ['id', 'title', 'body', 'published', 'authorId', 'createdAt'],
  readOnlyFields: ['createdAt'],
  filterFields: ['published', 'authorId', 'createdAt'],
  searchFields: ['title', '^body', 'author__username'],
  orderingFields: ['title', 'createdAt'],
  ordering: ['-createdAt', 'title'],
  expand: { author: ['id', 'username'] },
  read: 'public',
  scope: (req) => (req.user.isAuthenticated ? undefined : { published: true }),
  permission: (req, action, entry) => action === 'list' || entry?.authorId === req.user.id,
  perform: { update: (req, data, entry) => ({ ...data, title: entry.title.trim() }) },
  throttle: '100/minute',
});

const Draft = model('Draft', { text: { type: DataTypes.TEXT, allowNull: false } });
// Without `fields`, every attribute may be named.
api.resource(Draft, { filterFields: ['text', 'updatedAt'], orderingFields: ['id'], read: 'authenticated' });

// @ts-expect-error not an attribute of Draft
api.resource(Draft, { path: 'd1', fields: ['id', 'txet'] });
// @ts-expect-error filterFields must be among the resource's fields
api.resource(Draft, { path: 'd2', fields: ['id', 'text'], filterFields: ['createdAt'] });
// @ts-expect-error readOnlyFields must be among the resource's fields
api.resource(Draft, { path: 'd3', fields: ['id', 'text'], readOnlyFields: ['updatedAt'] });
// @ts-expect-error orderingFields names attributes
api.resource(Draft, { path: 'd4', orderingFields: ['-text'] });
// @ts-expect-error ordering names an attribute, '-' for descending
api.resource(Draft, { path: 'd5', ordering: ['-txet'] });
// @ts-expect-error searchFields names attributes, with ^ = @ prefixes
api.resource(Draft, { path: 'd6', searchFields: ['~text'] });
// @ts-expect-error an unknown option
api.resource(Draft, { path: 'd7', filterField: ['text'] });
// @ts-expect-error the hooks get the model's instances
api.resource(Draft, { path: 'd9', perform: { destroy: (req, draft) => { draft.missing; } } });
// @ts-expect-error not an action
api.resource(Draft, { path: 'd10', actions: ['list', 'remove'] });

// The options can be written apart, named by the model.
const draftOptions: ResourceOptions<typeof Draft> = { fields: ['id', 'text'], pageSize: 20 };
// @ts-expect-error ResourceOptions<typeof Draft> knows Draft's attributes
const wrongOptions: ResourceOptions<typeof Draft> = { fields: ['title'] };
void draftOptions; void wrongOptions;

api.get('stats/', { query: z.object({ days: z.coerce.number().int().min(1) }) },
  async (req, { query }) => ({ entries: await Entry.count(), days: query.days.toFixed(0) }));

export default run();
