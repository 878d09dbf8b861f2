// Bare express 5 answering the quick start's route: the cold start baseline.
const express = require('express');

const app = express();
app.get('/', (req, res) => res.send(`Hello, ${req.query.name ?? 'World'}!`));
app.listen(Number(process.env.PORT), '127.0.0.1');
