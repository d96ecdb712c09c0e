// forms.js -- the error summary of a form shown again
// (core/templates/form_errors.html), enhanced.  Without this file the
// summary's autofocus attribute already moves the focus to it; here the
// focus is given where a browser does not honour autofocus on it, and a
// link of the summary moves the focus to its field and scrolls the
// field's label (or its group's legend) into view, as the link alone
// would scroll the field under the label out of sight.
(function () {
  'use strict';
  var summary = document.querySelector('[data-error-summary]');
  if (!summary) return;
  if (document.activeElement !== summary && !document.querySelector('[autofocus]:focus')) {
    summary.focus();
  }
  summary.addEventListener('click', function (e) {
    var link = e.target.closest('a[href^="#"]');
    if (!link) return;
    var field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) return;
    e.preventDefault();
    var group = field.closest('fieldset');
    var label = document.querySelector('label[for="' + CSS.escape(field.id) + '"]') ||
      (group && group.querySelector('legend')) || field;
    label.scrollIntoView();
    var target = field.matches('fieldset') ? field.querySelector('input, select, textarea') : field;
    (target || field).focus({ preventScroll: true });
  });
})();
