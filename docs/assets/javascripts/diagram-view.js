/*
 * Full-screen view of a diagram. Every diagram is a <figure class="fn-diagram"> rendered at
 * build time (scripts/build/diagrams.py) with a button in its corner. The button opens a modal
 * <dialog> showing the diagram at its natural size (scroll to move around), with zoom buttons
 * (also the + and - keys); Escape or the Close button closes it and focus returns to the button.
 *
 * The diagram is moved into the dialog, not copied, so its ids stay unique in the page; the
 * figure keeps its height meanwhile, so nothing behind the dialog moves. One delegated
 * listener on the document: works with instant navigation, over http and from file://.
 * Also: a diagram box that scrolls sideways becomes a named, focusable region, so keyboard
 * users can scroll it.
 */
(function () {
  "use strict";
  var ZOOMS = [0.5, 0.75, 1, 1.5, 2, 3];
  var dialog = null, body = null, heading = null, home = null, zoom = 2;

  function setZoom(i) {
    zoom = Math.max(0, Math.min(ZOOMS.length - 1, i));
    body.style.setProperty("--fn-zoom", String(ZOOMS[zoom]));
    dialog.querySelector("[data-zoom-level]").textContent = Math.round(ZOOMS[zoom] * 100) + "%";
  }

  function button(label, text, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.setAttribute("aria-label", label);
    b.addEventListener("click", action);
    return b;
  }

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "fn-diagram-dialog";
    dialog.setAttribute("aria-labelledby", "fn-diagram-dialog-title");
    var bar = document.createElement("div");
    bar.className = "fn-diagram-dialog__bar";
    heading = document.createElement("span");
    heading.id = "fn-diagram-dialog-title";
    var level = document.createElement("output");
    level.setAttribute("data-zoom-level", "");
    level.setAttribute("aria-live", "polite");
    bar.append(heading,
      button("Zoom out", "\u2212", function () { setZoom(zoom - 1); }),
      level,
      button("Zoom in", "+", function () { setZoom(zoom + 1); }),
      button("Close full screen view", "Close", function () { dialog.close(); }));
    body = document.createElement("div");
    body.className = "fn-diagram-dialog__body";
    body.tabIndex = 0;
    body.setAttribute("role", "region");
    body.setAttribute("aria-label", "Diagram at full size");
    dialog.append(bar, body);
    dialog.addEventListener("keydown", function (e) {
      if (e.key === "+" || e.key === "=") { setZoom(zoom + 1); e.preventDefault(); }
      if (e.key === "-" || e.key === "_") { setZoom(zoom - 1); e.preventDefault(); }
    });
    dialog.addEventListener("close", restore);
    document.body.appendChild(dialog);
  }

  function restore() {
    if (!home) return;
    var scroll = body.querySelector(".fn-diagram__scroll");
    if (scroll) home.figure.insertBefore(scroll, home.figure.firstChild);
    home.figure.style.minHeight = "";
    var opener = home.button;
    home = null;
    if (opener && document.contains(opener)) opener.focus();
  }

  function open(figure, opener) {
    // Opened again before the last close's "close" event ran (it is queued): put that
    // diagram back first, or its figure has no scroll box to show and nothing opens.
    if (home) restore();
    if (!dialog || !document.contains(dialog)) build();
    var scroll = figure.querySelector(".fn-diagram__scroll");
    if (!scroll) return;
    figure.style.minHeight = figure.getBoundingClientRect().height + "px";
    home = {figure: figure, button: opener};
    heading.textContent = (opener.getAttribute("aria-label") || "").replace(/^Open full screen: /, "");
    body.appendChild(scroll);
    setZoom(2);
    dialog.showModal();
    body.focus();
  }

  document.addEventListener("click", function (e) {
    var opener = e.target.closest && e.target.closest(".fn-diagram__open");
    if (opener) open(opener.closest(".fn-diagram"), opener);
  });

  // A box that scrolls sideways must be reachable by keyboard (WCAG 2.1.1).
  function markScrollers() {
    document.querySelectorAll(".fn-diagram > .fn-diagram__scroll").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        // Named after its diagram: two scrolling diagrams on a page are two distinct regions.
        var opener = box.parentElement.querySelector(".fn-diagram__open");
        var title = opener ? (opener.getAttribute("aria-label") || "")
          .replace(/^Open full screen: /, "") : "";
        box.setAttribute("aria-label", "Diagram, scrolls sideways: " + title);
      } else if (!scrolls && box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(markScrollers);   // Material: every page, instant navigation too
  } else {
    document.addEventListener("DOMContentLoaded", markScrollers);
  }
  window.addEventListener("resize", markScrollers);
})();
