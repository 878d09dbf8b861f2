// Tests in the app: the test client's json<T>() and the test context.
import { strict as assert } from 'node:assert';
import { configure, route, test } from 'manouche';
import { Client } from 'manouche/test';

configure({ DEBUG: true });
route('api/posts/<int:id>/', (req, { id }) => ({ id, title: 'Hello' }));

test('a post as JSON', async ({ client }) => {
  const res = await client.get('/api/posts/1/');
  assert.equal(res.status, 200);
  const post = res.json<{ id: number; title: string }>();
  assert.equal(post.title.toUpperCase(), 'HELLO');
  // @ts-expect-error json() without a type is unknown, not any
  res.json().title;
}, { db: false });

async function outside() {
  const client = new Client();
  const res = await client.post('/api/posts/', { title: 'x' }, { json: true });
  return res.json<{ id: number }>().id + 1;
}
void outside;
