// Wide tables scroll inside a region a keyboard user can reach and a screen-reader user can name: every
// table in <main> not already inside such a region is wrapped in <div class="scroll-x" tabindex="0"
// role="region" aria-label="..."> named after its caption, its aria-label(ledby) or the nearest heading.
(function () {
  "use strict";
  function nameOf(table) {
    if (table.caption && table.caption.textContent.trim()) return table.caption.textContent.trim();
    if (table.getAttribute("aria-label")) return table.getAttribute("aria-label");
    var by = table.getAttribute("aria-labelledby");
    if (by && document.getElementById(by)) return document.getElementById(by).textContent.trim();
    var node = table;
    while (node && node !== document.body) {
      var prev = node.previousElementSibling;
      while (prev) {
        if (/^H[1-6]$/.test(prev.tagName)) return prev.textContent.trim();
        var inner = prev.querySelectorAll ? prev.querySelectorAll("h1,h2,h3,h4,h5,h6") : [];
        if (inner.length) return inner[inner.length - 1].textContent.trim();
        prev = prev.previousElementSibling;
      }
      node = node.parentElement;
    }
    return document.title;
  }
  function label(region, table) {
    if (!region.hasAttribute("tabindex")) region.setAttribute("tabindex", "0");
    if (!region.hasAttribute("role")) region.setAttribute("role", "region");
    if (!region.hasAttribute("aria-label") && !region.hasAttribute("aria-labelledby")) {
      region.setAttribute("aria-label", nameOf(table));
    }
  }
  function wrapAll(root) {
    var tables = (root || document).querySelectorAll("main table");
    for (var i = 0; i < tables.length; i++) {
      var table = tables[i];
      var parent = table.parentElement;
      if (parent.classList.contains("scroll-x")) { label(parent, table); continue; }
      var region = document.createElement("div");
      region.className = "scroll-x";
      parent.insertBefore(region, table);
      region.appendChild(table);
      label(region, table);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { wrapAll(); });
  else wrapAll();
  document.addEventListener("htmx:afterSwap", function (e) { wrapAll(e.target); });
})();
