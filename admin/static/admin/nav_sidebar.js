// The apps sidebar starts closed on small screens (it would push the page below it); open on wide ones.
'use strict';
(function () {
  var nav = document.getElementById('nav-sidebar');
  if (nav && window.matchMedia && window.matchMedia('(max-width: 767px)').matches) nav.open = false;
})();
