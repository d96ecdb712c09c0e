// menu.js -- the main navigation folded behind a Menu button on a
// narrow screen (site/templates/layout.html, site.css).  Without this
// file the button stays hidden and the whole list shows, as on a wide
// screen: the script only adds .menu-ready to the header, which lets the
// stylesheet fold the list until the button opens it.  Escape closes an
// open menu and gives the focus back to the button.
(function () {
  'use strict';
  var button = document.querySelector('.menu-toggle');
  var nav = button && document.getElementById(button.getAttribute('aria-controls'));
  if (!nav) return;
  var header = button.closest('header') || document.body;
  function set(open) {
    button.setAttribute('aria-expanded', open ? 'true' : 'false');
  }
  set(false);
  header.classList.add('menu-ready');
  button.addEventListener('click', function () {
    set(button.getAttribute('aria-expanded') !== 'true');
  });
  header.addEventListener('keydown', function (e) {
    if (e.key !== 'Escape' || button.getAttribute('aria-expanded') !== 'true') return;
    set(false);
    button.focus();
  });
})();
