// Route params typed from the pattern; reverse() checked against the declared route names.
import { configure, route, path, urlpatterns, include, json, reverse, registerConverter, View, loginRequired } from 'manouche';
import type { HttpRequest, RouteParams } from 'manouche';

configure({ DEBUG: true });

route('blog/<int:year>/<slug:slug>/', (req, { year, slug }) => json({ year: year + 1, slug: slug.toUpperCase() }));

route('blog/<int:year>/', (req, { year }) => {
  // @ts-expect-error an int param is a number
  const s: string = year;
  return s;
});
// @ts-expect-error a misspelt param is not in the pattern
route('archive/<int:year>/', (req, { yaer }) => String(yaer));
route('ids/<bigint:id>/', (req, { id }) => { const b: bigint = id; return String(b); });
route('tags/<tag>/', (req, { tag }) => tag.toLowerCase());
route(/^re\/(?<x>[0-9]+)$/, (req, { x }) => x.padStart(3, '0'));
route('^re2/(?<x>[0-9]+)$', (req, { x }) => x.padStart(3, '0'), { regex: true });
route('posts/<int:id>/', { name: 'post-detail' })((req, { id }) => json({ id: id.toFixed(0) }));
route('drafts/<int:id>/', loginRequired((req, { id }) => String(id + 1)));
urlpatterns.push(path('about/<slug:section>/', (req, { section }) => section.trim(), { name: 'about' }));
include('api/', [path('ping/', () => 'pong', { name: 'ping' })], { namespace: 'api' });

// A converter of your own declares its JS type by merging into Converters.
registerConverter<number>('year4', { regex: '[0-9]{4}', toJs: Number, toUrl: (v) => String(v).padStart(4, '0') });
declare module 'manouche' {
  interface Converters { year4: number }
  interface Routes { 'post-detail': 'posts/<int:id>/'; about: 'about/<slug:section>/'; home: '' }
}
route('y/<year4:y>/', (req, { y }) => y.toFixed(0));
// @ts-expect-error toUrl receives what toJs returns
registerConverter<number>('year5', { regex: '[0-9]{5}', toJs: Number, toUrl: (v: string) => v });

reverse('post-detail', { id: 1 });
reverse('about', { section: 'team' });
reverse('home');
reverse('admin:index'); // namespaced names (the admin's, include()'s) are not declared
// @ts-expect-error an int param takes a number
reverse('post-detail', { id: 'one' });
// @ts-expect-error the params are required
reverse('post-detail');
// @ts-expect-error a misspelt route name
reverse('post-detial', { id: 1 });

// A name declared in Routes must be given its declared pattern: the declaration cannot drift from the route.
// @ts-expect-error 'post-detail' is declared for 'posts/<int:id>/'
route('posts/<str:id>/', (req, { id }) => id, { name: 'post-detail' });
// @ts-expect-error the decorator form too
route('about/<str:section>/', { name: 'about' })((req, { section }) => section);
route('elsewhere/', () => 'free', { name: 'undeclared-name' });
// An include()d path's pattern ends the declared one (the prefix comes first).
declare module 'manouche' {
  interface Routes { 'team-member': 'people/team/<slug:member>/' }
}
include('people/', [path('team/<slug:member>/', (req, { member }) => member, { name: 'team-member' })]);
// @ts-expect-error not the end of the declared pattern
include('staff/', [path('team/<int:member>/', (req, { member }) => String(member), { name: 'team-member' })]);

// An include()d view that takes its prefix's params too annotates them in full; include() checks the prefix gives them.
type EntryParams = RouteParams<'journal/<int:year>/<slug:slug>/'>;
include('journal/<int:year>/', [
  path('<slug:slug>/', (req, { year, slug }: EntryParams) => `${slug} (${year.toFixed(0)})`, { name: 'journal-entry' }),
  path('', (req, { year }: RouteParams<'journal/<int:year>/'>) => String(year)),
]);
// @ts-expect-error this prefix has no year
include('diary/<slug:owner>/', [path('<slug:slug>/', (req, { year, slug }: EntryParams) => slug + year)]);
// @ts-expect-error nor has the root
urlpatterns.push(path('<slug:slug>/', (req, { year, slug }: EntryParams) => slug + year));
// @ts-expect-error the prefix's year is a number
include('log/<str:year>/', [path('<slug:slug>/', (req, { year, slug }: EntryParams) => slug + year)]);
// @ts-expect-error a param of the path's own pattern keeps its type
include('journal/<int:year>/', [path('<int:slug>/', (req, { year, slug }: EntryParams) => slug + year)]);

// The request: req.user is the User or the anonymous user.
route('me/', (req) => (req.user.isAuthenticated ? req.user.email : 'anonymous'));
// @ts-expect-error the anonymous user has no email: check isAuthenticated first
route('me2/', (req) => req.user.email);

// Class-based views: annotate the handler's params (class methods get no contextual types).
class YearArchive extends View {
  get(req: HttpRequest, { year }: RouteParams<'blog/<int:year>/'>) {
    return `Archive of ${year.toFixed(0)}`;
  }
}
route('blog/<int:year>/', YearArchive, { name: 'year_archive' });
