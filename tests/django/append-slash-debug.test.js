// Django's APPEND_SLASH answers in DEBUG, replayed (see append-slash-cases.js).
'use strict';
require('./append-slash-cases')(true);
