// The answer of a saved popup: hand the object to the opener's field (related.js), which closes this window.
'use strict';
(function () {
  var script = document.getElementById('django-admin-popup-response-constants');
  var data = JSON.parse(script.getAttribute('data-popup-response'));
  var opener = window.opener;
  if (!opener) return;
  if (data.action === 'change' && opener.dismissChangeRelatedObjectPopup) opener.dismissChangeRelatedObjectPopup(window, data.pk, data.obj, data.value);
  else if (opener.dismissAddRelatedObjectPopup) opener.dismissAddRelatedObjectPopup(window, data.value, data.obj);
})();
