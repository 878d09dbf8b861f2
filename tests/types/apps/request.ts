// The request of a view: req.user, req.session, messages, login().
import { configure, route, redirect, messages, login, authenticate, User, loginRequired, render, csrfExempt } from 'manouche';
import type { AuthUser, HttpRequest } from 'manouche';

configure({ DEBUG: true, auth: true });

declare module 'manouche' {
  interface SessionData { cart: number[] }
}

route('cart/<int:item>/', (req, { item }) => {
  const cart = req.session.cart ?? [];
  cart.push(item);
  req.session.cart = cart;
  // @ts-expect-error the cart holds numbers
  req.session.cart = ['x'];
  messages.success(req, `Added ${item}.`);
  return redirect('/cart/');
}, { methods: ['POST'] });

route('login/', csrfExempt(async (req: HttpRequest) => {
  const user = await authenticate(String(req.body.username), String(req.body.password), req);
  if (!user) return render(req, 'login.html', { error: true });
  await login(req, user);
  return redirect('/');
}), { methods: ['GET', 'POST'] });

route('profile/', loginRequired((req: HttpRequest) => {
  if (!req.user.isAuthenticated) throw new Error('loginRequired let an anonymous user in');
  const user: AuthUser = req.user;
  return { username: user.username, name: user.getFullName(), lastLogin: user.lastLogin?.toISOString() ?? null };
}));

route('perm/', async (req) => {
  const can: boolean = await req.user.hasPerm('blog.change_post');
  // @ts-expect-error hasPerm() is async: a Promise is not a boolean
  const sync: boolean = req.user.hasPerm('blog.change_post');
  return { can, sync };
});

async function users() {
  const ann: AuthUser = await User.createUser({ username: 'ann', password: 's3cret-pass' });
  const staff = await User.findAll({ where: { isStaff: true } });
  const names: string[] = staff.map((u) => u.username);
  // @ts-expect-error a user needs a username
  await User.createUser({ password: 'x', isStaff: true });
  // @ts-expect-error no such column
  ann.nickname;
  return names;
}
void users;
