/* Small screens: every table of the page scrolls inside its own box instead of widening the page.
   The box is a keyboard-focusable, named region so that people without a mouse can scroll it. */
(function () {
  "use strict";
  function label(table) {
    var caption = table.querySelector("caption");
    if (caption) { return caption.textContent.trim(); }
    var node = table.previousElementSibling;
    while (node) {
      if (/^H[1-6]$/.test(node.tagName)) { return node.textContent.trim(); }
      node = node.previousElementSibling;
    }
    var heading = document.querySelector("main h1");
    return heading ? heading.textContent.trim() : document.title;
  }
  function wrap() {
    var tables = document.querySelectorAll("main table");
    Array.prototype.forEach.call(tables, function (table) {
      if (table.parentElement && table.parentElement.classList.contains("table-scroll")) { return; }
      var box = document.createElement("div");
      box.className = "table-scroll";
      box.setAttribute("role", "region");
      box.setAttribute("tabindex", "0");
      box.setAttribute("aria-label", label(table));
      /* Four columns or more: keep them readable and let the box scroll rather than squeeze each
         column to a letter's width (Chinese text would break after every character). */
      var first = table.rows[0];
      if (first && first.cells.length > 3) { box.classList.add("wide"); }
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", wrap);
  } else {
    wrap();
  }
  /* Pages that replace part of themselves (filters) call this again. */
  window.ecociteWrapTables = wrap;
})();
