// Django's APPEND_SLASH answers outside DEBUG, replayed (see append-slash-cases.js).
'use strict';
require('./append-slash-cases')(false);
