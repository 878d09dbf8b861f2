// prepopulatedFields: a slug follows its source fields as the user types ("Hello, World!" → "hello-world"), until the
// user edits the slug by hand; a slug that already had a value when the page opened is left alone.
'use strict';
(function () {
  function slugify(s, max) {
    return s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/[^\w\s-]/g, '').trim().replace(/[-\s]+/g, '-').slice(0, max).replace(/-+$/, '');
  }
  function init() {
    var form = document.querySelector('form[data-prepopulated]');
    if (!form) return;
    JSON.parse(form.getAttribute('data-prepopulated')).forEach(function (p) {
      var target = document.getElementById(p.id);
      if (!target) return;
      var touched = target.value !== '';
      target.addEventListener('input', function () { touched = target.value !== ''; });
      var sources = p.from.map(function (id) { return document.getElementById(id); }).filter(Boolean);
      function fill() {
        if (touched) return;
        target.value = slugify(sources.map(function (s) { return s.value; }).join(' '), p.maxLength);
      }
      sources.forEach(function (s) { s.addEventListener('input', fill); s.addEventListener('change', fill); });
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
