// Raw node:http answering the quick start's route: the cold start floor.
const http = require('node:http');

http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('Hello, World!');
}).listen(Number(process.env.PORT), '127.0.0.1');
