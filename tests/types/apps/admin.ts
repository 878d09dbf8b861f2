// admin.register() options checked against the model's attributes.
import { configure, model, admin, DataTypes, ModelAdmin, run } from 'manouche';
import type { HttpRequest, InstanceOf } from 'manouche';

configure({ DEBUG: true, admin: true });

const Article = model('Article', {
  headline: { type: DataTypes.STRING(255), allowNull: false },
  body: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
  featured: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
  authorId: { type: DataTypes.INTEGER, allowNull: true },
}, { ordering: ['-createdAt'] });

admin.register(Article, {
  listDisplay: ['headline', 'featured', 'createdAt', (a) => a.body.length],
  searchFields: ['headline', '^body', 'author__username'],
  listFilter: ['featured', 'author'],
  ordering: ['-createdAt', 'headline'],
  dateHierarchy: 'createdAt',
  autocompleteFields: ['authorId'],
  fieldsets: [[null, { fields: ['headline', ['body', 'featured']] }]],
  listPerPage: 50,
});

class FeaturedFilter extends admin.SimpleListFilter {
  override title = 'featured';
  override parameterName = 'f';
  override lookups() { return [['yes', 'Featured'], ['no', 'Not featured']] as Array<[string, string]>; }
}
const Story = model('Story', {
  headline: { type: DataTypes.STRING(255), allowNull: false },
  featured: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
  author_id: { type: DataTypes.INTEGER, allowNull: true },
});
admin.register(Story, { listFilter: ['featured', 'author_id', 'author', 'author__isStaff', FeaturedFilter] });

const Memo = model('Memo', { text: { type: DataTypes.TEXT, allowNull: false } });
admin.register(Memo, { listDisplay: ['text'], saveAs: true, saveOnTop: true, labels: { text: 'memo' } });

const Note = model('Note', { text: { type: DataTypes.TEXT, allowNull: false } });
// @ts-expect-error not an attribute of Note
admin.register(Note, { listDisplay: ['txet'] });
// @ts-expect-error ordering names an attribute, '-' for descending
admin.unregister(Note), admin.register(Note, { ordering: ['-txet'] });
// @ts-expect-error an unknown option
admin.unregister(Note), admin.register(Note, { listDisplays: ['text'] });
// @ts-expect-error listPerPage is a number
admin.unregister(Note), admin.register(Note, { listPerPage: '50' });
// @ts-expect-error listFilter names attributes, relations by their foreign key, lookups and filter classes
admin.unregister(Note), admin.register(Note, { listFilter: ['txet'] });
// @ts-expect-error a filter is a ListFilter class, not any function
admin.unregister(Note), admin.register(Note, { listFilter: [class NotAFilter {}] });
// @ts-expect-error a column function gets the instance
admin.unregister(Note), admin.register(Note, { listDisplay: [(n) => n.missing] });

// A ModelAdmin subclass overrides hooks with typed requests.
const Page = model('Page', { title: { type: DataTypes.STRING(100), allowNull: false } });
admin.register(Page, class PageAdmin extends ModelAdmin {
  override listDisplay = ['title'];
  override getQueryset(req: HttpRequest) {
    return req.user.isAuthenticated && !req.user.isSuperuser ? { where: { title: req.user.username } } : {};
  }
});

// ModelAdmin<typeof Model>: the subclass's lists are checked against the model, written `as const`.
const Review = model('Review', {
  title: { type: DataTypes.STRING(200), allowNull: false },
  rating: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 3 },
  bookId: { type: DataTypes.INTEGER, allowNull: true },
});
class ReviewAdmin extends ModelAdmin<typeof Review> {
  override listDisplay = ['title', 'rating', (r: InstanceOf<typeof Review>) => r.rating * 2] as const;
  override listFilter = ['rating', 'book'] as const;
  override searchFields = ['^title'] as const;
  override ordering = ['-rating', 'title'] as const;
  override fieldsets = [['Review', { fields: ['title', ['rating', 'bookId']] }]] as const;
  override dateHierarchy = 'createdAt' as const;
}
admin.register(Review, ReviewAdmin);
const reviewAdmin: ModelAdmin<typeof Review> = new ReviewAdmin(Review, admin.site);
// @ts-expect-error the type names its model too
const noteAdmin: ModelAdmin<typeof Note> = reviewAdmin;
void noteAdmin;

class TypoAdmin extends ModelAdmin<typeof Review> {
  // @ts-expect-error not an attribute of Review
  override listDisplay = ['titel'] as const;
  // @ts-expect-error ordering names an attribute, '-' for descending
  override ordering = ['-ratign'] as const;
  // @ts-expect-error an attribute inside a fieldset too
  override fieldsets = [[null, { fields: ['title', ['rating', 'book']] }]] as const;
}
// @ts-expect-error a ModelAdmin of Review is not Memo's
admin.unregister(Memo), admin.register(Memo, class extends ModelAdmin<typeof Review> {});
void TypoAdmin;

export default run();
