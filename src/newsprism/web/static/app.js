// newsprism: small progressive enhancements; every page works without JavaScript.
"use strict";
document.documentElement.classList.add("has-js");
document.addEventListener("DOMContentLoaded", function () {
  // "expand all" / "collapse all" on the article page
  document.querySelectorAll("[data-toggle-details]").forEach(function (button) {
    button.addEventListener("click", function () {
      var open = button.getAttribute("data-toggle-details") === "open";
      document.querySelectorAll("details.sent").forEach(function (d) { d.open = open; });
    });
  });
  // a link to #s-N opens that sentence
  function openTarget() {
    if (!location.hash) return;
    var el = document.getElementById(location.hash.slice(1));
    if (el && el.tagName === "DETAILS") { el.open = true; }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
});
