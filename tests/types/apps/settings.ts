// configure(): known settings with their types, the switches, declared custom settings; nothing else.
import { configure, settings } from 'manouche';

configure({
  DEBUG: true,
  admin: true,
  ALLOWED_HOSTS: ['example.com'],
  SESSION_COOKIE_SAMESITE: 'Strict',
  LOGIN_ATTEMPTS_LIMIT: 10,
  STRIPE_KEY: 'sk_test',
});
declare module 'manouche' {
  interface CustomSettings { STRIPE_KEY: string }
}
const key: string = settings.STRIPE_KEY;
const debug: boolean = settings.DEBUG;

// @ts-expect-error a misspelt setting
configure({ DEBGU: true });
// @ts-expect-error an unknown switch (the switches name the batteries: admin, auth, sessions …)
configure({ admn: true });
// @ts-expect-error DEBUG is a boolean
configure({ DEBUG: 'yes' });
// @ts-expect-error SameSite is 'Lax', 'Strict' or 'None'
configure({ SESSION_COOKIE_SAMESITE: 'lax' });
// @ts-expect-error ALLOWED_HOSTS is a list
configure({ ALLOWED_HOSTS: 'example.com' });

export { key, debug };
